//! The working year's durable jobs: a reminder to the assigned unit three days
//! before a task is due and once when it is overdue; the same for a periodic
//! report, to every province and commune that has not sent it (one job per
//! template, period and moment, which queues one job per unit when it runs, so a
//! failed e-mail retries one unit, not all); and, for a proposal left
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

/// A report reminder's payload: who has not sent this report by now is told
/// (`unit` none: the job that queues one per unit).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ReportReminder {
    #[serde(default)]
    unit: Option<String>,
    template: String,
    period: String,
    label: String,
    due: chrono::NaiveDate,
    overdue: bool,
}

/// A proposal escalation's payload.
#[derive(Debug, Serialize, Deserialize)]
struct ProposalEscalation {
    proposal: i64,
}

impl App {
    /// Queues every reminder and escalation of the working year due at `now_ms`
    /// (tasks, reports, proposals); returns how many new jobs were queued.
    pub async fn schedule_working_year_jobs(&self, now_ms: i64) -> AppResult<usize> {
        Ok(self.schedule_task_reminders(now_ms).await?
            + self.schedule_report_reminders(now_ms).await?
            + self.schedule_proposal_escalations(now_ms).await?)
    }

    /// Queues the reminders of tasks due within three days or overdue; returns how
    /// many new jobs were queued.
    pub async fn schedule_task_reminders(&self, now_ms: i64) -> AppResult<usize> {
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
        Ok(n)
    }

    /// Queues the reminders of regular reports due within three days or overdue
    /// (one job per report and moment; it queues one per unit when it runs);
    /// returns how many new jobs were queued.
    pub async fn schedule_report_reminders(&self, now_ms: i64) -> AppResult<usize> {
        let today = domain::clock::vietnam_date_ms(now_ms);
        let mut n = 0;
        for (template, period, due) in domain::report::owed(today) {
            if today + chrono::Duration::days(SOON_DAYS) < due {
                continue;
            }
            let overdue = today > due;
            let moment = if overdue { "overdue" } else { "soon" };
            let key = format!("report.remind:{}:{}:{moment}", template.as_str(), period.code);
            let r = ReportReminder {
                unit: None,
                template: template.as_str().into(),
                label: domain::report::title(template, &period),
                period: period.code,
                due,
                overdue,
            };
            if self.store.enqueue_job("report.remind", &key, &crate::to_json(&r), now_ms).await? {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Queues the escalations of proposals unanswered past the answer period;
    /// returns how many new jobs were queued.
    pub async fn schedule_proposal_escalations(&self, now_ms: i64) -> AppResult<usize> {
        let mut n = 0;
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

    /// Runs one report reminder: without a unit, queues one reminder per province
    /// and commune that has not sent the report; with one, tells that unit (nothing
    /// when it sent the report meanwhile).
    pub(crate) async fn run_report_reminder(&self, payload: &str, now_ms: i64) -> AppResult<()> {
        let r: ReportReminder = serde_json::from_str(payload).map_err(|e| AppError::Internal(e.to_string()))?;
        let template = domain::report::Template::parse(&r.template)
            .ok_or_else(|| AppError::Internal(format!("report template {}", r.template)))?;
        let moment = if r.overdue { "overdue" } else { "soon" };
        let Some(unit) = r.unit.clone() else {
            for unit in self.store.units_without_report(&r.template, &r.period).await? {
                let key = format!("report.remind:{}:{}:{moment}:{unit}", r.template, r.period);
                let one = ReportReminder { unit: Some(unit), ..r.clone() };
                self.store.enqueue_job("report.remind", &key, &crate::to_json(&one), now_ms).await?;
            }
            return Ok(());
        };
        let made = self.store.reported_periods(&unit, &[(template, r.period.clone())]).await?;
        if made.iter().any(|m| m.status.sent()) {
            return Ok(());
        }
        let day = crate::cases::vn_day(r.due);
        let (title, body) = if r.overdue {
            (format!("Quá hạn gửi: {}", r.label), format!("{} đã quá hạn gửi ngày {day} mà đơn vị chưa gửi.", r.label))
        } else {
            (format!("Sắp đến hạn gửi: {}", r.label), format!("{} cần gửi cấp trên trước ngày {day}.", r.label))
        };
        let link = format!("/reports?template={}&period={}#report-new", r.template, r.period);
        self.tell_unit(&unit, &title, &body, &link).await
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
