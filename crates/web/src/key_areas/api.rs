//! `/api/v1/key-areas` and `/api/v1/criterion19`: the yearly designation of key
//! areas and the criterion-19 results per commune, and their exports.

use crate::shared::auth::Authed;
use crate::shared::error::{plain_error, ApiError, ApiResultExt};
use crate::shared::extract::ApiJson;
use crate::shared::extract::Query;
use crate::shared::i18n::Lang;
use crate::shared::paging::Paging;
use crate::AppState;
use app::key_areas::KeyAreaInput;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// Query of the key-area and criterion-19 lists: `year`, `unit`, `met`, paging.
#[derive(Deserialize, Default, Clone)]
pub struct UnitYearQuery {
    /// Year.
    pub year: Option<i64>,
    /// A unit in scope.
    pub unit: Option<String>,
    /// Criterion 19 only: `true` met, `false` not met or not reported.
    pub met: Option<String>,
    /// Page.
    pub page: Option<i64>,
    /// Page size.
    pub size: Option<i64>,
}

impl UnitYearQuery {
    /// `met` as a flag: `Some(None)` when absent, `None` for a value that is not `true`/`false`.
    pub fn met_flag(&self) -> Option<Option<bool>> {
        match self.met.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some("true") => Some(Some(true)),
            Some("false") => Some(Some(false)),
            _ => None,
        }
    }
}

pub(crate) async fn list_key_areas(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<UnitYearQuery>,
) -> Result<Json<Value>, ApiError> {
    let p = Paging::new(q.page, q.size);
    let (items, total) =
        s.app.list_key_areas(&sess.actor, q.unit.as_deref(), q.year, p.size, p.offset()).await.api(lang)?;
    Ok(Json(json!({"items": items, "total": total, "page": p.page, "size": p.size})))
}

pub(crate) async fn list_criterion19(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<UnitYearQuery>,
) -> Response {
    let p = Paging::new(q.page, q.size);
    let Some(met) = q.met_flag() else { return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang) };
    let year = q.year.unwrap_or_else(store::clock::current_year);
    match s.app.list_criterion19(&sess.actor, q.unit.as_deref(), year, met, p.size, p.offset()).await {
        Ok((items, total)) => {
            let items: Vec<Value> = items
                .iter()
                .map(|c| json!({"unit_code": c.unit_code, "unit_name": c.unit_name, "met": c.met}))
                .collect();
            Json(json!({"year": year, "items": items, "total": total, "page": p.page, "size": p.size})).into_response()
        }
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

pub(crate) async fn export_key_areas(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<UnitYearQuery>,
) -> Response {
    let r = s.app.export_key_areas_xlsx(&sess.actor, q.unit.as_deref(), q.year).await;
    crate::shared::files::file_response(r, crate::shared::files::XLSX, "dia-ban-trong-diem.xlsx", false, lang)
}

pub(crate) async fn export_criterion19(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<UnitYearQuery>,
) -> Response {
    let Some(met) = q.met_flag() else { return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang) };
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let r = s.app.export_criterion19_xlsx(&sess.actor, q.unit.as_deref(), year, met).await;
    crate::shared::files::file_response(r, crate::shared::files::XLSX, &format!("tieu-chi-19-{year}.xlsx"), false, lang)
}

pub(crate) async fn key_area(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<KeyAreaInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = s.app.key_area_decision(&sess.actor, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({"id": id, "unit_code": b.unit_code, "action": b.action}))))
}

/// Body of `PUT /api/v1/criterion19`.
#[derive(Deserialize)]
pub struct Criterion19Body {
    unit_code: String,
    year: i64,
    met: bool,
}

pub(crate) async fn criterion19(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<Criterion19Body>,
) -> Result<Json<Value>, ApiError> {
    s.app.set_criterion19(&sess.actor, &b.unit_code, b.year, b.met).await.api(lang)?;
    Ok(Json(json!({"unit_code": b.unit_code, "year": b.year, "met": b.met})))
}
