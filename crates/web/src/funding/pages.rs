//! `/funding?year=`: the year's funding in scope — totals by category beside the
//! members' allowance due, per area and per member — the lines, the form to add one
//! and the import (all lines or none, each wrong row named).

use app::funding::FundingInput;
use app::uploads::UploadTarget;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use minijinja::context;
use serde::Deserialize;

use crate::shared::auth::{Authed, Session};
use crate::shared::extract::{PageForm, Query};
use crate::shared::i18n::Lang;
use crate::shared::page::{after_form, base_ctx, field_messages, render, with, OrPage, PageResult};
use crate::shared::uploads::first_file_typed;
use crate::AppState;

/// Query of the page.
#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i64>,
}

async fn page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    year: i64,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let totals = s.app.funding_totals(&sess.actor, year, None).await.or_page(s, lang, Some(sess))?;
    let lines = s.app.funding_lines(&sess.actor, year).await.or_page(s, lang, Some(sess))?;
    let codes = app::forces::rules().or_page(s, lang, Some(sess))?.funding;
    let can_write = sess.actor.is_police_writer();
    let ctx = context! { year, totals, lines, codes, can_write, errors, unit => sess.actor.unit_code.clone() };
    Ok(render(s, "funding.html", status, with(base_ctx(lang, Some(sess), "teams"), ctx)))
}

pub(crate) async fn show(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<YearQuery>,
) -> PageResult {
    page(&s, lang, &sess, q.year.unwrap_or_else(store::clock::current_year), StatusCode::OK, Vec::new()).await
}

/// A line as typed (amounts with the thousands' dot).
#[derive(Deserialize, Default)]
pub struct LineForm {
    #[serde(default)]
    unit_code: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    budget: String,
    #[serde(default)]
    spent: String,
}

/// An amount typed on the form; unreadable is −1, refused by name.
fn amount(s: &str) -> i64 {
    s.trim().replace(['.', ' '], "").parse().unwrap_or(-1)
}

pub(crate) async fn add(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(mut f): PageForm<LineForm>,
) -> PageResult {
    f.unit_code = s.app.unit_code_as_typed(&f.unit_code).await;
    let year: i64 = f.year.trim().parse().unwrap_or(0);
    let input = FundingInput {
        unit_code: f.unit_code,
        year,
        category: f.category,
        source: f.source,
        budget: amount(&f.budget),
        spent: amount(&f.spent),
    };
    let r = s.app.add_funding(&sess.actor, &input).await;
    after_form(
        &s,
        lang,
        &sess,
        r,
        |_| format!("/funding?year={year}"),
        |status, errors| {
            let shown = if year == 0 { store::clock::current_year() } else { year };
            page(&s, lang, &sess, shown, status, errors)
        },
    )
    .await
}

pub(crate) async fn import(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    mut mp: axum::extract::Multipart,
) -> PageResult {
    let year = store::clock::current_year();
    let result = match first_file_typed(&mut mp).await {
        Some((ct, bytes)) => {
            match crate::shared::uploads::read_upload(&s, &sess.actor, UploadTarget::Funding, &ct, bytes.into()).await {
                Ok(table) => s.app.import_funding(&sess.actor, &table).await,
                Err(e) => Err(e),
            }
        }
        None => Err(app::AppError::Unsupported("import.unsupported_type")),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/funding?year={year}")).into_response()),
        Err(e @ (app::AppError::Rows(_) | app::AppError::Validation(_))) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            page(&s, lang, &sess, year, status, field_messages(lang, &e)).await
        }
        Err(e) => Err(e).or_page(&s, lang, Some(&sess)),
    }
}
