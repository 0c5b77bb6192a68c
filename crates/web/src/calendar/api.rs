//! `/api/v1/calendar/…`: holidays, working-day arithmetic, statutory deadlines and
//! the ministry's calendar entries (days off and make-up days).

use crate::shared::auth::Authed;
use crate::shared::error::{ApiError, ApiResultExt};
use crate::shared::extract::ApiJson;
use crate::shared::extract::{Path, Query};
use crate::shared::i18n::Lang;
use crate::AppState;
use app::calendar::CalendarEntryInput;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// `?year=`
#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

pub(crate) async fn holidays(State(s): State<AppState>, lang: Lang, Query(q): Query<YearQuery>) -> Response {
    let Some(year) = q.year.as_deref().and_then(|y| y.trim().parse::<i32>().ok()) else {
        return ApiError::new(domain::ValidationError::one("year", "calendar.year_invalid").into(), lang)
            .into_response();
    };
    match s.app.holidays(year).await {
        Ok(items) => {
            let items: Vec<Value> = items
                .into_iter()
                .map(|h| {
                    json!({"date": h.date.format("%Y-%m-%d").to_string(),
                    "name": if lang == Lang::En { h.name_en.clone() } else { h.name_vi.clone() },
                    "name_vi": h.name_vi, "name_en": h.name_en, "kind": h.kind})
                })
                .collect();
            Json(json!({"items": items})).into_response()
        }
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

/// `?from=&days=`
#[derive(Deserialize)]
pub struct AddDaysQuery {
    from: Option<String>,
    days: Option<String>,
}

pub(crate) async fn add_working_days(
    State(s): State<AppState>,
    lang: Lang,
    Query(q): Query<AddDaysQuery>,
) -> Result<Json<Value>, ApiError> {
    let days = q.days.as_deref().and_then(|d| d.trim().parse::<i64>().ok()).unwrap_or(-1);
    let d = s.app.add_working_days(q.from.as_deref().unwrap_or(""), days).await.api(lang)?;
    Ok(Json(json!({"date": d.format("%Y-%m-%d").to_string()})))
}

/// `?rule=&from=`
#[derive(Deserialize)]
pub struct DeadlineQuery {
    rule: Option<String>,
    from: Option<String>,
}

pub(crate) async fn deadline(
    State(s): State<AppState>,
    lang: Lang,
    Query(q): Query<DeadlineQuery>,
) -> Result<Json<Value>, ApiError> {
    let (due, rule, version) =
        s.app.statutory_deadline(q.rule.as_deref().unwrap_or(""), q.from.as_deref().unwrap_or("")).await.api(lang)?;
    // The version in force on the day received: its period, source and first day.
    Ok(Json(json!({"due": due.format("%Y-%m-%d").to_string(), "rule": rule.id(), "source": version.source,
        "period": version.period, "in_force_from": version.from.format("%Y-%m-%d").to_string(), "to_confirm": version.to_confirm,
        "description": if lang == Lang::En { rule.description_en() } else { rule.description_vi() }})))
}

/// `GET /api/v1/calendar/rules`: every version of every rule, with the day it took effect.
pub(crate) async fn rule_versions(State(s): State<AppState>, lang: Lang) -> Result<Json<Value>, ApiError> {
    let items: Vec<Value> = s
        .app
        .rule_versions()
        .await
        .api(lang)?
        .into_iter()
        .map(|v| json!({"rule": v.rule.id(), "in_force_from": v.from.format("%Y-%m-%d").to_string(), "period": v.period, "source": v.source, "to_confirm": v.to_confirm}))
        .collect();
    Ok(Json(json!({ "items": items })))
}

/// `POST /api/v1/calendar/rules`: a new version of a rule (ministry, administrator).
pub(crate) async fn add_rule_version(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(input): ApiJson<app::deadline_rules::RuleVersionInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let v = s.app.add_rule_version(&sess.actor, &input).await.api(lang)?;
    Ok((
        StatusCode::CREATED,
        Json(
            json!({"rule": v.rule.id(), "in_force_from": v.from.format("%Y-%m-%d").to_string(), "period": v.period, "source": v.source, "to_confirm": v.to_confirm}),
        ),
    ))
}

pub(crate) async fn calendar_entries(
    State(s): State<AppState>,
    lang: Lang,
    Authed(_sess): Authed,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({"items": s.app.calendar_entries().await.api(lang)?})))
}

pub(crate) async fn set_calendar_entry(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(input): ApiJson<CalendarEntryInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    s.app.set_calendar_entry(&sess.actor, &input).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({"ok": true}))))
}

pub(crate) async fn delete_calendar_entry(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path(day): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.app.delete_calendar_entry(&sess.actor, &day).await.api(lang)?;
    Ok(StatusCode::NO_CONTENT)
}
