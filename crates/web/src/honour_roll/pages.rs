//! `/vinh-danh?year=`: the public honour roll, by province.

use axum::extract::State;
use axum::http::StatusCode;
use minijinja::context;

use super::api::YearQuery;
use crate::shared::extract::Query;
use crate::shared::i18n::Lang;
use crate::shared::page::{base_ctx, render, with, OrPage, PageResult};
use crate::AppState;

pub(crate) async fn roll(State(s): State<AppState>, lang: Lang, Query(q): Query<YearQuery>) -> PageResult {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let provinces = s.app.honour_roll(year).await.or_page(&s, lang, None)?;
    let ctx = context! { year, provinces };
    Ok(render(&s, "honour_roll.html", StatusCode::OK, with(base_ctx(lang, None, "public"), ctx)))
}
