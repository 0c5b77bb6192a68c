//! Storage for phongtrao. One SQL layer serves SQLite and PostgreSQL through sqlx's
//! `Any` driver with runtime-checked queries (`$1` placeholders work on both); the
//! backend is picked from the URL scheme. Every query that reads or writes scoped
//! rows builds its `WHERE` through [`scope_sql::clause`], the one place where a
//! user's scope becomes SQL.

pub mod assessments;
pub mod attachments;
pub mod audit;
pub mod award_catalogues;
pub mod backup;
mod borrowed_insert;
pub mod campaigns;
pub mod cases;
pub mod clock;
pub mod commune_map;
pub mod criteria_sets;
pub mod dan_van_kheo;
mod db;
pub mod deadline_rules;
pub mod decode;
pub mod directives;
pub mod events;
pub mod forces;
pub mod funding;
pub mod honour_roll;
pub mod import_jobs;
pub mod inspections;
pub mod jobs;
pub mod key_areas;
mod migrate;
pub mod models;
pub mod nominations;
pub mod org_import;
pub mod organisations;
pub mod past_figures;
pub mod proposals;
pub mod province_criteria;
pub mod recognition;
pub mod registrations;
pub mod reports;
pub mod scope_sql;
pub mod search_sql;
pub mod sessions;
pub mod statistics;
pub mod tasks;
pub mod trainings;
pub mod unit_history;
pub mod unit_succession;
pub mod units;
pub mod units_csv;
pub mod users;
pub mod working_year_files;

pub use clock::now_ms;
pub use db::{Arg, Backend, Store, Tx};

/// Errors from the storage layer. "Not found" is its own variant so that the layers
/// above can answer 404 without string matching.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist (or lies outside the caller's scope).
    #[error("not found")]
    NotFound,
    /// A uniqueness constraint was violated; the payload names it.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The database URL could not be used.
    #[error("cannot open database: {0}")]
    Open(String),
    /// A write transaction's commit failed (disk full, I/O error): nothing of it is
    /// in the database; the database may refuse writes until space is freed.
    #[error("commit failed: {0}")]
    NotCommitted(sqlx::Error),
    /// Any other database error.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    /// A stored value that is not one the column may hold (a row written by hand
    /// or by a newer version): never replaced by a default.
    #[error("cannot decode {table}.{column}: {value:?}")]
    Decode {
        /// Table.
        table: &'static str,
        /// Column.
        column: &'static str,
        /// The value found.
        value: String,
    },
    /// A value could not be written as JSON (an audit entry's before or after).
    #[error("cannot encode JSON: {0}")]
    Encode(String),
    /// An error of the direct SQLite connection used for bulk imports.
    #[error(transparent)]
    Direct(#[from] rusqlite::Error),
}

/// Result type of the storage layer.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
