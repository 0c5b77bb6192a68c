//! `/audit`: the audit log of the user's scope.

use crate::shared::auth::Authed;
use crate::shared::extract::Query;
use crate::shared::i18n::Lang;
use crate::shared::page::{base_ctx, render, with, OrPage, PageResult};
use crate::shared::paging::pager;
use crate::shared::paging::PageNumber;
use crate::shared::paging::Paging;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use minijinja::context;

pub(crate) async fn audit(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<PageNumber>,
) -> PageResult {
    let p = Paging::new(q.page, Some(50));
    let (rows, total) = s.app.list_audit(&sess.actor, p.size, p.offset()).await.or_page(&s, lang, Some(&sess))?;
    let items: Vec<_> = rows.iter().map(|r| super::sentences::entry(r, lang)).collect();
    let ctx = context! { items, ..pager(total, p, String::new()) };
    Ok(render(&s, "audit.html", StatusCode::OK, with(base_ctx(lang, Some(&sess), "audit"), ctx)))
}
