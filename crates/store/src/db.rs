//! Connection pool, backend detection, transactions and argument binding.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyArguments, AnyConnectOptions, AnyPoolOptions};
use sqlx::pool::PoolConnection;
use sqlx::query::Query;
use sqlx::{Any, AnyPool, Executor};

use crate::{Result, StoreError};

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite file (the embedded default).
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// A bound SQL argument. Values are kept to the two types both backends share.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Text.
    S(String),
    /// 64-bit integer.
    I(i64),
    /// SQL NULL text.
    NullS,
    /// SQL NULL integer (PostgreSQL types NULL parameters).
    NullI,
    /// Bytes (BLOB / BYTEA).
    B(Vec<u8>),
    /// SQL NULL bytes.
    NullB,
    /// Double-precision number (indicator values and targets).
    F(f64),
    /// SQL NULL number.
    NullF,
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::S(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::S(s)
    }
}
impl From<i64> for Arg {
    fn from(i: i64) -> Self {
        Arg::I(i)
    }
}
impl From<Option<i64>> for Arg {
    fn from(i: Option<i64>) -> Self {
        i.map(Arg::I).unwrap_or(Arg::NullI)
    }
}
impl From<Option<f64>> for Arg {
    fn from(f: Option<f64>) -> Self {
        f.map(Arg::F).unwrap_or(Arg::NullF)
    }
}
impl From<Option<String>> for Arg {
    fn from(s: Option<String>) -> Self {
        s.map(Arg::S).unwrap_or(Arg::NullS)
    }
}

/// Binds a list of [`Arg`]s to a query in order.
pub fn bind_all<'q>(mut q: Query<'q, Any, AnyArguments<'q>>, args: &[Arg]) -> Query<'q, Any, AnyArguments<'q>> {
    for a in args {
        q = match a {
            Arg::S(s) => q.bind(s.clone()),
            Arg::I(i) => q.bind(*i),
            Arg::NullS => q.bind(Option::<String>::None),
            Arg::NullI => q.bind(Option::<i64>::None),
            Arg::B(b) => q.bind(b.clone()),
            Arg::NullB => q.bind(Option::<Vec<u8>>::None),
            Arg::F(f) => q.bind(*f),
            // sqlx 0.8.6's Any driver swaps the two float kinds of a NULL
            // (any/arguments.rs: a NULL f64 goes out as float4, a NULL f32 as
            // float8); PostgreSQL then refuses the float8 column's parameter.
            Arg::NullF => q.bind(Option::<f32>::None),
        };
    }
    q
}

/// Reads an integer column that PostgreSQL may return as NUMERIC/BIGINT and SQLite as INTEGER.
pub(crate) fn int_at(row: &sqlx::any::AnyRow, i: usize) -> Result<i64> {
    use sqlx::Row;
    if let Ok(v) = row.try_get::<i64, _>(i) {
        return Ok(v);
    }
    if let Ok(v) = row.try_get::<i32, _>(i) {
        return Ok(v as i64);
    }
    if let Ok(v) = row.try_get::<f64, _>(i) {
        return Ok(v as i64);
    }
    let s: String = row.try_get(i)?;
    s.parse::<i64>().map_err(|e| StoreError::Db(sqlx::Error::Decode(Box::new(e))))
}

/// The store: a connection pool and the backend it talks to.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    url: String,
    background: Background,
    health: WriteHealth,
}

/// Whether the last write transaction failed to commit (disk full, I/O error), and
/// a test hook that makes the next commits fail as if the disk were full.
#[derive(Clone, Debug, Default)]
struct WriteHealth(std::sync::Arc<WriteHealthInner>);

#[derive(Debug, Default)]
struct WriteHealthInner {
    failing: std::sync::atomic::AtomicBool,
    inject_commit_failures: std::sync::atomic::AtomicU32,
    /// Committed writes of this process so far (see [`Store::write_generation`]).
    generation: std::sync::atomic::AtomicU64,
}

/// Threads a store started that must finish before it closes (the WAL checkpoint
/// after a bulk import).
#[derive(Clone, Debug, Default)]
pub(crate) struct Background(std::sync::Arc<std::sync::Mutex<Vec<std::thread::JoinHandle<()>>>>);

impl Background {
    /// Runs `work` on its own thread.
    pub(crate) fn spawn(&self, work: impl FnOnce() + Send + 'static) {
        let handle = std::thread::spawn(work);
        let mut running = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        running.retain(|h| !h.is_finished());
        running.push(handle);
    }

    /// Waits for every thread started so far.
    fn wait(&self) {
        let running = std::mem::take(&mut *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        for handle in running {
            if handle.join().is_err() {
                tracing::error!("a background database task panicked");
            }
        }
    }
}

/// A write transaction. It starts by locking the audit head, which serialises
/// writers on both backends (SQLite takes its write lock at once instead of
/// upgrading later; PostgreSQL takes a row lock), so the audit chain never forks.
///
/// The transaction is driven by plain `BEGIN`/`COMMIT`/`ROLLBACK` on a pooled
/// connection rather than by sqlx's nesting transaction type: a connection whose
/// `COMMIT` or `ROLLBACK` failed (disk full, I/O error) may still be inside the
/// transaction and hold SQLite's write lock, so it is closed, never returned to
/// the pool (a later `BEGIN` on it would otherwise become a savepoint whose
/// "commit" writes nothing durable). A `Tx` dropped without commit is rolled back
/// on a task of its own, or its connection closed when that is not possible.
pub struct Tx {
    /// The connection inside the transaction (`None` once finished).
    pub(crate) tx: TxConn,
    /// Backend of the store that opened it.
    pub backend: Backend,
    health: WriteHealth,
}

/// The connection of an open [`Tx`]; dereferences to the connection so that
/// `&mut *tx.tx` is an executor, as with sqlx's own transaction type.
pub(crate) struct TxConn(Option<PoolConnection<Any>>);

impl std::ops::Deref for TxConn {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        match &self.0 {
            Some(c) => c,
            // A finished transaction is consumed by value; no method reaches here.
            None => unreachable!("transaction already finished"),
        }
    }
}

impl std::ops::DerefMut for TxConn {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match &mut self.0 {
            Some(c) => c,
            None => unreachable!("transaction already finished"),
        }
    }
}

impl Drop for TxConn {
    fn drop(&mut self) {
        let Some(mut conn) = self.0.take() else { return };
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn(async move {
                    if conn.execute("ROLLBACK").await.is_err() {
                        // Unknown state: never hand it to another writer.
                        let _ = conn.close().await;
                    }
                });
            }
            Err(_) => conn.close_on_drop(),
        }
    }
}

impl Store {
    /// Opens (and for SQLite creates) the database at `url`, applies migrations and
    /// returns the store. SQLite connections get WAL, foreign keys and a busy timeout.
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let (backend, url) = normalise_url(url)?;
        if backend == Backend::Sqlite {
            if let Some(path) = sqlite_path(&url) {
                if let Some(dir) = std::path::Path::new(&path).parent() {
                    if !dir.as_os_str().is_empty() {
                        std::fs::create_dir_all(dir)
                            .map_err(|e| StoreError::Open(format!("{}: {e}", dir.display())))?;
                    }
                }
            }
        }
        let opts = AnyConnectOptions::from_str(&url).map_err(|e| StoreError::Open(e.to_string()))?;
        // One direct attempt first: a wrong URL fails at once instead of after the
        // pool's acquire timeout of retries.
        let probe = <sqlx::AnyConnection as sqlx::Connection>::connect_with(&opts)
            .await
            .map_err(|e| StoreError::Open(e.to_string()))?;
        let _ = sqlx::Connection::close(probe).await;
        let max = if backend == Backend::Sqlite { 8 } else { 16 };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // synchronous=FULL: a commit is on disk before it returns, so an
                        // acknowledged citizen's case survives a power cut, not only a crash.
                        // page_size takes effect only in a new, empty file: 8 KiB pages
                        // make the million-row tables' B-trees shallower and a bulk
                        // import ~8 % faster (measured with `bench --suite import`).
                        conn.execute(
                            "PRAGMA page_size = 8192; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(opts)
            .await
            .map_err(|e| StoreError::Open(e.to_string()))?;
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
        }
        let store = Store { pool, backend, url, background: Background::default(), health: WriteHealth::default() };
        crate::migrate::run(&store).await?;
        Ok(store)
    }

    /// The pool, for the modules of this crate.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Which backend this store talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The normalised URL it was opened with.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Pool statistics: (open connections, idle connections).
    pub fn pool_stats(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    /// Cheap liveness check.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Runs one statement in its own implicit transaction (tools and benchmarks;
    /// the application writes through [`Tx`]).
    pub async fn execute_one(&self, sql: &str, args: &[Arg]) -> Result<u64> {
        Ok(bind_all(sqlx::query(sql), args).execute(&self.pool).await?.rows_affected())
    }

    /// The integer a one-value query answers (tools and tests).
    pub async fn scalar_i64(&self, sql: &str) -> Result<i64> {
        let row = sqlx::query(sql).fetch_one(&self.pool).await?;
        int_at(&row, 0)
    }

    /// The text a one-value query answers (tools and tests).
    pub async fn scalar_text(&self, sql: &str) -> Result<String> {
        use sqlx::Row;
        Ok(sqlx::query(sql).fetch_one(&self.pool).await?.try_get::<String, _>(0)?)
    }

    /// One page of a list and the list's total: `count_sql` counts the rows that
    /// `rows_sql` (a whole `SELECT … ORDER BY …` without `LIMIT`) lists, both over
    /// `args`; the page is `limit` rows from `offset`, each turned into a `T` by `map`.
    pub(crate) async fn count_and_page<T, F>(
        &self,
        count_sql: &str,
        rows_sql: &str,
        mut args: Vec<Arg>,
        limit: i64,
        offset: i64,
        map: F,
    ) -> Result<(Vec<T>, i64)>
    where
        T: Send + Unpin,
        F: FnMut(sqlx::any::AnyRow) -> Result<T> + Send,
    {
        let row = bind_all(sqlx::query(count_sql), &args).fetch_one(self.pool()).await?;
        let total = int_at(&row, 0)?;
        let n = args.len();
        args.push(Arg::I(limit));
        args.push(Arg::I(offset));
        let sql = format!("{rows_sql} LIMIT ${} OFFSET ${}", n + 1, n + 2);
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        let items = rows.into_iter().map(map).collect::<Result<Vec<T>>>()?;
        Ok((items, total))
    }

    /// Begins a write transaction (see [`Tx`]).
    pub async fn begin_write(&self) -> Result<Tx> {
        let mut conn = self.pool.acquire().await?;
        let begin = match self.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        // A connection still inside a transaction refuses BEGIN: close it, never reuse it.
        if let Err(e) = conn.execute(begin).await {
            conn.close_on_drop();
            return Err(e.into());
        }
        let mut tx = Tx { tx: TxConn(Some(conn)), backend: self.backend, health: self.health.clone() };
        let lock = match self.backend {
            Backend::Sqlite => "UPDATE audit_head SET updated_at = updated_at WHERE id = 1",
            Backend::Postgres => "SELECT id FROM audit_head WHERE id = 1 FOR UPDATE",
        };
        sqlx::query(lock).execute(&mut *tx.tx).await?;
        Ok(tx)
    }

    /// Whether the database takes writes: `false` after a commit failed until a
    /// probe (an empty write transaction, tried here) commits again.
    pub async fn writable(&self) -> bool {
        use std::sync::atomic::Ordering;
        if !self.health.0.failing.load(Ordering::Relaxed) {
            return true;
        }
        let probe = async {
            let tx = self.begin_write().await?;
            tx.commit().await
        };
        matches!(tokio::time::timeout(Duration::from_secs(2), probe).await, Ok(Ok(())))
    }

    /// How many writes this process has committed: a value computed from the data
    /// at generation g is still current while the generation is g (writes of other
    /// processes on the same database are not counted; callers bound staleness by time).
    pub fn write_generation(&self) -> u64 {
        self.health.0.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Counts a write made outside [`Tx`] (the bulk import's direct connection).
    pub(crate) fn note_write(&self) {
        self.health.0.generation.fetch_add(1, std::sync::atomic::Ordering::Release);
    }

    /// Makes the next `n` commits fail as a full disk would, leaving their
    /// connection inside its transaction (for the storage-fault tests).
    #[doc(hidden)]
    pub fn inject_commit_failures(&self, n: u32) {
        self.health.0.inject_commit_failures.store(n, std::sync::atomic::Ordering::SeqCst);
    }

    /// Background work of this store, for the modules of this crate.
    pub(crate) fn background(&self) -> &Background {
        &self.background
    }

    /// Waits for the store's background work (a bulk import's WAL checkpoint).
    pub async fn settle(&self) {
        let background = self.background.clone();
        let _ = tokio::task::spawn_blocking(move || background.wait()).await;
    }

    /// Copies SQLite's write-ahead log into the database file and truncates it, so
    /// that a long bulk load (the national demo data) does not grow the log with
    /// every batch; nothing on PostgreSQL.
    pub async fn checkpoint(&self) -> Result<()> {
        self.settle().await;
        if self.backend() == Backend::Sqlite {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(self.pool()).await?;
        }
        Ok(())
    }

    /// Waits for background work, then closes the pool.
    pub async fn close(&self) {
        self.settle().await;
        self.pool.close().await;
    }
}

impl Tx {
    /// Commits. Only an `Ok` means the writes are in the database; a connection whose
    /// commit failed is closed, not returned to the pool.
    pub async fn commit(mut self) -> Result<()> {
        use std::sync::atomic::Ordering;
        let Some(mut conn) = self.tx.0.take() else {
            return Err(StoreError::Open("transaction already finished".into()));
        };
        let injected = self
            .health
            .0
            .inject_commit_failures
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        let result = if injected {
            // As after a failed COMMIT: the connection is still inside its transaction.
            Err(sqlx::Error::Protocol("injected commit failure (database or disk is full)".into()))
        } else {
            conn.execute("COMMIT").await.map(|_| ())
        };
        match result {
            Ok(()) => {
                self.health.0.failing.store(false, Ordering::Relaxed);
                self.health.0.generation.fetch_add(1, Ordering::Release);
                Ok(())
            }
            Err(e) => {
                self.health.0.failing.store(true, Ordering::Relaxed);
                tracing::error!(error = %e, "commit failed; closing its connection");
                let _ = conn.close().await;
                Err(StoreError::NotCommitted(e))
            }
        }
    }

    /// Rolls back now (dropping a `Tx` does the same on a task of its own).
    pub async fn rollback(mut self) {
        if let Some(mut conn) = self.tx.0.take() {
            if conn.execute("ROLLBACK").await.is_err() {
                let _ = conn.close().await;
            }
        }
    }

    /// Executes a statement with arguments inside the transaction.
    pub async fn exec(&mut self, sql: &str, args: &[Arg]) -> Result<u64> {
        let r = bind_all(sqlx::query(sql), args).execute(&mut *self.tx).await?;
        Ok(r.rows_affected())
    }
}

/// Rows per multi-row INSERT. SQLite keeps named and numbered parameters (`$1`,
/// `?1`) in a list that is searched linearly for each bind, so wide statements cost
/// O(n²) there; plain `?` parameters are not in that list.
const ROWS_PER_STATEMENT: usize = 50;

/// `INSERT INTO {head} VALUES (…),(…)` for `rows` rows of `cols` parameters: plain
/// positional `?` on SQLite (no name lookups), `$N` on PostgreSQL.
fn values_sql(backend: Backend, head: &str, rows: usize, cols: usize) -> String {
    let sqlite = backend == Backend::Sqlite;
    let mut sql = String::with_capacity(head.len() + 20 + rows * cols * 6);
    sql.push_str("INSERT INTO ");
    sql.push_str(head);
    sql.push_str(" VALUES ");
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ",(" });
        for c in 0..cols {
            if c > 0 {
                sql.push(',');
            }
            if sqlite {
                sql.push('?');
            } else {
                sql.push('$');
                sql.push_str(&(r * cols + c + 1).to_string());
            }
        }
        sql.push(')');
    }
    sql
}

impl Tx {
    /// Inserts rows (a flat list of `cols` arguments per row) with multi-row statements.
    pub(crate) async fn insert_rows(&mut self, head: &str, cols: usize, args: &[Arg]) -> Result<()> {
        let full = values_sql(self.backend, head, ROWS_PER_STATEMENT, cols);
        for chunk in args.chunks(ROWS_PER_STATEMENT * cols) {
            let rows = chunk.len() / cols;
            let partial;
            let sql = if rows == ROWS_PER_STATEMENT {
                &full
            } else {
                partial = values_sql(self.backend, head, rows, cols);
                &partial
            };
            bind_all(sqlx::query(sql), chunk).execute(&mut *self.tx).await?;
        }
        Ok(())
    }
}

/// Accepts `sqlite://PATH`, `sqlite:PATH`, `postgres://…` and `postgresql://…`.
fn normalise_url(url: &str) -> Result<(Backend, String)> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_string()));
    }
    if let Some(rest) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
        if rest.is_empty() {
            return Err(StoreError::Open("empty SQLite path".into()));
        }
        let sep = if rest.contains('?') { '&' } else { '?' };
        let with_mode = if rest.contains("mode=") { rest.to_string() } else { format!("{rest}{sep}mode=rwc") };
        return Ok((Backend::Sqlite, format!("sqlite://{with_mode}")));
    }
    Err(StoreError::Open(format!("unsupported database URL (use sqlite://PATH or postgres://…): {url}")))
}

/// The file path inside a normalised SQLite URL.
pub(crate) fn sqlite_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://")?;
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path == ":memory:" {
        None
    } else {
        Some(path.to_string())
    }
}

/// Maps a unique-constraint violation to [`StoreError::Conflict`].
pub(crate) fn conflict_as(e: sqlx::Error, what: &'static str) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            return StoreError::Conflict(what);
        }
    }
    StoreError::Db(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_numbered_per_backend() {
        assert_eq!(values_sql(Backend::Sqlite, "t (a, b)", 2, 2), "INSERT INTO t (a, b) VALUES (?,?),(?,?)");
        assert_eq!(values_sql(Backend::Postgres, "t (a)", 2, 1), "INSERT INTO t (a) VALUES ($1),($2)");
    }

    #[test]
    fn urls_are_normalised() {
        assert_eq!(
            normalise_url("sqlite://data/x.db").ok(),
            Some((Backend::Sqlite, "sqlite://data/x.db?mode=rwc".into()))
        );
        assert_eq!(normalise_url("sqlite:x.db").ok().map(|u| u.1), Some("sqlite://x.db?mode=rwc".into()));
        assert!(matches!(normalise_url("postgres://h/db"), Ok((Backend::Postgres, _))));
        assert!(normalise_url("mysql://h/db").is_err());
        assert_eq!(sqlite_path("sqlite://data/x.db?mode=rwc").as_deref(), Some("data/x.db"));
    }
}
