//! The proposal forms of the task and directive pages: send one up, answer one.
//! Each returns to the page it came from.

use app::proposals::{About, ProposalInput};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

use crate::shared::auth::Authed;
use crate::shared::extract::PageForm;
use crate::shared::i18n::Lang;
use crate::shared::page::{OrPage, PageId, PageResult};
use crate::AppState;

/// The proposal or answer form.
#[derive(Deserialize)]
pub struct BodyForm {
    body: String,
}

/// Where a proposal's page is.
fn back(about: About, id: Option<i64>) -> String {
    let anchor = id.map(|i| format!("#proposal-{i}")).unwrap_or_default();
    match about {
        About::Task(t) => format!("/tasks/{t}{anchor}"),
        About::Directive(d) => format!("/directives/{d}{anchor}"),
    }
}

async fn send(s: AppState, lang: Lang, sess: crate::shared::auth::Session, about: About, f: BodyForm) -> PageResult {
    let id = s.app.send_proposal(&sess.actor, about, &ProposalInput { body: f.body }).await.or_page(
        &s,
        lang,
        Some(&sess),
    )?;
    Ok(Redirect::to(&back(about, Some(id))).into_response())
}

pub(crate) async fn send_on_task(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<BodyForm>,
) -> PageResult {
    send(s, lang, sess, About::Task(id), f).await
}

pub(crate) async fn send_on_directive(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<BodyForm>,
) -> PageResult {
    send(s, lang, sess, About::Directive(id), f).await
}

pub(crate) async fn answer(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<BodyForm>,
) -> PageResult {
    let p =
        s.app.answer_proposal(&sess.actor, id, &ProposalInput { body: f.body }).await.or_page(&s, lang, Some(&sess))?;
    let about = match (p.task_id, p.directive_id) {
        (Some(t), _) => About::Task(t),
        (None, Some(d)) => About::Directive(d),
        (None, None) => return Ok(Redirect::to("/").into_response()),
    };
    Ok(Redirect::to(&back(about, Some(id))).into_response())
}
