//! Home dashboard, staff accounts and the audit log.

use crate::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::{Role, Scope};
use minijinja::{context, Value};
use serde::Deserialize;

use super::{base_ctx, error_page, field_messages, pager, render, with};
use crate::api::Paging;
use crate::auth::Authed;
use crate::extract::PageForm;
use crate::i18n::Lang;
use crate::AppState;

pub(super) async fn home(State(s): State<AppState>, lang: Lang, Authed(sess): Authed) -> Response {
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

/// Paging query.
#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<i64>,
}

pub(super) async fn users(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<PageQuery>,
) -> Response {
    let p = Paging::new(q.page, Some(50));
    match s.app.list_users(&sess.actor, p.size, p.offset()).await {
        Ok(page) => {
            let ctx = context! { items => page.items, can_manage => sess.actor.role.can_manage_users(), ..pager(page.total, p, String::new()) };
            render(&s, "users.html", StatusCode::OK, with(base_ctx(lang, Some(&sess), "users"), ctx))
        }
        Err(e) => error_page(&s, lang, Some(&sess), e),
    }
}

fn grantable(actor: &app::Actor) -> Vec<&'static str> {
    Role::ALL.into_iter().filter(|r| actor.role.may_grant(*r)).map(Role::as_str).collect()
}

pub(super) async fn new_user_form(State(s): State<AppState>, lang: Lang, Authed(sess): Authed) -> Response {
    let f = context! { unit_code => sess.actor.unit_code.clone() };
    render(
        &s,
        "user_form.html",
        StatusCode::OK,
        with(base_ctx(lang, Some(&sess), "users"), context! { f, roles => grantable(&sess.actor) }),
    )
}

/// New account form.
#[derive(Deserialize, serde::Serialize)]
pub struct UserForm {
    username: String,
    #[serde(default)]
    display_name: String,
    password: String,
    role: String,
    #[serde(default)]
    unit_code: String,
    #[serde(default)]
    organisation_id: String,
    #[serde(default)]
    email: String,
}

pub(super) async fn create_user(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<UserForm>,
) -> Response {
    let org = f.organisation_id.trim();
    let input = app::users::NewUserInput {
        username: f.username.clone(),
        display_name: Some(f.display_name.clone()),
        password: f.password.clone(),
        role: f.role.clone(),
        unit_code: Some(f.unit_code.clone()).filter(|u| !u.trim().is_empty()),
        organisation_id: if org.is_empty() { None } else { org.parse().ok().or(Some(-1)) },
        email: Some(f.email.clone()),
    };
    match s.app.create_user(Some(&sess.actor), &input).await {
        Ok(_) => Redirect::to("/users").into_response(),
        Err(e @ (app::AppError::Validation(_) | app::AppError::Conflict(_) | app::AppError::Forbidden(_))) => {
            let (status, _) = crate::error::status_and_code(&e);
            let errors = field_messages(lang, &e);
            let f = Value::from_serialize(&f);
            render(
                &s,
                "user_form.html",
                status,
                with(base_ctx(lang, Some(&sess), "users"), context! { f, errors, roles => grantable(&sess.actor) }),
            )
        }
        Err(e) => error_page(&s, lang, Some(&sess), e),
    }
}

pub(super) async fn audit(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<PageQuery>,
) -> Response {
    let p = Paging::new(q.page, Some(50));
    match s.app.list_audit(&sess.actor, p.size, p.offset()).await {
        Ok((items, total)) => render(
            &s,
            "audit.html",
            StatusCode::OK,
            with(base_ctx(lang, Some(&sess), "audit"), context! { items, ..pager(total, p, String::new()) }),
        ),
        Err(e) => error_page(&s, lang, Some(&sess), e),
    }
}
