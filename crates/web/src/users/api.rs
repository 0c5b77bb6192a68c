//! `/api/v1/users`: staff accounts of the caller's scope.

use crate::shared::auth::Authed;
use crate::shared::error::ApiError;
use crate::shared::error::ApiResultExt;
use crate::shared::extract::ApiJson;
use crate::shared::extract::Query;
use crate::shared::i18n::Lang;
use crate::shared::paging::PageQuery;
use crate::shared::paging::Paging;
use crate::AppState;
use app::users::NewUserInput;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::json;

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<PageQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let p = Paging::new(q.page, q.size);
    let page = s.app.list_users(&sess.actor, p.size, p.offset()).await.api(lang)?;
    Ok(Json(json!({"items": page.items, "total": page.total, "page": p.page, "size": p.size})))
}

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<NewUserInput>,
) -> Result<(StatusCode, Json<store::users::UserRecord>), ApiError> {
    let u = s.app.create_user(Some(&sess.actor), &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(u)))
}
