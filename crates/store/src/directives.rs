//! Directives (văn bản chỉ đạo) and the implementing plans they ask of the units
//! below. A directive is seen by its issuer's scope and by every unit below the
//! issuer (the document is addressed to them); a plan row by the scope of the unit
//! that owes it.

use chrono::NaiveDate;
use domain::directive::DirectiveKind;
use domain::unit::UnitPlace;
use domain::{Level, Scope};
use serde::Serialize;

use crate::db::{bind_all, int_at};
use crate::decode::Cols;
use crate::scope_sql::{clause, Table};
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// A directive as stored, with its issuer's name.
#[derive(Debug, Clone, Serialize)]
pub struct DirectiveRecord {
    /// Id.
    pub id: i64,
    /// directive | plan | programme | coordination.
    pub kind: DirectiveKind,
    /// Document number ("07/CT-BCA").
    pub number: String,
    /// Date issued.
    pub issued_on: NaiveDate,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Partners of a coordination programme.
    pub partners: String,
    /// Issuing unit.
    pub unit_code: String,
    /// Its name.
    pub unit_name: String,
    /// Date by which the units below must issue their plans.
    pub plans_due: Option<NaiveDate>,
    /// Which level owes plans (province | commune).
    pub plans_from: Option<Level>,
    /// Recorded (Unix ms).
    pub created_at: i64,
}

fn directive_row(r: &sqlx::any::AnyRow) -> Result<DirectiveRecord> {
    let c = Cols::new("directives", r);
    Ok(DirectiveRecord {
        id: c.int("id")?,
        kind: c.parse("kind", DirectiveKind::parse)?,
        number: c.text("number")?,
        issued_on: c.date("issued_on")?,
        title: c.text("title")?,
        summary: c.text("summary")?,
        partners: c.text("partners")?,
        unit_code: c.text("unit_code")?,
        unit_name: c.text("unit_name")?,
        plans_due: c.opt_date("plans_due")?,
        plans_from: c.opt_parse("plans_from", Level::parse)?,
        created_at: c.int("created_at")?,
    })
}

const SELECT: &str = "SELECT d.id, d.kind, d.number, d.issued_on, d.title, d.summary, d.partners, d.unit_code, u.name AS unit_name, d.plans_due, d.plans_from, d.created_at FROM directives d JOIN units u ON u.code = d.unit_code";

/// A new directive, checked by the app layer.
#[derive(Debug, Clone)]
pub struct NewDirective {
    /// Kind code.
    pub kind: &'static str,
    /// Number.
    pub number: String,
    /// Issue date (YYYY-MM-DD).
    pub issued_on: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Partners.
    pub partners: String,
    /// Plans asked by (YYYY-MM-DD), with the level asked.
    pub plans: Option<(String, Level)>,
}

/// One owing unit's line on a directive's page.
#[derive(Debug, Clone, Serialize)]
pub struct PlanRow {
    /// The plan row's id.
    pub id: i64,
    /// The unit that owes it.
    pub unit_code: String,
    /// Its name.
    pub unit_name: String,
    /// Plan number, once recorded.
    pub number: Option<String>,
    /// Plan issue date, once recorded.
    pub issued_on: Option<NaiveDate>,
    /// Plan title, once recorded.
    pub title: Option<String>,
}

fn plan_row(r: &sqlx::any::AnyRow) -> Result<PlanRow> {
    let c = Cols::new("directive_plans", r);
    Ok(PlanRow {
        id: c.int("id")?,
        unit_code: c.text("unit_code")?,
        unit_name: c.text("unit_name")?,
        number: c.opt_text("number")?,
        issued_on: c.opt_date("issued_on")?,
        title: c.opt_text("title")?,
    })
}

/// A plan a unit still owes (for its to-do list).
#[derive(Debug, Clone, Serialize)]
pub struct OwedPlan {
    /// The directive.
    pub directive_id: i64,
    /// Its number.
    pub number: String,
    /// Its title.
    pub title: String,
    /// Due date.
    pub plans_due: NaiveDate,
}

/// The condition "the directive is in `scope`, or issued by one of `line`" (the
/// caller's unit and the units above it), pushing its arguments.
fn seen_by(scope: &Scope, line: &[String], args: &mut Vec<Arg>) -> String {
    let own = clause(scope, Table::Directives, args);
    if line.is_empty() {
        return own;
    }
    let mut marks = Vec::with_capacity(line.len());
    for code in line {
        args.push(code.as_str().into());
        marks.push(format!("${}", args.len()));
    }
    format!("({own} OR d.unit_code IN ({}))", marks.join(","))
}

impl Tx {
    /// Records a directive issued by `issuer`; returns its id.
    pub async fn insert_directive(&mut self, d: &NewDirective, issuer: &UnitPlace, by: i64) -> Result<i64> {
        let (due, from) = match &d.plans {
            Some((due, level)) => (Some(due.clone()), Some(level.as_str().to_string())),
            None => (None, None),
        };
        let row = bind_all(
            sqlx::query("INSERT INTO directives (kind, number, issued_on, title, summary, partners, unit_code, province_code, commune_code, plans_due, plans_from, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id"),
            &[
                d.kind.into(), d.number.as_str().into(), d.issued_on.as_str().into(), d.title.as_str().into(),
                d.summary.as_str().into(), d.partners.as_str().into(), issuer.code.as_str().into(),
                issuer.province_code.clone().into(), issuer.commune_code.clone().into(), due.into(), from.into(),
                Arg::I(by), Arg::I(now_ms()),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        int_at(&row, 0)
    }

    /// Asks every current unit of `level` inside `within` for a plan; returns how many.
    pub async fn insert_owed_plans(&mut self, directive: i64, level: Level, within: &Scope) -> Result<u64> {
        let mut args = vec![Arg::I(directive), level.as_str().into()];
        let c = clause(within, Table::Units, &mut args);
        let sql = format!(
            "INSERT INTO directive_plans (directive_id, unit_code, province_code, commune_code) SELECT $1, u.code, u.province_code, u.commune_code FROM units u WHERE u.level = $2 AND u.valid_to IS NULL AND {c}"
        );
        self.exec(&sql, &args).await
    }

    /// Records the plan `unit` owes; `Conflict` when it was already recorded,
    /// `NotFound` when the unit owes none.
    pub async fn record_plan(
        &mut self,
        directive: i64,
        unit: &str,
        number: &str,
        issued_on: &str,
        title: &str,
        by: i64,
    ) -> Result<i64> {
        let row = bind_all(
            sqlx::query("SELECT id, issued_on FROM directive_plans WHERE directive_id = $1 AND unit_code = $2"),
            &[Arg::I(directive), unit.into()],
        )
        .fetch_optional(&mut *self.tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let id = int_at(&row, 0)?;
        let recorded: Option<String> = sqlx::Row::try_get(&row, 1)?;
        if recorded.is_some() {
            return Err(StoreError::Conflict("plan"));
        }
        self.exec(
            "UPDATE directive_plans SET number = $1, issued_on = $2, title = $3, recorded_by = $4, recorded_at = $5 WHERE id = $6",
            &[number.into(), issued_on.into(), title.into(), Arg::I(by), Arg::I(now_ms()), Arg::I(id)],
        )
        .await?;
        Ok(id)
    }
}

impl Store {
    /// A directive the caller sees (`line`: the caller's unit and those above it).
    pub async fn directive(&self, scope: &Scope, line: &[String], id: i64) -> Result<DirectiveRecord> {
        let mut args = vec![Arg::I(id)];
        let c = seen_by(scope, line, &mut args);
        let sql = format!("{SELECT} WHERE d.id = $1 AND {c}");
        let row = bind_all(sqlx::query(&sql), &args).fetch_optional(self.pool()).await?;
        row.map(|r| directive_row(&r)).transpose()?.ok_or(StoreError::NotFound)
    }

    /// Directives the caller sees, newest first, with the total.
    pub async fn list_directives(
        &self,
        scope: &Scope,
        line: &[String],
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<DirectiveRecord>, i64)> {
        let mut args = Vec::new();
        let c = seen_by(scope, line, &mut args);
        let count = format!("SELECT COUNT(*) FROM directives d WHERE {c}");
        let rows = format!("{SELECT} WHERE {c} ORDER BY d.issued_on DESC, d.id DESC");
        self.count_and_page(&count, &rows, args, limit, offset, |r| directive_row(&r)).await
    }

    /// The plan rows of a directive inside `scope` (the ministry sees every
    /// province's, a province only its own), in unit-code order.
    pub async fn directive_plans(&self, scope: &Scope, directive: i64) -> Result<Vec<PlanRow>> {
        let mut args = vec![Arg::I(directive)];
        let c = clause(scope, Table::DirectivePlans, &mut args);
        let sql = format!("SELECT dp.id, dp.unit_code, u.name AS unit_name, dp.number, dp.issued_on, dp.title FROM directive_plans dp JOIN units u ON u.code = dp.unit_code WHERE dp.directive_id = $1 AND {c} ORDER BY dp.unit_code");
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.iter().map(plan_row).collect()
    }

    /// Plans `unit` still owes, earliest due first.
    pub async fn plans_owed_by(&self, unit: &str) -> Result<Vec<OwedPlan>> {
        let rows = sqlx::query("SELECT d.id AS directive_id, d.number, d.title, d.plans_due FROM directive_plans dp JOIN directives d ON d.id = dp.directive_id WHERE dp.unit_code = $1 AND dp.issued_on IS NULL AND d.plans_due IS NOT NULL ORDER BY d.plans_due, d.id LIMIT 200")
            .bind(unit.to_string())
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new("directives", r);
                Ok(OwedPlan {
                    directive_id: c.int("directive_id")?,
                    number: c.text("number")?,
                    title: c.text("title")?,
                    plans_due: c.date("plans_due")?,
                })
            })
            .collect()
    }
}
