//! Bulk insert of imported organisations: all rows and their one audit entry in one
//! transaction, by the fastest road each backend offers.
//!
//! - **SQLite** (a file database): a dedicated connection on a blocking thread binds
//!   the rows, 500 at a time, to one prepared statement — the road the `sqlite3`
//!   shell's `.import` takes, with no driver layer between, and text bound without
//!   copying ([`crate::borrowed_insert`]). The rows are first sorted in the order of
//!   the table's one index (province, commune, folded name), so the index grows at
//!   its end instead of being searched at random or rebuilt. The foreign key to
//!   `units` is checked once per commune ([`communes_exist`]), not by SQLite once per
//!   row; the WAL checkpoint follows the commit on a background thread.
//! - **PostgreSQL**: a dedicated connection streams the rows, in the same index
//!   order, with `COPY … FROM STDIN`, after locking the audit head as every write
//!   transaction does.
//! - An in-memory SQLite (no file to open twice): the pool's write transaction,
//!   multi-row statements.
//!
//! Either way the caller sees progress, and an error leaves nothing written.

use domain::audit::{entry_hash, AuditContent};
use rusqlite::OptionalExtension;
use tokio::sync::watch;

use crate::audit::{log_head, AUDIT_HEAD_MOVE, AUDIT_HEAD_READ, AUDIT_INSERT};
use crate::borrowed_insert::{BorrowedInsert, Value};
use crate::db::sqlite_path;
use crate::{now_ms, Arg, Backend, Result, Store, StoreError};

/// Columns of an organisation insert; `organisations::org_args` gives the first nine, `updated_at` is the tenth.
pub(crate) const ORG_INSERT_HEAD: &str =
    "organisations (name, name_fold, kind, tax_code, address, unit_code, province_code, managed_by_province, created_at, updated_at)";

/// Rows between two progress reports.
pub const PROGRESS_EVERY: usize = 10_000;

/// One validated organisation ready to be stored (commune checked to exist and to
/// lie in the importer's scope).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedOrganisation {
    /// Name as written.
    pub name: String,
    /// Name folded for search ([`domain::text::fold`]).
    pub name_fold: String,
    /// `agency`, `enterprise`, `school` or `other`.
    pub kind: &'static str,
    /// Tax / registration code.
    pub tax_code: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Commune code.
    pub unit_code: String,
    /// The commune's province code.
    pub province_code: String,
    /// Managed by the province rather than the commune.
    pub managed_by_province: bool,
}

impl ImportedOrganisation {
    /// A checked organisation of the commune whose province is `province_code`.
    pub fn new(o: domain::NewOrganisation, province_code: String) -> Self {
        ImportedOrganisation {
            name_fold: domain::text::fold(&o.name),
            name: o.name,
            kind: o.kind.as_str(),
            tax_code: o.tax_code,
            address: o.address,
            unit_code: o.unit_code,
            province_code,
            managed_by_province: o.managed_by_province,
        }
    }
}

impl crate::Tx {
    /// Inserts many organisations with multi-row statements (demo data, tests).
    pub async fn insert_organisations(&mut self, orgs: &[(domain::NewOrganisation, String)]) -> Result<()> {
        let rows: Vec<ImportedOrganisation> =
            orgs.iter().map(|(o, province)| ImportedOrganisation::new(o.clone(), province.clone())).collect();
        self.insert_imported_organisations(&rows).await
    }

    /// Inserts checked organisations with multi-row statements.
    pub(crate) async fn insert_imported_organisations(&mut self, orgs: &[ImportedOrganisation]) -> Result<()> {
        let now = now_ms();
        let mut args = Vec::with_capacity(orgs.len() * 10);
        for o in orgs {
            args.extend([
                o.name.as_str().into(),
                o.name_fold.as_str().into(),
                o.kind.into(),
                o.tax_code.clone().into(),
                o.address.clone().into(),
                o.unit_code.as_str().into(),
                o.province_code.as_str().into(),
                Arg::I(o.managed_by_province as i64),
                Arg::I(now),
                Arg::I(now),
            ]);
        }
        self.insert_rows(ORG_INSERT_HEAD, 10, &args).await
    }
}

/// The audit entry written with an import.
#[derive(Debug, Clone)]
pub struct ImportAudit {
    /// Acting user.
    pub actor: Option<i64>,
    /// Action, e.g. `organisation.import`.
    pub action: String,
    /// JSON describing what was imported (written by serde, see [`ImportAudit::new`]).
    after: String,
}

impl ImportAudit {
    /// The entry of an import by `actor` doing `action`, `after` describing what was imported.
    pub fn new(actor: Option<i64>, action: impl Into<String>, after: &serde_json::Value) -> Self {
        ImportAudit { actor, action: action.into(), after: after.to_string() }
    }
}

/// Rows per statement on the SQLite road: each statement execution sets up the
/// table's CHECK and AUTOINCREMENT machinery once, so rows are sent 500 at a time
/// (4,000 parameters, well under SQLite's limit of 32,766).
const SQLITE_ROWS_PER_STATEMENT: usize = 500;

/// Values bound per row on the SQLite road: the first eight columns of the insert;
/// the two timestamps are one integer for the whole import, written into the statement.
const SQLITE_VALUES_PER_ROW: usize = 8;

/// `INSERT INTO organisations (…) VALUES (?,…,?,now,now),…` for `rows` rows, with
/// plain `?` parameters bound by position.
fn sqlite_insert_sql(rows: usize, now: i64) -> String {
    let one = format!("({}{now},{now})", "?,".repeat(SQLITE_VALUES_PER_ROW));
    let values = vec![one; rows].join(",");
    format!("INSERT INTO {} VALUES {values}", ORG_INSERT_HEAD)
}

/// Imports at least this long sort their communes on two threads.
const PARALLEL_SORT_MIN_ROWS: usize = 50_000;

/// Positions of `rows` in the order of the organisations index (province, commune,
/// folded name, and file order among equal names). Rows are bucketed by commune
/// first, reading memory in file order (the order it was written), and only names
/// are compared, within a commune; a large import buckets its two halves and sorts
/// its communes on two threads. (Ordering two halves apart and merging them was
/// tried: the merge's scattered reads made it twice as slow.)
fn index_order(rows: &[ImportedOrganisation]) -> Vec<usize> {
    type Buckets<'r> = std::collections::HashMap<(&'r str, &'r str), Vec<usize>>;
    let bucket = |range: std::ops::Range<usize>| {
        let mut communes = Buckets::new();
        for i in range {
            let r = &rows[i];
            communes.entry((r.province_code.as_str(), r.unit_code.as_str())).or_default().push(i);
        }
        communes
    };
    let parallel = rows.len() >= PARALLEL_SORT_MIN_ROWS;
    let communes = if parallel {
        // Each half bucketed on its own thread; a commune's second-half rows are
        // appended after its first-half rows, so each bucket stays in file order.
        let half = rows.len() / 2;
        let (mut first, second) = std::thread::scope(|scope| {
            let second = scope.spawn(|| bucket(half..rows.len()));
            (bucket(0..half), second.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
        });
        for (commune, members) in second {
            first.entry(commune).or_default().extend(members);
        }
        first
    } else {
        bucket(0..rows.len())
    };
    let mut communes: Vec<_> = communes.into_iter().collect();
    communes.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut communes: Vec<Vec<usize>> = communes.into_iter().map(|(_, members)| members).collect();
    // Stable: equal names keep file order.
    let sort = |buckets: &mut [Vec<usize>]| {
        for members in buckets {
            members.sort_by(|&a, &b| rows[a].name_fold.cmp(&rows[b].name_fold));
        }
    };
    if parallel {
        // Split where half the rows lie on each side.
        let mut seen = 0;
        let mid = communes
            .iter()
            .position(|members| {
                seen += members.len();
                seen >= rows.len() / 2
            })
            .map_or(communes.len(), |k| k + 1);
        let (first, second) = communes.split_at_mut(mid);
        std::thread::scope(|scope| {
            scope.spawn(|| sort(second));
            sort(first);
        });
    } else {
        sort(&mut communes);
    }
    communes.concat()
}

/// The foreign key `organisations.unit_code → units.code`, checked once per commune
/// inside the write transaction. The import's connection runs with SQLite's own
/// per-row check off: a million lookups of the same few thousand codes cost about a
/// second, a fifth of the whole insert. `order` is [`index_order`], so each
/// commune's rows lie together.
fn communes_exist(tx: &rusqlite::Transaction<'_>, rows: &[ImportedOrganisation], order: &[usize]) -> Result<()> {
    let mut unit = tx.prepare("SELECT 1 FROM units WHERE code = ?1")?;
    let mut last: Option<&str> = None;
    for &i in order {
        let code = rows[i].unit_code.as_str();
        if last == Some(code) {
            continue;
        }
        last = Some(code);
        if !unit.exists([code])? {
            return Err(StoreError::Direct(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                Some(format!("FOREIGN KEY constraint failed: organisations.unit_code {code}")),
            )));
        }
    }
    Ok(())
}

impl Store {
    /// Inserts `rows` and appends `audit`, all or nothing. `progress` receives the
    /// number of rows written so far, every [`PROGRESS_EVERY`] rows.
    pub async fn import_organisations(
        &self,
        rows: Vec<ImportedOrganisation>,
        audit: ImportAudit,
        progress: watch::Sender<usize>,
    ) -> Result<usize> {
        let result = self.import_organisations_inner(rows, audit, progress).await;
        // Written outside `Tx` on the direct roads: figures cached before are stale.
        self.note_write();
        result
    }

    async fn import_organisations_inner(
        &self,
        rows: Vec<ImportedOrganisation>,
        audit: ImportAudit,
        progress: watch::Sender<usize>,
    ) -> Result<usize> {
        let path = match self.backend() {
            Backend::Sqlite => sqlite_path(self.url()),
            Backend::Postgres => return postgres_import(self.url(), rows, &audit, &progress).await,
        };
        let Some(path) = path else {
            return self.import_through_pool(&rows, &audit, &progress).await;
        };
        let background = self.background().clone();
        tokio::task::spawn_blocking(move || {
            let result = sqlite_import(&path, &rows, &audit, &progress, &background);
            // Freeing a million rows takes a while; nobody needs to wait for it.
            std::thread::spawn(move || drop(rows));
            result
        })
        .await
        .map_err(|e| StoreError::Open(format!("import thread: {e}")))?
    }

    async fn import_through_pool(
        &self,
        rows: &[ImportedOrganisation],
        audit: &ImportAudit,
        progress: &watch::Sender<usize>,
    ) -> Result<usize> {
        let mut tx = self.begin_write().await?;
        let mut done = 0;
        for chunk in rows.chunks(PROGRESS_EVERY) {
            tx.insert_imported_organisations(chunk).await?;
            done += chunk.len();
            let _ = progress.send(done);
        }
        tx.append_audit(audit.actor, &audit.action, "organisation", "*", None, Some(&audit.after)).await?;
        tx.commit().await?;
        Ok(rows.len())
    }
}

/// The next chain entry for `audit` after (`last_id`, `last_hash`), and its hash.
fn audit_entry<'a>(last_id: i64, last_hash: &str, audit: &'a ImportAudit) -> (AuditContent<'a>, String) {
    let content = AuditContent {
        id: last_id + 1,
        at_ms: now_ms(),
        actor: audit.actor,
        action: &audit.action,
        entity: "organisation",
        entity_id: "*",
        before: None,
        after: Some(&audit.after),
    };
    let hash = entry_hash(last_hash, &content);
    (content, hash)
}

/// Rows per `COPY` data message on the PostgreSQL road.
const COPY_ROWS_PER_MESSAGE: usize = 5_000;

/// The PostgreSQL road (see the module text).
async fn postgres_import(
    url: &str,
    rows: Vec<ImportedOrganisation>,
    audit: &ImportAudit,
    progress: &watch::Sender<usize>,
) -> Result<usize> {
    use sqlx::{Connection, Row};
    let encode = |e: Box<dyn std::error::Error + Send + Sync>| StoreError::Db(sqlx::Error::Encode(e));
    // Ordered before the lock is taken: other writers need not wait for the sort.
    let order = index_order(&rows);
    let mut conn = sqlx::PgConnection::connect(url).await?;
    let mut tx = conn.begin().await?;
    // The lock every write transaction takes first (`Store::begin_write`).
    let head = sqlx::query(&format!("{AUDIT_HEAD_READ} FOR UPDATE")).fetch_one(&mut *tx).await?;
    let (last_id, last_hash): (i64, String) = (head.try_get(0)?, head.try_get(1)?);
    let now = now_ms().to_string();
    // Every field quoted, so an empty text stays text; only the two optional
    // columns read an empty field as NULL.
    let sql = format!("COPY {} FROM STDIN WITH (FORMAT csv, FORCE_NULL (tax_code, address))", ORG_INSERT_HEAD);
    let mut copy = tx.copy_in_raw(&sql).await?;
    let mut done = 0;
    for chunk in order.chunks(COPY_ROWS_PER_MESSAGE) {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .quote_style(csv::QuoteStyle::Always)
            .from_writer(Vec::with_capacity(chunk.len() * 128));
        for &i in chunk {
            let o = &rows[i];
            let managed = if o.managed_by_province { "1" } else { "0" };
            w.write_record([
                o.name.as_str(),
                &o.name_fold,
                o.kind,
                o.tax_code.as_deref().unwrap_or(""),
                o.address.as_deref().unwrap_or(""),
                &o.unit_code,
                &o.province_code,
                managed,
                &now,
                &now,
            ])
            .map_err(|e| encode(Box::new(e)))?;
        }
        let data = w.into_inner().map_err(|e| encode(Box::new(e.into_error())))?;
        copy.send(data).await?;
        done += chunk.len();
        let _ = progress.send(done);
    }
    copy.finish().await?;
    let (content, hash) = audit_entry(last_id, &last_hash, audit);
    sqlx::query(AUDIT_INSERT)
        .bind(content.id)
        .bind(content.at_ms)
        .bind(content.actor)
        .bind(content.action)
        .bind(content.entity)
        .bind(content.entity_id)
        .bind(content.before)
        .bind(content.after)
        .bind(&last_hash)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
    sqlx::query(AUDIT_HEAD_MOVE).bind(content.id).bind(&hash).bind(content.at_ms).execute(&mut *tx).await?;
    tx.commit().await?;
    log_head(content.id, &hash, &audit.action);
    // Freeing a million rows takes a while; nobody needs to wait for it.
    tokio::task::spawn_blocking(move || drop(rows));
    Ok(done)
}

/// The SQLite road (see the module text). Runs on a blocking thread.
fn sqlite_import(
    path: &str,
    rows: &[ImportedOrganisation],
    audit: &ImportAudit,
    progress: &watch::Sender<usize>,
    background: &crate::db::Background,
) -> Result<usize> {
    let mut conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // The pool's settings, except: the foreign key is checked once per commune
    // ([`communes_exist`]) instead of once per row; a larger page cache for merging
    // into a populated index; no checkpoint inside the commit (one follows it in the
    // background).
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF; PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; \
         PRAGMA cache_size = -131072; PRAGMA wal_autocheckpoint = 0;",
    )?;
    // Ordered before the lock is taken: other writers need not wait for the sort.
    let t = std::time::Instant::now();
    let order = index_order(rows);
    tracing::debug!(ms = t.elapsed().as_millis() as u64, "import rows ordered");
    // IMMEDIATE: take the write lock now, as the pool's write transactions do.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let now = now_ms();
    communes_exist(&tx, rows, &order)?;
    {
        let mut full = BorrowedInsert::prepare(&tx, &sqlite_insert_sql(SQLITE_ROWS_PER_STATEMENT, now))?;
        let mut values = Vec::with_capacity(SQLITE_ROWS_PER_STATEMENT * SQLITE_VALUES_PER_ROW);
        let mut done = 0;
        for chunk in order.chunks(SQLITE_ROWS_PER_STATEMENT) {
            values.clear();
            for &i in chunk {
                let o = &rows[i];
                values.extend([
                    Value::Text(Some(&o.name)),
                    Value::Text(Some(&o.name_fold)),
                    Value::Text(Some(o.kind)),
                    Value::Text(o.tax_code.as_deref()),
                    Value::Text(o.address.as_deref()),
                    Value::Text(Some(&o.unit_code)),
                    Value::Text(Some(&o.province_code)),
                    Value::Int(o.managed_by_province as i64),
                ]);
            }
            if chunk.len() == SQLITE_ROWS_PER_STATEMENT {
                full.execute(&values)?;
            } else {
                BorrowedInsert::prepare(&tx, &sqlite_insert_sql(chunk.len(), now))?.execute(&values)?;
            }
            let before = done / PROGRESS_EVERY;
            done += chunk.len();
            if done / PROGRESS_EVERY > before {
                let _ = progress.send(done);
            }
        }
    }
    let _ = progress.send(rows.len());
    tracing::debug!(rows = rows.len(), "import rows inserted");
    let (last_id, last_hash): (i64, String) =
        tx.query_row(AUDIT_HEAD_READ, [], |r| Ok((r.get(0)?, r.get(1)?))).optional()?.ok_or(StoreError::NotFound)?;
    let (content, hash) = audit_entry(last_id, &last_hash, audit);
    tx.execute(
        AUDIT_INSERT,
        rusqlite::params![
            content.id,
            content.at_ms,
            content.actor,
            content.action,
            content.entity,
            content.entity_id,
            content.before,
            content.after,
            last_hash,
            hash
        ],
    )?;
    tx.execute(AUDIT_HEAD_MOVE, rusqlite::params![content.id, hash, content.at_ms])?;
    tx.commit()?;
    tracing::debug!("import committed");
    log_head(content.id, &hash, &audit.action);
    // The rows are durable in the WAL (synchronous = FULL) and visible to every
    // reader. Copying them into the database file — the checkpoint SQLite would
    // otherwise run inside the commit — happens in the background; a store waits
    // for it before it closes.
    background.spawn(move || {
        let t = std::time::Instant::now();
        match conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(2)) {
            Ok(pages) => tracing::debug!(pages, ms = t.elapsed().as_millis() as u64, "import checkpointed"),
            Err(e) => tracing::warn!(error = %e, "checkpoint after import failed; SQLite retries on a later commit"),
        }
    });
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(province: &str, unit: &str, name_fold: &str) -> ImportedOrganisation {
        ImportedOrganisation {
            name: name_fold.to_uppercase(),
            name_fold: name_fold.into(),
            kind: "other",
            tax_code: None,
            address: None,
            unit_code: unit.into(),
            province_code: province.into(),
            managed_by_province: false,
        }
    }

    #[test]
    fn index_order_is_province_commune_name_then_file_order() {
        let rows = [
            row("79", "25747", "a"),
            row("01", "00008", "b"),
            row("01", "00004", "z"),
            row("01", "00004", "c"),
            row("01", "00008", "b"),
        ];
        assert_eq!(index_order(&rows), vec![3, 2, 1, 4, 0]);
        assert!(index_order(&[]).is_empty());
    }

    /// A row's key in the organisations index.
    fn index_key(r: &ImportedOrganisation) -> (&str, &str, &str) {
        (&r.province_code, &r.unit_code, &r.name_fold)
    }

    #[test]
    fn a_large_import_is_ordered_like_one_stable_sort() {
        // Few communes and names, so equal keys fall in both halves.
        let rows: Vec<_> = (0..PARALLEL_SORT_MIN_ROWS as u64 + 7)
            .map(|i| {
                let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
                row(
                    ["01", "79"][(h % 2) as usize],
                    ["00004", "00008", "25747"][(h % 3) as usize],
                    &format!("n{}", h % 50),
                )
            })
            .collect();
        let mut expected: Vec<usize> = (0..rows.len()).collect();
        expected.sort_by(|&a, &b| index_key(&rows[a]).cmp(&index_key(&rows[b])));
        assert_eq!(index_order(&rows), expected);
    }

    #[test]
    fn statements_bind_eight_values_per_row_and_write_the_time() {
        let sql = sqlite_insert_sql(3, 1_700_000_000_000);
        assert_eq!(sql.matches('?').count(), 24);
        assert!(sql.ends_with(",(?,?,?,?,?,?,?,?,1700000000000,1700000000000)"));
    }
}
