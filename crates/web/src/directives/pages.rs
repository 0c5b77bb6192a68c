//! `/directives` (the list and the form that records one) and `/directives/{id}`
//! (the document, its plans per unit with issued / missing / late and the share,
//! the form to record one's own plan, proposals).

use app::directives::{DirectiveInput, PlanInput};
use app::proposals::About;
use axum::extract::State;
use axum::http::StatusCode;
use domain::directive::DirectiveKind;
use minijinja::context;
use serde::Deserialize;

use crate::shared::auth::{Authed, Session};
use crate::shared::extract::{PageForm, Query};
use crate::shared::i18n::Lang;
use crate::shared::page::{after_form, base_ctx, render, with, OrPage, PageId, PageResult};
use crate::shared::paging::{pager, PageNumber, Paging};
use crate::AppState;

async fn list_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    page: Option<i64>,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let p = Paging::new(page, Some(50));
    let (items, total) = s.app.list_directives(&sess.actor, p.size, p.offset()).await.or_page(s, lang, Some(sess))?;
    let kinds: Vec<_> =
        DirectiveKind::ALL.iter().map(|k| context! { code => k.as_str(), label => k.label_vi() }).collect();
    let can_write = sess.actor.is_police_writer();
    let ctx = context! { items, kinds, can_write, errors, today => store::clock::today_iso(), ..pager(total, p, String::new()) };
    Ok(render(s, "directives.html", status, with(base_ctx(lang, Some(sess), "directives"), ctx)))
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<PageNumber>,
) -> PageResult {
    list_page(&s, lang, &sess, q.page, StatusCode::OK, vec![]).await
}

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<DirectiveInput>,
) -> PageResult {
    let r = s.app.create_directive(&sess.actor, &f).await;
    after_form(&s, lang, &sess, r, |id| format!("/directives/{id}"), |st, e| list_page(&s, lang, &sess, None, st, e))
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
    let d = s.app.directive(&sess.actor, id).await.or_page(s, lang, Some(sess))?;
    let proposals = s.app.proposals_about(&sess.actor, About::Directive(id)).await.or_page(s, lang, Some(sess))?;
    let files = s.app.directive_files(&sess.actor, id).await.or_page(s, lang, Some(sess))?;
    let own = sess.actor.unit_code.clone().unwrap_or_default();
    let can_write = sess.actor.is_police_writer();
    let may_propose = can_write && d.directive.unit_code != own;
    let kind_label = d.directive.kind.label_vi();
    let can_answer = can_write && d.directive.unit_code == own;
    let ctx = context! { d, proposals, files, own, can_write, can_answer, may_propose, kind_label, errors, today => store::clock::today_iso() };
    Ok(render(s, "directive.html", status, with(base_ctx(lang, Some(sess), "directives"), ctx)))
}

pub(crate) async fn detail(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
) -> PageResult {
    detail_page(&s, lang, &sess, id, StatusCode::OK, vec![]).await
}

/// The plan form.
#[derive(Deserialize)]
pub struct PlanForm {
    number: String,
    issued_on: String,
    title: String,
}

pub(crate) async fn record_plan(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<PlanForm>,
) -> PageResult {
    let input = PlanInput { number: f.number, issued_on: f.issued_on, title: f.title };
    let r = s.app.record_plan(&sess.actor, id, &input).await;
    after_form(&s, lang, &sess, r, |_| format!("/directives/{id}"), |st, e| detail_page(&s, lang, &sess, id, st, e))
        .await
}
