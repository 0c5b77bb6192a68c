//! `/nominations`: the nominations in scope and the form to propose one (a
//! collective, or a person with up to three periods of service, the time rule's
//! verdict shown once proposed); `/nominations/{id}`: the file and the step its
//! reader may take (verify, decide with the decision, return with a reason, send
//! again).

use app::awards::{CollectiveInput, Confirmed, IndividualInput, NominationInput, NominationStep};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::awards::medal::{ServicePeriod, ServiceRole};
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
    /// A person's name, diacritics ignored.
    q: Option<String>,
    /// Only the awards decided (the register; `print=1` the honours list).
    decided: Option<String>,
    print: Option<String>,
    /// A form of award.
    award_type: Option<String>,
    /// A unit (its awards and those under it).
    unit: Option<String>,
    /// Every year, not only `year` (a person's or a unit's awards over time).
    all_years: Option<String>,
}

/// The proposal form as typed (dates day first, converted by the extractor).
#[derive(Deserialize, Default, Clone, serde::Serialize)]
pub struct NominationForm {
    #[serde(default)]
    award_type: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    recipient: String,
    #[serde(default)]
    unit_code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    birth_year: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    achievements: String,
    #[serde(default)]
    start_1_on: String,
    #[serde(default)]
    end_1_on: String,
    #[serde(default)]
    role_1: String,
    #[serde(default)]
    difficult_1: Option<String>,
    #[serde(default)]
    start_2_on: String,
    #[serde(default)]
    end_2_on: String,
    #[serde(default)]
    role_2: String,
    #[serde(default)]
    difficult_2: Option<String>,
    #[serde(default)]
    completed_tasks_well: Option<String>,
    #[serde(default)]
    commended: Option<String>,
    #[serde(default)]
    no_serious_incident: Option<String>,
    #[serde(default)]
    holds_listed_medal: Option<String>,
    #[serde(default)]
    prosecuted: Option<String>,
    #[serde(default)]
    under_discipline: Option<String>,
    #[serde(default)]
    not_a_duplicate: Option<String>,
}

impl NominationForm {
    /// The API's input; a day that does not read as one makes the period invalid.
    fn input(&self) -> NominationInput {
        let period = |from: &str, to: &str, role: &str, difficult: &Option<String>| {
            let from = from.trim();
            (!from.is_empty()).then(|| ServicePeriod {
                from: domain::unit::parse_day(from).unwrap_or(chrono::NaiveDate::MAX),
                to: Some(to.trim())
                    .filter(|t| !t.is_empty())
                    .map(|t| domain::unit::parse_day(t).unwrap_or(chrono::NaiveDate::MIN)),
                role: ServiceRole::parse(role).unwrap_or(ServiceRole::TeamMember),
                difficult_area: difficult.is_some(),
            })
        };
        let service: Vec<ServicePeriod> = [
            period(&self.start_1_on, &self.end_1_on, &self.role_1, &self.difficult_1),
            period(&self.start_2_on, &self.end_2_on, &self.role_2, &self.difficult_2),
        ]
        .into_iter()
        .flatten()
        .collect();
        let individual = (self.recipient == "individual").then(|| IndividualInput {
            name: self.name.clone(),
            birth_year: self.birth_year.trim().parse().unwrap_or(0),
            sex: self.sex.clone(),
            position: self.position.clone(),
            unit_code: self.unit_code.clone(),
            service,
        });
        let collective = (self.recipient != "individual")
            .then(|| CollectiveInput { unit_code: Some(self.unit_code.clone()), organisation_id: None });
        NominationInput {
            award_type: self.award_type.clone(),
            year: self.year.trim().parse().unwrap_or(0),
            collective,
            individual,
            achievements: self.achievements.clone(),
            confirmed: Confirmed {
                commended: self.commended.is_some(),
                no_serious_incident: self.no_serious_incident.is_some(),
                completed_tasks_well: self.completed_tasks_well.is_some(),
                holds_listed_medal: self.holds_listed_medal.is_some(),
                prosecuted: self.prosecuted.is_some(),
                under_discipline: self.under_discipline.is_some(),
            },
            not_a_duplicate: self.not_a_duplicate.is_some(),
        }
    }
}

async fn list_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    q: &ListQuery,
    form: Option<NominationForm>,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let p = Paging::new(q.page, Some(50));
    let decided = q.decided.is_some() || q.print.is_some();
    let all_years = q.all_years.is_some();
    let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|x| !x.is_empty()).map(str::to_string);
    // A unit typed by name ("phuong ba dinh") when one unit bears it.
    let unit = match text(&q.unit) {
        Some(u) => Some(s.app.unit_code_as_typed(&u).await),
        None => None,
    };
    let filter = store::nominations::NominationFilter {
        year: (!all_years).then_some(year),
        status: decided.then_some(domain::awards::NominationStatus::Decided),
        q: text(&q.q),
        award_type: text(&q.award_type),
        unit: unit.clone(),
    };
    let (items, total) =
        s.app.nominations(&sess.actor, &filter, p.size, p.offset()).await.or_page(s, lang, Some(sess))?;
    let catalogue = s.app.award_catalogue(year).await.or_page(s, lang, Some(sess))?;
    let names = catalogue.names();
    // The level the account proposes at (none for a viewer or an organisation).
    let level = sess.actor.role.unit_level();
    let types: Vec<domain::awards::AwardType> =
        catalogue.items.iter().filter(|a| level.is_some_and(|l| a.proposers.contains(&l))).cloned().collect();
    let can_propose = sess.actor.is_police_writer() && !types.is_empty();
    let f = form.unwrap_or_else(|| NominationForm {
        year: year.to_string(),
        unit_code: sess.actor.unit_code.clone().unwrap_or_default(),
        recipient: "individual".into(),
        ..Default::default()
    });
    let all_types = catalogue.items.clone();
    let ctx = context! { items, total, year, types, all_types, can_propose, f, errors, names, decided, all_years, unit, award_type => text(&q.award_type), q => q.q.clone() };
    let page = if q.print.is_some() { "honours.html" } else { "nominations.html" };
    Ok(render(s, page, status, with(base_ctx(lang, Some(sess), "nominations"), ctx)))
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<ListQuery>,
) -> PageResult {
    list_page(&s, lang, &sess, &q, None, StatusCode::OK, Vec::new()).await
}

pub(crate) async fn propose(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(mut f): PageForm<NominationForm>,
) -> PageResult {
    // The unit typed by name ("to dan pho so 1") when one unit bears it.
    f.unit_code = s.app.unit_code_as_typed(&f.unit_code).await;
    match s.app.nominate(&sess.actor, &f.input()).await {
        Ok((rec, _)) => Ok(Redirect::to(&format!("/nominations/{}", rec.id)).into_response()),
        Err(e @ (app::AppError::Validation(_) | app::AppError::Forbidden(_) | app::AppError::Conflict(_))) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            let q = ListQuery { year: f.year.trim().parse().ok(), ..Default::default() };
            list_page(&s, lang, &sess, &q, Some(f), status, field_messages(lang, &e)).await
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
    let n = s.app.nomination(&sess.actor, id).await.or_page(s, lang, Some(sess))?;
    let award = s.app.award_catalogue(n.year).await.or_page(s, lang, Some(sess))?.find(&n.award_type).cloned();
    let ctx = context! { n, award, errors, today => store::clock::today_iso() };
    Ok(render(s, "nomination.html", status, with(base_ctx(lang, Some(sess), "nominations"), ctx)))
}

pub(crate) async fn detail(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
) -> PageResult {
    detail_page(&s, lang, &sess, id, StatusCode::OK, Vec::new()).await
}

/// A step as typed.
#[derive(Deserialize)]
pub struct StepForm {
    to: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    decision_number: Option<String>,
    #[serde(default)]
    decision_date: Option<String>,
    #[serde(default)]
    public: Option<String>,
}

pub(crate) async fn step(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<StepForm>,
) -> PageResult {
    let step = NominationStep {
        to: f.to,
        reason: f.reason,
        decision_number: f.decision_number,
        decision_date: f.decision_date,
        public: f.public.is_some(),
    };
    match s.app.nomination_step(&sess.actor, id, &step).await {
        Ok(_) => Ok(Redirect::to(&format!("/nominations/{id}")).into_response()),
        Err(e @ (app::AppError::Validation(_) | app::AppError::Forbidden(_) | app::AppError::Conflict(_))) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            detail_page(&s, lang, &sess, id, status, field_messages(lang, &e)).await
        }
        Err(e) => Err(e).or_page(&s, lang, Some(&sess)),
    }
}
