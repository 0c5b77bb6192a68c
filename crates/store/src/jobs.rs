//! The durable job queue (reminders, escalations, e-mail) and in-app notifications.
//! A job is a row: a restart loses none, and a job whose worker died is taken up
//! again once its lock expires.

use serde::Serialize;

use crate::db::bind_all;
use crate::{now_ms, Arg, Result, Store, Tx};

/// A claimed job.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Job {
    /// Id.
    pub id: i64,
    /// Kind (e.g. `reminder`).
    pub kind: String,
    /// JSON payload.
    pub payload_json: String,
    /// Attempts so far (including this one).
    pub attempts: i64,
}

/// A notification shown in the app.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Notification {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// Link to the rows concerned.
    pub link: Option<String>,
    /// When read (Unix ms).
    pub read_at: Option<i64>,
    /// Created (Unix ms).
    pub created_at: i64,
}

/// Most attempts before a job is marked failed.
pub const MAX_ATTEMPTS: i64 = 5;

impl Store {
    /// Enqueues a job unless one with the same dedupe key exists; returns whether it was added.
    pub async fn enqueue_job(&self, kind: &str, dedupe_key: &str, payload_json: &str, run_at: i64) -> Result<bool> {
        let now = now_ms();
        let r = bind_all(
            sqlx::query("INSERT INTO jobs (kind, dedupe_key, payload_json, run_at, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$5) ON CONFLICT (dedupe_key) DO NOTHING"),
            &[kind.into(), dedupe_key.into(), payload_json.into(), Arg::I(run_at), Arg::I(now)],
        )
        .execute(self.pool())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Claims up to `limit` due jobs (pending, or running with an expired lock) for
    /// `lock_ms`; each claim counts an attempt. Several servers may claim at once: on
    /// PostgreSQL the candidates are locked with `SKIP LOCKED` and the claim condition
    /// is checked again on the locked row (a row another server claimed meanwhile no
    /// longer qualifies), so a job is claimed by one server; SQLite runs one writer.
    pub async fn claim_due_jobs(&self, now: i64, limit: i64, lock_ms: i64) -> Result<Vec<Job>> {
        const DUE: &str = "run_at <= $2 AND (status = 'pending' OR (status = 'running' AND locked_until < $2))";
        let lock = if self.backend() == crate::Backend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
        let sql = format!(
            "UPDATE jobs SET status = 'running', locked_until = $1, attempts = attempts + 1, updated_at = $2 WHERE id IN (SELECT id FROM jobs WHERE {DUE} ORDER BY run_at, id LIMIT $3{lock}) AND {DUE} RETURNING id, kind, payload_json, attempts"
        );
        let jobs = sqlx::query_as(&sql).bind(now + lock_ms).bind(now).bind(limit).fetch_all(self.pool()).await?;
        Ok(jobs)
    }

    /// Marks a job done.
    pub async fn complete_job(&self, id: i64) -> Result<()> {
        sqlx::query("UPDATE jobs SET status = 'done', updated_at = $1 WHERE id = $2")
            .bind(now_ms())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Records a failure: retried later with backoff, failed for good after [`MAX_ATTEMPTS`].
    pub async fn fail_job(&self, job: &Job, error: &str) -> Result<()> {
        let now = now_ms();
        let status = if job.attempts >= MAX_ATTEMPTS { "failed" } else { "pending" };
        let retry_at = now + 60_000 * (1 << job.attempts.clamp(0, 6));
        sqlx::query("UPDATE jobs SET status = $1, run_at = $2, last_error = $3, updated_at = $4 WHERE id = $5")
            .bind(status.to_string())
            .bind(retry_at)
            .bind(error.to_string())
            .bind(now)
            .bind(job.id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Counts jobs by status: (pending, running, done, failed).
    pub async fn job_counts(&self) -> Result<(i64, i64, i64, i64)> {
        let row = sqlx::query("SELECT CAST(COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN status = 'running' THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS BIGINT) FROM jobs")
            .fetch_one(self.pool())
            .await?;
        use crate::db::int_at;
        Ok((int_at(&row, 0)?, int_at(&row, 1)?, int_at(&row, 2)?, int_at(&row, 3)?))
    }

    /// Adds a notification for a user.
    pub async fn notify(&self, user_id: i64, title: &str, body: &str, link: Option<&str>) -> Result<()> {
        bind_all(
            sqlx::query("INSERT INTO notifications (user_id, title, body, link, created_at) VALUES ($1,$2,$3,$4,$5)"),
            &[Arg::I(user_id), title.into(), body.into(), link.map(str::to_string).into(), Arg::I(now_ms())],
        )
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// A user's latest notifications.
    pub async fn notifications(&self, user_id: i64, limit: i64) -> Result<Vec<Notification>> {
        Ok(sqlx::query_as("SELECT id, title, body, link, read_at, created_at FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2")
            .bind(user_id)
            .bind(limit)
            .fetch_all(self.pool())
            .await?)
    }

    /// The active users a campaign reminder of `group` for `year` still concerns:
    /// for `residential_area`, commune officers with a current residential area
    /// whose self-assessment has not been sent; for `commune_and_organisation`,
    /// commune officers whose commune, and organisations' contacts whose
    /// organisation, has not sent its own; for `province_summary`, every provincial
    /// officer. (Sent: any status past draft.) As (id, e-mail).
    pub async fn users_to_remind(&self, group: &str, year: i64) -> Result<Vec<(i64, Option<String>)>> {
        let not_sent = |key: &str| {
            format!(
                "NOT EXISTS (SELECT 1 FROM assessments a WHERE a.year = $1 AND a.instrument = 'safe_unit' \
                 AND a.subject_key = {key} AND a.status <> 'draft')"
            )
        };
        let cond = match group {
            "residential_area" => format!(
                "s.role = 'commune' AND EXISTS (SELECT 1 FROM units ar WHERE ar.commune_code = s.unit_code \
                 AND ar.level = 'area' AND ar.valid_to IS NULL AND {})",
                not_sent("'u:' || ar.code")
            ),
            "commune_and_organisation" => format!(
                "((s.role = 'commune' AND {}) OR (s.role = 'organisation' AND {}))",
                not_sent("'u:' || s.unit_code"),
                not_sent("'o:' || CAST(s.organisation_id AS TEXT)")
            ),
            _ => "s.role = 'province' AND $1 = $1".to_string(),
        };
        let sql = format!("SELECT s.id, s.email FROM users s WHERE s.active = 1 AND {cond} ORDER BY s.id");
        Ok(sqlx::query_as(&sql).bind(year).fetch_all(self.pool()).await?)
    }
}

impl Tx {
    /// Adds a notification for a user inside the transaction.
    pub async fn notify(&mut self, user_id: i64, title: &str, body: &str, link: Option<&str>) -> Result<()> {
        self.exec(
            "INSERT INTO notifications (user_id, title, body, link, created_at) VALUES ($1,$2,$3,$4,$5)",
            &[Arg::I(user_id), title.into(), body.into(), link.map(str::to_string).into(), Arg::I(now_ms())],
        )
        .await?;
        Ok(())
    }

    /// Enqueues a job inside the transaction unless its dedupe key exists.
    pub async fn enqueue_job(&mut self, kind: &str, dedupe_key: &str, payload_json: &str, run_at: i64) -> Result<bool> {
        let n = self
            .exec(
                "INSERT INTO jobs (kind, dedupe_key, payload_json, run_at, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$5) ON CONFLICT (dedupe_key) DO NOTHING",
                &[kind.into(), dedupe_key.into(), payload_json.into(), Arg::I(run_at), Arg::I(now_ms())],
            )
            .await?;
        Ok(n == 1)
    }

    /// Marks a job done inside the transaction, so its effects and its completion
    /// commit together (a crash in between cannot run it twice).
    pub async fn complete_job(&mut self, id: i64) -> Result<()> {
        self.exec("UPDATE jobs SET status = 'done', updated_at = $1 WHERE id = $2", &[Arg::I(now_ms()), Arg::I(id)])
            .await?;
        Ok(())
    }
}
