//! `/api/v1/audit`: the audit log of the caller's scope.

use crate::shared::auth::Authed;
use crate::shared::error::ApiError;
use crate::shared::error::ApiResultExt;
use crate::shared::extract::Query;
use crate::shared::i18n::Lang;
use crate::shared::paging::PageQuery;
use crate::shared::paging::Paging;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use serde_json::json;

pub(crate) async fn audit(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<PageQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let p = Paging::new(q.page, q.size);
    let (items, total) = s.app.list_audit(&sess.actor, p.size, p.offset()).await.api(lang)?;
    Ok(Json(json!({"items": items, "total": total, "page": p.page, "size": p.size})))
}
