//! `/units`: the administrative units of the user's scope, a unit's page, and
//! residential areas (created one by one or imported).

use crate::shared::auth::{Authed, MaybeAuthed};
use crate::shared::extract::PageForm;
use crate::shared::extract::{Path, Query};
use crate::shared::i18n::{t, Lang};
use crate::shared::page::{base_ctx, render, with, OrPage, PageResult};
use crate::shared::paging::Paging;
use crate::shared::paging::{pager, query_string};
use crate::AppState;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::{AreaKind, Level};
use minijinja::context;
use serde::Deserialize;
use std::collections::HashMap;

/// Query of the unit pages.
#[derive(Deserialize, Default)]
pub struct UnitPageQuery {
    q: Option<String>,
    level: Option<String>,
    page: Option<i64>,
    /// The tree as of a day (dd/mm/yyyy or YYYY-MM-DD).
    on: Option<String>,
    /// Before 1 July 2025: the old unit whose children to list.
    parent: Option<String>,
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    MaybeAuthed(sess): MaybeAuthed,
    Query(q): Query<UnitPageQuery>,
) -> PageResult {
    let level = q.level.as_deref().and_then(Level::parse);
    let has_q = q.q.as_deref().is_some_and(|x| !x.trim().is_empty());
    // An officer below the ministry starts at their own unit (a commune officer
    // sees their commune's areas, not the 34 provinces); anyone may still browse.
    let own = sess.as_ref().and_then(|se| se.actor.unit_code.clone()).filter(|u| u != domain::unit::NATION_CODE);
    let on_text = q.on.as_deref().map(str::trim).filter(|d| !d.is_empty());
    if let (Some(own), None, false, None, None) = (own, &q.level, has_q, q.page, on_text) {
        return Ok(Redirect::to(&format!("/units/{own}")).into_response());
    }
    let on = on_text.and_then(|d| domain::clock::parse_vn_date(d).or_else(|| domain::unit::parse_day(d)));
    if on_text.is_some() && on.is_none() {
        return Err(app::AppError::from(domain::ValidationError::one("on", "unit.date_invalid_day"))).or_page(
            &s,
            lang,
            sess.as_ref(),
        );
    }
    let on_iso = on.map(domain::clock::iso);
    // A day before 1 July 2025: the tree as it stood then.
    if let Some(day) = on_iso.as_deref().filter(|d| *d <= store::unit_history::LEGACY_VALID_TO) {
        let p = Paging::new(q.page, Some(50));
        let parent = q.parent.as_deref().filter(|x| !x.is_empty());
        let (past, total) = s
            .app
            .legacy_tree(None, parent, q.q.as_deref().filter(|_| has_q), p.size, p.offset())
            .await
            .or_page(&s, lang, sess.as_ref())?;
        let query = query_string(&[("q", q.q.as_deref()), ("on", Some(day)), ("parent", parent)]);
        let ctx = context! {
            items => Vec::<store::units::UnitRecord>::new(), past, legacy_tree => true, q => q.q, on => on_iso,
            province_names => crate::shared::page::province_names(&s).await,
            ..pager(total, p, query)
        };
        return Ok(render(&s, "units.html", StatusCode::OK, with(base_ctx(lang, sess.as_ref(), "units"), ctx)));
    }
    // Without a search, the browser starts at the provinces.
    let level = if level.is_none() && !has_q { Some(Level::Province) } else { level };
    let p = Paging::new(q.page, Some(50));
    let f =
        store::units::UnitFilter { level, q: q.q.clone(), on, limit: p.size, offset: p.offset(), ..Default::default() };
    let page = s.app.list_units(&f).await.or_page(&s, lang, sess.as_ref())?;
    let query = query_string(&[("q", q.q.as_deref()), ("level", level.map(Level::as_str)), ("on", on_iso.as_deref())]);
    // A name the reports of earlier years use ("Tỉnh Tiền Giang", a huyện) finds the
    // unit before 1 July 2025 and what it went into.
    let past = match q.q.as_deref().filter(|_| has_q && p.page == 1) {
        Some(text) => s.app.legacy_units(text, 30).await.unwrap_or_default(),
        None => Vec::new(),
    };
    let ctx = context! {
        items => page.items, past, q => q.q, level => level.map(Level::as_str), on => on_iso, province_names => crate::shared::page::province_names(&s).await,
        ..pager(page.total, p, query)
    };
    Ok(render(&s, "units.html", StatusCode::OK, with(base_ctx(lang, sess.as_ref(), "units"), ctx)))
}

pub(crate) async fn detail_page(
    s: &AppState,
    lang: Lang,
    sess: Option<&crate::shared::auth::Session>,
    code: &str,
    page: Option<i64>,
    status: StatusCode,
    error: Option<String>,
) -> PageResult {
    let u = s.app.unit(code).await.or_page(s, lang, sess)?;
    let p = Paging::new(page, Some(100));
    let f = store::units::UnitFilter {
        parent: Some(u.code.clone()),
        limit: p.size,
        offset: p.offset(),
        ..Default::default()
    };
    let children = s.app.list_units(&f).await.or_page(s, lang, sess)?;
    let counts: HashMap<String, i64> = s.app.child_counts(&u.code).await.unwrap_or_default().into_iter().collect();
    let crumbs = crumbs(s, &u).await;
    let org_count = match (sess, u.level.as_str()) {
        (Some(se), "province" | "commune") => {
            let f = store::organisations::OrgFilter { unit: Some(u.code.clone()), limit: 0, ..Default::default() };
            s.app.list_organisations(&se.actor, &f).await.ok().map(|p| p.total)
        }
        _ => None,
    };
    let year = store::clock::current_year();
    let (key_areas, can_decide, c19_met) = key_area_panel(s, sess, &u, year).await;
    let can_add_area = sess.is_some_and(|se| {
        u.level == domain::Level::Commune && se.actor.role.can_write() && se.actor.scope.contains(&u.place())
    });
    let kinds: Vec<&str> = AreaKind::ALL.iter().map(|k| k.as_str()).collect();
    let predecessors = s.app.predecessors(&u.code).await.unwrap_or_default();
    let former_names = s.app.former_names(&u.code).await.unwrap_or_default();
    // Who may rename or retire it (a unit in force, in scope).
    let can_change = sess.is_some_and(|se| {
        u.valid_to.is_none()
            && se.actor.role.can_write()
            && se.actor.scope.contains(&u.place())
            && domain::unit::may_change(se.actor.role, u.level)
    });
    let ctx = context! {
        u => u, items => children.items, counts, crumbs, org_count, can_add_area, area_kinds => kinds, error, predecessors, former_names, can_change,
        key_areas, can_decide, c19_met, today => store::clock::today_iso(), year,
        ..pager(children.total, p, String::new())
    };
    Ok(render(s, "unit.html", status, with(base_ctx(lang, sess, "units"), ctx)))
}

/// The units above `u`, from the province down.
async fn crumbs(s: &AppState, u: &store::units::UnitRecord) -> Vec<store::units::UnitRecord> {
    let mut crumbs = Vec::new();
    let mut parent = u.parent_code.clone();
    while let Some(pc) = parent {
        match s.app.unit(&pc).await {
            Ok(pu) => {
                parent = pu.parent_code.clone();
                crumbs.insert(0, pu);
            }
            Err(_) => break,
        }
    }
    crumbs
}

/// A commune's key-area decisions, whether the user may decide, and this year's
/// criterion-19 record (so the form shows what is stored).
async fn key_area_panel(
    s: &AppState,
    sess: Option<&crate::shared::auth::Session>,
    u: &store::units::UnitRecord,
    year: i64,
) -> (Vec<store::key_areas::KeyAreaEvent>, bool, Option<bool>) {
    let (key_areas, can_decide) = match sess {
        Some(se) if u.level == domain::Level::Commune && se.actor.scope.contains(&u.place()) => (
            s.app.key_area_history(&se.actor, &u.code).await.unwrap_or_default(),
            matches!(se.actor.role, domain::Role::Province | domain::Role::Ministry | domain::Role::Admin),
        ),
        _ => (Vec::new(), false),
    };
    let c19_met = match sess {
        Some(se) if can_decide => s
            .app
            .list_criterion19(&se.actor, Some(&u.code), year, None, 1, 0)
            .await
            .ok()
            .and_then(|(rows, _)| rows.into_iter().next())
            .and_then(|r| r.met),
        _ => None,
    };
    (key_areas, can_decide, c19_met)
}

pub(crate) async fn detail(
    State(s): State<AppState>,
    lang: Lang,
    MaybeAuthed(sess): MaybeAuthed,
    Path(code): Path<String>,
    Query(q): Query<UnitPageQuery>,
) -> PageResult {
    detail_page(&s, lang, sess.as_ref(), &code, q.page, StatusCode::OK, None).await
}

/// Form for a new residential area.
#[derive(Deserialize)]
pub struct AreaForm {
    name: String,
    division_type: String,
}

pub(crate) async fn create_area(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path(code): Path<String>,
    PageForm(f): PageForm<AreaForm>,
) -> PageResult {
    match s.app.create_area(&sess.actor, &code, &f.name, &f.division_type).await {
        Ok(u) => Ok(Redirect::to(&format!("/units/{}", u.parent_code.unwrap_or_default())).into_response()),
        Err(app::AppError::Validation(v)) => {
            let msg = v.errors.iter().map(|e| t(lang, e.code)).collect::<Vec<_>>().join(" ");
            detail_page(&s, lang, Some(&sess), &code, None, StatusCode::UNPROCESSABLE_ENTITY, Some(msg)).await
        }
        Err(e) => Err(e).or_page(&s, lang, Some(&sess)),
    }
}

pub(crate) async fn import_areas(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path(code): Path<String>,
    mut mp: Multipart,
) -> PageResult {
    let bytes = crate::shared::uploads::first_file(&mut mp)
        .await
        .ok_or(app::AppError::Unsupported("import.unsupported_type"))
        .or_page(&s, lang, Some(&sess))?;
    match s.app.import_areas(&sess.actor, &code, &bytes).await {
        Ok(_) => Ok(Redirect::to(&format!("/units/{code}")).into_response()),
        Err(app::AppError::Rows(rows)) => {
            let msg = rows
                .iter()
                .map(|r| format!("{} {}, {}: {}", t(lang, "import.row"), r.row, r.column, t(lang, &r.code)))
                .collect::<Vec<_>>()
                .join("; ");
            detail_page(
                &s,
                lang,
                Some(&sess),
                &code,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(format!("{} {msg}", t(lang, "import.rejected"))),
            )
            .await
        }
        Err(e) => Err(e).or_page(&s, lang, Some(&sess)),
    }
}

/// Key-area decision form.
#[derive(Deserialize)]
pub struct KeyAreaForm {
    action: String,
    decision_number: String,
    decision_date: String,
}

pub(crate) async fn key_area(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path(code): Path<String>,
    PageForm(f): PageForm<KeyAreaForm>,
) -> PageResult {
    let input = app::key_areas::KeyAreaInput {
        unit_code: code.clone(),
        action: f.action,
        decision_number: f.decision_number,
        decision_date: f.decision_date,
    };
    match s.app.key_area_decision(&sess.actor, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/units/{code}")).into_response()),
        Err(e @ (app::AppError::Validation(_) | app::AppError::Conflict(_) | app::AppError::Forbidden(_))) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            let msg = crate::shared::page::field_messages(lang, &e).join(" ");
            detail_page(&s, lang, Some(&sess), &code, None, status, Some(msg)).await
        }
        Err(e) => Err(e).or_page(&s, lang, Some(&sess)),
    }
}

/// Criterion 19 form.
#[derive(Deserialize)]
pub struct Criterion19Form {
    year: i64,
    #[serde(default)]
    met: Option<String>,
}

pub(crate) async fn criterion19(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path(code): Path<String>,
    PageForm(f): PageForm<Criterion19Form>,
) -> PageResult {
    match s.app.set_criterion19(&sess.actor, &code, f.year, f.met.is_some()).await {
        Ok(()) => Ok(Redirect::to(&format!("/units/{code}")).into_response()),
        Err(e) => Err(e).or_page(&s, lang, Some(&sess)),
    }
}
