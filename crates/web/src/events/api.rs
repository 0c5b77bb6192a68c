//! `POST/GET /api/v1/events`, `GET /api/v1/events/{id}`,
//! `POST /api/v1/events/{id}/results`, `GET /api/v1/stats/events`.

use app::events::{EventInput, ResultsInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::shared::auth::Authed;
use crate::shared::error::{ApiError, ApiResultExt, RecordId};
use crate::shared::extract::{ApiJson, Query};
use crate::shared::i18n::Lang;
use crate::shared::paging::Paging;
use crate::AppState;

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<EventInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let ev = s.app.create_event(&sess.actor, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!(ev))))
}

pub(crate) async fn results(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<ResultsInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let receipts = s.app.report_event(&sess.actor, id, &b).await.api(lang)?;
    let cases: Vec<Value> = receipts.iter().map(|r| json!({"receipt_code": r})).collect();
    Ok((StatusCode::CREATED, Json(json!({ "cases": cases }))))
}

pub(crate) async fn get_one(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<Value>, ApiError> {
    let (ev, opinions) = s.app.event(&sess.actor, id).await.api(lang)?;
    let mut body = json!(ev);
    body["opinions"] = json!(opinions);
    Ok(Json(body))
}

/// Query of the lists and the figure.
#[derive(Deserialize, Default)]
pub struct EventQuery {
    year: Option<i64>,
    kind: Option<String>,
    unit: Option<String>,
    page: Option<i64>,
    size: Option<i64>,
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<EventQuery>,
) -> Result<Json<Value>, ApiError> {
    let p = Paging::new(q.page, q.size);
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let kind = q.kind.as_deref().filter(|k| !k.is_empty());
    let (items, total) = s.app.events(&sess.actor, year, kind, p.size, p.offset()).await.api(lang)?;
    Ok(Json(json!({"items": items, "total": total, "page": p.page, "size": p.size})))
}

pub(crate) async fn stats(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<EventQuery>,
) -> Result<Json<Value>, ApiError> {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let unit = q.unit.as_deref().filter(|u| !u.is_empty());
    let (areas, held) = s.app.ngay_hoi_coverage(&sess.actor, year, unit).await.api(lang)?;
    let rate = |held: i64, areas: i64| if areas > 0 { held as f64 / areas as f64 } else { 0.0 };
    let by_place: Vec<Value> = s
        .app
        .ngay_hoi_by_place(&sess.actor, year, unit)
        .await
        .api(lang)?
        .into_iter()
        .map(|(code, name, a, h)| json!({"code": code, "name": name, "areas": a, "held": h, "rate": rate(h, a)}))
        .collect();
    // The interface's figure as it is; one level down beside it.
    Ok(Json(
        json!({"year": year, "ngay_hoi": {"areas": areas, "held": held, "rate": rate(held, areas)}, "by_place": by_place}),
    ))
}
