//! `/inspections` (a year's plan, its figures and the form that plans one) and
//! `/inspections/{id}` (targets, findings with their follow-up's progress, the
//! form that records a finding).

use app::inspections::{FindingInput, InspectionInput};
use axum::extract::State;
use axum::http::StatusCode;
use minijinja::context;
use serde::Deserialize;

use super::api::YearQuery;
use crate::shared::auth::{Authed, Session};
use crate::shared::extract::{PageForm, Query};
use crate::shared::i18n::Lang;
use crate::shared::page::{after_form, base_ctx, render, with, OrPage, PageId, PageResult};
use crate::AppState;

async fn list_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    year: Option<i64>,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let l = s.app.inspections(&sess.actor, year).await.or_page(s, lang, Some(sess))?;
    let ctx = context! { l, can_write => sess.actor.is_police_writer(), errors, today => store::clock::today_iso(), prev => l.year - 1, next => l.year + 1 };
    Ok(render(s, "inspections.html", status, with(base_ctx(lang, Some(sess), "inspections"), ctx)))
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<YearQuery>,
) -> PageResult {
    list_page(&s, lang, &sess, q.year, StatusCode::OK, vec![]).await
}

/// The new-inspection form.
#[derive(Deserialize)]
pub struct InspectionForm {
    title: String,
    /// Unit codes, separated by commas, spaces or line breaks.
    #[serde(default)]
    targets: String,
    /// Organisations' tax codes or numbers ("#12"), separated the same way.
    #[serde(default)]
    organisations: String,
    from: String,
    to: String,
}

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<InspectionForm>,
) -> PageResult {
    let targets = crate::shared::extract::unit_codes(&f.targets);
    let keys = crate::shared::extract::unit_codes(&f.organisations);
    let r = match s.app.organisations_by_keys(&sess.actor, &keys, "organisations").await {
        Ok(organisations) => {
            let input = InspectionInput { title: f.title, targets, organisations, from: f.from, to: f.to };
            s.app.create_inspection(&sess.actor, &input).await
        }
        Err(e) => Err(e),
    };
    after_form(&s, lang, &sess, r, |id| format!("/inspections/{id}"), |st, e| list_page(&s, lang, &sess, None, st, e))
        .await
}

async fn detail_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    id: i64,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let v = s.app.inspection(&sess.actor, id).await.or_page(s, lang, Some(sess))?;
    let own = sess.actor.unit_code.clone().unwrap_or_default();
    let can_record = sess.actor.is_police_writer() && v.line.inspection.unit_code == own;
    let ctx = context! { v, can_record, errors, today => store::clock::today_iso() };
    Ok(render(s, "inspection.html", status, with(base_ctx(lang, Some(sess), "inspections"), ctx)))
}

pub(crate) async fn detail(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
) -> PageResult {
    detail_page(&s, lang, &sess, id, StatusCode::OK, vec![]).await
}

/// The finding form.
#[derive(Deserialize)]
pub struct FindingForm {
    target: String,
    text: String,
    recommendation: String,
    follow_up_due: String,
}

pub(crate) async fn finding(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<FindingForm>,
) -> PageResult {
    // The target select sends a unit code, or "org:ID" for an organisation.
    let (unit_code, organisation_id) = match f.target.strip_prefix("org:") {
        Some(id) => (String::new(), Some(id.trim().parse().unwrap_or(-1))),
        None => (f.target, None),
    };
    let input = FindingInput {
        unit_code,
        organisation_id,
        text: f.text,
        recommendation: f.recommendation,
        follow_up_due: f.follow_up_due,
    };
    let r = s.app.record_finding(&sess.actor, id, &input).await;
    after_form(&s, lang, &sess, r, |_| format!("/inspections/{id}"), |st, e| detail_page(&s, lang, &sess, id, st, e))
        .await
}
