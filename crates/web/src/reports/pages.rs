//! `/reports` (the caller's unit's reports and the form that drafts one) and
//! `/reports/{id}` (figures, the text to edit, submit; the units below and their
//! reports of the period, return with reasons or accept; DOCX and PDF links).

use app::reports::{ReportInput, ReturnInput, Section, SectionsInput};
use axum::extract::State;
use axum::http::StatusCode;
use minijinja::context;
use serde::Deserialize;

use crate::shared::auth::{Authed, Session};
use crate::shared::extract::{PageForm, Query};
use crate::shared::i18n::Lang;
use crate::shared::page::{after_form, base_ctx, render, with, OrPage, PageId, PageResult};
use crate::AppState;

/// The draft form (its directive select sends "" for none).
#[derive(Deserialize)]
pub struct DraftForm {
    template: String,
    period: String,
    #[serde(default)]
    unit_code: Option<String>,
    #[serde(default)]
    directive_id: Option<String>,
}

/// What the draft form starts with (`?template=&period=`, from the to-do list).
#[derive(Deserialize, Default)]
pub struct Prefill {
    template: Option<String>,
    period: Option<String>,
}

async fn list_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    prefill: &Prefill,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let items = s.app.own_reports(&sess.actor).await.or_page(s, lang, Some(sess))?;
    let owed = s.app.reports_owed(&sess.actor).await.or_page(s, lang, Some(sess))?;
    let can_write = sess.actor.is_police_writer();
    // The directives a five-year review may name: those the caller sees, newest first.
    let directives = if can_write {
        s.app.list_directives(&sess.actor, 100, 0).await.or_page(s, lang, Some(sess))?.0
    } else {
        Vec::new()
    };
    let year = store::clock::current_year();
    let (template, period) = (prefill.template.clone(), prefill.period.clone());
    let ctx = context! { items, owed, can_write, errors, year, template, period, directives };
    Ok(render(s, "reports.html", status, with(base_ctx(lang, Some(sess), "reports"), ctx)))
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<Prefill>,
) -> PageResult {
    list_page(&s, lang, &sess, &q, StatusCode::OK, vec![]).await
}

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<DraftForm>,
) -> PageResult {
    let input = ReportInput {
        template: f.template.clone(),
        period: f.period.clone(),
        unit_code: f.unit_code.clone(),
        // The form's select sends "" for "no directive".
        directive_id: f
            .directive_id
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| d.parse().unwrap_or(-1)),
    };
    let r = s.app.create_report(&sess.actor, &input).await;
    let prefill = Prefill { template: Some(f.template.clone()), period: Some(f.period.clone()) };
    after_form(
        &s,
        lang,
        &sess,
        r,
        |(id, _)| format!("/reports/{id}"),
        |st, e| list_page(&s, lang, &sess, &prefill, st, e),
    )
    .await
}

async fn detail_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    id: i64,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let v = s.app.report(&sess.actor, id).await.or_page(s, lang, Some(sess))?;
    let own = sess.actor.unit_code.clone().unwrap_or_default();
    let mine = sess.actor.is_police_writer() && v.record.unit_code == own;
    // Returned or accepted by the level above: not one's own, and waiting there.
    let may_return =
        sess.actor.is_police_writer() && !mine && v.record.status == domain::report::ReportStatus::Submitted;
    let editable = mine && matches!(v.record.status.as_str(), "draft" | "returned");
    let ctx = context! { v, mine, editable, may_return, errors };
    Ok(render(s, "report.html", status, with(base_ctx(lang, Some(sess), "reports"), ctx)))
}

pub(crate) async fn detail(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
) -> PageResult {
    detail_page(&s, lang, &sess, id, StatusCode::OK, vec![]).await
}

/// The text form: one heading and text field per section, in order.
#[derive(Deserialize)]
pub struct TextForm {
    #[serde(default)]
    heading: Vec<String>,
    #[serde(default)]
    text: Vec<String>,
}

async fn after(s: &AppState, lang: Lang, sess: &Session, id: i64, r: Result<(), app::AppError>) -> PageResult {
    after_form(s, lang, sess, r, |_| format!("/reports/{id}"), |st, e| detail_page(s, lang, sess, id, st, e)).await
}

pub(crate) async fn edit(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    body: axum::body::Bytes,
) -> PageResult {
    // Repeated fields (heading=…&text=…) in order; serde_urlencoded cannot gather them.
    let mut form = TextForm { heading: Vec::new(), text: Vec::new() };
    for (k, v) in url::form_urlencoded::parse(&body) {
        match k.as_ref() {
            "heading" => form.heading.push(v.into_owned()),
            "text" => form.text.push(v.into_owned()),
            _ => {}
        }
    }
    let sections = form.heading.into_iter().zip(form.text).map(|(heading, text)| Section { heading, text }).collect();
    let r = s.app.edit_report(&sess.actor, id, &SectionsInput { sections }).await;
    after(&s, lang, &sess, id, r).await
}

pub(crate) async fn submit(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
) -> PageResult {
    let r = s.app.submit_report(&sess.actor, id).await;
    after(&s, lang, &sess, id, r).await
}

pub(crate) async fn accept(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
) -> PageResult {
    let r = s.app.accept_report(&sess.actor, id).await;
    after(&s, lang, &sess, id, r).await
}

pub(crate) async fn give_back(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<ReturnInput>,
) -> PageResult {
    let r = s.app.return_report(&sess.actor, id, &f).await;
    after(&s, lang, &sess, id, r).await
}
