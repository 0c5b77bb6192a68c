//! Key tasks: create (optionally under a directive, or as a sub-task splitting the
//! caller's own assignment), report progress, read a task with its assignees, and a
//! unit's programme for a year. Overdue is computed from today's date in Vietnam.

use chrono::{Datelike, NaiveDate};
use domain::task::{self, AssigneeStatus, Figures, Indicator};
use domain::unit::UnitPlace;
use domain::ValidationError;
use serde::{Deserialize, Serialize};
use store::tasks::{AssignmentRecord, NewTask, TaskRecord};
use store::StoreError;

use domain::clock::parse_iso as date;
use store::audit::AuditEntry;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// Deepest chain of sub-tasks followed when rolling up (ministry → province →
/// commune → residential area, with room to spare).
const MOST_LEVELS: usize = store::tasks::MOST_DEPTH;

/// A task's indicator as submitted.
#[derive(Debug, Clone, Deserialize)]
pub struct IndicatorInput {
    /// What is counted.
    pub name: String,
    /// Target.
    pub target: f64,
}

/// A new task as submitted.
#[derive(Debug, Clone, Deserialize)]
pub struct TaskInput {
    /// Title.
    pub title: String,
    /// YYYY-MM-DD.
    pub due: String,
    /// Assigned units.
    pub assignees: Vec<String>,
    /// Directive it implements.
    #[serde(default)]
    pub directive_id: Option<i64>,
    /// The task whose assignment (the caller's unit's) this one splits.
    #[serde(default)]
    pub parent_id: Option<i64>,
    /// Measurable indicator.
    #[serde(default)]
    pub indicator: Option<IndicatorInput>,
    /// Issue date (default today); the due date may not be before it.
    #[serde(default)]
    pub issued_on: Option<String>,
    /// The programme year it belongs to (default: the year of the issue date).
    #[serde(default)]
    pub year: Option<i64>,
}

/// A progress report as submitted.
#[derive(Debug, Clone, Deserialize)]
pub struct ProgressInput {
    /// The assigned unit (default: the caller's).
    #[serde(default)]
    pub unit_code: Option<String>,
    /// 0–100.
    pub percent: i64,
    /// Indicator value.
    #[serde(default)]
    pub value: Option<f64>,
    /// What was done, what is in the way.
    #[serde(default)]
    pub note: Option<String>,
}

/// One assignee's line on a task.
#[derive(Debug, Clone, Serialize)]
pub struct AssigneeLine {
    /// The unit.
    pub unit_code: String,
    /// Its name.
    pub unit_name: String,
    /// Effective percent.
    pub percent: i64,
    /// Effective indicator value.
    pub value: Option<f64>,
    /// done | on_track | overdue.
    pub status: AssigneeStatus,
    /// The sub-task it was split into.
    pub sub_task_id: Option<i64>,
    /// Last own report (Unix ms).
    pub reported_at: Option<i64>,
}

/// A task as the caller sees it.
#[derive(Debug, Clone, Serialize)]
pub struct TaskView {
    /// The task.
    #[serde(flatten)]
    pub task: TaskRecord,
    /// Roll-up over the assignees shown.
    pub overall_percent: i64,
    /// Assignees done.
    pub done: i64,
    /// Assignees on track.
    pub on_track: i64,
    /// Assignees overdue.
    pub overdue: i64,
    /// Sum of the indicator values shown.
    pub indicator_sum: Option<f64>,
    /// Assignees in the caller's scope (all of them for the issuer's scope).
    pub assignees: Vec<AssigneeLine>,
    /// Whether the caller's unit is an assignee (it may report and propose).
    pub caller_assigned: bool,
    /// Whether the caller's scope holds the issuer (it sees every assignee).
    pub caller_issues: bool,
}

/// One row of a programme.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeRow {
    /// Task id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Due.
    pub due: NaiveDate,
    /// Mean percent over the assignees the caller sees.
    pub overall_percent: i64,
    /// Assignees seen.
    pub assignees: i64,
    /// Of them done.
    pub done: i64,
    /// Of them overdue.
    pub overdue: i64,
    /// Indicator name and target.
    pub indicator_name: Option<String>,
    /// Target.
    pub indicator_target: Option<f64>,
    /// Sum of the indicator (issuer's view).
    pub indicator_sum: Option<f64>,
}

/// A unit's programme for a year.
#[derive(Debug, Clone, Serialize)]
pub struct Programme {
    /// The unit.
    pub unit_code: String,
    /// Its name.
    pub unit_name: String,
    /// Year.
    pub year: i64,
    /// One row per task.
    pub tasks: Vec<ProgrammeRow>,
    /// Tasks with at least one overdue assignee.
    pub tasks_overdue: i64,
}

impl App {
    /// Creates a task and its assignments; returns its id.
    pub async fn create_task(&self, actor: &Actor, input: &TaskInput) -> AppResult<i64> {
        actor.require_police_write()?;
        let issuer = self.actor_place(actor).await?;
        let new = checked_task(input)?;
        if let Some(d) = input.directive_id {
            let line = self.actor_line(actor).await?;
            self.store.directive(&actor.scope, &line, d).await?;
        }
        let assignees = self.assignees(actor, &issuer, &input.assignees).await?;
        let mut tx = self.store.begin_write().await?;
        let mut new = new;
        let split = match input.parent_id {
            Some(parent) => {
                // A sub-task is part of its parent's programme year.
                new.year = self.store.task(&actor.scope, parent).await?.year;
                Some(tx.assignment(parent, &issuer.code).await?)
            }
            None => None,
        };
        let id = tx.insert_task(&new, &issuer, &assignees, actor.user_id).await?;
        if let Some(a) = &split {
            match tx.split_assignment(a.id, id).await {
                Err(StoreError::Conflict(_)) => return Err(AppError::Conflict("task.already_split")),
                other => other?,
            }
            refresh(&mut tx, id).await?;
        }
        let after = serde_json::json!({
            "title": new.title, "due": new.due, "issued_on": new.issued_on, "unit_code": issuer.code,
            "assignees": assignees.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(),
            "directive_id": new.directive_id, "parent_id": new.parent_id,
            "indicator": new.indicator.as_ref().map(|(n, t)| serde_json::json!({"name": n, "target": t})),
        });
        AuditEntry::new(Some(actor.user_id), "task.create", "task", id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The assignees' places: each in scope (else 404), current, and one level
    /// below the issuer or the issuer itself (else 422).
    async fn assignees(&self, actor: &Actor, issuer: &UnitPlace, codes: &[String]) -> AppResult<Vec<UnitPlace>> {
        let mut out: Vec<UnitPlace> = Vec::with_capacity(codes.len());
        for (i, code) in codes.iter().enumerate() {
            let place = self.unit_in_scope(actor, code).await?;
            let field = format!("assignees[{i}]");
            if !task::may_assign(issuer.level, place.level, place.code == issuer.code) {
                return Err(ValidationError::one(&field, "task.assignee_not_below").into());
            }
            if self.kept_unit(&place.code).await?.valid_to.is_some() {
                return Err(ValidationError::one(&field, "task.assignee_not_current").into());
            }
            if out.iter().any(|p| p.code == place.code) {
                return Err(ValidationError::one(&field, "task.assignee_twice").into());
            }
            out.push(place);
        }
        Ok(out)
    }

    /// Records progress on the caller's unit's assignment; returns the report's id.
    pub async fn report_progress(&self, actor: &Actor, task_id: i64, input: &ProgressInput) -> AppResult<i64> {
        actor.require_police_write()?;
        let own = actor.unit_code.as_deref().ok_or(AppError::NotFound)?;
        // Only one's own assignment: another unit's does not exist for the caller.
        if input.unit_code.as_deref().map(str::trim).is_some_and(|u| u != own) {
            return Err(AppError::NotFound);
        }
        let t = self.store.task(&actor.scope, task_id).await?;
        let note = input.note.as_deref().unwrap_or_default().trim().to_string();
        task::check_progress(input.percent, input.value, t.indicator_name.is_some(), &note)?;
        let mut tx = self.store.begin_write().await?;
        let a = tx.assignment(task_id, own).await?;
        let id = tx.insert_progress(a.id, input.percent, input.value, &note, actor.user_id).await?;
        refresh(&mut tx, task_id).await?;
        let before = serde_json::json!({"percent": a.percent, "value": a.value});
        let after = serde_json::json!({"task_id": task_id, "unit_code": own, "percent": input.percent, "value": input.value, "note": note});
        AuditEntry::new(Some(actor.user_id), "task.progress", "task_assignment", a.id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One task with the assignees the caller sees.
    pub async fn task(&self, actor: &Actor, id: i64) -> AppResult<TaskView> {
        let t = self.store.task(&actor.scope, id).await?;
        let issues = self.store.task_issued_in(&actor.scope, id).await?;
        let rows = self.store.task_assignments(id, (!issues).then_some(&actor.scope)).await?;
        task_view(t, rows, issues, actor.unit_code.as_deref())
    }

    /// The tasks a unit issued in a year (default: the caller's unit, this year).
    pub async fn programme(&self, actor: &Actor, unit: Option<&str>, year: Option<i64>) -> AppResult<Programme> {
        let code = match unit.map(str::trim).filter(|u| !u.is_empty()) {
            Some(u) => u.to_string(),
            None => actor.unit_code.clone().ok_or(AppError::NotFound)?,
        };
        let year = checked_year(year)?;
        let place = self.kept_unit(&code).await?.place();
        let seen = actor.scope.contains(&place) || self.actor_line(actor).await?.contains(&code);
        if !seen {
            return Err(AppError::NotFound);
        }
        let issues = actor.scope.contains(&place);
        let tasks = self.store.programme(&actor.scope, &code, year).await?;
        let ids: Vec<i64> = tasks.iter().map(|t| t.id).collect();
        let counts = self.store.assignment_counts(&ids, (!issues).then_some(&actor.scope)).await?;
        let today = store::clock::today();
        let rows: Vec<ProgrammeRow> = tasks
            .into_iter()
            .map(|t| {
                // A task without assignments in sight has no counts row: zero.
                let c = counts.get(&t.id).copied().unwrap_or_default();
                programme_row(t, c, issues, today)
            })
            .collect::<AppResult<_>>()?;
        let unit_name = self.kept_unit(&code).await?.name.clone();
        let tasks_overdue = rows.iter().filter(|r| r.overdue > 0).count() as i64;
        Ok(Programme { unit_code: code, unit_name, year, tasks: rows, tasks_overdue })
    }
}

/// A year asked for in a query (default this year), 2000–2100.
pub(crate) fn checked_year(year: Option<i64>) -> AppResult<i64> {
    let year = year.unwrap_or_else(store::clock::current_year);
    if (2000..=2100).contains(&year) {
        Ok(year)
    } else {
        Err(ValidationError::one("year", "task.year_invalid").into())
    }
}

/// Re-computes a task's roll-up and that of every task above it.
async fn refresh(tx: &mut store::Tx, task: i64) -> AppResult<()> {
    let mut current = task;
    for _ in 0..MOST_LEVELS {
        let (n, sum, values) = tx.task_figures(current).await?;
        let percent = if n > 0 { sum / n } else { 0 };
        match tx.set_task_rollup(current, percent, values).await? {
            Some((parent, _)) => {
                tx.set_split_figures(current, percent, values).await?;
                current = parent;
            }
            None => return Ok(()),
        }
    }
    Ok(())
}

/// Checks a submitted task and turns it into the stored shape.
fn checked_task(input: &TaskInput) -> AppResult<NewTask> {
    let today = store::clock::today();
    let issued = match input.issued_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => date(s).ok_or_else(|| ValidationError::one("issued_on", "task.due_invalid"))?,
        None => today,
    };
    let due = date(&input.due);
    let indicator = input.indicator.as_ref().map(|i| Indicator { name: i.name.trim().to_string(), target: i.target });
    task::check_new(&input.title, due, issued, input.assignees.len(), indicator.as_ref())?;
    if let Some(i) = &indicator {
        ValidationError::check_clean_lines(&[("indicator.name", &i.name)])?;
    }
    let due = due.ok_or_else(|| AppError::Internal("validated due missing".into()))?;
    let year = input.year.unwrap_or(i64::from(issued.year()));
    if !(2000..=2100).contains(&year) {
        return Err(ValidationError::one("year", "task.year_invalid").into());
    }
    let iso = domain::clock::iso;
    Ok(NewTask {
        year,
        title: input.title.trim().to_string(),
        directive_id: input.directive_id,
        parent_id: input.parent_id,
        issued_on: iso(issued),
        due: iso(due),
        indicator: indicator.map(|i| (i.name, i.target)),
    })
}

/// The task seen through its assignees' lines.
fn task_view(t: TaskRecord, rows: Vec<AssignmentRecord>, issues: bool, unit: Option<&str>) -> AppResult<TaskView> {
    let today = store::clock::today();
    let due = t.due;
    let figures: Vec<Figures> =
        rows.iter().map(|a| Figures { percent: a.effective_percent, value: a.effective_value }).collect();
    let r = task::rollup(&figures, due, today);
    let caller_assigned = unit.is_some_and(|u| rows.iter().any(|a| a.unit_code == u));
    let assignees = rows
        .into_iter()
        .map(|a| AssigneeLine {
            status: task::status(a.effective_percent, due, today),
            unit_code: a.unit_code,
            unit_name: a.unit_name,
            percent: a.effective_percent,
            value: a.effective_value,
            sub_task_id: a.sub_task_id,
            reported_at: a.reported_at,
        })
        .collect();
    Ok(TaskView {
        task: t,
        overall_percent: r.overall_percent,
        done: r.done,
        on_track: r.on_track,
        overdue: r.overdue,
        indicator_sum: r.indicator_sum,
        assignees,
        caller_assigned,
        caller_issues: issues,
    })
}

/// One programme row from the task and its assignment counts.
fn programme_row(
    t: TaskRecord,
    c: store::tasks::AssignmentCounts,
    issues: bool,
    today: NaiveDate,
) -> AppResult<ProgrammeRow> {
    let late = today > t.due;
    let overall = if issues {
        t.overall_percent
    } else if c.assignees > 0 {
        c.percent_sum / c.assignees
    } else {
        0
    };
    Ok(ProgrammeRow {
        id: t.id,
        title: t.title,
        due: t.due,
        overall_percent: overall,
        assignees: c.assignees,
        done: c.done,
        overdue: if late { c.assignees - c.done } else { 0 },
        indicator_name: t.indicator_name,
        indicator_target: t.indicator_target,
        indicator_sum: if issues { t.indicator_sum } else { None },
    })
}

/// The working year of a scope: tasks, plans per directive, proposals, inspections.
#[derive(Debug, Clone, Serialize)]
pub struct YearDashboard {
    /// The unit shown.
    pub unit_code: String,
    /// Year.
    pub year: i64,
    /// Assignments, plans and proposals.
    #[serde(flatten)]
    pub figures: store::reports::YearFigures,
    /// Inspections planned in the year.
    pub inspections_planned: usize,
    /// Of them over.
    pub inspections_done: usize,
    /// Findings whose follow-up is not done.
    pub findings_open: i64,
}

impl App {
    /// The working-year figures of the caller's scope (or of a unit inside it).
    pub async fn year_dashboard(
        &self,
        actor: &Actor,
        unit: Option<&str>,
        year: Option<i64>,
    ) -> AppResult<YearDashboard> {
        if actor.role == domain::Role::Organisation {
            // An organisation's contact is not a unit's officer: no unit's figures.
            return Err(AppError::Forbidden("auth.not_allowed"));
        }
        let scope = self.narrowed_scope(actor, unit).await?;
        let year = checked_year(year)?;
        let cut = store::clock::now_ms() - domain::proposal::ANSWER_DAYS as i64 * 86_400_000;
        let figures = self.store.year_figures(&scope, year, &store::clock::today_iso(), cut).await?;
        let narrowed = Actor { scope, ..actor.clone() };
        let ins = self.inspections(&narrowed, Some(year)).await?;
        let unit_code = unit
            .map(str::to_string)
            .or_else(|| actor.unit_code.clone())
            .unwrap_or_else(|| domain::unit::NATION_CODE.into());
        Ok(YearDashboard {
            unit_code,
            year,
            figures,
            inspections_planned: ins.planned,
            inspections_done: ins.done,
            findings_open: ins.findings_open,
        })
    }
}
