//! Staff accounts.

use domain::{Role, Scope};
use serde::Serialize;

use crate::db::{bind_all, conflict_as};
use crate::decode::Cols;
use crate::scope_sql::{clause, Table};
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// A staff account as stored (the password hash and TOTP secret never leave the store
/// except to the authentication code that needs them).
#[derive(Debug, Clone, Serialize)]
pub struct UserRecord {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Argon2id PHC string.
    #[serde(skip)]
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// Unit the account is attached to.
    pub unit_code: Option<String>,
    /// Organisation (for organisation contacts).
    pub organisation_id: Option<i64>,
    /// Province of the unit or organisation.
    pub province_code: Option<String>,
    /// Commune of the unit or organisation.
    pub commune_code: Option<String>,
    /// Base32 TOTP secret (pending or confirmed).
    #[serde(skip)]
    pub totp_secret: Option<String>,
    /// TOTP is confirmed (0/1 on the wire).
    #[serde(serialize_with = "crate::decode::as_int_flag")]
    pub totp_enabled: bool,
    /// Consecutive failed logins.
    pub failed_logins: i64,
    /// Locked until (Unix ms), 0 when not locked.
    pub locked_until: i64,
    /// Active (0/1 on the wire).
    #[serde(serialize_with = "crate::decode::as_int_flag")]
    pub active: bool,
    /// Created (Unix ms).
    pub created_at: i64,
}

pub(crate) const SELECT: &str = "SELECT s.id, s.username, s.display_name, s.password_hash, s.role, s.unit_code, s.organisation_id, s.province_code, s.commune_code, s.totp_secret, s.totp_enabled, s.failed_logins, s.locked_until, s.active, s.created_at FROM users s";

/// A new account, validated by the app layer.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Role name.
    pub role: String,
    /// Unit.
    pub unit_code: Option<String>,
    /// Organisation.
    pub organisation_id: Option<i64>,
    /// Province.
    pub province_code: Option<String>,
    /// Commune.
    pub commune_code: Option<String>,
    /// E-mail for notices (optional).
    pub email: Option<String>,
}

pub(crate) fn map(r: sqlx::any::AnyRow) -> Result<UserRecord> {
    let c = Cols::new("users", &r);
    Ok(UserRecord {
        id: c.int("id")?,
        username: c.text("username")?,
        display_name: c.text("display_name")?,
        password_hash: c.text("password_hash")?,
        role: c.parse("role", Role::parse)?,
        unit_code: c.opt_text("unit_code")?,
        organisation_id: c.opt_int("organisation_id")?,
        province_code: c.opt_text("province_code")?,
        commune_code: c.opt_text("commune_code")?,
        totp_secret: c.opt_text("totp_secret")?,
        totp_enabled: c.flag("totp_enabled")?,
        failed_logins: c.int("failed_logins")?,
        locked_until: c.int("locked_until")?,
        active: c.flag("active")?,
        created_at: c.int("created_at")?,
    })
}

impl Store {
    /// An account by login name (unscoped: authentication only).
    pub async fn user_by_username(&self, username: &str) -> Result<UserRecord> {
        let sql = format!("{SELECT} WHERE s.username = $1");
        let row = sqlx::query(&sql).bind(username.to_string()).fetch_optional(self.pool()).await?;
        map(row.ok_or(StoreError::NotFound)?)
    }

    /// An account by id (unscoped: session resolution only).
    pub async fn user_by_id(&self, id: i64) -> Result<UserRecord> {
        let sql = format!("{SELECT} WHERE s.id = $1");
        map(sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?.ok_or(StoreError::NotFound)?)
    }

    /// An account in `scope`.
    pub async fn user_in_scope(&self, scope: &Scope, id: i64) -> Result<UserRecord> {
        let mut args = vec![Arg::I(id)];
        let c = clause(scope, Table::Users, &mut args);
        let sql = format!("{SELECT} WHERE s.id = $1 AND {c}");
        map(bind_all(sqlx::query(&sql), &args).fetch_optional(self.pool()).await?.ok_or(StoreError::NotFound)?)
    }

    /// Accounts in `scope`, by login name, with the total.
    pub async fn list_users(&self, scope: &Scope, limit: i64, offset: i64) -> Result<(Vec<UserRecord>, i64)> {
        let mut args = Vec::new();
        let c = clause(scope, Table::Users, &mut args);
        let count = format!("SELECT COUNT(*) FROM users s WHERE {c}");
        let rows = format!("{SELECT} WHERE {c} ORDER BY s.username");
        self.count_and_page(&count, &rows, args, limit, offset, map).await
    }
}

impl Tx {
    /// Inserts an account; a taken username is [`StoreError::Conflict`].
    pub async fn insert_user(&mut self, u: &NewUser) -> Result<i64> {
        let now = now_ms();
        let row = bind_all(
            sqlx::query("INSERT INTO users (username, display_name, password_hash, role, unit_code, organisation_id, province_code, commune_code, created_at, password_changed_at, email) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9,$10) RETURNING id"),
            &[
                u.username.as_str().into(),
                u.display_name.as_str().into(),
                u.password_hash.as_str().into(),
                u.role.as_str().into(),
                u.unit_code.clone().into(),
                u.organisation_id.into(),
                u.province_code.clone().into(),
                u.commune_code.clone().into(),
                Arg::I(now),
                u.email.clone().into(),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| conflict_as(e, "username"))?;
        crate::db::int_at(&row, 0)
    }

    /// Sets a new password hash.
    pub async fn set_password(&mut self, id: i64, hash: &str) -> Result<()> {
        self.exec(
            "UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3",
            &[hash.into(), Arg::I(now_ms()), Arg::I(id)],
        )
        .await?;
        Ok(())
    }

    /// Stores a pending TOTP secret (not yet enabled).
    pub async fn set_totp_secret(&mut self, id: i64, secret: &str) -> Result<()> {
        self.exec(
            "UPDATE users SET totp_secret = $1, totp_enabled = 0, totp_last_step = 0 WHERE id = $2",
            &[secret.into(), Arg::I(id)],
        )
        .await?;
        Ok(())
    }

    /// Takes TOTP time-step `step` for the account if it is later than every step
    /// taken before; `false` (nothing changed) for a step already used or older.
    /// One conditional UPDATE, so two requests racing with the same code cannot
    /// both win.
    pub async fn take_totp_step(&mut self, id: i64, step: i64) -> Result<bool> {
        let n = self
            .exec(
                "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
                &[Arg::I(step), Arg::I(id)],
            )
            .await?;
        Ok(n == 1)
    }

    /// Replaces a user's recovery codes with new ones (their hashes).
    pub async fn replace_recovery_codes(&mut self, user: i64, hashes: &[String]) -> Result<()> {
        self.exec("DELETE FROM totp_recovery_codes WHERE user_id = $1", &[Arg::I(user)]).await?;
        let now = crate::now_ms();
        for h in hashes {
            self.exec(
                "INSERT INTO totp_recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)",
                &[Arg::I(user), h.as_str().into(), Arg::I(now)],
            )
            .await?;
        }
        Ok(())
    }

    /// Uses a recovery code; `false` when it was used meanwhile (a code logs in once).
    pub async fn take_recovery_code(&mut self, id: i64) -> Result<bool> {
        let n = self
            .exec(
                "UPDATE totp_recovery_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL",
                &[Arg::I(crate::now_ms()), Arg::I(id)],
            )
            .await?;
        Ok(n == 1)
    }

    /// Marks TOTP as confirmed.
    pub async fn enable_totp(&mut self, id: i64) -> Result<()> {
        self.exec("UPDATE users SET totp_enabled = 1 WHERE id = $1", &[Arg::I(id)]).await?;
        Ok(())
    }
}

impl Store {
    /// A user's unused recovery codes: (id, hash).
    pub async fn unused_recovery_codes(&self, user: i64) -> Result<Vec<(i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT id, code_hash FROM totp_recovery_codes WHERE user_id = $1 AND used_at IS NULL ORDER BY id",
        )
        .bind(user)
        .fetch_all(self.pool())
        .await?)
    }
}
