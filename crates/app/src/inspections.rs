//! Inspections: a unit plans one of units below it or of organisations (agencies,
//! enterprises, schools) in its scope (team = the caller's unit), records
//! findings per target, and each recommendation becomes a follow-up task assigned
//! to the inspected unit — for an organisation, to the police unit managing it,
//! which follows it up with the organisation — tracked like any task; the
//! inspection is closed when every follow-up is done.

use chrono::{Datelike, NaiveDate};
use domain::inspection::{self, InspectionStatus};
use domain::ValidationError;
use serde::{Deserialize, Serialize};
use store::inspections::{FindingRow, InspectionRecord, Target, TargetRow};
use store::tasks::NewTask;
use store::StoreError;

use domain::clock::parse_iso as date;
use store::audit::AuditEntry;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// A new inspection as submitted.
#[derive(Debug, Clone, Deserialize)]
pub struct InspectionInput {
    /// Title.
    pub title: String,
    /// Units inspected (below the caller's unit).
    #[serde(default)]
    pub targets: Vec<String>,
    /// Organisations inspected (in the caller's scope), by id.
    #[serde(default)]
    pub organisations: Vec<i64>,
    /// First day (YYYY-MM-DD).
    pub from: String,
    /// Last day.
    pub to: String,
}

/// A finding as submitted.
#[derive(Debug, Clone, Deserialize)]
pub struct FindingInput {
    /// The inspected unit (not needed for an organisation).
    #[serde(default)]
    pub unit_code: String,
    /// The inspected organisation, when the finding is on one.
    #[serde(default)]
    pub organisation_id: Option<i64>,
    /// What was found.
    pub text: String,
    /// What is to be done.
    pub recommendation: String,
    /// By when (YYYY-MM-DD).
    pub follow_up_due: String,
}

/// An inspection with its status.
#[derive(Debug, Clone, Serialize)]
pub struct InspectionLine {
    /// The record.
    #[serde(flatten)]
    pub inspection: InspectionRecord,
    /// planned | under_way | follow_up | closed.
    pub status: InspectionStatus,
}

/// One inspection as the caller sees it.
#[derive(Debug, Clone, Serialize)]
pub struct InspectionView {
    /// The inspection and its status.
    #[serde(flatten)]
    pub line: InspectionLine,
    /// Units inspected (the caller's own only, unless it holds the team).
    pub targets: Vec<TargetRow>,
    /// Findings with their follow-up's progress.
    pub items: Vec<FindingRow>,
    /// Whether the caller's scope holds the team (it records findings).
    pub caller_inspects: bool,
}

/// A year's inspections in scope with their figures.
#[derive(Debug, Clone, Serialize)]
pub struct InspectionList {
    /// Year.
    pub year: i64,
    /// Inspections.
    pub items: Vec<InspectionLine>,
    /// Inspections planned in the year.
    pub planned: usize,
    /// Of them over (follow-up or closed).
    pub done: usize,
    /// Findings.
    pub findings: i64,
    /// Findings whose follow-up is not done.
    pub findings_open: i64,
}

fn line(r: InspectionRecord, today: NaiveDate) -> InspectionLine {
    let status = inspection::status(r.starts_on, r.ends_on, today, r.findings, r.follow_ups_done);
    InspectionLine { inspection: r, status }
}

impl App {
    /// Plans an inspection of units below the caller's; returns its id.
    pub async fn create_inspection(&self, actor: &Actor, input: &InspectionInput) -> AppResult<i64> {
        actor.require_police_write()?;
        let team = self.actor_place(actor).await?;
        let (starts, ends) = (date(&input.from), date(&input.to));
        inspection::check_new(&input.title, starts, ends, input.targets.len() + input.organisations.len())?;
        let (Some(starts), Some(ends)) = (starts, ends) else {
            return Err(AppError::Internal("validated dates missing".into()));
        };
        let mut targets: Vec<Target> = Vec::new();
        for (i, code) in input.targets.iter().enumerate() {
            let place = self.unit_in_scope(actor, code).await?;
            let field = format!("targets[{i}]");
            if place.code == team.code {
                return Err(ValidationError::one(&field, "inspection.target_not_below").into());
            }
            if targets.iter().any(|t| t.place.code == place.code) {
                return Err(ValidationError::one(&field, "task.assignee_twice").into());
            }
            targets.push(Target { place, organisation: None });
        }
        for (i, id) in input.organisations.iter().enumerate() {
            let place = self.organisation_target(actor, *id).await?;
            if targets.iter().any(|t| t.organisation == Some(*id)) {
                return Err(ValidationError::one(&format!("organisations[{i}]"), "task.assignee_twice").into());
            }
            targets.push(Target { place, organisation: Some(*id) });
        }
        let iso = domain::clock::iso;
        let year = i64::from(starts.year());
        let title = input.title.trim();
        let mut tx = self.store.begin_write().await?;
        let id = tx.insert_inspection(year, title, &team, &iso(starts), &iso(ends), &targets, actor.user_id).await?;
        let after = serde_json::json!({"title": title, "unit_code": team.code, "from": iso(starts), "to": iso(ends),
            "targets": targets.iter().filter(|t| t.organisation.is_none()).map(|t| t.place.code.as_str()).collect::<Vec<_>>(),
            "organisations": input.organisations});
        AuditEntry::new(Some(actor.user_id), "inspection.create", "inspection", id)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records a finding on a target and its follow-up task; returns (finding, task).
    pub async fn record_finding(&self, actor: &Actor, id: i64, input: &FindingInput) -> AppResult<(i64, i64)> {
        actor.require_police_write()?;
        let team = self.actor_place(actor).await?;
        let ins = self.store.inspection(&actor.scope, id).await?;
        if ins.unit_code != team.code {
            // Only the team records findings; a target does not exist for others.
            return Err(AppError::NotFound);
        }
        let starts = ins.starts_on;
        let due = date(&input.follow_up_due);
        let (text, recommendation) = (input.text.trim(), input.recommendation.trim());
        inspection::check_finding(text, recommendation, due, starts)?;
        let due = due.ok_or_else(|| AppError::Internal("validated due missing".into()))?;
        let (target, whom) = match input.organisation_id {
            Some(id) => {
                let place = self.organisation_target(actor, id).await?;
                let name = self.organisation(actor, id).await?.name;
                (Target { place, organisation: Some(id) }, format!(" ({name})"))
            }
            None => (
                Target { place: self.unit_in_scope(actor, &input.unit_code).await?, organisation: None },
                String::new(),
            ),
        };
        let title: String =
            format!("Khắc phục sau kiểm tra{whom}: {recommendation}").chars().take(domain::task::TITLE_MAX).collect();
        let title = title.replace(['\r', '\n', '\t'], " ");
        let task = NewTask {
            year: ins.year,
            title,
            directive_id: None,
            parent_id: None,
            issued_on: domain::clock::iso(ins.starts_on),
            due: domain::clock::iso(due),
            indicator: None,
        };
        let mut tx = self.store.begin_write().await?;
        let task_id = tx.insert_task(&task, &team, std::slice::from_ref(&target.place), actor.user_id).await?;
        let finding = match tx.insert_finding(id, &target, text, recommendation, task_id, actor.user_id).await {
            Err(StoreError::NotFound) => {
                let field = if target.organisation.is_some() { "organisation_id" } else { "unit_code" };
                return Err(ValidationError::one(field, "inspection.not_a_target").into());
            }
            other => other?,
        };
        let after = serde_json::json!({"inspection_id": id, "unit_code": target.place.code,
            "organisation_id": target.organisation, "text": text,
            "recommendation": recommendation, "follow_up_due": task.due, "task_id": task_id});
        AuditEntry::new(Some(actor.user_id), "inspection.finding", "inspection_finding", finding)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok((finding, task_id))
    }

    /// The unit managing an organisation in the caller's scope (404 outside it):
    /// where an inspection of the organisation is recorded and followed up.
    async fn organisation_target(&self, actor: &Actor, id: i64) -> AppResult<domain::unit::UnitPlace> {
        let org = self.organisation(actor, id).await?;
        Ok(self.kept_unit(&org.unit_code).await?.place())
    }

    /// One inspection as the caller sees it.
    pub async fn inspection(&self, actor: &Actor, id: i64) -> AppResult<InspectionView> {
        let r = self.store.inspection(&actor.scope, id).await?;
        let place = self.kept_unit(&r.unit_code).await?.place();
        let caller_inspects = actor.scope.contains(&place);
        let targets = self.store.inspection_targets(id, (!caller_inspects).then_some(&actor.scope)).await?;
        let items = self.store.inspection_findings(&actor.scope, id).await?;
        let line = line(r, store::clock::today());
        Ok(InspectionView { line, targets, items, caller_inspects })
    }

    /// A year's inspections in the caller's scope, with done against planned and
    /// findings open and closed.
    pub async fn inspections(&self, actor: &Actor, year: Option<i64>) -> AppResult<InspectionList> {
        let year = crate::tasks::checked_year(year)?;
        let today = store::clock::today();
        let items = self
            .store
            .list_inspections(&actor.scope, year)
            .await?
            .into_iter()
            .map(|r| line(r, today))
            .collect::<Vec<_>>();
        let done =
            items.iter().filter(|l| matches!(l.status, InspectionStatus::FollowUp | InspectionStatus::Closed)).count();
        let findings: i64 = items.iter().map(|l| l.inspection.findings).sum();
        let closed: i64 = items.iter().map(|l| l.inspection.follow_ups_done).sum();
        Ok(InspectionList { year, planned: items.len(), done, findings, findings_open: findings - closed, items })
    }
}
