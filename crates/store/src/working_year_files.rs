//! Files a unit attaches to its records: a directive's document, what an assigned
//! unit attaches to its assignment, and a registration's file (resolution, plan,
//! registration form), stored in the database with their SHA-256. The app checks
//! who may see the directive, the task or the registration before any of these is
//! called.

use serde::Serialize;

use crate::db::{bind_all, int_at};
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// A file's description (without its bytes).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FileInfo {
    /// Id.
    pub id: i64,
    /// The directive it belongs to.
    pub directive_id: Option<i64>,
    /// The assignment it belongs to.
    pub assignment_id: Option<i64>,
    /// The registration it belongs to.
    pub registration_id: Option<i64>,
    /// The event it belongs to (documents, photos).
    pub event_id: Option<i64>,
    /// The uploading unit.
    pub unit_code: String,
    /// File name (sanitised).
    pub filename: String,
    /// Detected content type.
    pub content_type: String,
    /// Size.
    pub size_bytes: i64,
    /// SHA-256 of the bytes.
    pub sha256: String,
    /// Uploaded (Unix ms).
    pub created_at: i64,
}

const INFO: &str = "SELECT id, directive_id, assignment_id, registration_id, event_id, unit_code, filename, content_type, size_bytes, sha256, created_at FROM working_year_files";

/// What a file belongs to.
#[derive(Debug, Clone, Copy)]
pub enum Owner {
    /// A directive.
    Directive(i64),
    /// A task assignment.
    Assignment(i64),
    /// A registration for the year.
    Registration(i64),
    /// An event (its documents and photos).
    Event(i64),
}

impl Owner {
    fn column(self) -> (&'static str, i64) {
        match self {
            Owner::Directive(id) => ("directive_id", id),
            Owner::Assignment(id) => ("assignment_id", id),
            Owner::Registration(id) => ("registration_id", id),
            Owner::Event(id) => ("event_id", id),
        }
    }
}

impl Tx {
    /// How many files an owner has. On PostgreSQL the owner's row is locked
    /// first, so two uploads at once cannot both pass the limit (SQLite's write
    /// transactions are serial already).
    pub async fn file_count(&mut self, owner: Owner) -> Result<i64> {
        let (col, id) = owner.column();
        if self.backend == crate::Backend::Postgres {
            let table = match owner {
                Owner::Directive(_) => "directives",
                Owner::Assignment(_) => "task_assignments",
                Owner::Registration(_) => "registrations",
                Owner::Event(_) => "events",
            };
            self.exec(&format!("SELECT id FROM {table} WHERE id = $1 FOR UPDATE"), &[Arg::I(id)]).await?;
        }
        let row =
            bind_all(sqlx::query(&format!("SELECT COUNT(*) FROM working_year_files WHERE {col} = $1")), &[Arg::I(id)])
                .fetch_one(&mut *self.tx)
                .await?;
        int_at(&row, 0)
    }

    /// Stores a checked file; returns its id.
    #[allow(clippy::too_many_arguments)]
    pub async fn insert_file(
        &mut self,
        owner: Owner,
        unit: &str,
        filename: &str,
        content_type: &str,
        sha256: &str,
        data: &[u8],
        by: i64,
    ) -> Result<i64> {
        let (col, id) = owner.column();
        let sql = format!("INSERT INTO working_year_files ({col}, unit_code, filename, content_type, size_bytes, sha256, data, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id");
        let row = bind_all(
            sqlx::query(&sql),
            &[
                Arg::I(id),
                unit.into(),
                filename.into(),
                content_type.into(),
                Arg::I(data.len() as i64),
                sha256.into(),
                Arg::B(data.to_vec()),
                Arg::I(by),
                Arg::I(now_ms()),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        int_at(&row, 0)
    }
}

impl Store {
    /// The files of the given owners, oldest first.
    pub async fn files_of(&self, owners: &[Owner]) -> Result<Vec<FileInfo>> {
        let mut out = Vec::new();
        for owner in owners {
            let (col, id) = owner.column();
            let rows = bind_all(sqlx::query(&format!("{INFO} WHERE {col} = $1 ORDER BY id")), &[Arg::I(id)])
                .fetch_all(self.pool())
                .await?;
            for r in &rows {
                out.push(<FileInfo as sqlx::FromRow<_>>::from_row(r)?);
            }
        }
        Ok(out)
    }

    /// One file's description and bytes.
    pub async fn file(&self, id: i64) -> Result<(FileInfo, Vec<u8>)> {
        let row = bind_all(sqlx::query("SELECT id, directive_id, assignment_id, registration_id, event_id, unit_code, filename, content_type, size_bytes, sha256, created_at, data FROM working_year_files WHERE id = $1"), &[Arg::I(id)])
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        let info = <FileInfo as sqlx::FromRow<_>>::from_row(&row)?;
        let data: Vec<u8> = sqlx::Row::try_get(&row, "data")?;
        Ok((info, data))
    }

    /// The task an assignment belongs to.
    pub async fn assignment_task(&self, assignment: i64) -> Result<i64> {
        let row = bind_all(sqlx::query("SELECT task_id FROM task_assignments WHERE id = $1"), &[Arg::I(assignment)])
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        int_at(&row, 0)
    }
}
