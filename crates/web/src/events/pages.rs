//! `/events`: the year's events in scope, the Ngày hội coverage, and the form to
//! plan one; `/events/{id}`: the event, the form to report its result with the
//! opinions raised, and what became of each opinion.

use app::events::{EventInput, OpinionInput, ResultsInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use minijinja::context;
use serde::Deserialize;

use crate::shared::auth::{Authed, Session};
use crate::shared::extract::{PageForm, Query};
use crate::shared::i18n::Lang;
use crate::shared::page::{base_ctx, field_messages, render, with, OrPage, PageId, PageResult};
use crate::shared::paging::Paging;
use crate::AppState;

/// Query of the list.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    year: Option<i64>,
    page: Option<i64>,
}

/// The planning form.
#[derive(Deserialize, Default, Clone, serde::Serialize)]
pub struct EventForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    unit_code: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    form: String,
    #[serde(default)]
    guests: String,
    #[serde(default)]
    pilot: Option<String>,
}

async fn list_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    q: &ListQuery,
    form: Option<EventForm>,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let p = Paging::new(q.page, Some(50));
    let (items, total) =
        s.app.events(&sess.actor, year, None, p.size, p.offset()).await.or_page(s, lang, Some(sess))?;
    let (areas, held) = s.app.ngay_hoi_coverage(&sess.actor, year, None).await.or_page(s, lang, Some(sess))?;
    let rate = (areas > 0).then(|| format!("{:.1} %", held as f64 * 100.0 / areas as f64).replace('.', ","));
    let can_plan = sess.actor.is_police_writer();
    let can_pilot = matches!(sess.actor.role, domain::Role::Province | domain::Role::Ministry | domain::Role::Admin);
    let f = form.unwrap_or_else(|| EventForm {
        kind: "ngay_hoi".into(),
        title: "Ngày hội toàn dân bảo vệ an ninh Tổ quốc".into(),
        ..Default::default()
    });
    // One level down (the nation's provinces, a province's communes), each tile
    // coloured on the point map's red → green scale by the share that held it.
    let places: Vec<_> = s
        .app
        .ngay_hoi_by_place(&sess.actor, year, None)
        .await
        .or_page(s, lang, Some(sess))?
        .into_iter()
        .map(|(code, name, areas, held)| {
            let share = (areas > 0).then(|| held as f64 / areas as f64);
            let pct = share.map(|v| format!("{:.0} %", v * 100.0));
            context! { code, name, areas, held, pct, colour => domain::map_indicator::colour(share) }
        })
        .collect();
    let ctx = context! { items, total, year, areas, held, rate, places, can_plan, can_pilot, f, errors };
    Ok(render(s, "events.html", status, with(base_ctx(lang, Some(sess), "events"), ctx)))
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<ListQuery>,
) -> PageResult {
    list_page(&s, lang, &sess, &q, None, StatusCode::OK, Vec::new()).await
}

pub(crate) async fn plan(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(mut f): PageForm<EventForm>,
) -> PageResult {
    // The unit typed by name ("to dan pho so 1") when one unit bears it.
    f.unit_code = s.app.unit_code_as_typed(&f.unit_code).await;
    let input = EventInput {
        kind: f.kind.clone(),
        title: f.title.clone(),
        unit_code: f.unit_code.clone(),
        date: f.held_on.clone(),
        place: Some(f.place.clone()),
        form: Some(f.form.clone()),
        guests: Some(f.guests.clone()),
        pilot: f.pilot.is_some(),
    };
    match s.app.create_event(&sess.actor, &input).await {
        Ok(ev) => Ok(Redirect::to(&format!("/events/{}", ev.id)).into_response()),
        Err(e @ (app::AppError::Validation(_) | app::AppError::Forbidden(_))) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            list_page(&s, lang, &sess, &ListQuery::default(), Some(f), status, field_messages(lang, &e)).await
        }
        Err(e) => Err(e).or_page(&s, lang, Some(&sess)),
    }
}

async fn detail_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    id: i64,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let (ev, opinions) = s.app.event(&sess.actor, id).await.or_page(s, lang, Some(sess))?;
    let held = ev.held_on <= store::clock::today_iso();
    let can_report = sess.actor.is_police_writer() && ev.reported_at.is_none();
    let files = s.app.event_files(&sess.actor, id).await.or_page(s, lang, Some(sess))?;
    let can_attach = sess.actor.is_police_writer() && files.len() < app::working_year_files::MAX_FILES as usize;
    let ctx = context! { ev, opinions, held, can_report, files, can_attach, errors };
    Ok(render(s, "event.html", status, with(base_ctx(lang, Some(sess), "events"), ctx)))
}

pub(crate) async fn detail(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
) -> PageResult {
    detail_page(&s, lang, &sess, id, StatusCode::OK, Vec::new()).await
}

/// The result form: figures and up to five opinions.
#[derive(Deserialize, Default)]
pub struct ResultForm {
    #[serde(default)]
    participants: String,
    #[serde(default)]
    households: String,
    #[serde(default)]
    commitments: String,
    #[serde(default)]
    honoured: String,
    #[serde(default)]
    funds: String,
    #[serde(default)]
    opinion_1: String,
    #[serde(default)]
    kind_1: String,
    #[serde(default)]
    opinion_2: String,
    #[serde(default)]
    kind_2: String,
    #[serde(default)]
    opinion_3: String,
    #[serde(default)]
    kind_3: String,
}

/// A count typed on the form ("1.200" with the thousands' dot); blank is none, and
/// anything unreadable is −1, which the use case refuses by name.
fn count(s: &str) -> Option<i64> {
    let s = s.trim().replace(['.', ' '], "");
    (!s.is_empty()).then(|| s.parse().unwrap_or(-1))
}

pub(crate) async fn report(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<ResultForm>,
) -> PageResult {
    let opinions: Vec<OpinionInput> = [(&f.opinion_1, &f.kind_1), (&f.opinion_2, &f.kind_2), (&f.opinion_3, &f.kind_3)]
        .into_iter()
        .filter(|(t, _)| !t.trim().is_empty())
        .map(|(t, k)| OpinionInput { text: t.clone(), kind: k.clone() })
        .collect();
    let input = ResultsInput {
        participants: count(&f.participants).unwrap_or(-1),
        households: count(&f.households),
        commitments: count(&f.commitments),
        honoured: count(&f.honoured),
        funds: count(&f.funds),
        opinions,
    };
    match s.app.report_event(&sess.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/events/{id}")).into_response()),
        Err(e @ (app::AppError::Validation(_) | app::AppError::Forbidden(_) | app::AppError::Conflict(_))) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            detail_page(&s, lang, &sess, id, status, field_messages(lang, &e)).await
        }
        Err(e) => Err(e).or_page(&s, lang, Some(&sess)),
    }
}
