//! Criteria sets as data: every version in force or past, and for the ministry a
//! form to add a new version as TOML (the same format as `data/criteria/`).

use crate::shared::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use minijinja::context;
use serde::Deserialize;

use crate::shared::auth::{Authed, Session};
use crate::shared::extract::PageForm;
use crate::shared::i18n::{t, Lang};
use crate::shared::page::{base_ctx, render, with, OrPage, PageResult};
use crate::AppState;

/// `?template=ID`: prefill the form with that set.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    template: Option<i64>,
}

async fn page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    text: Option<String>,
    errors: Vec<String>,
    status: StatusCode,
) -> PageResult {
    let sets = s.app.criteria_sets(None, None).await.or_page(s, lang, Some(sess))?;
    let rows: Vec<_> = sets
        .iter()
        .map(|v| {
            context! { id => v.id, instrument => v.set.instrument, subject => v.set.subject, version => v.set.version.clone(),
            year => v.set.effective_from_year, title => v.set.title.clone(), verified => v.set.verified, n => v.set.criteria.len() }
        })
        .collect();
    let can_edit = matches!(sess.actor.role, domain::Role::Ministry | domain::Role::Admin);
    let ctx = context! { rows, can_edit, text, errors };
    Ok(render(s, "criteria_sets.html", status, with(base_ctx(lang, Some(sess), "movement"), ctx)))
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let text = match q.template {
        Some(id) => s
            .app
            .criteria_sets(None, None)
            .await
            .ok()
            .and_then(|sets| sets.into_iter().find(|v| v.id == id))
            .and_then(|v| toml::to_string(&v.set).ok()),
        None => None,
    };
    page(&s, lang, &sess, text, vec![], StatusCode::OK).await
}

/// The new version as TOML.
#[derive(Deserialize)]
pub struct SetForm {
    toml: String,
}

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<SetForm>,
) -> PageResult {
    let set = match app::criteria_sets::parse_set(&f.toml) {
        Ok(set) => set,
        Err(problem) => {
            let msg = format!("{}: {problem}", t(lang, "movement.set_invalid"));
            return page(&s, lang, &sess, Some(f.toml), vec![msg], StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match s.app.add_criteria_set(&sess.actor, &set).await {
        Ok(_) => Ok(Redirect::to("/criteria-sets").into_response()),
        Err(e) => {
            let status = crate::shared::error::status_and_code(&e).0;
            page(&s, lang, &sess, Some(f.toml), crate::shared::page::field_messages(lang, &e), status).await
        }
    }
}
