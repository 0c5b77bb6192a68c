//! `/api/v1/tasks/{id}/proposals`, `/api/v1/directives/{id}/proposals` and
//! `/api/v1/proposals/{id}`: send, list, read, answer.

use app::proposals::{About, ProposalInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use crate::shared::auth::Authed;
use crate::shared::error::{ApiError, ApiResultExt, RecordId};
use crate::shared::extract::ApiJson;
use crate::shared::i18n::Lang;
use crate::AppState;

async fn send(
    s: &AppState,
    lang: Lang,
    sess: &crate::shared::auth::Session,
    about: About,
    b: &ProposalInput,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = s.app.send_proposal(&sess.actor, about, b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

pub(crate) async fn send_on_task(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<ProposalInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    send(&s, lang, &sess, About::Task(id), &b).await
}

pub(crate) async fn send_on_directive(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<ProposalInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    send(&s, lang, &sess, About::Directive(id), &b).await
}

pub(crate) async fn list_on_task(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<Value>, ApiError> {
    let items = s.app.proposals_about(&sess.actor, About::Task(id)).await.api(lang)?;
    Ok(Json(json!({ "items": items })))
}

pub(crate) async fn list_on_directive(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<Value>, ApiError> {
    let items = s.app.proposals_about(&sess.actor, About::Directive(id)).await.api(lang)?;
    Ok(Json(json!({ "items": items })))
}

pub(crate) async fn get_one(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<store::proposals::ProposalRecord>, ApiError> {
    Ok(Json(s.app.proposal(&sess.actor, id).await.api(lang)?))
}

pub(crate) async fn answer(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<ProposalInput>,
) -> Result<Json<store::proposals::ProposalRecord>, ApiError> {
    Ok(Json(s.app.answer_proposal(&sess.actor, id, &b).await.api(lang)?))
}

pub(crate) async fn waiting_xlsx(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
) -> axum::response::Response {
    let r = s.app.proposals_xlsx(&sess.actor).await;
    crate::shared::files::file_response(r, crate::shared::files::XLSX, "kien-nghi-cho-tra-loi.xlsx", false, lang)
}
