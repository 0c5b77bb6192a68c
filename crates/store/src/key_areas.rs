//! Key areas (địa bàn trọng điểm): the decisions that designate a commune or take
//! it off the list, and new-rural criterion 19 of each commune and year.

use chrono::NaiveDate;
use domain::model::KeyAreaAction;
use domain::Scope;
use serde::Serialize;

use crate::db::{bind_all, int_at};
use crate::decode::{parsed, Cols};
use crate::scope_sql::{clause, Table};
use crate::{now_ms, Arg, Result, Store, Tx};

/// A key-area decision as listed.
#[derive(Debug, Clone, Serialize)]
pub struct KeyAreaEvent {
    /// Designate or remove.
    pub action: KeyAreaAction,
    /// Decision number.
    pub decision_number: String,
    /// Decision date.
    pub decision_date: NaiveDate,
}

fn event_row(r: &sqlx::any::AnyRow) -> Result<KeyAreaEvent> {
    let c = Cols::new("key_area_events", r);
    Ok(KeyAreaEvent {
        action: c.parse("action", KeyAreaAction::parse)?,
        decision_number: c.text("decision_number")?,
        decision_date: c.date("decision_date")?,
    })
}

/// A key-area decision with its commune, as listed on the key-area page.
#[derive(Debug, Clone, Serialize)]
pub struct KeyAreaRow {
    /// Commune code.
    pub unit_code: String,
    /// Commune name.
    pub unit_name: String,
    /// Designate or remove.
    pub action: KeyAreaAction,
    /// Decision number.
    pub decision_number: String,
    /// Decision date.
    pub decision_date: NaiveDate,
}

/// A commune's criterion-19 record for a year (`met` is `None` when not reported).
#[derive(Debug, Clone, Serialize)]
pub struct Criterion19Row {
    /// Commune code.
    pub unit_code: String,
    /// Commune name.
    pub unit_name: String,
    /// Met (1), not met (0), not reported (null).
    #[serde(serialize_with = "crate::decode::as_opt_int_flag")]
    pub met: Option<bool>,
}

impl Store {
    /// Whether a commune is currently a key area (its latest decision designates it).
    pub async fn is_key_area(&self, unit: &str) -> Result<bool> {
        let last: Option<(String,)> = sqlx::query_as(
            "SELECT action FROM key_area_events WHERE unit_code = $1 ORDER BY decision_date DESC, id DESC LIMIT 1",
        )
        .bind(unit.to_string())
        .fetch_optional(self.pool())
        .await?;
        let last = last.map(|(a,)| parsed("key_area_events", "action", &a, KeyAreaAction::parse)).transpose()?;
        Ok(last == Some(KeyAreaAction::Designate))
    }

    /// The key-area decisions of a unit, newest first (its history).
    pub async fn key_area_history(&self, unit: &str) -> Result<Vec<KeyAreaEvent>> {
        let rows = sqlx::query("SELECT action, decision_number, decision_date FROM key_area_events WHERE unit_code = $1 ORDER BY decision_date DESC, id DESC")
            .bind(unit.to_string())
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(event_row).collect()
    }

    /// Key-area decisions in scope, optionally of one year, newest first.
    pub async fn list_key_area_events(
        &self,
        scope: &Scope,
        year: Option<i64>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<KeyAreaRow>, i64)> {
        let mut args = Vec::new();
        let mut conds = vec![clause(scope, Table::KeyAreas, &mut args)];
        if let Some(y) = year {
            args.push(Arg::S(format!("{y}-01-01")));
            args.push(Arg::S(format!("{y}-12-31")));
            conds.push(format!("k.decision_date BETWEEN ${} AND ${}", args.len() - 1, args.len()));
        }
        let wh = conds.join(" AND ");
        let count = format!("SELECT COUNT(*) FROM key_area_events k WHERE {wh}");
        let rows = format!("SELECT k.unit_code, u.name AS unit_name, k.action, k.decision_number, k.decision_date FROM key_area_events k JOIN units u ON u.code = k.unit_code WHERE {wh} ORDER BY k.decision_date DESC, k.id DESC");
        self.count_and_page(&count, &rows, args, limit, offset, |r| {
            let c = Cols::new("key_area_events", &r);
            let e = event_row(&r)?;
            Ok(KeyAreaRow {
                unit_code: c.text("unit_code")?,
                unit_name: c.text("unit_name")?,
                action: e.action,
                decision_number: e.decision_number,
                decision_date: e.decision_date,
            })
        })
        .await
    }

    /// Every commune in scope with its criterion-19 record of `year`; `met` narrows
    /// to met (`Some(true)`), or not met and not reported (`Some(false)`).
    pub async fn list_criterion19(
        &self,
        scope: &Scope,
        year: i64,
        met: Option<bool>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Criterion19Row>, i64)> {
        let mut args = vec![Arg::I(year)];
        let mut conds = vec![
            "u.level = 'commune'".to_string(),
            "u.valid_to IS NULL".to_string(),
            clause(scope, Table::Units, &mut args),
        ];
        match met {
            Some(true) => conds.push("c.met = 1".into()),
            Some(false) => conds.push("(c.met IS NULL OR c.met = 0)".into()),
            None => {}
        }
        let wh = conds.join(" AND ");
        let from = "FROM units u LEFT JOIN criterion19 c ON c.unit_code = u.code AND c.year = $1";
        let count = format!("SELECT COUNT(*) {from} WHERE {wh}");
        let rows = format!("SELECT u.code AS unit_code, u.name AS unit_name, c.met {from} WHERE {wh} ORDER BY u.code");
        self.count_and_page(&count, &rows, args, limit, offset, |r| {
            let c = Cols::new("criterion19", &r);
            Ok(Criterion19Row {
                unit_code: c.text("unit_code")?,
                unit_name: c.text("unit_name")?,
                met: c.opt_flag("met")?,
            })
        })
        .await
    }
}

impl Tx {
    /// Records a key-area decision.
    #[allow(clippy::too_many_arguments)]
    pub async fn insert_key_area_event(
        &mut self,
        unit: &str,
        province: &str,
        commune: Option<&str>,
        action: KeyAreaAction,
        number: &str,
        date: NaiveDate,
        by: Option<i64>,
    ) -> Result<i64> {
        let row = bind_all(
            sqlx::query("INSERT INTO key_area_events (unit_code, province_code, commune_code, action, decision_number, decision_date, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id"),
            &[unit.into(), province.into(), commune.map(str::to_string).into(), action.as_str().into(), number.into(), domain::clock::iso(date).into(), by.into(), Arg::I(now_ms())],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        int_at(&row, 0)
    }

    /// Sets whether a commune meets criterion 19 in a year.
    pub async fn set_criterion19(&mut self, unit: &str, province: &str, year: i64, met: bool) -> Result<()> {
        self.exec("DELETE FROM criterion19 WHERE unit_code = $1 AND year = $2", &[unit.into(), Arg::I(year)]).await?;
        self.exec(
            "INSERT INTO criterion19 (unit_code, year, met, province_code, commune_code, updated_at) VALUES ($1,$2,$3,$4,$1,$5)",
            &[unit.into(), Arg::I(year), Arg::I(i64::from(met)), province.into(), Arg::I(now_ms())],
        )
        .await?;
        Ok(())
    }
}
