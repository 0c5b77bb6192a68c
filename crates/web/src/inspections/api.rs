//! `/api/v1/inspections`: plan one, list a year's, read one, record a finding (its
//! follow-up task is created with it).

use app::inspections::{FindingInput, InspectionInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::shared::auth::Authed;
use crate::shared::error::{ApiError, ApiResultExt, RecordId};
use crate::shared::extract::{ApiJson, Query};
use crate::shared::i18n::Lang;
use crate::AppState;

/// Query of the list: `year` (default this year).
#[derive(Deserialize, Default)]
pub struct YearQuery {
    /// Year.
    pub year: Option<i64>,
}

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<InspectionInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = s.app.create_inspection(&sess.actor, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<YearQuery>,
) -> Result<Json<app::inspections::InspectionList>, ApiError> {
    Ok(Json(s.app.inspections(&sess.actor, q.year).await.api(lang)?))
}

pub(crate) async fn get_one(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<app::inspections::InspectionView>, ApiError> {
    Ok(Json(s.app.inspection(&sess.actor, id).await.api(lang)?))
}

pub(crate) async fn finding(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<FindingInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (finding, task) = s.app.record_finding(&sess.actor, id, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": finding, "task_id": task }))))
}

pub(crate) async fn list_xlsx(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<YearQuery>,
) -> axum::response::Response {
    let r = s.app.inspections_xlsx(&sess.actor, q.year).await;
    crate::shared::files::file_response(r, crate::shared::files::XLSX, "kiem-tra.xlsx", false, lang)
}
