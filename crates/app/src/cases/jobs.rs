//! Background work on cases through the durable job queue: escalation of overdue
//! cases to the unit above (with in-app and e-mail notices) and the retention purge
//! of closed cases' personal data; plus the public statistics.

use serde::{Deserialize, Serialize};
use store::audit::AuditEntry;
use store::cases::CaseStatRow;

use crate::error::AppResult;
use crate::{App, AppError};

/// Escalation levels: 1 = the province (or, for a province's case, the ministry).
pub const MAX_ESCALATION: i64 = 1;

#[derive(Serialize, Deserialize)]
struct EscalationJob {
    case_id: i64,
    level: i64,
}

/// Public statistics: aggregates only, never a case's text.
#[derive(Debug, Clone, Serialize)]
pub struct PublicCaseStats {
    /// From this day (YYYY-MM-DD), twelve months back.
    pub since: String,
    /// Rows by kind, province and month.
    pub rows: Vec<CaseStatRow>,
    /// Totals: received, answered, on time.
    pub received: i64,
    /// Answered (closed or refused).
    pub answered: i64,
    /// Answered by the deadline.
    pub on_time: i64,
}

impl App {
    /// Enqueues an escalation job for every open case whose deadline passed
    /// (idempotent: one job per case and level). Returns how many were queued.
    pub async fn schedule_escalations(&self, now_ms: i64) -> AppResult<usize> {
        let today = store::clock::today_iso();
        let mut n = 0;
        for c in self.store.overdue_cases(&today, MAX_ESCALATION).await? {
            let level = c.escalation_level + 1;
            let payload = crate::to_json(&EscalationJob { case_id: c.id, level });
            if self
                .store
                .enqueue_job("case.escalate", &format!("case.escalate:{}:{level}", c.id), &payload, now_ms)
                .await?
            {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Runs one escalation: raises the level, tells the unit above (in the app and,
    /// when SMTP is configured, by e-mail — receipt code and dates only, never the
    /// citizen's details), and audits it.
    pub(crate) async fn run_escalation(&self, payload: &str) -> AppResult<()> {
        let job: EscalationJob = serde_json::from_str(payload).map_err(|e| AppError::Internal(e.to_string()))?;
        let rec = self.store.case(&domain::Scope::Nation, job.case_id).await?;
        if rec.escalation_level >= job.level || rec.status.is_final() {
            return Ok(());
        }
        let above = if rec.commune_code.is_some() { rec.province_code.clone() } else { "VN".to_string() };
        let mut tx = self.store.begin_write().await?;
        tx.update_case(rec.id, &[("escalation_level", store::Arg::I(job.level))]).await?;
        AuditEntry::new(None, "case.escalate", "case", rec.id)
            .after(&serde_json::json!({"to": above}))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        let title = format!("Quá hạn: hồ sơ {}", rec.receipt_code);
        let body = format!(
            "Hồ sơ {} ({}) của {} đã quá hạn giải quyết ngày {}. Đề nghị đôn đốc xử lý.",
            rec.receipt_code,
            rec.kind.as_str(),
            rec.unit_name,
            rec.due_date.map(super::vn_day).unwrap_or_default()
        );
        let link = format!("/cases/{}", rec.id);
        for (user_id, email) in self.store.users_of_unit(&above).await? {
            self.store.notify(user_id, &title, &body, Some(&link)).await?;
            if let (Some(url), Some(to)) = (self.config.smtp_url.as_deref(), email.as_deref()) {
                self.send_mail(url, to, &title, &body).await?;
            }
        }
        Ok(())
    }

    /// Removes the personal data of cases closed longer ago than the retention
    /// period: contact details, attachment bytes, the address, and from the
    /// description of every kind the citizen's own name, phone and e-mail and
    /// anything that looks like a phone number or an e-mail address. Returns how many
    /// cases were purged.
    pub async fn purge_expired_personal_data(&self, now_ms: i64) -> AppResult<usize> {
        let before = now_ms - self.config.case_retention_days * 86_400_000;
        let ids = self.store.cases_to_purge(before).await?;
        for id in &ids {
            let rec = self.store.case(&domain::Scope::Nation, *id).await?;
            let kind = rec.kind;
            let contact: super::Contact = match self.store.case_contact_sealed(*id).await? {
                Some(sealed) => self.sealer.open("contact", &sealed).ok().and_then(|b| serde_json::from_slice(&b).ok()),
                None => None,
            }
            .unwrap_or_default();
            let ids: Vec<&str> =
                [&contact.name, &contact.phone, &contact.email].iter().filter_map(|v| v.as_deref()).collect();
            let scrubbed = domain::case::scrub_personal(
                &self.open_case_text(&rec.description),
                &ids,
                "[đã xóa khi hết hạn lưu trữ]",
            );
            let stored = self.seal_case_text(kind, &scrubbed)?;
            let mut tx = self.store.begin_write().await?;
            tx.purge_case_personal_data(*id, &stored).await?;
            AuditEntry::new(None, "case.purge_personal_data", "case", id).write(&mut tx).await?;
            tx.commit().await?;
        }
        Ok(ids.len())
    }

    /// Public statistics of the last twelve months.
    pub async fn public_case_stats(&self) -> AppResult<PublicCaseStats> {
        let today = store::clock::today();
        let since = (today - chrono::Duration::days(365)).format("%Y-%m-01").to_string();
        let rows = self.store.case_stats(&since).await?;
        let (received, answered, on_time) =
            rows.iter().fold((0, 0, 0), |(a, b, c), r| (a + r.received, b + r.answered, c + r.on_time));
        Ok(PublicCaseStats { since, rows, received, answered, on_time })
    }
}
