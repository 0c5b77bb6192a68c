//! `GET /pick/units?list=ID&q=…`: the current provinces and communes whose name
//! (diacritics ignored) or code matches, as `<datalist id="ID">`.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use domain::Level;
use minijinja::context;

use crate::shared::auth::Authed;
use crate::shared::i18n::Lang;
use crate::shared::page::{no_store, render, OrPage, PageResult};
use crate::AppState;

/// At most this many suggestions.
const SUGGESTIONS: i64 = 20;

pub(crate) async fn units(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    // The list's id, kept to letters, digits and dashes.
    let list: String = q
        .get("list")
        .map(|l| l.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(40).collect())
        .unwrap_or_default();
    // htmx sends the typed field under its own name (`unit_code`, …): take `q`,
    // else the one other value.
    let typed = q.get("q").or_else(|| q.iter().find(|(k, _)| k.as_str() != "list").map(|(_, v)| v));
    let typed = typed.map(|t| t.trim().to_string()).filter(|t| t.chars().count() >= 2);
    let mut options: Vec<(String, String)> = Vec::new();
    if let Some(text) = typed {
        let f = store::units::UnitFilter { q: Some(text), limit: SUGGESTIONS * 3, ..Default::default() };
        let page = s.app.list_units(&f).await.or_page(&s, lang, Some(&sess))?;
        let provinces = crate::shared::page::province_names(&s).await;
        for u in
            page.items.iter().filter(|u| matches!(u.level, Level::Province | Level::Commune)).take(SUGGESTIONS as usize)
        {
            let mut label = u.name.clone();
            if let Some(p) = u.province_code.as_ref().filter(|_| u.level == Level::Commune) {
                label = format!("{label} — {}", provinces.get(p).cloned().unwrap_or_default());
            }
            options.push((u.code.clone(), label));
        }
    }
    Ok(no_store(render(&s, "picker_units.html", StatusCode::OK, context! { list, options })))
}
