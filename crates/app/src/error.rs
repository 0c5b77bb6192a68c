//! Errors of the use cases. Each maps to one HTTP status and one message key in
//! the web layer (`web::error`); the full cause is logged there, once.

use domain::ValidationError;
use serde::{Deserialize, Serialize};
use store::StoreError;

/// One problem in one row of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// Row number as a spreadsheet shows it (the header is row 1).
    pub row: usize,
    /// Column name.
    pub column: String,
    /// Message key, translated at the edge.
    pub code: String,
}

/// Why a use case did not complete.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not there, or outside the caller's scope (indistinguishable on purpose).
    #[error("not found")]
    NotFound,
    /// Input failed validation.
    #[error("invalid input: {0}")]
    Validation(ValidationError),
    /// An import had bad rows; nothing was written.
    #[error("import rejected: {} bad rows", .0.len())]
    Rows(Vec<RowError>),
    /// No valid session or bad credentials.
    #[error("unauthorised: {0}")]
    Unauthorized(&'static str),
    /// Authenticated but not allowed (message key).
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// The account must enrol TOTP first.
    #[error("totp enrolment required")]
    TotpEnrolmentRequired,
    /// Too many attempts (message key, and the Unix ms until which it holds).
    #[error("throttled: {0}")]
    Throttled(&'static str, i64),
    /// Already exists (message key).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The upload is larger than allowed.
    #[error("too large")]
    TooLarge,
    /// The upload is not what was announced (message key).
    #[error("unsupported: {0}")]
    Unsupported(&'static str),
    /// A storage failure.
    #[error(transparent)]
    Store(StoreError),
    /// Anything else unexpected.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(what) => AppError::Conflict(match what {
                "username" => "user.username_taken",
                _ => "conflict",
            }),
            other => AppError::Store(other),
        }
    }
}

impl From<ValidationError> for AppError {
    fn from(e: ValidationError) -> Self {
        AppError::Validation(e)
    }
}

/// Result of a use case.
pub type AppResult<T> = Result<T, AppError>;
