//! Funding of the movement and the forces: a unit's budget and spending of a year
//! by category and source; the totals of a scope.

use domain::Scope;
use serde::Serialize;

use crate::db::{bind_all, int_at};
use crate::decode::Cols;
use crate::scope_sql::{clause, Table};
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// A funding line.
#[derive(Debug, Clone, Serialize)]
pub struct FundingLine {
    /// Id.
    pub id: i64,
    /// Unit.
    pub unit_code: String,
    /// Year.
    pub year: i64,
    /// Category.
    pub category: String,
    /// Source.
    pub source: String,
    /// Budget (đồng).
    pub budget: i64,
    /// Spent (đồng).
    pub spent: i64,
}

/// A new line (checked by the app).
#[derive(Debug, Clone)]
pub struct NewFunding {
    /// Unit, commune, province.
    pub place: (String, Option<String>, String),
    /// Year.
    pub year: i64,
    /// Category.
    pub category: String,
    /// Source.
    pub source: String,
    /// Budget.
    pub budget: i64,
    /// Spent.
    pub spent: i64,
}

impl Store {
    /// A year's lines in scope.
    pub async fn list_funding(&self, scope: &Scope, year: i64) -> Result<Vec<FundingLine>> {
        let mut args = vec![Arg::I(year)];
        let c = clause(scope, Table::Funding, &mut args);
        let sql = format!("SELECT fu.id, fu.unit_code, fu.year, fu.category, fu.source, fu.budget, fu.spent FROM funding fu WHERE fu.year = $1 AND {c} ORDER BY fu.unit_code, fu.category, fu.source LIMIT 1000");
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new("funding", r);
                Ok(FundingLine {
                    id: c.int("id")?,
                    unit_code: c.text("unit_code")?,
                    year: c.int("year")?,
                    category: c.text("category")?,
                    source: c.text("source")?,
                    budget: c.int("budget")?,
                    spent: c.int("spent")?,
                })
            })
            .collect()
    }

    /// A year's totals in scope by category: (category, budget, spent).
    pub async fn funding_totals(&self, scope: &Scope, year: i64) -> Result<Vec<(String, i64, i64)>> {
        let mut args = vec![Arg::I(year)];
        let c = clause(scope, Table::Funding, &mut args);
        let sql = format!("SELECT fu.category, CAST(SUM(fu.budget) AS BIGINT), CAST(SUM(fu.spent) AS BIGINT) FROM funding fu WHERE fu.year = $1 AND {c} GROUP BY fu.category ORDER BY fu.category");
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok((Cols::new("funding", r).text("category")?, int_at(r, 1)?, int_at(r, 2)?))).collect()
    }
}

impl Tx {
    /// Stores a line; `Conflict` when the unit has one of the same year, category
    /// and source.
    pub async fn insert_funding(&mut self, f: &NewFunding, by: i64) -> Result<i64> {
        let r = bind_all(
            sqlx::query("INSERT INTO funding (unit_code, commune_code, province_code, year, category, source, budget, spent, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (unit_code, year, category, source) DO NOTHING RETURNING id"),
            &[
                f.place.0.as_str().into(),
                f.place.1.clone().into(),
                f.place.2.as_str().into(),
                Arg::I(f.year),
                f.category.as_str().into(),
                f.source.as_str().into(),
                Arg::I(f.budget),
                Arg::I(f.spent),
                Arg::I(by),
                Arg::I(now_ms()),
            ],
        )
        .fetch_optional(&mut *self.tx)
        .await?;
        r.map(|r| int_at(&r, 0)).transpose()?.ok_or(StoreError::Conflict("funding_line"))
    }
}
