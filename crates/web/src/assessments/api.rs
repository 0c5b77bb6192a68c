//! `/api/v1/assessments`: self-assessments and recognitions, their answers and
//! transitions, score sheets, evidence, certificates and the export.

use crate::shared::auth::Authed;
use crate::shared::error::{plain_error, ApiError, ApiResultExt};
use crate::shared::error::{RecordId, RecordIds};
use crate::shared::extract::ApiJson;
use crate::shared::extract::Query;
use crate::shared::i18n::{t, Lang};
use crate::shared::paging::Paging;
use crate::AppState;
use app::assessments::{AssessmentInput, TransitionInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::assessment::Answer;
use domain::criteria::{Instrument, Subject};
use serde::Deserialize;
use serde_json::{json, Value};
use store::assessments::AssessmentRecord;

/// An assessment in API form, unmet reasons translated.
pub fn assessment_json(a: &AssessmentRecord, lang: Lang) -> Value {
    let mut result = json!(a.result);
    if let Some(unmet) = result.get_mut("unmet").and_then(Value::as_array_mut) {
        for u in unmet {
            let code = u["reason"].as_str().unwrap_or_default().to_string();
            u["reason_code"] = Value::from(code.clone());
            u["reason"] = Value::from(t(lang, &format!("assessment.reason.{code}")));
        }
    }
    let answers = json!(a.answers);
    json!({
        "id": a.id, "year": a.year, "instrument": a.instrument, "subject": a.subject,
        "unit_code": a.unit_code, "organisation_id": a.organisation_id, "province_code": a.province_code,
        "commune_code": a.commune_code, "status": a.status, "result": result, "answers": answers,
        "criteria_set_id": a.criteria_set_id, "decision_number": a.decision_number, "decision_date": a.decision_date,
        "late": a.late, "return_reason": a.return_reason, "certificate_code": a.certificate_code, "subject_name": a.subject_name,
        "created_at": a.created_at, "updated_at": a.updated_at,
    })
}

pub(crate) async fn create_assessment(
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
            year: self.year.unwrap_or_else(store::clock::current_year),
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
        crate::shared::paging::query_string(&[
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

pub(crate) async fn list_assessments(
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

pub(crate) async fn get_assessment(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<Value>, ApiError> {
    let a = s.app.assessment(&sess.actor, id).await.api(lang)?;
    let mut body = assessment_json(&a, lang);
    // Made under an earlier version of the criteria: said, not hidden.
    body["criteria_superseded_by"] = json!(s.app.criteria_superseded_by(&a).await.unwrap_or(None));
    // Who verified and who decided (TT 124/2021 Điều 9, 10), once recorded.
    body["recognition"] = json!(s.app.recognition(&sess.actor, id).await.unwrap_or(None));
    Ok(Json(body))
}

/// Body of `PUT /api/v1/assessments/{id}`.
#[derive(Deserialize)]
pub struct AnswersBody {
    answers: Vec<Answer>,
}

pub(crate) async fn update_assessment(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<AnswersBody>,
) -> Result<Json<Value>, ApiError> {
    let a = s.app.update_assessment(&sess.actor, id, &b.answers).await.api(lang)?;
    Ok(Json(assessment_json(&a, lang)))
}

pub(crate) async fn transition(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<TransitionInput>,
) -> Result<Json<Value>, ApiError> {
    let a = s.app.transition_assessment(&sess.actor, id, &b).await.api(lang)?;
    Ok(Json(assessment_json(&a, lang)))
}

pub(crate) async fn certificate(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Response {
    crate::shared::files::file_response(
        s.app.certificate(&sess.actor, id).await,
        "application/pdf",
        &format!("giay-cong-nhan-{id}.pdf"),
        true,
        lang,
    )
}

pub(crate) async fn score_sheet(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Response {
    crate::shared::files::file_response(
        s.app.score_sheet(&sess.actor, id).await,
        crate::shared::files::XLSX,
        &format!("phieu-cham-{id}.xlsx"),
        false,
        lang,
    )
}

pub(crate) async fn import_score_sheet(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    headers: axum::http::HeaderMap,
    crate::shared::extract::Body(body): crate::shared::extract::Body,
) -> Response {
    let ct = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let target = app::uploads::UploadTarget::ScoreSheet(id);
    let result = match crate::shared::uploads::read_upload(&s, &sess.actor, target, ct, body).await {
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

pub(crate) async fn add_evidence(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    Query(q): Query<UploadQuery>,
    headers: axum::http::HeaderMap,
    crate::shared::extract::Body(body): crate::shared::extract::Body,
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

pub(crate) async fn list_evidence(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<Value>, ApiError> {
    let items = s.app.evidence_list(&sess.actor, id).await.api(lang)?;
    Ok(Json(json!({ "items": items })))
}

pub(crate) async fn get_evidence(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordIds(id, att): RecordIds,
) -> Response {
    match s.app.evidence(&sess.actor, id, att).await {
        Ok((info, bytes)) => {
            crate::shared::files::file_response(Ok(bytes), &info.content_type, &info.filename, true, lang)
        }
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

pub(crate) async fn export_assessments(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<AssessmentQuery>,
) -> Response {
    let Some(f) = q.to_filter() else { return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang) };
    let year = f.year;
    let r = s.app.export_assessments_xlsx(&sess.actor, q.unit.as_deref(), &f).await;
    crate::shared::files::file_response(r, crate::shared::files::XLSX, &format!("danh-gia-{year}.xlsx"), false, lang)
}
