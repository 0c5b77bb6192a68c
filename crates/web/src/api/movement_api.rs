//! `/api/v1` for the movement: criteria sets, assessments, models, key areas,
//! criterion 19 and statistics.

use crate::extract::{Path, Query};
use app::assessments::{AssessmentInput, TransitionInput};
use app::movement::{EvaluationInput, KeyAreaInput, ModelInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::assessment::Answer;
use domain::criteria::{CriteriaSet, Instrument, Subject};
use serde::Deserialize;
use serde_json::{json, Value};
use store::assessments::AssessmentRecord;

use super::Paging;
use crate::auth::Authed;
use crate::error::RecordId;
use crate::error::{parse_record_id, plain_error, ApiError, ApiResultExt};
use crate::extract::ApiJson;
use crate::i18n::{t, Lang};
use crate::AppState;

/// Query of the criteria-set list.
#[derive(Deserialize, Default)]
pub struct SetQuery {
    instrument: Option<String>,
    subject: Option<String>,
}

pub(super) async fn criteria_sets(State(s): State<AppState>, lang: Lang, Query(q): Query<SetQuery>) -> Response {
    let instrument = match q.instrument.as_deref().filter(|x| !x.is_empty()) {
        None => None,
        Some(i) => match Instrument::parse(i) {
            Some(i) => Some(i),
            None => return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang),
        },
    };
    let subject = match q.subject.as_deref().filter(|x| !x.is_empty()) {
        None => None,
        Some(x) => match Subject::parse(x) {
            Some(x) => Some(x),
            None => return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang),
        },
    };
    match s.app.criteria_sets(instrument, subject).await {
        Ok(items) => Json(json!({ "items": items })).into_response(),
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

pub(super) async fn add_criteria_set(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(set): ApiJson<CriteriaSet>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = s.app.add_criteria_set(&sess.actor, &set).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

/// An assessment in API form, unmet reasons translated.
pub fn assessment_json(a: &AssessmentRecord, lang: Lang) -> Value {
    let mut result: Value = serde_json::from_str(&a.result_json).unwrap_or(Value::Null);
    if let Some(unmet) = result.get_mut("unmet").and_then(Value::as_array_mut) {
        for u in unmet {
            let code = u["reason"].as_str().unwrap_or_default().to_string();
            u["reason_code"] = Value::from(code.clone());
            u["reason"] = Value::from(t(lang, &format!("assessment.reason.{code}")));
        }
    }
    let answers: Value = serde_json::from_str(&a.answers_json).unwrap_or(Value::Array(vec![]));
    json!({
        "id": a.id, "year": a.year, "instrument": a.instrument, "subject": a.subject,
        "unit_code": a.unit_code, "organisation_id": a.organisation_id, "province_code": a.province_code,
        "commune_code": a.commune_code, "status": a.status, "result": result, "answers": answers,
        "criteria_set_id": a.criteria_set_id, "decision_number": a.decision_number, "decision_date": a.decision_date,
        "late": a.late == 1, "return_reason": a.return_reason, "created_at": a.created_at, "updated_at": a.updated_at,
    })
}

pub(super) async fn create_assessment(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<AssessmentInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let a = s.app.create_assessment(&sess.actor, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(assessment_json(&a, lang))))
}

/// Query of the assessment list, its export and its page: the rows behind every
/// dashboard figure (`unit` narrows to a unit in scope; `stage` is a status, `sent`
/// or `decided`; `passed`/`late` are `true`/`false`).
#[derive(Deserialize, Default, Clone)]
pub struct AssessmentQuery {
    /// Year (default this year).
    pub year: Option<i64>,
    /// Subject kind.
    pub subject: Option<String>,
    /// Instrument.
    pub instrument: Option<String>,
    /// Status or stage.
    pub stage: Option<String>,
    /// Level code.
    pub level: Option<String>,
    /// Passed.
    pub passed: Option<String>,
    /// Late.
    pub late: Option<String>,
    /// A unit in scope.
    pub unit: Option<String>,
    /// Page.
    pub page: Option<i64>,
    /// Page size.
    pub size: Option<i64>,
}

impl AssessmentQuery {
    /// The store filter, or `None` when a value is not one of the allowed ones.
    pub fn to_filter(&self) -> Option<store::assessments::AssessmentFilter> {
        let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|x| !x.is_empty()).map(str::to_string);
        let flag = |v: &Option<String>| match v.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some("true" | "1") => Some(Some(true)),
            Some("false" | "0") => Some(Some(false)),
            _ => None,
        };
        let subject = text(&self.subject);
        if subject.as_deref().is_some_and(|x| Subject::parse(x).is_none()) {
            return None;
        }
        let instrument = text(&self.instrument);
        if instrument.as_deref().is_some_and(|x| Instrument::parse(x).is_none()) {
            return None;
        }
        let stage = text(&self.stage);
        let stages = ["draft", "submitted", "reviewed", "approved", "published", "sent", "decided"];
        if stage.as_deref().is_some_and(|x| !stages.contains(&x)) {
            return None;
        }
        Some(store::assessments::AssessmentFilter {
            year: self.year.unwrap_or_else(store::units::current_year),
            subject,
            instrument,
            stage,
            level: text(&self.level),
            passed: flag(&self.passed)?,
            late: flag(&self.late)?,
        })
    }

    /// The filter as a query string (for paging and export links).
    pub fn query_string(&self, year: i64) -> String {
        let y = year.to_string();
        crate::pages::query_string(&[
            ("year", Some(y.as_str())),
            ("subject", self.subject.as_deref()),
            ("instrument", self.instrument.as_deref()),
            ("stage", self.stage.as_deref()),
            ("level", self.level.as_deref()),
            ("passed", self.passed.as_deref()),
            ("late", self.late.as_deref()),
            ("unit", self.unit.as_deref()),
        ])
    }
}

pub(super) async fn list_assessments(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<AssessmentQuery>,
) -> Response {
    let p = Paging::new(q.page, q.size);
    let Some(f) = q.to_filter() else { return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang) };
    match s.app.list_assessments(&sess.actor, q.unit.as_deref(), &f, p.size, p.offset()).await {
        Ok((items, total)) => Json(json!({"items": items.iter().map(|a| assessment_json(a, lang)).collect::<Vec<_>>(), "total": total, "page": p.page, "size": p.size})).into_response(),
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

pub(super) async fn get_assessment(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<Value>, ApiError> {
    let a = s.app.assessment(&sess.actor, id).await.api(lang)?;
    Ok(Json(assessment_json(&a, lang)))
}

/// Body of `PUT /api/v1/assessments/{id}`.
#[derive(Deserialize)]
pub struct AnswersBody {
    answers: Vec<Answer>,
}

pub(super) async fn update_assessment(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<AnswersBody>,
) -> Result<Json<Value>, ApiError> {
    let a = s.app.update_assessment(&sess.actor, id, &b.answers).await.api(lang)?;
    Ok(Json(assessment_json(&a, lang)))
}

pub(super) async fn transition(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<TransitionInput>,
) -> Result<Json<Value>, ApiError> {
    let a = s.app.transition_assessment(&sess.actor, id, &b).await.api(lang)?;
    Ok(Json(assessment_json(&a, lang)))
}

pub(super) async fn model_types(State(s): State<AppState>, lang: Lang) -> Result<Json<Value>, ApiError> {
    let items = s.app.model_types().await.api(lang)?;
    Ok(Json(json!({ "items": items })))
}

/// Query of the model list: `type`, `verdict` (with `year`), `status`, `unit`.
#[derive(Deserialize, Default, Clone)]
pub struct ModelQuery {
    /// Type code.
    #[serde(rename = "type")]
    pub type_code: Option<String>,
    /// effective | formal (in `year`, default this year).
    pub verdict: Option<String>,
    /// Year of the verdict.
    pub year: Option<i64>,
    /// Status.
    pub status: Option<String>,
    /// A unit in scope.
    pub unit: Option<String>,
    /// Page.
    pub page: Option<i64>,
    /// Page size.
    pub size: Option<i64>,
}

impl ModelQuery {
    /// The store filter, or `None` for a value that is not allowed.
    pub fn to_filter(&self) -> Option<store::movement::ModelFilter> {
        let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|x| !x.is_empty()).map(str::to_string);
        let verdict = text(&self.verdict);
        if verdict.as_deref().is_some_and(|v| !matches!(v, "effective" | "formal")) {
            return None;
        }
        let status = text(&self.status);
        if status.as_deref().is_some_and(|v| !app::movement::MODEL_STATUSES.contains(&v)) {
            return None;
        }
        Some(store::movement::ModelFilter {
            type_code: text(&self.type_code),
            year: verdict.as_ref().map(|_| self.year.unwrap_or_else(store::units::current_year)),
            verdict,
            status,
        })
    }
}

pub(super) async fn list_models(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<ModelQuery>,
) -> Response {
    let p = Paging::new(q.page, q.size);
    let Some(f) = q.to_filter() else { return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang) };
    match s.app.list_models_filtered(&sess.actor, q.unit.as_deref(), &f, p.size, p.offset()).await {
        Ok((items, total)) => {
            Json(json!({"items": items, "total": total, "page": p.page, "size": p.size})).into_response()
        }
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

pub(super) async fn update_model(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<app::movement::ModelUpdate>,
) -> Result<Json<store::movement::ModelRecord>, ApiError> {
    Ok(Json(s.app.update_model(&sess.actor, id, &b).await.api(lang)?))
}

pub(super) async fn model_evaluations(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<Value>, ApiError> {
    let items: Vec<Value> = s
        .app
        .model_evaluations(&sess.actor, id)
        .await
        .api(lang)?
        .into_iter()
        .map(|(year, verdict, note)| json!({"year": year, "verdict": verdict, "note": note}))
        .collect();
    Ok(Json(json!({ "items": items })))
}

pub(super) async fn put_model_type(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<app::movement::ModelTypeInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    s.app.put_model_type(&sess.actor, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({"code": b.code.trim(), "name": b.name.trim(), "active": b.active}))))
}

/// Query of the key-area and criterion-19 lists: `year`, `unit`, `met`, paging.
#[derive(Deserialize, Default, Clone)]
pub struct UnitYearQuery {
    /// Year.
    pub year: Option<i64>,
    /// A unit in scope.
    pub unit: Option<String>,
    /// Criterion 19 only: `true` met, `false` not met or not reported.
    pub met: Option<String>,
    /// Page.
    pub page: Option<i64>,
    /// Page size.
    pub size: Option<i64>,
}

impl UnitYearQuery {
    /// `met` as a flag: `Some(None)` when absent, `None` for a value that is not `true`/`false`.
    pub fn met_flag(&self) -> Option<Option<bool>> {
        match self.met.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some("true") => Some(Some(true)),
            Some("false") => Some(Some(false)),
            _ => None,
        }
    }
}

pub(super) async fn list_key_areas(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<UnitYearQuery>,
) -> Result<Json<Value>, ApiError> {
    let p = Paging::new(q.page, q.size);
    let (items, total) =
        s.app.list_key_areas(&sess.actor, q.unit.as_deref(), q.year, p.size, p.offset()).await.api(lang)?;
    Ok(Json(json!({"items": items, "total": total, "page": p.page, "size": p.size})))
}

pub(super) async fn list_criterion19(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<UnitYearQuery>,
) -> Response {
    let p = Paging::new(q.page, q.size);
    let Some(met) = q.met_flag() else { return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang) };
    let year = q.year.unwrap_or_else(store::units::current_year);
    match s.app.list_criterion19(&sess.actor, q.unit.as_deref(), year, met, p.size, p.offset()).await {
        Ok((items, total)) => {
            let items: Vec<Value> = items
                .iter()
                .map(|c| json!({"unit_code": c.unit_code, "unit_name": c.unit_name, "met": c.met.map(|m| m == 1)}))
                .collect();
            Json(json!({"year": year, "items": items, "total": total, "page": p.page, "size": p.size})).into_response()
        }
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

pub(super) async fn export_key_areas(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<UnitYearQuery>,
) -> Response {
    let r = s.app.export_key_areas_xlsx(&sess.actor, q.unit.as_deref(), q.year).await;
    super::file_response(r, super::XLSX, "dia-ban-trong-diem.xlsx", false, lang)
}

pub(super) async fn export_criterion19(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<UnitYearQuery>,
) -> Response {
    let Some(met) = q.met_flag() else { return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang) };
    let year = q.year.unwrap_or_else(store::units::current_year);
    let r = s.app.export_criterion19_xlsx(&sess.actor, q.unit.as_deref(), year, met).await;
    super::file_response(r, super::XLSX, &format!("tieu-chi-19-{year}.xlsx"), false, lang)
}

pub(super) async fn create_model(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<ModelInput>,
) -> Result<(StatusCode, Json<store::movement::ModelRecord>), ApiError> {
    let m = s.app.create_model(&sess.actor, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(m)))
}

pub(super) async fn get_model(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<store::movement::ModelRecord>, ApiError> {
    Ok(Json(s.app.model(&sess.actor, id).await.api(lang)?))
}

pub(super) async fn evaluate_model(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<EvaluationInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let eid = s.app.evaluate_model(&sess.actor, id, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({"id": eid, "model_id": id, "year": b.year, "verdict": b.verdict}))))
}

pub(super) async fn key_area(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<KeyAreaInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = s.app.key_area_decision(&sess.actor, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({"id": id, "unit_code": b.unit_code, "action": b.action}))))
}

/// Body of `PUT /api/v1/criterion19`.
#[derive(Deserialize)]
pub struct Criterion19Body {
    unit_code: String,
    year: i64,
    met: bool,
}

pub(super) async fn criterion19(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<Criterion19Body>,
) -> Result<Json<Value>, ApiError> {
    s.app.set_criterion19(&sess.actor, &b.unit_code, b.year, b.met).await.api(lang)?;
    Ok(Json(json!({"unit_code": b.unit_code, "year": b.year, "met": b.met})))
}

/// Query of the statistics endpoint.
#[derive(Deserialize, Default)]
pub struct StatsQuery {
    year: Option<i64>,
    unit: Option<String>,
}

/// Progress of one deadline group: (made, submitted, approved, late).
pub fn progress_of(st: &store::movement::MovementStats, residential: bool) -> (i64, i64, i64, i64) {
    st.progress_by_subject
        .iter()
        .filter(|p| (p.0 == Subject::ResidentialArea.as_str()) == residential)
        .fold((0, 0, 0, 0), |acc, p| (acc.0 + p.1, acc.1 + p.2, acc.2 + p.3, acc.3 + p.4))
}

/// The statistics in the interface's shape, with the year's campaign (target and
/// deadlines).
pub fn stats_json(st: &store::movement::MovementStats, campaign: &domain::campaign::Campaign) -> Value {
    let mut safe = serde_json::Map::new();
    for subject in Subject::ALL {
        let r = st.safe_unit.iter().find(|(s, _)| s == subject.as_str()).map(|(_, r)| *r).unwrap_or_default();
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

pub(super) async fn stats(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<StatsQuery>,
) -> Result<Json<Value>, ApiError> {
    let year = q.year.unwrap_or_else(store::units::current_year);
    let st = s.app.movement_stats(&sess.actor, year, q.unit.as_deref()).await.api(lang)?;
    let campaign = s.app.campaign(year).await.api(lang)?;
    Ok(Json(stats_json(&st, &campaign)))
}

pub(super) async fn certificate(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Response {
    super::file_response(
        s.app.certificate(&sess.actor, id).await,
        "application/pdf",
        &format!("giay-chung-nhan-{id}.pdf"),
        true,
        lang,
    )
}

pub(super) async fn stats_xlsx(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<StatsQuery>,
) -> Response {
    let year = q.year.unwrap_or_else(store::units::current_year);
    let result = s.app.movement_stats_xlsx(&sess.actor, year, q.unit.as_deref()).await;
    super::file_response(result, super::XLSX, &format!("phong-trao-{year}.xlsx"), false, lang)
}

pub(super) async fn province_summary(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<StatsQuery>,
) -> Response {
    let year = q.year.unwrap_or_else(store::units::current_year);
    let result = s.app.province_summary_pdf(&sess.actor, year, q.unit.as_deref()).await;
    super::file_response(result, "application/pdf", &format!("bao-cao-{year}.pdf"), true, lang)
}

pub(super) async fn score_sheet(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Response {
    super::file_response(
        s.app.score_sheet(&sess.actor, id).await,
        super::XLSX,
        &format!("phieu-cham-{id}.xlsx"),
        false,
        lang,
    )
}

pub(super) async fn import_score_sheet(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    headers: axum::http::HeaderMap,
    crate::extract::Body(body): crate::extract::Body,
) -> Response {
    let ct = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let target = app::uploads::UploadTarget::ScoreSheet(id);
    let result = match super::org_api::read_upload(&s, &sess.actor, target, ct, body).await {
        Ok(table) => s.app.import_score_sheet(&sess.actor, id, &table).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(n) => match s.app.assessment(&sess.actor, id).await {
            Ok(a) => Json(json!({"imported": n, "assessment": assessment_json(&a, lang)})).into_response(),
            Err(e) => ApiError::new(e, lang).into_response(),
        },
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

/// Query of an evidence upload.
#[derive(Deserialize, Default)]
pub struct UploadQuery {
    filename: Option<String>,
    /// The criterion whose answer the file supports.
    criterion: Option<String>,
}

pub(super) async fn add_evidence(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    Query(q): Query<UploadQuery>,
    headers: axum::http::HeaderMap,
    crate::extract::Body(body): crate::extract::Body,
) -> Response {
    let ct = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let name = q.filename.unwrap_or_default();
    let file = app::assessments::EvidenceUpload {
        filename: &name,
        declared_type: ct,
        criterion: q.criterion.as_deref(),
        bytes: &body,
    };
    match s.app.add_evidence(&sess.actor, id, &file).await {
        Ok(info) => (StatusCode::CREATED, Json(info)).into_response(),
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

pub(super) async fn list_evidence(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<Value>, ApiError> {
    let items = s.app.evidence_list(&sess.actor, id).await.api(lang)?;
    Ok(Json(json!({ "items": items })))
}

pub(super) async fn get_evidence(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path((id, att)): Path<(String, String)>,
) -> Response {
    let (id, att) = match (parse_record_id(&id), parse_record_id(&att)) {
        (Ok(a), Ok(b)) => (a, b),
        _ => return ApiError::new(app::AppError::NotFound, lang).into_response(),
    };
    match s.app.evidence(&sess.actor, id, att).await {
        Ok((info, bytes)) => super::file_response(Ok(bytes), &info.content_type, &info.filename, true, lang),
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

pub(super) async fn export_assessments(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<AssessmentQuery>,
) -> Response {
    let Some(f) = q.to_filter() else { return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang) };
    let year = f.year;
    let r = s.app.export_assessments_xlsx(&sess.actor, q.unit.as_deref(), &f).await;
    super::file_response(r, super::XLSX, &format!("danh-gia-{year}.xlsx"), false, lang)
}

pub(super) async fn export_models(State(s): State<AppState>, lang: Lang, Authed(sess): Authed) -> Response {
    let r = s.app.export_models_xlsx(&sess.actor).await;
    super::file_response(r, super::XLSX, "mo-hinh.xlsx", false, lang)
}

/// A campaign as JSON, with whether the ministry adjusted it.
pub fn campaign_json(c: &domain::campaign::Campaign, adjusted: bool) -> Value {
    json!({
        "year": c.year,
        "residential_area_deadline": c.residential_area_deadline,
        "commune_deadline": c.commune_deadline,
        "province_summary_deadline": c.province_summary_deadline,
        "target_percent": c.target_percent,
        "commune_approver": c.commune_approver.as_str(),
        "adjusted": adjusted,
    })
}

pub(super) async fn get_campaign(
    State(s): State<AppState>,
    lang: Lang,
    Authed(_sess): Authed,
    Path(year): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let (c, adjusted) = s.app.campaign_and_origin(year).await.api(lang)?;
    Ok(Json(campaign_json(&c, adjusted)))
}

pub(super) async fn put_campaign(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path(year): Path<i64>,
    ApiJson(b): ApiJson<app::campaigns::CampaignInput>,
) -> Result<Json<Value>, ApiError> {
    let c = s.app.set_campaign(&sess.actor, year, &b).await.api(lang)?;
    Ok(Json(campaign_json(&c, true)))
}
