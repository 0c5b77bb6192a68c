//! `/audit`: the audit log of the user's scope.

use crate::shared::auth::Authed;
use crate::shared::extract::Query;
use crate::shared::i18n::Lang;
use crate::shared::page::{base_ctx, error_page, render, with};
use crate::shared::paging::pager;
use crate::shared::paging::PageNumber;
use crate::shared::paging::Paging;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;

pub(crate) async fn audit(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<PageNumber>,
) -> Response {
    let p = Paging::new(q.page, Some(50));
    match s.app.list_audit(&sess.actor, p.size, p.offset()).await {
        Ok((items, total)) => render(
            &s,
            "audit.html",
            StatusCode::OK,
            with(base_ctx(lang, Some(&sess), "audit"), context! { items, ..pager(total, p, String::new()) }),
        ),
        Err(e) => error_page(&s, lang, Some(&sess), e),
    }
}
