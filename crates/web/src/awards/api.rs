//! `GET /api/v1/award-types`; `POST/GET /api/v1/nominations`,
//! `GET /api/v1/nominations/{id}`, `POST /api/v1/nominations/{id}/transition`.

use app::awards::{NominationInput, NominationStep};
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

pub(crate) async fn award_types(lang: Lang) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "items": app::awards::award_types().api(lang)? })))
}

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

/// Query of the list.
#[derive(Deserialize, Default)]
pub struct NominationQuery {
    year: Option<i64>,
    award_type: Option<String>,
    page: Option<i64>,
    size: Option<i64>,
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<NominationQuery>,
) -> Result<Json<Value>, ApiError> {
    let p = Paging::new(q.page, q.size);
    let award = q.award_type.as_deref().filter(|a| !a.is_empty());
    let (items, total) = s.app.nominations(&sess.actor, q.year, award, p.size, p.offset()).await.api(lang)?;
    Ok(Json(json!({"items": items, "total": total, "page": p.page, "size": p.size})))
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
