//! Who is calling: one middleware resolves the session cookie or bearer token to an
//! [`Actor`] once per request and enforces CSRF for cookie-authenticated writes;
//! the extractors below hand the actor to handlers and refuse anonymous callers and
//! accounts that still owe TOTP enrolment.

use app::Actor;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::shared::cookies::{cookie, SESSION_COOKIE};
use crate::shared::error::plain_error;
use crate::shared::i18n::{t, Lang};
use crate::AppState;

/// The caller's session, put into request extensions by [`authenticate`].
#[derive(Clone, Debug)]
pub struct Session {
    /// The acting user.
    pub actor: Actor,
    /// The raw token (for logout).
    pub token: String,
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

pub use app::auth::tokens_match;

/// Middleware: resolves the caller and checks CSRF on cookie-authenticated writes.
pub async fn authenticate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let lang = Lang::from_headers(req.headers());
    let (bearer_token, cookie_token) = (bearer(req.headers()), cookie(req.headers(), SESSION_COOKIE));
    let via_cookie = bearer_token.is_none() && cookie_token.is_some();
    let Some(token) = bearer_token.or(cookie_token) else {
        return next.run(req).await;
    };
    // Citizens' public endpoints act for nobody: a staff cookie in the same browser
    // neither authenticates nor needs a CSRF token there.
    if via_cookie && is_public_path(req.uri().path()) && !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let actor = match state.app.authenticate(&token).await {
        Ok(a) => a,
        Err(app::AppError::Unauthorized(_)) if via_cookie => return next.run(req).await,
        Err(e) => return crate::shared::error::ApiError::new(e, lang).into_response(),
    };
    let mut req = req;
    if via_cookie && !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let (ok, rebuilt) = csrf_presented(req, &actor.csrf_token).await;
        req = match rebuilt {
            Some(r) if ok => r,
            _ => return csrf_rejection(lang),
        };
    }
    req.extensions_mut().insert(Session { actor, token });
    next.run(req).await
}

fn csrf_rejection(lang: Lang) -> Response {
    plain_error(StatusCode::FORBIDDEN, "auth.csrf", lang)
}

/// Looks for the CSRF token in the `X-CSRF-Token` header, the `csrf` query
/// parameter (multipart uploads) or the `csrf` field of a urlencoded form body.
/// Returns whether it matched and the request to pass on.
async fn csrf_presented(req: Request, expected: &str) -> (bool, Option<Request>) {
    if let Some(h) = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        let ok = tokens_match(h, expected);
        return (ok, Some(req));
    }
    if let Some(q) = req.uri().query() {
        if let Some(v) =
            url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "csrf").map(|(_, v)| v.into_owned())
        {
            let ok = tokens_match(&v, expected);
            return (ok, Some(req));
        }
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return (false, Some(req));
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 2 * 1024 * 1024).await else {
        return (false, None);
    };
    let ok = url::form_urlencoded::parse(&bytes).any(|(k, v)| k == "csrf" && tokens_match(&v, expected));
    (ok, Some(Request::from_parts(parts, Body::from(bytes))))
}

/// A logged-in user who may act (TOTP enrolled where required).
pub struct Authed(pub Session);

/// A logged-in user, even one who still owes TOTP enrolment (enrolment, logout).
pub struct AuthedPending(pub Session);

/// Why an authenticated extractor refused.
pub struct AuthRejection {
    api: bool,
    lang: Lang,
    pending: bool,
    path: String,
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        match (self.api, self.pending) {
            (true, false) => plain_error(StatusCode::UNAUTHORIZED, "auth.login_required", self.lang),
            (true, true) => plain_error(StatusCode::FORBIDDEN, "auth.totp_enrolment_required", self.lang),
            (false, false) => {
                let next: String = url::form_urlencoded::byte_serialize(self.path.as_bytes()).collect();
                Redirect::to(&format!("/login?next={next}")).into_response()
            }
            (false, true) => {
                let _ = t(self.lang, "auth.totp_enrolment_required");
                Redirect::to("/account").into_response()
            }
        }
    }
}

fn rejection(parts: &Parts, pending: bool) -> AuthRejection {
    AuthRejection {
        api: parts.uri.path().starts_with("/api/"),
        lang: Lang::from_headers(&parts.headers),
        pending,
        path: parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default(),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Authed {
    type Rejection = AuthRejection;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Session>() {
            Some(s) if s.actor.must_enrol_totp => Err(rejection(parts, true)),
            Some(s) => Ok(Authed(s.clone())),
            None => Err(rejection(parts, false)),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AuthedPending {
    type Rejection = AuthRejection;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Session>() {
            Some(s) => Ok(AuthedPending(s.clone())),
            None => Err(rejection(parts, false)),
        }
    }
}

/// The optional session (public pages that change with login).
pub struct MaybeAuthed(pub Option<Session>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeAuthed {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeAuthed(parts.extensions.get::<Session>().cloned()))
    }
}

/// Paths of the citizens' public side (no account).
pub fn is_public_path(path: &str) -> bool {
    path.starts_with("/public/") || path.starts_with("/api/v1/public/") || path.starts_with("/open311/")
}

/// Identifies the client for throttling: a keyed hash of the peer address with a
/// salt that lives only in this process's memory, so not even the in-memory
/// throttle tables hold an address, and nothing is ever written anywhere.
pub fn client_key(parts_ext: &axum::http::Extensions) -> String {
    use sha2::{Digest, Sha256};
    static SALT: std::sync::OnceLock<[u8; 16]> = std::sync::OnceLock::new();
    let salt = SALT.get_or_init(|| {
        use rand::RngCore;
        let mut s = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut s);
        s
    });
    // The address decided once per request by `client_addr` (trusted proxies).
    let ip = match parts_ext.get::<crate::shared::client_addr::ClientAddr>() {
        Some(c) => c.0.to_string(),
        None => parts_ext
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_default(),
    };
    let mut h = Sha256::new();
    h.update(salt);
    h.update(ip.as_bytes());
    hex::encode(&h.finalize()[..12])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_comparison() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abc", "abd"));
        assert!(!tokens_match("abc", "abcd"));
    }
}
