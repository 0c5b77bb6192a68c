//! Assessment use cases: create a self-assessment, replace its answers while draft,
//! read it (the result recomputed from current data until approval), and move it
//! through the workflow with the right person at each step.

use domain::assessment::{self, Answer, AssessmentResult, ComputedFacts, Status, Step};
use domain::criteria::{set_for_year, CriteriaSet, Instrument, Subject};
use domain::{Level, ValidationError};
use serde::Deserialize;
use store::assessments::{AssessmentFilter, AssessmentRecord, NewAssessment, ResultColumns};
use store::audit::AuditEntry;
use store::StoreError;

use crate::error::AppResult;
use crate::{to_json, Actor, App, AppError};

/// Input of `POST /api/v1/assessments`.
#[derive(Debug, Clone, Deserialize)]
pub struct AssessmentInput {
    /// Year assessed.
    pub year: i64,
    /// `safe_unit` or `movement`.
    pub instrument: String,
    /// A residential area or commune.
    #[serde(default)]
    pub unit_code: Option<String>,
    /// An organisation.
    #[serde(default)]
    pub organisation_id: Option<i64>,
    /// Answers.
    #[serde(default)]
    pub answers: Vec<Answer>,
}

/// Input of a workflow step.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TransitionInput {
    /// submitted | reviewed | approved | published | returned
    pub to: String,
    /// Reason (required to return).
    #[serde(default)]
    pub reason: Option<String>,
    /// Decision number (required to approve).
    #[serde(default)]
    pub decision_number: Option<String>,
    /// Decision date YYYY-MM-DD, not in the future (required to approve).
    #[serde(default)]
    pub decision_date: Option<String>,
    /// The day a submission is recorded on when it was made earlier on paper (the
    /// demo dataset's timeline); never from a request, never after today.
    #[serde(skip)]
    pub submitted_on: Option<chrono::NaiveDate>,
    /// The verifier's remarks (thẩm định, at the review step).
    #[serde(default)]
    pub remarks: Option<String>,
    /// Who signed the decision (at approval; with a title).
    #[serde(default)]
    pub signer_name: Option<String>,
    /// The signer's title ("Chủ tịch", "Phó Chủ tịch").
    #[serde(default)]
    pub signer_title: Option<String>,
}

/// What is assessed (or registered): resolved and scope-checked by `App::subject`.
pub(crate) struct SubjectRef {
    pub(crate) subject: Subject,
    pub(crate) unit_code: Option<String>,
    pub(crate) organisation_id: Option<i64>,
    pub(crate) province_code: String,
    pub(crate) commune_code: Option<String>,
    pub(crate) managed_by_province: bool,
    /// Who manages it (the commune, the province, a Ministry department).
    pub(crate) manager: assessment::Manager,
}

/// An evidence file as uploaded.
#[derive(Debug, Clone, Copy)]
pub struct EvidenceUpload<'a> {
    /// File name as the browser sent it (sanitised before storing).
    pub filename: &'a str,
    /// Content type the client declared (checked against the bytes).
    pub declared_type: &'a str,
    /// The criterion whose answer it supports; none for the whole assessment.
    pub criterion: Option<&'a str>,
    /// The bytes.
    pub bytes: &'a [u8],
}

/// The stored columns of a computed result.
pub(crate) fn result_columns(r: &AssessmentResult) -> ResultColumns {
    match r {
        AssessmentResult::SafeUnit { passed, .. } => {
            ResultColumns { json: to_json(r), passed: Some(*passed), total: None, level: None }
        }
        AssessmentResult::Movement { total, level, .. } => {
            ResultColumns { json: to_json(r), passed: None, total: Some(*total), level: level.clone() }
        }
    }
}

/// Whether the actor plays the part `who_acts` names for `step` on `rec`.
fn may_take_with(actor: &Actor, rec: &AssessmentRecord, step: Step, approver: assessment::CommuneApprover) -> bool {
    let (subject, manager) = (rec.subject, manager_of(rec));
    let part = assessment::who_acts(subject, manager, step, approver);
    // An organisation contact's scope is its own organisation, so reaching `rec` at
    // all already means it is theirs; `role_plays` settles the part.
    assessment::role_plays(actor.role, part, subject, manager)
}

/// Who managed an assessment's subject when it was assessed.
pub(crate) fn manager_of(rec: &AssessmentRecord) -> assessment::Manager {
    assessment::Manager::of(rec.managed_by_province, rec.followed_by_ministry)
}

impl App {
    /// The criteria set in force for an instrument, subject and year.
    async fn set_in_force(&self, instrument: Instrument, subject: Subject, year: i64) -> AppResult<(i64, CriteriaSet)> {
        let sets = self.store.criteria_sets().await?;
        let plain: Vec<CriteriaSet> = sets.iter().map(|s| s.set.clone()).collect();
        let chosen = set_for_year(&plain, instrument, subject, year as i32)
            .ok_or_else(|| ValidationError::one("year", "assessment.no_criteria_set"))?;
        let id = sets.iter().find(|s| &s.set == chosen).map(|s| s.id).unwrap_or_default();
        Ok((id, chosen.clone()))
    }

    /// The national set in force (without a province's additions).
    pub(crate) async fn set_in_force_for(
        &self,
        instrument: Instrument,
        subject: Subject,
        year: i64,
    ) -> AppResult<CriteriaSet> {
        Ok(self.set_in_force(instrument, subject, year).await?.1)
    }

    /// An assessment's set: the version it was made with, plus the criteria its
    /// province added for its year (TT 124/2021 Điều 8 khoản 1).
    async fn set_of(&self, rec: &AssessmentRecord) -> AppResult<CriteriaSet> {
        let set = self.store.criteria_set(rec.criteria_set_id).await?.set;
        self.with_province_additions(set, &rec.province_code, rec.year).await
    }

    /// Resolves and scope-checks the subject of an assessment.
    pub(crate) async fn subject(
        &self,
        actor: &Actor,
        unit_code: Option<&str>,
        organisation_id: Option<i64>,
    ) -> AppResult<SubjectRef> {
        match (unit_code.map(str::trim).filter(|s| !s.is_empty()), organisation_id) {
            (None, Some(id)) => {
                let o = self.store.organisation(&actor.scope, id).await?;
                let subject = Subject::of_org_kind(o.kind)
                    .ok_or_else(|| ValidationError::one("organisation_id", "assessment.not_assessable"))?;
                // Outside the standard (TT 124/2021 Điều 1 khoản 2 điểm b): not assessed.
                if self.store.organisation_exemption(o.id).await?.is_some() {
                    return Err(ValidationError::one("organisation_id", "assessment.exempt").into());
                }
                Ok(SubjectRef {
                    subject,
                    unit_code: None,
                    organisation_id: Some(o.id),
                    province_code: o.province_code,
                    commune_code: Some(o.unit_code),
                    managed_by_province: o.managed_by_province,
                    manager: assessment::Manager::of(o.managed_by_province, o.followed_by.is_some()),
                })
            }
            (Some(code), None) => {
                let u = self.store.unit(code).await?;
                if !actor.scope.contains(&u.place()) {
                    return Err(AppError::NotFound);
                }
                let subject = match u.level {
                    Level::Commune => Subject::Commune,
                    Level::Area => Subject::ResidentialArea,
                    _ => return Err(ValidationError::one("unit_code", "assessment.not_assessable").into()),
                };
                Ok(SubjectRef {
                    subject,
                    unit_code: Some(u.code.clone()),
                    organisation_id: None,
                    province_code: u.province_code.clone().unwrap_or_default(),
                    commune_code: u.commune_code.clone(),
                    managed_by_province: false,
                    manager: assessment::Manager::Commune,
                })
            }
            _ => Err(ValidationError::one("unit_code", "assessment.subject_missing").into()),
        }
    }

    /// Facts for computed criteria: a commune's working models and recognition
    /// share; an organisation's own working models; a residential area's security
    /// team's rating.
    async fn facts(
        &self,
        subject: Subject,
        unit: Option<&str>,
        commune: Option<&str>,
        organisation: Option<i64>,
        year: i64,
    ) -> AppResult<ComputedFacts> {
        if let (Subject::Agency | Subject::Enterprise | Subject::School, Some(o)) = (subject, organisation) {
            let models = self.store.working_models_of_organisation(o, year).await?;
            return Ok(ComputedFacts { working_models: models as u32, ..Default::default() });
        }
        if let (Subject::ResidentialArea, Some(area)) = (subject, unit) {
            let level = self.store.area_team_rating(area, year).await?;
            return Ok(ComputedFacts { team_rated: level.map(|l| l.completed_or_better()), ..Default::default() });
        }
        let (Subject::Commune, Some(c)) = (subject, commune) else { return Ok(ComputedFacts::default()) };
        let models = self.store.working_models(c, year).await?;
        let (recognised, assessable) = self.store.commune_recognition(c, year).await?;
        let (registered, to_register) = self.store.commune_registration_counts(c, year).await?;
        Ok(ComputedFacts {
            working_models: models as u32,
            recognised: recognised as u32,
            assessable: assessable as u32,
            registered: registered as u32,
            to_register: to_register as u32,
            team_rated: None,
        })
    }

    /// Creates a draft self-assessment.
    pub async fn create_assessment(&self, actor: &Actor, input: &AssessmentInput) -> AppResult<AssessmentRecord> {
        actor.require_write()?;
        let instrument = Instrument::parse(input.instrument.trim())
            .ok_or_else(|| ValidationError::one("instrument", "assessment.instrument_unknown"))?;
        let this_year = store::clock::current_year();
        if !(2022..=this_year + 1).contains(&input.year) {
            return Err(ValidationError::one("year", "assessment.year_invalid").into());
        }
        let s = self.subject(actor, input.unit_code.as_deref(), input.organisation_id).await?;
        let owner = assessment::who_acts(s.subject, s.manager, Step::Submit, Default::default());
        if !assessment::role_plays(actor.role, owner, s.subject, s.manager) {
            return Err(AppError::Forbidden("assessment.not_owner"));
        }
        let (set_id, set) = self.set_in_force(instrument, s.subject, input.year).await?;
        let set = self.with_province_additions(set, &s.province_code, input.year).await?;
        assessment::validate_answers(&set, &input.answers)?;
        let facts = self
            .facts(s.subject, s.unit_code.as_deref(), s.commune_code.as_deref(), s.organisation_id, input.year)
            .await?;
        let result = assessment::score(&set, &input.answers, &facts);
        let new = NewAssessment {
            year: input.year,
            instrument: instrument.as_str().to_string(),
            subject: s.subject.as_str().to_string(),
            unit_code: s.unit_code,
            organisation_id: s.organisation_id,
            province_code: s.province_code,
            commune_code: s.commune_code,
            managed_by_province: s.managed_by_province,
            followed_by_ministry: s.manager == assessment::Manager::Ministry,
            criteria_set_id: set_id,
            answers_json: to_json(&input.answers),
            result: result_columns(&result),
        };
        let mut tx = self.store.begin_write().await?;
        let id = match tx.insert_assessment(&new, actor.user_id).await {
            Ok(id) => id,
            Err(StoreError::Conflict(_)) => return Err(AppError::Conflict("assessment.exists")),
            Err(e) => return Err(e.into()),
        };
        let rec = tx.assessment(id).await?;
        AuditEntry::new(Some(actor.user_id), "assessment.create", "assessment", id).after(&rec).write(&mut tx).await?;
        tx.commit().await?;
        Ok(rec)
    }

    /// One assessment in scope; until approval its result is recomputed from current data.
    pub async fn assessment(&self, actor: &Actor, id: i64) -> AppResult<AssessmentRecord> {
        let mut rec = self.store.assessment(&actor.scope, id).await?;
        if matches!(rec.status, Status::Draft | Status::Submitted | Status::Reviewed) {
            let result = self.recompute(&rec).await?;
            let cols = result_columns(&result);
            rec.result = result;
            rec.passed = cols.passed;
            rec.total_points = cols.total;
            rec.level = cols.level;
        }
        Ok(rec)
    }

    async fn recompute(&self, rec: &AssessmentRecord) -> AppResult<AssessmentResult> {
        let set = self.set_of(rec).await?;
        let facts = self
            .facts(rec.subject, rec.unit_code.as_deref(), rec.commune_code.as_deref(), rec.organisation_id, rec.year)
            .await?;
        Ok(assessment::score(&set, &rec.answers, &facts))
    }

    /// Replaces the answers of a draft.
    pub async fn update_assessment(&self, actor: &Actor, id: i64, answers: &[Answer]) -> AppResult<AssessmentRecord> {
        let rec = self.draft_to_answer(actor, id).await?;
        let set = self.set_of(&rec).await?;
        assessment::validate_answers(&set, answers)?;
        let facts = self
            .facts(rec.subject, rec.unit_code.as_deref(), rec.commune_code.as_deref(), rec.organisation_id, rec.year)
            .await?;
        let cols = result_columns(&assessment::score(&set, answers, &facts));
        let mut tx = self.store.begin_write().await?;
        tx.update_assessment_answers(id, &to_json(&answers), &cols).await?;
        let after = tx.assessment(id).await?;
        AuditEntry::new(Some(actor.user_id), "assessment.update", "assessment", id)
            .before(&rec.answers)
            .after(&after.answers)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Whether the actor is the person who takes `step` on `rec`, under the
    /// campaign's choice of who approves a commune.
    /// The draft `actor` may answer (the owner of the submit step): 404 outside the
    /// scope, 403 for a role that may not write or a draft that is not theirs, 409 once
    /// it is no longer a draft.
    pub(crate) async fn draft_to_answer(&self, actor: &Actor, id: i64) -> AppResult<AssessmentRecord> {
        actor.require_write()?;
        let rec = self.store.assessment(&actor.scope, id).await?;
        if rec.status != Status::Draft {
            return Err(AppError::Conflict("assessment.not_draft"));
        }
        if !self.may_take(actor, &rec, Step::Submit).await? {
            return Err(AppError::Forbidden("assessment.not_owner"));
        }
        Ok(rec)
    }

    async fn may_take(&self, actor: &Actor, rec: &AssessmentRecord, step: Step) -> AppResult<bool> {
        let approver = self.campaign(rec.year).await?.commune_approver;
        Ok(may_take_with(actor, rec, step, approver))
    }

    /// Assessments in the actor's scope (or a unit inside it) matching `f`.
    pub async fn list_assessments(
        &self,
        actor: &Actor,
        unit: Option<&str>,
        f: &AssessmentFilter,
        limit: i64,
        offset: i64,
    ) -> AppResult<(Vec<AssessmentRecord>, i64)> {
        let scope = self.narrowed_scope(actor, unit).await?;
        Ok(self.store.list_assessments(&scope, f, limit, offset).await?)
    }

    /// The steps the actor may take on an assessment now (for showing buttons).
    pub async fn allowed_steps(&self, actor: &Actor, rec: &AssessmentRecord) -> AppResult<Vec<Step>> {
        let from = rec.status;
        if !actor.role.can_write() {
            return Ok(Vec::new());
        }
        let approver = self.campaign(rec.year).await?.commune_approver;
        Ok([Step::Submit, Step::Review, Step::Approve, Step::Publish, Step::Return]
            .into_iter()
            .filter(|s| assessment::next_status(from, *s).is_some() && may_take_with(actor, rec, *s, approver))
            .collect())
    }

    /// Whether the actor may edit the answers (the owner, while draft).
    pub async fn may_edit(&self, actor: &Actor, rec: &AssessmentRecord) -> AppResult<bool> {
        Ok(actor.role.can_write() && rec.status == Status::Draft && self.may_take(actor, rec, Step::Submit).await?)
    }

    /// The criteria set an assessment was made with.
    pub async fn assessment_set(&self, rec: &AssessmentRecord) -> AppResult<CriteriaSet> {
        self.set_of(rec).await
    }

    /// The version now in force, when the assessment was made under an earlier one
    /// (it keeps its own: answers and result stay readable as they were made).
    pub async fn criteria_superseded_by(&self, rec: &AssessmentRecord) -> AppResult<Option<String>> {
        let (id, now) = self.set_in_force(rec.instrument, rec.subject, rec.year).await?;
        Ok((id != rec.criteria_set_id).then_some(now.version))
    }

    /// Takes one workflow step. Out of order: 409; in scope but not the one who acts: 403.
    pub async fn transition_assessment(
        &self,
        actor: &Actor,
        id: i64,
        input: &TransitionInput,
    ) -> AppResult<AssessmentRecord> {
        actor.require_write()?;
        let rec = self.store.assessment(&actor.scope, id).await?;
        let step =
            Step::to_target(input.to.trim()).ok_or_else(|| ValidationError::one("to", "assessment.step_unknown"))?;
        let from = rec.status;
        let next = assessment::next_status(from, step).ok_or(AppError::Conflict("assessment.out_of_order"))?;
        if !self.may_take(actor, &rec, step).await? {
            return Err(AppError::Forbidden("assessment.not_your_step"));
        }
        let today = store::clock::today_iso();
        let mut decision = None;
        let mut reason = None;
        match step {
            Step::Approve => {
                let number = input.decision_number.as_deref().map(str::trim).filter(|n| !n.is_empty());
                let date = input.decision_date.as_deref().and_then(domain::unit::parse_iso_date);
                let mut err = ValidationError::default();
                if number.is_none() {
                    err.push("decision_number", "assessment.decision_number_missing");
                }
                // Not before the period it judges (TT 124/2021 Điều 8 khoản 2 điểm b).
                let period_start = domain::recognition::period_start(rec.year as i32).map(domain::clock::iso);
                match &date {
                    None => err.push("decision_date", "assessment.decision_date_invalid"),
                    Some(d) if *d > today => err.push("decision_date", "assessment.decision_date_future"),
                    Some(d)
                        if rec.instrument == Instrument::SafeUnit && period_start.as_ref().is_some_and(|p| d < p) =>
                    {
                        err.push("decision_date", "recognition.decision_before_period")
                    }
                    _ => {}
                }
                if let Some((field, key)) =
                    domain::recognition::signer_problem(input.signer_name.as_deref(), input.signer_title.as_deref())
                {
                    err.push(field, key);
                }
                err.into_result()?;
                decision = number.map(str::to_string).zip(date);
            }
            Step::Return => {
                let r = input.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
                reason =
                    Some(r.ok_or_else(|| ValidationError::one("reason", "assessment.reason_missing"))?.to_string());
            }
            _ => {}
        }
        let submitted = if step == Step::Submit {
            let campaign = self.campaign(rec.year).await?;
            let first = rec.submitted_at.map(|_| rec.late);
            let today = store::clock::today();
            let day = input.submitted_on.filter(|d| *d <= today);
            let late = campaign.submission_late(rec.subject, day.unwrap_or(today), first);
            let at = day.and_then(|d| domain::clock::vietnam_hour_ms(d, 9)).unwrap_or_else(store::clock::now_ms);
            Some((rec.submitted_at.unwrap_or(at), late))
        } else {
            None
        };
        // Approval freezes the result as computed from the data of that moment.
        let frozen = if step == Step::Approve { Some(result_columns(&self.recompute(&rec).await?)) } else { None };
        let mut tx = self.store.begin_write().await?;
        if let Some(cols) = &frozen {
            tx.update_assessment_answers(id, &to_json(&rec.answers), cols).await?;
        }
        let dec = decision.as_ref().map(|(n, d)| (n.as_str(), d.as_str()));
        match tx.set_assessment_status(id, from.as_str(), next.as_str(), dec, reason.as_deref(), submitted).await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => return Err(AppError::Conflict("assessment.out_of_order")),
            Err(e) => return Err(e.into()),
        }
        // The verification (review) and the decision (approval) of a safe unit; a
        // return forgets both, as it forgets the decision number.
        if rec.instrument == Instrument::SafeUnit {
            match step {
                Step::Review => {
                    let remarks = input.remarks.as_deref().map(str::trim).filter(|r| !r.is_empty());
                    tx.set_verification(id, actor.user_id, store::clock::now_ms(), remarks).await?;
                }
                Step::Approve => {
                    let (body, authority) = self.deciding_body(&rec).await?;
                    let clean =
                        |s: &Option<String>| s.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
                    let (name, title) = (clean(&input.signer_name), clean(&input.signer_title));
                    tx.set_decision(id, &body, authority, (name.as_deref(), title.as_deref())).await?;
                }
                Step::Return => tx.clear_recognition(id).await?,
                _ => {}
            }
        }
        let mut after = tx.assessment(id).await?;
        // A passed safe-unit assessment gets, at approval, the code its certificate
        // carries and anyone can check at /verify/{code}.
        if after.status == Status::Approved
            && after.instrument == Instrument::SafeUnit
            && after.passed == Some(true)
            && after.certificate_code.is_none()
        {
            tx.set_certificate_code(id, &new_certificate_code()).await?;
            after = tx.assessment(id).await?;
        }
        let detail = serde_json::json!({"from": from.as_str(), "to": next.as_str(), "reason": reason,
            "decision": decision, "certificate_code": after.certificate_code});
        AuditEntry::new(Some(actor.user_id), "assessment.transition", "assessment", id)
            .before(&serde_json::json!({"status": from.as_str()}))
            .after(&detail)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(after)
    }
}

impl App {
    /// The body that decides a safe-unit assessment (TT 124/2021 Điều 10) by name,
    /// and its kind.
    pub async fn deciding_body(&self, rec: &AssessmentRecord) -> AppResult<(String, &'static str)> {
        let approver = self.campaign(rec.year).await?.commune_approver;
        let authority = domain::recognition::authority(rec.subject, manager_of(rec), approver);
        let commune = match &rec.commune_code {
            Some(c) => self.store.unit(c).await.map(|u| u.name).unwrap_or_default(),
            None => String::new(),
        };
        let province = self.store.unit(&rec.province_code).await.map(|u| u.name).unwrap_or_default();
        Ok((domain::recognition::body_name(authority, &commune, &province), authority.as_str()))
    }

    /// Who verified and who decided an assessment in scope.
    pub async fn recognition(
        &self,
        actor: &Actor,
        id: i64,
    ) -> AppResult<Option<store::recognition::RecognitionRecord>> {
        self.store.assessment(&actor.scope, id).await?;
        Ok(self.store.recognition(id).await?)
    }
}

/// A new certificate code: ten upper-case hexadecimal digits (40 random bits).
fn new_certificate_code() -> String {
    use rand::RngCore;
    let mut b = [0u8; 5];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode_upper(b)
}

/// A certificate code as printed ("0A1B2-C3D4E"), for people to read and type.
pub fn printed_certificate_code(code: &str) -> String {
    match (code.get(..5), code.get(5..)) {
        (Some(a), Some(b)) if !b.is_empty() => format!("{a}-{b}"),
        _ => code.to_string(),
    }
}

impl App {
    /// What the public verification page says of a certificate code (dashes,
    /// blanks and case ignored): `None` for a code that names no standing
    /// certificate.
    pub async fn verify_certificate(&self, code: &str) -> AppResult<Option<store::assessments::CertificateFacts>> {
        let code: String = code.chars().filter(|c| !matches!(c, '-' | ' ')).map(|c| c.to_ascii_uppercase()).collect();
        if code.len() != 10 || !code.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        Ok(self.store.certificate_facts(&code).await?)
    }

    /// The recognition certificate of an approved, passed safe-unit assessment, as PDF.
    /// Before approval, or when not passed, there is none (409).
    pub async fn certificate(&self, actor: &Actor, id: i64) -> AppResult<Vec<u8>> {
        let rec = self.store.assessment(&actor.scope, id).await?;
        let approved = matches!(rec.status, Status::Approved | Status::Published);
        if rec.instrument != Instrument::SafeUnit || !approved || rec.passed != Some(true) {
            return Err(AppError::Conflict("assessment.no_certificate"));
        }
        // Issued in the name of the body that decided (TT 124/2021 Điều 10), not the
        // police: the one recorded with the decision (a later change of the
        // campaign's configuration does not re-issue it in another's name); for a
        // decision recorded before bodies were, the one the rules give.
        let decided = self.store.recognition(rec.id).await?.unwrap_or_default();
        let authority = match decided.authority.as_deref().and_then(domain::recognition::Authority::parse) {
            Some(a) => a,
            None => {
                let approver = self.campaign(rec.year).await?.commune_approver;
                domain::recognition::authority(rec.subject, manager_of(&rec), approver)
            }
        };
        let province = self.store.unit(&rec.province_code).await?;
        let commune = match &rec.commune_code {
            Some(c) => Some(self.store.unit(c).await?),
            None => None,
        };
        let subject_name = match (&rec.unit_code, rec.organisation_id) {
            (Some(u), _) => self.store.unit(u).await?.name,
            (None, Some(o)) => self.store.organisation(&domain::Scope::Nation, o).await?.name,
            _ => String::new(),
        };
        let short = |name: &str| {
            ["Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu "]
                .iter()
                .find_map(|p| name.strip_prefix(p))
                .unwrap_or(name)
                .to_string()
        };
        let title = decided.signer_title.as_deref().map(str::to_uppercase).unwrap_or_else(|| "CHỦ TỊCH".to_string());
        let (line1, line2, place, signer) = match (authority, &commune) {
            (domain::recognition::Authority::CommunePeoplesCommittee, Some(c)) => (
                "ỦY BAN NHÂN DÂN".to_string(),
                c.name.to_uppercase(),
                short(&c.name),
                ("TM. ỦY BAN NHÂN DÂN".to_string(), title),
            ),
            (domain::recognition::Authority::Ministry, _) => (
                "BỘ CÔNG AN".to_string(),
                String::new(),
                "Hà Nội".to_string(),
                ("BỘ TRƯỞNG".to_string(), decided.signer_title.as_deref().map(str::to_uppercase).unwrap_or_default()),
            ),
            _ => (
                "ỦY BAN NHÂN DÂN".to_string(),
                province.name.to_uppercase(),
                short(&province.name),
                ("TM. ỦY BAN NHÂN DÂN".to_string(), title),
            ),
        };
        let location = match &commune {
            Some(c) if c.code != rec.unit_code.clone().unwrap_or_default() => format!("{}, {}", c.name, province.name),
            _ => province.name.clone(),
        };
        // Approval requires a decision date; generated national data approves
        // without one, and its certificate is dated 1 January of the year.
        let date = rec.decision_date.map_or((1, 1, rec.year as i32), |d| {
            (chrono::Datelike::day(&d), chrono::Datelike::month(&d), chrono::Datelike::year(&d))
        });
        let cert = crate::documents::Certificate {
            issuer_line1: line1,
            issuer_line2: line2,
            place,
            number: rec.decision_number.clone().unwrap_or_default(),
            date,
            year: rec.year,
            subject_name,
            location,
            signer,
            reference: rec.certificate_code.as_deref().map(printed_certificate_code).unwrap_or_default(),
            signer_name: decided.signer_name.clone().unwrap_or_default(),
            verify_url: rec
                .certificate_code
                .as_deref()
                .map(|code| format!("{}/verify/{code}", self.config.public_url.trim_end_matches('/')))
                .unwrap_or_default(),
        };
        crate::documents::certificate_pdf(&cert).map_err(AppError::Internal)
    }
}

impl App {
    /// Attaches an evidence file to a draft, to the whole assessment or to one
    /// criterion's answer: only the owner, at most [`domain::files::MAX_EVIDENCE_BYTES`]
    /// per file and [`domain::files::MAX_EVIDENCE_FILES`] per assessment, a JPEG, PNG
    /// or PDF by its bytes, images stripped of their metadata (location, camera,
    /// time) before storing. Audited.
    pub async fn add_evidence(
        &self,
        actor: &Actor,
        id: i64,
        file: &EvidenceUpload<'_>,
    ) -> AppResult<store::attachments::AttachmentInfo> {
        actor.require_write()?;
        let rec = self.store.assessment(&actor.scope, id).await?;
        if rec.status != Status::Draft {
            return Err(AppError::Conflict("assessment.not_draft"));
        }
        if !self.may_take(actor, &rec, Step::Submit).await? {
            return Err(AppError::Forbidden("assessment.not_owner"));
        }
        let criterion = file.criterion.map(str::trim).filter(|c| !c.is_empty());
        if let Some(code) = criterion {
            let set = self.assessment_set(&rec).await?;
            match set.criterion(code) {
                None => return Err(ValidationError::one("criterion", "assessment.criterion_unknown").into()),
                // A computed criterion is never answered, so it has no answer to support.
                Some(c) if c.computed.is_some() => {
                    return Err(ValidationError::one("criterion", "assessment.criterion_computed").into())
                }
                Some(_) => {}
            }
        }
        let checked = crate::uploads::checked_file(file.filename, file.declared_type, file.bytes).await?;
        let (detected, clean, name, sha) = (checked.content_type, checked.bytes, checked.name, checked.sha256);
        let mut tx = self.store.begin_write().await?;
        if tx.attachment_count(id).await? >= domain::files::MAX_EVIDENCE_FILES {
            return Err(AppError::Conflict("evidence.too_many"));
        }
        let new = store::attachments::NewAttachment {
            filename: &name,
            content_type: detected,
            sha256: &sha,
            data: &clean,
            criterion,
        };
        let att = tx.insert_attachment(id, &new, actor.user_id).await?;
        let after = serde_json::json!({"attachment": att, "filename": name, "sha256": sha, "bytes": clean.len(), "criterion": criterion});
        AuditEntry::new(Some(actor.user_id), "assessment.evidence", "assessment", id)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        self.store.attachments(id).await?.into_iter().find(|a| a.id == att).ok_or(AppError::NotFound)
    }

    /// The evidence files of an assessment in scope.
    pub async fn evidence_list(&self, actor: &Actor, id: i64) -> AppResult<Vec<store::attachments::AttachmentInfo>> {
        self.store.assessment(&actor.scope, id).await?;
        Ok(self.store.attachments(id).await?)
    }

    /// One evidence file of an assessment in scope.
    pub async fn evidence(
        &self,
        actor: &Actor,
        id: i64,
        attachment: i64,
    ) -> AppResult<(store::attachments::AttachmentInfo, Vec<u8>)> {
        self.store.assessment(&actor.scope, id).await?;
        Ok(self.store.attachment(id, attachment).await?)
    }
}
