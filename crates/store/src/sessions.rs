//! Sessions and API tokens: only a SHA-256 of each token is stored.

use std::sync::LazyLock;

use crate::users::UserRecord;
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// A live session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRecord {
    /// The user.
    pub user_id: i64,
    /// `cookie` or `bearer`.
    pub kind: String,
    /// CSRF token bound to the session (cookie sessions).
    pub csrf_token: String,
    /// Expiry (Unix ms).
    pub expires_at: i64,
}

/// A live session and its user, read together.
#[derive(Debug, Clone)]
pub struct SessionUser {
    /// The session.
    pub session: SessionRecord,
    /// Its user.
    pub user: UserRecord,
}

/// The session-and-user JOIN, built once from the users' column list.
static SESSION_USER: LazyLock<String> = LazyLock::new(|| {
    let users = crate::users::SELECT.trim_start_matches("SELECT ");
    let (columns, _) = users.split_once(" FROM ").unwrap_or((users, ""));
    format!(
        "SELECT x.user_id, x.kind, x.csrf_token, x.expires_at, {columns} FROM sessions x JOIN users s ON s.id = x.user_id WHERE x.token_hash = $1 AND x.expires_at > $2"
    )
});

impl Store {
    /// A live session and its user in one read: every authenticated request starts
    /// here, so a revoked session or a deactivated user shows on the next request.
    pub async fn session_user(&self, token_hash: &str) -> Result<SessionUser> {
        let row = sqlx::query(SESSION_USER.as_str())
            .bind(token_hash.to_string())
            .bind(now_ms())
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        let session = <SessionRecord as sqlx::FromRow<_>>::from_row(&row)?;
        Ok(SessionUser { session, user: crate::users::map(row)? })
    }
}

impl Tx {
    /// Stores a new session.
    pub async fn insert_session(
        &mut self,
        token_hash: &str,
        user_id: i64,
        kind: &str,
        csrf: &str,
        ttl_ms: i64,
    ) -> Result<()> {
        let now = now_ms();
        self.exec(
            "INSERT INTO sessions (token_hash, user_id, kind, csrf_token, created_at, expires_at) VALUES ($1,$2,$3,$4,$5,$6)",
            &[token_hash.into(), Arg::I(user_id), kind.into(), csrf.into(), Arg::I(now), Arg::I(now + ttl_ms)],
        )
        .await?;
        Ok(())
    }

    /// Ends one session.
    pub async fn delete_session(&mut self, token_hash: &str) -> Result<u64> {
        self.exec("DELETE FROM sessions WHERE token_hash = $1", &[token_hash.into()]).await
    }

    /// Ends every session of a user ("log out everywhere"); returns how many.
    pub async fn delete_user_sessions(&mut self, user_id: i64) -> Result<u64> {
        self.exec("DELETE FROM sessions WHERE user_id = $1", &[Arg::I(user_id)]).await
    }
}
