//! Directives and implementing plans: a unit records a document it issued (or
//! received from outside the system) and may ask every unit of one level below it
//! for an implementing plan by a date; each owing unit records its plan.

use chrono::NaiveDate;
use domain::clock::parse_iso as date;
use domain::directive::{self, DirectiveKind, PlanStatus, PlanTally};
use domain::{Level, Scope, ValidationError};
use serde::{Deserialize, Serialize};
use store::directives::{DirectiveRecord, NewDirective, PlanRow};
use store::StoreError;

use store::audit::AuditEntry;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// A new directive as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DirectiveInput {
    /// directive | plan | programme | coordination.
    pub kind: String,
    /// Document number.
    pub number: String,
    /// YYYY-MM-DD.
    pub issued_on: String,
    /// Title.
    pub title: String,
    /// Summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// Partners of a coordination programme (the Mặt trận, a mass organisation).
    #[serde(default)]
    pub partners: Option<String>,
    /// Issuing unit (default: the caller's).
    #[serde(default)]
    pub unit_code: Option<String>,
    /// Plans asked by (YYYY-MM-DD).
    #[serde(default)]
    pub plans_due: Option<String>,
    /// province | commune.
    #[serde(default)]
    pub plans_from: Option<String>,
}

/// A plan as recorded by the unit that owes it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PlanInput {
    /// Plan number.
    pub number: String,
    /// YYYY-MM-DD.
    pub issued_on: String,
    /// Title.
    pub title: String,
}

/// One owing unit's line, with its computed status.
#[derive(Debug, Clone, Serialize)]
pub struct PlanLine {
    /// The unit.
    pub unit_code: String,
    /// Its name.
    pub unit_name: String,
    /// issued | missing | late.
    pub status: PlanStatus,
    /// The plan row's id, once recorded.
    pub plan_id: Option<i64>,
    /// Plan number.
    pub number: Option<String>,
    /// Plan date.
    pub issued_on: Option<NaiveDate>,
    /// Plan title.
    pub title: Option<String>,
}

/// The plans of a directive as the caller sees them.
#[derive(Debug, Clone, Serialize)]
pub struct PlansView {
    /// Counts.
    #[serde(flatten)]
    pub tally: PlanTally,
    /// "118/126".
    pub share: String,
    /// One line per owing unit in the caller's scope.
    pub items: Vec<PlanLine>,
}

/// A directive with its plans.
#[derive(Debug, Clone, Serialize)]
pub struct DirectiveView {
    /// The directive.
    #[serde(flatten)]
    pub directive: DirectiveRecord,
    /// Its plans, when it asks for them.
    pub plans: Option<PlansView>,
    /// Whether the caller's unit owes a plan not yet recorded.
    pub caller_owes: bool,
}

impl App {
    /// Records a directive; returns its id.
    pub async fn create_directive(&self, actor: &Actor, input: &DirectiveInput) -> AppResult<i64> {
        actor.require_police_write()?;
        let new = checked_directive(input)?;
        let issuer = match &input.unit_code {
            Some(c) if !c.trim().is_empty() => self.unit_in_scope(actor, c).await?,
            _ => self.actor_place(actor).await?,
        };
        if let Some((_, from)) = &new.plans {
            if !directive::may_ask(issuer.level, *from) {
                return Err(ValidationError::one("plans_from", "directive.plans_level").into());
            }
        }
        let mut tx = self.store.begin_write().await?;
        let id = tx.insert_directive(&new, &issuer, actor.user_id).await?;
        let asked = match &new.plans {
            Some((_, level)) => tx.insert_owed_plans(id, *level, &Scope::of_unit(&issuer)).await?,
            None => 0,
        };
        let after = serde_json::json!({
            "kind": new.kind, "number": new.number, "issued_on": new.issued_on, "title": new.title,
            "unit_code": issuer.code, "plans_due": new.plans.as_ref().map(|p| p.0.clone()),
            "plans_from": new.plans.as_ref().map(|p| p.1.as_str()), "plans_asked": asked,
        });
        AuditEntry::new(Some(actor.user_id), "directive.create", "directive", id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Directives the caller sees, newest first.
    pub async fn list_directives(
        &self,
        actor: &Actor,
        limit: i64,
        offset: i64,
    ) -> AppResult<(Vec<DirectiveRecord>, i64)> {
        let line = self.actor_line(actor).await?;
        Ok(self.store.list_directives(&actor.scope, &line, limit, offset).await?)
    }

    /// One directive with the plans inside the caller's scope.
    pub async fn directive(&self, actor: &Actor, id: i64) -> AppResult<DirectiveView> {
        let line = self.actor_line(actor).await?;
        let d = self.store.directive(&actor.scope, &line, id).await?;
        let plans = match d.plans_due {
            Some(due) => Some(plans_view(self.store.directive_plans(&actor.scope, id).await?, due)),
            None => None,
        };
        let caller_owes = match (&plans, &actor.unit_code) {
            (Some(p), Some(u)) => p.items.iter().any(|l| &l.unit_code == u && l.plan_id.is_none()),
            _ => false,
        };
        Ok(DirectiveView { directive: d, plans, caller_owes })
    }

    /// Records the plan the caller's unit owes; returns the plan row's id.
    pub async fn record_plan(&self, actor: &Actor, directive_id: i64, input: &PlanInput) -> AppResult<i64> {
        actor.require_police_write()?;
        let line = self.actor_line(actor).await?;
        let directive = self.store.directive(&actor.scope, &line, directive_id).await?;
        let unit = actor.unit_code.clone().ok_or(AppError::NotFound)?;
        let mut e = ValidationError::default();
        if input.number.trim().is_empty() {
            e.push("number", "directive.number_empty");
        }
        if input.title.trim().is_empty() {
            e.push("title", "directive.title_empty");
        }
        let issued = date(&input.issued_on);
        match issued {
            None => e.push("issued_on", "directive.date_invalid"),
            Some(d) if d < directive.issued_on => e.push("issued_on", "directive.plan_before_directive"),
            Some(_) => {}
        }
        e.into_result()?;
        ValidationError::check_clean_lines(&[("number", &input.number), ("title", &input.title)])?;
        let issued = issued.map(domain::clock::iso).unwrap_or_default();
        let mut tx = self.store.begin_write().await?;
        let id = match tx
            .record_plan(directive_id, &unit, input.number.trim(), &issued, input.title.trim(), actor.user_id)
            .await
        {
            Ok(id) => id,
            Err(StoreError::Conflict(_)) => return Err(AppError::Conflict("directive.plan_recorded")),
            Err(e) => return Err(e.into()),
        };
        let after = serde_json::json!({"directive_id": directive_id, "unit_code": unit, "number": input.number.trim(), "issued_on": issued, "title": input.title.trim()});
        AuditEntry::new(Some(actor.user_id), "directive.plan", "directive_plan", id)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// Checks a submitted directive and turns it into the stored shape.
fn checked_directive(input: &DirectiveInput) -> AppResult<NewDirective> {
    let mut e = ValidationError::default();
    let kind = DirectiveKind::parse(input.kind.trim());
    if kind.is_none() {
        e.push("kind", "directive.kind_unknown");
    }
    let issued = date(&input.issued_on);
    let due = input.plans_due.as_deref().filter(|s| !s.trim().is_empty()).map(date);
    let from = input.plans_from.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let level = match from {
        Some(f) => match Level::parse(f) {
            Some(l @ (Level::Province | Level::Commune)) => Some(l),
            _ => {
                e.push("plans_from", "directive.plans_level");
                None
            }
        },
        None => None,
    };
    if due.is_some() != from.is_some() {
        e.push(if due.is_some() { "plans_from" } else { "plans_due" }, "directive.plans_incomplete");
    }
    if let Err(more) = directive::check_new(&input.number, &input.title, issued, due) {
        e.errors.extend(more.errors);
    }
    let long = |s: &Option<String>, most: usize| s.as_deref().is_some_and(|s| s.chars().count() > most);
    if long(&input.summary, directive::SUMMARY_MAX) {
        e.push("summary", "directive.summary_too_long");
    }
    if long(&input.partners, directive::TITLE_MAX) {
        e.push("partners", "directive.partners_too_long");
    }
    e.into_result()?;
    // (Number and title were checked for line breaks with the rest by check_new.)
    ValidationError::check_clean_lines(&[("partners", input.partners.as_deref().unwrap_or(""))])?;
    let text = |s: &Option<String>| s.as_deref().map(str::trim).unwrap_or_default().to_string();
    let (Some(kind), Some(issued)) = (kind, issued) else {
        return Err(AppError::Internal("validated fields missing".into()));
    };
    let iso = domain::clock::iso;
    Ok(NewDirective {
        kind: kind.as_str(),
        number: input.number.trim().to_string(),
        issued_on: iso(issued),
        title: input.title.trim().to_string(),
        summary: text(&input.summary),
        partners: text(&input.partners),
        plans: match (due, level) {
            (Some(Some(d)), Some(l)) => Some((iso(d), l)),
            _ => None,
        },
    })
}

/// The plan lines with their statuses and counts, today in Vietnam.
fn plans_view(rows: Vec<PlanRow>, due: NaiveDate) -> PlansView {
    let today = store::clock::today();
    let mut tally = PlanTally::default();
    let items: Vec<PlanLine> = rows
        .into_iter()
        .map(|r| {
            let status = directive::plan_status(due, r.issued_on, today);
            tally.add(status, r.issued_on.is_some());
            PlanLine {
                unit_code: r.unit_code,
                unit_name: r.unit_name,
                status,
                plan_id: r.issued_on.map(|_| r.id),
                number: r.number,
                issued_on: r.issued_on,
                title: r.title,
            }
        })
        .collect();
    PlansView { share: tally.share(), tally, items }
}
