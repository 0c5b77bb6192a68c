//! Emulation and awards: the award catalogue (shipped as data, `data/awards/`),
//! nominations proposed by a unit's police for a collective or a person, and their
//! way up — verified by the level above's police, decided by the authority, or
//! returned with reasons — each step audited. For the Kỷ niệm chương the time rule
//! is computed from the service periods entered (`domain::awards::medal`); what the
//! system cannot know the proposer confirms and the verifier sees.

use domain::awards::medal::{self, ServicePeriod, Sex};
use domain::awards::{NominationStatus, Recipient};
use domain::{Level, ValidationError};
use serde::Deserialize;
use store::audit::AuditEntry;
use store::nominations::{NewNomination, NominationFilter, NominationRecord};
use store::StoreError;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// The collective a nomination is for.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CollectiveInput {
    /// A unit (commune, residential area, province).
    #[serde(default)]
    pub unit_code: Option<String>,
    /// An organisation.
    #[serde(default)]
    pub organisation_id: Option<i64>,
}

/// The person a nomination is for: the few fields the file needs.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct IndividualInput {
    /// Full name.
    pub name: String,
    /// Year of birth.
    pub birth_year: i64,
    /// male | female.
    pub sex: String,
    /// Position.
    pub position: String,
    /// The unit the person serves in.
    pub unit_code: String,
    /// Periods of service (for the Kỷ niệm chương).
    #[serde(default)]
    pub service: Vec<ServicePeriod>,
}

/// What the proposer confirms (the system cannot know it); shown to the verifier.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
pub struct Confirmed {
    /// Commended at least once for security achievements (a leader).
    #[serde(default)]
    pub commended: bool,
    /// No serious incident in the unit led (a leader).
    #[serde(default)]
    pub no_serious_incident: bool,
    /// Assessed as completing tasks well (a team member).
    #[serde(default)]
    pub completed_tasks_well: bool,
    /// Holds a medal the circular lists (excluded).
    #[serde(default)]
    pub holds_listed_medal: bool,
    /// Prosecuted (excluded).
    #[serde(default)]
    pub prosecuted: bool,
    /// Under discipline or an open inquiry (deferred).
    #[serde(default)]
    pub under_discipline: bool,
}

/// Body of `POST /api/v1/nominations`.
#[derive(Debug, Clone, Deserialize)]
pub struct NominationInput {
    /// Award type code.
    pub award_type: String,
    /// Year of the achievements.
    pub year: i64,
    /// For a collective.
    #[serde(default)]
    pub collective: Option<CollectiveInput>,
    /// For a person.
    #[serde(default)]
    pub individual: Option<IndividualInput>,
    /// The achievements.
    #[serde(default)]
    pub achievements: String,
    /// What the proposer confirms.
    #[serde(default)]
    pub confirmed: Confirmed,
    /// The proposer has checked that a likely duplicate is another person.
    #[serde(default)]
    pub not_a_duplicate: bool,
}

/// A step on a nomination.
#[derive(Debug, Clone, Deserialize)]
pub struct NominationStep {
    /// verified | decided | returned | proposed (sent again).
    pub to: String,
    /// Why it is returned.
    #[serde(default)]
    pub reason: Option<String>,
    /// The decision's number.
    #[serde(default)]
    pub decision_number: Option<String>,
    /// The decision's date (YYYY-MM-DD).
    #[serde(default)]
    pub decision_date: Option<String>,
    /// The decision lets the public honour roll show it (a person only so).
    #[serde(default)]
    pub public: bool,
}

impl App {
    /// Proposes a nomination; the Kỷ niệm chương's time rule is computed and stored
    /// with it.
    pub async fn nominate(
        &self,
        actor: &Actor,
        input: &NominationInput,
    ) -> AppResult<(NominationRecord, serde_json::Value)> {
        actor.require_police_write()?;
        let award = self.award_type(&input.award_type, input.year).await?;
        let level = actor.role.unit_level().ok_or(AppError::Forbidden("auth.not_allowed"))?;
        if !award.proposers.contains(&level) {
            return Err(AppError::Forbidden("nomination.may_not_propose"));
        }
        let mut err = ValidationError::default();
        let this_year = store::clock::current_year();
        if !(2000..=this_year).contains(&input.year) {
            err.push("year", "nomination.year_invalid");
        }
        let achievements = input.achievements.trim();
        if achievements.chars().count() > 4000 {
            err.push("achievements", "nomination.achievements_too_long");
        }
        let recipient = match (&input.collective, &input.individual) {
            (Some(_), None) => Recipient::Collective,
            (None, Some(_)) => Recipient::Individual,
            _ => return Err(ValidationError::one("individual", "nomination.one_recipient").into()),
        };
        if !award.recipients.contains(&recipient) {
            err.push("award_type", "nomination.not_for_recipient");
        }
        let today = store::clock::today();
        let mut person = None;
        let mut service_json = None;
        let mut eligibility = serde_json::Value::Null;
        let (unit_code, organisation_id) = match (&input.collective, &input.individual) {
            (Some(c), _) => {
                match (c.unit_code.as_deref().map(str::trim).filter(|u| !u.is_empty()), c.organisation_id) {
                    (Some(u), None) => (u.to_string(), None),
                    (None, Some(o)) => {
                        let org = self.store.organisation(&actor.scope, o).await.map_err(|e| match e {
                            StoreError::NotFound => {
                                AppError::from(ValidationError::one("organisation_id", "nomination.subject_unknown"))
                            }
                            other => other.into(),
                        })?;
                        (org.unit_code, Some(o))
                    }
                    _ => return Err(ValidationError::one("collective", "nomination.one_recipient").into()),
                }
            }
            (None, Some(i)) => {
                let name = i.name.trim();
                if !(2..=120).contains(&name.chars().count()) {
                    err.push("individual.name", "nomination.name_invalid");
                }
                if !(1900..=this_year - 16).contains(&i.birth_year) {
                    err.push("individual.birth_year", "nomination.birth_year_invalid");
                }
                let sex = Sex::parse(i.sex.trim());
                if sex.is_none() {
                    err.push("individual.sex", "nomination.sex_invalid");
                }
                if !(2..=200).contains(&i.position.trim().chars().count()) {
                    err.push("individual.position", "nomination.position_invalid");
                }
                if award.rule.as_deref() == Some("kyniemchuong") {
                    if let Err(errs) = medal::check_periods(&i.service, today) {
                        for (_, code) in errs {
                            err.push("individual.service", code);
                        }
                    }
                }
                if let (Some(sex), true) = (sex, err.errors.is_empty() && award.rule.is_some()) {
                    let c = &input.confirmed;
                    let excluded = if c.holds_listed_medal {
                        Some("medal.holds_listed_medal")
                    } else if c.prosecuted {
                        Some("medal.prosecuted")
                    } else if c.under_discipline {
                        Some("medal.deferred")
                    } else {
                        None
                    };
                    let e = medal::eligibility(sex, &i.service, today, false, excluded);
                    eligibility = serde_json::to_value(&e).unwrap_or_default();
                }
                person =
                    Some((name.to_string(), i.birth_year, i.sex.trim().to_string(), i.position.trim().to_string()));
                service_json = Some(serde_json::to_string(&i.service).unwrap_or_default());
                (i.unit_code.trim().to_string(), None)
            }
            (None, None) => return Err(ValidationError::one("individual", "nomination.one_recipient").into()),
        };
        // The unit named is one in force in the proposer's scope.
        let unit = match self.store.unit(&unit_code).await {
            Ok(u) if u.valid_to.is_none() && actor.scope.contains(&u.place()) => Some(u),
            Ok(_) | Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        if unit.is_none() {
            err.push("unit_code", "nomination.subject_unknown");
        }
        err.into_result()?;
        let unit = unit.ok_or(AppError::NotFound)?;
        // Once per person: a likely duplicate (same name, year of birth, unit) is asked about.
        if let (Some((name, birth, _, _)), true, false) = (&person, award.rule.is_some(), input.not_a_duplicate) {
            if self
                .store
                .likely_same_person(&award.code, &domain::text::fold(name), *birth, &unit.code)
                .await?
                .is_some()
            {
                return Err(AppError::Conflict("nomination.likely_duplicate"));
            }
        }
        let own = actor.unit_code.clone().ok_or(AppError::NotFound)?;
        let new = NewNomination {
            year: input.year,
            award_type: award.code.clone(),
            recipient,
            unit_code: unit.code.clone(),
            organisation_id,
            person,
            service_json,
            eligibility_json: (!eligibility.is_null()).then(|| eligibility.to_string()),
            confirmed_json: Some(serde_json::to_string(&input.confirmed).unwrap_or_default()),
            achievements: achievements.to_string(),
            proposer: (own, level.as_str().to_string()),
            place: (unit.province_code.clone().unwrap_or_default(), unit.commune_code.clone()),
        };
        let mut tx = self.store.begin_write().await?;
        let id = tx.insert_nomination(&new, actor.user_id).await?;
        // The audit names the file, not the person's details.
        let after = serde_json::json!({"award_type": award.code, "year": input.year, "recipient": recipient.as_str(), "unit": unit.code, "eligibility": eligibility.get("status")});
        AuditEntry::new(Some(actor.user_id), "nomination.propose", "nomination", id)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok((self.store.nomination(&actor.scope, id).await?, eligibility))
    }

    /// A step on a nomination in scope: verified, decided (with the decision),
    /// returned (with reasons), or proposed again.
    pub async fn nomination_step(&self, actor: &Actor, id: i64, step: &NominationStep) -> AppResult<NominationRecord> {
        actor.require_police_write()?;
        let n = self.store.nomination(&actor.scope, id).await?;
        let to = NominationStatus::parse(step.to.trim())
            .ok_or_else(|| ValidationError::one("to", "nomination.step_invalid"))?;
        let award = self.award_type(&n.award_type, n.year).await?;
        let acting = actor.role.unit_level().ok_or(AppError::Forbidden("auth.not_allowed"))?;
        let proposer = Level::parse(&n.proposer_level).ok_or_else(|| AppError::Internal("proposer level".into()))?;
        let next = domain::awards::next_status(n.status, to, acting, proposer, award.decider).map_err(|k| match k {
            "nomination.not_your_step" => AppError::Forbidden("nomination.not_your_step"),
            other => AppError::Conflict(other),
        })?;
        let mut err = ValidationError::default();
        let reason = step.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
        if next == NominationStatus::Returned && reason.is_none_or(|r| r.chars().count() < 5) {
            err.push("reason", "nomination.reason_required");
        }
        let decision = if next == NominationStatus::Decided {
            let number = step.decision_number.as_deref().map(str::trim).filter(|x| !x.is_empty());
            let date = step.decision_date.as_deref().and_then(domain::unit::parse_day);
            if number.is_none() {
                err.push("decision_number", "nomination.decision_number_required");
            }
            match date {
                None => err.push("decision_date", "nomination.decision_date_invalid"),
                Some(d) if d > store::clock::today() || chrono::Datelike::year(&d) < n.year as i32 => {
                    err.push("decision_date", "nomination.decision_date_invalid")
                }
                Some(_) => {}
            }
            number.zip(date.map(|d| d.to_string()))
        } else {
            None
        };
        err.into_result()?;
        let public = next == NominationStatus::Decided && step.public;
        let mut tx = self.store.begin_write().await?;
        let moved = tx
            .move_nomination(id, n.status, next, decision.as_ref().map(|(a, b)| (*a, b.as_str())), reason, public)
            .await?;
        if moved == 0 {
            return Err(AppError::Conflict("nomination.step_invalid"));
        }
        let after = serde_json::json!({"from": n.status.as_str(), "to": next.as_str(), "reason": reason, "decision": decision, "public": public});
        AuditEntry::new(Some(actor.user_id), "nomination.step", "nomination", id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(self.store.nomination(&actor.scope, id).await?)
    }

    /// One nomination in scope.
    pub async fn nomination(&self, actor: &Actor, id: i64) -> AppResult<NominationRecord> {
        Ok(self.store.nomination(&actor.scope, id).await?)
    }

    /// Nominations in scope matching a filter.
    pub async fn nominations(
        &self,
        actor: &Actor,
        f: &NominationFilter,
        limit: i64,
        offset: i64,
    ) -> AppResult<(Vec<NominationRecord>, i64)> {
        Ok(self.store.list_nominations(&actor.scope, f, limit, offset).await?)
    }

    /// The register of awards of a year in scope (the decided nominations) as XLSX:
    /// form, recipient, unit, decision.
    pub async fn award_register_xlsx(&self, actor: &Actor, year: i64) -> AppResult<Vec<u8>> {
        let f = NominationFilter { year: Some(year), status: Some(NominationStatus::Decided), ..Default::default() };
        let names = self.award_catalogue(year).await?.names();
        let all = crate::export::all_pages(1000, |offset| self.store.list_nominations(&actor.scope, &f, 1000, offset))
            .await?;
        let rows: Vec<Vec<String>> = all
            .iter()
            .map(|n| {
                vec![
                    n.year.to_string(),
                    names.get(&n.award_type).cloned().unwrap_or_else(|| n.award_type.clone()),
                    n.person_name.clone().unwrap_or_else(|| n.unit_name.clone()),
                    n.birth_year.map(|y| y.to_string()).unwrap_or_default(),
                    n.position.clone().unwrap_or_default(),
                    n.unit_name.clone(),
                    n.decision_number.clone().unwrap_or_default(),
                    n.decision_date.as_deref().map(vn_date).unwrap_or_default(),
                ]
            })
            .collect();
        let head = [
            "Năm",
            "Hình thức",
            "Tập thể, cá nhân",
            "Năm sinh",
            "Chức vụ",
            "Đơn vị",
            "Số quyết định",
            "Ngày quyết định",
        ];
        crate::export::xlsx_table("So khen thuong", &head, &rows)
    }
}

/// A YYYY-MM-DD day as dd/mm/yyyy (as the register prints it).
fn vn_date(iso: &str) -> String {
    domain::unit::parse_day(iso).map_or_else(|| iso.to_string(), |d| d.format("%d/%m/%Y").to_string())
}
