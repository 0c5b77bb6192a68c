//! Consistent online backup of a SQLite database (`VACUUM INTO`).

use crate::{Backend, Result, Store, StoreError};

impl Store {
    /// Writes a consistent copy of the SQLite database to `path` while the server
    /// may keep running. PostgreSQL deployments use `pg_dump` instead.
    pub async fn backup_to(&self, path: &str) -> Result<()> {
        if self.backend() != Backend::Sqlite {
            return Err(StoreError::Open(
                "backup --to works on SQLite; for PostgreSQL use pg_dump (see README)".into(),
            ));
        }
        if std::path::Path::new(path).exists() {
            return Err(StoreError::Open(format!("{path} already exists")));
        }
        sqlx::query("VACUUM INTO $1").bind(path.to_string()).execute(self.pool()).await?;
        Ok(())
    }
}
