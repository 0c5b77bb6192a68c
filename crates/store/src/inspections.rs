//! Inspections: the team unit, the units inspected, findings per target with their
//! follow-up task. An inspection is seen by the team's scope (everything) and by
//! each target's scope (its own target row and findings only).

use chrono::NaiveDate;
use domain::unit::UnitPlace;
use domain::Scope;
use serde::Serialize;

use crate::db::{bind_all, int_at};
use crate::decode::Cols;
use crate::scope_sql::{clause, Table};
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// An inspection as stored, with the team unit's name and its follow-up counts.
#[derive(Debug, Clone, Serialize)]
pub struct InspectionRecord {
    /// Id.
    pub id: i64,
    /// Year.
    pub year: i64,
    /// Title.
    pub title: String,
    /// The team's unit.
    pub unit_code: String,
    /// Its name.
    pub unit_name: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Findings (all, or the caller's targets' only).
    pub findings: i64,
    /// Of their follow-up tasks, those done.
    pub follow_ups_done: i64,
}

/// One inspected unit, or an organisation with the unit that manages it.
#[derive(Debug, Clone, Serialize)]
pub struct TargetRow {
    /// Unit (for an organisation, the unit managing it).
    pub unit_code: String,
    /// Its name.
    pub unit_name: String,
    /// The organisation inspected, if the target is one.
    pub organisation_id: Option<i64>,
    /// Its name.
    pub organisation_name: Option<String>,
}

/// What an inspection targets: a unit, or an organisation at the unit managing it.
#[derive(Debug, Clone)]
pub struct Target {
    /// The unit (an organisation's managing unit).
    pub place: UnitPlace,
    /// The organisation, if the target is one.
    pub organisation: Option<i64>,
}

fn target_row(r: &sqlx::any::AnyRow) -> Result<TargetRow> {
    let c = Cols::new("inspection_targets", r);
    Ok(TargetRow {
        unit_code: c.text("unit_code")?,
        unit_name: c.text("unit_name")?,
        organisation_id: c.opt_int("organisation_id")?,
        organisation_name: c.opt_text("organisation_name")?,
    })
}

/// One finding with its follow-up's progress.
#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    /// Id.
    pub id: i64,
    /// The inspected unit (for an organisation, the unit managing it).
    pub unit_code: String,
    /// Its name.
    pub unit_name: String,
    /// The organisation inspected, if the finding is on one.
    pub organisation_id: Option<i64>,
    /// Its name.
    pub organisation_name: Option<String>,
    /// What was found.
    pub text: String,
    /// What is to be done.
    pub recommendation: String,
    /// The follow-up task.
    pub task_id: i64,
    /// Its due date.
    pub due: NaiveDate,
    /// Its progress (the task's roll-up).
    pub percent: i64,
}

fn inspection_row(r: &sqlx::any::AnyRow) -> Result<InspectionRecord> {
    let c = Cols::new("inspections", r);
    Ok(InspectionRecord {
        id: c.int("id")?,
        year: c.int("year")?,
        title: c.text("title")?,
        unit_code: c.text("unit_code")?,
        unit_name: c.text("unit_name")?,
        starts_on: c.date("starts_on")?,
        ends_on: c.date("ends_on")?,
        findings: int_at(r, 7)?,
        follow_ups_done: int_at(r, 8)?,
    })
}

fn finding_row(r: &sqlx::any::AnyRow) -> Result<FindingRow> {
    let c = Cols::new("inspection_findings", r);
    Ok(FindingRow {
        id: c.int("id")?,
        unit_code: c.text("unit_code")?,
        unit_name: c.text("unit_name")?,
        organisation_id: c.opt_int("organisation_id")?,
        organisation_name: c.opt_text("organisation_name")?,
        text: c.text("text")?,
        recommendation: c.text("recommendation")?,
        task_id: c.int("task_id")?,
        due: c.date("due")?,
        percent: c.int("percent")?,
    })
}

/// "The team is in `scope`, or one of the targets is" for alias `i`.
fn seen(scope: &Scope, args: &mut Vec<Arg>) -> String {
    let own = clause(scope, Table::Inspections, args);
    let target = clause(scope, Table::InspectionTargets, args);
    format!("({own} OR EXISTS (SELECT 1 FROM inspection_targets it WHERE it.inspection_id = i.id AND {target}))")
}

/// Findings (alias `f`) the caller sees: all when the team is in scope, else its targets'.
fn findings_seen(scope: &Scope, args: &mut Vec<Arg>) -> String {
    let own = clause(scope, Table::Inspections, args);
    let target = clause(scope, Table::InspectionFindings, args);
    format!("({own} OR {target})")
}

impl Tx {
    /// Records an inspection and its targets; returns its id.
    #[allow(clippy::too_many_arguments)]
    pub async fn insert_inspection(
        &mut self,
        year: i64,
        title: &str,
        team: &UnitPlace,
        starts: &str,
        ends: &str,
        targets: &[Target],
        by: i64,
    ) -> Result<i64> {
        let row = bind_all(
            sqlx::query("INSERT INTO inspections (year, title, unit_code, province_code, commune_code, starts_on, ends_on, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id"),
            &[
                Arg::I(year), title.into(), team.code.as_str().into(), team.province_code.clone().into(),
                team.commune_code.clone().into(), starts.into(), ends.into(), Arg::I(by), Arg::I(now_ms()),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        let id = int_at(&row, 0)?;
        let mut args = Vec::with_capacity(targets.len() * 5);
        for t in targets {
            args.extend([
                Arg::I(id),
                t.place.code.as_str().into(),
                t.place.province_code.clone().into(),
                t.place.commune_code.clone().into(),
                t.organisation.into(),
            ]);
        }
        self.insert_rows(
            "inspection_targets (inspection_id, unit_code, province_code, commune_code, organisation_id)",
            5,
            &args,
        )
        .await?;
        Ok(id)
    }

    /// Records a finding on a target (a unit, or an organisation at its managing
    /// unit) with its follow-up task; `NotFound` when it is not a target of the
    /// inspection.
    #[allow(clippy::too_many_arguments)]
    pub async fn insert_finding(
        &mut self,
        inspection: i64,
        target: &Target,
        text: &str,
        recommendation: &str,
        task: i64,
        by: i64,
    ) -> Result<i64> {
        let is_target = bind_all(
            sqlx::query("SELECT COUNT(*) FROM inspection_targets WHERE inspection_id = $1 AND unit_code = $2 AND COALESCE(organisation_id, 0) = $3"),
            &[Arg::I(inspection), target.place.code.as_str().into(), Arg::I(target.organisation.unwrap_or(0))],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        if int_at(&is_target, 0)? == 0 {
            return Err(StoreError::NotFound);
        }
        let row = bind_all(
            sqlx::query("INSERT INTO inspection_findings (inspection_id, unit_code, province_code, commune_code, text, recommendation, task_id, created_by, created_at, organisation_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id"),
            &[
                Arg::I(inspection), target.place.code.as_str().into(), target.place.province_code.clone().into(),
                target.place.commune_code.clone().into(), text.into(), recommendation.into(), Arg::I(task), Arg::I(by), Arg::I(now_ms()),
                target.organisation.into(),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        int_at(&row, 0)
    }
}

impl Store {
    fn inspection_select(scope: &Scope, args: &mut Vec<Arg>) -> String {
        let f = findings_seen(scope, args);
        format!(
            "SELECT i.id, i.year, i.title, i.unit_code, u.name AS unit_name, i.starts_on, i.ends_on, \
             (SELECT CAST(COUNT(*) AS BIGINT) FROM inspection_findings f WHERE f.inspection_id = i.id AND {f}) AS findings, \
             (SELECT CAST(COUNT(*) AS BIGINT) FROM inspection_findings f JOIN tasks ft ON ft.id = f.task_id WHERE f.inspection_id = i.id AND ft.overall_percent >= 100 AND {f}) AS follow_ups_done \
             FROM inspections i JOIN units u ON u.code = i.unit_code"
        )
    }

    /// An inspection the caller sees.
    pub async fn inspection(&self, scope: &Scope, id: i64) -> Result<InspectionRecord> {
        let mut args = Vec::new();
        let head = Self::inspection_select(scope, &mut args);
        let c = seen(scope, &mut args);
        args.push(Arg::I(id));
        let sql = format!("{head} WHERE {c} AND i.id = ${}", args.len());
        let row = bind_all(sqlx::query(&sql), &args).fetch_optional(self.pool()).await?;
        row.map(|r| inspection_row(&r)).transpose()?.ok_or(StoreError::NotFound)
    }

    /// The inspections of a year the caller sees, by first day.
    pub async fn list_inspections(&self, scope: &Scope, year: i64) -> Result<Vec<InspectionRecord>> {
        let mut args = Vec::new();
        let head = Self::inspection_select(scope, &mut args);
        let c = seen(scope, &mut args);
        args.push(Arg::I(year));
        let sql = format!("{head} WHERE {c} AND i.year = ${} ORDER BY i.starts_on, i.id LIMIT 1000", args.len());
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.iter().map(inspection_row).collect()
    }

    /// The targets of an inspection inside `scope` (all for `None`).
    pub async fn inspection_targets(&self, id: i64, scope: Option<&Scope>) -> Result<Vec<TargetRow>> {
        let mut args = vec![Arg::I(id)];
        let c = match scope {
            Some(s) => clause(s, Table::InspectionTargets, &mut args),
            None => "1=1".into(),
        };
        let sql = format!("SELECT it.unit_code, u.name AS unit_name, it.organisation_id, o.name AS organisation_name FROM inspection_targets it JOIN units u ON u.code = it.unit_code LEFT JOIN organisations o ON o.id = it.organisation_id WHERE it.inspection_id = $1 AND {c} ORDER BY it.unit_code, o.name");
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.iter().map(target_row).collect()
    }

    /// The findings of an inspection the caller sees, with their follow-up's progress.
    pub async fn inspection_findings(&self, scope: &Scope, id: i64) -> Result<Vec<FindingRow>> {
        let mut args = vec![Arg::I(id)];
        let own = clause(scope, Table::Inspections, &mut args);
        let target = clause(scope, Table::InspectionFindings, &mut args);
        let sql = format!("SELECT f.id, f.unit_code, u.name AS unit_name, f.organisation_id, o.name AS organisation_name, f.text, f.recommendation, f.task_id, ft.due, ft.overall_percent AS percent FROM inspection_findings f JOIN inspections i ON i.id = f.inspection_id JOIN units u ON u.code = f.unit_code LEFT JOIN organisations o ON o.id = f.organisation_id JOIN tasks ft ON ft.id = f.task_id WHERE f.inspection_id = $1 AND ({own} OR {target}) ORDER BY f.id");
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.iter().map(finding_row).collect()
    }
}
