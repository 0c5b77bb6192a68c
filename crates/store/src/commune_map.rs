//! Each commune's figure for one point-map indicator, in a scope (the nation's 3,321
//! communes or a province's): one grouped query per indicator, scoped through
//! `scope_sql` like every read. Recognition comes from `statistics`.

use std::collections::HashMap;

use domain::map_indicator::{Figure, MapIndicator};
use domain::Scope;

use crate::db::{bind_all, int_at};
use crate::scope_sql::{clause, Table};
use crate::{Arg, Result, Store};

impl Store {
    /// Runs a query of (commune code, …) rows and keeps each commune's figure.
    async fn figures_by_commune(
        &self,
        sql: &str,
        args: &[Arg],
        out: &mut HashMap<String, Figure>,
        figure: impl Fn(&sqlx::any::AnyRow) -> Result<Figure>,
    ) -> Result<()> {
        for r in bind_all(sqlx::query(sql), args).fetch_all(self.pool()).await? {
            let code: String = sqlx::Row::try_get(&r, 0)?;
            out.insert(code, figure(&r)?);
        }
        Ok(())
    }

    /// Commune code → its figure for `indicator` in `year` (overdue counts as of
    /// `today`, YYYY-MM-DD). Communes without a row have no figure, except for the
    /// counts (none overdue) and the key area (not one).
    pub async fn map_figures(
        &self,
        scope: &Scope,
        indicator: MapIndicator,
        year: i64,
        today: &str,
    ) -> Result<HashMap<String, Figure>> {
        if !matches!(scope, Scope::Nation | Scope::Province(_) | Scope::Commune(_)) {
            return Ok(HashMap::new());
        }
        let mut out = HashMap::new();
        match indicator {
            MapIndicator::Recognition => {
                for (code, assessed, recognised) in self.recognition_by_commune(scope, year).await? {
                    out.insert(code, Figure::Ratio(assessed, recognised));
                }
            }
            MapIndicator::Classification => {
                let mut args = vec![Arg::I(year)];
                let c = clause(scope, Table::Assessments, &mut args);
                let sql = format!(
                    "SELECT a.commune_code, a.level FROM assessments a WHERE a.year = $1 AND a.instrument = 'movement' AND a.subject = 'commune' AND a.status IN ('approved','published') AND a.commune_code IS NOT NULL AND {c}"
                );
                self.figures_by_commune(&sql, &args, &mut out, |r| Ok(Figure::Level(sqlx::Row::try_get(r, 1)?)))
                    .await?;
            }
            MapIndicator::KeyArea => {
                // A commune is a key area when its latest decision designated it.
                let mut args = Vec::new();
                let c = clause(scope, Table::KeyAreas, &mut args);
                let sql = format!(
                    "SELECT k.unit_code, k.action FROM key_area_events k WHERE {c} AND NOT EXISTS (SELECT 1 FROM key_area_events k2 WHERE k2.unit_code = k.unit_code AND (k2.decision_date > k.decision_date OR (k2.decision_date = k.decision_date AND k2.id > k.id)))"
                );
                self.figures_by_commune(&sql, &args, &mut out, |r| {
                    let action: String = sqlx::Row::try_get(r, 1)?;
                    Ok(Figure::Flag(Some(action == "designate")))
                })
                .await?;
            }
            MapIndicator::Criterion19 => {
                let mut args = vec![Arg::I(year)];
                let c = clause(scope, Table::Criterion19, &mut args);
                let sql = format!("SELECT c.unit_code, c.met FROM criterion19 c WHERE c.year = $1 AND {c}");
                self.figures_by_commune(&sql, &args, &mut out, |r| Ok(Figure::Flag(Some(int_at(r, 1)? != 0)))).await?;
            }
            MapIndicator::CasesOverdue => {
                let mut args = vec![Arg::S(today.to_string())];
                let c = clause(scope, Table::Cases, &mut args);
                let sql = format!(
                    "SELECT cs.commune_code, CAST(COUNT(*) AS BIGINT) FROM cases cs WHERE cs.status IN ('received','accepted') AND cs.due_date < $1 AND cs.commune_code IS NOT NULL AND {c} GROUP BY cs.commune_code"
                );
                self.figures_by_commune(&sql, &args, &mut out, |r| Ok(Figure::Count(int_at(r, 1)?))).await?;
            }
            MapIndicator::NgayHoi => {
                let mut args = vec![Arg::I(year)];
                let c = clause(scope, Table::Units, &mut args);
                let sql = format!(
                    "SELECT u.commune_code, {} AND u.commune_code IS NOT NULL AND {c} GROUP BY u.commune_code",
                    crate::events::NGAY_HOI_COUNTS
                );
                self.figures_by_commune(&sql, &args, &mut out, |r| Ok(Figure::Ratio(int_at(r, 1)?, int_at(r, 2)?)))
                    .await?;
            }
            MapIndicator::Teams => {
                let mut args = Vec::new();
                let c = clause(scope, Table::Units, &mut args);
                let sql = format!(
                    "SELECT u.commune_code, CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM team_areas ta JOIN teams t ON t.id = ta.team_id WHERE ta.area_code = u.code AND t.status = 'active') THEN 1 ELSE 0 END), 0) AS BIGINT) FROM units u WHERE u.level = 'area' AND u.valid_to IS NULL AND u.commune_code IS NOT NULL AND {c} GROUP BY u.commune_code"
                );
                self.figures_by_commune(&sql, &args, &mut out, |r| Ok(Figure::Ratio(int_at(r, 1)?, int_at(r, 2)?)))
                    .await?;
            }
            MapIndicator::FundingPerArea => {
                let mut args = vec![Arg::I(year)];
                let c = clause(scope, Table::Units, &mut args);
                let sql = format!(
                    "SELECT u.commune_code, CAST(COUNT(*) AS BIGINT), CAST(COALESCE((SELECT SUM(f.spent) FROM funding f WHERE f.year = $1 AND f.commune_code = u.commune_code), 0) AS BIGINT) FROM units u WHERE u.level = 'area' AND u.valid_to IS NULL AND u.commune_code IS NOT NULL AND {c} GROUP BY u.commune_code"
                );
                self.figures_by_commune(&sql, &args, &mut out, |r| {
                    let (areas, spent) = (int_at(r, 1)?, int_at(r, 2)?);
                    Ok(Figure::Amount((areas > 0).then(|| spent / areas)))
                })
                .await?;
            }
            MapIndicator::TasksOverdue => {
                let mut args = vec![Arg::S(today.to_string())];
                let c = clause(scope, Table::TaskAssignments, &mut args);
                let sql = format!(
                    "SELECT ta.commune_code, CAST(COUNT(*) AS BIGINT) FROM task_assignments ta JOIN tasks t ON t.id = ta.task_id WHERE ta.effective_percent < 100 AND t.due < $1 AND ta.commune_code IS NOT NULL AND {c} GROUP BY ta.commune_code"
                );
                self.figures_by_commune(&sql, &args, &mut out, |r| Ok(Figure::Count(int_at(r, 1)?))).await?;
            }
        }
        Ok(out)
    }
}
