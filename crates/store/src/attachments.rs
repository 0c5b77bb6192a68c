//! Evidence attachments of assessments, stored in the database with their SHA-256.

use serde::Serialize;

use crate::db::bind_all;
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// An attachment's description (without its bytes).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AttachmentInfo {
    /// Id.
    pub id: i64,
    /// Assessment.
    pub assessment_id: i64,
    /// File name as uploaded (sanitised).
    pub filename: String,
    /// Detected content type.
    pub content_type: String,
    /// Size.
    pub size_bytes: i64,
    /// SHA-256 of the bytes.
    pub sha256: String,
    /// The criterion whose answer the file supports (none: the whole assessment).
    pub criterion: Option<String>,
    /// Uploaded (Unix ms).
    pub created_at: i64,
}

/// An attachment to store (already checked and cleaned by the caller).
#[derive(Debug, Clone, Copy)]
pub struct NewAttachment<'a> {
    /// Sanitised file name.
    pub filename: &'a str,
    /// Detected content type.
    pub content_type: &'a str,
    /// SHA-256 of `data`, hex.
    pub sha256: &'a str,
    /// The bytes.
    pub data: &'a [u8],
    /// The criterion the file supports, if any.
    pub criterion: Option<&'a str>,
}

impl Store {
    /// The attachments of an assessment (the caller checked scope).
    pub async fn attachments(&self, assessment_id: i64) -> Result<Vec<AttachmentInfo>> {
        Ok(sqlx::query_as("SELECT id, assessment_id, filename, content_type, size_bytes, sha256, criterion, created_at FROM assessment_attachments WHERE assessment_id = $1 ORDER BY id")
            .bind(assessment_id)
            .fetch_all(self.pool())
            .await?)
    }

    /// One attachment's description and bytes.
    pub async fn attachment(&self, assessment_id: i64, id: i64) -> Result<(AttachmentInfo, Vec<u8>)> {
        let info: AttachmentInfo = sqlx::query_as("SELECT id, assessment_id, filename, content_type, size_bytes, sha256, criterion, created_at FROM assessment_attachments WHERE assessment_id = $1 AND id = $2")
            .bind(assessment_id)
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        let (data,): (Vec<u8>,) = sqlx::query_as("SELECT data FROM assessment_attachments WHERE id = $1")
            .bind(id)
            .fetch_one(self.pool())
            .await?;
        Ok((info, data))
    }
}

impl Tx {
    /// The number of files attached to an assessment (inside the transaction, so
    /// that a limit holds against concurrent uploads on SQLite's single writer).
    pub async fn attachment_count(&mut self, assessment_id: i64) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) FROM assessment_attachments WHERE assessment_id = $1")
            .bind(assessment_id)
            .fetch_one(&mut *self.tx)
            .await?;
        crate::db::int_at(&row, 0)
    }

    /// Stores an attachment.
    pub async fn insert_attachment(&mut self, assessment_id: i64, f: &NewAttachment<'_>, by: i64) -> Result<i64> {
        let row = bind_all(
            sqlx::query("INSERT INTO assessment_attachments (assessment_id, filename, content_type, size_bytes, sha256, data, criterion, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id"),
            &[
                Arg::I(assessment_id),
                f.filename.into(),
                f.content_type.into(),
                Arg::I(f.data.len() as i64),
                f.sha256.into(),
                Arg::B(f.data.to_vec()),
                f.criterion.map(str::to_string).into(),
                Arg::I(by),
                Arg::I(now_ms()),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        crate::db::int_at(&row, 0)
    }
}
