//! A unit's page forms for its life through time: rename (from a day, the old name
//! kept), and retire into a successor with a preview of the open records that move.

use crate::shared::auth::Authed;
use crate::shared::extract::{PageForm, Path};
use crate::shared::i18n::Lang;
use crate::shared::page::{base_ctx, field_messages, render, with, OrPage, PageResult};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use minijinja::context;
use serde::Deserialize;

/// A day typed on a form, the Vietnamese way ("05/12/2026") or ISO; blank stays blank
/// and anything else goes through as typed (the use case refuses it by name).
fn form_day(s: &str) -> String {
    domain::clock::parse_vn_date(s).map(domain::clock::iso).unwrap_or_else(|| s.trim().to_string())
}

/// Rename form.
#[derive(Deserialize)]
pub struct RenameForm {
    name: String,
    #[serde(default)]
    valid_from: String,
}

pub(crate) async fn rename(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path(code): Path<String>,
    PageForm(f): PageForm<RenameForm>,
) -> PageResult {
    match s.app.rename_unit(&sess.actor, &code, &f.name, &form_day(&f.valid_from)).await {
        Ok(_) => Ok(Redirect::to(&format!("/units/{code}")).into_response()),
        Err(e @ (app::AppError::Validation(_) | app::AppError::Forbidden(_))) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            let msg = field_messages(lang, &e).join(" ");
            super::pages::detail_page(&s, lang, Some(&sess), &code, None, status, Some(msg)).await
        }
        Err(e) => Err(e).or_page(&s, lang, Some(&sess)),
    }
}

/// Retirement form (and its query, when the preview is asked for).
#[derive(Deserialize, Default)]
pub struct RetireForm {
    #[serde(default)]
    valid_to: String,
    #[serde(default)]
    successor: String,
    #[serde(default)]
    move_records: Option<String>,
    /// Only show what would move.
    #[serde(default)]
    preview: Option<String>,
}

/// The retirement page: the form (the preview is a POST of the same form).
pub(crate) async fn retire_page(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path(code): Path<String>,
) -> PageResult {
    show(&s, lang, &sess, &code, &RetireForm::default(), StatusCode::OK, None).await
}

async fn show(
    s: &AppState,
    lang: Lang,
    sess: &crate::shared::auth::Session,
    code: &str,
    f: &RetireForm,
    status: StatusCode,
    error: Option<String>,
) -> PageResult {
    let u = s.app.unit(code).await.or_page(s, lang, Some(sess))?;
    if !sess.actor.scope.contains(&u.place()) {
        return Err(app::AppError::NotFound).or_page(s, lang, Some(sess));
    }
    if !domain::unit::may_change(sess.actor.role, u.level) {
        return Err(app::AppError::Forbidden("auth.not_allowed")).or_page(s, lang, Some(sess));
    }
    let mut error = error;
    let mut preview = None;
    let mut successor = None;
    if !f.successor.trim().is_empty() {
        match s.app.unit_by_text(&f.successor, &[u.level], "successor_code").await {
            Ok(succ) if u.level == domain::Level::Commune => {
                match s.app.succession_preview(&sess.actor, &u.code, &succ.code).await {
                    Ok(p) => preview = Some(p),
                    Err(e) => error = Some(field_messages(lang, &e).join(" ")),
                }
                successor = Some(succ);
            }
            Ok(succ) => successor = Some(succ),
            Err(e) => error = Some(field_messages(lang, &e).join(" ")),
        }
    }
    let total = preview.as_ref().map(store::unit_succession::Succession::total);
    let ctx = context! {
        u, successor, preview, total, error,
        valid_to => f.valid_to.clone(), successor_text => f.successor.clone(), move_records => f.move_records.is_some(),
        today => store::clock::today_iso(),
    };
    Ok(render(s, "unit_retire.html", status, with(base_ctx(lang, Some(sess), "units"), ctx)))
}

pub(crate) async fn retire(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path(code): Path<String>,
    PageForm(f): PageForm<RetireForm>,
) -> PageResult {
    if f.preview.is_some() {
        return show(&s, lang, &sess, &code, &f, StatusCode::OK, None).await;
    }
    let levels = match s.app.unit(&code).await {
        Ok(u) => vec![u.level],
        Err(e) => return Err(e).or_page(&s, lang, Some(&sess)),
    };
    let successor = if f.successor.trim().is_empty() {
        None
    } else {
        match s.app.unit_by_text(&f.successor, &levels, "successor_code").await {
            Ok(u) => Some(u.code),
            Err(e) => {
                let (status, _) = crate::shared::error::status_and_code(&e);
                let msg = field_messages(lang, &e).join(" ");
                return show(&s, lang, &sess, &code, &f, status, Some(msg)).await;
            }
        }
    };
    let r = app::unit_lifecycle::Retirement {
        valid_to: &form_day(&f.valid_to),
        successor: successor.as_deref(),
        move_records: f.move_records.is_some(),
    };
    match s.app.retire_unit(&sess.actor, &code, &r).await {
        Ok(_) => Ok(Redirect::to(&format!("/units/{code}")).into_response()),
        Err(e @ app::AppError::Validation(_)) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            let msg = field_messages(lang, &e).join(" ");
            show(&s, lang, &sess, &code, &f, status, Some(msg)).await
        }
        Err(e) => Err(e).or_page(&s, lang, Some(&sess)),
    }
}
