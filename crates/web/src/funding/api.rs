//! `POST/GET /api/v1/funding`, `POST /api/v1/funding/import`,
//! `GET /api/v1/stats/funding?year=&unit=`.

use app::funding::FundingInput;
use app::uploads::UploadTarget;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::shared::auth::Authed;
use crate::shared::error::{ApiError, ApiResultExt};
use crate::shared::extract::{ApiJson, Body, Query};
use crate::shared::i18n::Lang;
use crate::shared::uploads::read_upload;
use crate::AppState;

pub(crate) async fn add(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<FundingInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = s.app.add_funding(&sess.actor, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

/// Query: year, a unit in scope.
#[derive(Deserialize, Default)]
pub struct YearQuery {
    pub(crate) year: Option<i64>,
    pub(crate) unit: Option<String>,
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<YearQuery>,
) -> Result<Json<Value>, ApiError> {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    Ok(Json(json!({"year": year, "items": s.app.funding_lines(&sess.actor, year).await.api(lang)?})))
}

pub(crate) async fn import(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    headers: HeaderMap,
    Body(body): Body,
) -> Response {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let result = match read_upload(&s, &sess.actor, UploadTarget::Funding, ct, body).await {
        Ok(table) => s.app.import_funding(&sess.actor, &table).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(n) => (StatusCode::CREATED, Json(json!({ "imported": n }))).into_response(),
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

pub(crate) async fn stats(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<YearQuery>,
) -> Result<Json<Value>, ApiError> {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let unit = q.unit.as_deref().filter(|u| !u.is_empty());
    let t = s.app.funding_totals(&sess.actor, year, unit).await.api(lang)?;
    let items: Vec<Value> =
        t.by_category.iter().map(|(c, b, sp)| json!({"category": c, "budget": b, "spent": sp})).collect();
    Ok(Json(json!({"year": year, "items": items, "budget": t.budget, "spent": t.spent,
        "allowance_due": t.allowance_due, "per_area": t.per_area, "per_member": t.per_member})))
}
