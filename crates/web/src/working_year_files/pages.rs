//! The upload forms of the directive page (its issuer), of the task page (an
//! assignee), of the registrations page (a registration's file) and of an event's page
//! (its documents and photos): a multipart form with one file, back to the page at its files, or
//! an error page with the reason (too large, not a JPEG, PNG or PDF, not allowed).

use app::working_year_files::{Target, Upload};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};

use crate::shared::auth::Authed;
use crate::shared::i18n::Lang;
use crate::shared::page::{OrPage, PageId, PageResult};
use crate::shared::uploads::first_named_file;
use crate::AppState;

async fn attach(
    s: &AppState,
    lang: Lang,
    sess: &crate::shared::auth::Session,
    target: Target,
    mut mp: axum::extract::Multipart,
    back: String,
) -> PageResult {
    let (name, ct, bytes) = first_named_file(&mut mp)
        .await
        .ok_or(app::AppError::Unsupported("evidence.type"))
        .or_page(s, lang, Some(sess))?;
    let file = Upload { filename: &name, declared_type: &ct, bytes: &bytes };
    s.app.attach_file(&sess.actor, target, &file).await.or_page(s, lang, Some(sess))?;
    Ok(Redirect::to(&back).into_response())
}

pub(crate) async fn attach_to_directive(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    mp: axum::extract::Multipart,
) -> PageResult {
    attach(&s, lang, &sess, Target::Directive(id), mp, format!("/directives/{id}#files")).await
}

pub(crate) async fn attach_to_task(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    mp: axum::extract::Multipart,
) -> PageResult {
    attach(&s, lang, &sess, Target::Task(id), mp, format!("/tasks/{id}#files")).await
}

pub(crate) async fn attach_to_registration(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    mp: axum::extract::Multipart,
) -> PageResult {
    let r = s.app.registration(&sess.actor, id).await.or_page(&s, lang, Some(&sess))?;
    let back = format!("/registrations?unit={}&year={}#reg-{id}", r.commune_code.unwrap_or_default(), r.year);
    attach(&s, lang, &sess, Target::Registration(id), mp, back).await
}

pub(crate) async fn attach_to_event(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    mp: axum::extract::Multipart,
) -> PageResult {
    attach(&s, lang, &sess, Target::Event(id), mp, format!("/events/{id}#files")).await
}
