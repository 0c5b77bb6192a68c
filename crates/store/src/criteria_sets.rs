//! Stored criteria sets (the data of `data/criteria/`, plus versions the ministry adds).

use domain::criteria::CriteriaSet;

use crate::audit::AuditEntry;
use crate::{now_ms, Arg, Result, Store, StoreError};

/// A stored set with its id.
#[derive(Debug, Clone)]
pub struct StoredSet {
    /// Id (assessments keep it).
    pub id: i64,
    /// The set.
    pub set: CriteriaSet,
}

fn decode(id: i64, body: &str) -> Result<StoredSet> {
    let set = serde_json::from_str(body).map_err(|_| crate::decode::bad("criteria_sets", "body_json", body))?;
    Ok(StoredSet { id, set })
}

impl Store {
    /// Inserts a set unless the same (instrument, subject, version) exists; returns its
    /// id. The same version with a different content is a conflict: a version, once
    /// stored, never changes (past assessments keep it).
    pub async fn upsert_criteria_set(&self, set: &CriteriaSet, created_by: Option<i64>) -> Result<i64> {
        let existing: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, body_json FROM criteria_sets WHERE instrument = $1 AND subject = $2 AND version = $3",
        )
        .bind(set.instrument.as_str().to_string())
        .bind(set.subject.as_str().to_string())
        .bind(set.version.clone())
        .fetch_optional(self.pool())
        .await?;
        if let Some((id, body)) = existing {
            return if decode(id, &body)?.set == *set {
                Ok(id)
            } else {
                Err(StoreError::Conflict("criteria_set_version"))
            };
        }
        let body = serde_json::to_string(set).map_err(|e| StoreError::Db(sqlx::Error::Encode(Box::new(e))))?;
        let mut tx = self.begin_write().await?;
        let row = crate::db::bind_all(
            sqlx::query("INSERT INTO criteria_sets (instrument, subject, version, effective_from_year, source, verified, body_json, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id"),
            &[
                set.instrument.as_str().into(),
                set.subject.as_str().into(),
                set.version.as_str().into(),
                Arg::I(i64::from(set.effective_from_year)),
                set.source.as_str().into(),
                Arg::I(i64::from(set.verified)),
                body.as_str().into(),
                created_by.into(),
                Arg::I(now_ms()),
            ],
        )
        .fetch_one(&mut *tx.tx)
        .await?;
        let id = crate::db::int_at(&row, 0)?;
        let after = serde_json::json!({"instrument": set.instrument, "subject": set.subject, "version": set.version});
        AuditEntry::new(created_by, "criteria_set.create", "criteria_set", id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every stored set by instrument and subject, newest first (latest effective
    /// year, then latest added).
    pub async fn criteria_sets(&self) -> Result<Vec<StoredSet>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, body_json FROM criteria_sets ORDER BY instrument, subject, effective_from_year DESC, id DESC",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|(id, body)| decode(*id, body)).collect()
    }

    /// One stored set.
    pub async fn criteria_set(&self, id: i64) -> Result<StoredSet> {
        let (id, body): (i64, String) = sqlx::query_as("SELECT id, body_json FROM criteria_sets WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        decode(id, &body)
    }
}
