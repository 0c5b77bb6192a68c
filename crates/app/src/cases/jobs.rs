//! Background work on cases through the durable job queue: a warning to the
//! officer before the deadline, escalation of overdue cases level by level (the
//! province, then the ministry; `domain::case::escalation`) with in-app and e-mail
//! notices, and the retention purge of closed cases' personal data; plus the public
//! statistics.

use serde::{Deserialize, Serialize};
use store::audit::AuditEntry;
use store::cases::CaseStatRow;

use crate::error::AppResult;
use crate::{App, AppError};

/// Escalation levels: 1 = the unit above the handler (the province, or for a
/// province's case the ministry), 2 = the ministry for a commune's case.
pub const MAX_ESCALATION: i64 = 2;

#[derive(Serialize, Deserialize)]
struct EscalationJob {
    case_id: i64,
    level: i64,
}

/// A warning before the deadline.
#[derive(Serialize, Deserialize)]
struct WarningJob {
    case_id: i64,
    due: chrono::NaiveDate,
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
        let today = domain::clock::vietnam_date_ms(now_ms);
        let mut n = 0;
        for c in self.store.overdue_cases(&domain::clock::iso(today), MAX_ESCALATION).await? {
            let by_commune = c.unit_code != c.province_code;
            // One level at a time, when the days past the deadline call for it.
            if domain::case::escalation::level_due(c.due_date, today, by_commune) <= c.escalation_level {
                continue;
            }
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
        let by_commune = rec.unit_code != rec.province_code;
        let Some(above) =
            domain::case::escalation::told_at(job.level, by_commune, &rec.province_code, domain::unit::NATION_CODE)
        else {
            return Ok(());
        };
        let mut tx = self.store.begin_write().await?;
        tx.update_case(rec.id, &[("escalation_level", store::Arg::I(job.level))]).await?;
        AuditEntry::new(None, "case.escalate", "case", rec.id)
            .after(&serde_json::json!({"to": above, "level": job.level}))
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

    /// Enqueues a warning for every open case due within the warning days (one job
    /// per case and deadline); returns how many were queued.
    pub async fn schedule_case_warnings(&self, now_ms: i64) -> AppResult<usize> {
        let today = domain::clock::vietnam_date_ms(now_ms);
        let until = today + chrono::Duration::days(domain::case::escalation::WARN_DAYS);
        let mut n = 0;
        let iso = domain::clock::iso;
        for (c, _) in self.store.cases_due_between(&iso(today), &iso(until)).await? {
            if !domain::case::escalation::warn_now(c.due_date, today) {
                continue;
            }
            let payload = crate::to_json(&WarningJob { case_id: c.id, due: c.due_date });
            let key = format!("case.warn:{}:{}", c.id, c.due_date);
            if self.store.enqueue_job("case.warn", &key, &payload, now_ms).await? {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Runs one warning: tells the case's officer (or, with none assigned, the
    /// handling unit's officers) that the deadline is near; nothing when the case
    /// was answered or its deadline moved meanwhile.
    pub(crate) async fn run_case_warning(&self, payload: &str) -> AppResult<()> {
        let job: WarningJob = serde_json::from_str(payload).map_err(|e| AppError::Internal(e.to_string()))?;
        let rec = self.store.case(&domain::Scope::Nation, job.case_id).await?;
        if rec.status.is_final() || rec.due_date != Some(job.due) {
            return Ok(());
        }
        let title = format!("Sắp đến hạn: hồ sơ {}", rec.receipt_code);
        let body = format!(
            "Hồ sơ {} phải giải quyết trước ngày {}. Quá hạn, hồ sơ sẽ được báo lên cấp trên.",
            rec.receipt_code,
            super::vn_day(job.due)
        );
        let link = format!("/cases/{}", rec.id);
        let users = match rec.assignee_id {
            Some(a) => vec![(a, None::<String>)],
            None => self.store.users_of_unit(&rec.unit_code).await?,
        };
        for (user_id, _) in users {
            self.store.notify(user_id, &title, &body, Some(&link)).await?;
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
