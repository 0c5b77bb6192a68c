//! `POST/GET /api/v1/nominations`,
//! `GET /api/v1/nominations/{id}`, `POST /api/v1/nominations/{id}/transition`.

use app::awards::{NominationInput, NominationStep};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use store::nominations::NominationFilter;

use crate::shared::auth::Authed;
use crate::shared::error::{plain_error, ApiError, ApiResultExt, RecordId};
use crate::shared::extract::{ApiJson, Query};
use crate::shared::i18n::Lang;
use crate::shared::paging::Paging;
use crate::AppState;

pub(crate) async fn nominate(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<NominationInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (rec, eligibility) = s.app.nominate(&sess.actor, &b).await.api(lang)?;
    let mut body = json!(rec);
    body["eligibility"] = eligibility;
    Ok((StatusCode::CREATED, Json(body)))
}

/// Query of the list (the register): year, form, status, a person's name.
#[derive(Deserialize, Default)]
pub struct NominationQuery {
    pub(crate) year: Option<i64>,
    pub(crate) award_type: Option<String>,
    pub(crate) status: Option<String>,
    pub(crate) q: Option<String>,
    /// A unit: its awards and those under it.
    pub(crate) unit: Option<String>,
    pub(crate) page: Option<i64>,
    pub(crate) size: Option<i64>,
}

impl NominationQuery {
    /// The store's filter; an unknown status is a 400.
    pub(crate) fn filter(&self) -> Result<NominationFilter, &'static str> {
        let status = match self.status.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(domain::awards::NominationStatus::parse(s).ok_or("bad_request")?),
        };
        Ok(NominationFilter {
            year: self.year,
            award_type: self.award_type.clone().filter(|a| !a.is_empty()),
            status,
            q: self.q.clone().filter(|q| !q.trim().is_empty()),
            unit: self.unit.clone().map(|u| u.trim().to_string()).filter(|u| !u.is_empty()),
        })
    }
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<NominationQuery>,
) -> Result<Json<Value>, axum::response::Response> {
    let f = q.filter().map_err(|c| plain_error(StatusCode::BAD_REQUEST, c, lang))?;
    let p = Paging::new(q.page, q.size);
    let (items, total) = s
        .app
        .nominations(&sess.actor, &f, p.size, p.offset())
        .await
        .map_err(|e| axum::response::IntoResponse::into_response(ApiError::new(e, lang)))?;
    Ok(Json(json!({"items": items, "total": total, "page": p.page, "size": p.size})))
}

/// Query of the register's export.
#[derive(Deserialize, Default)]
pub struct RegisterQuery {
    year: Option<i64>,
}

/// `GET /api/v1/nominations/register.xlsx?year=`: the awards decided in scope.
pub(crate) async fn register_xlsx(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<RegisterQuery>,
) -> axum::response::Response {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let r = s.app.award_register_xlsx(&sess.actor, year).await;
    crate::shared::files::file_response(
        r,
        crate::shared::files::XLSX,
        &format!("so-khen-thuong-{year}.xlsx"),
        false,
        lang,
    )
}

pub(crate) async fn get_one(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(s.app.nomination(&sess.actor, id).await.api(lang)?)))
}

pub(crate) async fn transition(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<NominationStep>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(s.app.nomination_step(&sess.actor, id, &b).await.api(lang)?)))
}
