//! A commune retired into a successor: which of its open records move (the preview)
//! and the move itself, in the caller's transaction. History stays where it
//! happened: approved assessments, closed cases, finished tasks, key-area decisions,
//! criterion 19, reports, directive plans and the commune's own assessments keep the
//! old commune; so does an assignment of a task the successor already holds (it is
//! counted as kept), and the accounts of the commune itself (an administrator moves
//! them).
//! A moved residential area keeps its code (`OLD.NNN`): codes are identifiers, the
//! place is in its columns.

use serde::Serialize;

use crate::{Arg, Result, Store, Tx};

/// What moves from a retired commune to its successor (and what cannot).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Succession {
    /// Current residential areas: (code, name).
    pub areas: Vec<(String, String)>,
    /// Organisations recorded at the commune.
    pub organisations: i64,
    /// Open assessments (draft, submitted, reviewed) of its areas and organisations.
    pub assessments: i64,
    /// Open citizens' cases (received, accepted) handled there or placed there.
    pub cases: i64,
    /// Task assignments not yet at 100 % (the commune's own and its areas').
    pub task_assignments: i64,
    /// Tasks the commune issued for this year or later (its sub-tasks too).
    pub tasks_issued: i64,
    /// Task assignments that stay: the successor already holds the same task.
    pub task_assignments_kept: i64,
    /// Models not dissolved.
    pub models: i64,
    /// Registrations of this year and later of its areas and organisations.
    pub registrations: i64,
    /// Accounts of its areas and organisations (their own scope is unchanged; the
    /// successor's officers now manage them).
    pub accounts: i64,
}

impl Succession {
    /// Records that move in all.
    pub fn total(&self) -> i64 {
        self.areas.len() as i64
            + self.organisations
            + self.assessments
            + self.cases
            + self.task_assignments
            + self.tasks_issued
            + self.models
            + self.accounts
            + self.registrations
    }
}

/// The rows of each kind that move; `$1` is the retired commune, `$2` its successor,
/// `$3` the current year.
const AREAS: &str = "level = 'area' AND parent_code = $1 AND valid_to IS NULL";
const ORGANISATIONS: &str = "unit_code = $1";
const ASSESSMENTS: &str =
    "commune_code = $1 AND status IN ('draft','submitted','reviewed') AND (unit_code IS NULL OR unit_code <> $1)";
const CASES: &str = "(unit_code = $1 OR commune_code = $1) AND status IN ('received','accepted')";
const TASKS: &str = "commune_code = $1 AND effective_percent < 100 AND NOT (unit_code = $1 AND task_id IN (SELECT t2.task_id FROM task_assignments t2 WHERE t2.unit_code = $2))";
const TASKS_KEPT: &str = "unit_code = $1 AND effective_percent < 100 AND task_id IN (SELECT t2.task_id FROM task_assignments t2 WHERE t2.unit_code = $2)";
const TASKS_ISSUED: &str = "unit_code = $1 AND year >= $3";
const ACCOUNTS: &str = "commune_code = $1 AND (unit_code IS NULL OR unit_code <> $1)";
const MODELS: &str = "commune_code = $1 AND status <> 'dissolved'";
const REGISTRATIONS: &str = "commune_code = $1 AND (unit_code IS NULL OR unit_code <> $1) AND year >= $3";

/// Counts of every kind, in [`Succession`] order after the areas.
const COUNTS: [(&str, &str); 9] = [
    ("organisations", ORGANISATIONS),
    ("assessments", ASSESSMENTS),
    ("cases", CASES),
    ("task_assignments", TASKS),
    ("task_assignments", TASKS_KEPT),
    ("models", MODELS),
    ("registrations", REGISTRATIONS),
    ("tasks", TASKS_ISSUED),
    ("users", ACCOUNTS),
];

/// The arguments a condition names, of ($1 old, $2 new, $3 year), plus `extra` as $4.
fn args_for(sql: &str, old: &str, new: &str, year: i64, extra: Option<&str>) -> Vec<Arg> {
    let mut a: Vec<Arg> = vec![old.into()];
    if sql.contains("$2") || sql.contains("$3") || extra.is_some() {
        a.push(new.into());
    }
    if sql.contains("$3") || extra.is_some() {
        a.push(Arg::I(year));
    }
    if let Some(e) = extra {
        a.push(e.into());
    }
    a
}

impl Store {
    /// What would move from commune `old` to `new` if it were retired now.
    pub async fn succession_preview(&self, old: &str, new: &str, year: i64) -> Result<Succession> {
        let mut tx = self.begin_write().await?;
        let out = tx.succession(old, new, year).await;
        tx.rollback().await;
        out
    }
}

impl Tx {
    /// What moves from `old` to `new` (read inside the write that moves it, so the
    /// audit entry says exactly what moved).
    pub async fn succession(&mut self, old: &str, new: &str, year: i64) -> Result<Succession> {
        let areas: Vec<(String, String)> =
            sqlx::query_as(&format!("SELECT code, name FROM units WHERE {AREAS} ORDER BY code"))
                .bind(old.to_string())
                .fetch_all(&mut *self.tx)
                .await?;
        let mut n = [0i64; 9];
        for (slot, (table, cond)) in n.iter_mut().zip(COUNTS) {
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE {cond}");
            let row = crate::db::bind_all(sqlx::query(&sql), &args_for(cond, old, new, year, None))
                .fetch_one(&mut *self.tx)
                .await?;
            *slot = crate::db::int_at(&row, 0)?;
        }
        Ok(Succession {
            areas,
            organisations: n[0],
            assessments: n[1],
            cases: n[2],
            task_assignments: n[3],
            task_assignments_kept: n[4],
            models: n[5],
            registrations: n[6],
            tasks_issued: n[7],
            accounts: n[8],
        })
    }

    /// Moves the open records of commune `old` to `new` (of province `province`).
    /// Assessments move one by one so the tallies follow them.
    pub async fn move_open_records(&mut self, old: &str, new: &str, province: &str, year: i64) -> Result<()> {
        let ids: Vec<(i64,)> = sqlx::query_as(&format!("SELECT id FROM assessments WHERE {ASSESSMENTS} ORDER BY id"))
            .bind(old.to_string())
            .fetch_all(&mut *self.tx)
            .await?;
        for (id,) in ids {
            self.move_assessment_place(id, new, province).await?;
        }
        // Every statement names $1 old, $2 new, $3 year (some only to keep the
        // numbering) and $4 the successor's province.
        let moves = [
            format!("UPDATE units SET parent_code = $2, commune_code = $2, province_code = $4 WHERE {AREAS} AND $3 > 0"),
            format!("UPDATE organisations SET unit_code = $2, province_code = $4 WHERE {ORGANISATIONS} AND $3 > 0"),
            // A case handled by the old commune goes to the successor's officers:
            // its old officer, who no longer sees it, is no longer its assignee.
            format!("UPDATE cases SET province_code = CASE WHEN unit_code = $1 THEN $4 ELSE province_code END, assignee_id = CASE WHEN unit_code = $1 THEN NULL ELSE assignee_id END, unit_code = CASE WHEN unit_code = $1 THEN $2 ELSE unit_code END, commune_code = $2 WHERE {CASES} AND $3 > 0"),
            format!("UPDATE task_assignments SET unit_code = CASE WHEN unit_code = $1 THEN $2 ELSE unit_code END, commune_code = $2, province_code = $4 WHERE {TASKS} AND $3 > 0"),
            format!("UPDATE tasks SET unit_code = $2, commune_code = $2, province_code = $4 WHERE {TASKS_ISSUED}"),
            format!("UPDATE users SET commune_code = $2, province_code = $4 WHERE {ACCOUNTS} AND $3 > 0"),
            format!("UPDATE models SET unit_code = CASE WHEN unit_code = $1 THEN $2 ELSE unit_code END, commune_code = $2, province_code = $4 WHERE {MODELS} AND $3 > 0"),
            format!("UPDATE registrations SET commune_code = $2, province_code = $4 WHERE {REGISTRATIONS}"),
        ];
        for sql in &moves {
            self.exec(sql, &args_for(sql, old, new, year, Some(province))).await?;
        }
        Ok(())
    }
}
