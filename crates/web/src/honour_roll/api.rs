//! `GET /api/v1/public/honour-roll?year=`.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::shared::error::{ApiError, ApiResultExt};
use crate::shared::extract::Query;
use crate::shared::i18n::Lang;
use crate::AppState;

/// Query: the year (default this year).
#[derive(Deserialize, Default)]
pub struct YearQuery {
    pub(crate) year: Option<i64>,
}

pub(crate) async fn roll(
    State(s): State<AppState>,
    lang: Lang,
    Query(q): Query<YearQuery>,
) -> Result<Json<Value>, ApiError> {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    Ok(Json(json!({"year": year, "provinces": s.app.honour_roll(year).await.api(lang)?})))
}
