//! Imports too large to answer within one page load run as background jobs whose
//! progress is stored, so the page can show it and a restart leaves nothing hanging.

use std::time::Duration;

use domain::import_job::ImportStatus;
use serde_json::json;
use store::import_jobs::ImportJob;

use crate::error::AppResult;
use crate::import::{Phase, Progress, Table};
use crate::{Actor, App, AppError};

fn phase_status(p: Phase) -> ImportStatus {
    match p {
        Phase::Checking => ImportStatus::Checking,
        Phase::Writing => ImportStatus::Writing,
    }
}

/// The report stored when a job ends: (status, JSON).
fn report(result: &AppResult<usize>) -> (ImportStatus, serde_json::Value) {
    match result {
        Ok(n) => (ImportStatus::Done, json!({ "imported": n })),
        Err(AppError::Rows(rows)) => (ImportStatus::Rejected, json!({ "rows": rows })),
        Err(AppError::Validation(v)) => {
            (ImportStatus::Failed, json!({ "codes": v.errors.iter().map(|e| e.code).collect::<Vec<_>>() }))
        }
        Err(AppError::Forbidden(c) | AppError::Unsupported(c)) => (ImportStatus::Failed, json!({ "codes": [c] })),
        Err(e) => {
            tracing::error!(error = %e, "import job failed");
            (ImportStatus::Failed, json!({ "codes": ["internal"] }))
        }
    }
}

impl App {
    /// Starts an organisation import in the background; returns the job id at once.
    pub async fn start_organisation_import(&self, actor: &Actor, table: Table, source: Vec<u8>) -> AppResult<i64> {
        actor.require_write()?;
        let id = self.store.create_import_job(actor.user_id, "organisations", table.len() as i64).await?;
        let app = self.clone();
        let actor = actor.clone();
        tokio::spawn(async move {
            let (tx, mut rx) = tokio::sync::watch::channel(None::<Progress>);
            let store = app.store.clone();
            let reporter = tokio::spawn(async move {
                while rx.changed().await.is_ok() {
                    let latest = *rx.borrow_and_update();
                    if let Some(p) = latest {
                        let _ = store.update_import_job(id, phase_status(p.phase), p.done as i64).await;
                    }
                }
            });
            let send = move |p: Progress| {
                let _ = tx.send(Some(p));
            };
            let result = app.import_organisations_with_progress(&actor, &table, &source, &send).await;
            drop(send);
            let _ = reporter.await;
            let (status, report) = report(&result);
            if let Err(e) = app.store.finish_import_job(id, status, &report.to_string()).await {
                tracing::error!(error = %e, job = id, "cannot record the end of an import job");
            }
        });
        Ok(id)
    }

    /// One of the actor's import jobs; with `wait`, waits (up to that long) for it to end.
    pub async fn import_job(&self, actor: &Actor, id: i64, wait: Duration) -> AppResult<ImportJob> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let job = self.store.import_job(actor.user_id, id).await?;
            if job.status.is_final() || tokio::time::Instant::now() >= deadline {
                return Ok(job);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}
