//! The national programme of a year, generated for the demo and the benchmark: the
//! ministry's 14 key tasks assigned to the 34 provinces, each province passing its
//! part to every one of its communes as a sub-task (≈ 46,000 assignments), every
//! commune reporting progress `reports` times. The figures are then rebuilt from
//! the history in one pass (`Tx::rebuild_rollups`), the same figures progress
//! reports maintain one at a time. Every title is labelled `[Demo]`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::unit::UnitPlace;
use domain::Level;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use store::tasks::NewTask;

use crate::demo::DEMO_LABEL;
use store::audit::AuditEntry;

use crate::error::AppResult;
use crate::App;

/// The ministry's key tasks of the year ("14 công tác trọng tâm").
pub const KEY_TASKS: [&str; 14] = [
    "Tham mưu cấp ủy, chính quyền lãnh đạo phong trào toàn dân bảo vệ ANTQ",
    "Triển khai Chỉ thị 07 về phong trào trong cơ quan, doanh nghiệp, nhà trường",
    "Xây dựng, nhân rộng mô hình tự quản, tự phòng, tự bảo vệ",
    "Đánh giá, công nhận \"An toàn về an ninh, trật tự\"",
    "Phân loại phong trào toàn dân bảo vệ ANTQ",
    "Tổ chức Ngày hội toàn dân bảo vệ ANTQ 19/8",
    "Củng cố lực lượng tham gia bảo vệ ANTT ở cơ sở",
    "Tập huấn nghiệp vụ xây dựng phong trào",
    "Chuyển hóa địa bàn trọng điểm, phức tạp về ANTT",
    "Thực hiện tiêu chí số 19 trong xây dựng nông thôn mới",
    "Phối hợp với Mặt trận Tổ quốc và các đoàn thể",
    "Tuyên truyền, vận động Nhân dân tố giác tội phạm",
    "Sơ kết, tổng kết các chỉ thị, nghị quyết về phong trào",
    "Khen thưởng tập thể, cá nhân có thành tích trong phong trào",
];

/// What was generated.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProgrammeCounts {
    /// Tasks (the ministry's and the provinces' sub-tasks).
    pub tasks: u64,
    /// Assignments.
    pub assignments: u64,
    /// Progress reports.
    pub reports: u64,
}

fn place(code: &str, level: Level, province: Option<&str>) -> UnitPlace {
    let province_code = province.map(str::to_string);
    let commune_code = (level == Level::Commune).then(|| code.to_string());
    UnitPlace { code: code.to_string(), level, province_code, commune_code }
}

/// Generates the programme of `year`; returns its counts.
pub async fn load_national_programme(app: &App, year: i64, reports: usize, seed: u64) -> AppResult<ProgrammeCounts> {
    let mut by_province: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (commune, province) in app.store.commune_provinces().await? {
        by_province.entry(province).or_default().push(commune);
    }
    let nation = place(domain::unit::NATION_CODE, Level::Nation, None);
    let provinces: Vec<UnitPlace> = by_province.keys().map(|p| place(p, Level::Province, Some(p))).collect();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut counts = ProgrammeCounts::default();
    let start = NaiveDate::from_ymd_opt(year as i32, 1, 15).unwrap_or(NaiveDate::MIN);
    let t0 = store::clock::today().and_hms_opt(0, 0, 0).map(|d| d.and_utc().timestamp_millis()).unwrap_or(0);
    let mut tx = app.store.begin_write().await?;
    for (k, title) in KEY_TASKS.iter().enumerate() {
        let due = start + chrono::Duration::days(25 * k as i64 + 30);
        let task = |title: String, parent: Option<i64>| NewTask {
            year,
            title,
            directive_id: None,
            parent_id: parent,
            issued_on: start.format("%Y-%m-%d").to_string(),
            due: due.format("%Y-%m-%d").to_string(),
            indicator: None,
        };
        let top = tx.insert_task(&task(format!("{DEMO_LABEL} {title}"), None), &nation, &provinces, 0).await?;
        counts.tasks += 1;
        counts.assignments += provinces.len() as u64;
        for (province, communes) in &by_province {
            let p = place(province, Level::Province, Some(province));
            let places: Vec<UnitPlace> = communes.iter().map(|c| place(c, Level::Commune, Some(province))).collect();
            let sub =
                tx.insert_task(&task(format!("{DEMO_LABEL} {title} (cấp xã)"), Some(top)), &p, &places, 0).await?;
            let split = tx.assignment(top, province).await?;
            tx.split_assignment(split.id, sub).await?;
            counts.tasks += 1;
            counts.assignments += places.len() as u64;
            let mut rows = Vec::with_capacity(places.len() * reports);
            for (id, _) in tx.assignment_ids(sub).await? {
                let last = rng.gen_range(0..=100i64);
                for r in 1..=reports {
                    let percent = last * r as i64 / reports as i64;
                    rows.push((id, percent, None, "Báo cáo tiến độ", t0 - ((reports - r) as i64) * 86_400_000));
                }
            }
            for chunk in rows.chunks(10_000) {
                tx.insert_progress_rows(chunk).await?;
            }
            counts.reports += rows.len() as u64;
        }
    }
    tx.rebuild_rollups(year).await?;
    let after =
        serde_json::json!({"tasks": counts.tasks, "assignments": counts.assignments, "reports": counts.reports});
    AuditEntry::new(None, "demo.national_programme", "demo", year).after(&after).write(&mut tx).await?;
    tx.commit().await?;
    Ok(counts)
}
