//! Key tasks: the task, one assignment per assigned unit (keeping its latest report
//! and its effective figures), the progress history, and sub-tasks. A progress
//! report refreshes one assignment and one task per level up the chain of parents,
//! so reading a task or a programme never touches the progress history.
//!
//! A task is seen by its issuer's scope (every assignment) and by each assigned
//! unit's scope (only the assignments inside it).

use chrono::NaiveDate;
use domain::unit::UnitPlace;
use domain::Scope;
use serde::Serialize;

use crate::db::{bind_all, int_at};
use crate::decode::Cols;
use crate::scope_sql::{clause, Table};
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// Deepest chain of sub-tasks the rebuild follows (the app's refresh follows as many).
pub const MOST_DEPTH: usize = 8;

/// A task as stored, with its issuer's name.
#[derive(Debug, Clone, Serialize)]
pub struct TaskRecord {
    /// Id.
    pub id: i64,
    /// Year of the programme it belongs to.
    pub year: i64,
    /// Title.
    pub title: String,
    /// Issuing unit.
    pub unit_code: String,
    /// Its name.
    pub unit_name: String,
    /// Directive it implements.
    pub directive_id: Option<i64>,
    /// Task it splits (a sub-task).
    pub parent_id: Option<i64>,
    /// Issued.
    pub issued_on: NaiveDate,
    /// Due.
    pub due: NaiveDate,
    /// Indicator name.
    pub indicator_name: Option<String>,
    /// Indicator target.
    pub indicator_target: Option<f64>,
    /// Mean of all the assignees' effective percents (kept up to date; views
    /// show the roll-up over the assignees the caller sees instead).
    #[serde(skip)]
    pub overall_percent: i64,
    /// Sum of all the assignees' effective indicator values.
    #[serde(skip)]
    pub indicator_sum: Option<f64>,
    /// Recorded (Unix ms).
    pub created_at: i64,
}

fn task_row(r: &sqlx::any::AnyRow) -> Result<TaskRecord> {
    let c = Cols::new("tasks", r);
    Ok(TaskRecord {
        id: c.int("id")?,
        year: c.int("year")?,
        title: c.text("title")?,
        unit_code: c.text("unit_code")?,
        unit_name: c.text("unit_name")?,
        directive_id: c.opt_int("directive_id")?,
        parent_id: c.opt_int("parent_id")?,
        issued_on: c.date("issued_on")?,
        due: c.date("due")?,
        indicator_name: c.opt_text("indicator_name")?,
        indicator_target: sqlx::Row::try_get(r, "indicator_target")?,
        overall_percent: c.int("overall_percent")?,
        indicator_sum: sqlx::Row::try_get(r, "indicator_sum")?,
        created_at: c.int("created_at")?,
    })
}

const SELECT: &str = "SELECT t.id, t.year, t.title, t.unit_code, u.name AS unit_name, t.directive_id, t.parent_id, t.issued_on, t.due, t.indicator_name, t.indicator_target, t.overall_percent, t.indicator_sum, t.created_at FROM tasks t JOIN units u ON u.code = t.unit_code";

/// One assigned unit's line.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AssignmentRecord {
    /// Id.
    pub id: i64,
    /// Task.
    pub task_id: i64,
    /// Assigned unit.
    pub unit_code: String,
    /// Its name.
    pub unit_name: String,
    /// Latest own report's percent (none before the first).
    pub percent: Option<i64>,
    /// Latest own report's indicator value.
    pub value: Option<f64>,
    /// When it was reported (Unix ms).
    pub reported_at: Option<i64>,
    /// The sub-task this assignment was split into.
    pub sub_task_id: Option<i64>,
    /// Figures that count: the sub-task's roll-up where split, else the latest report.
    pub effective_percent: i64,
    /// Indicator value that counts.
    pub effective_value: Option<f64>,
}

const ASSIGNMENT: &str = "SELECT ta.id, ta.task_id, ta.unit_code, u.name AS unit_name, ta.percent, ta.value, ta.reported_at, ta.sub_task_id, ta.effective_percent, ta.effective_value FROM task_assignments ta JOIN units u ON u.code = ta.unit_code";

/// A new task, checked by the app layer.
#[derive(Debug, Clone)]
pub struct NewTask {
    /// Programme year.
    pub year: i64,
    /// Title.
    pub title: String,
    /// Directive it implements.
    pub directive_id: Option<i64>,
    /// Task it splits.
    pub parent_id: Option<i64>,
    /// Issued (YYYY-MM-DD).
    pub issued_on: String,
    /// Due (YYYY-MM-DD).
    pub due: String,
    /// Indicator (name, target).
    pub indicator: Option<(String, f64)>,
}

/// A task's assignment counts for a programme row.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct AssignmentCounts {
    /// Assignments.
    pub assignees: i64,
    /// Of them at 100 %.
    pub done: i64,
    /// Sum of their effective percents.
    pub percent_sum: i64,
}

/// An open assignment of a unit (for its to-do list).
#[derive(Debug, Clone, Serialize)]
pub struct OpenAssignment {
    /// Task.
    pub task_id: i64,
    /// Its title.
    pub title: String,
    /// Due.
    pub due: NaiveDate,
    /// Effective percent.
    pub effective_percent: i64,
}

/// "The task is in `scope`, or one of its assignments is" for alias `t`.
fn task_seen(scope: &Scope, args: &mut Vec<Arg>) -> String {
    let own = clause(scope, Table::Tasks, args);
    let assigned = clause(scope, Table::TaskAssignments, args);
    format!("({own} OR EXISTS (SELECT 1 FROM task_assignments ta WHERE ta.task_id = t.id AND {assigned}))")
}

impl Tx {
    /// Records a task issued by `issuer` and its assignments; returns its id.
    pub async fn insert_task(
        &mut self,
        t: &NewTask,
        issuer: &UnitPlace,
        assignees: &[UnitPlace],
        by: i64,
    ) -> Result<i64> {
        let (iname, itarget) = match &t.indicator {
            Some((n, v)) => (Some(n.clone()), Some(*v)),
            None => (None, None),
        };
        let row = bind_all(
            sqlx::query("INSERT INTO tasks (year, title, unit_code, province_code, commune_code, directive_id, parent_id, issued_on, due, indicator_name, indicator_target, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id"),
            &[
                Arg::I(t.year), t.title.as_str().into(), issuer.code.as_str().into(), issuer.province_code.clone().into(),
                issuer.commune_code.clone().into(), t.directive_id.into(), t.parent_id.into(), t.issued_on.as_str().into(),
                t.due.as_str().into(), iname.into(), itarget.into(), Arg::I(by), Arg::I(now_ms()),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        let id = int_at(&row, 0)?;
        let mut args = Vec::with_capacity(assignees.len() * 4);
        for a in assignees {
            args.extend([
                Arg::I(id),
                a.code.as_str().into(),
                a.province_code.clone().into(),
                a.commune_code.clone().into(),
            ]);
        }
        self.insert_rows("task_assignments (task_id, unit_code, province_code, commune_code)", 4, &args).await?;
        Ok(id)
    }

    /// The assignment of `unit` on `task`, read inside the transaction.
    pub async fn assignment(&mut self, task: i64, unit: &str) -> Result<AssignmentRecord> {
        let sql = format!("{ASSIGNMENT} WHERE ta.task_id = $1 AND ta.unit_code = $2");
        let row = bind_all(sqlx::query(&sql), &[Arg::I(task), unit.into()]).fetch_optional(&mut *self.tx).await?;
        row.map(|r| <AssignmentRecord as sqlx::FromRow<_>>::from_row(&r)).transpose()?.ok_or(StoreError::NotFound)
    }

    /// Stores a progress report on an assignment: the history row, the latest
    /// report, and (unless the assignment was split) its effective figures.
    pub async fn insert_progress(
        &mut self,
        assignment: i64,
        percent: i64,
        value: Option<f64>,
        note: &str,
        by: i64,
    ) -> Result<i64> {
        let now = now_ms();
        let row = bind_all(
            sqlx::query("INSERT INTO task_progress (assignment_id, percent, value, note, reported_by, reported_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id"),
            &[Arg::I(assignment), Arg::I(percent), value.into(), note.into(), Arg::I(by), Arg::I(now)],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        let id = int_at(&row, 0)?;
        self.exec(
            "UPDATE task_assignments SET percent = $1, value = $2, reported_at = $3, effective_percent = CASE WHEN sub_task_id IS NULL THEN $1 ELSE effective_percent END, effective_value = CASE WHEN sub_task_id IS NULL THEN $2 ELSE effective_value END WHERE id = $4",
            &[Arg::I(percent), value.into(), Arg::I(now), Arg::I(assignment)],
        )
        .await?;
        Ok(id)
    }

    /// Marks an assignment as split into `sub_task`; `Conflict` when it already was.
    pub async fn split_assignment(&mut self, assignment: i64, sub_task: i64) -> Result<()> {
        let n = self
            .exec(
                "UPDATE task_assignments SET sub_task_id = $1 WHERE id = $2 AND sub_task_id IS NULL",
                &[Arg::I(sub_task), Arg::I(assignment)],
            )
            .await?;
        if n == 0 {
            return Err(StoreError::Conflict("sub_task"));
        }
        Ok(())
    }

    /// The assignments' effective figures of a task: (count, percent sum, value sum).
    pub async fn task_figures(&mut self, task: i64) -> Result<(i64, i64, Option<f64>)> {
        let row = bind_all(
            sqlx::query("SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(effective_percent), 0) AS BIGINT), SUM(effective_value) FROM task_assignments WHERE task_id = $1"),
            &[Arg::I(task)],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        Ok((int_at(&row, 0)?, int_at(&row, 1)?, sqlx::Row::try_get(&row, 2)?))
    }

    /// Stores a task's roll-up and returns its parent link (parent task, the unit
    /// whose assignment it splits).
    pub async fn set_task_rollup(
        &mut self,
        task: i64,
        percent: i64,
        sum: Option<f64>,
    ) -> Result<Option<(i64, String)>> {
        self.exec(
            "UPDATE tasks SET overall_percent = $1, indicator_sum = $2 WHERE id = $3",
            &[Arg::I(percent), sum.into(), Arg::I(task)],
        )
        .await?;
        let row = bind_all(sqlx::query("SELECT parent_id, unit_code FROM tasks WHERE id = $1"), &[Arg::I(task)])
            .fetch_one(&mut *self.tx)
            .await?;
        let parent: Option<i64> = sqlx::Row::try_get(&row, 0)?;
        let unit: String = sqlx::Row::try_get(&row, 1)?;
        Ok(parent.map(|p| (p, unit)))
    }

    /// The assignments of a task: (id, unit code), by unit code.
    pub async fn assignment_ids(&mut self, task: i64) -> Result<Vec<(i64, String)>> {
        let rows = bind_all(
            sqlx::query("SELECT id, unit_code FROM task_assignments WHERE task_id = $1 ORDER BY unit_code"),
            &[Arg::I(task)],
        )
        .fetch_all(&mut *self.tx)
        .await?;
        rows.iter().map(|r| Ok((int_at(r, 0)?, sqlx::Row::try_get(r, 1)?))).collect()
    }

    /// Stores generated progress reports (assignment, percent, value, note,
    /// reported_at) as they are; [`Tx::rebuild_rollups`] then brings the figures.
    pub async fn insert_progress_rows(&mut self, rows: &[(i64, i64, Option<f64>, &str, i64)]) -> Result<()> {
        let mut args = Vec::with_capacity(rows.len() * 5);
        for (a, percent, value, note, at) in rows {
            args.extend([Arg::I(*a), Arg::I(*percent), Arg::from(*value), Arg::from(*note), Arg::I(*at)]);
        }
        self.insert_rows("task_progress (assignment_id, percent, value, note, reported_at)", 5, &args).await
    }

    /// Rebuilds every figure of a year's tasks from the progress history: each
    /// assignment's latest report, then the roll-ups from the deepest sub-tasks
    /// up (the same figures that progress reports maintain one at a time).
    pub async fn rebuild_rollups(&mut self, year: i64) -> Result<()> {
        let latest = "(SELECT p.{col} FROM task_progress p WHERE p.assignment_id = task_assignments.id ORDER BY p.id DESC LIMIT 1)";
        let pick = |col: &str| latest.replace("{col}", col);
        let sql = format!(
            "UPDATE task_assignments SET percent = {}, value = {}, reported_at = {} WHERE task_id IN (SELECT id FROM tasks WHERE year = $1)",
            pick("percent"),
            pick("value"),
            pick("reported_at")
        );
        self.exec(&sql, &[Arg::I(year)]).await?;
        self.exec(
            "UPDATE task_assignments SET effective_percent = COALESCE(percent, 0), effective_value = value WHERE sub_task_id IS NULL AND task_id IN (SELECT id FROM tasks WHERE year = $1)",
            &[Arg::I(year)],
        )
        .await?;
        // Deepest first: a task's depth is how many parents it has (as deep as the
        // app's refresh follows).
        for depth in (0..MOST_DEPTH).rev() {
            let mut chain = "t.parent_id IS NULL".to_string();
            for _ in 0..depth {
                chain = format!("t.parent_id IN (SELECT t.id FROM tasks t WHERE {chain})");
            }
            let tasks = format!("SELECT t.id FROM tasks t WHERE t.year = $1 AND {chain}");
            self.exec(
                &format!("UPDATE tasks SET overall_percent = COALESCE((SELECT CAST(SUM(a.effective_percent) AS BIGINT) / COUNT(*) FROM task_assignments a WHERE a.task_id = tasks.id), 0), indicator_sum = (SELECT SUM(a.effective_value) FROM task_assignments a WHERE a.task_id = tasks.id) WHERE id IN ({tasks})"),
                &[Arg::I(year)],
            )
            .await?;
            self.exec(
                &format!("UPDATE task_assignments SET effective_percent = (SELECT s.overall_percent FROM tasks s WHERE s.id = task_assignments.sub_task_id), effective_value = (SELECT s.indicator_sum FROM tasks s WHERE s.id = task_assignments.sub_task_id) WHERE sub_task_id IN ({tasks})"),
                &[Arg::I(year)],
            )
            .await?;
        }
        Ok(())
    }

    /// Sets the effective figures of the assignment that `sub_task` splits.
    pub async fn set_split_figures(&mut self, sub_task: i64, percent: i64, value: Option<f64>) -> Result<()> {
        self.exec(
            "UPDATE task_assignments SET effective_percent = $1, effective_value = $2 WHERE sub_task_id = $3",
            &[Arg::I(percent), value.into(), Arg::I(sub_task)],
        )
        .await?;
        Ok(())
    }
}

impl Store {
    /// A task the caller sees.
    pub async fn task(&self, scope: &Scope, id: i64) -> Result<TaskRecord> {
        let mut args = vec![Arg::I(id)];
        let c = task_seen(scope, &mut args);
        let sql = format!("{SELECT} WHERE t.id = $1 AND {c}");
        let row = bind_all(sqlx::query(&sql), &args).fetch_optional(self.pool()).await?;
        row.map(|r| task_row(&r)).transpose()?.ok_or(StoreError::NotFound)
    }

    /// Whether the task's issuer lies in `scope` (then every assignment is shown).
    pub async fn task_issued_in(&self, scope: &Scope, id: i64) -> Result<bool> {
        let mut args = vec![Arg::I(id)];
        let c = clause(scope, Table::Tasks, &mut args);
        let sql = format!("SELECT COUNT(*) FROM tasks t WHERE t.id = $1 AND {c}");
        let row = bind_all(sqlx::query(&sql), &args).fetch_one(self.pool()).await?;
        Ok(int_at(&row, 0)? > 0)
    }

    /// A task's assignments inside `scope` (all of them for `None`), by unit code.
    pub async fn task_assignments(&self, task: i64, scope: Option<&Scope>) -> Result<Vec<AssignmentRecord>> {
        let mut args = vec![Arg::I(task)];
        let c = match scope {
            Some(s) => clause(s, Table::TaskAssignments, &mut args),
            None => "1=1".into(),
        };
        let sql = format!("{ASSIGNMENT} WHERE ta.task_id = $1 AND {c} ORDER BY ta.unit_code");
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok(<AssignmentRecord as sqlx::FromRow<_>>::from_row(r)?)).collect()
    }

    /// The tasks a unit issued in a year that the caller sees (its programme),
    /// oldest due first.
    pub async fn programme(&self, scope: &Scope, unit: &str, year: i64) -> Result<Vec<TaskRecord>> {
        let mut args = vec![unit.into(), Arg::I(year)];
        let c = task_seen(scope, &mut args);
        let sql = format!("{SELECT} WHERE t.unit_code = $1 AND t.year = $2 AND {c} ORDER BY t.due, t.id LIMIT 500");
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.iter().map(task_row).collect()
    }

    /// Assignment counts per task, only assignments inside `scope` (all for `None`).
    pub async fn assignment_counts(
        &self,
        tasks: &[i64],
        scope: Option<&Scope>,
    ) -> Result<std::collections::HashMap<i64, AssignmentCounts>> {
        let mut out = std::collections::HashMap::new();
        if tasks.is_empty() {
            return Ok(out);
        }
        let mut args: Vec<Arg> = tasks.iter().map(|t| Arg::I(*t)).collect();
        let marks: Vec<String> = (1..=tasks.len()).map(|i| format!("${i}")).collect();
        let c = match scope {
            Some(s) => clause(s, Table::TaskAssignments, &mut args),
            None => "1=1".into(),
        };
        let sql = format!("SELECT ta.task_id, CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN ta.effective_percent >= 100 THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(ta.effective_percent), 0) AS BIGINT) FROM task_assignments ta WHERE ta.task_id IN ({}) AND {c} GROUP BY ta.task_id", marks.join(","));
        for r in bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await? {
            let counts =
                AssignmentCounts { assignees: int_at(&r, 1)?, done: int_at(&r, 2)?, percent_sum: int_at(&r, 3)? };
            out.insert(int_at(&r, 0)?, counts);
        }
        Ok(out)
    }

    /// Open assignments (not at 100 %, not split into a sub-task) due on or before
    /// `until`, across the country: (assignment, task, unit, title, due).
    pub async fn open_assignments_due(&self, until: NaiveDate) -> Result<Vec<(i64, i64, String, String, NaiveDate)>> {
        let rows = sqlx::query("SELECT ta.id, t.id AS task_id, ta.unit_code, t.title, t.due FROM task_assignments ta JOIN tasks t ON t.id = ta.task_id WHERE t.due <= $1 AND ta.effective_percent < 100 AND ta.sub_task_id IS NULL ORDER BY t.due, ta.id LIMIT 200000")
            .bind(until.format("%Y-%m-%d").to_string())
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new("tasks", r);
                Ok((c.int("id")?, c.int("task_id")?, c.text("unit_code")?, c.text("title")?, c.date("due")?))
            })
            .collect()
    }

    /// A unit's open assignments (not at 100 %), earliest due first.
    pub async fn open_assignments(&self, unit: &str) -> Result<Vec<OpenAssignment>> {
        let rows = sqlx::query("SELECT t.id AS task_id, t.title, t.due, ta.effective_percent FROM task_assignments ta JOIN tasks t ON t.id = ta.task_id WHERE ta.unit_code = $1 AND ta.effective_percent < 100 AND ta.sub_task_id IS NULL ORDER BY t.due, t.id LIMIT 200")
            .bind(unit.to_string())
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new("tasks", r);
                Ok(OpenAssignment {
                    task_id: c.int("task_id")?,
                    title: c.text("title")?,
                    due: c.date("due")?,
                    effective_percent: c.int("effective_percent")?,
                })
            })
            .collect()
    }
}
