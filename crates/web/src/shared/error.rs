//! The one error-to-HTTP mapping. Each [`AppError`] gets a status and a stable
//! code; the message is translated into the request's language; the full cause of
//! internal errors is logged once, here, and never shown.

use app::{AppError, RowError};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::shared::i18n::{t, Lang};

/// Status and message key of an application error.
pub fn status_and_code(e: &AppError) -> (StatusCode, &'static str) {
    match e {
        AppError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        AppError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation"),
        AppError::Rows(_) => (StatusCode::UNPROCESSABLE_ENTITY, "import.rejected"),
        AppError::Unauthorized(code) => (StatusCode::UNAUTHORIZED, code),
        AppError::Forbidden(code) => (StatusCode::FORBIDDEN, code),
        AppError::TotpEnrolmentRequired => (StatusCode::FORBIDDEN, "auth.totp_enrolment_required"),
        AppError::Throttled(code, _) => (StatusCode::TOO_MANY_REQUESTS, code),
        AppError::Conflict(code) => (StatusCode::CONFLICT, code),
        AppError::Unsupported(code) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, code),
        AppError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
        AppError::Store(store::StoreError::NotCommitted(_)) => (StatusCode::SERVICE_UNAVAILABLE, "db.not_committed"),
        AppError::Store(_) | AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

/// Seconds a client should wait before trying again, for the answers that carry
/// `Retry-After` (429 and 503).
pub fn retry_after_seconds(e: &AppError) -> Option<u64> {
    match e {
        AppError::Throttled(_, until) => Some(((until - store::clock::now_ms()).max(0) as u64).div_ceil(1000).max(1)),
        AppError::Store(store::StoreError::NotCommitted(_)) => Some(10),
        _ => None,
    }
}

/// Logs an error's cause when it is the server's fault.
pub fn log_if_internal(e: &AppError) {
    if matches!(e, AppError::Store(_) | AppError::Internal(_)) {
        tracing::error!(error = %e, "request failed");
    }
}

/// Translated per-row report of a rejected import.
pub fn rows_json(rows: &[RowError], lang: Lang) -> Vec<serde_json::Value> {
    rows.iter()
        .map(|r| json!({"row": r.row, "column": r.column, "message": t(lang, &r.code), "code": r.code}))
        .collect()
}

/// An error answered as JSON: `{"error":{"code","message"}}` (plus `fields` or `rows`).
#[derive(Debug)]
pub struct ApiError {
    /// The error.
    pub error: AppError,
    /// Language of the message.
    pub lang: Lang,
}

impl ApiError {
    /// Wraps an application error.
    pub fn new(error: AppError, lang: Lang) -> ApiError {
        ApiError { error, lang }
    }
}

/// Turns an application result into an API result in the request's language.
pub trait ApiResultExt<T> {
    /// Maps the error to an [`ApiError`] in `lang`.
    fn api(self, lang: Lang) -> Result<T, ApiError>;
}

impl<T> ApiResultExt<T> for Result<T, AppError> {
    fn api(self, lang: Lang) -> Result<T, ApiError> {
        self.map_err(|e| ApiError::new(e, lang))
    }
}

/// Parses a record id from a path segment; anything but a number is "not found".
pub fn parse_record_id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound)
}

/// The record id of an API path with one parameter (`/…/{id}`). A value that is
/// not a number is answered like an unknown id: 404 in the request's language.
pub struct RecordId(pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for RecordId {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, ApiError> {
        let lang = Lang::from_headers(&parts.headers);
        let axum::extract::Path(raw) = axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::new(AppError::NotFound, lang))?;
        parse_record_id(&raw).map(RecordId).map_err(|e| ApiError::new(e, lang))
    }
}

/// Two record ids from the path (`/teams/{id}/members/{member}`), parsed like
/// [`RecordId`]; either one not an id is "not found".
pub struct RecordIds(pub i64, pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for RecordIds {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, ApiError> {
        let lang = Lang::from_headers(&parts.headers);
        let not_found = || ApiError::new(AppError::NotFound, lang);
        let axum::extract::Path((a, b)) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state).await.map_err(|_| not_found())?;
        match (parse_record_id(&a), parse_record_id(&b)) {
            (Ok(a), Ok(b)) => Ok(RecordIds(a, b)),
            _ => Err(not_found()),
        }
    }
}

/// A JSON error response from a status, a code and a language (for errors that
/// arise before the application layer: bad JSON, oversized bodies, …).
pub fn plain_error(status: StatusCode, code: &str, lang: Lang) -> Response {
    (status, Json(json!({"error": {"code": code, "message": t(lang, code)}}))).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        log_if_internal(&self.error);
        let (status, code) = status_and_code(&self.error);
        let mut body = json!({"error": {"code": code, "message": t(self.lang, code)}});
        match &self.error {
            AppError::Validation(v) => {
                let fields: Vec<_> = v
                    .errors
                    .iter()
                    .map(|f| json!({"field": f.field, "code": f.code, "message": t(self.lang, f.code)}))
                    .collect();
                if let Some(first) = v.errors.first() {
                    body["error"]["message"] = json!(format!("{}: {}", first.field, t(self.lang, first.code)));
                }
                body["error"]["fields"] = json!(fields);
            }
            AppError::Rows(rows) => {
                body["rows"] = json!(rows_json(rows, self.lang));
            }
            AppError::Throttled(_, until) => {
                body["error"]["retry_after_ms"] = json!((until - store::clock::now_ms()).max(0));
            }
            _ => {}
        }
        let mut resp = (status, Json(body)).into_response();
        if let Some(seconds) = retry_after_seconds(&self.error) {
            resp.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(seconds));
        }
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(axum::http::header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_maps_to_one_status() {
        let cases = [
            (AppError::NotFound, 404),
            (AppError::Validation(domain::ValidationError::one("name", "org.name_empty")), 422),
            (AppError::Rows(vec![]), 422),
            (AppError::Unauthorized("auth.bad_credentials"), 401),
            (AppError::Forbidden("auth.read_only"), 403),
            (AppError::TotpEnrolmentRequired, 403),
            (AppError::Throttled("auth.locked", 0), 429),
            (AppError::Conflict("user.username_taken"), 409),
            (AppError::Unsupported("import.not_spreadsheet"), 415),
            (AppError::TooLarge, 413),
            (AppError::Internal("x".into()), 500),
        ];
        for (e, status) in cases {
            let (s, code) = status_and_code(&e);
            assert_eq!(s.as_u16(), status, "{e:?}");
            assert!(crate::shared::messages::lookup(code).is_some(), "no message for {code}");
        }
    }
}
