//! `/api/v1/units`: public browsing; commune officers add residential areas.

use crate::shared::extract::{Path, Query};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use store::units::{UnitFilter, UnitRecord};

use crate::shared::auth::Authed;
use crate::shared::error::ApiResultExt;
use crate::shared::error::{plain_error, ApiError};
use crate::shared::extract::{ApiJson, Body};
use crate::shared::i18n::Lang;
use crate::shared::paging::Paging;
use crate::AppState;

/// Query of `GET /api/v1/units`.
#[derive(Deserialize, Default)]
pub struct UnitQuery {
    /// province | commune | area | nation
    pub level: Option<String>,
    /// Parent code.
    pub parent: Option<String>,
    /// Search text.
    pub q: Option<String>,
    /// Page (1-based).
    pub page: Option<i64>,
    /// Page size (≤ 200).
    pub size: Option<i64>,
    /// Include units no longer valid.
    pub include_past: Option<bool>,
}

impl UnitQuery {
    /// Turns the query into a store filter; an unknown level is a 400.
    pub fn filter(&self) -> Result<(UnitFilter, Paging), &'static str> {
        let level = match self.level.as_deref().filter(|l| !l.is_empty()) {
            None => None,
            Some(l) => Some(domain::Level::parse(l).ok_or("bad_request")?),
        };
        let p = Paging::new(self.page, self.size);
        Ok((
            UnitFilter {
                level,
                parent: self.parent.clone().filter(|p| !p.is_empty()),
                q: self.q.clone(),
                include_past: self.include_past.unwrap_or(false),
                limit: p.size,
                offset: p.offset(),
            },
            p,
        ))
    }
}

/// A unit in API form.
pub fn unit_json(u: &UnitRecord) -> serde_json::Value {
    json!({
        "code": u.code, "name": u.name, "level": u.level, "division_type": u.division_type,
        "parent_code": u.parent_code, "province_code": u.province_code, "commune_code": u.commune_code,
        "valid_from": u.valid_from, "valid_to": u.valid_to, "successor_code": u.successor_code,
        "retires_on": u.retires_on, "retires_into": u.retires_into,
    })
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Query(q): Query<UnitQuery>,
) -> Result<Json<serde_json::Value>, axum::response::Response> {
    let (f, p) = q.filter().map_err(|c| plain_error(StatusCode::BAD_REQUEST, c, lang))?;
    let err = |e| axum::response::IntoResponse::into_response(ApiError::new(e, lang));
    let page = s.app.list_units(&f).await.map_err(err)?;
    let mut items: Vec<serde_json::Value> = page.items.iter().map(unit_json).collect();
    let mut total = page.total;
    // With the past asked for, the units before 1 July 2025 (a table of their own,
    // their codes reused by today's) follow on the first page, each with its successors.
    if let (true, Some(q), 1) = (f.include_past, f.q.as_deref(), p.page) {
        let past = s.app.legacy_units(q, 50).await.map_err(err)?;
        total += past.len() as i64;
        items.extend(past.iter().map(|u| {
            json!({"code": u.code, "name": u.name, "level": u.level, "division_type": u.division_type,
                "parent_code": u.parent_code, "province_code": u.province_code, "commune_code": null, "successor_code": null, "valid_from": null,
                "valid_to": store::unit_history::LEGACY_VALID_TO, "successors": u.successors, "before_2025": true})
        }));
    }
    Ok(Json(json!({"items": items, "total": total, "page": p.page, "size": p.size})))
}

pub(crate) async fn get_one(
    State(s): State<AppState>,
    lang: Lang,
    Path(code): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let u = s.app.unit(&code).await.api(lang)?;
    let mut body = unit_json(&u);
    // What it came from: the units before 1 July 2025 it took in.
    body["predecessors"] = json!(s.app.predecessors(&u.code).await.api(lang)?);
    Ok(Json(body))
}

/// Body of `POST /api/v1/units`.
#[derive(Deserialize)]
pub struct NewArea {
    parent_code: String,
    name: String,
    division_type: String,
}

pub(crate) async fn create_area(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<NewArea>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let u = s.app.create_area(&sess.actor, &b.parent_code, &b.name, &b.division_type).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(unit_json(&u))))
}

pub(crate) async fn import_areas(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path(code): Path<String>,
    Body(body): Body,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let n = s.app.import_areas(&sess.actor, &code, &body).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({"imported": n}))))
}

/// Body of `POST /api/v1/units/{code}/retire`.
#[derive(Deserialize)]
pub struct Retire {
    valid_to: String,
    #[serde(default)]
    successor_code: Option<String>,
}

pub(crate) async fn retire(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<Retire>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let u = s
        .app
        .retire_unit(&sess.actor, &code, &b.valid_to, b.successor_code.as_deref().filter(|c| !c.is_empty()))
        .await
        .api(lang)?;
    Ok(Json(unit_json(&u)))
}
