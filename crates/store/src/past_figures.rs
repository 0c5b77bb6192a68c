//! Figures of the years before the 2025 reform under the units of that year
//! (`legacy_units`): stored from an import (replacing a row with the same year,
//! unit and indicator), read by the scope the old unit now lies in — the nation all,
//! a province the old units its territory took in, a commune its own predecessors.

use domain::past_figures::PastFigure;
use domain::Scope;
use serde::Serialize;

use crate::db::bind_all;
use crate::decode::Cols;
use crate::scope_sql::legacy_clause;
use crate::unit_history::Successor;
use crate::{now_ms, Arg, Result, Store, Tx};

/// A past figure with its old unit's name and what the unit went into.
#[derive(Debug, Clone, Serialize)]
pub struct PastFigureRow {
    /// Year.
    pub year: i64,
    /// province | district | commune.
    pub level: String,
    /// The old unit's code.
    pub code: String,
    /// Its name then.
    pub name: String,
    /// What it counts.
    pub indicator: String,
    /// Recognised.
    pub recognised: i64,
    /// Assessed.
    pub assessed: i64,
    /// The report it comes from.
    pub source: String,
    /// The 2025 units it went into.
    pub successors: Vec<Successor>,
}

impl Store {
    /// Which of `(level, code)` are old units, in the scope's reach.
    pub async fn legacy_units_seen(&self, scope: &Scope, keys: &[(String, String)]) -> Result<Vec<(String, String)>> {
        let mut found = Vec::new();
        for chunk in keys.chunks(400) {
            let mut args = Vec::new();
            let Some(c) = legacy_clause(scope, &mut args) else { return Ok(Vec::new()) };
            let mut pairs = Vec::with_capacity(chunk.len());
            for (level, code) in chunk {
                args.push(level.as_str().into());
                args.push(code.as_str().into());
                pairs.push(format!("(l.level = ${} AND l.code = ${})", args.len() - 1, args.len()));
            }
            let sql = format!("SELECT l.level, l.code FROM legacy_units l WHERE ({}) AND {c}", pairs.join(" OR "));
            for r in bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await? {
                found.push((sqlx::Row::try_get(&r, 0)?, sqlx::Row::try_get(&r, 1)?));
            }
        }
        Ok(found)
    }

    /// The past figures of `year` the scope sees, of `level` (and under the old
    /// unit `parent` when given), by unit name, each with its successors.
    pub async fn past_figures(
        &self,
        scope: &Scope,
        year: i64,
        level: &str,
        parent: Option<&str>,
    ) -> Result<Vec<PastFigureRow>> {
        let mut args = vec![Arg::I(year), level.into()];
        let Some(c) = legacy_clause(scope, &mut args) else { return Ok(Vec::new()) };
        let mut sql = format!(
            "SELECT f.year, f.level, f.code, l.name, f.indicator, f.recognised, f.assessed, f.source FROM past_figures f JOIN legacy_units l ON l.level = f.level AND l.code = f.code WHERE f.year = $1 AND f.level = $2 AND {c}"
        );
        if let Some(p) = parent {
            args.push(p.into());
            sql.push_str(&format!(" AND l.parent_code = ${}", args.len()));
        }
        sql.push_str(" ORDER BY l.name_fold, f.code, f.indicator");
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let c = Cols::new("past_figures", &r);
            let (level, code) = (c.text("level")?, c.text("code")?);
            out.push(PastFigureRow {
                year: c.int("year")?,
                successors: self.legacy_successors(&level, &code).await?,
                name: c.text("name")?,
                indicator: c.text("indicator")?,
                recognised: c.int("recognised")?,
                assessed: c.int("assessed")?,
                source: c.text("source")?,
                level,
                code,
            });
        }
        Ok(out)
    }
}

impl Tx {
    /// Stores checked figures, each replacing the row of the same year, unit and
    /// indicator.
    pub async fn put_past_figures(&mut self, rows: &[PastFigure], by: i64) -> Result<()> {
        let now = now_ms();
        for f in rows {
            self.exec(
                "INSERT INTO past_figures (year, level, code, indicator, recognised, assessed, source, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (year, level, code, indicator) DO UPDATE SET recognised = excluded.recognised, assessed = excluded.assessed, source = excluded.source, created_by = excluded.created_by, created_at = excluded.created_at",
                &[
                    Arg::I(f.year),
                    f.level.as_str().into(),
                    f.code.as_str().into(),
                    f.indicator.as_str().into(),
                    Arg::I(f.recognised),
                    Arg::I(f.assessed),
                    f.source.as_str().into(),
                    Arg::I(by),
                    Arg::I(now),
                ],
            )
            .await?;
        }
        Ok(())
    }
}
