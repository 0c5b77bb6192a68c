//! Assessment pages: the list of a year, a new self-assessment, the phone-first
//! answer form, and the workflow buttons of whoever may take the next step.

use std::collections::HashMap;

use crate::shared::extract::Query;
use app::assessments::{AssessmentInput, TransitionInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::assessment::{Answer, Step};
use domain::criteria::Instrument;
use minijinja::context;
use serde::Deserialize;

use super::api::{assessment_json, AssessmentQuery};
use crate::shared::auth::{Authed, Session};
use crate::shared::extract::PageForm;
use crate::shared::i18n::{t, Lang};
use crate::shared::page::{after_form, base_ctx, field_messages, render, with, OrPage, PageId, PageResult};
use crate::shared::paging::pager;
use crate::shared::paging::Paging;
use crate::AppState;

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<AssessmentQuery>,
) -> PageResult {
    let p = Paging::new(q.page, Some(50));
    let f = q
        .to_filter()
        .ok_or_else(|| app::AppError::Validation(domain::ValidationError::one("filter", "bad_request")))
        .or_page(&s, lang, Some(&sess))?;
    let year = f.year;
    let (items, total) = s.app.list_assessments(&sess.actor, q.unit.as_deref(), &f, p.size, p.offset()).await.or_page(
        &s,
        lang,
        Some(&sess),
    )?;
    let items: Vec<_> = items.iter().map(|a| assessment_json(a, lang)).collect();
    let qs = q.query_string(year);
    let filtered = qs != format!("year={year}");
    let (units, orgs) = pickers(&s, &sess).await;
    let ctx = context! { items, year, total, qs, filtered, q => context!{ subject => q.subject, instrument => q.instrument, stage => q.stage, level => q.level, passed => q.passed, late => q.late, unit => q.unit }, can_write => sess.actor.role.can_write(), units, orgs, ..pager(total, p, qs.clone()) };
    Ok(render(&s, "assessments.html", StatusCode::OK, with(base_ctx(lang, Some(&sess), "assessments"), ctx)))
}

/// What the new-assessment form offers by name: the caller's unit and the units
/// right below it (a commune's residential areas, a province's communes), and
/// organisations of the caller's scope (the first 300 by name); codes and ids
/// still typed are accepted.
async fn pickers(s: &AppState, sess: &Session) -> (Vec<(String, String)>, Vec<(i64, String)>) {
    if !sess.actor.role.can_write() {
        return (Vec::new(), Vec::new());
    }
    let mut units = Vec::new();
    if let Some(own) = sess.actor.unit_code.clone() {
        if let Ok(u) = s.app.unit(&own).await {
            units.push((u.code.clone(), u.name.clone()));
        }
        let below = store::units::UnitFilter { parent: Some(own), limit: 500, ..Default::default() };
        if let Ok(p) = s.app.list_units(&below).await {
            units.extend(p.items.into_iter().map(|u| (u.code, u.name)));
        }
    }
    let f = store::organisations::OrgFilter { limit: 300, ..Default::default() };
    let orgs = match s.app.list_organisations(&sess.actor, &f).await {
        Ok(p) => p.items.into_iter().map(|o| (o.id, o.name)).collect(),
        Err(_) => Vec::new(),
    };
    (units, orgs)
}

/// New assessment form.
#[derive(Deserialize, Default, serde::Serialize)]
pub struct NewForm {
    #[serde(default)]
    year: Option<i64>,
    #[serde(default)]
    instrument: String,
    #[serde(default)]
    unit_code: String,
    #[serde(default)]
    organisation_id: String,
}

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<NewForm>,
) -> PageResult {
    let org = f.organisation_id.trim();
    let input = AssessmentInput {
        year: f.year.unwrap_or_else(store::clock::current_year),
        instrument: f.instrument.clone(),
        unit_code: Some(f.unit_code.clone()).filter(|u| !u.trim().is_empty()),
        organisation_id: if org.is_empty() { None } else { org.parse().ok().or(Some(-1)) },
        answers: vec![],
    };
    Ok(match s.app.create_assessment(&sess.actor, &input).await {
        Ok(a) => Redirect::to(&format!("/assessments/{}", a.id)).into_response(),
        Err(e) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            let errors = field_messages(lang, &e);
            let year = input.year;
            // The list page with the form kept and the reasons, its filters empty.
            let (units, orgs) = pickers(&s, &sess).await;
            let ctx = context! { items => Vec::<()>::new(), year, total => 0, qs => "", filtered => false, q => context! {}, can_write => true, errors, f, units, orgs, ..pager(0, Paging::new(None, None), String::new()) };
            render(&s, "assessments.html", status, with(base_ctx(lang, Some(&sess), "assessments"), ctx))
        }
    })
}

/// The status each step leads to (the names the template's buttons use).
fn step_names(steps: &[Step]) -> Vec<&'static str> {
    steps
        .iter()
        .map(|st| match st {
            Step::Submit => "submitted",
            Step::Review => "reviewed",
            Step::Approve => "approved",
            Step::Publish => "published",
            Step::Return => "returned",
        })
        .collect()
}

type Evidence<'a> = Vec<&'a store::attachments::AttachmentInfo>;

/// Evidence of the whole assessment, and per criterion (shown under its answer).
fn evidence_by_criterion(
    files: &[store::attachments::AttachmentInfo],
) -> (Evidence<'_>, HashMap<String, Evidence<'_>>) {
    let mut evidence_of: HashMap<String, Evidence<'_>> = HashMap::new();
    for f in files {
        evidence_of.entry(f.criterion.clone().unwrap_or_default()).or_default().push(f);
    }
    (evidence_of.remove("").unwrap_or_default(), evidence_of)
}

async fn detail_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    id: i64,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    detail_page_with(s, lang, sess, id, status, errors, Typed::default()).await
}

/// What the officer typed on the score sheet, shown again after a refusal (nothing
/// typed is lost), with each criterion's problem beside it; and when the sheet was
/// last saved.
#[derive(Default)]
struct Typed {
    form: Option<HashMap<String, String>>,
    field_errors: HashMap<String, String>,
    saved_at: Option<String>,
    /// Criteria where the version saved meanwhile and the one sent differ.
    conflict: Vec<ConflictRow>,
}

/// One criterion of a conflict: what the server holds beside what was sent.
#[derive(serde::Serialize)]
struct ConflictRow {
    code: String,
    server: String,
    yours: String,
}

async fn detail_page_with(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    id: i64,
    status: StatusCode,
    errors: Vec<String>,
    typed: Typed,
) -> PageResult {
    let rec = s.app.assessment(&sess.actor, id).await.or_page(s, lang, Some(sess))?;
    let set = s.app.assessment_set(&rec).await.or_page(s, lang, Some(sess))?;
    let steps = step_names(&s.app.allowed_steps(&sess.actor, &rec).await.unwrap_or_default());
    let a = assessment_json(&rec, lang);
    let answers: HashMap<String, serde_json::Value> = a["answers"]
        .as_array()
        .map(|v| v.iter().map(|x| (x["criterion"].as_str().unwrap_or_default().to_string(), x.clone())).collect())
        .unwrap_or_default();
    let editable = s.app.may_edit(&sess.actor, &rec).await.unwrap_or(false);
    let safe = set.instrument == Instrument::SafeUnit;
    let subject_name = match (&rec.unit_code, rec.organisation_id) {
        (Some(u), _) => s.app.unit(u).await.map(|x| x.name).unwrap_or_default(),
        (None, Some(o)) => s.app.organisation(&sess.actor, o).await.map(|x| x.name).unwrap_or_default(),
        _ => String::new(),
    };
    // Evidence of the whole assessment, and per criterion under its answer.
    let files = s.app.evidence_list(&sess.actor, id).await.unwrap_or_default();
    let (evidence, evidence_of) = evidence_by_criterion(&files);
    let max_files = domain::files::MAX_EVIDENCE_FILES;
    let room = (files.len() as i64) < max_files;
    // The level cut-offs for the running total the page's script keeps.
    let levels: Vec<serde_json::Value> =
        set.levels.iter().map(|l| serde_json::json!({"min": l.min_points, "name": l.name})).collect();
    let levels = serde_json::to_string(&levels).unwrap_or_default();
    let Typed { form: typed, field_errors, saved_at, conflict } = typed;
    let server_saved_at = domain::clock::vietnam_time_hm(rec.updated_at);
    let superseded_by = s.app.criteria_superseded_by(&rec).await.unwrap_or(None);
    // Who verified, who decided (TT 124/2021 Điều 9, 10), and who would decide now.
    let recognition = s.app.recognition(&sess.actor, id).await.unwrap_or(None);
    let deciding_body =
        if safe { s.app.deciding_body(&rec).await.map(|b| b.0).unwrap_or_default() } else { String::new() };
    // The decision's due day (Điều 9 khoản 1: 15/11 for a residential area, 20/11
    // otherwise) and how late the decision came.
    let (decision_due, decision_late) = if safe {
        let due = domain::recognition::decision_due(rec.subject, rec.year as i32).map(domain::clock::iso);
        let late = rec
            .decision_date
            .map(|d| domain::recognition::days_late(rec.subject, rec.year as i32, d))
            .filter(|n| *n > 0);
        (due, late)
    } else {
        (None, None)
    };
    let ctx = context! { a, set, answers, steps, editable, safe, errors, subject_name, evidence, evidence_of, room, max_files,
    today => store::clock::today_iso(), typed, field_errors, saved_at, levels, conflict, server_saved_at, superseded_by, recognition, deciding_body,
    decision_due, decision_late };
    Ok(render(s, "assessment.html", status, with(base_ctx(lang, Some(sess), "assessments"), ctx)))
}

/// `?saved=` (Unix ms) after a save: the page says when.
#[derive(Deserialize, Default)]
pub struct SavedQuery {
    saved: Option<i64>,
}

pub(crate) async fn detail(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    Query(q): Query<SavedQuery>,
) -> PageResult {
    let saved_at = q.saved.map(domain::clock::vietnam_time_hm);
    detail_page_with(&s, lang, &sess, id, StatusCode::OK, vec![], Typed { saved_at, ..Default::default() }).await
}

/// The answers of the form (`met_…` or `points_…`, `note_…` per criterion) and the
/// criteria whose points cannot be read, with the message key.
fn read_answers(
    set: &domain::criteria::CriteriaSet,
    form: &HashMap<String, String>,
) -> (Vec<Answer>, Vec<(String, &'static str)>) {
    let mut answers = Vec::new();
    let mut bad = Vec::new();
    for c in set.criteria.iter().filter(|c| c.computed.is_none()) {
        let note = form.get(&format!("note_{}", c.code)).map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        let answer = match set.instrument {
            Instrument::SafeUnit => form.get(&format!("met_{}", c.code)).map(|v| Answer {
                criterion: c.code.clone(),
                met: Some(v == "1"),
                points: None,
                note: note.clone(),
            }),
            Instrument::Movement => {
                match form.get(&format!("points_{}", c.code)).map(|v| v.trim()).filter(|v| !v.is_empty()) {
                    None => None,
                    Some(v) => match domain::assessment::Points::parse(v) {
                        Ok(p) => {
                            Some(Answer { criterion: c.code.clone(), met: None, points: Some(p), note: note.clone() })
                        }
                        Err(key) => {
                            bad.push((c.code.clone(), key));
                            None
                        }
                    },
                }
            }
        };
        answers.extend(answer);
    }
    (answers, bad)
}

/// An answer as the page writes it: "6,5", "Đạt", a note after a dash.
fn answer_text(lang: Lang, a: Option<&Answer>) -> String {
    let Some(a) = a else { return String::new() };
    let value = match (a.met, a.points) {
        (Some(true), _) => t(lang, "assess.met"),
        (Some(false), _) => t(lang, "assess.not_met"),
        (None, Some(p)) => p.vn(),
        _ => String::new(),
    };
    match &a.note {
        Some(n) if value.is_empty() => n.clone(),
        Some(n) => format!("{value} — {n}"),
        None => value,
    }
}

/// The criteria where the saved answers and the ones sent differ (a draft kept on
/// a phone while the assessment was saved by someone else).
fn conflict_rows(
    lang: Lang,
    set: &domain::criteria::CriteriaSet,
    saved: &[Answer],
    sent: &[Answer],
) -> Vec<ConflictRow> {
    let of = |list: &[Answer], code: &str| answer_text(lang, list.iter().find(|a| a.criterion == code));
    set.criteria
        .iter()
        .filter(|c| c.computed.is_none())
        .map(|c| ConflictRow { code: c.code.clone(), server: of(saved, &c.code), yours: of(sent, &c.code) })
        .filter(|r| r.server != r.yours)
        .collect()
}

/// A criterion's problem in words: "Tiêu chí M4 (tối đa 10 điểm): …".
fn criterion_message(lang: Lang, set: &domain::criteria::CriteriaSet, code: &str, key: &str) -> String {
    let max = set.criterion(code).and_then(|c| c.points).map(|m| format!(" ({} {m})", t(lang, "assess.max")));
    format!("{} {code}{}: {}", t(lang, "assess.criterion"), max.unwrap_or_default(), t(lang, key))
}

pub(crate) async fn save_answers(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(form): PageForm<HashMap<String, String>>,
) -> PageResult {
    let rec = s.app.assessment(&sess.actor, id).await.or_page(&s, lang, Some(&sess))?;
    let set = s.app.assessment_set(&rec).await.or_page(&s, lang, Some(&sess))?;
    let (answers, bad) = read_answers(&set, &form);
    // Each problem beside its criterion, and everything typed kept.
    let refused = |field_errors: HashMap<String, String>| {
        let errors = vec![t(lang, "assess.fix_marked")];
        let typed = Typed { form: Some(form.clone()), field_errors, ..Default::default() };
        detail_page_with(&s, lang, &sess, id, StatusCode::UNPROCESSABLE_ENTITY, errors, typed)
    };
    // Saved by someone else since this form was opened (or a draft kept on a phone
    // while offline): nothing is overwritten silently. The page comes back with
    // both versions side by side and what was sent in the form, now on the latest
    // version, so saving again is a choice.
    let base = form.get("base_version").and_then(|v| v.trim().parse::<i64>().ok());
    if base.is_some_and(|b| b != rec.updated_at) {
        let conflict = conflict_rows(lang, &set, &rec.answers, &answers);
        if !conflict.is_empty() {
            let errors = vec![t(lang, "assess.conflict_newer")];
            let typed = Typed { form: Some(form.clone()), conflict, ..Default::default() };
            return detail_page_with(&s, lang, &sess, id, StatusCode::CONFLICT, errors, typed).await;
        }
    }
    if !bad.is_empty() {
        let marks = bad.iter().map(|(code, key)| (code.clone(), criterion_message(lang, &set, code, key))).collect();
        return refused(marks).await;
    }
    match s.app.update_assessment(&sess.actor, id, &answers).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/assessments/{id}?saved={}#save-bar", store::clock::now_ms())).into_response())
        }
        Err(app::AppError::Validation(v)) => {
            // "answers[3]" names the fourth answer sent: its criterion.
            let mut marks = HashMap::new();
            for f in &v.errors {
                let at = f
                    .field
                    .strip_prefix("answers[")
                    .and_then(|r| r.split(']').next())
                    .and_then(|i| i.parse::<usize>().ok());
                if let Some(code) = at.and_then(|i| answers.get(i)).map(|a| a.criterion.clone()) {
                    let message = criterion_message(lang, &set, &code, f.code);
                    marks.entry(code).or_insert(message);
                }
            }
            if marks.is_empty() {
                return after_change(&s, lang, &sess, id, Err::<(), _>(app::AppError::Validation(v)), "").await;
            }
            refused(marks).await
        }
        Err(e) => after_change(&s, lang, &sess, id, Err::<(), _>(e), "").await,
    }
}

/// Where a change made on the assessment page leads: back to the page (at
/// `anchor`) when it worked; the page again with the reasons and the precise status
/// when the user can mend it; an error page otherwise (not found, server error).
async fn after_change<T>(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    id: i64,
    result: app::error::AppResult<T>,
    anchor: &str,
) -> PageResult {
    let to = |_| format!("/assessments/{id}{anchor}");
    after_form(s, lang, sess, result, to, |st, e| detail_page(s, lang, sess, id, st, e)).await
}

pub(crate) async fn transition(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<TransitionInput>,
) -> PageResult {
    let result = s.app.transition_assessment(&sess.actor, id, &f).await;
    after_change(&s, lang, &sess, id, result, "").await
}

pub(crate) async fn add_evidence(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    mut mp: axum::extract::Multipart,
) -> PageResult {
    let mut upload = None;
    let mut criterion = None;
    while let Ok(Some(field)) = mp.next_field().await {
        match field.name() {
            Some("criterion") => criterion = field.text().await.ok(),
            Some("file") if upload.is_none() => {
                let name = field.file_name().unwrap_or("").to_string();
                let ct = field.content_type().unwrap_or("").to_string();
                if let Ok(bytes) = field.bytes().await {
                    upload = Some((name, ct, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    let Some((name, ct, bytes)) = upload else {
        return detail_page(
            &s,
            lang,
            &sess,
            id,
            StatusCode::BAD_REQUEST,
            vec![crate::shared::i18n::t(lang, "bad_request")],
        )
        .await;
    };
    let file = app::assessments::EvidenceUpload {
        filename: &name,
        declared_type: &ct,
        criterion: criterion.as_deref(),
        bytes: &bytes,
    };
    let result = s.app.add_evidence(&sess.actor, id, &file).await;
    after_change(&s, lang, &sess, id, result, "#evidence").await
}

/// Imports a filled score sheet (XLSX or CSV) into the draft, all or nothing; the
/// page shows each rejected row with its reason.
pub(crate) async fn upload_sheet(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    mut mp: axum::extract::Multipart,
) -> PageResult {
    let target = app::uploads::UploadTarget::ScoreSheet(id);
    // The right to the sheet first: nothing is read or parsed without it.
    if let Err(e) = s.app.may_upload(&sess.actor, target).await {
        return after_change(&s, lang, &sess, id, Err::<usize, _>(e), "").await;
    }
    let Some((ct, bytes)) = crate::shared::uploads::first_file_typed(&mut mp).await else {
        return detail_page(
            &s,
            lang,
            &sess,
            id,
            StatusCode::BAD_REQUEST,
            vec![crate::shared::i18n::t(lang, "bad_request")],
        )
        .await;
    };
    let result = match crate::shared::uploads::read_upload(&s, &sess.actor, target, &ct, bytes.into()).await {
        Ok(table) => s.app.import_score_sheet(&sess.actor, id, &table).await,
        Err(e) => Err(e),
    };
    after_change(&s, lang, &sess, id, result, "").await
}
