//! `/dan-van-kheo?year=`: the year's "Dân vận khéo" entries in scope with the
//! counts by level and by model type; the registering police pick a model to
//! register, the level above recognises (decision number, date, public or not) or
//! returns each entry, and the registering unit sends a returned one again.

use app::dan_van_kheo::{DvkDecision, DvkRegistration};
use axum::extract::State;
use axum::http::StatusCode;
use minijinja::context;
use serde::Deserialize;

use crate::shared::auth::{Authed, Session};
use crate::shared::extract::{PageForm, Query};
use crate::shared::i18n::Lang;
use crate::shared::page::{after_form, base_ctx, render, with, OrPage, PageId, PageResult};
use crate::shared::paging::Paging;
use crate::AppState;

/// Query of the page.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    year: Option<i64>,
    page: Option<i64>,
}

async fn list_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    year: i64,
    page: Option<i64>,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let p = Paging::new(page, Some(50));
    let (items, total) =
        s.app.dvk_entries(&sess.actor, year, None, p.size, p.offset()).await.or_page(s, lang, Some(sess))?;
    let counts = s.app.dvk_counts(&sess.actor, year, None).await.or_page(s, lang, Some(sess))?;
    // The models the account may register: those of its scope still running.
    let level = sess.actor.role.unit_level();
    let models =
        if sess.actor.is_police_writer() && matches!(level, Some(domain::Level::Commune | domain::Level::Province)) {
            s.app.list_models(&sess.actor, 500, 0).await.or_page(s, lang, Some(sess))?.0
        } else {
            Vec::new()
        };
    let models: Vec<_> = models
        .into_iter()
        .filter(|m| m.status != domain::model::ModelStatus::Dissolved)
        .filter(|m| (m.commune_code.is_some()) == (level == Some(domain::Level::Commune)))
        .map(|m| context! { id => m.id, name => m.name })
        .collect();
    let ctx = context! { items, total, year, counts, models, errors, level, today => store::clock::today_iso() };
    Ok(render(s, "dan_van_kheo.html", status, with(base_ctx(lang, Some(sess), "models"), ctx)))
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<ListQuery>,
) -> PageResult {
    list_page(&s, lang, &sess, q.year.unwrap_or_else(store::clock::current_year), q.page, StatusCode::OK, Vec::new())
        .await
}

/// The registration form.
#[derive(Deserialize, Default)]
pub struct RegisterForm {
    #[serde(default)]
    model_id: String,
    #[serde(default)]
    year: String,
}

pub(crate) async fn register(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<RegisterForm>,
) -> PageResult {
    let year = f.year.trim().parse().unwrap_or(0);
    let input = DvkRegistration { model_id: f.model_id.trim().parse().unwrap_or(0), year };
    let r = s.app.register_dvk(&sess.actor, &input).await;
    after_form(
        &s,
        lang,
        &sess,
        r,
        |e| format!("/dan-van-kheo?year={}#dvk-{}", e.year, e.id),
        |status, errors| {
            let shown = if year == 0 { store::clock::current_year() } else { year };
            list_page(&s, lang, &sess, shown, None, status, errors)
        },
    )
    .await
}

/// A decision as typed.
#[derive(Deserialize, Default)]
pub struct DecisionForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    decision_number: Option<String>,
    #[serde(default)]
    decision_date: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    public: Option<String>,
}

pub(crate) async fn decide(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<DecisionForm>,
) -> PageResult {
    let d = DvkDecision {
        to: f.to,
        decision_number: f.decision_number,
        decision_date: f.decision_date,
        reason: f.reason,
        public: f.public.is_some(),
    };
    let r = s.app.decide_dvk(&sess.actor, id, &d).await;
    after_form(
        &s,
        lang,
        &sess,
        r,
        |e| format!("/dan-van-kheo?year={}#dvk-{}", e.year, e.id),
        |status, errors| list_page(&s, lang, &sess, store::clock::current_year(), None, status, errors),
    )
    .await
}
