//! Staff account use cases.

use domain::{Role, Scope, ValidationError};
use store::audit::AuditEntry;
use store::users::{NewUser, UserRecord};
use store::StoreError;

use crate::auth::{hash_password, validate_new_password};
use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// What is needed to create an account.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NewUserInput {
    /// Login name: 2–64 of a–z, 0–9, `.`, `_`, `-`.
    pub username: String,
    /// Display name (defaults to the login name).
    #[serde(default)]
    pub display_name: Option<String>,
    /// Initial password.
    pub password: String,
    /// Role name.
    pub role: String,
    /// Unit code (all roles but organisation).
    #[serde(default)]
    pub unit_code: Option<String>,
    /// Organisation id (organisation role).
    #[serde(default)]
    pub organisation_id: Option<i64>,
    /// E-mail for notices (optional).
    #[serde(default)]
    pub email: Option<String>,
}

/// A page of accounts.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UserPage {
    /// Accounts on this page.
    pub items: Vec<UserRecord>,
    /// Accounts in all.
    pub total: i64,
}

fn valid_username(u: &str) -> bool {
    (2..=64).contains(&u.len())
        && u.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
}

impl App {
    /// Accounts in the actor's scope.
    pub async fn list_users(&self, actor: &Actor, limit: i64, offset: i64) -> AppResult<UserPage> {
        let (items, total) = self.store.list_users(&actor.scope, limit, offset).await?;
        Ok(UserPage { items, total })
    }

    /// Creates an account. `actor` is `None` only for the command line (the
    /// operator of the machine), which may create any account.
    pub async fn create_user(&self, actor: Option<&Actor>, input: &NewUserInput) -> AppResult<UserRecord> {
        let mut err = ValidationError::default();
        let username = input.username.trim().to_lowercase();
        if !valid_username(&username) {
            err.push("username", "user.username_invalid");
        }
        let email = input.email.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(str::to_string);
        if email.as_deref().is_some_and(|e| e.parse::<lettre::Address>().is_err()) {
            err.push("email", "user.email_invalid");
        }
        if let Err(e) = validate_new_password(&input.password) {
            err.errors.extend(e.errors);
        }
        let role = Role::parse(input.role.trim());
        if role.is_none() {
            err.push("role", "user.role_unknown");
        }
        err.into_result()?;
        let Some(role) = role else {
            return Err(AppError::Internal("role".into()));
        };
        if let Some(a) = actor {
            if !a.role.may_grant(role) {
                return Err(AppError::Forbidden("user.role_above_own"));
            }
        }
        let (unit_code, organisation_id, province_code, commune_code) = if role == Role::Organisation {
            let Some(org_id) = input.organisation_id else {
                return Err(ValidationError::one("organisation_id", "user.organisation_missing").into());
            };
            let scope = actor.map(|a| a.scope.clone()).unwrap_or(Scope::Nation);
            let org = match self.store.organisation(&scope, org_id).await {
                Ok(o) => o,
                Err(StoreError::NotFound) => {
                    return Err(ValidationError::one("organisation_id", "user.organisation_unknown").into())
                }
                Err(e) => return Err(e.into()),
            };
            (None, Some(org.id), Some(org.province_code), Some(org.unit_code))
        } else {
            let code = input.unit_code.as_deref().map(str::trim).unwrap_or("");
            let unit = match self.store.unit(code).await {
                Ok(u) => u,
                Err(StoreError::NotFound) => return Err(ValidationError::one("unit_code", "user.unit_unknown").into()),
                Err(e) => return Err(e.into()),
            };
            if let Some(a) = actor {
                if !a.scope.contains(&unit.place()) {
                    return Err(ValidationError::one("unit_code", "user.unit_unknown").into());
                }
            }
            if let Some(level) = role.unit_level() {
                if unit.level != level {
                    return Err(ValidationError::one("unit_code", "user.unit_level_mismatch").into());
                }
            }
            (Some(unit.code), None, unit.province_code, unit.commune_code)
        };
        let hash = hash_password(&input.password)?;
        let display =
            input.display_name.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or(&username).to_string();
        let new = NewUser {
            username: username.clone(),
            display_name: display,
            password_hash: hash,
            role: role.as_str().to_string(),
            unit_code,
            organisation_id,
            province_code,
            commune_code,
            email,
        };
        let mut tx = self.store.begin_write().await?;
        let id = tx.insert_user(&new).await?;
        let after = serde_json::json!({"username": new.username, "role": new.role, "unit_code": new.unit_code, "organisation_id": new.organisation_id});
        AuditEntry::new(actor.map(|a| a.user_id), "user.create", "user", id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(self.store.user_by_id(id).await?)
    }
}

impl App {
    /// Audit entries of actors in the actor's scope (all of them for the nation), newest first.
    pub async fn list_audit(
        &self,
        actor: &Actor,
        limit: i64,
        offset: i64,
    ) -> AppResult<(Vec<store::audit::AuditRow>, i64)> {
        Ok(self.store.list_audit(&actor.scope, limit, offset).await?)
    }
}
