//! Body extractors that answer bad input in the one error shape: malformed JSON
//! (400), wrong types (422), wrong content type (415), oversized bodies (413).

use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::error::plain_error;
use crate::i18n::Lang;

/// JSON body with translated errors.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_headers(req.headers());
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rej) => Err(json_rejection(&rej, lang)),
        }
    }
}

fn json_rejection(rej: &JsonRejection, lang: Lang) -> Response {
    match rej {
        JsonRejection::JsonSyntaxError(_) => plain_error(StatusCode::BAD_REQUEST, "bad_json", lang),
        JsonRejection::JsonDataError(e) => {
            let mut r = plain_error(StatusCode::UNPROCESSABLE_ENTITY, "json_type", lang);
            // Name the offending field (serde's text, in English) next to the translated message.
            let detail = e.body_text();
            let body = serde_json::json!({"error": {"code": "json_type", "message": crate::i18n::t(lang, "json_type"), "detail": detail}});
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

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for PageForm<T> {
    type Rejection = Response;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_headers(req.headers());
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
