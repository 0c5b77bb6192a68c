//! Server-rendered HTML pages. They work without JavaScript; htmx (embedded)
//! makes search live and navigation lighter. Every page's data is also in the API.

mod account;
mod admin;
mod assessments;
mod calendar;
mod campaigns;
mod cases;
mod criteria;
mod models;
mod movement;
mod movement_lists;
mod orgs;
mod public_cases;
mod units;

use app::AppError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use minijinja::{context, Value};

use crate::auth::Session;
use crate::i18n::{t, Lang};
use crate::AppState;

/// Page routes with the default body limit.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(admin::home))
        .route("/login", get(account::login_form).post(account::login))
        .route("/logout", post(account::logout))
        .route("/logout-everywhere", post(account::logout_everywhere))
        .route("/account", get(account::account))
        .route("/account/totp/enrol", post(account::totp_enrol))
        .route("/account/totp/confirm", post(account::totp_confirm))
        .route("/account/password", post(account::change_password))
        .route("/lang/{lang}", get(account::set_lang))
        .route("/units", get(units::list))
        .route("/units/{code}", get(units::detail))
        .route("/units/{code}/areas", post(units::create_area))
        .route("/units/{code}/key-area", post(units::key_area))
        .route("/units/{code}/criterion19", post(units::criterion19))
        .route("/organisations", get(orgs::list).post(orgs::create))
        .route("/organisations/new", get(orgs::new_form))
        .route("/organisations/export", get(orgs::export))
        .route("/organisations/import", get(orgs::import_form))
        .route("/organisations/{id}", get(orgs::detail).post(orgs::update))
        .route("/organisations/{id}/edit", get(orgs::edit_form))
        .route("/organisations/{id}/exemption", post(orgs::set_exemption))
        .route("/users", get(admin::users).post(admin::create_user))
        .route("/users/new", get(admin::new_user_form))
        .route("/audit", get(admin::audit))
        .route("/imports/{id}", get(orgs::import_job))
        .route("/movement", get(movement::dashboard))
        .route("/campaigns", get(campaigns::show).post(campaigns::save))
        .route("/key-areas", get(movement_lists::key_areas))
        .route("/criterion19", get(movement_lists::criterion19))
        .route("/criteria-sets", get(criteria::list).post(criteria::create))
        .route("/models", get(models::list).post(models::create))
        .route("/models/{id}", get(models::detail).post(models::update))
        .route("/models/{id}/evaluations", post(models::evaluate))
        .route("/assessments", get(assessments::list).post(assessments::create))
        .route("/assessments/{id}", get(assessments::detail))
        .route("/assessments/{id}/answers", post(assessments::save_answers))
        .route("/assessments/{id}/transition", post(assessments::transition))
        .route("/cases", get(cases::inbox))
        .route("/calendar", get(calendar::show).post(calendar::change))
        .route("/case-routes", get(cases::routes).post(cases::set_route))
        .route("/cases/new", get(cases::new_form).post(cases::create))
        .route("/cases/{id}", get(cases::detail).post(cases::act))
        .route("/public/cases/new", get(public_cases::form))
        .route("/public/cases/lookup", get(public_cases::lookup_form).post(public_cases::lookup))
        .route("/public/stats", get(public_cases::stats))
}

/// Page routes that accept large uploads.
pub fn upload_routes() -> Router<AppState> {
    Router::new()
        .route("/organisations/import", post(orgs::import))
        .route("/organisations/exemptions", post(orgs::import_exemptions))
        .route("/units/{code}/areas/import", post(units::import_areas))
        .route("/assessments/{id}/evidence", post(assessments::add_evidence))
        .route("/assessments/{id}/sheet", post(assessments::upload_sheet))
}

/// Citizens' public pages that accept files.
pub fn public_upload_routes() -> Router<AppState> {
    Router::new()
        .route("/public/cases", post(public_cases::submit))
        .route("/public/cases/message", post(public_cases::message))
}

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
    crate::render::page(&s.templates, name, status, ctx)
}

/// The record id of a page path with one parameter (`/…/{id}`): a value that is not
/// a number gets the error page of an unknown id (404), like the API's `RecordId`.
pub(crate) struct PageId(pub i64);

impl axum::extract::FromRequestParts<AppState> for PageId {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, s: &AppState) -> Result<Self, Response> {
        let raw = axum::extract::Path::<String>::from_request_parts(parts, s).await.map(|p| p.0).unwrap_or_default();
        crate::error::parse_record_id(&raw).map(PageId).map_err(|e| {
            let lang = Lang::from_headers(&parts.headers);
            error_page(s, lang, parts.extensions.get::<Session>(), e)
        })
    }
}

/// An application error shown as a page (or a redirect to the login page).
pub(crate) fn error_page(s: &AppState, lang: Lang, session: Option<&Session>, e: AppError) -> Response {
    crate::error::log_if_internal(&e);
    let (status, code) = crate::error::status_and_code(&e);
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
    if let Some(seconds) = crate::error::retry_after_seconds(&e) {
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

/// Pager values for a list page.
pub(crate) fn pager(total: i64, p: crate::api::Paging, query: String) -> Value {
    let pages = ((total + p.size - 1) / p.size).max(1);
    context! { total, page => p.page, pages, query }
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
        other => vec![t(lang, crate::error::status_and_code(other).1)],
    }
}

/// Encodes query pairs, skipping empty values.
pub(crate) fn query_string(pairs: &[(&str, Option<&str>)]) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            ser.append_pair(k, v);
        }
    }
    ser.finish()
}
