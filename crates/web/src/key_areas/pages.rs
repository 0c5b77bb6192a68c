//! The rows behind two dashboard figures: key-area decisions and criterion 19 per
//! commune, each filtered by year and unit, each exporting to XLSX.

use crate::shared::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use minijinja::context;

use super::api::UnitYearQuery;
use crate::shared::auth::Authed;
use crate::shared::i18n::Lang;
use crate::shared::page::{base_ctx, render, with, OrPage, PageResult};
use crate::shared::paging::Paging;
use crate::shared::paging::{pager, query_string};
use crate::AppState;

pub(crate) async fn key_areas(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<UnitYearQuery>,
) -> PageResult {
    let p = Paging::new(q.page, Some(50));
    let (items, total) = s
        .app
        .list_key_areas(&sess.actor, q.unit.as_deref(), q.year, p.size, p.offset())
        .await
        .or_page(&s, lang, Some(&sess))?;
    let y = q.year.map(|y| y.to_string());
    let qs = query_string(&[("year", y.as_deref()), ("unit", q.unit.as_deref())]);
    let ctx = context! { items, total, year => q.year, unit => q.unit, qs, ..pager(total, p, qs.clone()) };
    Ok(render(&s, "key_areas.html", StatusCode::OK, with(base_ctx(lang, Some(&sess), "movement"), ctx)))
}

pub(crate) async fn criterion19_list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<UnitYearQuery>,
) -> PageResult {
    let p = Paging::new(q.page, Some(100));
    let met = q.met_flag().flatten();
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let (items, total) = s
        .app
        .list_criterion19(&sess.actor, q.unit.as_deref(), year, met, p.size, p.offset())
        .await
        .or_page(&s, lang, Some(&sess))?;
    let y = year.to_string();
    let qs = query_string(&[("year", Some(y.as_str())), ("unit", q.unit.as_deref()), ("met", q.met.as_deref())]);
    let ctx = context! { items, total, year, unit => q.unit, met => q.met, qs, ..pager(total, p, qs.clone()) };
    Ok(render(&s, "criterion19.html", StatusCode::OK, with(base_ctx(lang, Some(&sess), "movement"), ctx)))
}
