//! `/api/v1/reports`: draft, read, edit, submit, return, and the DOCX and PDF.

use app::reports::{ReportInput, ReturnInput, SectionsInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde_json::{json, Value};

use crate::shared::auth::Authed;
use crate::shared::error::{ApiError, ApiResultExt, RecordId};
use crate::shared::extract::ApiJson;
use crate::shared::files::file_response;
use crate::shared::i18n::Lang;
use crate::AppState;

/// The DOCX media type.
pub(crate) const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<ReportInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (id, figures) = s.app.create_report(&sess.actor, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id, "figures": figures }))))
}

pub(crate) async fn get_one(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<app::reports::ReportView>, ApiError> {
    Ok(Json(s.app.report(&sess.actor, id).await.api(lang)?))
}

pub(crate) async fn edit(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<SectionsInput>,
) -> Result<Json<app::reports::ReportView>, ApiError> {
    s.app.edit_report(&sess.actor, id, &b).await.api(lang)?;
    Ok(Json(s.app.report(&sess.actor, id).await.api(lang)?))
}

pub(crate) async fn submit(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<app::reports::ReportView>, ApiError> {
    s.app.submit_report(&sess.actor, id).await.api(lang)?;
    Ok(Json(s.app.report(&sess.actor, id).await.api(lang)?))
}

pub(crate) async fn give_back(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<ReturnInput>,
) -> Result<Json<app::reports::ReportView>, ApiError> {
    s.app.return_report(&sess.actor, id, &b).await.api(lang)?;
    Ok(Json(s.app.report(&sess.actor, id).await.api(lang)?))
}

pub(crate) async fn accept(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<app::reports::ReportView>, ApiError> {
    s.app.accept_report(&sess.actor, id).await.api(lang)?;
    Ok(Json(s.app.report(&sess.actor, id).await.api(lang)?))
}

pub(crate) async fn docx(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Response {
    let r = s.app.report_document(&sess.actor, id, true).await;
    file_response(r, DOCX, &format!("bao-cao-{id}.docx"), false, lang)
}

pub(crate) async fn pdf(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Response {
    let r = s.app.report_document(&sess.actor, id, false).await;
    file_response(r, "application/pdf", &format!("bao-cao-{id}.pdf"), true, lang)
}

pub(crate) async fn list_xlsx(State(s): State<AppState>, lang: Lang, Authed(sess): Authed) -> axum::response::Response {
    let r = s.app.reports_xlsx(&sess.actor).await;
    crate::shared::files::file_response(r, crate::shared::files::XLSX, "bao-cao.xlsx", false, lang)
}
