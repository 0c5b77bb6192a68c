//! Long-running import jobs: their progress and final report, so a page can show
//! progress and a restart leaves no job "running" forever.

use domain::import_job::ImportStatus;
use serde::Serialize;

use crate::decode::Cols;
use crate::{now_ms, Arg, Result, Store, StoreError};

/// An import job as stored.
#[derive(Debug, Clone, Serialize)]
pub struct ImportJob {
    /// Id.
    pub id: i64,
    /// Owner (only they may see it).
    pub user_id: i64,
    /// What is imported (`organisations`; a label, kept as text).
    pub kind: String,
    /// Where the job stands.
    pub status: ImportStatus,
    /// Rows in all.
    pub total_rows: i64,
    /// Rows done in the current phase.
    pub done_rows: i64,
    /// JSON report when finished. Left as text: it is the app's own account of the
    /// job, shown as far as it can be read (a page still renders a garbled one).
    pub report_json: Option<String>,
    /// Created (Unix ms).
    pub created_at: i64,
    /// Last update (Unix ms).
    pub updated_at: i64,
}

impl Store {
    /// Records a new job in the `checking` state.
    pub async fn create_import_job(&self, user_id: i64, kind: &str, total: i64) -> Result<i64> {
        let now = now_ms();
        let row = crate::db::bind_all(
            sqlx::query("INSERT INTO import_jobs (user_id, kind, status, total_rows, done_rows, created_at, updated_at) VALUES ($1,$2,'checking',$3,0,$4,$4) RETURNING id"),
            &[Arg::I(user_id), kind.into(), Arg::I(total), Arg::I(now)],
        )
        .fetch_one(self.pool())
        .await?;
        crate::db::int_at(&row, 0)
    }

    /// Moves a job's progress.
    pub async fn update_import_job(&self, id: i64, status: ImportStatus, done: i64) -> Result<()> {
        sqlx::query("UPDATE import_jobs SET status = $1, done_rows = $2, updated_at = $3 WHERE id = $4 AND status IN ('checking','writing')")
            .bind(status.as_str())
            .bind(done)
            .bind(now_ms())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Ends a job with its report.
    pub async fn finish_import_job(&self, id: i64, status: ImportStatus, report_json: &str) -> Result<()> {
        sqlx::query("UPDATE import_jobs SET status = $1, report_json = $2, updated_at = $3 WHERE id = $4")
            .bind(status.as_str())
            .bind(report_json.to_string())
            .bind(now_ms())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// A job of `user_id` (another user's job does not exist for them).
    pub async fn import_job(&self, user_id: i64, id: i64) -> Result<ImportJob> {
        let r = sqlx::query("SELECT id, user_id, kind, status, total_rows, done_rows, report_json, created_at, updated_at FROM import_jobs WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        let c = Cols::new("import_jobs", &r);
        Ok(ImportJob {
            id: c.int("id")?,
            user_id: c.int("user_id")?,
            kind: c.text("kind")?,
            status: c.parse("status", ImportStatus::parse)?,
            total_rows: c.int("total_rows")?,
            done_rows: c.int("done_rows")?,
            report_json: c.opt_text("report_json")?,
            created_at: c.int("created_at")?,
            updated_at: c.int("updated_at")?,
        })
    }

    /// Marks jobs left running by a previous process as interrupted (their
    /// transaction was rolled back, so nothing of them was written).
    pub async fn interrupt_running_jobs(&self) -> Result<u64> {
        let r = sqlx::query(
            "UPDATE import_jobs SET status = 'interrupted', updated_at = $1 WHERE status IN ('checking','writing')",
        )
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(r.rows_affected())
    }
}
