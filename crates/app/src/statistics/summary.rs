//! The yearly summary report of a province, as PDF.

use chrono::Datelike;
use domain::criteria::Subject;
use domain::{Level, ValidationError};
use store::statistics::MovementStats;

use super::subject_label;
use crate::error::AppResult;
use crate::{Actor, App, AppError};

impl App {
    /// The yearly summary report of a province (the actor's, or one in its scope), as PDF.
    pub async fn province_summary_pdf(&self, actor: &Actor, year: i64, province: Option<&str>) -> AppResult<Vec<u8>> {
        let code = match (&actor.scope, province.map(str::trim).filter(|p| !p.is_empty())) {
            (domain::Scope::Province(p), None) => p.clone(),
            (_, Some(p)) => p.to_string(),
            _ => return Err(ValidationError::one("unit", "movement.province_required").into()),
        };
        let unit = self.store.unit(&code).await?;
        if unit.level != Level::Province {
            return Err(ValidationError::one("unit", "movement.province_required").into());
        }
        if !actor.scope.contains(&unit.place()) {
            return Err(AppError::NotFound);
        }
        let st = self.store.movement_stats(&domain::Scope::Province(code.clone()), year).await?;
        let today = store::clock::today();
        let report = crate::documents::SummaryReport {
            province_name: unit.name.clone(),
            place: unit.name.strip_prefix("Thành phố ").unwrap_or(&unit.name).to_string(),
            date: (today.day(), today.month(), today.year()),
            year,
            recognition: recognition_rows(&st),
            figures: figure_rows(&st),
            map: self.summary_map(actor, year, &code).await?,
        };
        crate::documents::summary_pdf(&report).map_err(AppError::Internal)
    }
}

impl App {
    /// The report's appendix: the province's communes coloured by recognition.
    async fn summary_map(
        &self,
        actor: &Actor,
        year: i64,
        province: &str,
    ) -> AppResult<Option<crate::documents::MapAppendix>> {
        use domain::map_indicator::{legend, shade, MapIndicator};
        let indicator = MapIndicator::Recognition;
        let communes = self.commune_map(actor, year, Some(province), indicator).await?;
        let dots: Vec<(f64, f64, Option<f64>)> = communes
            .iter()
            .filter_map(|(code, _, f)| domain::geo::point(code).map(|(la, lo)| (la, lo, shade(indicator, f))))
            .collect();
        if dots.is_empty() {
            return Ok(None);
        }
        let labels = ["Từ 95 %", "Từ 85 %", "Từ 70 %", "Từ 50 %", "Dưới 50 %"];
        let legend = legend(indicator)
            .iter()
            .zip(labels)
            .map(|((v, _), label)| (Some(*v), label.to_string()))
            .chain(std::iter::once((None, "Chưa có số liệu".to_string())))
            .collect();
        Ok(Some(crate::documents::MapAppendix {
            title: format!("Tỷ lệ đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {year}"),
            dots,
            legend,
        }))
    }
}

/// `r` of `a` as a Vietnamese percentage ("—" when nothing was assessed).
fn percent(r: i64, a: i64) -> String {
    if a > 0 {
        format!("{:.1} %", r as f64 * 100.0 / a as f64).replace('.', ",")
    } else {
        "—".into()
    }
}

/// Recognition per subject kind: (label, assessed, recognised, share).
fn recognition_rows(st: &MovementStats) -> Vec<(String, i64, i64, String)> {
    Subject::ALL
        .iter()
        .map(|s| {
            // A subject kind with no assessments has no row in the figures: zero.
            let f = st.safe_unit.iter().find(|(x, _)| x == s).map(|(_, f)| *f).unwrap_or_default();
            (subject_label(*s).to_string(), f.assessed, f.recognised, percent(f.recognised, f.assessed))
        })
        .collect()
}

/// The report's other figures: (label, value).
fn figure_rows(st: &MovementStats) -> Vec<(String, String)> {
    // The shipped sets' level codes; a level nobody reached counts zero.
    let levels = ["excellent", "good", "average", "weak"]
        .iter()
        .zip(["Xuất sắc", "Khá", "Trung bình", "Yếu"])
        .map(|(c, n)| format!("{n} {}", st.by_level.iter().find(|(l, _)| l == c).map_or(0, |(_, v)| *v)))
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        ("Phân loại phong trào".to_string(), levels),
        ("Địa bàn trọng điểm đưa vào / đưa ra".to_string(), format!("{} / {}", st.designated, st.removed)),
        (
            "Xã đạt tiêu chí 19 / có số liệu".to_string(),
            format!("{} / {}", st.criterion19_met, st.criterion19_communes),
        ),
        (
            "Mô hình hoạt động hiệu quả / hình thức".to_string(),
            format!("{} / {}", st.models_effective, st.models_formal),
        ),
        (
            "Bản đánh giá đã gửi / đã phê duyệt / nộp muộn".to_string(),
            format!("{} / {} / {}", st.submitted, st.approved, st.late),
        ),
    ]
}
