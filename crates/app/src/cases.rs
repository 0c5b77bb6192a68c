//! Citizens' cases: public submission (through [`crate::intake`]), lookup by receipt
//! code and secret, the citizen's messages, and the officer's work — accept, refuse,
//! transfer, assign, extend, reply, close, merge, reveal the contact. Deadlines come
//! from `domain::deadline` over the working calendar of [`crate::calendar`].

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::NaiveDate;
use domain::case::{self, CaseKind, CaseStatus, Complexity, RouteTarget};
use domain::{Level, Role, Scope, ValidationError};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use store::cases::{CaseAttachmentInfo, CaseFilter, CaseMessage, CaseRecord, NewCase, NewCaseAttachment};
use store::{now_ms, Arg, StoreError};

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// Contact details a citizen chooses to give.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Contact {
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
}

impl Contact {
    fn is_empty(&self) -> bool {
        [&self.name, &self.phone, &self.email].iter().all(|v| v.as_deref().is_none_or(|s| s.trim().is_empty()))
    }
}

/// A new case as the public form or the API sends it.
#[derive(Debug, Clone, Deserialize)]
pub struct CaseInput {
    /// Kind code.
    pub kind: String,
    /// Commune or residential area where it happened.
    pub unit_code: String,
    /// What happened.
    pub description: String,
    /// Stay anonymous.
    #[serde(default)]
    pub anonymous: bool,
    /// Optional contact.
    #[serde(default)]
    pub contact: Option<Contact>,
    /// Optional address text of the place.
    #[serde(default)]
    pub address: Option<String>,
}

/// An uploaded file before checks.
#[derive(Debug, Clone)]
pub struct Upload {
    /// Name as sent.
    pub filename: String,
    /// Bytes.
    pub bytes: Vec<u8>,
}

/// What the citizen gets back once the case is on disk.
#[derive(Debug, Clone, Serialize)]
pub struct Receipt {
    /// Receipt code (to read aloud).
    pub receipt_code: String,
    /// Secret, shown once.
    pub secret: String,
    /// Legal deadline, if one runs already.
    pub due_date: Option<String>,
}

/// What a citizen sees with code and secret.
#[derive(Debug, Clone, Serialize)]
pub struct PublicCaseView {
    /// Receipt code.
    pub receipt_code: String,
    /// Kind code.
    pub kind: String,
    /// Status code.
    pub status: String,
    /// Legal deadline.
    pub due_date: Option<String>,
    /// The rule behind it and its source.
    pub due_rule: Option<String>,
    /// Handling unit's name.
    pub unit_name: String,
    /// Received (YYYY-MM-DD).
    pub received_on: String,
    /// Outcome once closed or refused.
    pub outcome: Option<String>,
    /// Citizen's and officers' public messages, and public events.
    pub messages: Vec<PublicMessage>,
    /// Whether the citizen may still write.
    pub can_message: bool,
    /// Whether the citizen may reopen it.
    pub can_reopen: bool,
    /// Whether the citizen may rate it.
    pub can_rate: bool,
    /// Rating given.
    pub rating: Option<i64>,
}

/// One public message.
#[derive(Debug, Clone, Serialize)]
pub struct PublicMessage {
    /// citizen | officer
    pub from: String,
    /// Text.
    pub body: String,
    /// RFC 3339 time.
    pub at: String,
    /// The same time in Unix milliseconds (for local formatting).
    pub at_ms: i64,
}

/// An officer's view of a case.
#[derive(Debug, Clone, Serialize)]
pub struct OfficerCaseView {
    /// The case (description redacted for verifiers of a denunciation).
    #[serde(flatten)]
    pub case: CaseRecord,
    /// All messages, internal notes included.
    pub messages: Vec<CaseMessage>,
    /// Attachments.
    pub attachments: Vec<CaseAttachmentInfo>,
    /// Whether contact details exist (they are never in this view).
    pub has_contact: bool,
    /// Whether this officer may reveal them.
    pub may_reveal: bool,
    /// Whether the text was redacted for a verifier.
    pub redacted: bool,
    /// Assignee's display name.
    pub assignee_name: Option<String>,
}

/// An action on a case by an officer.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CaseAction {
    /// Accept (thụ lý), optionally marking it complex or in a remote area.
    Accept {
        /// Complex from the start.
        #[serde(default)]
        complexity: Option<String>,
        /// Remote area (longer complaint periods).
        #[serde(default)]
        remote_area: bool,
    },
    /// Refuse with reasons.
    Refuse {
        /// Reasons.
        reason: String,
    },
    /// Send to another unit.
    Transfer {
        /// Target unit (commune or province).
        unit_code: String,
        /// Reasons.
        reason: String,
    },
    /// Give to an officer.
    Assign {
        /// User id.
        user_id: i64,
    },
    /// Extend the deadline (complex, very complex) with reasons.
    Extend {
        /// Reasons.
        reason: String,
    },
    /// Close with an outcome.
    Close {
        /// Outcome.
        outcome: String,
    },
    /// Merge into another case (a duplicate).
    Merge {
        /// The case that stays.
        into_id: i64,
        /// Reasons.
        #[serde(default)]
        reason: Option<String>,
    },
}

/// One routing rule as the ministry sets it: cases of `kind` go to `target`
/// (`commune` or `province`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct RoutingRule {
    /// Kind code.
    pub kind: String,
    /// `commune` or `province`.
    pub target: String,
}

/// Settings and in-memory state of the cases feature.
#[derive(Default)]
pub struct CaseRuntime {
    /// Group-commit queue.
    pub intake: crate::intake::Intake,
    lookups: crate::auth::ClientThrottle,
    submissions: Mutex<HashMap<String, (u32, i64)>>,
    routes: crate::cached::Cached<Vec<(String, String)>>,
    units: std::sync::RwLock<HashMap<String, store::units::UnitRecord>>,
}

impl CaseRuntime {
    /// Forgets cached units (after a unit is retired or changed).
    pub fn forget_units(&self) {
        if let Ok(mut g) = self.units.write() {
            g.clear();
        }
    }
}

/// Failed lookups allowed per client within [`LOOKUP_WINDOW_MS`].
pub const LOOKUP_MAX_FAILURES: u32 = 10;
/// Window of the lookup throttle.
pub const LOOKUP_WINDOW_MS: i64 = 15 * 60 * 1000;

fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(case::normalise_secret(secret).as_bytes()))
}

/// A fresh receipt code from the thread's CSPRNG.
pub(crate) fn new_receipt_code() -> String {
    let mut bytes = [0u8; case::CODE_LEN];
    rand::thread_rng().fill_bytes(&mut bytes);
    case::receipt_code_from(&bytes)
}

/// The reason an officer must give (at least 5 characters), trimmed.
fn required_reason(s: &str) -> AppResult<&str> {
    let s = s.trim();
    if s.chars().count() < 5 {
        Err(ValidationError::one("reason", "case.reason_required").into())
    } else {
        Ok(s)
    }
}

fn clean(s: &Option<String>, max: usize) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|s| s.chars().take(max).collect())
}

/// Checks a contact; returns it cleaned.
fn validate_contact(c: &Contact, err: &mut ValidationError) -> Contact {
    let out = Contact { name: clean(&c.name, 200), phone: clean(&c.phone, 40), email: clean(&c.email, 200) };
    if let Some(p) = &out.phone {
        let digits = p.chars().filter(|c| c.is_ascii_digit()).count();
        if !(8..=15).contains(&digits) || !p.chars().all(|c| c.is_ascii_digit() || " +.-()".contains(c)) {
            err.push("contact.phone", "case.phone_invalid");
        }
    }
    if let Some(e) = &out.email {
        let ok = e.split_once('@').is_some_and(|(a, d)| !a.is_empty() && d.contains('.') && !e.contains(' '));
        if !ok {
            err.push("contact.email", "case.email_invalid");
        }
    }
    out
}

impl App {
    /// The routing rules, for officers.
    pub async fn routing_rules(&self, actor: &Actor) -> AppResult<Vec<(String, String)>> {
        require_case_officer(actor)?;
        self.case_routes().await
    }

    /// Sets where cases of a kind go by default (`commune` or `province`); ministry and
    /// administrators only; audited.
    pub async fn set_routing_rule(&self, actor: &Actor, kind: &str, target: &str) -> AppResult<()> {
        if !matches!(actor.role, Role::Admin | Role::Ministry) {
            return Err(AppError::Forbidden("auth.not_allowed"));
        }
        let mut err = ValidationError::default();
        if CaseKind::parse(kind).is_none() {
            err.push("kind", "case.kind_unknown");
        }
        if !matches!(target, "commune" | "province") {
            err.push("target", "case.route_target_unknown");
        }
        err.into_result()?;
        let before = self.case_routes().await?.into_iter().find(|(k, _)| k == kind).map(|(_, t)| t);
        let mut tx = self.store.begin_write().await?;
        tx.set_case_route(kind, target).await?;
        tx.audit(Some(actor.user_id), "case.route", "case_route", kind, before.as_deref(), Some(target)).await?;
        tx.commit().await?;
        self.cases.routes.forget();
        Ok(())
    }

    /// A unit for the public intake, from a small in-memory cache (units change rarely;
    /// retiring one clears it).
    async fn intake_unit(&self, code: &str) -> Result<store::units::UnitRecord, StoreError> {
        if let Some(u) = self.cases.units.read().ok().and_then(|g| g.get(code).cloned()) {
            return Ok(u);
        }
        let u = self.store.unit(code).await?;
        if let Ok(mut g) = self.cases.units.write() {
            if g.len() > 50_000 {
                g.clear();
            }
            g.insert(code.to_string(), u.clone());
        }
        Ok(u)
    }

    /// The routing rules (kind → commune | province), cached until they change.
    async fn case_routes(&self) -> AppResult<Vec<(String, String)>> {
        if let Some(r) = self.cases.routes.get() {
            return Ok(r);
        }
        Ok(self.cases.routes.set(self.store.case_routes().await?))
    }

    /// The handling unit for a case of `kind` at `place` (a commune or area), by the
    /// routing rules stored as data.
    async fn route(
        &self,
        kind: CaseKind,
        commune: &store::units::UnitRecord,
    ) -> AppResult<(String, String, Option<String>)> {
        let province = commune.province_code.clone().unwrap_or_default();
        let target = self
            .case_routes()
            .await?
            .into_iter()
            .find(|(k, _)| k == kind.as_str())
            .map(|(_, t)| if t == "province" { RouteTarget::Province } else { RouteTarget::Commune })
            .unwrap_or_else(|| case::default_route(kind));
        Ok(match target {
            RouteTarget::Commune => (commune.code.clone(), province, Some(commune.code.clone())),
            RouteTarget::Province => (province.clone(), province, None),
        })
    }

    /// Checks a new case and its files; returns the row to write (unsealed parts
    /// sealed) and the receipt to give back.
    async fn prepare_case(
        &self,
        input: &CaseInput,
        uploads: &[Upload],
        source: &str,
        created_by: Option<i64>,
    ) -> AppResult<(NewCase, Vec<NewCaseAttachment>, Receipt)> {
        let mut err = ValidationError::default();
        let kind = CaseKind::parse(input.kind.trim());
        if kind.is_none() {
            err.push("kind", "case.kind_unknown");
        }
        let description = input.description.trim();
        if description.is_empty() {
            err.push("description", "case.description_empty");
        } else if description.chars().count() > case::MAX_DESCRIPTION_CHARS {
            err.push("description", "case.description_too_long");
        } else if !domain::text::is_clean_text(description) {
            err.push("description", "text.control_characters");
        }
        if input.address.as_deref().is_some_and(|a| !domain::text::is_clean_line(a.trim())) {
            err.push("address", "text.control_characters");
        }
        if input.anonymous && kind.is_some_and(|k| !k.allows_anonymous()) {
            err.push("anonymous", "case.anonymous_not_allowed");
        }
        let contact = if input.anonymous {
            None
        } else {
            let c = validate_contact(input.contact.as_ref().unwrap_or(&Contact::default()), &mut err);
            if kind == Some(CaseKind::Complaint) && (c.name.is_none() || (c.phone.is_none() && c.email.is_none())) {
                err.push("contact", "case.contact_required");
            }
            (!c.is_empty()).then_some(c)
        };
        let place = match self.intake_unit(input.unit_code.trim()).await {
            Ok(u) if u.valid_to.is_none() && matches!(Level::parse(&u.level), Some(Level::Commune | Level::Area)) => {
                Some(u)
            }
            Ok(_) | Err(StoreError::NotFound) => {
                err.push("unit_code", "case.unit_unknown");
                None
            }
            Err(e) => return Err(e.into()),
        };
        if uploads.len() > case::MAX_ATTACHMENTS {
            err.push("attachments", "case.too_many_files");
        }
        err.into_result()?;
        let (Some(kind), Some(place)) = (kind, place) else { return Err(AppError::Internal("validated".into())) };
        let attachments = self.seal_uploads(uploads)?;
        let commune = match &place.commune_code {
            Some(c) if c != &place.code => self.intake_unit(c).await?,
            _ => place.clone(),
        };
        let (unit_code, province_code, commune_code) = self.route(kind, &commune).await?;
        let received = store::units::today();
        let (rule, _) = case::deadline_rule(kind, false, Complexity::Normal, false);
        let due = domain::deadline::due(&*self.calendar().await?, rule, received);
        // A taken code (one in about 10^12) is replaced by the intake writer.
        let code = new_receipt_code();
        let mut secret_bytes = [0u8; case::SECRET_LEN];
        rand::thread_rng().fill_bytes(&mut secret_bytes);
        let secret = case::secret_from(&secret_bytes);
        let contact_sealed = match &contact {
            Some(c) => Some(self.sealer.seal("contact", crate::to_json(c).as_bytes())?),
            None => None,
        };
        let new = NewCase {
            receipt_code: code.clone(),
            secret_hash: secret_hash(&secret),
            kind: kind.as_str().to_string(),
            unit_code,
            province_code,
            commune_code,
            place_code: place.code.clone(),
            address_text: clean(&input.address, 300).map(|a| self.seal_case_text(kind, &a)).transpose()?,
            description: self.seal_case_text(kind, description)?,
            anonymous: input.anonymous,
            contact_sealed,
            received_on: received.format("%Y-%m-%d").to_string(),
            due_date: Some(due.format("%Y-%m-%d").to_string()),
            due_rule: Some(rule.id().to_string()),
            source: source.to_string(),
            created_by,
        };
        let receipt = Receipt { receipt_code: code, secret, due_date: new.due_date.clone() };
        Ok((new, attachments, receipt))
    }

    /// Checks files (size, type by their bytes), strips image metadata and seals them.
    fn seal_uploads(&self, uploads: &[Upload]) -> AppResult<Vec<NewCaseAttachment>> {
        let mut out = Vec::with_capacity(uploads.len());
        for u in uploads {
            if u.bytes.len() > domain::files::MAX_EVIDENCE_BYTES {
                return Err(AppError::TooLarge);
            }
            let ct = domain::files::sniff(&u.bytes).ok_or(AppError::Unsupported("evidence.type"))?;
            let clean =
                domain::files::strip_metadata(ct, &u.bytes).ok_or(AppError::Unsupported("case.file_corrupt"))?;
            out.push(NewCaseAttachment {
                filename: domain::files::safe_filename(&u.filename),
                content_type: ct.to_string(),
                size_bytes: clean.len() as i64,
                sha256: hex::encode(Sha256::digest(&clean)),
                sealed: self.sealer.seal("attachment", &clean)?,
            });
        }
        Ok(out)
    }

    /// Whether `client` may file another public case now; with `count`, the
    /// submission is counted (only cases that were stored count; memory only).
    fn submission_slot(&self, client: &str, count: bool) -> bool {
        let limit = self.config.public_submissions_per_minute;
        if limit == 0 {
            return true;
        }
        let now = now_ms();
        let Ok(mut map) = self.cases.submissions.lock() else { return true };
        if map.len() > 100_000 {
            map.retain(|_, (_, start)| now - *start < 60_000);
        }
        let e = map.entry(client.to_string()).or_insert((0, now));
        if now - e.1 >= 60_000 {
            *e = (0, now);
        }
        if e.0 >= limit {
            return false;
        }
        if count {
            e.0 += 1;
        }
        true
    }

    /// Files a public case. `client` is an opaque per-client key used only for the
    /// in-memory rate limit. Returns once the case is on disk.
    pub async fn submit_public_case(
        &self,
        input: &CaseInput,
        uploads: &[Upload],
        client: &str,
        source: &str,
    ) -> AppResult<Receipt> {
        if !self.submission_slot(client, false) {
            return Err(AppError::Throttled("case.too_many_submissions", now_ms() + 60_000));
        }
        let (new, attachments, receipt) = self.prepare_case(input, uploads, source, None).await?;
        if !self.submission_slot(client, true) {
            return Err(AppError::Throttled("case.too_many_submissions", now_ms() + 60_000));
        }
        let (_, code) = self.cases.intake.submit(&self.store, new, attachments, None).await?;
        Ok(Receipt { receipt_code: code, ..receipt })
    }

    /// Files a case for a citizen who came in person or phoned (staff, within scope).
    pub async fn file_case_for_citizen(&self, actor: &Actor, input: &CaseInput) -> AppResult<Receipt> {
        require_case_officer(actor)?;
        actor.require_write()?;
        let unit = self
            .store
            .unit(input.unit_code.trim())
            .await
            .map_err(|_| ValidationError::one("unit_code", "case.unit_unknown"))?;
        if !actor.scope.contains(&unit.place()) {
            return Err(ValidationError::one("unit_code", "case.unit_unknown").into());
        }
        let (new, attachments, receipt) = self.prepare_case(input, &[], "staff", Some(actor.user_id)).await?;
        let (_, code) = self.cases.intake.submit(&self.store, new, attachments, Some(actor.user_id)).await?;
        Ok(Receipt { receipt_code: code, ..receipt })
    }

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
                from: if m.author == "system" { "officer".into() } else { m.author },
                body: m.body,
                at: rfc3339(m.created_at),
                at_ms: m.created_at,
            }))
            .collect();
        let status = CaseStatus::parse(&rec.status).unwrap_or(CaseStatus::Received);
        let can_reopen = self.can_reopen(&rec);
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
            can_rate: matches!(status, CaseStatus::Closed | CaseStatus::Refused) && rec.rating.is_none(),
            rating: rec.rating,
        })
    }

    /// Whether the citizen may still reopen a case: closed, within the set time.
    fn can_reopen(&self, rec: &CaseRecord) -> bool {
        rec.status == CaseStatus::Closed.as_str()
            && rec.closed_at.is_some_and(|t| now_ms() - t < self.config.case_reopen_days * 86_400_000)
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
        if !CaseStatus::parse(&rec.status).is_some_and(|s| s.accepts_messages()) {
            return Err(AppError::Conflict("case.closed"));
        }
        let files = self.seal_uploads(uploads)?;
        let mut tx = self.store.begin_write().await?;
        let msg = tx.insert_case_message(rec.id, "citizen", None, body, true).await?;
        for f in &files {
            tx.insert_case_attachment(rec.id, Some(msg), f).await?;
        }
        tx.audit(None, "case.citizen_message", "case", &rec.id.to_string(), None, None).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The citizen reopens a closed case within the allowed time, with a reason.
    pub async fn citizen_reopen(&self, code: &str, secret: &str, reason: &str, client: &str) -> AppResult<()> {
        let rec = self.find_public(code, secret, client).await?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ValidationError::one("reason", "case.reason_required").into());
        }
        if !self.can_reopen(&rec) {
            return Err(AppError::Conflict("case.cannot_reopen"));
        }
        let back = if rec.accepted_on.is_some() { "accepted" } else { "received" };
        let mut tx = self.store.begin_write().await?;
        tx.update_case(rec.id, &[("status", back.into()), ("closed_at", Arg::NullI), ("answered_on_time", Arg::NullI)])
            .await?;
        tx.insert_case_message(rec.id, "citizen", None, &format!("Đề nghị mở lại: {reason}"), true).await?;
        tx.audit(None, "case.reopen", "case", &rec.id.to_string(), Some(&rec.status), Some(back)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The citizen rates the handling (1–5) once it is closed.
    pub async fn citizen_rate(&self, code: &str, secret: &str, rating: i64, client: &str) -> AppResult<()> {
        let rec = self.find_public(code, secret, client).await?;
        if !(1..=5).contains(&rating) {
            return Err(ValidationError::one("rating", "case.rating_invalid").into());
        }
        if !matches!(rec.status.as_str(), "closed" | "refused") || rec.rating.is_some() {
            return Err(AppError::Conflict("case.cannot_rate"));
        }
        let mut tx = self.store.begin_write().await?;
        tx.update_case(rec.id, &[("rating", Arg::I(rating))]).await?;
        tx.audit(None, "case.rate", "case", &rec.id.to_string(), None, Some(&rating.to_string())).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The officer inbox.
    pub async fn list_cases(&self, actor: &Actor, mut f: CaseFilter) -> AppResult<(Vec<CaseRecord>, i64)> {
        require_case_officer(actor)?;
        let t = store::units::today();
        f.today = t.format("%Y-%m-%d").to_string();
        f.soon_until = (t + chrono::Duration::days(3)).format("%Y-%m-%d").to_string();
        f.limit = f.limit.clamp(1, 200);
        f.offset = f.offset.max(0);
        let (mut rows, total) = self.store.list_cases(&actor.scope, &f).await?;
        for r in &mut rows {
            self.open_case(r);
        }
        Ok((rows, total))
    }

    /// One case for an officer: no contact; for a denunciation or crime report seen by
    /// someone other than the assigned officer, the sender's details are redacted
    /// from the text (Luật Tố cáo 2018 Điều 56).
    pub async fn case_view(&self, actor: &Actor, id: i64) -> AppResult<OfficerCaseView> {
        require_case_officer(actor)?;
        let mut rec = self.store.case(&actor.scope, id).await?;
        self.open_case(&mut rec);
        let mut messages = self.store.case_messages(id, true).await?;
        let attachments = self.store.case_attachments(id).await?;
        let sealed = self.store.case_contact_sealed(id).await?;
        let is_assignee = rec.assignee_id == Some(actor.user_id);
        let kind = CaseKind::parse(&rec.kind).unwrap_or(CaseKind::Feedback);
        let mut redacted = false;
        if let (true, false, Some(sealed)) = (kind.identity_is_secret(), is_assignee, &sealed) {
            let c: Contact = serde_json::from_slice(&self.sealer.open("contact", sealed)?).unwrap_or_default();
            let ids: Vec<&str> = [&c.name, &c.phone, &c.email].iter().filter_map(|v| v.as_deref()).collect();
            let mark = "[đã che thông tin người tố cáo]";
            rec.description = case::redact(&rec.description, &ids, mark);
            for m in messages.iter_mut().filter(|m| m.author == "citizen") {
                m.body = case::redact(&m.body, &ids, mark);
            }
            redacted = true;
        }
        let assignee_name = match rec.assignee_id {
            Some(uid) => self.store.user_by_id(uid).await.ok().map(|u| u.display_name),
            None => None,
        };
        let may_reveal = sealed.is_some() && actor.role.can_write() && is_assignee;
        Ok(OfficerCaseView {
            case: rec,
            messages,
            attachments,
            has_contact: sealed.is_some(),
            may_reveal,
            redacted,
            assignee_name,
        })
    }

    /// Reveals the contact to the assigned officer (an unassigned case is assigned to
    /// the officer who reveals it), with a reason; audited without the details.
    pub async fn reveal_contact(&self, actor: &Actor, id: i64, reason: &str) -> AppResult<Contact> {
        require_case_officer(actor)?;
        actor.require_write()?;
        let reason = required_reason(reason)?;
        let mut tx = self.store.begin_write().await?;
        let rec = tx.case(&actor.scope, id).await?;
        // Only the officer the case is assigned to sees the contact. Assignment is an
        // act of its own (the unit's lead, or the officer who accepted it): revealing
        // never assigns.
        match rec.assignee_id {
            Some(uid) if uid == actor.user_id => {}
            Some(_) => return Err(AppError::Forbidden("case.not_assignee")),
            None => return Err(AppError::Forbidden("case.assign_first")),
        }
        let sealed = self.store.case_contact_sealed(id).await?;
        let contact = match sealed {
            Some(s) => serde_json::from_slice(&self.sealer.open("contact", &s)?)
                .map_err(|e| AppError::Internal(e.to_string()))?,
            None => Contact::default(),
        };
        tx.audit(
            Some(actor.user_id),
            "case.reveal_contact",
            "case",
            &id.to_string(),
            None,
            Some(&serde_json::json!({ "reason": reason }).to_string()),
        )
        .await?;
        tx.commit().await?;
        Ok(contact)
    }

    /// An officer's public reply or internal note.
    pub async fn reply_case(&self, actor: &Actor, id: i64, body: &str, public: bool) -> AppResult<i64> {
        require_case_officer(actor)?;
        actor.require_write()?;
        let body = body.trim();
        if body.is_empty() {
            return Err(ValidationError::one("body", "case.message_empty").into());
        }
        if body.chars().count() > case::MAX_MESSAGE_CHARS {
            return Err(ValidationError::one("body", "case.message_too_long").into());
        }
        let mut tx = self.store.begin_write().await?;
        let rec = tx.case(&actor.scope, id).await?;
        if rec.status == "merged" && public {
            return Err(AppError::Conflict("case.closed"));
        }
        let mid = tx.insert_case_message(id, "officer", Some(actor.user_id), body, public).await?;
        tx.audit(
            Some(actor.user_id),
            if public { "case.reply" } else { "case.note" },
            "case",
            &id.to_string(),
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(mid)
    }

    /// Applies an officer's action; returns the case afterwards (or, after a transfer
    /// out of the actor's scope, as it was).
    pub async fn act_on_case(&self, actor: &Actor, id: i64, action: &CaseAction) -> AppResult<CaseRecord> {
        require_case_officer(actor)?;
        actor.require_write()?;
        let cal = self.calendar().await?;
        let t = store::units::today();
        let day = t.format("%Y-%m-%d").to_string();
        let mut tx = self.store.begin_write().await?;
        let rec = tx.case(&actor.scope, id).await?;
        let kind = CaseKind::parse(&rec.kind).unwrap_or(CaseKind::Feedback);
        let status = CaseStatus::parse(&rec.status).unwrap_or(CaseStatus::Received);
        let complexity = Complexity::parse(&rec.complexity).unwrap_or_default();
        let need = |s: &str| -> AppResult<String> { Ok(required_reason(s)?.chars().take(2000).collect()) };
        let due_for = |c: Complexity, accepted_on: Option<&str>, remote: bool| -> (String, String) {
            let (rule, from_acceptance) = case::deadline_rule(kind, accepted_on.is_some(), c, remote);
            let start = if from_acceptance { accepted_on.unwrap_or(&rec.received_on) } else { &rec.received_on };
            let start = NaiveDate::parse_from_str(start, "%Y-%m-%d").unwrap_or(t);
            (domain::deadline::due(&cal, rule, start).format("%Y-%m-%d").to_string(), rule.id().to_string())
        };
        let on_time = |due: &Option<String>| -> Arg { Arg::I(due.as_deref().is_none_or(|d| day.as_str() <= d) as i64) };
        let (event, public_note): (&str, String) = match action {
            CaseAction::Accept { complexity: c, remote_area } => {
                if status != CaseStatus::Received {
                    return Err(AppError::Conflict("case.wrong_status"));
                }
                let c = match c.as_deref() {
                    None => Complexity::Normal,
                    Some(s) => Complexity::parse(s)
                        .ok_or_else(|| ValidationError::one("complexity", "case.complexity_unknown"))?,
                };
                let (due, rule) = due_for(c, Some(&day), *remote_area);
                tx.update_case(
                    id,
                    &[
                        ("status", "accepted".into()),
                        ("accepted_on", day.clone().into()),
                        ("complexity", c.as_str().into()),
                        ("remote_area", Arg::I(*remote_area as i64)),
                        ("due_date", due.clone().into()),
                        ("due_rule", rule.into()),
                    ],
                )
                .await?;
                ("case.accept", format!("Đã thụ lý ngày {}. Hạn giải quyết: {}.", vn_date(&day), vn_date(&due)))
            }
            CaseAction::Refuse { reason } => {
                if status != CaseStatus::Received {
                    return Err(AppError::Conflict("case.wrong_status"));
                }
                if !kind.may_be_refused() {
                    return Err(ValidationError::one("action", "case.must_be_received").into());
                }
                let reason = need(reason)?;
                tx.update_case(
                    id,
                    &[
                        ("status", "refused".into()),
                        ("outcome", reason.clone().into()),
                        ("closed_at", Arg::I(now_ms())),
                        ("answered_on_time", on_time(&rec.due_date)),
                    ],
                )
                .await?;
                ("case.refuse", format!("Không thụ lý. Lý do: {reason}"))
            }
            CaseAction::Transfer { unit_code, reason } => {
                if status.is_final() {
                    return Err(AppError::Conflict("case.wrong_status"));
                }
                let reason = need(reason)?;
                let target = match self.store.unit(unit_code.trim()).await {
                    Ok(u)
                        if u.valid_to.is_none()
                            && matches!(Level::parse(&u.level), Some(Level::Commune | Level::Province)) =>
                    {
                        u
                    }
                    _ => return Err(ValidationError::one("unit_code", "case.unit_unknown").into()),
                };
                if target.code == rec.unit_code {
                    return Err(ValidationError::one("unit_code", "case.same_unit").into());
                }
                let province = target.province_code.clone().unwrap_or_else(|| target.code.clone());
                let commune: Option<String> = (target.level == "commune").then(|| target.code.clone());
                tx.update_case(
                    id,
                    &[
                        ("unit_code", target.code.clone().into()),
                        ("province_code", province.into()),
                        ("commune_code", commune.into()),
                        ("assignee_id", Arg::NullI),
                        ("escalation_level", Arg::I(0)),
                    ],
                )
                .await?;
                ("case.transfer", format!("Đã chuyển đến {}. Lý do: {reason}", target.name))
            }
            CaseAction::Assign { user_id } => {
                let user = self
                    .store
                    .user_by_id(*user_id)
                    .await
                    .map_err(|_| ValidationError::one("user_id", "case.officer_unknown"))?;
                let officer_scope = self.actor_for(&user, String::new(), String::new()).await.ok().map(|a| a.scope);
                let role = Role::parse(&user.role);
                let place = self.store.unit(&rec.unit_code).await?.place();
                let fits = user.active == 1
                    && matches!(role, Some(Role::Commune | Role::Province | Role::Ministry | Role::Admin))
                    && officer_scope.as_ref().is_some_and(|s| s.contains(&place))
                    && actor.scope.contains(&place);
                if !fits {
                    return Err(ValidationError::one("user_id", "case.officer_unknown").into());
                }
                tx.update_case(id, &[("assignee_id", Arg::I(*user_id))]).await?;
                ("case.assign", String::new())
            }
            CaseAction::Extend { reason } => {
                if status.is_final() {
                    return Err(AppError::Conflict("case.wrong_status"));
                }
                let reason = need(reason)?;
                let next =
                    complexity.extended(kind).ok_or_else(|| ValidationError::one("action", "case.no_extension"))?;
                let (due, rule) = due_for(next, rec.accepted_on.as_deref(), rec.remote_area == 1);
                tx.update_case(
                    id,
                    &[
                        ("complexity", next.as_str().into()),
                        ("due_date", due.clone().into()),
                        ("due_rule", rule.into()),
                    ],
                )
                .await?;
                ("case.extend", format!("Gia hạn giải quyết đến {}. Lý do: {reason}", vn_date(&due)))
            }
            CaseAction::Close { outcome } => {
                if status.is_final() {
                    return Err(AppError::Conflict("case.wrong_status"));
                }
                let outcome = need(outcome)?;
                tx.update_case(
                    id,
                    &[
                        ("status", "closed".into()),
                        ("outcome", outcome.clone().into()),
                        ("closed_at", Arg::I(now_ms())),
                        ("answered_on_time", on_time(&rec.due_date)),
                    ],
                )
                .await?;
                ("case.close", format!("Đã giải quyết xong. Kết quả: {outcome}"))
            }
            CaseAction::Merge { into_id, reason } => {
                if *into_id == id || status.is_final() {
                    return Err(ValidationError::one("into_id", "case.merge_invalid").into());
                }
                let into = tx
                    .case(&actor.scope, *into_id)
                    .await
                    .map_err(|_| ValidationError::one("into_id", "case.merge_invalid"))?;
                if into.status == "merged" {
                    return Err(ValidationError::one("into_id", "case.merge_invalid").into());
                }
                tx.update_case(
                    id,
                    &[("status", "merged".into()), ("merged_into", Arg::I(*into_id)), ("closed_at", Arg::I(now_ms()))],
                )
                .await?;
                let why = reason
                    .as_deref()
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .map(|r| format!(" Lý do: {r}"))
                    .unwrap_or_default();
                ("case.merge", format!("Đã gộp vào hồ sơ {} vì cùng nội dung.{why}", into.receipt_code))
            }
        };
        if !public_note.is_empty() {
            tx.insert_case_message(id, "system", Some(actor.user_id), &public_note, true).await?;
        }
        let after = tx.case(&Scope::Nation, id).await?;
        tx.audit(
            Some(actor.user_id),
            event,
            "case",
            &id.to_string(),
            Some(&serde_json::json!({"status": rec.status, "unit": rec.unit_code, "due": rec.due_date, "assignee": rec.assignee_id}).to_string()),
            Some(&serde_json::json!({"status": after.status, "unit": after.unit_code, "due": after.due_date, "assignee": after.assignee_id}).to_string()),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// One attachment, opened, for an officer in scope.
    pub async fn case_attachment(
        &self,
        actor: &Actor,
        case_id: i64,
        id: i64,
    ) -> AppResult<(CaseAttachmentInfo, Vec<u8>)> {
        require_case_officer(actor)?;
        self.store.case(&actor.scope, case_id).await?;
        let (info, sealed) = self.store.case_attachment(case_id, id).await?;
        let bytes = self.sealer.open("attachment", &sealed)?;
        Ok((info, bytes))
    }
}

/// Only police officers' roles work on cases.
fn require_case_officer(actor: &Actor) -> AppResult<()> {
    if matches!(actor.role, Role::Admin | Role::Ministry | Role::Province | Role::Commune) {
        Ok(())
    } else {
        Err(AppError::Forbidden("auth.not_allowed"))
    }
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// `YYYY-MM-DD` as `dd/mm/yyyy`.
pub fn vn_date(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}
