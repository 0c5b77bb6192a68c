//! Body extractors that answer bad input in the one error shape: malformed JSON
//! (400), wrong types (422), wrong content type (415), oversized bodies (413).

use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::shared::error::plain_error;
use crate::shared::i18n::Lang;

/// JSON body with translated errors.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_headers(req.headers());
        let value = match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => v,
            Err(rej) => return Err(json_rejection(&rej, lang)),
        };
        if let Some(field) = control_in_json(&value, "") {
            return Err(control_rejection(&field, lang));
        }
        match serde_json::from_value::<T>(value) {
            Ok(v) => Ok(ApiJson(v)),
            Err(e) => {
                let body = serde_json::json!({"error": {"code": "json_type", "message": crate::shared::i18n::t(lang, "json_type"), "detail": e.to_string()}});
                Err((StatusCode::UNPROCESSABLE_ENTITY, axum::Json(body)).into_response())
            }
        }
    }
}

/// The first field of a JSON value (a dotted path) whose text holds a forbidden
/// control character (NUL, ESC, …; tab and line breaks are allowed here, and refused
/// in one-line fields by their own validation).
fn control_in_json(v: &serde_json::Value, at: &str) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !domain::text::is_clean_text(s) => Some(at.to_string()),
        serde_json::Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, x)| control_in_json(x, &format!("{at}[{i}]")))
        }
        serde_json::Value::Object(map) => map.iter().find_map(|(k, x)| {
            if !domain::text::is_clean_text(k) {
                return Some(at.to_string());
            }
            control_in_json(x, &if at.is_empty() { k.clone() } else { format!("{at}.{k}") })
        }),
        _ => None,
    }
}

/// 422 naming the field that holds a control character.
fn control_rejection(field: &str, lang: Lang) -> Response {
    let code = "text.control_characters";
    let message = crate::shared::i18n::t(lang, code);
    let body = serde_json::json!({"error": {"code": "validation", "message": format!("{field}: {message}"),
        "fields": [{"field": field, "code": code, "message": message}]}});
    (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(body)).into_response()
}

fn json_rejection(rej: &JsonRejection, lang: Lang) -> Response {
    match rej {
        JsonRejection::JsonSyntaxError(_) => plain_error(StatusCode::BAD_REQUEST, "bad_json", lang),
        JsonRejection::JsonDataError(e) => {
            let mut r = plain_error(StatusCode::UNPROCESSABLE_ENTITY, "json_type", lang);
            // Name the offending field (serde's text, in English) next to the translated message.
            let detail = e.body_text();
            let body = serde_json::json!({"error": {"code": "json_type", "message": crate::shared::i18n::t(lang, "json_type"), "detail": detail}});
            *r.body_mut() = axum::body::Body::from(body.to_string());
            r.headers_mut().remove(axum::http::header::CONTENT_LENGTH);
            r
        }
        JsonRejection::MissingJsonContentType(_) => {
            plain_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media", lang)
        }
        JsonRejection::BytesRejection(b) if b.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            plain_error(StatusCode::PAYLOAD_TOO_LARGE, "too_large", lang)
        }
        other => plain_error(other.status(), "bad_request", lang),
    }
}

/// Urlencoded form body with translated errors.
pub struct PageForm<T>(pub T);

/// Whether a form field holds a date (the pages' date fields are named so).
fn is_date_field(name: &str) -> bool {
    ["_on", "due", "_date", "_deadline"].iter().any(|end| name.ends_with(end)) || matches!(name, "day" | "from" | "to")
}

/// The pages' date fields are typed day first ("05/12/2026", whatever the phone's
/// language); the handlers read YYYY-MM-DD. Converted here, once, for every form;
/// anything else (and a date already written YYYY-MM-DD) passes as it came.
fn day_first_dates(bytes: axum::body::Bytes) -> axum::body::Bytes {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&bytes).into_owned().collect();
    let mut changed = false;
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in &pairs {
        match domain::clock::parse_vn_date(v).filter(|_| is_date_field(k)) {
            Some(d) => {
                changed = true;
                out.append_pair(k, &domain::clock::iso(d));
            }
            None => {
                out.append_pair(k, v);
            }
        }
    }
    if changed {
        axum::body::Bytes::from(out.finish())
    } else {
        bytes
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for PageForm<T> {
    type Rejection = Response;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_headers(req.headers());
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::Bytes::from_request(Request::from_parts(parts.clone(), body), state).await {
            Ok(b) => b,
            Err(rej) if rej.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(plain_error(StatusCode::PAYLOAD_TOO_LARGE, "too_large", lang))
            }
            Err(rej) => return Err(plain_error(rej.status(), "bad_request", lang)),
        };
        if let Some((field, _)) = url::form_urlencoded::parse(&bytes).find(|(_, v)| !domain::text::is_clean_text(v)) {
            return Err(control_rejection(&field, lang));
        }
        let bytes = day_first_dates(bytes);
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(PageForm(v)),
            Err(FormRejection::BytesRejection(b)) if b.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(plain_error(StatusCode::PAYLOAD_TOO_LARGE, "too_large", lang))
            }
            Err(rej) => Err(plain_error(rej.status(), "bad_request", lang)),
        }
    }
}

/// Raw body bytes with a size limit answered as 413 in the error shape.
pub struct Body(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = Response;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_headers(req.headers());
        match axum::body::Bytes::from_request(req, state).await {
            Ok(b) => Ok(Body(b)),
            Err(rej) if rej.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(plain_error(StatusCode::PAYLOAD_TOO_LARGE, "too_large", lang))
            }
            Err(rej) => Err(rej.into_response()),
        }
    }
}

/// Whether a request is for the JSON API (errors as JSON) rather than a page.
fn wants_json(parts: &axum::http::request::Parts) -> bool {
    let p = parts.uri.path();
    p.starts_with("/api/") || p.starts_with("/open311/")
}

/// A malformed query string or path: 400 in the error shape of the API, or the
/// error page of a page.
fn bad_input(parts: &axum::http::request::Parts, s: &crate::AppState, code: &'static str) -> Response {
    let lang = Lang::from_headers(&parts.headers);
    if wants_json(parts) {
        plain_error(StatusCode::BAD_REQUEST, code, lang)
    } else {
        crate::shared::page::bad_request_page(s, lang, parts.extensions.get::<crate::shared::auth::Session>(), code)
    }
}

/// Query string with translated errors (`?year=x` is 400 `bad_query`, as JSON on the
/// API and as the error page on pages), in place of axum's plain-text rejection.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> axum::extract::FromRequestParts<crate::AppState> for Query<T> {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        s: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, s).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(_) => Err(bad_input(parts, s, "bad_query")),
        }
    }
}

/// Path parameters with translated errors (a segment that does not decode or parse
/// is 400 `bad_path`, as JSON or as the error page).
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send> axum::extract::FromRequestParts<crate::AppState> for Path<T> {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        s: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, s).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(_) => Err(bad_input(parts, s, "bad_path")),
        }
    }
}

/// Unit codes typed in one form field, separated by commas, spaces or line breaks.
pub fn unit_codes(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace()).filter(|c| !c.is_empty()).map(str::to_string).collect()
}
