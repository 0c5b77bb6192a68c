//! `/tasks/{id}` (a task: each assignee's progress bar and status, the caller's
//! report form, sub-task form, proposals) and `/programme` (a unit's key tasks of a
//! year, one progress bar per task, with the form that adds a task).

use app::proposals::About;
use app::tasks::{IndicatorInput, ProgressInput, TaskInput};
use axum::extract::State;
use axum::http::StatusCode;
use minijinja::context;
use serde::Deserialize;

use super::api::ProgrammeQuery;
use crate::shared::auth::{Authed, Session};
use crate::shared::extract::{PageForm, Query};
use crate::shared::i18n::Lang;
use crate::shared::page::{after_form, base_ctx, field_messages, render, with, OrPage, PageId, PageResult};
use crate::AppState;

async fn task_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    id: i64,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let v = s.app.task(&sess.actor, id).await.or_page(s, lang, Some(sess))?;
    let proposals = s.app.proposals_about(&sess.actor, About::Task(id)).await.or_page(s, lang, Some(sess))?;
    let files = s.app.task_files(&sess.actor, id).await.or_page(s, lang, Some(sess))?;
    let own = sess.actor.unit_code.clone().unwrap_or_default();
    let mine = v.assignees.iter().find(|a| a.unit_code == own).cloned();
    let can_report = sess.actor.is_police_writer() && v.caller_assigned;
    let may_split = can_report && mine.as_ref().is_some_and(|m| m.sub_task_id.is_none());
    let ctx = context! { v, proposals, files, own, mine, can_report, may_split, can_answer => sess.actor.is_police_writer() && v.task.unit_code == own, errors, today => store::clock::today_iso() };
    Ok(render(s, "task.html", status, with(base_ctx(lang, Some(sess), "programme"), ctx)))
}

pub(crate) async fn detail(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
) -> PageResult {
    task_page(&s, lang, &sess, id, StatusCode::OK, vec![]).await
}

/// The progress form.
#[derive(Deserialize)]
pub struct ProgressForm {
    percent: String,
    #[serde(default)]
    value: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

pub(crate) async fn progress(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<ProgressForm>,
) -> PageResult {
    let (Ok(percent), Ok(value)) = (f.percent.trim().parse::<i64>(), optional_number(f.value.as_deref())) else {
        let e = app::AppError::Validation(domain::ValidationError::one("percent", "task.percent_invalid"));
        return task_page(&s, lang, &sess, id, StatusCode::UNPROCESSABLE_ENTITY, field_messages(lang, &e)).await;
    };
    let input = ProgressInput { unit_code: None, percent, value, note: f.note };
    let r = s.app.report_progress(&sess.actor, id, &input).await;
    after_form(&s, lang, &sess, r, |_| format!("/tasks/{id}"), |st, e| task_page(&s, lang, &sess, id, st, e)).await
}

/// An optional number typed in a form ("" is none; a comma is a decimal mark).
fn optional_number(v: Option<&str>) -> Result<Option<f64>, ()> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v.replace(',', ".").parse::<f64>().map(Some).map_err(|_| ()),
    }
}

/// The new-task form (on the programme page, or a sub-task on a task page).
#[derive(Deserialize)]
pub struct TaskForm {
    title: String,
    due: String,
    /// Unit codes, separated by commas, spaces or line breaks.
    assignees: String,
    #[serde(default)]
    parent_id: Option<String>,
    #[serde(default)]
    indicator_name: Option<String>,
    #[serde(default)]
    indicator_target: Option<String>,
}

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<TaskForm>,
) -> PageResult {
    let parent_id = f.parent_id.as_deref().and_then(|p| p.trim().parse::<i64>().ok());
    let target = optional_number(f.indicator_target.as_deref()).ok().flatten();
    // A target left empty is 0, which the checks refuse with its own message.
    let indicator = f
        .indicator_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|name| IndicatorInput { name: name.to_string(), target: target.unwrap_or(0.0) });
    let assignees = crate::shared::extract::unit_codes(&f.assignees);
    let input = TaskInput {
        title: f.title,
        due: f.due,
        assignees,
        directive_id: None,
        parent_id,
        indicator,
        issued_on: None,
        year: None,
    };
    let r = s.app.create_task(&sess.actor, &input).await;
    let (state, session) = (&s, &sess);
    let again = |st, e| async move {
        match parent_id {
            Some(p) => task_page(state, lang, session, p, st, e).await,
            None => programme_page(state, lang, session, &ProgrammeQuery::default(), st, e).await,
        }
    };
    after_form(&s, lang, &sess, r, |id| format!("/tasks/{id}"), again).await
}

async fn programme_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    q: &ProgrammeQuery,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let p = s.app.programme(&sess.actor, q.unit.as_deref(), q.year).await.or_page(s, lang, Some(sess))?;
    // The year's figures of the unit's scope, for a unit inside the caller's scope
    // (a province reading the ministry's programme sees its tasks, not the nation's figures).
    let year_figures = match s.app.year_dashboard(&sess.actor, Some(&p.unit_code), Some(p.year)).await {
        Ok(f) => Some(f),
        Err(app::AppError::NotFound) => None,
        Err(e) => return Err(e).or_page(s, lang, Some(sess)),
    };
    let own = sess.actor.unit_code.clone().unwrap_or_default();
    let can_create = sess.actor.is_police_writer() && p.unit_code == own;
    let ctx = context! { p, year_figures, can_create, errors, today => store::clock::today_iso(), prev => p.year - 1, next => p.year + 1 };
    Ok(render(s, "programme.html", status, with(base_ctx(lang, Some(sess), "programme"), ctx)))
}

pub(crate) async fn programme(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<ProgrammeQuery>,
) -> PageResult {
    programme_page(&s, lang, &sess, &q, StatusCode::OK, vec![]).await
}
