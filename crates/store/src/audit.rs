//! The append-only audit log and its hash chain. Entries are appended only
//! through [`AuditEntry::write`], inside the same transaction as the change they
//! record; "before" and "after" are JSON written by serde from typed values, never
//! by hand. Each hash covers the bytes stored, so entries written before this
//! builder (some with hand-written JSON) still verify.

use domain::audit::{entry_hash, AuditContent, ChainBreak, ChainVerifier, StoredEntry};
use domain::Scope;
use serde::Serialize;

use crate::scope_sql::{clause, Table};
use crate::{now_ms, Arg, Result, Store, Tx};

/// One audit entry for display, with the actor's login name.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditRow {
    /// Sequence number.
    pub id: i64,
    /// Time (Unix ms).
    pub at_ms: i64,
    /// Actor's id.
    pub actor: Option<i64>,
    /// Actor's login name.
    pub actor_name: Option<String>,
    /// Action.
    pub action: String,
    /// Entity type.
    pub entity: String,
    /// Entity id.
    pub entity_id: String,
    /// JSON before.
    pub before_json: Option<String>,
    /// JSON after.
    pub after_json: Option<String>,
    /// Hash.
    pub hash: String,
}

/// One stored entry as read for verification.
#[derive(sqlx::FromRow)]
struct ChainRow {
    id: i64,
    at_ms: i64,
    actor: Option<i64>,
    action: String,
    entity: String,
    entity_id: String,
    before_json: Option<String>,
    after_json: Option<String>,
    prev_hash: String,
    hash: String,
}

/// What `audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Entries checked.
    pub checked: u64,
    /// The first break, if any.
    pub problem: Option<ChainBreak>,
}

/// Reads the head checkpoint (inside a write transaction).
pub(crate) const AUDIT_HEAD_READ: &str = "SELECT last_id, last_hash FROM audit_head WHERE id = 1";
/// Inserts one chain entry: id, at_ms, actor, action, entity, entity_id, before, after, prev_hash, hash.
pub(crate) const AUDIT_INSERT: &str = "INSERT INTO audit_log (id, at_ms, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)";
/// Moves the head checkpoint: last id, last hash, time.
pub(crate) const AUDIT_HEAD_MOVE: &str =
    "UPDATE audit_head SET last_id = $1, last_hash = $2, updated_at = $3 WHERE id = 1";

/// Logs the new head: the copy of the newest hash kept outside the table, so that
/// cutting entries off the end shows.
pub(crate) fn log_head(id: i64, hash: &str, action: &str) {
    tracing::info!(target: "audit", id, %hash, action, "audit head");
}

/// One audit entry to append: who did what to which entity, with the state before
/// and after as JSON.
///
/// ```text
/// AuditEntry::new(Some(actor.user_id), "model.update", "model", id).before(&old).after(&new).write(&mut tx).await?;
/// ```
#[derive(Debug, Clone)]
#[must_use = "an audit entry is appended only by `write`"]
pub struct AuditEntry<'a> {
    actor: Option<i64>,
    action: &'a str,
    entity: &'a str,
    entity_id: String,
    before: Option<std::result::Result<String, String>>,
    after: Option<std::result::Result<String, String>>,
}

fn encode<T: Serialize + ?Sized>(v: &T) -> std::result::Result<String, String> {
    serde_json::to_string(v).map_err(|e| e.to_string())
}

impl<'a> AuditEntry<'a> {
    /// An entry by `actor` (`None`: the system or a citizen) doing `action` to the
    /// `entity` with id `entity_id`.
    pub fn new(actor: Option<i64>, action: &'a str, entity: &'a str, entity_id: impl std::fmt::Display) -> Self {
        AuditEntry { actor, action, entity, entity_id: entity_id.to_string(), before: None, after: None }
    }

    /// The state before the change.
    pub fn before<T: Serialize + ?Sized>(mut self, v: &T) -> Self {
        self.before = Some(encode(v));
        self
    }

    /// The state before the change, when there was one.
    pub fn maybe_before<T: Serialize + ?Sized>(self, v: Option<&T>) -> Self {
        match v {
            Some(v) => self.before(v),
            None => self,
        }
    }

    /// The state after the change (or what was done).
    pub fn after<T: Serialize + ?Sized>(mut self, v: &T) -> Self {
        self.after = Some(encode(v));
        self
    }

    /// Appends the entry to the chain in `tx` and moves the head checkpoint;
    /// returns its sequence number.
    pub async fn write(self, tx: &mut Tx) -> Result<i64> {
        let before = self.before.transpose().map_err(crate::StoreError::Encode)?;
        let after = self.after.transpose().map_err(crate::StoreError::Encode)?;
        tx.append_audit(self.actor, self.action, self.entity, &self.entity_id, before.as_deref(), after.as_deref())
            .await
    }
}

impl Tx {
    /// Appends one entry to the chain and moves the head checkpoint (through
    /// [`AuditEntry::write`]; the bulk import hands over its JSON already written).
    pub(crate) async fn append_audit(
        &mut self,
        actor: Option<i64>,
        action: &str,
        entity: &str,
        entity_id: &str,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Result<i64> {
        let (last_id, last_hash): (i64, String) = sqlx::query_as(AUDIT_HEAD_READ).fetch_one(&mut *self.tx).await?;
        let id = last_id + 1;
        let at_ms = now_ms();
        let content = AuditContent { id, at_ms, actor, action, entity, entity_id, before, after };
        let hash = entry_hash(&last_hash, &content);
        let args = [
            Arg::I(id),
            Arg::I(at_ms),
            actor.into(),
            action.into(),
            entity.into(),
            entity_id.into(),
            before.map(str::to_string).into(),
            after.map(str::to_string).into(),
            last_hash.as_str().into(),
            hash.as_str().into(),
        ];
        self.exec(AUDIT_INSERT, &args).await?;
        self.exec(AUDIT_HEAD_MOVE, &[Arg::I(id), hash.as_str().into(), Arg::I(at_ms)]).await?;
        log_head(id, &hash, action);
        Ok(id)
    }
}

impl Store {
    /// Entries whose actor lies in `scope` (all entries for the nation), newest first.
    pub async fn list_audit(&self, scope: &Scope, limit: i64, offset: i64) -> Result<(Vec<AuditRow>, i64)> {
        let mut args = Vec::new();
        let cond = match scope {
            Scope::Nation => "1=1".to_string(),
            _ => format!("a.actor IN (SELECT s.id FROM users s WHERE {})", clause(scope, Table::Users, &mut args)),
        };
        let count = format!("SELECT COUNT(*) FROM audit_log a WHERE {cond}");
        let rows = format!(
            "SELECT a.id, a.at_ms, a.actor, s.username AS actor_name, a.action, a.entity, a.entity_id, a.before_json, a.after_json, a.hash FROM audit_log a LEFT JOIN users s ON s.id = a.actor WHERE {cond} ORDER BY a.id DESC"
        );
        self.count_and_page(&count, &rows, args, limit, offset, |r: sqlx::any::AnyRow| {
            Ok(<AuditRow as sqlx::FromRow<_>>::from_row(&r)?)
        })
        .await
    }

    /// The head checkpoint: (last id, last hash).
    pub async fn audit_head(&self) -> Result<(i64, String)> {
        Ok(sqlx::query_as("SELECT last_id, last_hash FROM audit_head WHERE id = 1").fetch_one(self.pool()).await?)
    }

    /// The stored hash of entry `id`, if the log holds it.
    pub async fn audit_entry_hash(&self, id: i64) -> Result<Option<String>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT hash FROM audit_log WHERE id = $1").bind(id).fetch_optional(self.pool()).await?;
        Ok(row.map(|r| r.0))
    }

    /// Checks anchors kept outside the database against the log.
    pub async fn check_anchors(&self, anchors: &[domain::audit::Anchor]) -> Result<Vec<domain::audit::AnchorBreak>> {
        let mut broken = Vec::new();
        for a in anchors {
            if let Err(b) = a.check(self.audit_entry_hash(a.id).await?.as_deref()) {
                broken.push(b);
            }
        }
        Ok(broken)
    }

    /// Walks the whole chain in id order and compares its end with the checkpoint.
    pub async fn verify_audit(&self) -> Result<VerifyReport> {
        let mut v = ChainVerifier::default();
        let mut after = 0i64;
        loop {
            let rows: Vec<ChainRow> = sqlx::query_as(
                "SELECT id, at_ms, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash FROM audit_log WHERE id > $1 ORDER BY id LIMIT 5000",
            )
            .bind(after)
            .fetch_all(self.pool())
            .await?;
            if rows.is_empty() {
                break;
            }
            for r in rows {
                after = r.id;
                let e = StoredEntry {
                    id: r.id,
                    at_ms: r.at_ms,
                    actor: r.actor,
                    action: r.action,
                    entity: r.entity,
                    entity_id: r.entity_id,
                    before: r.before_json,
                    after: r.after_json,
                    prev_hash: r.prev_hash,
                    hash: r.hash,
                };
                if let Err(b) = v.push(&e) {
                    return Ok(VerifyReport { checked: v.checked, problem: Some(b) });
                }
            }
        }
        let (cp_id, cp_hash) = self.audit_head().await?;
        let problem = v.finish(cp_id, &cp_hash).err();
        Ok(VerifyReport { checked: v.checked, problem })
    }
}
