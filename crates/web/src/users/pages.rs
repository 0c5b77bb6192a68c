//! `/users`: the staff accounts of the user's scope, and creating one.

use crate::shared::auth::Authed;
use crate::shared::extract::PageForm;
use crate::shared::extract::Query;
use crate::shared::i18n::Lang;
use crate::shared::page::{base_ctx, field_messages, render, with, OrPage, PageResult};
use crate::shared::paging::pager;
use crate::shared::paging::PageNumber;
use crate::shared::paging::Paging;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::Role;
use minijinja::{context, Value};
use serde::Deserialize;

pub(crate) async fn users(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<PageNumber>,
) -> PageResult {
    let p = Paging::new(q.page, Some(50));
    let page = s.app.list_users(&sess.actor, p.size, p.offset()).await.or_page(&s, lang, Some(&sess))?;
    let ctx = context! { items => page.items, can_manage => sess.actor.role.can_manage_users(), ..pager(page.total, p, String::new()) };
    Ok(render(&s, "users.html", StatusCode::OK, with(base_ctx(lang, Some(&sess), "users"), ctx)))
}

fn grantable(actor: &app::Actor) -> Vec<&'static str> {
    Role::ALL.into_iter().filter(|r| actor.role.may_grant(*r)).map(Role::as_str).collect()
}

pub(crate) async fn new_user_form(State(s): State<AppState>, lang: Lang, Authed(sess): Authed) -> Response {
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

pub(crate) async fn create_user(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<UserForm>,
) -> PageResult {
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
    Ok(match s.app.create_user(Some(&sess.actor), &input).await {
        Ok(_) => Redirect::to("/users").into_response(),
        Err(e @ (app::AppError::Validation(_) | app::AppError::Conflict(_) | app::AppError::Forbidden(_))) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            let errors = field_messages(lang, &e);
            let f = Value::from_serialize(&f);
            render(
                &s,
                "user_form.html",
                status,
                with(base_ctx(lang, Some(&sess), "users"), context! { f, errors, roles => grantable(&sess.actor) }),
            )
        }
        Err(e) => return Err(e).or_page(&s, lang, Some(&sess)),
    })
}
