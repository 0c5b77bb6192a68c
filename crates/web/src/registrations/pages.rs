//! `GET /registrations?unit=&year=`: a commune's subjects and whether each has
//! registered for the year, with a button to register the ones that have not;
//! `POST /registrations` registers one.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use minijinja::context;
use serde::Deserialize;

use super::api::RegistrationQuery;
use crate::shared::auth::{Authed, Session};
use crate::shared::extract::{PageForm, Query};
use crate::shared::i18n::Lang;
use crate::shared::page::{base_ctx, field_messages, render, with, OrPage, PageResult};
use crate::AppState;

async fn page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    q: &RegistrationQuery,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let unit = q.unit.clone().or_else(|| sess.actor.unit_code.clone()).unwrap_or_default();
    let commune = s.app.unit(&unit).await.or_page(s, lang, Some(sess))?;
    let items = s.app.commune_registrations(&sess.actor, &unit, year).await.or_page(s, lang, Some(sess))?;
    let registered = items.iter().filter(|i| i.registered_by.is_some()).count();
    let total = items.len();
    let can_write = sess.actor.role.can_write();
    let ctx = context! { items, registered, total, year, unit, commune_name => commune.name, can_write, errors };
    Ok(render(s, "registrations.html", status, with(base_ctx(lang, Some(sess), "registrations"), ctx)))
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<RegistrationQuery>,
) -> PageResult {
    page(&s, lang, &sess, &q, StatusCode::OK, vec![]).await
}

/// The register button of one subject.
#[derive(Deserialize)]
pub struct RegisterForm {
    year: i64,
    /// The commune the page shows (to come back to).
    commune: String,
    #[serde(default)]
    unit_code: Option<String>,
    #[serde(default)]
    organisation_id: Option<i64>,
}

pub(crate) async fn register(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<RegisterForm>,
) -> PageResult {
    let input = app::registrations::RegistrationInput {
        year: f.year,
        unit_code: f.unit_code.filter(|u| !u.is_empty()),
        organisation_id: f.organisation_id,
        note: None,
    };
    match s.app.register(&sess.actor, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/registrations?unit={}&year={}", f.commune, f.year)).into_response()),
        Err(e) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            let q = RegistrationQuery { year: Some(f.year), unit: Some(f.commune), ..Default::default() };
            page(&s, lang, &sess, &q, status, field_messages(lang, &e)).await
        }
    }
}
