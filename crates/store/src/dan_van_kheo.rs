//! "Dân vận khéo" entries: a model registered for a year, recognised by the level
//! above (decision) or returned; and their counts by level and by model type.

use domain::dan_van_kheo::DvkStatus;
use domain::Scope;
use serde::Serialize;

use crate::db::{bind_all, int_at};
use crate::decode::Cols;
use crate::scope_sql::{clause, Table};
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// An entry as stored, with its model.
#[derive(Debug, Clone, Serialize)]
pub struct DvkRecord {
    /// Id.
    pub id: i64,
    /// The model.
    pub model_id: i64,
    /// Its name.
    pub model_name: String,
    /// Its type.
    pub type_code: String,
    /// The unit holding it.
    pub unit_code: String,
    /// That unit's name.
    pub unit_name: String,
    /// Year.
    pub year: i64,
    /// Where it stands.
    pub status: DvkStatus,
    /// The level of the unit holding the model (commune or province).
    pub holder_level: String,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: Option<String>,
    /// The recognition's decision number.
    pub decision_number: Option<String>,
    /// Its date.
    pub decision_date: Option<String>,
    /// Why it was returned.
    pub return_reason: Option<String>,
    /// The decision lets the public honour roll show it.
    pub public: bool,
}

/// Counts of a year's entries.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DvkCounts {
    /// Registered (waiting or recognised; not returned).
    pub registered: i64,
    /// Recognised.
    pub recognised: i64,
    /// By the level of the unit holding the model: (level, registered, recognised).
    pub by_level: Vec<(String, i64, i64)>,
    /// By model type: (type code, name, registered, recognised).
    pub by_type: Vec<(String, String, i64, i64)>,
}

const SELECT: &str = "SELECT dv.id, dv.model_id, m.name AS model_name, m.type_code, m.unit_code, u.name AS unit_name, dv.year, dv.status, dv.holder_level, dv.province_code, dv.commune_code, dv.decision_number, dv.decision_date, dv.return_reason, dv.public FROM dvk_entries dv JOIN models m ON m.id = dv.model_id JOIN units u ON u.code = m.unit_code";

fn row(r: sqlx::any::AnyRow) -> Result<DvkRecord> {
    let c = Cols::new("dvk_entries", &r);
    Ok(DvkRecord {
        id: c.int("id")?,
        model_id: c.int("model_id")?,
        model_name: c.text("model_name")?,
        type_code: c.text("type_code")?,
        unit_code: c.text("unit_code")?,
        unit_name: c.text("unit_name")?,
        year: c.int("year")?,
        status: c.parse("status", DvkStatus::parse)?,
        holder_level: c.text("holder_level")?,
        province_code: c.text("province_code")?,
        commune_code: c.opt_text("commune_code")?,
        decision_number: c.opt_text("decision_number")?,
        decision_date: c.opt_text("decision_date")?,
        return_reason: c.opt_text("return_reason")?,
        public: c.flag("public")?,
    })
}

/// A new entry.
#[derive(Debug, Clone)]
pub struct NewDvk {
    /// The model.
    pub model_id: i64,
    /// Year.
    pub year: i64,
    /// The level of the unit holding it.
    pub holder_level: String,
    /// Province, commune.
    pub place: (String, Option<String>),
}

/// A decision on an entry.
#[derive(Debug, Clone, Copy)]
pub struct DvkStep<'a> {
    /// From.
    pub from: DvkStatus,
    /// To.
    pub to: DvkStatus,
    /// (number, date) of a recognition.
    pub decision: Option<(&'a str, &'a str)>,
    /// Why it is returned.
    pub reason: Option<&'a str>,
    /// Shown on the public honour roll.
    pub public: bool,
}

impl Store {
    /// One entry in scope.
    pub async fn dvk_entry(&self, scope: &Scope, id: i64) -> Result<DvkRecord> {
        let mut args = vec![Arg::I(id)];
        let c = clause(scope, Table::DanVanKheo, &mut args);
        let sql = format!("{SELECT} WHERE dv.id = $1 AND {c}");
        row(bind_all(sqlx::query(&sql), &args).fetch_optional(self.pool()).await?.ok_or(StoreError::NotFound)?)
    }

    /// The entry of a model for a year, if any (no scope: the app checked the model).
    pub async fn dvk_of_model(&self, model: i64, year: i64) -> Result<Option<DvkRecord>> {
        let sql = format!("{SELECT} WHERE dv.model_id = $1 AND dv.year = $2");
        bind_all(sqlx::query(&sql), &[Arg::I(model), Arg::I(year)])
            .fetch_optional(self.pool())
            .await?
            .map(row)
            .transpose()
    }

    /// Every year's entry of a model, latest first.
    pub async fn dvk_years_of_model(&self, model: i64) -> Result<Vec<DvkRecord>> {
        let sql = format!("{SELECT} WHERE dv.model_id = $1 ORDER BY dv.year DESC");
        let rows = bind_all(sqlx::query(&sql), &[Arg::I(model)]).fetch_all(self.pool()).await?;
        rows.into_iter().map(row).collect()
    }

    /// A year's entries in scope (optionally one status).
    pub async fn list_dvk(
        &self,
        scope: &Scope,
        year: i64,
        status: Option<DvkStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<DvkRecord>, i64)> {
        let mut args = vec![Arg::I(year)];
        let mut conds = vec!["dv.year = $1".to_string(), clause(scope, Table::DanVanKheo, &mut args)];
        if let Some(st) = status {
            args.push(st.as_str().into());
            conds.push(format!("dv.status = ${}", args.len()));
        }
        let wh = conds.join(" AND ");
        let count = format!("SELECT COUNT(*) FROM dvk_entries dv WHERE {wh}");
        let rows = format!("{SELECT} WHERE {wh} ORDER BY dv.province_code, dv.commune_code, dv.id");
        self.count_and_page(&count, &rows, args, limit, offset, row).await
    }

    /// A year's counts in scope, by level and by model type.
    pub async fn dvk_counts(&self, scope: &Scope, year: i64) -> Result<DvkCounts> {
        let mut args = vec![Arg::I(year)];
        let c = clause(scope, Table::DanVanKheo, &mut args);
        let sums = "CAST(COALESCE(SUM(CASE WHEN dv.status <> 'returned' THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN dv.status = 'recognised' THEN 1 ELSE 0 END), 0) AS BIGINT)";
        let by_level = format!(
            "SELECT dv.holder_level, {sums} FROM dvk_entries dv WHERE dv.year = $1 AND {c} GROUP BY dv.holder_level ORDER BY dv.holder_level"
        );
        let by_type = format!(
            "SELECT m.type_code, t.name, {sums} FROM dvk_entries dv JOIN models m ON m.id = dv.model_id JOIN model_types t ON t.code = m.type_code WHERE dv.year = $1 AND {c} GROUP BY m.type_code, t.name ORDER BY m.type_code"
        );
        let mut out = DvkCounts::default();
        for r in bind_all(sqlx::query(&by_level), &args).fetch_all(self.pool()).await? {
            let (level, reg, rec) =
                (Cols::new("dvk_entries", &r).text("holder_level")?, int_at(&r, 1)?, int_at(&r, 2)?);
            out.registered += reg;
            out.recognised += rec;
            out.by_level.push((level, reg, rec));
        }
        for r in bind_all(sqlx::query(&by_type), &args).fetch_all(self.pool()).await? {
            let c = Cols::new("model_types", &r);
            out.by_type.push((c.text("type_code")?, c.text("name")?, int_at(&r, 2)?, int_at(&r, 3)?));
        }
        Ok(out)
    }
}

impl Tx {
    /// Registers a model for a year; returns the entry's id.
    pub async fn insert_dvk(&mut self, e: &NewDvk, by: i64) -> Result<i64> {
        let now = now_ms();
        let r = bind_all(
            sqlx::query("INSERT INTO dvk_entries (model_id, year, status, holder_level, province_code, commune_code, registered_by, created_at, updated_at) VALUES ($1,$2,'registered',$3,$4,$5,$6,$7,$7) RETURNING id"),
            &[
                Arg::I(e.model_id),
                Arg::I(e.year),
                e.holder_level.as_str().into(),
                e.place.0.as_str().into(),
                e.place.1.clone().into(),
                Arg::I(by),
                Arg::I(now),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        int_at(&r, 0)
    }

    /// Moves an entry if it still stands at `step.from` (0 rows otherwise).
    pub async fn move_dvk(&mut self, id: i64, step: &DvkStep<'_>, by: i64) -> Result<u64> {
        self.exec(
            "UPDATE dvk_entries SET status = $1, decision_number = $2, decision_date = $3, return_reason = $4, public = $5, decided_by = $6, updated_at = $7 WHERE id = $8 AND status = $9",
            &[
                step.to.as_str().into(),
                step.decision.map(|d| d.0.to_string()).into(),
                step.decision.map(|d| d.1.to_string()).into(),
                step.reason.map(str::to_string).into(),
                Arg::I(i64::from(step.public)),
                Arg::I(by),
                Arg::I(now_ms()),
                Arg::I(id),
                step.from.as_str().into(),
            ],
        )
        .await
    }
}
