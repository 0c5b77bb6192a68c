//! Figures of the years before the 2025 reform, under the units of that year: the
//! ministry (or an administrator) imports them from earlier reports — all rows or
//! none, each wrong row named — and every officer reads those of the old units
//! their territory took in.

use domain::past_figures::{check_row, PastFigure};
use store::audit::AuditEntry;
use store::past_figures::PastFigureRow;

use crate::error::AppResult;
use crate::import::Table;
use crate::{Actor, App, AppError, RowError};

/// Columns of a past-figures table.
pub const COLUMNS: [&str; 7] = ["year", "level", "code", "indicator", "recognised", "assessed", "source"];

/// Most rows of one file.
pub const MAX_ROWS: usize = 20_000;

impl App {
    /// Imports past figures from a table (CSV or XLSX), all or nothing.
    pub async fn import_past_figures(&self, actor: &Actor, table: &Table) -> AppResult<usize> {
        actor.require_write()?;
        if !matches!(actor.role, domain::Role::Ministry | domain::Role::Admin) {
            return Err(AppError::Forbidden("auth.not_allowed"));
        }
        let cols: Vec<Option<usize>> = COLUMNS.iter().map(|c| table.column(c)).collect();
        let missing: Vec<RowError> = COLUMNS
            .iter()
            .zip(&cols)
            .filter(|(_, i)| i.is_none())
            .map(|(c, _)| RowError { row: 1, column: (*c).into(), code: "import.column_missing".into() })
            .collect();
        if !missing.is_empty() {
            return Err(AppError::Rows(missing));
        }
        if table.len() > MAX_ROWS {
            return Err(AppError::Rows(vec![RowError {
                row: 1,
                column: String::new(),
                code: "import.too_many_rows".into(),
            }]));
        }
        let mut errors = Vec::new();
        let mut rows: Vec<(usize, PastFigure)> = Vec::new();
        for (i, r) in table.rows().enumerate() {
            let row = i + 2;
            let get = |k: usize| cols[k].and_then(|c| r.get(c)).unwrap_or("");
            match check_row(get(0), get(1), get(2), get(3), get(4), get(5), get(6)) {
                Ok(f) => rows.push((row, f)),
                Err(errs) => errors.extend(errs.into_iter().map(|(column, code)| RowError {
                    row,
                    column: column.into(),
                    code: code.into(),
                })),
            }
        }
        // Every unit must be one of the old units (codes of 2024, not of today).
        let keys: Vec<(String, String)> = rows.iter().map(|(_, f)| (f.level.clone(), f.code.clone())).collect();
        let known: std::collections::HashSet<(String, String)> =
            self.store.legacy_units_seen(&actor.scope, &keys).await?.into_iter().collect();
        for (row, f) in &rows {
            if !known.contains(&(f.level.clone(), f.code.clone())) {
                errors.push(RowError { row: *row, column: "code".into(), code: "past.unit_unknown".into() });
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.row);
            return Err(AppError::Rows(errors));
        }
        let figures: Vec<PastFigure> = rows.into_iter().map(|(_, f)| f).collect();
        let mut tx = self.store.begin_write().await?;
        tx.put_past_figures(&figures, actor.user_id).await?;
        let years: std::collections::BTreeSet<i64> = figures.iter().map(|f| f.year).collect();
        AuditEntry::new(Some(actor.user_id), "past_figures.import", "past_figures", "*")
            .after(&serde_json::json!({"rows": figures.len(), "years": years}))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(figures.len())
    }

    /// The past figures of a year the actor sees, of a level, under an old unit.
    pub async fn past_figures(
        &self,
        actor: &Actor,
        year: i64,
        level: &str,
        parent: Option<&str>,
    ) -> AppResult<Vec<PastFigureRow>> {
        Ok(self.store.past_figures(&actor.scope, year, level, parent).await?)
    }
}
