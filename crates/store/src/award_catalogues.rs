//! The award catalogue's versions as the ministry edits them: one per year, the
//! body a JSON list of award types (checked by the domain before it is stored).

use crate::db::{bind_all, int_at};
use crate::decode::Cols;
use crate::{now_ms, Arg, Result, Store, Tx};

impl Store {
    /// The version in force for `year`: (its year, its body), the latest not after
    /// `year`; `None` before the first (the shipped catalogue applies).
    pub async fn award_catalogue(&self, year: i64) -> Result<Option<(i64, String)>> {
        let r = sqlx::query("SELECT year, body FROM award_catalogues WHERE year <= $1 ORDER BY year DESC LIMIT 1")
            .bind(year)
            .fetch_optional(self.pool())
            .await?;
        r.map(|r| {
            let c = Cols::new("award_catalogues", &r);
            Ok((c.int("year")?, c.text("body")?))
        })
        .transpose()
    }

    /// The years that have a version of their own, oldest first.
    pub async fn award_catalogue_years(&self) -> Result<Vec<i64>> {
        let rows = sqlx::query("SELECT year FROM award_catalogues ORDER BY year").fetch_all(self.pool()).await?;
        rows.iter().map(|r| int_at(r, 0)).collect()
    }

    /// The award types nominations of `year` or later use (a new version must keep them).
    pub async fn award_types_used_from(&self, year: i64) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT DISTINCT award_type FROM nominations WHERE year >= $1 ORDER BY award_type")
            .bind(year)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Cols::new("nominations", r).text("award_type")).collect()
    }
}

impl Tx {
    /// Stores the version of `year` (replacing one of the same year).
    pub async fn put_award_catalogue(&mut self, year: i64, body: &str, by: i64) -> Result<()> {
        let sql = "INSERT INTO award_catalogues (year, body, created_by, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (year) DO UPDATE SET body = excluded.body, created_by = excluded.created_by, created_at = excluded.created_at";
        bind_all(sqlx::query(sql), &[Arg::I(year), body.into(), Arg::I(by), Arg::I(now_ms())])
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}
