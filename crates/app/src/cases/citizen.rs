//! The citizen's side of a case, with no account: lookup by receipt code and secret
//! (failures throttled per client), the status by code alone (Open311), messages,
//! reopening a closed case in time, and rating the handling.

use domain::case::lifecycle::{self, CaseAct, CaseRefusal};
use domain::case::{self, CaseKind, CaseStatus, MessageAuthor};
use domain::ValidationError;
use store::audit::AuditEntry;
use store::cases::CaseRecord;
use store::clock::now_ms;
use store::Arg;

use super::{rfc3339, secret_hash, PublicCaseView, PublicMessage, Upload, LOOKUP_MAX_FAILURES, LOOKUP_WINDOW_MS};
use crate::error::AppResult;
use crate::{App, AppError};

impl App {
    /// Finds a case by code and secret. A wrong secret is answered exactly like an
    /// unknown code; failures (not successes) count towards the client's throttle.
    async fn find_public(&self, code: &str, secret: &str, client: &str) -> AppResult<CaseRecord> {
        self.check_lookup_throttle(client)?;
        let code = case::parse_receipt_code(code)
            .ok_or_else(|| ValidationError::one("receipt_code", "case.code_malformed"))?;
        let found = self.store.case_by_code(&code).await?;
        let given = secret_hash(secret);
        match found {
            Some((mut rec, hash)) if crate::auth::tokens_match(&hash, &given) => {
                self.open_case(&mut rec);
                Ok(rec)
            }
            _ => Err(self.lookup_failed(client)),
        }
    }

    /// Refuses a client with too many failed lookups.
    fn check_lookup_throttle(&self, client: &str) -> AppResult<()> {
        match self.cases.lookups.blocked_until(client, LOOKUP_MAX_FAILURES, LOOKUP_WINDOW_MS) {
            Some(until) => Err(AppError::Throttled("case.too_many_lookups", until)),
            None => Ok(()),
        }
    }

    /// Counts a failed lookup; the answer is "not found", like an unknown code.
    fn lookup_failed(&self, client: &str) -> AppError {
        self.cases.lookups.fail(client, LOOKUP_WINDOW_MS);
        AppError::NotFound
    }

    /// A case's public status by receipt code alone (Open311 GET): no text, no
    /// messages. Unknown codes count towards the client's lookup throttle.
    pub async fn case_status_public(&self, code: &str, client: &str) -> AppResult<CaseRecord> {
        self.check_lookup_throttle(client)?;
        let found = match case::parse_receipt_code(code) {
            Some(c) => self.store.case_by_code(&c).await?,
            None => None,
        };
        match found {
            Some((mut rec, _)) => {
                rec.description = String::new();
                rec.address_text = None;
                Ok(rec)
            }
            None => Err(self.lookup_failed(client)),
        }
    }

    /// The citizen's view of a case.
    pub async fn lookup_case(&self, code: &str, secret: &str, client: &str) -> AppResult<PublicCaseView> {
        let rec = self.find_public(code, secret, client).await?;
        self.public_view(rec).await
    }

    async fn public_view(&self, rec: CaseRecord) -> AppResult<PublicCaseView> {
        // The description is the citizen's first message.
        let first = PublicMessage {
            from: "citizen".into(),
            body: rec.description.clone(),
            at: rfc3339(rec.created_at),
            at_ms: rec.created_at,
        };
        let messages = std::iter::once(first)
            // Public events (acceptance, extension, transfer) are officers' acts: the
            // citizen sees them as from the officer.
            .chain(self.store.case_messages(rec.id, false).await?.into_iter().map(|m| PublicMessage {
                from: match m.author {
                    MessageAuthor::Citizen => "citizen".into(),
                    MessageAuthor::Officer | MessageAuthor::System => "officer".into(),
                },
                body: m.body,
                at: rfc3339(m.created_at),
                at_ms: m.created_at,
            }))
            .collect();
        let (kind, status) = (rec.kind, rec.status);
        let can_reopen = self.reopen_to(kind, status, &rec).is_ok();
        let can_rate = lifecycle::next_status(kind, status, CaseAct::Rate).is_ok() && rec.rating.is_none();
        Ok(PublicCaseView {
            receipt_code: rec.receipt_code,
            kind: rec.kind,
            status: rec.status,
            due_date: rec.due_date,
            due_rule: rec.due_rule,
            unit_name: rec.unit_name,
            received_on: rec.received_on,
            outcome: rec.outcome,
            messages,
            can_message: status.accepts_messages(),
            can_reopen,
            can_rate,
            rating: rec.rating,
        })
    }

    /// The status a case goes back to when the citizen reopens it, if they still may:
    /// closed (the lifecycle), within the set time.
    fn reopen_to(&self, kind: CaseKind, status: CaseStatus, rec: &CaseRecord) -> Result<CaseStatus, CaseRefusal> {
        let back = lifecycle::next_status(kind, status, CaseAct::Reopen { was_accepted: rec.accepted_on.is_some() })?;
        if rec.closed_at.is_some_and(|t| now_ms() - t < self.config.case_reopen_days * 86_400_000) {
            Ok(back)
        } else {
            Err(CaseRefusal::CannotReopen)
        }
    }

    /// The citizen adds a message (and files) to an open case.
    pub async fn citizen_message(
        &self,
        code: &str,
        secret: &str,
        body: &str,
        uploads: &[Upload],
        client: &str,
    ) -> AppResult<()> {
        let rec = self.find_public(code, secret, client).await?;
        let body = body.trim();
        if body.is_empty() && uploads.is_empty() {
            return Err(ValidationError::one("body", "case.message_empty").into());
        }
        if body.chars().count() > case::MAX_MESSAGE_CHARS {
            return Err(ValidationError::one("body", "case.message_too_long").into());
        }
        if uploads.len() > case::MAX_ATTACHMENTS {
            return Err(ValidationError::one("attachments", "case.too_many_files").into());
        }
        if !rec.status.accepts_messages() {
            return Err(AppError::Conflict("case.closed"));
        }
        let files = self.seal_uploads(uploads)?;
        let mut tx = self.store.begin_write().await?;
        let msg = tx.insert_case_message(rec.id, MessageAuthor::Citizen, None, body, true).await?;
        for f in &files {
            tx.insert_case_attachment(rec.id, Some(msg), f).await?;
        }
        AuditEntry::new(None, "case.citizen_message", "case", rec.id).write(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The citizen reopens a closed case within the allowed time, with a reason.
    pub async fn citizen_reopen(&self, code: &str, secret: &str, reason: &str, client: &str) -> AppResult<()> {
        let rec = self.find_public(code, secret, client).await?;
        let reason = lifecycle::reason(CaseAct::Reopen { was_accepted: rec.accepted_on.is_some() }, reason)?;
        let back = self.reopen_to(rec.kind, rec.status, &rec)?.as_str();
        let mut tx = self.store.begin_write().await?;
        tx.update_case(rec.id, &[("status", back.into()), ("closed_at", Arg::NullI), ("answered_on_time", Arg::NullI)])
            .await?;
        tx.insert_case_message(rec.id, MessageAuthor::Citizen, None, &format!("Đề nghị mở lại: {reason}"), true)
            .await?;
        AuditEntry::new(None, "case.reopen", "case", rec.id).before(&rec.status).after(back).write(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The citizen rates the handling (1–5) once it is closed.
    pub async fn citizen_rate(&self, code: &str, secret: &str, rating: i64, client: &str) -> AppResult<()> {
        let rec = self.find_public(code, secret, client).await?;
        if !(1..=5).contains(&rating) {
            return Err(ValidationError::one("rating", "case.rating_invalid").into());
        }
        lifecycle::next_status(rec.kind, rec.status, CaseAct::Rate)?;
        if rec.rating.is_some() {
            return Err(CaseRefusal::CannotRate.into());
        }
        let mut tx = self.store.begin_write().await?;
        tx.update_case(rec.id, &[("rating", Arg::I(rating))]).await?;
        AuditEntry::new(None, "case.rate", "case", rec.id).after(&rating).write(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }
}
