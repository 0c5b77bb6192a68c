//! New cases: the public form, the API and staff filing for a citizen. A case is
//! checked (kind, text, anonymity, contact, place, files), routed by the routing rules,
//! its personal parts sealed, and written through the group commit: submissions queue
//! on a channel; one writer task takes whatever has queued (up to [`MAX_BATCH`]),
//! writes it in one transaction with one commit — one fsync for many cases — and only
//! then answers each submitter. A case is acknowledged only once it is on disk. If a
//! batch fails, its cases are retried one by one so that one bad case cannot sink the
//! others.

use std::sync::OnceLock;

use domain::case::{self, CaseKind, Complexity, RouteTarget};
use domain::{Level, ValidationError};
use rand::RngCore;
use sha2::{Digest, Sha256};
use store::audit::AuditEntry;
use store::cases::{NewCase, NewCaseAttachment};
use store::clock::now_ms;
use store::{Store, StoreError};
use tokio::sync::{mpsc, oneshot};

use super::{require_case_officer, secret_hash, CaseInput, Contact, Receipt, Upload};
use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// Most cases written in one transaction.
pub const MAX_BATCH: usize = 256;

/// A fresh receipt code from the thread's CSPRNG.
fn new_receipt_code() -> String {
    let mut bytes = [0u8; case::CODE_LEN];
    rand::thread_rng().fill_bytes(&mut bytes);
    case::receipt_code_from(&bytes)
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
    pub(super) async fn case_routes(&self) -> AppResult<Vec<(CaseKind, RouteTarget)>> {
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
        let target = match self.case_routes().await?.into_iter().find(|(k, _)| *k == kind) {
            Some((_, t)) => t,
            None => case::default_route(kind),
        };
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
            Ok(u) if u.valid_to.is_none() && matches!(u.level, Level::Commune | Level::Area) => Some(u),
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
        let received = store::clock::today();
        let (rule, _) = case::deadline_rule(kind, false, Complexity::Normal, false);
        let (due, _) = self.due_as_of(rule, received, received).await?;
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
    pub(super) fn seal_uploads(&self, uploads: &[Upload]) -> AppResult<Vec<NewCaseAttachment>> {
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
}

impl App {
    /// Files the opinions raised at a conference, forum or Ngày hội as citizens'
    /// cases (petition or feedback, the speaker anonymous, source `event`) at the
    /// event's unit, following the normal routing and deadlines. All are checked
    /// before any is filed: one wrong opinion files none (`opinions[i].…` names it).
    pub async fn file_opinions(
        &self,
        actor: &Actor,
        unit_code: &str,
        opinions: &[(String, String)],
    ) -> AppResult<Vec<(i64, Receipt)>> {
        require_case_officer(actor)?;
        actor.require_write()?;
        let mut err = ValidationError::default();
        let mut prepared = Vec::with_capacity(opinions.len());
        for (i, (text, kind)) in opinions.iter().enumerate() {
            if !matches!(kind.as_str(), "petition" | "feedback") {
                err.errors
                    .push(domain::error::FieldError { field: opinion_field(i, "kind"), code: "event.opinion_kind" });
                continue;
            }
            let input = CaseInput {
                kind: kind.clone(),
                unit_code: unit_code.to_string(),
                description: text.clone(),
                anonymous: true,
                contact: None,
                address: None,
            };
            match self.prepare_case(&input, &[], "event", Some(actor.user_id)).await {
                Ok(p) => prepared.push(p),
                Err(AppError::Validation(v)) => err.errors.extend(
                    v.errors
                        .into_iter()
                        .map(|f| domain::error::FieldError { field: opinion_field(i, &f.field), code: f.code }),
                ),
                Err(e) => return Err(e),
            }
        }
        err.into_result()?;
        let mut out = Vec::with_capacity(prepared.len());
        for (new, attachments, receipt) in prepared {
            let (id, code) = self.cases.intake.submit(&self.store, new, attachments, Some(actor.user_id)).await?;
            out.push((id, Receipt { receipt_code: code, ..receipt }));
        }
        Ok(out)
    }
}

/// The field name of an opinion's problem.
fn opinion_field(i: usize, field: &str) -> String {
    format!("opinions[{i}].{field}")
}

/// A case waiting to be written.
pub struct Pending {
    /// The case row.
    pub case: NewCase,
    /// Its first message's attachments.
    pub attachments: Vec<NewCaseAttachment>,
    /// Who filed it for the citizen, when staff did.
    pub actor: Option<i64>,
    reply: oneshot::Sender<AppResult<(i64, String)>>,
}

/// The queue in front of the writer task (started on first use).
#[derive(Default)]
pub struct Intake {
    tx: OnceLock<mpsc::Sender<Pending>>,
}

impl Intake {
    /// Queues a case and waits until it is committed; returns its id and receipt code
    /// (a new code if the proposed one was taken meanwhile).
    pub async fn submit(
        &self,
        store: &Store,
        case: NewCase,
        attachments: Vec<NewCaseAttachment>,
        actor: Option<i64>,
    ) -> AppResult<(i64, String)> {
        let sender = self.tx.get_or_init(|| {
            let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
            tokio::spawn(writer(store.clone(), rx));
            tx
        });
        let (reply, answer) = oneshot::channel();
        sender
            .send(Pending { case, attachments, actor, reply })
            .await
            .map_err(|_| AppError::Internal("intake writer stopped".into()))?;
        answer.await.map_err(|_| AppError::Internal("intake writer dropped a case".into()))?
    }
}

async fn writer(store: Store, mut rx: mpsc::Receiver<Pending>) {
    let mut batch: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = rx.recv().await {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let mut items = std::mem::take(&mut batch);
        match write_batch(&store, &items).await {
            Ok(ids) => {
                for (p, id) in items.into_iter().zip(ids) {
                    let code = p.case.receipt_code.clone();
                    let _ = p.reply.send(Ok((id, code)));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, cases = items.len(), "group commit failed; writing one by one");
                for p in items.iter_mut() {
                    let r = write_alone(&store, p).await;
                    let (tx, _) = oneshot::channel();
                    let reply = std::mem::replace(&mut p.reply, tx);
                    let _ = reply.send(r.map(|id| (id, p.case.receipt_code.clone())));
                }
            }
        }
    }
}

/// Writes one case; a taken receipt code is replaced by a fresh one (a few times).
async fn write_alone(store: &Store, p: &mut Pending) -> AppResult<i64> {
    for _ in 0..5 {
        match write_batch(store, std::slice::from_ref(p)).await {
            Ok(ids) => return Ok(ids[0]),
            Err(AppError::Conflict(_)) => p.case.receipt_code = new_receipt_code(),
            Err(e) => return Err(e),
        }
    }
    Err(AppError::Internal("no free receipt code".into()))
}

/// One transaction: the cases (multi-row), their attachments, and one audit entry per
/// acting account (none for the public) naming every case of the batch.
async fn write_batch(store: &Store, items: &[Pending]) -> AppResult<Vec<i64>> {
    let mut tx = store.begin_write().await?;
    let cases: Vec<&NewCase> = items.iter().map(|p| &p.case).collect();
    let ids = tx.insert_cases(&cases).await?;
    for (p, id) in items.iter().zip(&ids) {
        for a in &p.attachments {
            tx.insert_case_attachment(*id, None, a).await?;
        }
    }
    let mut actors: Vec<Option<i64>> = items.iter().map(|p| p.actor).collect();
    actors.sort();
    actors.dedup();
    for actor in actors {
        let mine: Vec<serde_json::Value> = items
            .iter()
            .zip(&ids)
            .filter(|(p, _)| p.actor == actor)
            .map(|(p, id)| serde_json::json!({"id": id, "kind": p.case.kind, "unit": p.case.unit_code, "source": p.case.source, "attachments": p.attachments.len()}))
            .collect();
        let entity: Vec<String> = mine.iter().map(|m| m["id"].to_string()).collect();
        AuditEntry::new(actor, "case.submit", "case", entity.join(","))
            .after(&serde_json::json!({ "cases": mine }))
            .write(&mut tx)
            .await?;
    }
    tx.commit().await?;
    Ok(ids)
}
