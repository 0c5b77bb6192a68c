//! The working year's durable jobs: a reminder to the assigned unit three days
//! before a task is due and once when it is overdue, and, for a proposal left
//! unanswered past the answer period (`domain::proposal::ANSWER_DAYS`, to
//! confirm), an escalation to the level above the unit addressed — in the app
//! and, with SMTP, by e-mail. Each is one job with a dedupe key, so scheduling
//! again (every day, on every server) queues nothing twice.

use serde::{Deserialize, Serialize};
use store::audit::AuditEntry;

use crate::error::AppResult;
use crate::{App, AppError};

/// Days before the due date of the "due soon" reminder.
const SOON_DAYS: i64 = 3;

/// A task reminder's payload.
#[derive(Debug, Serialize, Deserialize)]
struct TaskReminder {
    assignment: i64,
    task: i64,
    unit: String,
    title: String,
    due: chrono::NaiveDate,
    overdue: bool,
}

/// A proposal escalation's payload.
#[derive(Debug, Serialize, Deserialize)]
struct ProposalEscalation {
    proposal: i64,
}

impl App {
    /// Queues the reminders of tasks due within three days or overdue and the
    /// escalations of proposals unanswered past the answer period; returns how many
    /// new jobs were queued.
    pub async fn schedule_working_year_jobs(&self, now_ms: i64) -> AppResult<usize> {
        let today = domain::clock::vietnam_date_ms(now_ms);
        let mut n = 0;
        for (assignment, task, unit, title, due) in
            self.store.open_assignments_due(today + chrono::Duration::days(SOON_DAYS)).await?
        {
            let overdue = today > due;
            let key = format!("task.remind:{assignment}:{due}:{}", if overdue { "overdue" } else { "soon" });
            let payload = crate::to_json(&TaskReminder { assignment, task, unit, title, due, overdue });
            if self.store.enqueue_job("task.remind", &key, &payload, now_ms).await? {
                n += 1;
            }
        }
        let period_ms = domain::proposal::ANSWER_DAYS as i64 * 86_400_000;
        for p in self.store.unanswered_since(now_ms - period_ms).await? {
            let payload = crate::to_json(&ProposalEscalation { proposal: p.id });
            if self
                .store
                .enqueue_job("proposal.escalate", &format!("proposal.escalate:{}", p.id), &payload, now_ms)
                .await?
            {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Tells the users of `unit` (in the app, and by e-mail when SMTP is set).
    async fn tell_unit(&self, unit: &str, title: &str, body: &str, link: &str) -> AppResult<()> {
        for (user_id, email) in self.store.users_of_unit(unit).await? {
            self.store.notify(user_id, title, body, Some(link)).await?;
            if let (Some(url), Some(to)) = (self.config.smtp_url.as_deref(), email.as_deref()) {
                self.send_mail(url, to, title, body).await?;
            }
        }
        Ok(())
    }

    /// Runs one task reminder (nothing when the assignment was done meanwhile).
    pub(crate) async fn run_task_reminder(&self, payload: &str) -> AppResult<()> {
        let r: TaskReminder = serde_json::from_str(payload).map_err(|e| AppError::Internal(e.to_string()))?;
        let open = self.store.open_assignments(&r.unit).await?;
        if !open.iter().any(|a| a.task_id == r.task) {
            return Ok(());
        }
        let (title, body) = if r.overdue {
            (
                format!("Quá hạn: {}", r.title),
                format!("Nhiệm vụ \"{}\" đã quá hạn ngày {} mà chưa hoàn thành.", r.title, crate::cases::vn_day(r.due)),
            )
        } else {
            (
                format!("Sắp đến hạn: {}", r.title),
                format!("Nhiệm vụ \"{}\" đến hạn ngày {}.", r.title, crate::cases::vn_day(r.due)),
            )
        };
        self.tell_unit(&r.unit, &title, &body, &format!("/tasks/{}", r.task)).await
    }

    /// Runs one proposal escalation: tells the unit above the one addressed (and
    /// the one addressed again), audited; nothing when it was answered meanwhile.
    pub(crate) async fn run_proposal_escalation(&self, payload: &str) -> AppResult<()> {
        let job: ProposalEscalation = serde_json::from_str(payload).map_err(|e| AppError::Internal(e.to_string()))?;
        let p = self.store.proposal(&domain::Scope::Nation, None, job.proposal).await?;
        if p.answered_at.is_some() {
            return Ok(());
        }
        let addressed = self.kept_unit(&p.to_code).await?;
        let above = match addressed.place().level {
            domain::Level::Commune => addressed.province_code.clone(),
            domain::Level::Province => Some(domain::unit::NATION_CODE.to_string()),
            _ => None,
        };
        let link = match (p.task_id, p.directive_id) {
            (Some(t), _) => format!("/tasks/{t}#proposal-{}", p.id),
            (_, Some(d)) => format!("/directives/{d}#proposal-{}", p.id),
            _ => "/".to_string(),
        };
        let title = format!("Kiến nghị chưa được trả lời: {}", p.unit_name);
        let body = format!(
            "Kiến nghị của {} gửi {} đã quá {} ngày chưa được trả lời.",
            p.unit_name,
            addressed.name,
            domain::proposal::ANSWER_DAYS
        );
        let mut tx = self.store.begin_write().await?;
        AuditEntry::new(None, "proposal.escalate", "proposal", p.id)
            .after(&serde_json::json!({"to": above, "addressed": p.to_code}))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        self.tell_unit(&p.to_code, &title, &body, &link).await?;
        if let Some(above) = above {
            self.tell_unit(&above, &title, &body, &link).await?;
        }
        Ok(())
    }
}
