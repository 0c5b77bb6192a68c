//! `/api/v1/stats/movement` (JSON and XLSX) and the province summary PDF: the
//! movement's figures for the caller's scope.

use crate::shared::auth::Authed;
use crate::shared::error::{ApiError, ApiResultExt};
use crate::shared::extract::Query;
use crate::shared::i18n::Lang;
use crate::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use domain::criteria::Subject;
use serde::Deserialize;
use serde_json::{json, Value};

/// Query of the statistics endpoint.
#[derive(Deserialize, Default)]
pub struct StatsQuery {
    year: Option<i64>,
    unit: Option<String>,
}

/// Progress of one deadline group: (made, submitted, approved, late).
pub fn progress_of(st: &store::statistics::MovementStats, residential: bool) -> (i64, i64, i64, i64) {
    st.progress_by_subject
        .iter()
        .filter(|p| (p.0 == Subject::ResidentialArea) == residential)
        .fold((0, 0, 0, 0), |acc, p| (acc.0 + p.1, acc.1 + p.2, acc.2 + p.3, acc.3 + p.4))
}

/// The statistics in the interface's shape, with the year's campaign (target and
/// deadlines).
pub fn stats_json(st: &store::statistics::MovementStats, campaign: &domain::campaign::Campaign) -> Value {
    let mut safe = serde_json::Map::new();
    for subject in Subject::ALL {
        let r = st.safe_unit.iter().find(|(s, _)| *s == subject).map(|(_, r)| *r).unwrap_or_default();
        let rate = if r.assessed > 0 { r.recognised as f64 / r.assessed as f64 } else { 0.0 };
        safe.insert(subject.as_str().into(), json!({"assessed": r.assessed, "recognised": r.recognised, "rate": rate}));
    }
    let by_level: serde_json::Map<String, Value> =
        st.by_level.iter().map(|(l, n)| (l.clone(), Value::from(*n))).collect();
    let by_type: serde_json::Map<String, Value> =
        st.models_by_type.iter().map(|(l, n)| (l.clone(), Value::from(*n))).collect();
    let by_type_verdict: serde_json::Map<String, Value> =
        st.models_by_type_verdict.iter().map(|(l, e, f)| (l.clone(), json!({"effective": e, "formal": f}))).collect();
    let group = |name: &str, residential: bool, deadline: chrono::NaiveDate| {
        let (made, submitted, approved, late) = progress_of(st, residential);
        json!({"group": name, "deadline": deadline, "made": made, "submitted": submitted, "approved": approved, "late": late})
    };
    json!({
        "safe_unit": safe,
        "target_rate": campaign.target_rate(),
        "movement": {"by_level": by_level},
        "key_areas": {"designated": st.designated, "removed": st.removed},
        "criterion19": {"met": st.criterion19_met, "communes": st.communes_in_scope, "reported": st.criterion19_communes},
        "models": {"effective": st.models_effective, "formal": st.models_formal, "by_type": by_type, "by_type_verdict": by_type_verdict},
        "progress": {
            "submitted": st.submitted, "approved": st.approved, "late": st.late,
            "by_deadline": [
                group("residential_area", true, campaign.residential_area_deadline),
                group("commune_and_organisation", false, campaign.commune_deadline),
            ],
            "province_summary_deadline": campaign.province_summary_deadline,
        },
    })
}

pub(crate) async fn stats(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<StatsQuery>,
) -> Result<Json<Value>, ApiError> {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let st = s.app.movement_stats(&sess.actor, year, q.unit.as_deref()).await.api(lang)?;
    let campaign = s.app.campaign(year).await.api(lang)?;
    Ok(Json(stats_json(&st, &campaign)))
}

pub(crate) async fn stats_xlsx(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<StatsQuery>,
) -> Response {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let result = s.app.movement_stats_xlsx(&sess.actor, year, q.unit.as_deref()).await;
    crate::shared::files::file_response(
        result,
        crate::shared::files::XLSX,
        &format!("phong-trao-{year}.xlsx"),
        false,
        lang,
    )
}

pub(crate) async fn province_summary(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<StatsQuery>,
) -> Response {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let result = s.app.province_summary_pdf(&sess.actor, year, q.unit.as_deref()).await;
    crate::shared::files::file_response(result, "application/pdf", &format!("bao-cao-{year}.pdf"), true, lang)
}
