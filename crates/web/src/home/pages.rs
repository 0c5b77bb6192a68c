//! `/`: the home page — the figures of the user's scope and the latest notifications.

use crate::shared::auth::Authed;
use crate::shared::i18n::Lang;
use crate::shared::page::{base_ctx, error_page, render, with};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::Scope;
use minijinja::context;

pub(crate) async fn home(State(s): State<AppState>, lang: Lang, Authed(sess): Authed) -> Response {
    let d = match s.app.dashboard(&sess.actor).await {
        Ok(d) => d,
        Err(e) => return error_page(&s, lang, Some(&sess), e),
    };
    let scope_name = match &sess.actor.scope {
        Scope::Nation => "Việt Nam".to_string(),
        _ => sess.actor.unit_name.clone().unwrap_or_default(),
    };
    let notes = s.app.notifications(&sess.actor, 5).await.unwrap_or_default();
    render(
        &s,
        "home.html",
        StatusCode::OK,
        with(base_ctx(lang, Some(&sess), "home"), context! { d, scope_name, notes }),
    )
}
