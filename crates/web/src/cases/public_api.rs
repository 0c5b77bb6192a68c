//! `/api/v1/public/…` for citizens: submit a case (JSON or multipart), look it up
//! with its code and secret, write, reopen, rate; the public statistics.

use super::form::read_case_form;
use crate::shared::auth::client_key;
use crate::shared::error::{plain_error, ApiError, ApiResultExt};
use crate::shared::extract::ApiJson;
use crate::shared::i18n::Lang;
use crate::AppState;
use app::cases::CaseInput;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// Largest JSON body of a public case.
pub const PUBLIC_JSON_BYTES: usize = 64 * 1024;

/// `POST /api/v1/public/cases`: JSON (`CaseInput`) or a multipart form with files.
pub(crate) async fn submit(State(s): State<AppState>, lang: Lang, req: Request) -> Response {
    let client = client_key(req.extensions());
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("multipart/form-data"));
    let (input, uploads) = if is_multipart {
        let mp = match Multipart::from_request(req, &s).await {
            Ok(mp) => mp,
            Err(_) => return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang),
        };
        match read_case_form(mp).await {
            Ok(f) if f.honeypot => return plain_error(StatusCode::UNPROCESSABLE_ENTITY, "case.honeypot", lang),
            Ok(f) => (f.input.unwrap_or_else(empty_input), f.uploads),
            Err(e) => return ApiError::new(e, lang).into_response(),
        }
    } else {
        // A JSON case is a few KB (description at most 10,000 characters): read at
        // most PUBLIC_JSON_BYTES of it, whatever the route's upload limit allows.
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, PUBLIC_JSON_BYTES).await {
            Ok(b) => b,
            Err(_) => return plain_error(StatusCode::PAYLOAD_TOO_LARGE, "too_large", lang),
        };
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        match ApiJson::<CaseInput>::from_request(req, &s).await {
            Ok(ApiJson(i)) => (i, Vec::new()),
            Err(r) => return r,
        }
    };
    match s.app.submit_public_case(&input, &uploads, &client, "web").await {
        Ok(r) => (StatusCode::CREATED, Json(r)).into_response(),
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

fn empty_input() -> CaseInput {
    CaseInput {
        kind: String::new(),
        unit_code: String::new(),
        description: String::new(),
        anonymous: false,
        contact: None,
        address: None,
    }
}

/// Body of the public lookup and follow-up calls.
#[derive(Deserialize)]
pub struct CodeAndSecret {
    receipt_code: String,
    secret: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    rating: Option<i64>,
}

pub(crate) async fn lookup(
    State(s): State<AppState>,
    lang: Lang,
    ext: axum::http::Extensions,
    ApiJson(b): ApiJson<CodeAndSecret>,
) -> Result<Json<Value>, ApiError> {
    let v = s.app.lookup_case(&b.receipt_code, &b.secret, &client_key(&ext)).await.api(lang)?;
    Ok(Json(json!(v)))
}

pub(crate) async fn message(
    State(s): State<AppState>,
    lang: Lang,
    ext: axum::http::Extensions,
    ApiJson(b): ApiJson<CodeAndSecret>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body = b.body.unwrap_or_default();
    s.app.citizen_message(&b.receipt_code, &b.secret, &body, &[], &client_key(&ext)).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({"ok": true}))))
}

pub(crate) async fn reopen(
    State(s): State<AppState>,
    lang: Lang,
    ext: axum::http::Extensions,
    ApiJson(b): ApiJson<CodeAndSecret>,
) -> Result<Json<Value>, ApiError> {
    let reason = b.reason.unwrap_or_default();
    s.app.citizen_reopen(&b.receipt_code, &b.secret, &reason, &client_key(&ext)).await.api(lang)?;
    Ok(Json(json!({"ok": true})))
}

pub(crate) async fn rate(
    State(s): State<AppState>,
    lang: Lang,
    ext: axum::http::Extensions,
    ApiJson(b): ApiJson<CodeAndSecret>,
) -> Result<Json<Value>, ApiError> {
    s.app.citizen_rate(&b.receipt_code, &b.secret, b.rating.unwrap_or(0), &client_key(&ext)).await.api(lang)?;
    Ok(Json(json!({"ok": true})))
}

pub(crate) async fn public_stats(State(s): State<AppState>, lang: Lang) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(s.app.public_case_stats().await.api(lang)?)))
}
