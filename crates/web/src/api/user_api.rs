//! `/api/v1/users` and `/api/v1/audit`.

use crate::extract::Query;
use app::users::NewUserInput;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::Paging;
use crate::auth::Authed;
use crate::error::ApiError;
use crate::error::ApiResultExt;
use crate::extract::ApiJson;
use crate::i18n::Lang;
use crate::AppState;

/// Paging query.
#[derive(Deserialize, Default)]
pub struct PageQuery {
    /// Page.
    pub page: Option<i64>,
    /// Size.
    pub size: Option<i64>,
}

pub(super) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<PageQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let p = Paging::new(q.page, q.size);
    let page = s.app.list_users(&sess.actor, p.size, p.offset()).await.api(lang)?;
    Ok(Json(json!({"items": page.items, "total": page.total, "page": p.page, "size": p.size})))
}

pub(super) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<NewUserInput>,
) -> Result<(StatusCode, Json<store::users::UserRecord>), ApiError> {
    let u = s.app.create_user(Some(&sess.actor), &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(u)))
}

pub(super) async fn audit(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<PageQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let p = Paging::new(q.page, q.size);
    let (items, total) = s.app.list_audit(&sess.actor, p.size, p.offset()).await.api(lang)?;
    Ok(Json(json!({"items": items, "total": total, "page": p.page, "size": p.size})))
}
