//! `/api/v1/dashboard`: the figures of the caller's home page.

use crate::shared::auth::Authed;
use crate::shared::error::ApiError;
use crate::shared::error::ApiResultExt;
use crate::shared::i18n::Lang;
use crate::AppState;
use axum::extract::State;
use axum::Json;

pub(crate) async fn dashboard(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
) -> Result<Json<app::dashboard::Dashboard>, ApiError> {
    Ok(Json(s.app.dashboard(&sess.actor).await.api(lang)?))
}

pub(crate) async fn todo(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
) -> Result<Json<app::todo::Todo>, ApiError> {
    Ok(Json(s.app.todo(&sess.actor).await.api(lang)?))
}
