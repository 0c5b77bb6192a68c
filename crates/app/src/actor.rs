//! The acting user, resolved from a session or bearer token.

use domain::{Role, Scope};
use serde::Serialize;

/// Who is acting, with what role over what scope.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    /// User id.
    pub user_id: i64,
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Scope.
    pub scope: Scope,
    /// Unit the account is attached to (or the organisation's commune).
    pub unit_code: Option<String>,
    /// Name of that unit.
    pub unit_name: Option<String>,
    /// TOTP confirmed.
    pub totp_enabled: bool,
    /// Must enrol TOTP before doing anything else.
    pub must_enrol_totp: bool,
    /// CSRF token of the session.
    #[serde(skip)]
    pub csrf_token: String,
    /// `cookie` or `bearer`.
    pub session_kind: String,
}

impl Actor {
    /// Fails unless the role may write.
    pub fn require_write(&self) -> Result<(), crate::AppError> {
        if self.role.can_write() {
            Ok(())
        } else {
            Err(crate::AppError::Forbidden("auth.read_only"))
        }
    }

    /// Whether the role may write as the police (not read-only, not an
    /// organisation's contact): what pages ask before offering a form.
    pub fn is_police_writer(&self) -> bool {
        self.role.can_write() && self.role != Role::Organisation
    }

    /// Fails unless the role may write and is the police's, not an organisation's
    /// contact (registering organisations and models, exemptions, imports).
    pub fn require_police_write(&self) -> Result<(), crate::AppError> {
        self.require_write()?;
        if !self.is_police_writer() {
            return Err(crate::AppError::Forbidden("auth.not_allowed"));
        }
        Ok(())
    }
}
