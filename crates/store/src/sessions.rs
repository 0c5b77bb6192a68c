//! Sessions and API tokens: only a SHA-256 of each token is stored.

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

impl Store {
    /// A live session by token hash.
    pub async fn session(&self, token_hash: &str) -> Result<SessionRecord> {
        sqlx::query_as(
            "SELECT user_id, kind, csrf_token, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash.to_string())
        .bind(now_ms())
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)
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
