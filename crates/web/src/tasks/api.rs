//! `/api/v1/tasks` and `/api/v1/programme`: create a task (or a sub-task), report
//! progress, read a task's roll-up, read a unit's programme for a year.

use app::tasks::{ProgressInput, TaskInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::shared::auth::Authed;
use crate::shared::error::{ApiError, ApiResultExt, RecordId};
use crate::shared::extract::{ApiJson, Query};
use crate::shared::i18n::Lang;
use crate::AppState;

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<TaskInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = s.app.create_task(&sess.actor, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

pub(crate) async fn get_one(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<app::tasks::TaskView>, ApiError> {
    Ok(Json(s.app.task(&sess.actor, id).await.api(lang)?))
}

pub(crate) async fn progress(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<ProgressInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let report = s.app.report_progress(&sess.actor, id, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": report, "task_id": id }))))
}

/// Query of the programme: `unit` (default the caller's), `year` (default this year).
#[derive(Deserialize, Default)]
pub struct ProgrammeQuery {
    /// Unit code.
    pub unit: Option<String>,
    /// Year.
    pub year: Option<i64>,
}

pub(crate) async fn programme(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<ProgrammeQuery>,
) -> Result<Json<app::tasks::Programme>, ApiError> {
    Ok(Json(s.app.programme(&sess.actor, q.unit.as_deref(), q.year).await.api(lang)?))
}

pub(crate) async fn programme_xlsx(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<ProgrammeQuery>,
) -> axum::response::Response {
    let r = s.app.programme_xlsx(&sess.actor, q.unit.as_deref(), q.year).await;
    crate::shared::files::file_response(r, crate::shared::files::XLSX, "cong-tac-trong-tam.xlsx", false, lang)
}

pub(crate) async fn year_stats(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<ProgrammeQuery>,
) -> Result<Json<app::tasks::YearDashboard>, ApiError> {
    Ok(Json(s.app.year_dashboard(&sess.actor, q.unit.as_deref(), q.year).await.api(lang)?))
}
