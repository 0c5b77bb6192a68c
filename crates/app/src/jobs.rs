//! Background work through the durable job queue: reminders before each campaign
//! deadline, shown in the app and e-mailed when SMTP is configured.

use chrono::{Datelike, NaiveDate};
use domain::campaign::{pending_reminder_dates, Campaign};
use serde::{Deserialize, Serialize};

use crate::error::AppResult;
use crate::{App, AppError};

/// Payload of a reminder job (JSON: the group as its snake_case code, the deadline
/// as YYYY-MM-DD).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reminder {
    /// Campaign year.
    pub year: i32,
    /// Whose deadline.
    pub group: ReminderGroup,
    /// The deadline.
    pub deadline: NaiveDate,
}

/// The three deadlines of a campaign, by who submits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderGroup {
    /// Residential areas' self-assessments (the commune enters them).
    ResidentialArea,
    /// Communes', agencies', enterprises' and schools' self-assessments.
    CommuneAndOrganisation,
    /// The provincial police's summary report.
    ProvinceSummary,
}

impl ReminderGroup {
    /// The code (in job keys and payloads).
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderGroup::ResidentialArea => "residential_area",
            ReminderGroup::CommuneAndOrganisation => "commune_and_organisation",
            ReminderGroup::ProvinceSummary => "province_summary",
        }
    }

    fn label(self) -> &'static str {
        match self {
            ReminderGroup::ResidentialArea => "kết quả tự đánh giá của khu dân cư",
            ReminderGroup::CommuneAndOrganisation => {
                "kết quả tự đánh giá của xã, phường, cơ quan, doanh nghiệp, nhà trường"
            }
            ReminderGroup::ProvinceSummary => "báo cáo tổng hợp của Công an tỉnh",
        }
    }
}

/// Payload of a mail job: one plain-text e-mail.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Mail {
    to: String,
    subject: String,
    body: String,
}

/// The reminder groups of a campaign with their deadlines.
fn reminder_groups(c: &Campaign) -> [(ReminderGroup, NaiveDate); 3] {
    [
        (ReminderGroup::ResidentialArea, c.residential_area_deadline),
        (ReminderGroup::CommuneAndOrganisation, c.commune_deadline),
        (ReminderGroup::ProvinceSummary, c.province_summary_deadline),
    ]
}

/// 08:00 in Asia/Ho_Chi_Minh on `d`, as Unix ms.
fn morning_ms(d: NaiveDate) -> i64 {
    domain::clock::vietnam_hour_ms(d, 8).expect("08:00 is a valid hour")
}

impl App {
    /// Schedules the reminders of a campaign year (idempotent): 7, 3 and 1 days before
    /// each deadline of the year's campaign that has not passed (one today in place
    /// of those already past).
    pub async fn schedule_reminders(&self, year: i32, today: NaiveDate) -> AppResult<usize> {
        let c = self.campaign(i64::from(year)).await?;
        let mut added = 0;
        for (group, deadline) in reminder_groups(&c) {
            for date in pending_reminder_dates(deadline, today) {
                let payload = Reminder { year, group, deadline };
                let json = serde_json::to_string(&payload).map_err(|e| AppError::Internal(e.to_string()))?;
                let key = format!("reminder:{year}:{}:{deadline}:{date}", group.as_str());
                if self.store.enqueue_job("reminder", &key, &json, morning_ms(date)).await? {
                    added += 1;
                }
            }
        }
        Ok(added)
    }

    /// Runs the jobs due at `now_ms`; returns how many ran (successfully or not).
    /// Jobs that a run enqueues for "now" (a reminder's e-mails) run in the same
    /// call, up to three rounds.
    pub async fn run_due_jobs(&self, now_ms: i64) -> AppResult<usize> {
        let mut ran = 0;
        for _ in 0..3 {
            let n = self.run_due_round(now_ms).await?;
            ran += n;
            if n == 0 {
                break;
            }
        }
        Ok(ran)
    }

    async fn run_due_round(&self, now_ms: i64) -> AppResult<usize> {
        let jobs = self.store.claim_due_jobs(now_ms, 20, 5 * 60_000).await?;
        for job in &jobs {
            let result = match job.kind.as_str() {
                "reminder" => self.run_reminder(&job.payload_json, now_ms, job.id).await,
                "mail" => self.run_mail(&job.payload_json).await,
                "case.escalate" => self.run_escalation(&job.payload_json).await,
                "case.warn" => self.run_case_warning(&job.payload_json).await,
                "task.remind" => self.run_task_reminder(&job.payload_json).await,
                "proposal.escalate" => self.run_proposal_escalation(&job.payload_json).await,
                "report.remind" => self.run_report_reminder(&job.payload_json, now_ms).await,
                other => Err(AppError::Internal(format!("unknown job kind {other}"))),
            };
            match result {
                Ok(()) => self.store.complete_job(job.id).await?,
                Err(e) => {
                    tracing::warn!(job = job.id, error = %e, "job failed; will retry");
                    self.store.fail_job(job, &e.to_string()).await?;
                }
            }
        }
        Ok(jobs.len())
    }

    async fn run_reminder(&self, payload: &str, now_ms: i64, job_id: i64) -> AppResult<()> {
        let r: Reminder = serde_json::from_str(payload).map_err(|e| AppError::Internal(e.to_string()))?;
        let deadline = r.deadline;
        // The ministry may have moved the deadline since this reminder was queued.
        let c = self.campaign(i64::from(r.year)).await?;
        if !reminder_groups(&c).iter().any(|(g, d)| *g == r.group && *d == deadline) {
            return Ok(());
        }
        let today = domain::clock::vietnam_date_ms(now_ms);
        let days = (deadline - today).num_days().max(0);
        let title = format!("Nhắc hạn: {} năm {}", r.group.label(), r.year);
        let body = format!(
            "Hạn nộp {} năm {} là ngày {:02}/{:02}/{} (còn {} ngày). Bản nộp sau hạn vẫn được nhận và được ghi là nộp muộn.",
            r.group.label(),
            r.year,
            deadline.day(),
            deadline.month(),
            deadline.year(),
            days
        );
        let link = format!("/assessments?year={}", r.year);
        // One in-app notice per user, all or none (one transaction); each e-mail is a
        // job of its own, so a failing mail server retries the mail only.
        let mut mails = Vec::new();
        // Only those who still owe what the deadline asks for.
        let users = self.store.users_to_remind(r.group.as_str(), i64::from(r.year)).await?;
        let mut tx = self.store.begin_write().await?;
        for (user_id, email) in users {
            tx.notify(user_id, &title, &body, Some(&link)).await?;
            if let (Some(_), Some(to)) = (self.config.smtp_url.as_deref(), email) {
                mails.push((user_id, to));
            }
        }
        for (user_id, to) in mails {
            let mail = Mail { to, subject: title.clone(), body: body.clone() };
            let json = serde_json::to_string(&mail).map_err(|e| AppError::Internal(e.to_string()))?;
            tx.enqueue_job("mail", &format!("mail:job{job_id}:user{user_id}"), &json, now_ms).await?;
        }
        // The reminder is done in the same transaction as its notices and mails.
        tx.complete_job(job_id).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn run_mail(&self, payload: &str) -> AppResult<()> {
        let m: Mail = serde_json::from_str(payload).map_err(|e| AppError::Internal(e.to_string()))?;
        match self.config.smtp_url.as_deref() {
            Some(url) => self.send_mail(url, &m.to, &m.subject, &m.body).await,
            None => Ok(()),
        }
    }

    /// Sends one plain-text e-mail through the configured SMTP server.
    pub(crate) async fn send_mail(&self, url: &str, to: &str, subject: &str, body: &str) -> AppResult<()> {
        use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
        let bad = |e: String| AppError::Internal(format!("mail: {e}"));
        let msg = Message::builder()
            .from(self.config.smtp_from.parse().map_err(|e: lettre::address::AddressError| bad(e.to_string()))?)
            .to(to.parse().map_err(|e: lettre::address::AddressError| bad(e.to_string()))?)
            .subject(subject)
            .body(body.to_string())
            .map_err(|e| bad(e.to_string()))?;
        // smtp://host[:port] — a relay on the police network; TLS is the relay's job.
        let hostport = url
            .strip_prefix("smtp://")
            .ok_or_else(|| bad(format!("unsupported SMTP URL {url}")))?
            .trim_end_matches('/');
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|e| bad(e.to_string()))?),
            None => (hostport, 25),
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(port).build();
        transport.send(msg).await.map_err(|e| bad(e.to_string()))?;
        Ok(())
    }

    /// The actor's latest notifications.
    pub async fn notifications(&self, actor: &crate::Actor, limit: i64) -> AppResult<Vec<store::jobs::Notification>> {
        Ok(self.store.notifications(actor.user_id, limit).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_run_at_eight_in_the_morning_vietnam_time() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 13).expect("date");
        // 2026-11-13 08:00 +07:00 = 2026-11-13 01:00 UTC.
        assert_eq!(morning_ms(d), 1_794_531_600_000);
    }
}
