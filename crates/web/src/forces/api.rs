//! `POST/GET /api/v1/teams`, `GET /api/v1/teams/{id}`, `POST /api/v1/teams/{id}/members`,
//! `POST /api/v1/teams/{id}/members/{member}/reveal-phone`,
//! `POST /api/v1/teams/{id}/equipment`, `POST /api/v1/team-ratings`,
//! `POST/GET /api/v1/trainings`, `GET /api/v1/stats/forces?year=&unit=`.

use app::forces::{EquipmentInput, MemberInput, TeamInput};
use app::team_ratings::RatingInput;
use app::trainings::TrainingInput;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::shared::auth::Authed;
use crate::shared::error::{ApiError, ApiResultExt, RecordId, RecordIds};
use crate::shared::extract::{ApiJson, Query};
use crate::shared::i18n::Lang;
use crate::shared::paging::Paging;
use crate::AppState;

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<TeamInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    Ok((StatusCode::CREATED, Json(json!(s.app.create_team(&sess.actor, &b).await.api(lang)?))))
}

/// Query of the list.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    size: Option<i64>,
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let p = Paging::new(q.page, q.size);
    let (items, total) = s.app.teams(&sess.actor, p.size, p.offset()).await.api(lang)?;
    Ok(Json(json!({"items": items, "total": total, "page": p.page, "size": p.size})))
}

pub(crate) async fn get_one(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(s.app.team_view(&sess.actor, id).await.api(lang)?)))
}

pub(crate) async fn add_member(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<MemberInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    Ok((StatusCode::CREATED, Json(json!(s.app.add_member(&sess.actor, id, &b).await.api(lang)?))))
}

/// Body of the reveal.
#[derive(Deserialize)]
pub struct Reveal {
    reason: String,
}

pub(crate) async fn reveal_phone(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordIds(id, member): RecordIds,
    ApiJson(b): ApiJson<Reveal>,
) -> Response {
    match s.app.reveal_member_phone(&sess.actor, id, member, &b.reason).await {
        Ok(phone) => Json(json!({ "phone": phone })).into_response(),
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

/// Body of a dissolution.
#[derive(Deserialize)]
pub struct Dissolution {
    on: String,
    decision: String,
}

pub(crate) async fn dissolve(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<Dissolution>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(s.app.dissolve_team(&sess.actor, id, &b.on, &b.decision).await.api(lang)?)))
}

/// Body of a member's leaving.
#[derive(Deserialize)]
pub struct Leaving {
    left_on: String,
}

pub(crate) async fn member_leaves(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordIds(id, member): RecordIds,
    ApiJson(b): ApiJson<Leaving>,
) -> Response {
    match s.app.member_leaves(&sess.actor, id, member, &b.left_on).await {
        Ok(m) => Json(json!(m)).into_response(),
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

pub(crate) async fn equipment(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<EquipmentInput>,
) -> Result<StatusCode, ApiError> {
    s.app.issue_equipment(&sess.actor, id, &b).await.api(lang)?;
    Ok(StatusCode::CREATED)
}

pub(crate) async fn rate(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<RatingInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let rated = s.app.rate_teams(&sess.actor, std::slice::from_ref(&b)).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!(rated.first()))))
}

pub(crate) async fn create_training(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<TrainingInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = s.app.create_training(&sess.actor, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

/// Query of the year's figures.
#[derive(Deserialize, Default)]
pub struct YearQuery {
    pub(crate) year: Option<i64>,
    pub(crate) unit: Option<String>,
}

pub(crate) async fn trainings(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<YearQuery>,
) -> Result<Json<Value>, ApiError> {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    Ok(Json(json!({"year": year, "items": s.app.trainings(&sess.actor, year).await.api(lang)?})))
}

pub(crate) async fn stats(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<YearQuery>,
) -> Result<Json<Value>, ApiError> {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let unit = q.unit.as_deref().filter(|u| !u.is_empty());
    let mut body = json!(s.app.forces_figures(&sess.actor, year, unit).await.api(lang)?);
    body["year"] = json!(year);
    Ok(Json(body))
}
