//! Citizens' cases: the case rows, their messages and sealed attachments, routing
//! rules, calendar data, the public statistics and the jobs' queries (overdue,
//! retention). Contact details and attachment bytes arrive here already sealed.

use chrono::NaiveDate;
use domain::calendar::OverrideKind;
use domain::case::{CaseKind, CaseStatus, Complexity, MessageAuthor, RouteTarget};
use domain::Scope;
use serde::Serialize;

use crate::db::{bind_all, int_at};
use crate::decode::Cols;
use crate::scope_sql::{clause, Table};
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// A case as officers see it (never its secret hash or sealed contact).
#[derive(Debug, Clone, Serialize)]
pub struct CaseRecord {
    /// Id.
    pub id: i64,
    /// Receipt code.
    pub receipt_code: String,
    /// Kind.
    pub kind: CaseKind,
    /// Status.
    pub status: CaseStatus,
    /// Handling unit.
    pub unit_code: String,
    /// Handling unit's name.
    pub unit_name: String,
    /// Province of the handling unit.
    pub province_code: String,
    /// Commune of the handling unit (none when a province handles it).
    pub commune_code: Option<String>,
    /// Where it happened (commune or residential area).
    pub place_code: String,
    /// Name of that place.
    pub place_name: String,
    /// Address text given by the citizen.
    pub address_text: Option<String>,
    /// What happened.
    pub description: String,
    /// Filed anonymously (0/1 on the wire).
    #[serde(serialize_with = "crate::decode::as_int_flag")]
    pub anonymous: bool,
    /// Complexity (longer periods for complex cases).
    pub complexity: Complexity,
    /// For remote areas (longer complaint periods; 0/1 on the wire).
    #[serde(serialize_with = "crate::decode::as_int_flag")]
    pub remote_area: bool,
    /// Day of receipt.
    pub received_on: NaiveDate,
    /// Day of acceptance.
    pub accepted_on: Option<NaiveDate>,
    /// Legal deadline.
    pub due_date: Option<NaiveDate>,
    /// Rule id that set the deadline.
    pub due_rule: Option<String>,
    /// Officer handling it.
    pub assignee_id: Option<i64>,
    /// Case this one was merged into.
    pub merged_into: Option<i64>,
    /// Outcome when closed or refused.
    pub outcome: Option<String>,
    /// Closed (Unix ms).
    pub closed_at: Option<i64>,
    /// Answered by the deadline (1) or late (0); none while open.
    #[serde(serialize_with = "crate::decode::as_opt_int_flag")]
    pub answered_on_time: Option<bool>,
    /// Citizen's satisfaction 1–5.
    pub rating: Option<i64>,
    /// How many levels it has been escalated.
    pub escalation_level: i64,
    /// web | api | open311 | staff: a channel label written by the server and
    /// never matched on, kept as text.
    pub source: String,
    /// Personal data purged (Unix ms).
    pub purged_at: Option<i64>,
    /// Created (Unix ms).
    pub created_at: i64,
    /// Last change (Unix ms).
    pub updated_at: i64,
}

const CASE_COLUMNS: &str = "cs.id, cs.receipt_code, cs.kind, cs.status, cs.unit_code, hu.name AS unit_name, cs.province_code, cs.commune_code, cs.place_code, pu.name AS place_name, cs.address_text, cs.description, cs.anonymous, cs.complexity, cs.remote_area, cs.received_on, cs.accepted_on, cs.due_date, cs.due_rule, cs.assignee_id, cs.merged_into, cs.outcome, cs.closed_at, cs.answered_on_time, cs.rating, cs.escalation_level, cs.source, cs.purged_at, cs.created_at, cs.updated_at";
const CASE_FROM: &str =
    "FROM cases cs JOIN units hu ON hu.code = cs.unit_code JOIN units pu ON pu.code = cs.place_code";

/// A new case, validated and sealed by the app.
#[derive(Debug, Clone)]
pub struct NewCase {
    /// Receipt code.
    pub receipt_code: String,
    /// SHA-256 of the normalised secret.
    pub secret_hash: String,
    /// Kind code.
    pub kind: String,
    /// Handling unit, its province and commune.
    pub unit_code: String,
    /// Province of the handling unit.
    pub province_code: String,
    /// Commune of the handling unit.
    pub commune_code: Option<String>,
    /// Where it happened.
    pub place_code: String,
    /// Address text.
    pub address_text: Option<String>,
    /// Description.
    pub description: String,
    /// Anonymous.
    pub anonymous: bool,
    /// Sealed contact JSON.
    pub contact_sealed: Option<Vec<u8>>,
    /// Day of receipt.
    pub received_on: String,
    /// Initial deadline and its rule.
    pub due_date: Option<String>,
    /// Rule id.
    pub due_rule: Option<String>,
    /// Source channel.
    pub source: String,
    /// Staff member who filed it for a citizen.
    pub created_by: Option<i64>,
}

/// A sealed attachment to store.
#[derive(Debug, Clone)]
pub struct NewCaseAttachment {
    /// Safe file name.
    pub filename: String,
    /// Sniffed content type.
    pub content_type: String,
    /// Plain size.
    pub size_bytes: i64,
    /// SHA-256 of the plain bytes.
    pub sha256: String,
    /// Sealed bytes.
    pub sealed: Vec<u8>,
}

/// A message or event on a case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseMessage {
    /// Id.
    pub id: i64,
    /// Citizen, officer or system.
    pub author: MessageAuthor,
    /// Officer's name when an officer wrote it.
    pub author_name: Option<String>,
    /// Text.
    pub body: String,
    /// The citizen sees it (1); an internal note (0).
    #[serde(serialize_with = "crate::decode::as_int_flag")]
    pub public: bool,
    /// Written (Unix ms).
    pub created_at: i64,
}

/// An attachment's description.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CaseAttachmentInfo {
    /// Id.
    pub id: i64,
    /// Message it came with.
    pub message_id: Option<i64>,
    /// File name.
    pub filename: String,
    /// Content type.
    pub content_type: String,
    /// Size.
    pub size_bytes: i64,
    /// SHA-256 of the plain bytes.
    pub sha256: String,
    /// Uploaded (Unix ms).
    pub created_at: i64,
}

/// Filters of the officer inbox.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Status code.
    pub status: Option<String>,
    /// Kind code.
    pub kind: Option<String>,
    /// `soon` (due within 3 days) or `overdue`, relative to `today`.
    pub due: Option<String>,
    /// Today (YYYY-MM-DD) for the due filters.
    pub today: String,
    /// The day 3 days ahead, for `soon`.
    pub soon_until: String,
    /// Only cases assigned to this user.
    pub assignee: Option<i64>,
    /// Receipt code or text in the description.
    pub q: Option<String>,
    /// Page size.
    pub limit: i64,
    /// Offset.
    pub offset: i64,
}

/// One cell of the public statistics: kind, province, month.
#[derive(Debug, Clone, Serialize)]
pub struct CaseStatRow {
    /// Kind.
    pub kind: CaseKind,
    /// Province code.
    pub province_code: String,
    /// Month (YYYY-MM).
    pub month: String,
    /// Cases received.
    pub received: i64,
    /// Answered (closed or refused).
    pub answered: i64,
    /// Answered by the deadline.
    pub on_time: i64,
}

/// A case whose deadline passed, for escalation.
#[derive(Debug, Clone)]
pub struct OverdueCase {
    /// Id.
    pub id: i64,
    /// Receipt code.
    pub receipt_code: String,
    /// Handling unit.
    pub unit_code: String,
    /// Its province.
    pub province_code: String,
    /// Deadline.
    pub due_date: NaiveDate,
    /// Current level.
    pub escalation_level: i64,
}

/// An administrator's calendar entry (a government decision).
#[derive(Debug, Clone, Serialize)]
pub struct CalendarOverrideRow {
    /// Day.
    pub day: NaiveDate,
    /// Day off or working day.
    pub kind: OverrideKind,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
}

fn case_row(row: sqlx::any::AnyRow) -> Result<CaseRecord> {
    case_row_ref(&row)
}

fn case_row_ref(row: &sqlx::any::AnyRow) -> Result<CaseRecord> {
    let c = Cols::new("cases", row);
    Ok(CaseRecord {
        id: c.int("id")?,
        receipt_code: c.text("receipt_code")?,
        kind: c.parse("kind", CaseKind::parse)?,
        status: c.parse("status", CaseStatus::parse)?,
        unit_code: c.text("unit_code")?,
        unit_name: c.text("unit_name")?,
        province_code: c.text("province_code")?,
        commune_code: c.opt_text("commune_code")?,
        place_code: c.text("place_code")?,
        place_name: c.text("place_name")?,
        address_text: c.opt_text("address_text")?,
        description: c.text("description")?,
        anonymous: c.flag("anonymous")?,
        complexity: c.parse("complexity", Complexity::parse)?,
        remote_area: c.flag("remote_area")?,
        received_on: c.date("received_on")?,
        accepted_on: c.opt_date("accepted_on")?,
        due_date: c.opt_date("due_date")?,
        due_rule: c.opt_text("due_rule")?,
        assignee_id: c.opt_int("assignee_id")?,
        merged_into: c.opt_int("merged_into")?,
        outcome: c.opt_text("outcome")?,
        closed_at: c.opt_int("closed_at")?,
        answered_on_time: c.opt_flag("answered_on_time")?,
        rating: c.opt_int("rating")?,
        escalation_level: c.int("escalation_level")?,
        source: c.text("source")?,
        purged_at: c.opt_int("purged_at")?,
        created_at: c.int("created_at")?,
        updated_at: c.int("updated_at")?,
    })
}

fn message_row(row: sqlx::any::AnyRow) -> Result<CaseMessage> {
    let c = Cols::new("case_messages", &row);
    Ok(CaseMessage {
        id: c.int("id")?,
        author: c.parse("author", MessageAuthor::parse)?,
        author_name: c.opt_text("author_name")?,
        body: c.text("body")?,
        public: c.flag("public")?,
        created_at: c.int("created_at")?,
    })
}

fn calendar_row(row: sqlx::any::AnyRow) -> Result<CalendarOverrideRow> {
    let c = Cols::new("calendar_overrides", &row);
    Ok(CalendarOverrideRow {
        day: c.date("day")?,
        kind: c.parse("kind", OverrideKind::parse)?,
        name_vi: c.text("name_vi")?,
        name_en: c.text("name_en")?,
    })
}

fn overdue_row(row: sqlx::any::AnyRow) -> Result<OverdueCase> {
    let c = Cols::new("cases", &row);
    Ok(OverdueCase {
        id: c.int("id")?,
        receipt_code: c.text("receipt_code")?,
        unit_code: c.text("unit_code")?,
        province_code: c.text("province_code")?,
        due_date: c.date("due_date")?,
        escalation_level: c.int("escalation_level")?,
    })
}

/// One case by id within `scope`: the statement and its arguments.
fn case_by_id(scope: &Scope, id: i64) -> (String, Vec<Arg>) {
    let mut args = vec![Arg::I(id)];
    let c = clause(scope, Table::Cases, &mut args);
    (format!("SELECT {CASE_COLUMNS} {CASE_FROM} WHERE cs.id = $1 AND {c}"), args)
}

fn filter_sql(scope: &Scope, f: &CaseFilter, args: &mut Vec<Arg>) -> String {
    let mut conds = vec![clause(scope, Table::Cases, args)];
    let push = |args: &mut Vec<Arg>, a: Arg| {
        args.push(a);
        format!("${}", args.len())
    };
    if let Some(s) = &f.status {
        conds.push(format!("cs.status = {}", push(args, s.clone().into())));
    }
    if let Some(k) = &f.kind {
        conds.push(format!("cs.kind = {}", push(args, k.clone().into())));
    }
    match f.due.as_deref() {
        Some("overdue") => conds.push(format!(
            "cs.status IN ('received','accepted') AND cs.due_date < {}",
            push(args, f.today.clone().into())
        )),
        Some("soon") => {
            let a = push(args, f.today.clone().into());
            let b = push(args, f.soon_until.clone().into());
            conds.push(format!("cs.status IN ('received','accepted') AND cs.due_date >= {a} AND cs.due_date <= {b}"))
        }
        _ => {}
    }
    if let Some(u) = f.assignee {
        conds.push(format!("cs.assignee_id = {}", push(args, Arg::I(u))));
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let code = domain::case::parse_receipt_code(q);
        match code {
            Some(code) => conds.push(format!("cs.receipt_code = {}", push(args, code.into()))),
            None => {
                let like = format!("%{}%", domain::text::like_escape(q));
                conds.push(format!("cs.description LIKE {} ESCAPE '\\'", push(args, like.into())))
            }
        }
    }
    conds.join(" AND ")
}

impl Store {
    /// One case within `scope`.
    pub async fn case(&self, scope: &Scope, id: i64) -> Result<CaseRecord> {
        let (sql, args) = case_by_id(scope, id);
        case_row(bind_all(sqlx::query(&sql), &args).fetch_optional(self.pool()).await?.ok_or(StoreError::NotFound)?)
    }

    /// A case by its receipt code (public lookup): the record and its secret hash.
    pub async fn case_by_code(&self, code: &str) -> Result<Option<(CaseRecord, String)>> {
        let sql = format!("SELECT {CASE_COLUMNS}, cs.secret_hash {CASE_FROM} WHERE cs.receipt_code = $1");
        let row = sqlx::query(&sql).bind(code.to_string()).fetch_optional(self.pool()).await?;
        row.map(|row| Ok((case_row_ref(&row)?, Cols::new("cases", &row).text("secret_hash")?))).transpose()
    }

    /// The sealed contact of a case (the caller checked scope and assignment).
    pub async fn case_contact_sealed(&self, id: i64) -> Result<Option<Vec<u8>>> {
        let row: Option<(Option<Vec<u8>>,)> = sqlx::query_as("SELECT contact_sealed FROM cases WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.and_then(|r| r.0))
    }

    /// The inbox of a scope: a page and the total.
    pub async fn list_cases(&self, scope: &Scope, f: &CaseFilter) -> Result<(Vec<CaseRecord>, i64)> {
        let mut args = Vec::new();
        let w = filter_sql(scope, f, &mut args);
        let count = format!("SELECT COUNT(*) FROM cases cs WHERE {w}");
        let rows = format!(
            "SELECT {CASE_COLUMNS} {CASE_FROM} WHERE {w} ORDER BY CASE WHEN cs.status IN ('received','accepted') THEN 0 ELSE 1 END, cs.due_date, cs.id DESC"
        );
        self.count_and_page(&count, &rows, args, f.limit, f.offset, case_row).await
    }

    /// Messages of a case, oldest first; internal notes only when asked.
    pub async fn case_messages(&self, case_id: i64, include_internal: bool) -> Result<Vec<CaseMessage>> {
        let filter = if include_internal { "" } else { " AND m.public = 1" };
        let rows = sqlx::query(&format!(
            "SELECT m.id, m.author, s.display_name AS author_name, m.body, m.public, m.created_at FROM case_messages m LEFT JOIN users s ON s.id = m.user_id WHERE m.case_id = $1{filter} ORDER BY m.id"
        ))
        .bind(case_id)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(message_row).collect()
    }

    /// Attachments of a case.
    pub async fn case_attachments(&self, case_id: i64) -> Result<Vec<CaseAttachmentInfo>> {
        Ok(sqlx::query_as("SELECT id, message_id, filename, content_type, size_bytes, sha256, created_at FROM case_attachments WHERE case_id = $1 AND data_sealed IS NOT NULL ORDER BY id")
            .bind(case_id)
            .fetch_all(self.pool())
            .await?)
    }

    /// One attachment's description and sealed bytes.
    pub async fn case_attachment(&self, case_id: i64, id: i64) -> Result<(CaseAttachmentInfo, Vec<u8>)> {
        let info: CaseAttachmentInfo = sqlx::query_as("SELECT id, message_id, filename, content_type, size_bytes, sha256, created_at FROM case_attachments WHERE case_id = $1 AND id = $2 AND data_sealed IS NOT NULL")
            .bind(case_id)
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        let (data,): (Vec<u8>,) = sqlx::query_as("SELECT data_sealed FROM case_attachments WHERE id = $1")
            .bind(id)
            .fetch_one(self.pool())
            .await?;
        Ok((info, data))
    }

    /// Routing rules: kind → `commune` | `province`.
    pub async fn case_routes(&self) -> Result<Vec<(CaseKind, RouteTarget)>> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT kind, target FROM case_routes ORDER BY kind").fetch_all(self.pool()).await?;
        rows.iter()
            .map(|(k, t)| {
                Ok((
                    crate::decode::parsed("case_routes", "kind", k, CaseKind::parse)?,
                    crate::decode::parsed("case_routes", "target", t, RouteTarget::parse)?,
                ))
            })
            .collect()
    }

    /// The administrator's calendar entries.
    pub async fn calendar_overrides(&self) -> Result<Vec<CalendarOverrideRow>> {
        let rows = sqlx::query("SELECT day, kind, name_vi, name_en FROM calendar_overrides ORDER BY day")
            .fetch_all(self.pool())
            .await?;
        rows.into_iter().map(calendar_row).collect()
    }

    /// Public statistics: counts by kind, province and month of receipt (aggregates only).
    pub async fn case_stats(&self, from_day: &str) -> Result<Vec<CaseStatRow>> {
        let rows = sqlx::query(
            "SELECT kind, province_code, SUBSTR(received_on, 1, 7) AS month, COUNT(*), CAST(SUM(CASE WHEN status IN ('closed','refused') THEN 1 ELSE 0 END) AS BIGINT), CAST(SUM(CASE WHEN answered_on_time = 1 THEN 1 ELSE 0 END) AS BIGINT) FROM cases WHERE received_on >= $1 AND status <> 'merged' GROUP BY kind, province_code, SUBSTR(received_on, 1, 7) ORDER BY 3, 2, 1",
        )
        .bind(from_day.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                use sqlx::Row;
                Ok(CaseStatRow {
                    kind: crate::decode::parsed("cases", "kind", &r.try_get::<String, _>(0)?, CaseKind::parse)?,
                    province_code: r.try_get(1)?,
                    month: r.try_get(2)?,
                    received: int_at(r, 3)?,
                    answered: int_at(r, 4)?,
                    on_time: int_at(r, 5)?,
                })
            })
            .collect()
    }

    /// Open cases whose deadline is before `today` and that have not been escalated
    /// `level` times yet.
    /// Open cases due between `from` and `to` (YYYY-MM-DD, inclusive): whose officers
    /// are warned. As (case, assignee).
    pub async fn cases_due_between(&self, from: &str, to: &str) -> Result<Vec<(OverdueCase, Option<i64>)>> {
        let rows = sqlx::query("SELECT id, receipt_code, unit_code, province_code, due_date, escalation_level, assignee_id FROM cases WHERE status IN ('received','accepted') AND due_date >= $1 AND due_date <= $2 ORDER BY id LIMIT 5000")
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(self.pool())
            .await?;
        rows.into_iter()
            .map(|r| {
                let assignee = Cols::new("cases", &r).opt_int("assignee_id")?;
                Ok((overdue_row(r)?, assignee))
            })
            .collect()
    }

    pub async fn overdue_cases(&self, today: &str, below_level: i64) -> Result<Vec<OverdueCase>> {
        let rows = sqlx::query("SELECT id, receipt_code, unit_code, province_code, due_date, escalation_level FROM cases WHERE status IN ('received','accepted') AND due_date < $1 AND escalation_level < $2 ORDER BY id LIMIT 1000")
            .bind(today.to_string())
            .bind(below_level)
            .fetch_all(self.pool())
            .await?;
        rows.into_iter().map(overdue_row).collect()
    }

    /// Users of a unit (for notices), with their e-mail addresses.
    pub async fn users_of_unit(&self, unit_code: &str) -> Result<Vec<(i64, Option<String>)>> {
        Ok(sqlx::query_as("SELECT id, email FROM users WHERE unit_code = $1 AND active = 1")
            .bind(unit_code.to_string())
            .fetch_all(self.pool())
            .await?)
    }

    /// Closed or refused cases whose personal data outlived `before_ms`.
    pub async fn cases_to_purge(&self, before_ms: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as("SELECT id FROM cases WHERE status IN ('closed','refused','merged') AND closed_at < $1 AND purged_at IS NULL ORDER BY id LIMIT 1000")
            .bind(before_ms)
            .fetch_all(self.pool())
            .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }
}

impl Tx {
    /// Inserts cases with multi-row statements and returns their ids in input order.
    /// A taken receipt code fails the whole call with [`StoreError::Conflict`].
    pub async fn insert_cases(&mut self, cases: &[&NewCase]) -> Result<Vec<i64>> {
        const COLS: usize = 18;
        let now = now_ms();
        let mut args = Vec::with_capacity(cases.len() * COLS);
        for c in cases {
            args.extend([
                c.receipt_code.clone().into(),
                c.secret_hash.clone().into(),
                c.kind.clone().into(),
                c.unit_code.clone().into(),
                c.province_code.clone().into(),
                c.commune_code.clone().into(),
                c.place_code.clone().into(),
                c.address_text.clone().into(),
                c.description.clone().into(),
                Arg::I(c.anonymous as i64),
                c.contact_sealed.clone().map(Arg::B).unwrap_or(Arg::NullB),
                c.received_on.clone().into(),
                c.due_date.clone().into(),
                c.due_rule.clone().into(),
                c.source.clone().into(),
                c.created_by.into(),
                Arg::I(now),
                Arg::I(now),
            ]);
        }
        self.insert_rows(
            "cases (receipt_code, secret_hash, kind, unit_code, province_code, commune_code, place_code, address_text, description, anonymous, contact_sealed, received_on, due_date, due_rule, source, created_by, created_at, updated_at)",
            COLS,
            &args,
        )
        .await
        .map_err(|e| match e {
            StoreError::Db(e) => crate::db::conflict_as(e, "receipt_code"),
            other => other,
        })?;
        let mut ids = std::collections::HashMap::with_capacity(cases.len());
        for chunk in cases.chunks(200) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let args: Vec<Arg> = chunk.iter().map(|c| c.receipt_code.clone().into()).collect();
            let sql = format!("SELECT id, receipt_code FROM cases WHERE receipt_code IN ({})", marks.join(","));
            let rows: Vec<(i64, String)> = bind_all(sqlx::query(&sql), &args)
                .try_map(|r: sqlx::any::AnyRow| {
                    use sqlx::Row;
                    Ok((r.try_get::<i64, _>(0)?, r.try_get::<String, _>(1)?))
                })
                .fetch_all(&mut *self.tx)
                .await?;
            ids.extend(rows.into_iter().map(|(id, code)| (code, id)));
        }
        cases.iter().map(|c| ids.get(&c.receipt_code).copied().ok_or(StoreError::NotFound)).collect()
    }

    /// Adds a message, internal note or event to a case.
    pub async fn insert_case_message(
        &mut self,
        case_id: i64,
        author: MessageAuthor,
        user_id: Option<i64>,
        body: &str,
        public: bool,
    ) -> Result<i64> {
        let row = bind_all(
            sqlx::query("INSERT INTO case_messages (case_id, author, user_id, body, public, created_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id"),
            &[Arg::I(case_id), author.as_str().into(), user_id.into(), body.into(), Arg::I(public as i64), Arg::I(now_ms())],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        int_at(&row, 0)
    }

    /// Stores a sealed attachment.
    pub async fn insert_case_attachment(
        &mut self,
        case_id: i64,
        message_id: Option<i64>,
        a: &NewCaseAttachment,
    ) -> Result<i64> {
        let row = bind_all(
            sqlx::query("INSERT INTO case_attachments (case_id, message_id, filename, content_type, size_bytes, sha256, data_sealed, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id"),
            &[
                Arg::I(case_id),
                message_id.into(),
                a.filename.clone().into(),
                a.content_type.clone().into(),
                Arg::I(a.size_bytes),
                a.sha256.clone().into(),
                Arg::B(a.sealed.clone()),
                Arg::I(now_ms()),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        int_at(&row, 0)
    }

    /// Reads a case inside the transaction (for before/after audit and checks).
    pub async fn case(&mut self, scope: &Scope, id: i64) -> Result<CaseRecord> {
        let (sql, args) = case_by_id(scope, id);
        case_row(bind_all(sqlx::query(&sql), &args).fetch_optional(&mut *self.tx).await?.ok_or(StoreError::NotFound)?)
    }

    /// A case in `scope` by its receipt code (as printed: "ABC-DEF-GHJ").
    pub async fn case_by_receipt(&mut self, scope: &Scope, code: &str) -> Result<CaseRecord> {
        let mut args = vec![Arg::S(code.to_string())];
        let c = clause(scope, Table::Cases, &mut args);
        let sql = format!("SELECT {CASE_COLUMNS} {CASE_FROM} WHERE cs.receipt_code = $1 AND {c}");
        case_row(bind_all(sqlx::query(&sql), &args).fetch_optional(&mut *self.tx).await?.ok_or(StoreError::NotFound)?)
    }

    /// Sets columns of a case. `sets` are `(column, value)` with column names from
    /// this crate's callers only (never user input).
    pub async fn update_case(&mut self, id: i64, sets: &[(&'static str, Arg)]) -> Result<()> {
        let mut args: Vec<Arg> = Vec::with_capacity(sets.len() + 2);
        let mut parts = Vec::with_capacity(sets.len() + 1);
        for (col, v) in sets {
            args.push(v.clone());
            parts.push(format!("{col} = ${}", args.len()));
        }
        args.push(Arg::I(now_ms()));
        parts.push(format!("updated_at = ${}", args.len()));
        args.push(Arg::I(id));
        let sql = format!("UPDATE cases SET {} WHERE id = ${}", parts.join(", "), args.len());
        self.exec(&sql, &args).await?;
        Ok(())
    }

    /// Removes a case's personal data: the sealed contact, the attachment bytes and
    /// the address; the description is replaced by `description` (scrubbed by the caller).
    pub async fn purge_case_personal_data(&mut self, id: i64, description: &str) -> Result<()> {
        self.exec(
            "UPDATE cases SET contact_sealed = NULL, address_text = NULL, description = $1, purged_at = $2 WHERE id = $3",
            &[description.into(), Arg::I(now_ms()), Arg::I(id)],
        )
        .await?;
        self.exec("UPDATE case_attachments SET data_sealed = NULL WHERE case_id = $1", &[Arg::I(id)]).await?;
        Ok(())
    }

    /// Sets or replaces a routing rule.
    pub async fn set_case_route(&mut self, kind: &str, target: &str) -> Result<()> {
        self.exec("UPDATE case_routes SET target = $1 WHERE kind = $2", &[target.into(), kind.into()]).await?;
        Ok(())
    }

    /// Adds or replaces a calendar entry.
    pub async fn upsert_calendar_override(&mut self, o: &CalendarOverrideRow, by: i64) -> Result<()> {
        let day = domain::clock::iso(o.day);
        self.exec("DELETE FROM calendar_overrides WHERE day = $1", &[day.as_str().into()]).await?;
        self.exec(
            "INSERT INTO calendar_overrides (day, kind, name_vi, name_en, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6)",
            &[day.into(), o.kind.as_str().into(), o.name_vi.clone().into(), o.name_en.clone().into(), Arg::I(by), Arg::I(now_ms())],
        )
        .await?;
        Ok(())
    }

    /// Removes a calendar entry; false when there was none.
    pub async fn delete_calendar_override(&mut self, day: &str) -> Result<bool> {
        Ok(self.exec("DELETE FROM calendar_overrides WHERE day = $1", &[day.into()]).await? > 0)
    }
}
