//! Citizens' cases, by concern: [`intake`] (public submission and staff filing,
//! checked, routed, sealed and group-committed), [`citizen`] (lookup by receipt code
//! and secret, messages, reopening, rating), [`officer`] (inbox, view, reveal of the
//! contact, replies, the acts — accept, refuse, transfer, assign, extend, close,
//! merge — and routing rules) and [`jobs`] (escalation, retention purge, public
//! statistics). Which act leads from which status is `domain::case::lifecycle`;
//! deadlines come from `domain::deadline` over the working calendar of
//! [`crate::calendar`].

pub mod citizen;
pub mod intake;
pub mod jobs;
pub mod officer;

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::NaiveDate;
use domain::case::lifecycle::CaseRefusal;
use domain::case::{self, CaseKind, CaseStatus, RouteTarget};
use domain::{Role, ValidationError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use store::cases::{CaseAttachmentInfo, CaseMessage, CaseRecord};

use crate::error::AppResult;
use crate::{Actor, AppError};

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
    /// Kind.
    pub kind: CaseKind,
    /// Status.
    pub status: CaseStatus,
    /// Legal deadline.
    pub due_date: Option<NaiveDate>,
    /// The rule behind it and its source.
    pub due_rule: Option<String>,
    /// Handling unit's name.
    pub unit_name: String,
    /// Received.
    pub received_on: NaiveDate,
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

/// A case named by an officer: by its receipt code or by its number.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum CaseRef {
    /// The number in the system.
    Id(i64),
    /// The receipt code ("ABC-DEF-GHJ", dashes and case optional), or a number
    /// written as text.
    Code(String),
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
        /// The case that stays: its receipt code as the citizen has it
        /// ("ABC-DEF-GHJ"), or its number in the system.
        into_id: CaseRef,
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
    pub intake: intake::Intake,
    lookups: crate::auth::ClientThrottle,
    submissions: Mutex<HashMap<String, (u32, i64)>>,
    routes: crate::cached::Cached<Vec<(CaseKind, RouteTarget)>>,
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

/// A refusal of the lifecycle as the use cases answer it: a problem with one field,
/// or a conflict with the case's state.
impl From<CaseRefusal> for AppError {
    fn from(r: CaseRefusal) -> Self {
        match r.field() {
            Some(field) => ValidationError::one(field, r.code()).into(),
            None => AppError::Conflict(r.code()),
        }
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

/// A day as `dd/mm/yyyy`.
pub fn vn_day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}
