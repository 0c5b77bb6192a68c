//! `/api/v1/directives/{id}/files`, `/api/v1/tasks/{id}/files`,
//! `/api/v1/registrations/{id}/files`, `/api/v1/events/{id}/files`, `/api/v1/files/{id}`.

use app::working_year_files::{Target, Upload};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::shared::auth::Authed;
use crate::shared::error::{ApiError, ApiResultExt, RecordId};
use crate::shared::extract::{Body, Query};
use crate::shared::i18n::Lang;
use crate::AppState;

/// Query of an upload: the file's name.
#[derive(Deserialize, Default)]
pub struct FileQuery {
    filename: Option<String>,
}

async fn attach(
    s: &AppState,
    lang: Lang,
    sess: &crate::shared::auth::Session,
    target: Target,
    q: FileQuery,
    headers: &axum::http::HeaderMap,
    body: &[u8],
) -> Response {
    let ct = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let name = q.filename.unwrap_or_default();
    let file = Upload { filename: &name, declared_type: ct, bytes: body };
    match s.app.attach_file(&sess.actor, target, &file).await {
        Ok(info) => (StatusCode::CREATED, Json(info)).into_response(),
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

pub(crate) async fn attach_to_directive(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    Query(q): Query<FileQuery>,
    headers: axum::http::HeaderMap,
    Body(body): Body,
) -> Response {
    attach(&s, lang, &sess, Target::Directive(id), q, &headers, &body).await
}

pub(crate) async fn attach_to_task(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    Query(q): Query<FileQuery>,
    headers: axum::http::HeaderMap,
    Body(body): Body,
) -> Response {
    attach(&s, lang, &sess, Target::Task(id), q, &headers, &body).await
}

pub(crate) async fn attach_to_registration(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    Query(q): Query<FileQuery>,
    headers: axum::http::HeaderMap,
    Body(body): Body,
) -> Response {
    attach(&s, lang, &sess, Target::Registration(id), q, &headers, &body).await
}

pub(crate) async fn registration_files(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "items": s.app.registration_files(&sess.actor, id).await.api(lang)? })))
}

pub(crate) async fn attach_to_event(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    Query(q): Query<FileQuery>,
    headers: axum::http::HeaderMap,
    Body(body): Body,
) -> Response {
    attach(&s, lang, &sess, Target::Event(id), q, &headers, &body).await
}

pub(crate) async fn event_files(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "items": s.app.event_files(&sess.actor, id).await.api(lang)? })))
}

pub(crate) async fn directive_files(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "items": s.app.directive_files(&sess.actor, id).await.api(lang)? })))
}

pub(crate) async fn task_files(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "items": s.app.task_files(&sess.actor, id).await.api(lang)? })))
}

pub(crate) async fn download(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Response {
    match s.app.working_year_file(&sess.actor, id).await {
        Ok((info, bytes)) => {
            crate::shared::files::file_response(Ok(bytes), &info.content_type, &info.filename, true, lang)
        }
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}
