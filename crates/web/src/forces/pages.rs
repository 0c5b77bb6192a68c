//! `/teams`: the forces of the scope (teams, members, areas without a team,
//! vacancies, ratings, trained) and its teams, with the form to establish one;
//! `/teams/{id}`: a team — its areas, members (inside the commune), the forms to add
//! a member, reveal a phone for a reason and record equipment; `/teams/ratings`: the
//! commune rates its teams of a year under one decision, on one form.

use app::forces::{EquipmentInput, MemberInput, TeamInput};
use app::team_ratings::RatingInput;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::Scope;
use minijinja::context;
use serde::Deserialize;

use crate::shared::auth::{Authed, Session};
use crate::shared::extract::{PageForm, Query};
use crate::shared::i18n::Lang;
use crate::shared::page::{
    after_form, base_ctx, field_messages, refused, render, with, OrPage, PageId, PageIds, PageResult,
};
use crate::shared::paging::Paging;
use crate::AppState;

/// Query of the list.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    year: Option<i64>,
    page: Option<i64>,
}

/// This year's first page (where a refused form shows again).
const FIRST_PAGE: ListQuery = ListQuery { year: None, page: None };

/// The commune's residential areas without an active team, for the form.
async fn free_areas(s: &AppState, sess: &Session) -> Vec<(String, String)> {
    let Scope::Commune(c) = &sess.actor.scope else { return Vec::new() };
    let f = store::units::UnitFilter { parent: Some(c.clone()), limit: 500, ..Default::default() };
    let mut out = Vec::new();
    for u in s.app.list_units(&f).await.map(|p| p.items).unwrap_or_default() {
        if u.level == domain::Level::Area && s.app.store.team_covering(&u.code).await.ok().flatten().is_none() {
            out.push((u.code, u.name));
        }
    }
    out
}

async fn list_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    q: &ListQuery,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let p = Paging::new(q.page, Some(50));
    let (items, total) = s.app.teams(&sess.actor, p.size, p.offset()).await.or_page(s, lang, Some(sess))?;
    let figures = s.app.forces_figures(&sess.actor, year, None).await.or_page(s, lang, Some(sess))?;
    let places = s.app.forces_by_place(&sess.actor, year).await.or_page(s, lang, Some(sess))?;
    let in_commune = matches!(sess.actor.scope, Scope::Commune(_)) && sess.actor.is_police_writer();
    let areas = if in_commune { free_areas(s, sess).await } else { Vec::new() };
    let ctx =
        context! { items, total, year, figures, places, areas, in_commune, errors, today => store::clock::today_iso() };
    Ok(render(s, "teams.html", status, with(base_ctx(lang, Some(sess), "teams"), ctx)))
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<ListQuery>,
) -> PageResult {
    list_page(&s, lang, &sess, &q, StatusCode::OK, Vec::new()).await
}

/// The form establishing a team.
#[derive(Deserialize, Default)]
pub struct TeamForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    unit_code: String,
    #[serde(default)]
    area_2: String,
    #[serde(default)]
    established_on: String,
    #[serde(default)]
    decision: String,
}

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<TeamForm>,
) -> PageResult {
    let mut areas = vec![f.unit_code.clone()];
    if !f.area_2.trim().is_empty() {
        areas.push(f.area_2.clone());
    }
    let input = TeamInput {
        unit_code: f.unit_code,
        name: f.name,
        established_on: f.established_on,
        areas: Some(areas),
        decision: Some(f.decision),
    };
    let r = s.app.create_team(&sess.actor, &input).await;
    after_form(
        &s,
        lang,
        &sess,
        r,
        |t| format!("/teams/{}", t.id),
        |status, errors| list_page(&s, lang, &sess, &FIRST_PAGE, status, errors),
    )
    .await
}

async fn detail_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    id: i64,
    status: StatusCode,
    errors: Vec<String>,
    revealed: Option<(i64, Option<String>)>,
) -> PageResult {
    let v = s.app.team_view(&sess.actor, id).await.or_page(s, lang, Some(sess))?;
    let can_write = v.members.is_some() && sess.actor.is_police_writer() && v.team.status == "active";
    let hours: std::collections::HashMap<String, i64> = v.hours.iter().map(|(m, h)| (m.to_string(), *h)).collect();
    let revealed = revealed.map(|(m, p)| context! { member => m, phone => p });
    let ctx = context! { v, can_write, hours, revealed, errors, today => store::clock::today_iso() };
    Ok(render(s, "team.html", status, with(base_ctx(lang, Some(sess), "teams"), ctx)))
}

pub(crate) async fn detail(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
) -> PageResult {
    detail_page(&s, lang, &sess, id, StatusCode::OK, Vec::new(), None).await
}

/// The form adding a member.
#[derive(Deserialize, Default)]
pub struct MemberForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    birth_year: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    joined_on: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    over_age_decision: Option<String>,
}

pub(crate) async fn add_member(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<MemberForm>,
) -> PageResult {
    let input = MemberInput {
        name: f.name,
        birth_year: f.birth_year.trim().parse().unwrap_or(0),
        sex: f.sex,
        role: f.role,
        joined_on: f.joined_on,
        left_on: None,
        phone: Some(f.phone),
        over_age_decision: f.over_age_decision.is_some(),
    };
    let r = s.app.add_member(&sess.actor, id, &input).await;
    after_form(
        &s,
        lang,
        &sess,
        r,
        |_| format!("/teams/{id}#members"),
        |status, errors| detail_page(&s, lang, &sess, id, status, errors, None),
    )
    .await
}

/// The reveal form.
#[derive(Deserialize, Default)]
pub struct RevealForm {
    #[serde(default)]
    reason: String,
}

pub(crate) async fn reveal_phone(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageIds(id, member): PageIds,
    PageForm(f): PageForm<RevealForm>,
) -> PageResult {
    match s.app.reveal_member_phone(&sess.actor, id, member, &f.reason).await {
        Ok(phone) => detail_page(&s, lang, &sess, id, StatusCode::OK, Vec::new(), Some((member, phone))).await,
        Err(e) if refused(&e) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            detail_page(&s, lang, &sess, id, status, field_messages(lang, &e), None).await
        }
        Err(e) => Err(e).or_page(&s, lang, Some(&sess)),
    }
}

/// The dissolution form.
#[derive(Deserialize, Default)]
pub struct DissolveForm {
    #[serde(default)]
    dissolved_on: String,
    #[serde(default)]
    decision: String,
}

pub(crate) async fn dissolve(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<DissolveForm>,
) -> PageResult {
    let r = s.app.dissolve_team(&sess.actor, id, &f.dissolved_on, &f.decision).await;
    after_form(
        &s,
        lang,
        &sess,
        r,
        |_| format!("/teams/{id}"),
        |status, errors| detail_page(&s, lang, &sess, id, status, errors, None),
    )
    .await
}

/// The leaving form.
#[derive(Deserialize, Default)]
pub struct LeaveForm {
    #[serde(default)]
    left_on: String,
}

pub(crate) async fn member_leaves(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageIds(id, member): PageIds,
    PageForm(f): PageForm<LeaveForm>,
) -> PageResult {
    let r = s.app.member_leaves(&sess.actor, id, member, &f.left_on).await;
    after_form(
        &s,
        lang,
        &sess,
        r,
        |_| format!("/teams/{id}#members"),
        |status, errors| detail_page(&s, lang, &sess, id, status, errors, None),
    )
    .await
}

/// The equipment form.
#[derive(Deserialize, Default)]
pub struct EquipmentForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    issued_on: String,
}

pub(crate) async fn equipment(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<EquipmentForm>,
) -> PageResult {
    let input =
        EquipmentInput { kind: f.kind, quantity: f.quantity.trim().parse().unwrap_or(0), issued_on: f.issued_on };
    match s.app.issue_equipment(&sess.actor, id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/teams/{id}#equipment")).into_response()),
        Err(e) if refused(&e) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            detail_page(&s, lang, &sess, id, status, field_messages(lang, &e), None).await
        }
        Err(e) => Err(e).or_page(&s, lang, Some(&sess)),
    }
}

/// The levels as typed on a refused form, kept so nothing has to be chosen again.
type Typed = std::collections::HashMap<String, String>;

async fn ratings_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    year: i64,
    status: StatusCode,
    errors: Vec<String>,
    typed: Typed,
) -> PageResult {
    let (teams, _) = s.app.teams(&sess.actor, 500, 0).await.or_page(s, lang, Some(sess))?;
    let guide = app::forces::rules().or_page(s, lang, Some(sess))?.rating;
    // The year's ratings in one read, not a team's whole page per team.
    let mut rated: std::collections::HashMap<i64, _> = s
        .app
        .ratings_of_year(&sess.actor, year)
        .await
        .or_page(s, lang, Some(sess))?
        .into_iter()
        .map(|r| (r.team_id, r))
        .collect();
    let mut rows = Vec::new();
    for t in teams {
        let rated = rated.remove(&t.id);
        let rateable = domain::unit::parse_day(&t.established_on).is_some_and(|d| guide.rateable(d, year as i32));
        rows.push(context! { t, rated, rateable });
    }
    let figures = s.app.forces_figures(&sess.actor, year, None).await.or_page(s, lang, Some(sess))?;
    let can_rate = matches!(sess.actor.scope, Scope::Commune(_)) && sess.actor.is_police_writer();
    let period = guide.period(year as i32).map(|(a, b)| (a.to_string(), b.to_string()));
    let ctx = context! { rows, year, figures, can_rate, period, typed, cap => guide.excellent_share_of_good_percent, errors, today => store::clock::today_iso() };
    Ok(render(s, "team_ratings.html", status, with(base_ctx(lang, Some(sess), "teams"), ctx)))
}

pub(crate) async fn ratings(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<ListQuery>,
) -> PageResult {
    ratings_page(
        &s,
        lang,
        &sess,
        q.year.unwrap_or_else(store::clock::current_year),
        StatusCode::OK,
        Vec::new(),
        Typed::new(),
    )
    .await
}

/// The rating form: `level_{team}` for each team rated, one decision.
#[derive(Deserialize, Default)]
pub struct RatingForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    decision_number: String,
    #[serde(default)]
    decision_date: String,
    #[serde(flatten)]
    levels: std::collections::HashMap<String, String>,
}

pub(crate) async fn rate(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<RatingForm>,
) -> PageResult {
    let year: i64 = f.year.trim().parse().unwrap_or(0);
    let mut ratings: Vec<RatingInput> = f
        .levels
        .iter()
        .filter_map(|(k, v)| {
            let team = k.strip_prefix("level_")?.parse().ok()?;
            (!v.trim().is_empty()).then(|| RatingInput {
                team_id: team,
                year,
                level: v.clone(),
                decision_number: f.decision_number.clone(),
                decision_date: f.decision_date.clone(),
            })
        })
        .collect();
    ratings.sort_by_key(|r| r.team_id);
    let shown = if year == 0 { store::clock::current_year() } else { year };
    if ratings.is_empty() {
        let e = app::AppError::from(domain::ValidationError::one("level", "forces.nothing_rated"));
        return ratings_page(
            &s,
            lang,
            &sess,
            shown,
            StatusCode::UNPROCESSABLE_ENTITY,
            field_messages(lang, &e),
            f.levels,
        )
        .await;
    }
    let r = s.app.rate_teams(&sess.actor, &ratings).await;
    after_form(
        &s,
        lang,
        &sess,
        r,
        |_| format!("/teams/ratings?year={year}"),
        |status, errors| {
            let mut typed = f.levels.clone();
            typed.insert("decision_number".into(), f.decision_number.clone());
            ratings_page(&s, lang, &sess, shown, status, errors, typed)
        },
    )
    .await
}

async fn trainings_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    year: i64,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let items = s.app.trainings(&sess.actor, year).await.or_page(s, lang, Some(sess))?;
    let figures = s.app.forces_figures(&sess.actor, year, None).await.or_page(s, lang, Some(sess))?;
    // The commune's members, to tick who attended.
    let mut members = Vec::new();
    if matches!(sess.actor.scope, Scope::Commune(_)) {
        for t in s.app.teams(&sess.actor, 200, 0).await.or_page(s, lang, Some(sess))?.0 {
            let v = s.app.team_view(&sess.actor, t.id).await.or_page(s, lang, Some(sess))?;
            for m in v.members.unwrap_or_default().into_iter().filter(|m| m.left_on.is_none()) {
                members.push(context! { id => m.id, name => m.name, team => t.name.clone() });
            }
        }
    }
    let can_write = sess.actor.is_police_writer();
    let ctx = context! { items, year, figures, members, can_write, errors, unit => sess.actor.unit_code.clone(), today => store::clock::today_iso() };
    Ok(render(s, "trainings.html", status, with(base_ctx(lang, Some(sess), "teams"), ctx)))
}

pub(crate) async fn trainings(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<ListQuery>,
) -> PageResult {
    trainings_page(&s, lang, &sess, q.year.unwrap_or_else(store::clock::current_year), StatusCode::OK, Vec::new()).await
}

/// A course as typed; `member_{id}` ticked for each member attending.
#[derive(Deserialize, Default)]
pub struct TrainingForm {
    #[serde(default)]
    unit_code: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    organiser: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    headcount: String,
    #[serde(flatten)]
    ticked: std::collections::HashMap<String, String>,
}

pub(crate) async fn add_training(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(mut f): PageForm<TrainingForm>,
) -> PageResult {
    f.unit_code = s.app.unit_code_as_typed(&f.unit_code).await;
    let member_ids: Vec<i64> = f.ticked.keys().filter_map(|k| k.strip_prefix("member_")?.parse().ok()).collect();
    let input = app::trainings::TrainingInput {
        unit_code: f.unit_code,
        topic: f.topic,
        level: f.level,
        starts_on: f.starts_on,
        ends_on: f.ends_on,
        organiser: f.organiser,
        hours: f.hours.trim().parse().unwrap_or(0),
        member_ids,
        headcount: f.headcount.trim().replace('.', "").parse().unwrap_or(0),
    };
    let r = s.app.create_training(&sess.actor, &input).await;
    after_form(
        &s,
        lang,
        &sess,
        r,
        |_| "/trainings".to_string(),
        |status, errors| trainings_page(&s, lang, &sess, store::clock::current_year(), status, errors),
    )
    .await
}
