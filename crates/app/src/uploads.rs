//! The gate in front of every uploaded table (organisation import, exemptions,
//! score sheets): the caller's right to the target is checked before a byte of the
//! file is parsed, and the parse runs on a blocking thread, at most
//! [`PARSES_AT_ONCE`] at a time, so a hostile file neither reaches the parser
//! without rights nor stalls the async workers that answer everyone else. And the
//! check of an attached file (assessment evidence, a working-year file), once its
//! target's rights are checked: [`checked_file`].

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::error::AppResult;
use crate::import::Table;
use crate::{Actor, App, AppError};

/// An attached file as checked: its type told from its bytes, its metadata
/// stripped, a safe file name and its SHA-256.
pub(crate) struct CheckedFile {
    /// Content type, from the bytes.
    pub content_type: &'static str,
    /// The bytes without metadata.
    pub bytes: Vec<u8>,
    /// The file name, made safe.
    pub name: String,
    /// SHA-256 of `bytes`, hex.
    pub sha256: String,
}

/// Checks an attached file: at most `MAX_EVIDENCE_BYTES` (413), a type told from
/// its bytes that the declared type (when given) agrees with (415), and its
/// metadata stripped on a blocking thread (415 when it cannot be read).
pub(crate) async fn checked_file(filename: &str, declared_type: &str, bytes: &[u8]) -> AppResult<CheckedFile> {
    if bytes.len() > domain::files::MAX_EVIDENCE_BYTES {
        return Err(AppError::TooLarge);
    }
    let detected = domain::files::sniff(bytes).ok_or(AppError::Unsupported("evidence.type"))?;
    let declared = declared_type.split(';').next().unwrap_or("").trim();
    if !declared.is_empty() && declared != "application/octet-stream" && declared != detected {
        return Err(AppError::Unsupported("evidence.type"));
    }
    let owned = bytes.to_vec();
    let clean = tokio::task::spawn_blocking(move || domain::files::strip_metadata(detected, &owned))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .ok_or(AppError::Unsupported("case.file_corrupt"))?;
    let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&clean));
    Ok(CheckedFile { content_type: detected, bytes: clean, name: domain::files::safe_filename(filename), sha256 })
}

/// Most uploads parsed at the same time (each is bounded in memory, see
/// [`crate::spreadsheet`]); others wait their turn.
pub const PARSES_AT_ONCE: usize = 2;

/// What an uploaded table is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadTarget {
    /// The organisation register (import).
    Organisations,
    /// Exemptions of organisations from the safe-unit standard.
    Exemptions,
    /// The score sheet of one draft assessment.
    ScoreSheet(i64),
    /// Figures of the years before 2025 (the ministry's).
    PastFigures,
    /// Funding lines of the units in scope (the police).
    Funding,
}

/// Format of an uploaded table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// CSV text.
    Csv,
    /// XLSX workbook.
    Xlsx,
}

/// The parse queue (shared by the clones of one [`App`]).
#[derive(Debug)]
pub(crate) struct ParseQueue(Arc<Semaphore>);

impl Default for ParseQueue {
    fn default() -> Self {
        ParseQueue(Arc::new(Semaphore::new(PARSES_AT_ONCE)))
    }
}

impl App {
    /// Whether `actor` may upload a table for `target` (404 for a record outside
    /// the scope, 403 for a role that may not, 409 for an assessment no longer a draft).
    pub async fn may_upload(&self, actor: &Actor, target: UploadTarget) -> AppResult<()> {
        match target {
            UploadTarget::Organisations | UploadTarget::Exemptions | UploadTarget::Funding => {
                actor.require_police_write()
            }
            UploadTarget::ScoreSheet(id) => self.draft_to_answer(actor, id).await.map(|_| ()),
            UploadTarget::PastFigures => {
                actor.require_write()?;
                match actor.role {
                    domain::Role::Ministry | domain::Role::Admin => Ok(()),
                    _ => Err(AppError::Forbidden("auth.not_allowed")),
                }
            }
        }
    }

    /// Checks the right to the target, then parses the upload on a blocking thread.
    pub async fn read_table(
        &self,
        actor: &Actor,
        target: UploadTarget,
        format: Option<TableFormat>,
        bytes: bytes::Bytes,
    ) -> AppResult<Table> {
        self.may_upload(actor, target).await?;
        let format = format.ok_or(AppError::Unsupported("import.unsupported_type"))?;
        self.parse_table(format, bytes).await
    }

    /// Parses an upload whose rights were checked, on a blocking thread and in
    /// turn with the other parses.
    pub(crate) async fn parse_table(&self, format: TableFormat, bytes: bytes::Bytes) -> AppResult<Table> {
        let _turn = self.parses.0.clone().acquire_owned().await.map_err(|e| AppError::Internal(e.to_string()))?;
        tokio::task::spawn_blocking(move || match format {
            TableFormat::Csv => Table::from_csv(&bytes),
            // XLSX with bounded memory (see `crate::spreadsheet`).
            TableFormat::Xlsx => crate::spreadsheet::read_xlsx(&bytes),
        })
        .await
        .map_err(|e| AppError::Internal(format!("upload parser stopped: {e}")))?
    }
}
