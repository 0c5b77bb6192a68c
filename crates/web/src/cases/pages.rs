//! The officer's workspace for citizens' cases: the inbox of one's scope with the
//! legal clock on every case, and the case page with messages, internal notes,
//! actions and the audited reveal of the contact.

use crate::shared::extract::Query;
use app::cases::{CaseAction, CaseRef};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::case::CaseStatus;
use minijinja::context;
use serde::Deserialize;

use super::api::CaseQuery;
use crate::shared::auth::{Authed, Session};
use crate::shared::extract::PageForm;
use crate::shared::i18n::{t, Lang};
use crate::shared::page::{base_ctx, field_messages, no_store, render, with, OrPage, PageId, PageResult};
use crate::shared::paging::Paging;
use crate::shared::paging::{pager, query_string};
use crate::AppState;

/// Days left until a due date (negative when overdue), from today in Vietnam.
fn days_left(due: Option<chrono::NaiveDate>) -> Option<i64> {
    Some((due? - store::clock::today()).num_days())
}

pub(crate) async fn inbox(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<CaseQuery>,
) -> PageResult {
    let f = q
        .filter(sess.actor.user_id)
        .ok_or_else(|| app::AppError::Validation(domain::ValidationError::one("status", "bad_request")))
        .or_page(&s, lang, Some(&sess))?;
    let p = Paging::new(q.page, Some(50));
    let (items, total) = s.app.list_cases(&sess.actor, f).await.or_page(&s, lang, Some(&sess))?;
    let rows: Vec<_> = items
        .iter()
        .map(|c| {
            let left = if matches!(c.status, CaseStatus::Received | CaseStatus::Accepted) {
                days_left(c.due_date)
            } else {
                None
            };
            // What the case is about at a glance: its description's first line, cut.
            let first: String = c.description.lines().next().unwrap_or_default().chars().take(90).collect();
            let cut = first.chars().count() < c.description.chars().count();
            let summary = if cut { format!("{}…", first.trim_end()) } else { first };
            context! { c => minijinja::Value::from_serialize(c), left, kind => t(lang, &format!("kind.{}", c.kind.as_str())),
            status => t(lang, &format!("cstatus.{}", c.status.as_str())), summary }
        })
        .collect();
    let query = query_string(&[
        ("status", q.status.as_deref()),
        ("kind", q.kind.as_deref()),
        ("due", q.due.as_deref()),
        ("assigned", q.assigned.as_deref()),
        ("q", q.q.as_deref()),
    ]);
    let kinds: Vec<_> = domain::case::CaseKind::ALL
        .iter()
        .map(|k| context! { code => k.as_str(), name => t(lang, &format!("kind.{}", k.as_str())) })
        .collect();
    let statuses: Vec<_> = domain::case::CaseStatus::ALL
        .iter()
        .map(|k| context! { code => k.as_str(), name => t(lang, &format!("cstatus.{}", k.as_str())) })
        .collect();
    let ctx = context! { rows, kinds, statuses, f => context! { status => q.status, kind => q.kind, due => q.due, assigned => q.assigned, q => q.q },
    ..pager(total, p, query) };
    Ok(render(&s, "cases.html", StatusCode::OK, with(base_ctx(lang, Some(&sess), "cases"), ctx)))
}

/// The acts whose result is final for the citizen (the case ends or leaves): each
/// asks the officer to confirm first.
const CONFIRMED_ACTS: [&str; 3] = ["close", "refuse", "merge"];

/// The message after an act ("Đã tiếp nhận hồ sơ."), for `?done=ACT`.
fn done_message(lang: Lang, act: &str) -> Option<String> {
    const ACTS: [&str; 9] =
        ["accept", "refuse", "extend", "close", "transfer", "merge", "assign_me", "assign", "reply"];
    ACTS.contains(&act).then(|| t(lang, &format!("cases.done.{act}")))
}

/// The case page: with the contact just revealed, the reasons of a refusal, or the
/// message of what was just done.
#[allow(clippy::too_many_arguments)]
async fn case_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    id: i64,
    contact: Option<app::cases::Contact>,
    errors: Vec<String>,
    status: StatusCode,
    flash: Option<String>,
) -> PageResult {
    let view = s.app.case_view(&sess.actor, id).await.or_page(s, lang, Some(sess))?;
    let (kind, state, complexity) = (view.case.kind, view.case.status, view.case.complexity);
    let open = matches!(state, CaseStatus::Received | CaseStatus::Accepted);
    // Officers by name, for giving the case to one of them.
    let officers = if sess.actor.role.can_write() {
        s.app.case_officers(&sess.actor, &view.case.unit_code).await.unwrap_or_default()
    } else {
        Vec::new()
    };
    let ctx = context! {
        officers,
        v => minijinja::Value::from_serialize(&view),
        kind_name => t(lang, &format!("kind.{}", kind.as_str())),
        status_name => t(lang, &format!("cstatus.{}", state.as_str())),
        left => if open { days_left(view.case.due_date) } else { None },
        source => view.case.due_rule.as_deref().and_then(domain::deadline::Rule::parse).map(|r| r.source()),
        can_write => sess.actor.role.can_write(),
        open,
        can_accept => state == CaseStatus::Received,
        can_refuse => state == CaseStatus::Received && kind.may_be_refused(),
        can_extend => open && complexity.extended(kind).is_some(),
        contact => contact.map(|c| context! { name => c.name, phone => c.phone, email => c.email }),
        errors,
        flash,
    };
    Ok(no_store(render(s, "case.html", status, with(base_ctx(lang, Some(sess), "cases"), ctx))))
}

/// `?done=ACT` after an act: the page says what was done.
#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

pub(crate) async fn detail(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let flash = q.done.as_deref().and_then(|a| done_message(lang, a));
    case_page(&s, lang, &sess, id, None, vec![], StatusCode::OK, flash).await
}

/// The action form: `action` plus the fields of that action.
#[derive(Deserialize)]
pub struct ActionForm {
    action: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    outcome: Option<String>,
    #[serde(default)]
    unit_code: Option<String>,
    #[serde(default)]
    complexity: Option<String>,
    #[serde(default)]
    remote_area: Option<String>,
    #[serde(default)]
    into_id: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    public: Option<String>,
    /// The officer ticked "I confirm" (closing, refusing, merging).
    #[serde(default)]
    confirm: Option<String>,
}

/// The officer's act named by the form's `action` (none when unknown).
fn case_action(f: ActionForm, me: i64) -> Option<CaseAction> {
    let text = |v: Option<String>| v.unwrap_or_default();
    let num = |v: Option<String>| v.and_then(|x| x.trim().parse::<i64>().ok()).unwrap_or(0);
    Some(match f.action.as_str() {
        "accept" => CaseAction::Accept {
            complexity: f.complexity.filter(|c| !c.is_empty()),
            remote_area: f.remote_area.is_some(),
        },
        "refuse" => CaseAction::Refuse { reason: text(f.reason) },
        "transfer" => CaseAction::Transfer { unit_code: text(f.unit_code), reason: text(f.reason) },
        "assign_me" => CaseAction::Assign { user_id: me },
        "assign" => CaseAction::Assign { user_id: num(f.user_id) },
        "extend" => CaseAction::Extend { reason: text(f.reason) },
        "close" => CaseAction::Close { outcome: text(f.outcome) },
        "merge" => CaseAction::Merge { into_id: CaseRef::Code(text(f.into_id)), reason: f.reason },
        _ => return None,
    })
}

pub(crate) async fn act(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<ActionForm>,
) -> PageResult {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let act = f.action.clone();
    let unconfirmed = CONFIRMED_ACTS.contains(&act.as_str()) && f.confirm.is_none();
    let result: Result<Option<app::cases::Contact>, app::AppError> = match f.action.as_str() {
        // A final act from the page needs its confirmation box ticked.
        _ if unconfirmed => Err(domain::ValidationError::one("confirm", "cases.confirm_needed").into()),
        "reveal" => s.app.reveal_contact(&sess.actor, id, &text(&f.reason)).await.map(Some),
        "reply" => s.app.reply_case(&sess.actor, id, &text(&f.body), f.public.is_some()).await.map(|_| None),
        _ => match case_action(f, sess.actor.user_id) {
            Some(a) => s.app.act_on_case(&sess.actor, id, &a).await.map(|_| None),
            None => Err(domain::ValidationError::one("action", "case.action_unknown").into()),
        },
    };
    match result {
        Ok(Some(contact)) => case_page(&s, lang, &sess, id, Some(contact), vec![], StatusCode::OK, None).await,
        Ok(None) => match s.app.case_view(&sess.actor, id).await {
            Ok(_) => Ok(Redirect::to(&format!("/cases/{id}?done={act}")).into_response()),
            // Transferred out of one's scope: back to the inbox.
            Err(_) => Ok(Redirect::to("/cases").into_response()),
        },
        Err(e) => {
            let status = crate::shared::error::status_and_code(&e).0;
            case_page(&s, lang, &sess, id, None, field_messages(lang, &e), status, None).await
        }
    }
}

/// The staff form: a case for a citizen who came in person or phoned.
pub(crate) async fn new_form(State(s): State<AppState>, lang: Lang, Authed(sess): Authed) -> PageResult {
    staff_form(&s, lang, &sess, None, vec![], StatusCode::OK).await
}

async fn staff_form(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    input: Option<&StaffCaseForm>,
    errors: Vec<String>,
    status: StatusCode,
) -> PageResult {
    // A commune officer picks the commune or one of its residential areas.
    let areas = match (&sess.actor.scope, &sess.actor.unit_code) {
        (domain::Scope::Commune(_), Some(code)) => s
            .app
            .list_units(&store::units::UnitFilter {
                level: Some(domain::Level::Area),
                parent: Some(code.clone()),
                limit: 500,
                ..Default::default()
            })
            .await
            .map(|p| p.items)
            .unwrap_or_default(),
        _ => vec![],
    };
    let kinds: Vec<_> = domain::case::CaseKind::ALL
        .iter()
        .map(|k| context! { code => k.as_str(), name => t(lang, &format!("kind.{}", k.as_str())) })
        .collect();
    let commune_officer = matches!(sess.actor.scope, domain::Scope::Commune(_));
    let ctx = context! { kinds, areas, commune_officer, errors, input => input.map(minijinja::Value::from_serialize) };
    Ok(render(s, "case_new.html", status, with(base_ctx(lang, Some(sess), "cases"), ctx)))
}

/// Fields of the staff form.
#[derive(Deserialize, serde::Serialize)]
pub struct StaffCaseForm {
    kind: String,
    unit_code: String,
    description: String,
    #[serde(default)]
    anonymous: Option<String>,
    #[serde(default)]
    contact_name: Option<String>,
    #[serde(default)]
    contact_phone: Option<String>,
    #[serde(default)]
    contact_email: Option<String>,
    #[serde(default)]
    address: Option<String>,
}

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<StaffCaseForm>,
) -> PageResult {
    let nonempty = |v: &Option<String>| v.clone().filter(|x| !x.trim().is_empty());
    let input = app::cases::CaseInput {
        kind: f.kind.clone(),
        unit_code: f.unit_code.clone(),
        description: f.description.clone(),
        anonymous: f.anonymous.is_some(),
        contact: Some(app::cases::Contact {
            name: nonempty(&f.contact_name),
            phone: nonempty(&f.contact_phone),
            email: nonempty(&f.contact_email),
        }),
        address: nonempty(&f.address),
    };
    match s.app.file_case_for_citizen(&sess.actor, &input).await {
        Ok(receipt) => {
            let ctx = context! { receipt, kind => t(lang, &format!("kind.{}", f.kind)), staff => true };
            let page = with(base_ctx(lang, Some(&sess), "cases"), ctx);
            Ok(no_store(render(&s, "public_case_receipt.html", StatusCode::CREATED, page)))
        }
        Err(e) => {
            let status = crate::shared::error::status_and_code(&e).0;
            staff_form(&s, lang, &sess, Some(&f), field_messages(lang, &e), status).await
        }
    }
}

/// Routing rules: where cases of each kind go by default; the ministry changes them.
pub(crate) async fn routes(State(s): State<AppState>, lang: Lang, Authed(sess): Authed) -> PageResult {
    routes_page(&s, lang, &sess, vec![], StatusCode::OK).await
}

async fn routes_page(s: &AppState, lang: Lang, sess: &Session, errors: Vec<String>, status: StatusCode) -> PageResult {
    let rules = s.app.routing_rules(&sess.actor).await.or_page(s, lang, Some(sess))?;
    let rows: Vec<_> = rules
        .iter()
        .map(|(kind, target)| context! { kind, name => t(lang, &format!("kind.{}", kind.as_str())), target })
        .collect();
    let can_edit = matches!(sess.actor.role, domain::Role::Ministry | domain::Role::Admin);
    let ctx = context! { rows, can_edit, errors };
    Ok(render(s, "case_routes.html", status, with(base_ctx(lang, Some(sess), "cases"), ctx)))
}

pub(crate) async fn set_route(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<app::cases::RoutingRule>,
) -> PageResult {
    match s.app.set_routing_rule(&sess.actor, &f.kind, &f.target).await {
        Ok(()) => Ok(Redirect::to("/case-routes").into_response()),
        Err(e) => {
            let status = crate::shared::error::status_and_code(&e).0;
            routes_page(&s, lang, &sess, field_messages(lang, &e), status).await
        }
    }
}
