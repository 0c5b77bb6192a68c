//! `/`: the home page — what needs the user (the to-do list, most urgent first), then
//! the figures of the user's scope and the latest notifications.

use crate::shared::auth::Authed;
use crate::shared::i18n::Lang;
use crate::shared::page::{base_ctx, render, with, OrPage, PageResult};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use domain::Scope;
use minijinja::context;

pub(crate) async fn home(State(s): State<AppState>, lang: Lang, Authed(sess): Authed) -> PageResult {
    let d = s.app.dashboard(&sess.actor).await.or_page(&s, lang, Some(&sess))?;
    let scope_name = match &sess.actor.scope {
        Scope::Nation => "Việt Nam".to_string(),
        _ => sess.actor.unit_name.clone().unwrap_or_default(),
    };
    let notes = s.app.notifications(&sess.actor, 5).await.unwrap_or_default();
    let todo = s.app.todo(&sess.actor).await.or_page(&s, lang, Some(&sess))?;
    Ok(render(
        &s,
        "home.html",
        StatusCode::OK,
        with(base_ctx(lang, Some(&sess), "home"), context! { d, scope_name, notes, todo }),
    ))
}
