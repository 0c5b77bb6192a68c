//! `/api/v1/registrations`: register a subject for a year; list the registrations
//! in scope; a commune's progress (who has and has not registered).

use app::registrations::RegistrationInput;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::shared::auth::Authed;
use crate::shared::error::{ApiError, ApiResultExt};
use crate::shared::extract::{ApiJson, Query};
use crate::shared::i18n::Lang;
use crate::shared::paging::Paging;
use crate::AppState;

/// Query of the registration lists: `year` (default this year), `unit`, paging.
#[derive(Deserialize, Default, Clone)]
pub struct RegistrationQuery {
    /// Year.
    pub year: Option<i64>,
    /// A unit in scope (a commune or province code).
    pub unit: Option<String>,
    /// Page.
    pub page: Option<i64>,
    /// Page size.
    pub size: Option<i64>,
}

pub(crate) async fn register(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<RegistrationInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let r = s.app.register(&sess.actor, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!(r))))
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<RegistrationQuery>,
) -> Result<Json<Value>, ApiError> {
    let p = Paging::new(q.page, q.size);
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let (items, total) =
        s.app.registrations(&sess.actor, year, q.unit.as_deref(), p.size, p.offset()).await.api(lang)?;
    Ok(Json(json!({"year": year, "items": items, "total": total, "page": p.page, "size": p.size})))
}

pub(crate) async fn progress(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<RegistrationQuery>,
) -> Result<Json<Value>, ApiError> {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let unit = q.unit.clone().or_else(|| sess.actor.unit_code.clone()).unwrap_or_default();
    let items = s.app.commune_registrations(&sess.actor, &unit, year).await.api(lang)?;
    let registered = items.iter().filter(|i| i.registered_by.is_some()).count();
    Ok(Json(json!({"year": year, "unit": unit, "registered": registered, "total": items.len(), "items": items})))
}
