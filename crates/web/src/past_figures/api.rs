//! `GET /api/v1/past-figures`, `POST /api/v1/past-figures/import`.

use app::uploads::UploadTarget;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use crate::shared::auth::Authed;
use crate::shared::error::{plain_error, ApiError};
use crate::shared::extract::{Body, Query};
use crate::shared::i18n::Lang;
use crate::shared::uploads::read_upload;
use crate::AppState;

/// Query of the list: a year before 2025, the old units' level, an old parent.
#[derive(Deserialize, Default)]
pub struct PastQuery {
    /// Year (default 2024).
    pub year: Option<i64>,
    /// province (default) | district | commune.
    pub level: Option<String>,
    /// The old unit whose children to list.
    pub parent: Option<String>,
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<PastQuery>,
) -> Response {
    let level = q.level.as_deref().filter(|l| !l.is_empty()).unwrap_or("province");
    if !matches!(level, "province" | "district" | "commune") {
        return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang);
    }
    let year = q.year.unwrap_or(domain::past_figures::LAST_YEAR);
    let parent = q.parent.as_deref().filter(|p| !p.is_empty());
    match s.app.past_figures(&sess.actor, year, level, parent).await {
        Ok(items) => Json(json!({"year": year, "level": level, "items": items})).into_response(),
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

pub(crate) async fn import(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    headers: HeaderMap,
    Body(body): Body,
) -> Response {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let result = match read_upload(&s, &sess.actor, UploadTarget::PastFigures, ct, body).await {
        Ok(table) => s.app.import_past_figures(&sess.actor, &table).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(n) => (StatusCode::CREATED, Json(json!({ "imported": n }))).into_response(),
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}
