//! `POST /api/v1/province-criteria` (a province adds one), `GET
//! /api/v1/province-criteria?year=&province=` (the ministry sees every province's).

use app::province_criteria::ProvinceCriterionInput;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::shared::auth::Authed;
use crate::shared::error::{ApiError, ApiResultExt};
use crate::shared::extract::{ApiJson, Query};
use crate::shared::i18n::Lang;
use crate::AppState;

/// Query of the list: `year` (default this year), `province`.
#[derive(Deserialize, Default)]
pub struct ProvinceCriteriaQuery {
    /// Year.
    pub year: Option<i64>,
    /// A province code.
    pub province: Option<String>,
}

pub(crate) async fn add(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<ProvinceCriterionInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let c = s.app.add_province_criterion(&sess.actor, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!(c))))
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<ProvinceCriteriaQuery>,
) -> Result<Json<Value>, ApiError> {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let items = s.app.province_criteria(&sess.actor, year, q.province.as_deref()).await.api(lang)?;
    Ok(Json(json!({"year": year, "items": items, "total": items.len()})))
}
