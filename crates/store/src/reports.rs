//! Periodic reports and the figures they are filled with: one report per unit,
//! template and period, seen by its unit's scope (so the levels above see it), and
//! the working-year and case counts of a scope over a period (the movement figures
//! come from `Store::movement_stats`).

use domain::report::{ReportStatus, Section, Template};
use domain::unit::UnitPlace;
use domain::Scope;
use serde::Serialize;

use crate::db::{bind_all, int_at};
use crate::decode::Cols;
use crate::scope_sql::{clause, Table};
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// A report as stored.
#[derive(Debug, Clone, Serialize)]
pub struct ReportRecord {
    /// Id.
    pub id: i64,
    /// The reporting unit.
    pub unit_code: String,
    /// Its name.
    pub unit_name: String,
    /// month | quarter | half_year | year | five_year.
    pub template: Template,
    /// Period code.
    pub period: String,
    /// The directive a five-year review reviews.
    pub directive_id: Option<i64>,
    /// draft | submitted | returned | accepted.
    pub status: ReportStatus,
    /// Figures.
    #[serde(skip)]
    pub figures: serde_json::Value,
    /// Text sections.
    #[serde(skip)]
    pub sections: Vec<Section>,
    /// Why it was returned.
    pub return_reason: Option<String>,
    /// When it was submitted (Unix ms).
    pub submitted_at: Option<i64>,
    /// Created (Unix ms).
    pub created_at: i64,
}

fn report_row(r: &sqlx::any::AnyRow) -> Result<ReportRecord> {
    let c = Cols::new("reports", r);
    Ok(ReportRecord {
        id: c.int("id")?,
        unit_code: c.text("unit_code")?,
        unit_name: c.text("unit_name")?,
        template: c.parse("template", Template::parse)?,
        period: c.text("period")?,
        directive_id: c.opt_int("directive_id")?,
        status: c.parse("status", ReportStatus::parse)?,
        figures: c.json("figures_json")?,
        sections: c.json("sections_json")?,
        return_reason: c.opt_text("return_reason")?,
        submitted_at: c.opt_int("submitted_at")?,
        created_at: c.int("created_at")?,
    })
}

const SELECT: &str = "SELECT r.id, r.unit_code, u.name AS unit_name, r.template, r.period, r.directive_id, r.status, r.figures_json, r.sections_json, r.return_reason, r.submitted_at, r.created_at FROM reports r JOIN units u ON u.code = r.unit_code";

/// A report's key and status, without its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLine {
    /// Id.
    pub id: i64,
    /// Template.
    pub template: Template,
    /// Period code.
    pub period: String,
    /// Status.
    pub status: ReportStatus,
}

/// Counts of the working year and of citizens' cases in a scope over a period.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct WorkFigures {
    /// Assignments of tasks due in the period, to units in scope.
    pub tasks_assigned: i64,
    /// Of them done.
    pub tasks_done: i64,
    /// Of them past due and not done (at the time of drafting).
    pub tasks_overdue: i64,
    /// Plans owed in scope, for directives asking them by a date in the period.
    pub plans_expected: i64,
    /// Of them recorded.
    pub plans_issued: i64,
    /// Inspections by units in scope starting in the period.
    pub inspections: i64,
    /// Findings on units in scope of inspections starting in the period.
    pub findings: i64,
    /// Of them with the follow-up not done.
    pub findings_open: i64,
    /// Citizens' cases received in the period in scope, per kind: (kind, received,
    /// closed on time, still open past the deadline).
    pub cases: Vec<(String, i64, i64, i64)>,
}

impl Tx {
    /// Drafts a report (of a directive for a five-year review); `Conflict` when the
    /// unit has one for that period (and directive).
    #[allow(clippy::too_many_arguments)]
    pub async fn insert_report(
        &mut self,
        unit: &UnitPlace,
        template: &str,
        period: &str,
        directive: Option<i64>,
        figures: &str,
        sections: &str,
        by: i64,
    ) -> Result<i64> {
        let now = now_ms();
        let row = bind_all(
            sqlx::query("INSERT INTO reports (unit_code, province_code, commune_code, template, period, directive_id, status, figures_json, sections_json, created_by, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$10,'draft',$6,$7,$8,$9,$9) RETURNING id"),
            &[
                unit.code.as_str().into(), unit.province_code.clone().into(), unit.commune_code.clone().into(),
                template.into(), period.into(), figures.into(), sections.into(), Arg::I(by), Arg::I(now),
                directive.into(),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| crate::db::conflict_as(e, "report"))?;
        int_at(&row, 0)
    }

    /// Moves a report from `from` to `to` status (with the sections or a return
    /// reason); `Conflict` when it was no longer in `from` (a concurrent act).
    pub async fn set_report(
        &mut self,
        id: i64,
        from: &str,
        to: &str,
        sections: Option<&str>,
        reason: Option<&str>,
    ) -> Result<()> {
        let now = now_ms();
        let submitted = (to == "submitted").then_some(now);
        let n = self
            .exec(
                "UPDATE reports SET status = $1, sections_json = COALESCE($2, sections_json), return_reason = CASE WHEN $1 = 'returned' THEN $3 ELSE return_reason END, submitted_at = COALESCE($4, submitted_at), updated_at = $5 WHERE id = $6 AND status = $7",
                &[to.into(), sections.map(str::to_string).into(), reason.map(str::to_string).into(), submitted.into(), Arg::I(now), Arg::I(id), from.into()],
            )
            .await?;
        if n == 0 {
            return Err(StoreError::Conflict("report"));
        }
        Ok(())
    }
}

impl Store {
    /// A report in the caller's scope.
    pub async fn report(&self, scope: &Scope, id: i64) -> Result<ReportRecord> {
        let mut args = vec![Arg::I(id)];
        let c = clause(scope, Table::Reports, &mut args);
        let sql = format!("{SELECT} WHERE r.id = $1 AND {c}");
        let row = bind_all(sqlx::query(&sql), &args).fetch_optional(self.pool()).await?;
        row.map(|r| report_row(&r)).transpose()?.ok_or(StoreError::NotFound)
    }

    /// The reports of a template and period (and directive, for a five-year review)
    /// by the given units (the units one level below a compiling unit), by unit code.
    pub async fn reports_of(
        &self,
        units: &[String],
        template: &str,
        period: &str,
        directive: Option<i64>,
    ) -> Result<Vec<ReportRecord>> {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let mut args: Vec<Arg> = vec![template.into(), period.into(), Arg::I(directive.unwrap_or(0))];
        let marks: Vec<String> = units
            .iter()
            .map(|u| {
                args.push(u.as_str().into());
                format!("${}", args.len())
            })
            .collect();
        let sql = format!(
            "{SELECT} WHERE r.template = $1 AND r.period = $2 AND COALESCE(r.directive_id, 0) = $3 AND r.unit_code IN ({}) ORDER BY r.unit_code",
            marks.join(",")
        );
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.iter().map(report_row).collect()
    }

    /// A unit's reports, newest first.
    pub async fn unit_reports(&self, unit: &str) -> Result<Vec<ReportRecord>> {
        let sql = format!("{SELECT} WHERE r.unit_code = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT 100");
        let rows = bind_all(sqlx::query(&sql), &[unit.into()]).fetch_all(self.pool()).await?;
        rows.iter().map(report_row).collect()
    }

    /// Periods in which units right below `unit` (the communes of a province, the
    /// provinces of the nation) submitted reports while `unit` has none yet: what
    /// waits to be compiled, as (template, period, reports submitted).
    pub async fn reports_to_compile(&self, unit: &str, nation: bool) -> Result<Vec<(Template, String, i64)>> {
        let below = if nation {
            "r.commune_code IS NULL AND r.unit_code = r.province_code"
        } else {
            "r.province_code = $1 AND r.commune_code IS NOT NULL AND r.unit_code = r.commune_code"
        };
        let sql = format!("SELECT r.template, r.period, CAST(COUNT(*) AS BIGINT) FROM reports r WHERE {below} AND r.status IN ('submitted','accepted') AND NOT EXISTS (SELECT 1 FROM reports o WHERE o.unit_code = $1 AND o.template = r.template AND o.period = r.period AND COALESCE(o.directive_id, 0) = COALESCE(r.directive_id, 0)) AND r.template <> 'five_year' GROUP BY r.template, r.period ORDER BY r.period LIMIT 50");
        let rows = bind_all(sqlx::query(&sql), &[unit.into()]).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new("reports", r);
                Ok((c.parse("template", Template::parse)?, c.text("period")?, int_at(r, 2)?))
            })
            .collect()
    }

    /// Reports of a unit still to be submitted (draft or returned), oldest first.
    pub async fn reports_to_submit(&self, unit: &str) -> Result<Vec<ReportRecord>> {
        let sql = format!(
            "{SELECT} WHERE r.unit_code = $1 AND r.status IN ('draft','returned') ORDER BY r.created_at LIMIT 50"
        );
        let rows = bind_all(sqlx::query(&sql), &[unit.into()]).fetch_all(self.pool()).await?;
        rows.iter().map(report_row).collect()
    }

    /// The regular reports (not reviews) of `unit` for the given (template, period
    /// code) pairs, whatever their status.
    pub async fn reported_periods(&self, unit: &str, periods: &[(Template, String)]) -> Result<Vec<ReportLine>> {
        if periods.is_empty() {
            return Ok(Vec::new());
        }
        let mut args: Vec<Arg> = vec![unit.into()];
        let marks: Vec<String> = periods
            .iter()
            .map(|(t, p)| {
                args.push(format!("{}:{p}", t.as_str()).into());
                format!("${}", args.len())
            })
            .collect();
        let sql = format!(
            "SELECT r.id, r.template, r.period, r.status FROM reports r WHERE r.unit_code = $1 AND r.directive_id IS NULL AND r.template || ':' || r.period IN ({})",
            marks.join(",")
        );
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new("reports", r);
                Ok(ReportLine {
                    id: c.int("id")?,
                    template: c.parse("template", Template::parse)?,
                    period: c.text("period")?,
                    status: c.parse("status", ReportStatus::parse)?,
                })
            })
            .collect()
    }

    /// The police units (provinces and communes with an active writing officer)
    /// that have not sent a report of `template` for `period`: whom a reminder goes to.
    pub async fn units_without_report(&self, template: &str, period: &str) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT s.unit_code FROM users s JOIN units u ON u.code = s.unit_code \
             WHERE s.active = 1 AND s.role IN ('province','commune') AND u.level IN ('province','commune') \
             AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.unit_code = s.unit_code AND r.template = $1 \
             AND r.period = $2 AND r.directive_id IS NULL AND r.status IN ('submitted','accepted')) \
             ORDER BY s.unit_code",
        )
        .bind(template.to_string())
        .bind(period.to_string())
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// The working-year and case counts of `scope` over `[from, to]` (YYYY-MM-DD),
    /// with `today` for what is overdue.
    pub async fn work_figures(&self, scope: &Scope, from: &str, to: &str, today: &str) -> Result<WorkFigures> {
        let mut f = WorkFigures::default();
        let one = |sql: String, args: Vec<Arg>| async move {
            let row = bind_all(sqlx::query(&sql), &args).fetch_one(self.pool()).await?;
            Ok::<_, StoreError>((int_at(&row, 0)?, int_at(&row, 1)?, int_at(&row, 2)?))
        };
        let mut args: Vec<Arg> = vec![from.into(), to.into(), today.into()];
        let c = clause(scope, Table::TaskAssignments, &mut args);
        (f.tasks_assigned, f.tasks_done, f.tasks_overdue) = one(format!("SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN ta.effective_percent >= 100 THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN ta.effective_percent < 100 AND t.due < $3 THEN 1 ELSE 0 END), 0) AS BIGINT) FROM task_assignments ta JOIN tasks t ON t.id = ta.task_id WHERE t.due BETWEEN $1 AND $2 AND {c}"), args).await?;
        let mut args: Vec<Arg> = vec![from.into(), to.into()];
        let c = clause(scope, Table::DirectivePlans, &mut args);
        let (e, i, _) = one(format!("SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN dp.issued_on IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT), 0 FROM directive_plans dp JOIN directives d ON d.id = dp.directive_id WHERE d.plans_due BETWEEN $1 AND $2 AND {c}"), args).await?;
        (f.plans_expected, f.plans_issued) = (e, i);
        let mut args: Vec<Arg> = vec![from.into(), to.into()];
        let c = clause(scope, Table::Inspections, &mut args);
        let (n, _, _) = one(
            format!(
                "SELECT CAST(COUNT(*) AS BIGINT), 0, 0 FROM inspections i WHERE i.starts_on BETWEEN $1 AND $2 AND {c}"
            ),
            args,
        )
        .await?;
        f.inspections = n;
        let mut args: Vec<Arg> = vec![from.into(), to.into()];
        let c = clause(scope, Table::InspectionFindings, &mut args);
        let (n, open, _) = one(format!("SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN ft.overall_percent < 100 THEN 1 ELSE 0 END), 0) AS BIGINT), 0 FROM inspection_findings f JOIN inspections i ON i.id = f.inspection_id JOIN tasks ft ON ft.id = f.task_id WHERE i.starts_on BETWEEN $1 AND $2 AND {c}"), args).await?;
        (f.findings, f.findings_open) = (n, open);
        let mut args: Vec<Arg> = vec![from.into(), to.into(), today.into()];
        let c = clause(scope, Table::Cases, &mut args);
        let sql = format!("SELECT cs.kind, CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN cs.answered_on_time = 1 THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN cs.status IN ('received','accepted') AND cs.due_date < $3 THEN 1 ELSE 0 END), 0) AS BIGINT) FROM cases cs WHERE cs.received_on BETWEEN $1 AND $2 AND {c} GROUP BY cs.kind ORDER BY cs.kind");
        for r in bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await? {
            f.cases.push((sqlx::Row::try_get(&r, 0)?, int_at(&r, 1)?, int_at(&r, 2)?, int_at(&r, 3)?));
        }
        Ok(f)
    }
}

/// One directive's plans inside a scope: (directive, number, title, expected,
/// issued, late).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DirectivePlans {
    /// Directive id.
    pub directive_id: i64,
    /// Its number.
    pub number: String,
    /// Its title.
    pub title: String,
    /// Units in scope asked.
    pub expected: i64,
    /// Of them with a plan recorded.
    pub issued: i64,
    /// Of them late (recorded after the date, or missing past it).
    pub late: i64,
}

/// The working year of a scope: assignments, plans per directive, proposals.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct YearFigures {
    /// Assignments of the year's tasks to units in scope.
    pub assignments: i64,
    /// Of them done.
    pub done: i64,
    /// Of them overdue.
    pub overdue: i64,
    /// Plans per directive of the year asking units in scope.
    pub plans: Vec<DirectivePlans>,
    /// Proposals addressed to units in scope, unanswered.
    pub proposals_unanswered: i64,
    /// Of them older than the answer period.
    pub proposals_overdue: i64,
}

impl Store {
    /// The working-year figures of `scope` for `year`; `today` (YYYY-MM-DD) for
    /// what is overdue, `answer_cut` (Unix ms) for proposals past their period.
    pub async fn year_figures(&self, scope: &Scope, year: i64, today: &str, answer_cut: i64) -> Result<YearFigures> {
        let mut f = YearFigures::default();
        let mut args: Vec<Arg> = vec![Arg::I(year), today.into()];
        let c = clause(scope, Table::TaskAssignments, &mut args);
        let row = bind_all(sqlx::query(&format!("SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN ta.effective_percent >= 100 THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN ta.effective_percent < 100 AND t.due < $2 THEN 1 ELSE 0 END), 0) AS BIGINT) FROM task_assignments ta JOIN tasks t ON t.id = ta.task_id WHERE t.year = $1 AND {c}")), &args)
            .fetch_one(self.pool())
            .await?;
        (f.assignments, f.done, f.overdue) = (int_at(&row, 0)?, int_at(&row, 1)?, int_at(&row, 2)?);
        let mut args: Vec<Arg> = vec![format!("{year}-01-01").into(), format!("{year}-12-31").into(), today.into()];
        let c = clause(scope, Table::DirectivePlans, &mut args);
        let sql = format!("SELECT d.id, d.number, d.title, CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN dp.issued_on IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN dp.issued_on > d.plans_due OR (dp.issued_on IS NULL AND d.plans_due < $3) THEN 1 ELSE 0 END), 0) AS BIGINT) FROM directive_plans dp JOIN directives d ON d.id = dp.directive_id WHERE d.issued_on BETWEEN $1 AND $2 AND {c} GROUP BY d.id, d.number, d.title ORDER BY d.id");
        for r in bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await? {
            f.plans.push(DirectivePlans {
                directive_id: int_at(&r, 0)?,
                number: sqlx::Row::try_get(&r, 1)?,
                title: sqlx::Row::try_get(&r, 2)?,
                expected: int_at(&r, 3)?,
                issued: int_at(&r, 4)?,
                late: int_at(&r, 5)?,
            });
        }
        let mut args: Vec<Arg> = vec![Arg::I(answer_cut)];
        let c = clause(scope, Table::Units, &mut args);
        let row = bind_all(sqlx::query(&format!("SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN p.created_at < $1 THEN 1 ELSE 0 END), 0) AS BIGINT), 0 FROM proposals p JOIN units u ON u.code = p.to_code WHERE p.answered_at IS NULL AND {c}")), &args)
            .fetch_one(self.pool())
            .await?;
        (f.proposals_unanswered, f.proposals_overdue) = (int_at(&row, 0)?, int_at(&row, 1)?);
        Ok(f)
    }
}

/// A province's working year for the nation map: assignments of the year's tasks
/// to units of the province, of them overdue, plans asked of its units by the
/// year's directives, of them recorded.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct ProvinceYear {
    /// Assignments.
    pub assignments: i64,
    /// Of them overdue.
    pub overdue: i64,
    /// Plans asked.
    pub plans_expected: i64,
    /// Of them recorded.
    pub plans_issued: i64,
}

impl Store {
    /// The working year per province (grouped queries over the whole country).
    pub async fn year_by_province(
        &self,
        year: i64,
        today: &str,
    ) -> Result<std::collections::BTreeMap<String, ProvinceYear>> {
        let mut out: std::collections::BTreeMap<String, ProvinceYear> = std::collections::BTreeMap::new();
        let sql = "SELECT ta.province_code, CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN ta.effective_percent < 100 AND t.due < $2 THEN 1 ELSE 0 END), 0) AS BIGINT) FROM task_assignments ta JOIN tasks t ON t.id = ta.task_id WHERE t.year = $1 AND ta.province_code IS NOT NULL GROUP BY ta.province_code";
        for r in bind_all(sqlx::query(sql), &[Arg::I(year), today.into()]).fetch_all(self.pool()).await? {
            let e = out.entry(sqlx::Row::try_get(&r, 0)?).or_default();
            (e.assignments, e.overdue) = (int_at(&r, 1)?, int_at(&r, 2)?);
        }
        let sql = "SELECT dp.province_code, CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN dp.issued_on IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) FROM directive_plans dp JOIN directives d ON d.id = dp.directive_id WHERE d.issued_on BETWEEN $1 AND $2 GROUP BY dp.province_code";
        for r in bind_all(sqlx::query(sql), &[format!("{year}-01-01").into(), format!("{year}-12-31").into()])
            .fetch_all(self.pool())
            .await?
        {
            let e = out.entry(sqlx::Row::try_get(&r, 0)?).or_default();
            (e.plans_expected, e.plans_issued) = (int_at(&r, 1)?, int_at(&r, 2)?);
        }
        Ok(out)
    }
}
