//! The officer's side of a case: the inbox, one case (redacted for a verifier of a
//! denunciation), the contact revealed to the assigned officer, replies and notes,
//! the acts on a case — each a small function over `domain::case::lifecycle` — the
//! attachments, and the routing rules.

use chrono::NaiveDate;
use domain::calendar::WorkCalendar;
use domain::case::lifecycle::{self, CaseAct, CaseRefusal};
use domain::case::{self, CaseKind, CaseStatus, Complexity, MessageAuthor, RouteTarget};
use domain::clock::iso;
use domain::{Level, Role, Scope, ValidationError};
use store::audit::AuditEntry;
use store::cases::{CaseAttachmentInfo, CaseFilter, CaseRecord};
use store::clock::now_ms;
use store::{Arg, Tx};

use super::{require_case_officer, vn_day, CaseAction, CaseRef, Contact, OfficerCaseView};
use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// What an act leaves for the audit log and the citizen: the event and the public
/// note (none when empty).
type Done = (&'static str, String);

/// A case as the acts read it: the stored row and its decoded kind, status and
/// complexity.
struct Stored {
    rec: CaseRecord,
    kind: CaseKind,
    status: CaseStatus,
    complexity: Complexity,
}

impl App {
    /// The routing rules, for officers.
    pub async fn routing_rules(&self, actor: &Actor) -> AppResult<Vec<(CaseKind, RouteTarget)>> {
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
        let kind = CaseKind::parse(kind);
        if kind.is_none() {
            err.push("kind", "case.kind_unknown");
        }
        let target = RouteTarget::parse(target);
        if target.is_none() {
            err.push("target", "case.route_target_unknown");
        }
        err.into_result()?;
        let (Some(kind), Some(target)) = (kind, target) else { return Err(AppError::Internal("validated".into())) };
        let before = self.case_routes().await?.into_iter().find(|(k, _)| *k == kind).map(|(_, t)| t);
        let mut tx = self.store.begin_write().await?;
        tx.set_case_route(kind.as_str(), target.as_str()).await?;
        AuditEntry::new(Some(actor.user_id), "case.route", "case_route", kind.as_str())
            .maybe_before(before.as_ref())
            .after(&target)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        self.cases.routes.forget();
        Ok(())
    }

    /// The officer inbox.
    pub async fn list_cases(&self, actor: &Actor, mut f: CaseFilter) -> AppResult<(Vec<CaseRecord>, i64)> {
        require_case_officer(actor)?;
        let t = store::clock::today();
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
        let kind = rec.kind;
        let mut redacted = false;
        if let (true, false, Some(sealed)) = (kind.identity_is_secret(), is_assignee, &sealed) {
            let c: Contact = serde_json::from_slice(&self.sealer.open("contact", sealed)?)
                .map_err(|e| AppError::Internal(format!("case {id}: contact: {e}")))?;
            let ids: Vec<&str> = [&c.name, &c.phone, &c.email].iter().filter_map(|v| v.as_deref()).collect();
            let mark = "[đã che thông tin người tố cáo]";
            rec.description = case::redact(&rec.description, &ids, mark);
            for m in messages.iter_mut().filter(|m| m.author == MessageAuthor::Citizen) {
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
        let reason = lifecycle::required_reason(reason)?;
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
        AuditEntry::new(Some(actor.user_id), "case.reveal_contact", "case", id)
            .after(&serde_json::json!({ "reason": reason }))
            .write(&mut tx)
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
        if public && rec.status == CaseStatus::Merged {
            return Err(AppError::Conflict("case.closed"));
        }
        let mid = tx.insert_case_message(id, MessageAuthor::Officer, Some(actor.user_id), body, public).await?;
        AuditEntry::new(Some(actor.user_id), if public { "case.reply" } else { "case.note" }, "case", id)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(mid)
    }

    /// Applies an officer's action; returns the case afterwards (or, after a transfer
    /// out of the actor's scope, as it was).
    pub async fn act_on_case(&self, actor: &Actor, id: i64, action: &CaseAction) -> AppResult<CaseRecord> {
        require_case_officer(actor)?;
        actor.require_write()?;
        let cal = Deadlines { cal: self.calendar().await?, versions: self.rule_versions().await? };
        let day = store::clock::today();
        let mut tx = self.store.begin_write().await?;
        let rec = tx.case(&actor.scope, id).await?;
        let c = Stored { kind: rec.kind, status: rec.status, complexity: rec.complexity, rec };
        let (event, public_note) = match action {
            CaseAction::Accept { complexity, remote_area } => {
                accept(&mut tx, &cal, day, &c, complexity.as_deref(), *remote_area).await?
            }
            CaseAction::Refuse { reason } => finish(&mut tx, day, &c, CaseAct::Refuse, reason).await?,
            CaseAction::Transfer { unit_code, reason } => self.transfer(&mut tx, &c, unit_code, reason).await?,
            CaseAction::Assign { user_id } => self.assign(&mut tx, actor, &c, *user_id).await?,
            CaseAction::Extend { reason } => extend(&mut tx, &cal, &c, reason).await?,
            CaseAction::Close { outcome } => finish(&mut tx, day, &c, CaseAct::Close, outcome).await?,
            CaseAction::Merge { into_id, reason } => merge(&mut tx, actor, &c, into_id, reason.as_deref()).await?,
        };
        if !public_note.is_empty() {
            tx.insert_case_message(id, MessageAuthor::System, Some(actor.user_id), &public_note, true).await?;
        }
        let (rec, after) = (c.rec, tx.case(&Scope::Nation, id).await?);
        AuditEntry::new(Some(actor.user_id), event, "case", id).before(&serde_json::json!({"status": rec.status, "unit": rec.unit_code, "due": rec.due_date, "assignee": rec.assignee_id})).after(&serde_json::json!({"status": after.status, "unit": after.unit_code, "due": after.due_date, "assignee": after.assignee_id})).write(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sends a case to another commune or province, with reasons; it leaves its
    /// assignee and escalation behind.
    async fn transfer(&self, tx: &mut Tx, c: &Stored, unit_code: &str, reason: &str) -> AppResult<Done> {
        lifecycle::next_status(c.kind, c.status, CaseAct::Transfer)?;
        let reason = lifecycle::reason(CaseAct::Transfer, reason)?;
        // A code, or a name as the officer types it (the list gives the code).
        let target = match self.unit_by_text(unit_code, &[Level::Commune, Level::Province], "unit_code").await {
            Ok(u) => u,
            Err(AppError::Validation(v)) if v.errors.iter().any(|e| e.code == "unit.ambiguous_name") => {
                return Err(v.into())
            }
            Err(AppError::Validation(_)) => return Err(ValidationError::one("unit_code", "case.unit_unknown").into()),
            Err(e) => return Err(e),
        };
        if target.code == c.rec.unit_code {
            return Err(ValidationError::one("unit_code", "case.same_unit").into());
        }
        let province = target.province_code.clone().unwrap_or_else(|| target.code.clone());
        let commune: Option<String> = (target.level == Level::Commune).then(|| target.code.clone());
        tx.update_case(
            c.rec.id,
            &[
                ("unit_code", target.code.clone().into()),
                ("province_code", province.into()),
                ("commune_code", commune.into()),
                ("assignee_id", Arg::NullI),
                ("escalation_level", Arg::I(0)),
            ],
        )
        .await?;
        Ok(("case.transfer", format!("Đã chuyển đến {}. Lý do: {reason}", target.name)))
    }

    /// Whom the page offers to give a case to, by name: the active officers of the
    /// case's unit (the rule that decides stays `assign`'s).
    pub async fn case_officers(&self, actor: &Actor, unit_code: &str) -> AppResult<Vec<(i64, String)>> {
        let place = self.store.unit(unit_code).await?.place();
        if !actor.scope.contains(&place) {
            return Err(AppError::NotFound);
        }
        let (users, _) = self.store.list_users(&Scope::of_unit(&place), 200, 0).await?;
        Ok(users
            .into_iter()
            .filter(|u| u.active && u.unit_code.as_deref() == Some(unit_code))
            .filter(|u| matches!(u.role, Role::Commune | Role::Province | Role::Ministry | Role::Admin))
            .map(|u| {
                let name = if u.display_name.is_empty() { u.username.clone() } else { u.display_name.clone() };
                (u.id, format!("{name} ({})", u.username))
            })
            .collect())
    }

    /// Gives a case to an active officer whose scope, like the actor's, holds its unit.
    async fn assign(&self, tx: &mut Tx, actor: &Actor, c: &Stored, user_id: i64) -> AppResult<Done> {
        lifecycle::next_status(c.kind, c.status, CaseAct::Assign)?;
        let user = self
            .store
            .user_by_id(user_id)
            .await
            .map_err(|_| ValidationError::one("user_id", "case.officer_unknown"))?;
        let officer_scope = self.actor_for(&user, String::new(), String::new()).await.ok().map(|a| a.scope);
        let place = self.store.unit(&c.rec.unit_code).await?.place();
        let fits = user.active
            && matches!(user.role, Role::Commune | Role::Province | Role::Ministry | Role::Admin)
            && officer_scope.as_ref().is_some_and(|s| s.contains(&place))
            && actor.scope.contains(&place);
        if !fits {
            return Err(ValidationError::one("user_id", "case.officer_unknown").into());
        }
        tx.update_case(c.rec.id, &[("assignee_id", Arg::I(user_id))]).await?;
        Ok(("case.assign", String::new()))
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

/// The working calendar and the deadline rules' versions, read before a case's write.
struct Deadlines {
    cal: std::sync::Arc<WorkCalendar>,
    versions: Vec<domain::deadline::RuleVersion>,
}

/// The deadline of a case at `complexity`, accepted on `accepted_on` if it was: the
/// due day and the rule's id. The rule's version is the one in force on the day the
/// case was received.
fn due_for(
    cal: &Deadlines,
    c: &Stored,
    complexity: Complexity,
    accepted_on: Option<NaiveDate>,
    remote: bool,
) -> (NaiveDate, String) {
    let (rule, from_acceptance) = case::deadline_rule(c.kind, accepted_on.is_some(), complexity, remote);
    let start = match accepted_on {
        Some(day) if from_acceptance => day,
        _ => c.rec.received_on,
    };
    let due = domain::deadline::due_as_of(&cal.cal, &cal.versions, rule, c.rec.received_on, start);
    (due, rule.id().to_string())
}

/// Accepts a case today (thụ lý), at the complexity given (normal by default); its
/// deadline now runs by the settlement rule of its kind.
async fn accept(
    tx: &mut Tx,
    cal: &Deadlines,
    day: NaiveDate,
    c: &Stored,
    complexity: Option<&str>,
    remote_area: bool,
) -> AppResult<Done> {
    let status = lifecycle::next_status(c.kind, c.status, CaseAct::Accept)?;
    let complexity = match complexity {
        None => Complexity::Normal,
        Some(s) => Complexity::parse(s).ok_or_else(|| ValidationError::one("complexity", "case.complexity_unknown"))?,
    };
    let (due, rule) = due_for(cal, c, complexity, Some(day), remote_area);
    tx.update_case(
        c.rec.id,
        &[
            ("status", status.as_str().into()),
            ("accepted_on", iso(day).into()),
            ("complexity", complexity.as_str().into()),
            ("remote_area", Arg::I(remote_area as i64)),
            ("due_date", iso(due).into()),
            ("due_rule", rule.into()),
        ],
    )
    .await?;
    Ok(("case.accept", format!("Đã thụ lý ngày {}. Hạn giải quyết: {}.", vn_day(day), vn_day(due))))
}

/// Refuses (with reasons) or closes (with the outcome) a case: it is answered today,
/// on time or not.
async fn finish(tx: &mut Tx, day: NaiveDate, c: &Stored, act: CaseAct, text: &str) -> AppResult<Done> {
    let status = lifecycle::next_status(c.kind, c.status, act)?;
    let text = lifecycle::reason(act, text)?;
    let on_time = c.rec.due_date.is_none_or(|d| day <= d);
    tx.update_case(
        c.rec.id,
        &[
            ("status", status.as_str().into()),
            ("outcome", text.clone().into()),
            ("closed_at", Arg::I(now_ms())),
            ("answered_on_time", Arg::I(on_time as i64)),
        ],
    )
    .await?;
    Ok(match act {
        CaseAct::Refuse => ("case.refuse", format!("Không thụ lý. Lý do: {text}")),
        _ => ("case.close", format!("Đã giải quyết xong. Kết quả: {text}")),
    })
}

/// Extends a case's deadline one step (complex, very complex) with reasons.
async fn extend(tx: &mut Tx, cal: &Deadlines, c: &Stored, reason: &str) -> AppResult<Done> {
    lifecycle::next_status(c.kind, c.status, CaseAct::Extend)?;
    let reason = lifecycle::reason(CaseAct::Extend, reason)?;
    let next = lifecycle::next_complexity(c.kind, c.complexity)?;
    let (due, rule) = due_for(cal, c, next, c.rec.accepted_on, c.rec.remote_area);
    tx.update_case(
        c.rec.id,
        &[("complexity", next.as_str().into()), ("due_date", iso(due).into()), ("due_rule", rule.into())],
    )
    .await?;
    Ok(("case.extend", format!("Gia hạn giải quyết đến {}. Lý do: {reason}", vn_day(due))))
}

/// Merges a case into another in the actor's scope, named by receipt code or number
/// (a duplicate; not into itself nor into a merged case).
async fn merge(tx: &mut Tx, actor: &Actor, c: &Stored, target: &CaseRef, reason: Option<&str>) -> AppResult<Done> {
    let status = lifecycle::next_status(c.kind, c.status, CaseAct::Merge)?;
    let found = match target {
        CaseRef::Id(id) => tx.case(&actor.scope, *id).await,
        CaseRef::Code(text) => match (text.trim().parse::<i64>(), domain::case::parse_receipt_code(text)) {
            (Ok(id), _) => tx.case(&actor.scope, id).await,
            (_, Some(code)) => tx.case_by_receipt(&actor.scope, &code).await,
            (_, None) => Err(store::StoreError::NotFound),
        },
    };
    let into = found.map_err(|_| AppError::from(CaseRefusal::MergeInvalid))?;
    let into_id = into.id;
    if into_id == c.rec.id {
        return Err(CaseRefusal::MergeInvalid.into());
    }
    if !lifecycle::may_merge_into(into.status) {
        return Err(CaseRefusal::MergeInvalid.into());
    }
    tx.update_case(
        c.rec.id,
        &[("status", status.as_str().into()), ("merged_into", Arg::I(into_id)), ("closed_at", Arg::I(now_ms()))],
    )
    .await?;
    let reason = lifecycle::reason(CaseAct::Merge, reason.unwrap_or_default())?;
    let why = if reason.is_empty() { String::new() } else { format!(" Lý do: {reason}") };
    Ok(("case.merge", format!("Đã gộp vào hồ sơ {} vì cùng nội dung.{why}", into.receipt_code)))
}
