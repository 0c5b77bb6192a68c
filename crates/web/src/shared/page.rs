//! What every HTML page shares: the base context (language, user, CSRF token),
//! rendering, the page id extractor, the error page and the page error type.

use crate::shared::auth::Session;
use crate::shared::i18n::{t, Lang};
use crate::AppState;
use app::AppError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{context, Value};

/// The context every page shares: language, the user, the CSRF token.
pub(crate) fn base_ctx(lang: Lang, session: Option<&Session>, nav: &str) -> Value {
    context! {
        lang => lang.as_str(),
        me => session.map(|s| Value::from_serialize(&s.actor)),
        csrf => session.map(|s| s.actor.csrf_token.clone()),
        nav => nav,
    }
}

/// Merges page-specific values over the shared context.
pub(crate) fn with(base: Value, extra: Value) -> Value {
    context! { ..extra, ..base }
}

/// Renders a page.
pub(crate) fn render(s: &AppState, name: &str, status: StatusCode, ctx: Value) -> Response {
    crate::shared::render::page(&s.templates, name, status, ctx)
}

/// The record id of a page path with one parameter (`/…/{id}`): a value that is not
/// a number gets the error page of an unknown id (404), like the API's `RecordId`.
pub(crate) struct PageId(pub i64);

impl axum::extract::FromRequestParts<AppState> for PageId {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, s: &AppState) -> Result<Self, Response> {
        let raw = axum::extract::Path::<String>::from_request_parts(parts, s).await.map(|p| p.0).unwrap_or_default();
        crate::shared::error::parse_record_id(&raw).map(PageId).map_err(|e| {
            let lang = Lang::from_headers(&parts.headers);
            error_page(s, lang, parts.extensions.get::<Session>(), e)
        })
    }
}

/// Two record ids from a page's path, parsed like [`PageId`].
pub(crate) struct PageIds(pub i64, pub i64);

impl axum::extract::FromRequestParts<AppState> for PageIds {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, s: &AppState) -> Result<Self, Response> {
        let (a, b) = axum::extract::Path::<(String, String)>::from_request_parts(parts, s)
            .await
            .map(|p| p.0)
            .unwrap_or_default();
        let parse = crate::shared::error::parse_record_id;
        parse(&a).and_then(|a| parse(&b).map(|b| PageIds(a, b))).map_err(|e| {
            let lang = Lang::from_headers(&parts.headers);
            error_page(s, lang, parts.extensions.get::<Session>(), e)
        })
    }
}

/// Whether an error is a refusal the user can mend on the form (the page again,
/// with its precise status and reasons), not a missing record or a failure.
pub(crate) fn refused(e: &AppError) -> bool {
    use AppError as E;
    matches!(e, E::Validation(_) | E::Conflict(_) | E::Forbidden(_) | E::TooLarge | E::Unsupported(_) | E::Rows(_))
}

/// An application error shown as a page (or a redirect to the login page).
pub(crate) fn error_page(s: &AppState, lang: Lang, session: Option<&Session>, e: AppError) -> Response {
    crate::shared::error::log_if_internal(&e);
    let (status, code) = crate::shared::error::status_and_code(&e);
    if status == StatusCode::UNAUTHORIZED {
        return Redirect::to("/login").into_response();
    }
    let message = match &e {
        AppError::Validation(v) => v.errors.iter().map(|f| t(lang, f.code)).collect::<Vec<_>>().join(" "),
        _ => t(lang, code),
    };
    let mut resp = render(
        s,
        "error.html",
        status,
        with(base_ctx(lang, session, ""), context! { status => status.as_u16(), message }),
    );
    if let Some(seconds) = crate::shared::error::retry_after_seconds(&e) {
        resp.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(seconds));
    }
    resp
}

/// The error page of a malformed request (400) with the message of `code`.
pub(crate) fn bad_request_page(s: &AppState, lang: Lang, session: Option<&Session>, code: &str) -> Response {
    let message = t(lang, code);
    render(
        s,
        "error.html",
        StatusCode::BAD_REQUEST,
        with(base_ctx(lang, session, ""), context! { status => 400, message }),
    )
}

/// A page that shows a secret or personal data: never cached.
pub(crate) fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    r
}

/// Where a form leads: to the address `to` gives when it worked; to the form's page
/// again (`again`, given the precise status and the reasons) when the user can
/// mend what was refused; to the error page otherwise (not found, server error).
pub(crate) async fn after_form<T, Fut>(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    result: Result<T, AppError>,
    to: impl FnOnce(T) -> String,
    again: impl FnOnce(StatusCode, Vec<String>) -> Fut,
) -> PageResult
where
    Fut: std::future::Future<Output = PageResult>,
{
    match result {
        Ok(v) => Ok(axum::response::Redirect::to(&to(v)).into_response()),
        Err(e) if refused(&e) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            again(status, field_messages(lang, &e)).await
        }
        Err(e) => Err(e).or_page(s, lang, Some(sess)),
    }
}

/// Translated messages of a validation error, one per field.
pub(crate) fn field_messages(lang: Lang, e: &AppError) -> Vec<String> {
    match e {
        AppError::Validation(v) => v.errors.iter().map(|f| t(lang, f.code)).collect(),
        AppError::Rows(rows) => std::iter::once(t(lang, "import.rejected"))
            .chain(rows.iter().map(|r| {
                format!(
                    "{} {}, {} {}: {}",
                    t(lang, "import.row"),
                    r.row,
                    t(lang, "import.column"),
                    r.column,
                    t(lang, &r.code)
                )
            }))
            .collect(),
        other => vec![t(lang, crate::shared::error::status_and_code(other).1)],
    }
}

/// A page that could not be made: the translated error page (or the redirect to
/// the login page), already rendered with its status. A page handler returns
/// `Result<Response, PageError>` and uses `?` like an API handler.
pub(crate) struct PageError(pub Box<Response>);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// What a page handler returns.
pub(crate) type PageResult = Result<Response, PageError>;

/// Turns an application result into a page result: the error becomes the error
/// page in the request's language, with the signed-in user's menu.
pub(crate) trait OrPage<T> {
    /// Maps the error to the rendered error page.
    fn or_page(self, s: &AppState, lang: Lang, session: Option<&Session>) -> Result<T, PageError>;
}

impl<T> OrPage<T> for Result<T, AppError> {
    fn or_page(self, s: &AppState, lang: Lang, session: Option<&Session>) -> Result<T, PageError> {
        self.map_err(|e| PageError(Box::new(error_page(s, lang, session, e))))
    }
}

/// Every province's name by code (34 rows), for lists that name a unit's province.
pub(crate) async fn province_names(s: &AppState) -> std::collections::HashMap<String, String> {
    let f = store::units::UnitFilter { level: Some(domain::Level::Province), limit: 100, ..Default::default() };
    s.app.list_units(&f).await.map(|p| p.items.into_iter().map(|u| (u.code, u.name)).collect()).unwrap_or_default()
}
