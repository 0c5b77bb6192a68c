//! `/api/v1/auth/…` and `/api/v1/me`: signing in and out, the password, the second
//! factor, and who the caller is.

use crate::shared::auth::{client_key, AuthedPending};
use crate::shared::error::ApiError;
use crate::shared::error::ApiResultExt;
use crate::shared::extract::ApiJson;
use crate::shared::i18n::Lang;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

/// Login body.
#[derive(Deserialize)]
pub struct LoginBody {
    username: String,
    password: String,
    #[serde(default)]
    totp: Option<String>,
}

pub(crate) async fn login(
    State(s): State<AppState>,
    lang: Lang,
    ext: axum::http::Extensions,
    ApiJson(b): ApiJson<LoginBody>,
) -> Result<Response, ApiError> {
    let client = client_key(&ext);
    let ok = s.app.login(&b.username, &b.password, b.totp.as_deref(), &client, "bearer").await.api(lang)?;
    Ok(Json(json!({"token": ok.token, "totp_enrolment_required": ok.must_enrol_totp})).into_response())
}

pub(crate) async fn logout(
    State(s): State<AppState>,
    lang: Lang,
    AuthedPending(sess): AuthedPending,
) -> Result<StatusCode, ApiError> {
    s.app.logout(&sess.actor, &sess.token).await.api(lang)?;
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) async fn logout_everywhere(
    State(s): State<AppState>,
    lang: Lang,
    AuthedPending(sess): AuthedPending,
) -> Result<Json<serde_json::Value>, ApiError> {
    let n = s.app.logout_everywhere(&sess.actor).await.api(lang)?;
    Ok(Json(json!({"sessions_ended": n})))
}

/// Password change body.
#[derive(Deserialize)]
pub struct PasswordBody {
    current_password: String,
    new_password: String,
}

pub(crate) async fn change_password(
    State(s): State<AppState>,
    lang: Lang,
    AuthedPending(sess): AuthedPending,
    ApiJson(b): ApiJson<PasswordBody>,
) -> Result<StatusCode, ApiError> {
    s.app.change_password(&sess.actor, &b.current_password, &b.new_password, &sess.token).await.api(lang)?;
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) async fn totp_enrol(
    State(s): State<AppState>,
    lang: Lang,
    AuthedPending(sess): AuthedPending,
) -> Result<Json<serde_json::Value>, ApiError> {
    let e = s.app.totp_enrol(&sess.actor).await.api(lang)?;
    Ok(Json(json!({"secret": e.secret, "otpauth_url": e.otpauth_url, "qr_svg": e.qr_svg})))
}

/// TOTP confirmation body.
#[derive(Deserialize)]
pub struct CodeBody {
    code: String,
}

pub(crate) async fn totp_confirm(
    State(s): State<AppState>,
    lang: Lang,
    AuthedPending(sess): AuthedPending,
    ApiJson(b): ApiJson<CodeBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let codes = s.app.totp_confirm(&sess.actor, &b.code).await.api(lang)?;
    Ok(Json(json!({"totp_enabled": true, "recovery_codes": codes})))
}

pub(crate) async fn me(AuthedPending(sess): AuthedPending) -> Json<app::Actor> {
    Json(sess.actor)
}
