//! `POST/GET /api/v1/dan-van-kheo`, `POST /api/v1/dan-van-kheo/{id}/decision`,
//! `GET /api/v1/stats/dan-van-kheo?year=&unit=`.

use app::dan_van_kheo::{DvkDecision, DvkRegistration};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::shared::auth::Authed;
use crate::shared::error::{plain_error, ApiError, ApiResultExt, RecordId};
use crate::shared::extract::{ApiJson, Query};
use crate::shared::i18n::Lang;
use crate::shared::paging::Paging;
use crate::AppState;

pub(crate) async fn register(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<DvkRegistration>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    Ok((StatusCode::CREATED, Json(json!(s.app.register_dvk(&sess.actor, &b).await.api(lang)?))))
}

pub(crate) async fn decide(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<DvkDecision>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(s.app.decide_dvk(&sess.actor, id, &b).await.api(lang)?)))
}

/// Query of the list.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    year: Option<i64>,
    status: Option<String>,
    page: Option<i64>,
    size: Option<i64>,
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, axum::response::Response> {
    let status = match q.status.as_deref().filter(|x| !x.is_empty()) {
        None => None,
        Some(x) => Some(
            domain::dan_van_kheo::DvkStatus::parse(x)
                .ok_or_else(|| plain_error(StatusCode::BAD_REQUEST, "bad_request", lang))?,
        ),
    };
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let p = Paging::new(q.page, q.size);
    let (items, total) = s
        .app
        .dvk_entries(&sess.actor, year, status, p.size, p.offset())
        .await
        .map_err(|e| axum::response::IntoResponse::into_response(ApiError::new(e, lang)))?;
    Ok(Json(json!({"items": items, "total": total, "page": p.page, "size": p.size})))
}

/// Query of the counts.
#[derive(Deserialize, Default)]
pub struct StatsQuery {
    year: Option<i64>,
    unit: Option<String>,
}

pub(crate) async fn stats(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<StatsQuery>,
) -> Result<Json<Value>, ApiError> {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let c = s.app.dvk_counts(&sess.actor, year, q.unit.as_deref()).await.api(lang)?;
    let by_level: Vec<Value> =
        c.by_level.iter().map(|(l, r, x)| json!({"level": l, "registered": r, "recognised": x})).collect();
    let by_type: Vec<Value> = c
        .by_type
        .iter()
        .map(|(code, name, r, x)| json!({"type_code": code, "name": name, "registered": r, "recognised": x}))
        .collect();
    Ok(Json(
        json!({"year": year, "registered": c.registered, "recognised": c.recognised, "by_level": by_level, "by_type": by_type}),
    ))
}
