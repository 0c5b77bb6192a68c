//! `/api/v1` for the movement: criteria sets, assessments, models, key areas,
//! criterion 19 and statistics.

use app::assessments::{AssessmentInput, TransitionInput};
use app::movement::{EvaluationInput, KeyAreaInput, ModelInput};
use axum::extract::{Path, Query, State};
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

/// Query of the assessment list.
#[derive(Deserialize, Default)]
pub struct AssessmentQuery {
    year: Option<i64>,
    subject: Option<String>,
    page: Option<i64>,
    size: Option<i64>,
}

pub(super) async fn list_assessments(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<AssessmentQuery>,
) -> Result<Json<Value>, ApiError> {
    let p = Paging::new(q.page, q.size);
    let year = q.year.unwrap_or_else(store::units::current_year);
    let (items, total) = s
        .app
        .list_assessments(&sess.actor, year, q.subject.as_deref().filter(|x| !x.is_empty()), p.size, p.offset())
        .await
        .api(lang)?;
    Ok(Json(
        json!({"items": items.iter().map(|a| assessment_json(a, lang)).collect::<Vec<_>>(), "total": total, "page": p.page, "size": p.size}),
    ))
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

/// Paging query.
#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<i64>,
    size: Option<i64>,
}

pub(super) async fn list_models(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<PageQuery>,
) -> Result<Json<Value>, ApiError> {
    let p = Paging::new(q.page, q.size);
    let (items, total) = s.app.list_models(&sess.actor, p.size, p.offset()).await.api(lang)?;
    Ok(Json(json!({"items": items, "total": total, "page": p.page, "size": p.size})))
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

/// The statistics in the interface's shape.
pub fn stats_json(st: &store::movement::MovementStats) -> Value {
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
    json!({
        "safe_unit": safe,
        "target_rate": 0.95,
        "movement": {"by_level": by_level},
        "key_areas": {"designated": st.designated, "removed": st.removed},
        "criterion19": {"met": st.criterion19_met, "communes": st.criterion19_communes},
        "models": {"effective": st.models_effective, "formal": st.models_formal, "by_type": by_type},
        "progress": {"submitted": st.submitted, "approved": st.approved, "late": st.late},
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
    Ok(Json(stats_json(&st)))
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
    let Some(kind) = super::org_api::upload_kind(ct, &body) else {
        return plain_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "import.unsupported_type", lang);
    };
    let result = match super::org_api::parse_upload(kind, &body) {
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
    match s.app.add_evidence(&sess.actor, id, &name, ct, &body).await {
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

/// `?year=&subject=` of the assessments export.
#[derive(Deserialize)]
pub struct AssessmentExportQuery {
    year: Option<i64>,
    subject: Option<String>,
}

pub(super) async fn export_assessments(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<AssessmentExportQuery>,
) -> Response {
    let year = q.year.unwrap_or_else(store::units::current_year);
    let subject = q.subject.filter(|x| !x.is_empty());
    if subject.as_deref().is_some_and(|x| Subject::parse(x).is_none()) {
        return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang);
    }
    let r = s.app.export_assessments_xlsx(&sess.actor, year, subject.as_deref()).await;
    super::file_response(r, super::XLSX, &format!("danh-gia-{year}.xlsx"), false, lang)
}

pub(super) async fn export_models(State(s): State<AppState>, lang: Lang, Authed(sess): Authed) -> Response {
    let r = s.app.export_models_xlsx(&sess.actor).await;
    super::file_response(r, super::XLSX, "mo-hinh.xlsx", false, lang)
}
