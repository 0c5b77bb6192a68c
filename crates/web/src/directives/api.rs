//! `/api/v1/directives`: record a directive, list them, read one with its plans,
//! record the plan one's unit owes.

use app::directives::{DirectiveInput, PlanInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use crate::shared::auth::Authed;
use crate::shared::error::{ApiError, ApiResultExt, RecordId};
use crate::shared::extract::{ApiJson, Query};
use crate::shared::i18n::Lang;
use crate::shared::paging::{PageQuery, Paging};
use crate::AppState;

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<DirectiveInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = s.app.create_directive(&sess.actor, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<PageQuery>,
) -> Result<Json<Value>, ApiError> {
    let p = Paging::new(q.page, q.size);
    let (items, total) = s.app.list_directives(&sess.actor, p.size, p.offset()).await.api(lang)?;
    Ok(Json(json!({"items": items, "total": total, "page": p.page, "size": p.size})))
}

pub(crate) async fn get_one(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<app::directives::DirectiveView>, ApiError> {
    Ok(Json(s.app.directive(&sess.actor, id).await.api(lang)?))
}

pub(crate) async fn record_plan(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<PlanInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let plan = s.app.record_plan(&sess.actor, id, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": plan, "directive_id": id }))))
}

pub(crate) async fn plans_xlsx(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> axum::response::Response {
    let r = s.app.directive_plans_xlsx(&sess.actor, id).await;
    crate::shared::files::file_response(r, crate::shared::files::XLSX, &format!("ke-hoach-{id}.xlsx"), false, lang)
}

pub(crate) async fn list_xlsx(State(s): State<AppState>, lang: Lang, Authed(sess): Authed) -> axum::response::Response {
    let r = s.app.directives_xlsx(&sess.actor).await;
    crate::shared::files::file_response(r, crate::shared::files::XLSX, "van-ban-chi-dao.xlsx", false, lang)
}
