//! The working calendar: a year's days off (statutory, compensatory, decreed) and,
//! for administrators, the government's decisions entered as data.

use crate::shared::extract::Query;
use app::calendar::CalendarEntryInput;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use minijinja::context;
use serde::Deserialize;

use crate::shared::auth::{Authed, Session};
use crate::shared::extract::PageForm;
use crate::shared::i18n::{t, Lang};
use crate::shared::page::{base_ctx, field_messages, render, with, OrPage, PageResult};
use crate::AppState;

/// `?year=`
#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i32>,
}

async fn page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    year: i32,
    errors: Vec<String>,
    status: StatusCode,
) -> PageResult {
    let holidays = s.app.holidays(year).await.or_page(s, lang, Some(sess))?;
    let rows: Vec<_> = holidays
        .iter()
        .map(|h| {
            context! { date => h.date.format("%Y-%m-%d").to_string(), weekday => t(lang, &format!("wd.{}", chrono::Datelike::weekday(&h.date).num_days_from_monday())),
            name => if lang == Lang::En { h.name_en.clone() } else { h.name_vi.clone() }, kind => t(lang, &format!("hk.{}", match h.kind {
                domain::calendar::HolidayKind::Statutory => "statutory",
                domain::calendar::HolidayKind::Compensatory => "compensatory",
                domain::calendar::HolidayKind::Decreed => "decreed",
            })) }
        })
        .collect();
    let entries = s.app.calendar_entries().await.unwrap_or_default();
    let is_admin = sess.actor.role == domain::Role::Admin;
    let ctx = context! { year, rows, entries, is_admin, errors, prev => year - 1, next => year + 1 };
    Ok(render(s, "calendar.html", status, with(base_ctx(lang, Some(sess), "cases"), ctx)))
}

pub(crate) async fn show(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<YearQuery>,
) -> PageResult {
    let year = q.year.unwrap_or_else(|| store::clock::current_year() as i32);
    page(&s, lang, &sess, year, vec![], StatusCode::OK).await
}

/// An entry to add (`op=add`) or remove (`op=delete`).
#[derive(Deserialize)]
pub struct EntryForm {
    op: String,
    day: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name_vi: String,
    #[serde(default)]
    name_en: Option<String>,
}

pub(crate) async fn change(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<EntryForm>,
) -> PageResult {
    let year = f.day.get(..4).and_then(|y| y.parse().ok()).unwrap_or_else(|| store::clock::current_year() as i32);
    let result = if f.op == "delete" {
        s.app.delete_calendar_entry(&sess.actor, &f.day).await
    } else {
        let input = CalendarEntryInput {
            day: f.day.clone(),
            kind: f.kind.clone(),
            name_vi: f.name_vi.clone(),
            name_en: f.name_en.clone(),
        };
        s.app.set_calendar_entry(&sess.actor, &input).await
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/calendar?year={year}")).into_response()),
        Err(e) => {
            let status = crate::shared::error::status_and_code(&e).0;
            page(&s, lang, &sess, year.clamp(1901, 2099), field_messages(lang, &e), status).await
        }
    }
}
