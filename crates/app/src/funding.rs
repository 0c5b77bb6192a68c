//! Funding (kinh phí) of the movement and the forces: a unit's budget and spending
//! of a year by category and source, entered one line at a time or imported from a
//! table (all lines or none, each wrong row named); the totals of a scope beside the
//! allowance due to the team members, computed from the province's rate
//! (`domain::forces::allowance`) — never guessed where a province has no rate.

use domain::forces::allowance::{self, Service};
use domain::forces::TeamRole;
use domain::ValidationError;
use serde::{Deserialize, Serialize};
use store::audit::AuditEntry;
use store::funding::{FundingLine, NewFunding};
use store::StoreError;

use crate::error::AppResult;
use crate::import::Table;
use crate::{Actor, App, AppError, RowError};

/// Body of `POST /api/v1/funding`.
#[derive(Debug, Clone, Deserialize)]
pub struct FundingInput {
    /// The unit.
    pub unit_code: String,
    /// Year.
    pub year: i64,
    /// allowances | equipment | training | ngay_hoi | rewards | models | other.
    pub category: String,
    /// state_budget | socialisation.
    pub source: String,
    /// Budget (đồng).
    pub budget: i64,
    /// Spent (đồng).
    pub spent: i64,
}

/// A scope's funding of a year.
#[derive(Debug, Clone, Serialize)]
pub struct FundingTotals {
    /// By category: (category, budget, spent).
    pub by_category: Vec<(String, i64, i64)>,
    /// All categories.
    pub budget: i64,
    /// All categories.
    pub spent: i64,
    /// The members' allowance due by the provinces' rates (to today), where every
    /// province in scope with members has a rate; `None` otherwise.
    pub allowance_due: Option<i64>,
    /// Spent per residential area in scope.
    pub per_area: Option<i64>,
    /// Spent per member serving.
    pub per_member: Option<i64>,
}

/// Columns of a funding table.
pub const COLUMNS: [&str; 6] = ["unit_code", "year", "category", "source", "budget", "spent"];

impl App {
    /// Checks one line: the unit in force in scope, a known category and source,
    /// amounts not negative, a year of this century not ahead.
    async fn checked_funding(
        &self,
        actor: &Actor,
        input: &FundingInput,
    ) -> AppResult<Result<NewFunding, ValidationError>> {
        let codes = crate::forces::rules()?.funding;
        let mut err = ValidationError::default();
        if !(2000..=store::clock::current_year() + 1).contains(&input.year) {
            err.push("year", "funding.year_invalid");
        }
        if !codes.categories.iter().any(|c| c == input.category.trim()) {
            err.push("category", "funding.category_unknown");
        }
        if !codes.sources.iter().any(|c| c == input.source.trim()) {
            err.push("source", "funding.source_unknown");
        }
        for (f, v) in [("budget", input.budget), ("spent", input.spent)] {
            if v < 0 {
                err.push(f, "funding.amount_negative");
            } else if v > 1_000_000_000_000_000 {
                err.push(f, "funding.amount_too_large");
            }
        }
        let unit = match self.store.unit(input.unit_code.trim()).await {
            Ok(u) if u.valid_to.is_none() && actor.scope.contains(&u.place()) => Some(u),
            Ok(_) | Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        let Some(unit) = unit else {
            err.push("unit_code", "funding.unit_unknown");
            return Ok(Err(err));
        };
        if !err.errors.is_empty() {
            return Ok(Err(err));
        }
        Ok(Ok(NewFunding {
            place: (unit.code.clone(), unit.commune_code.clone(), unit.province_code.clone().unwrap_or_default()),
            year: input.year,
            category: input.category.trim().to_string(),
            source: input.source.trim().to_string(),
            budget: input.budget,
            spent: input.spent,
        }))
    }

    /// Records a funding line of a unit in scope.
    pub async fn add_funding(&self, actor: &Actor, input: &FundingInput) -> AppResult<i64> {
        actor.require_police_write()?;
        let new = self.checked_funding(actor, input).await??;
        let mut tx = self.store.begin_write().await?;
        let id = tx.insert_funding(&new, actor.user_id).await.map_err(|e| match e {
            StoreError::Conflict(_) => AppError::Conflict("funding.exists"),
            other => other.into(),
        })?;
        let after = serde_json::json!({"unit": new.place.0, "year": new.year, "category": new.category, "source": new.source, "budget": new.budget, "spent": new.spent});
        AuditEntry::new(Some(actor.user_id), "funding.add", "funding", id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Imports funding lines from a table, all or none.
    pub async fn import_funding(&self, actor: &Actor, table: &Table) -> AppResult<usize> {
        actor.require_police_write()?;
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
        if table.len() > 5000 {
            return Err(AppError::Rows(vec![RowError {
                row: 1,
                column: String::new(),
                code: "import.too_many_rows".into(),
            }]));
        }
        let mut errors = Vec::new();
        let mut lines = Vec::new();
        let mut keys = std::collections::HashSet::new();
        for (i, r) in table.rows().enumerate() {
            let row = i + 2;
            let get = |k: usize| cols[k].and_then(|c| r.get(c)).unwrap_or("").trim().to_string();
            let num = |k: usize| get(k).replace(['.', ' '], "").parse::<i64>();
            let (year, budget, spent) = (num(1), num(4), num(5));
            for (k, v) in [(1, &year), (4, &budget), (5, &spent)] {
                if v.is_err() {
                    errors.push(RowError { row, column: COLUMNS[k].into(), code: "funding.number_invalid".into() });
                }
            }
            let (Ok(year), Ok(budget), Ok(spent)) = (year, budget, spent) else { continue };
            let input = FundingInput { unit_code: get(0), year, category: get(2), source: get(3), budget, spent };
            match self.checked_funding(actor, &input).await? {
                Ok(line) => {
                    if !keys.insert((line.place.0.clone(), line.year, line.category.clone(), line.source.clone())) {
                        errors.push(RowError { row, column: "unit_code".into(), code: "funding.duplicate_row".into() });
                    }
                    lines.push((row, line));
                }
                Err(e) => {
                    errors.extend(e.errors.into_iter().map(|f| RowError { row, column: f.field, code: f.code.into() }))
                }
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Rows(errors));
        }
        let mut tx = self.store.begin_write().await?;
        for (row, line) in &lines {
            if let Err(e) = tx.insert_funding(line, actor.user_id).await {
                return Err(match e {
                    StoreError::Conflict(_) => AppError::Rows(vec![RowError {
                        row: *row,
                        column: "unit_code".into(),
                        code: "funding.exists".into(),
                    }]),
                    other => other.into(),
                });
            }
        }
        AuditEntry::new(Some(actor.user_id), "funding.import", "funding", "*")
            .after(&serde_json::json!({"rows": lines.len()}))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(lines.len())
    }

    /// A year's lines in scope.
    pub async fn funding_lines(&self, actor: &Actor, year: i64) -> AppResult<Vec<FundingLine>> {
        Ok(self.store.list_funding(&actor.scope, year).await?)
    }

    /// A year's totals in scope (or a unit in it), beside the allowance due.
    pub async fn funding_totals(&self, actor: &Actor, year: i64, unit: Option<&str>) -> AppResult<FundingTotals> {
        let scope = self.narrowed_scope(actor, unit).await?;
        let by_category = self.store.funding_totals(&scope, year).await?;
        let (budget, spent) = by_category.iter().fold((0, 0), |(b, s), (_, x, y)| (b + x, s + y));
        let rates = crate::forces::rules()?.allowances;
        let today = store::clock::today();
        let until = chrono::NaiveDate::from_ymd_opt(i32::try_from(year).unwrap_or(0), 12, 31)
            .map_or(today, |end| end.min(today));
        let mut by_province: std::collections::BTreeMap<String, Vec<Service>> = Default::default();
        for (province, role, joined, left) in self.store.members_service(&scope).await? {
            let (Some(role), Some(joined)) = (TeamRole::parse(&role), domain::unit::parse_day(&joined)) else {
                continue;
            };
            let left_on = left.as_deref().and_then(domain::unit::parse_day);
            by_province.entry(province).or_default().push(Service { role, joined_on: joined, left_on });
        }
        let mut allowance_due = Some(0);
        for (province, members) in &by_province {
            let due = allowance::due(&rates, province, members, i32::try_from(year).unwrap_or(0), until);
            allowance_due = allowance_due.zip(due).map(|(a, b)| a + b);
        }
        let stats = self.forces_stats_of(&scope, year).await?;
        let per = |n: i64| (n > 0).then(|| spent / n);
        Ok(FundingTotals {
            by_category,
            budget,
            spent,
            allowance_due,
            per_area: per(stats.areas),
            per_member: per(stats.members),
        })
    }
}
