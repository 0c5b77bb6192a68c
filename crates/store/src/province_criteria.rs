//! Criteria a province added to a safe-unit set for its territory and a year
//! (TT 124/2021 Điều 8 khoản 1).

use serde::Serialize;

use crate::audit::AuditEntry;
use crate::{now_ms, Result, Store};

/// A criterion a province added.
#[derive(Debug, Clone, Serialize)]
pub struct ProvinceCriterion {
    /// Id.
    pub id: i64,
    /// The province.
    pub province_code: String,
    /// Its name.
    pub province_name: String,
    /// Year.
    pub year: i64,
    /// residential_area | commune | agency | enterprise | school
    pub subject: String,
    /// Code, unique in the set it joins.
    pub code: String,
    /// Text.
    pub text: String,
    /// The province's text it comes from.
    pub source: String,
}

/// A criterion a province adds.
#[derive(Debug, Clone)]
pub struct NewProvinceCriterion {
    /// The province.
    pub province: String,
    /// Year.
    pub year: i64,
    /// Subject.
    pub subject: String,
    /// Code.
    pub code: String,
    /// Text.
    pub text: String,
    /// Source.
    pub source: String,
}

const SELECT: &str = "SELECT c.id, c.province_code, u.name, c.year, c.subject, c.code, c.text, c.source FROM province_criteria c JOIN units u ON u.code = c.province_code";

type Row = (i64, String, String, i64, String, String, String, String);

fn map((id, province_code, province_name, year, subject, code, text, source): Row) -> ProvinceCriterion {
    ProvinceCriterion { id, province_code, province_name, year, subject, code, text, source }
}

impl Store {
    /// The criteria a province added for a year and subject, in the order added.
    pub async fn province_criteria_for(
        &self,
        province: &str,
        year: i64,
        subject: &str,
    ) -> Result<Vec<ProvinceCriterion>> {
        let sql = format!("{SELECT} WHERE c.province_code = $1 AND c.year = $2 AND c.subject = $3 ORDER BY c.id");
        let rows: Vec<Row> = sqlx::query_as(&sql)
            .bind(province.to_string())
            .bind(year)
            .bind(subject.to_string())
            .fetch_all(self.pool())
            .await?;
        Ok(rows.into_iter().map(map).collect())
    }

    /// The criteria provinces added for a year (one province's when given).
    pub async fn list_province_criteria(&self, year: i64, province: Option<&str>) -> Result<Vec<ProvinceCriterion>> {
        let sql = format!("{SELECT} WHERE c.year = $1 AND ($2 = '' OR c.province_code = $2) ORDER BY c.province_code, c.subject, c.id");
        let rows: Vec<Row> =
            sqlx::query_as(&sql).bind(year).bind(province.unwrap_or("").to_string()).fetch_all(self.pool()).await?;
        Ok(rows.into_iter().map(map).collect())
    }

    /// Adds one (audited); the same code twice for a province, year and subject is
    /// [`crate::StoreError::Conflict`].
    pub async fn insert_province_criterion(&self, c: &NewProvinceCriterion, by: i64) -> Result<i64> {
        let NewProvinceCriterion { province, year, subject, code, text, source } = c;
        let year = *year;
        let mut tx = self.begin_write().await?;
        let row: (i64,) = sqlx::query_as("INSERT INTO province_criteria (province_code, year, subject, code, text, source, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id")
            .bind(province.clone())
            .bind(year)
            .bind(subject.clone())
            .bind(code.clone())
            .bind(text.clone())
            .bind(source.clone())
            .bind(by)
            .bind(now_ms())
            .fetch_one(&mut *tx.tx)
            .await
            .map_err(|e| crate::db::conflict_as(e, "province criterion"))?;
        let after = serde_json::json!({"province": province, "year": year, "subject": subject, "code": code});
        AuditEntry::new(Some(by), "province_criterion.create", "province_criterion", row.0)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(row.0)
    }
}
