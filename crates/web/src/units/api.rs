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
    /// The tree as of this day (YYYY-MM-DD).
    pub on: Option<String>,
}

impl UnitQuery {
    /// Turns the query into a store filter; an unknown level is a 400.
    pub fn filter(&self) -> Result<(UnitFilter, Paging), &'static str> {
        let on = match self.on.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => None,
            Some(d) => Some(domain::unit::parse_day(d).ok_or("bad_request")?),
        };
        let level = match self.level.as_deref().filter(|l| !l.is_empty()) {
            None => None,
            // Districts existed until 30/06/2025.
            Some("district") if on.is_some_and(before_reform) => None,
            Some(l) => Some(domain::Level::parse(l).ok_or("bad_request")?),
        };
        let p = Paging::new(self.page, self.size);
        Ok((
            UnitFilter {
                level,
                parent: self.parent.clone().filter(|p| !p.is_empty()),
                q: self.q.clone(),
                include_past: self.include_past.unwrap_or(false),
                on,
                limit: p.size,
                offset: p.offset(),
            },
            p,
        ))
    }
}

/// Whether a day falls before 1 July 2025, when the old units were in force.
fn before_reform(d: chrono::NaiveDate) -> bool {
    d.to_string().as_str() <= store::unit_history::LEGACY_VALID_TO
}

/// A unit in API form.
pub fn unit_json(u: &UnitRecord) -> serde_json::Value {
    json!({
        "code": u.code, "name": u.name, "level": u.level, "division_type": u.division_type,
        "parent_code": u.parent_code, "province_code": u.province_code, "commune_code": u.commune_code,
        "valid_from": u.valid_from, "valid_to": u.valid_to, "successor_code": u.successor_code,
        "retires_on": u.retires_on, "retires_into": u.retires_into, "retires_moving": u.retires_moving,
        "name_from": u.name_from, "renames_on": u.renames_on, "renames_to": u.renames_to,
    })
}

/// An old unit (before 1 July 2025) in API form.
fn legacy_json(u: &store::unit_history::LegacyUnit) -> serde_json::Value {
    json!({"code": u.code, "name": u.name, "level": u.level, "division_type": u.division_type,
        "parent_code": u.parent_code, "province_code": u.province_code, "commune_code": null, "successor_code": null, "valid_from": null,
        "valid_to": store::unit_history::LEGACY_VALID_TO, "successors": u.successors, "before_2025": true})
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Query(q): Query<UnitQuery>,
) -> Result<Json<serde_json::Value>, axum::response::Response> {
    let (f, p) = q.filter().map_err(|c| plain_error(StatusCode::BAD_REQUEST, c, lang))?;
    let err = |e| axum::response::IntoResponse::into_response(ApiError::new(e, lang));
    // A day before 1 July 2025: the tree as it stood then (provinces, districts,
    // communes before the reform), each with what it went into.
    if f.on.is_some_and(before_reform) {
        let level = q.level.as_deref().filter(|l| !l.is_empty());
        let (past, total) =
            s.app.legacy_tree(level, f.parent.as_deref(), f.q.as_deref(), f.limit, f.offset).await.map_err(err)?;
        let items: Vec<serde_json::Value> = past.iter().map(legacy_json).collect();
        return Ok(Json(json!({"items": items, "total": total, "page": p.page, "size": p.size, "on": f.on})));
    }
    let page = s.app.list_units(&f).await.map_err(err)?;
    let mut items: Vec<serde_json::Value> = page.items.iter().map(unit_json).collect();
    let mut total = page.total;
    // With the past asked for, the units before 1 July 2025 (a table of their own,
    // their codes reused by today's) follow on the first page, each with its successors.
    if let (true, Some(q), 1) = (f.include_past, f.q.as_deref(), p.page) {
        let past = s.app.legacy_units(q, 50).await.map_err(err)?;
        total += past.len() as i64;
        items.extend(past.iter().map(legacy_json));
    }
    Ok(Json(json!({"items": items, "total": total, "page": p.page, "size": p.size, "on": f.on})))
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
    // The names it bore before, with their days.
    body["former_names"] = json!(s.app.former_names(&u.code).await.api(lang)?);
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
    /// Move a commune's open records to the successor in the same step.
    #[serde(default)]
    move_records: bool,
}

pub(crate) async fn retire(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<Retire>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let r = app::unit_lifecycle::Retirement {
        valid_to: &b.valid_to,
        successor: b.successor_code.as_deref().filter(|c| !c.trim().is_empty()),
        move_records: b.move_records,
    };
    let u = s.app.retire_unit(&sess.actor, &code, &r).await.api(lang)?;
    Ok(Json(unit_json(&u)))
}

/// Query of `GET /api/v1/units/{code}/succession`.
#[derive(Deserialize)]
pub struct SuccessionQuery {
    successor: String,
}

/// What would move from a commune to its successor if it were retired now.
pub(crate) async fn succession(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path(code): Path<String>,
    Query(q): Query<SuccessionQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let m = s.app.succession_preview(&sess.actor, &code, &q.successor).await.api(lang)?;
    let mut body = json!(m);
    body["areas"] = json!(m.areas.iter().map(|(code, name)| json!({"code": code, "name": name})).collect::<Vec<_>>());
    body["total"] = json!(m.total());
    Ok(Json(body))
}

/// Body of `POST /api/v1/units/{code}/rename`.
#[derive(Deserialize)]
pub struct Rename {
    name: String,
    /// First day of the new name (YYYY-MM-DD); today when absent.
    #[serde(default)]
    valid_from: Option<String>,
}

pub(crate) async fn rename(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<Rename>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let u = s.app.rename_unit(&sess.actor, &code, &b.name, b.valid_from.as_deref().unwrap_or("")).await.api(lang)?;
    let mut body = unit_json(&u);
    body["former_names"] = json!(s.app.former_names(&u.code).await.api(lang)?);
    Ok(Json(body))
}
