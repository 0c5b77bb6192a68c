//! `GET /api/v1/award-types?year=`: the catalogue in force for a year (default this
//! year); `PUT /api/v1/award-types` `{"year","items"}`: the ministry publishes the
//! version of a year.

use axum::extract::State;
use axum::Json;
use domain::awards::AwardType;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::shared::auth::Authed;
use crate::shared::error::{ApiError, ApiResultExt};
use crate::shared::extract::{ApiJson, Query};
use crate::shared::i18n::Lang;
use crate::AppState;

/// Query: the year whose version is wanted.
#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i64>,
}

pub(crate) async fn in_force(
    State(s): State<AppState>,
    lang: Lang,
    Query(q): Query<YearQuery>,
) -> Result<Json<Value>, ApiError> {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let v = s.app.award_catalogue(year).await.api(lang)?;
    let versions = s.app.award_catalogue_years().await.api(lang)?;
    Ok(Json(json!({"year": year, "version": v.version, "versions": versions, "items": v.items})))
}

/// Body of the publication.
#[derive(Deserialize)]
pub struct Publication {
    year: i64,
    items: Vec<AwardType>,
}

pub(crate) async fn publish(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<Publication>,
) -> Result<Json<Value>, ApiError> {
    s.app.publish_award_catalogue(&sess.actor, b.year, &b.items).await.api(lang)?;
    let v = s.app.award_catalogue(b.year).await.api(lang)?;
    Ok(Json(json!({"year": b.year, "version": v.version, "items": v.items})))
}
