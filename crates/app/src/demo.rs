//! The demo dataset (small, clearly labelled) and the deterministic national-scale
//! synthetic dataset used by benchmarks.

use domain::{NewOrganisation, OrgKind};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use store::audit::AuditEntry;
use store::org_import::{ImportAudit, ImportedOrganisation};

use crate::error::AppResult;
use crate::users::NewUserInput;
use crate::App;

/// Prefix of every demo organisation's name, so demo data is never mistaken for real data.
pub const DEMO_LABEL: &str = "[Demo]";

/// One demo account: (username, password, role, unit code or organisation).
#[derive(Debug, Clone)]
pub struct DemoAccount {
    /// Login name.
    pub username: String,
    /// Password (printed by `phongtrao demo`).
    pub password: String,
    /// Role.
    pub role: &'static str,
    /// Unit code or organisation description.
    pub scope: String,
}

/// Demo home unit codes: Hà Nội, Phường Ba Đình, and a second province for scope demos.
const DEMO_PROVINCE: &str = "01";
const DEMO_COMMUNE: &str = "00004";
const DEMO_COMMUNE_2: &str = "00008";

const ORG_NAMES: [(&str, OrgKind); 9] = [
    ("Trường THCS Nguyễn Trãi", OrgKind::School),
    ("Trường THPT Phan Đình Phùng", OrgKind::School),
    ("Công ty TNHH Thương mại Hồng Hà", OrgKind::Enterprise),
    ("Công ty Cổ phần Xây dựng Thăng Long", OrgKind::Enterprise),
    ("Ủy ban nhân dân phường", OrgKind::Agency),
    ("Bưu điện trung tâm", OrgKind::Agency),
    ("Hợp tác xã Dịch vụ Đồng Tâm", OrgKind::Other),
    ("Chợ dân sinh", OrgKind::Other),
    ("Trường Mầm non Hoa Sen", OrgKind::School),
];

/// The demo organisation recorded as outside the safe-unit standard.
const DEMO_EXEMPT: &str = "Trường Mầm non Hoa Sen";

/// Loads the small demo dataset: residential areas, organisations and one account
/// per role. Does nothing (and returns the accounts) when it is already there.
pub async fn load_demo(app: &App) -> AppResult<Vec<DemoAccount>> {
    let accounts = demo_accounts();
    if app.store.user_by_username(&accounts[0].username).await.is_ok() {
        return Ok(accounts);
    }
    let mut tx = app.store.begin_write().await?;
    for commune in [DEMO_COMMUNE, DEMO_COMMUNE_2] {
        let unit = app.store.unit(commune).await?;
        for (i, kind) in ["tổ dân phố", "tổ dân phố", "khu phố"].iter().enumerate() {
            tx.create_area(&unit, &format!("{DEMO_LABEL} Tổ dân phố số {}", i + 1), kind).await?;
        }
    }
    let mut orgs = Vec::new();
    for commune in [DEMO_COMMUNE, DEMO_COMMUNE_2] {
        for (name, kind) in ORG_NAMES {
            orgs.push((
                NewOrganisation {
                    name: format!("{DEMO_LABEL} {name}"),
                    kind,
                    tax_code: None,
                    address: Some(format!("Số {} phố Demo", orgs.len() + 1)),
                    unit_code: commune.to_string(),
                    managed_by_province: false,
                },
                DEMO_PROVINCE.to_string(),
            ));
        }
    }
    tx.insert_organisations(&orgs).await?;
    AuditEntry::new(None, "demo.load", "demo", "-")
        .after(&serde_json::json!({"organisations": orgs.len()}))
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    let (first_org, _) = app
        .store
        .list_organisations(
            &domain::Scope::Commune(DEMO_COMMUNE.into()),
            &store::organisations::OrgFilter { limit: 1, ..Default::default() },
        )
        .await?;
    let org_id = first_org.first().map(|o| o.id);
    for a in &accounts {
        let input = NewUserInput {
            username: a.username.clone(),
            display_name: Some(format!("{DEMO_LABEL} {}", a.role)),
            password: a.password.clone(),
            role: a.role.to_string(),
            unit_code: (a.role != "organisation").then(|| a.scope.clone()),
            organisation_id: if a.role == "organisation" { org_id } else { None },
            email: None,
        };
        app.create_user(None, &input).await?;
    }
    load_demo_movement(app).await?;
    load_demo_cases(app).await?;
    let units = crate::demo_working_year::DemoUnits {
        label: DEMO_LABEL,
        province: DEMO_PROVINCE,
        ward: DEMO_COMMUNE,
        ward2: DEMO_COMMUNE_2,
    };
    crate::demo_working_year::load_demo_working_year(app, units).await?;
    crate::demo_forces::load_demo_forces(app, DEMO_LABEL, DEMO_COMMUNE, "demo.commune").await?;
    Ok(accounts)
}

/// Demo citizens' cases in Phường Ba Đình (and one crime report for the province),
/// filed through the public intake like any other and labelled in their text.
async fn load_demo_cases(app: &App) -> AppResult<()> {
    use crate::cases::{CaseAction, CaseInput, Contact};
    let contact =
        || Some(Contact { name: Some("Nguyễn Thị Demo".into()), phone: Some("0900000000".into()), email: None });
    let cases = [
        ("feedback", "Đèn đường ngõ 12 hỏng nhiều ngày, ban đêm có người lạ tụ tập.", false),
        ("petition", "Đề nghị lắp thêm camera an ninh ở cổng chợ.", false),
        ("complaint", "Quyết định xử phạt vi phạm giao thông ghi sai biển số xe của tôi.", false),
        ("denunciation", "Có dấu hiệu cán bộ nhận tiền khi xác nhận hồ sơ cư trú.", true),
        ("crime_report", "Nghi vấn có điểm mua bán trái phép chất ma túy ở cuối ngõ 5.", true),
    ];
    let mut ids = Vec::new();
    for (kind, text, anonymous) in cases {
        let input = CaseInput {
            kind: kind.into(),
            unit_code: DEMO_COMMUNE.into(),
            description: format!("{DEMO_LABEL} {text}"),
            anonymous,
            contact: if anonymous { None } else { contact() },
            address: Some("[Demo] phố Đội Cấn".into()),
        };
        let receipt = app.submit_public_case(&input, &[], "demo-loader", "web").await?;
        if let Some((rec, _)) = app.store.case_by_code(&receipt.receipt_code).await? {
            ids.push(rec.id);
        }
    }
    // The commune officer has accepted the complaint and answered the feedback.
    if let Ok(user) = app.store.user_by_username("demo.commune").await {
        let officer = app.actor_for(&user, String::new(), "demo".into()).await?;
        if let Some(id) = ids.get(2) {
            app.act_on_case(&officer, *id, &CaseAction::Accept { complexity: None, remote_area: false }).await?;
        }
        if let Some(id) = ids.first() {
            app.reply_case(&officer, *id, "[Demo] Công an phường đã báo điện lực và tăng tuần tra ban đêm.", true)
                .await?;
        }
    }
    Ok(())
}

/// Demo movement data in Phường Ba Đình: a working model, recognised residential
/// areas and organisations, and the commune's own assessment waiting for the province.
async fn load_demo_movement(app: &App) -> AppResult<()> {
    use crate::assessments::{AssessmentInput, TransitionInput};
    use domain::assessment::Answer;
    let user = app.store.user_by_username("demo.commune").await?;
    let actor = app.actor_for(&user, String::new(), "demo".into()).await?;
    let year = store::clock::current_year();
    let today = store::clock::today_iso();
    let today_day = store::clock::today();
    let campaign = app.campaign(year).await?;
    let model = app
        .create_model(
            &actor,
            &crate::models::ModelInput {
                type_code: "camera_an_ninh".into(),
                name: format!("{DEMO_LABEL} Camera an ninh khu phố"),
                unit_code: DEMO_COMMUNE.into(),
                organisation_id: None,
                started_on: "2024-01-15".into(),
                partners: Some("Mặt trận Tổ quốc phường".into()),
                replicates_id: None,
            },
        )
        .await?;
    let verdict = crate::models::EvaluationInput {
        year,
        verdict: "effective".into(),
        note: Some("Hoạt động thực chất, hiệu quả".into()),
        correction_reason: None,
    };
    // The province judges the commune's model (a unit never judges its own).
    let province = app.store.user_by_username("demo.province").await?;
    let province = app.actor_for(&province, String::new(), "demo".into()).await?;
    app.evaluate_model(&province, model.id, &verdict).await?;
    // "Dân vận khéo": the commune registers its model for the year, the province
    // recognises it by decision and lets the public honour roll show it.
    let entry = app.register_dvk(&actor, &crate::dan_van_kheo::DvkRegistration { model_id: model.id, year }).await?;
    let recognition = crate::dan_van_kheo::DvkDecision {
        to: "recognised".into(),
        decision_number: Some(format!("{DEMO_LABEL} 15/QĐ-CAT")),
        decision_date: Some(store::clock::today_iso()),
        reason: None,
        public: true,
    };
    app.decide_dvk(&province, entry.id, &recognition).await?;
    let answers_for = |set: &domain::criteria::CriteriaSet, met: bool| -> Vec<Answer> {
        set.criteria
            .iter()
            .filter(|c| c.answerable())
            .map(|c| Answer { criterion: c.code.clone(), met: Some(met), points: None, note: None })
            .collect()
    };
    let sets = app.store.criteria_sets().await?;
    // The set in force this year (newest versions come first).
    let plain: Vec<domain::criteria::CriteriaSet> = sets.iter().map(|s| s.set.clone()).collect();
    let set = |subject: &str| {
        let subject = domain::criteria::Subject::parse(subject)?;
        domain::criteria::set_for_year(&plain, domain::criteria::Instrument::SafeUnit, subject, year as i32).cloned()
    };
    let mut subjects: Vec<(Option<String>, Option<i64>, &str)> = Vec::new();
    let f = store::units::UnitFilter { parent: Some(DEMO_COMMUNE.into()), limit: 10, ..Default::default() };
    for u in app.store.list_units(&f).await?.0 {
        subjects.push((Some(u.code), None, "residential_area"));
    }
    let (orgs, _) = app
        .store
        .list_organisations(&actor.scope, &store::organisations::OrgFilter { limit: 50, ..Default::default() })
        .await?;
    // A kindergarten is outside the standard (TT 124/2021 Điều 1 khoản 2 điểm b): recorded, not assessed.
    for o in orgs.iter().filter(|o| o.name.ends_with(DEMO_EXEMPT)) {
        app.set_organisation_exemption(&actor, o.id, Some("primary_or_preschool")).await?;
    }
    for o in orgs.iter().filter(|o| o.kind != domain::OrgKind::Other && !o.name.ends_with(DEMO_EXEMPT)) {
        let subject = match o.kind {
            domain::OrgKind::Agency => "agency",
            domain::OrgKind::School => "school",
            _ => "enterprise",
        };
        subjects.push((None, Some(o.id), subject));
    }
    for (i, (unit_code, organisation_id, subject)) in subjects.into_iter().enumerate() {
        let Some(set) = set(subject) else { continue };
        // An agency, enterprise or school needs a working model of its own (TT 124/2021
        // Điều 6, 7 khoản 1): the demo's have one, judged by the commune police.
        if let Some(o) = organisation_id.filter(|_| i % 5 != 4) {
            let type_code = if subject == "school" { "an_toan_truong_hoc" } else { "to_cong_nhan_tu_quan" };
            let input = crate::models::ModelInput {
                type_code: type_code.into(),
                name: format!(
                    "{DEMO_LABEL} {} #{o}",
                    if subject == "school" { "An toàn trường học" } else { "Tổ tự quản" }
                ),
                unit_code: String::new(),
                organisation_id: Some(o),
                started_on: "2024-03-01".into(),
                partners: None,
                replicates_id: None,
            };
            let m = app.create_model(&actor, &input).await?;
            let verdict = crate::models::EvaluationInput {
                year,
                verdict: "effective".into(),
                note: None,
                correction_reason: None,
            };
            app.evaluate_model(&actor, m.id, &verdict).await?;
        }
        let input = AssessmentInput {
            year,
            instrument: "safe_unit".into(),
            unit_code,
            organisation_id,
            answers: answers_for(&set, i % 5 != 4),
        };
        let a = app.create_assessment(&actor, &input).await?;
        // Sent as life goes: most a few days before the deadline, one in seven a
        // few days after it (never after today).
        let submitted_on = demo_submission_day(&campaign, &a, i, today_day);
        let submit = TransitionInput { to: "submitted".into(), submitted_on, ..Default::default() };
        app.transition_assessment(&actor, a.id, &submit).await?;
        app.transition_assessment(&actor, a.id, &TransitionInput { to: "reviewed".into(), ..Default::default() })
            .await?;
        let approve = TransitionInput {
            to: "approved".into(),
            decision_number: Some(format!("{:02}/QĐ-UBND", i + 1)),
            decision_date: Some(today.clone()),
            ..Default::default()
        };
        app.transition_assessment(&actor, a.id, &approve).await?;
    }
    if let Some(set) = set("commune") {
        let input = AssessmentInput {
            year,
            instrument: "safe_unit".into(),
            unit_code: Some(DEMO_COMMUNE.into()),
            organisation_id: None,
            answers: answers_for(&set, true),
        };
        let a = app.create_assessment(&actor, &input).await?;
        let submitted_on = demo_submission_day(&campaign, &a, 0, today_day);
        let submit = TransitionInput { to: "submitted".into(), submitted_on, ..Default::default() };
        app.transition_assessment(&actor, a.id, &submit).await?;
    }
    Ok(())
}

/// The day the `i`-th demo assessment was sent: 3 to 12 days before its deadline,
/// every seventh 2 to 4 days after it — but never after `today` (a demo loaded
/// before the deadlines is on time, as it would be).
fn demo_submission_day(
    campaign: &domain::campaign::Campaign,
    a: &store::assessments::AssessmentRecord,
    i: usize,
    today: chrono::NaiveDate,
) -> Option<chrono::NaiveDate> {
    let deadline = campaign.deadline_for(a.subject);
    let day = if i % 7 == 6 {
        deadline + chrono::Days::new(2 + (i % 3) as u64)
    } else {
        deadline - chrono::Days::new(3 + (i % 10) as u64)
    };
    Some(day.min(today))
}

/// The demo accounts and their fixed, printed passwords.
pub fn demo_accounts() -> Vec<DemoAccount> {
    let acc = |role: &'static str, scope: &str| DemoAccount {
        username: format!("demo.{role}"),
        password: format!("Demo-{role}-2025"),
        role,
        scope: scope.to_string(),
    };
    vec![
        acc("admin", "VN"),
        acc("ministry", "VN"),
        acc("province", DEMO_PROVINCE),
        acc("commune", DEMO_COMMUNE),
        acc("organisation", "[Demo] organisation in 00004"),
        acc("viewer", DEMO_PROVINCE),
    ]
}

const WORDS: [&str; 24] = [
    "An Bình",
    "Hòa Phát",
    "Minh Long",
    "Thành Công",
    "Đại Việt",
    "Hưng Thịnh",
    "Phú Quý",
    "Sông Hồng",
    "Trường Sơn",
    "Hải Âu",
    "Bình Minh",
    "Ánh Dương",
    "Tân Tiến",
    "Quang Trung",
    "Lê Lợi",
    "Hùng Vương",
    "Cửu Long",
    "Tây Nguyên",
    "Đồng Tâm",
    "Sao Mai",
    "Thống Nhất",
    "Hoàng Gia",
    "Việt Tiến",
    "Nam Phong",
];
const PREFIXES: [(&str, OrgKind); 6] = [
    ("Công ty TNHH", OrgKind::Enterprise),
    ("Công ty Cổ phần", OrgKind::Enterprise),
    // Secondary schools only: primary schools are outside the safe-unit standard
    // (TT 124/2021 Điều 1 khoản 2 điểm b), and every generated organisation is assessed.
    ("Trường THPT", OrgKind::School),
    ("Trường THCS", OrgKind::School),
    ("Ủy ban nhân dân", OrgKind::Agency),
    ("Hợp tác xã", OrgKind::Other),
];

/// The `i`-th synthetic organisation of the national dataset (deterministic).
pub fn synthetic_org(rng: &mut StdRng, i: u64, communes: &[(String, String)]) -> (NewOrganisation, String) {
    let (commune, province) = &communes[rng.gen_range(0..communes.len())];
    let (prefix, kind) = PREFIXES[rng.gen_range(0..PREFIXES.len())];
    let word = WORDS[rng.gen_range(0..WORDS.len())];
    (
        NewOrganisation {
            name: format!("{DEMO_LABEL} {prefix} {word} {i}"),
            kind,
            tax_code: (kind == OrgKind::Enterprise).then(|| format!("{:010}", 100_000_000 + i)),
            address: None,
            unit_code: commune.clone(),
            managed_by_province: false,
        },
        province.clone(),
    )
}

/// Sorted list of (commune code, province code), the base of synthetic data.
pub async fn commune_list(app: &App) -> AppResult<Vec<(String, String)>> {
    let mut v: Vec<(String, String)> = app.store.commune_provinces().await?.into_iter().collect();
    v.sort();
    Ok(v)
}

/// Generates the national-scale dataset: `orgs` organisations spread over every
/// commune and about 30 residential areas per commune (≈ 100,000), deterministic
/// for a given seed. `progress(done, total)` is called as rows are written.
pub async fn load_national(app: &App, orgs: u64, seed: u64, progress: &(dyn Fn(u64, u64) + Sync)) -> AppResult<()> {
    let communes = commune_list(app).await?;
    let mut rng = StdRng::seed_from_u64(seed);
    let areas_total: u64 = communes.len() as u64 * 30;
    let total = orgs + areas_total;
    let mut done = 0u64;
    let mut tx = app.store.begin_write().await?;
    for (commune, province) in &communes {
        let n = rng.gen_range(20..=40u32);
        let rows: Vec<(String, &str)> = (1..=n)
            .map(|k| (format!("{DEMO_LABEL} Thôn {k}"), if k % 3 == 0 { "tổ dân phố" } else { "thôn" }))
            .collect();
        tx.insert_areas(commune, province, &rows).await?;
        done += n as u64;
        if done % 10_000 < n as u64 {
            progress(done.min(total), total);
        }
    }
    AuditEntry::new(None, "demo.national_areas", "demo", "-")
        .after(&serde_json::json!({"areas": done}))
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    let batch = 20_000u64;
    let mut i = 0u64;
    while i < orgs {
        let end = (i + batch).min(orgs);
        let rows: Vec<ImportedOrganisation> = (i..end)
            .map(|k| {
                let (o, province) = synthetic_org(&mut rng, k, &communes);
                ImportedOrganisation::new(o, province)
            })
            .collect();
        let audit = ImportAudit::new(None, "demo.national_organisations", &serde_json::json!({"from": i, "to": end}));
        app.store.import_organisations(rows, audit, tokio::sync::watch::channel(0).0).await?;
        i = end;
        if i.is_multiple_of(25 * batch) {
            app.store.checkpoint().await?;
        }
        progress((done + i).min(total), total);
    }
    progress(total, total);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_data_is_deterministic() {
        let communes = vec![("00004".to_string(), "01".to_string()), ("25747".to_string(), "79".to_string())];
        let run = || {
            let mut rng = StdRng::seed_from_u64(2025);
            (0..50).map(|i| synthetic_org(&mut rng, i, &communes).0.name).collect::<Vec<_>>()
        };
        assert_eq!(run(), run());
        assert!(run().iter().all(|n| n.starts_with(DEMO_LABEL)));
    }
}
