//! Units: load the shipped tree, read, search, and add residential areas.

use domain::text::fold;
use domain::unit::UnitPlace;
use domain::{Level, Scope};
use serde::Serialize;

use crate::db::{bind_all, int_at};
use crate::decode::Cols;
use crate::scope_sql::{clause, Table};
use crate::units_csv::{rows, UNITS_VALID_FROM};
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// A unit as stored.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRecord {
    /// Code (`VN`, 2 digits, 5 digits, or `CCCCC.NNN`).
    pub code: String,
    /// Official name.
    pub name: String,
    /// Nation, province, commune or residential area.
    pub level: Level,
    /// Vietnamese division type.
    pub division_type: String,
    /// Parent's code.
    pub parent_code: Option<String>,
    /// Province it lies in.
    pub province_code: Option<String>,
    /// Commune it lies in.
    pub commune_code: Option<String>,
    /// Valid from.
    pub valid_from: chrono::NaiveDate,
    /// Valid to, if dissolved or merged.
    pub valid_to: Option<chrono::NaiveDate>,
    /// The unit that took over, if merged.
    pub successor_code: Option<String>,
    /// A retirement waiting for its day (the unit stays active until then).
    pub retires_on: Option<chrono::NaiveDate>,
    /// The unit that takes over on that day.
    pub retires_into: Option<String>,
    /// Whether that retirement moves the unit's open records to its successor.
    pub retires_moving: bool,
    /// The day the current name took effect (none: since `valid_from`).
    pub name_from: Option<chrono::NaiveDate>,
    /// A rename waiting for its day.
    pub renames_on: Option<chrono::NaiveDate>,
    /// The name it takes on that day.
    pub renames_to: Option<String>,
}

/// A name a unit bore before, with its days (`valid_to`: the day the next one took effect).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FormerName {
    /// The name.
    pub name: String,
    /// Its first day.
    pub valid_from: chrono::NaiveDate,
    /// The day the next name took effect.
    pub valid_to: chrono::NaiveDate,
}

impl UnitRecord {
    /// The unit's place in the tree, for scope decisions.
    pub fn place(&self) -> UnitPlace {
        UnitPlace {
            code: self.code.clone(),
            level: self.level,
            province_code: self.province_code.clone(),
            commune_code: self.commune_code.clone(),
        }
    }
}

/// Columns of a unit insert, filled by [`unit_args`].
const UNIT_INSERT_HEAD: &str =
    "units (code, name, name_fold, level, division_type, parent_code, province_code, commune_code, valid_from, created_at)";
const UNIT_COLS: usize = 10;

/// The arguments of one unit row, in [`UNIT_INSERT_HEAD`] order.
#[allow(clippy::too_many_arguments)]
fn unit_args(
    code: &str,
    name: &str,
    level: &str,
    division_type: &str,
    parent: Option<&str>,
    province: Option<&str>,
    commune: Option<&str>,
    valid_from: &str,
    now: i64,
) -> [Arg; UNIT_COLS] {
    let opt = |v: Option<&str>| v.map(|s| Arg::S(s.to_string())).unwrap_or(Arg::NullS);
    [
        code.into(),
        name.into(),
        Arg::S(fold(name)),
        level.into(),
        division_type.into(),
        opt(parent),
        opt(province),
        opt(commune),
        valid_from.into(),
        Arg::I(now),
    ]
}

/// Decodes one row of [`COLS`].
fn unit_row(r: sqlx::any::AnyRow) -> Result<UnitRecord> {
    let c = Cols::new("units", &r);
    Ok(UnitRecord {
        code: c.text("code")?,
        name: c.text("name")?,
        level: c.parse("level", Level::parse)?,
        division_type: c.text("division_type")?,
        parent_code: c.opt_text("parent_code")?,
        province_code: c.opt_text("province_code")?,
        commune_code: c.opt_text("commune_code")?,
        valid_from: c.date("valid_from")?,
        valid_to: c.opt_date("valid_to")?,
        successor_code: c.opt_text("successor_code")?,
        retires_on: c.opt_date("retires_on")?,
        retires_into: c.opt_text("retires_into")?,
        retires_moving: c.flag("retires_moving")?,
        name_from: c.opt_date("name_from")?,
        renames_on: c.opt_date("renames_on")?,
        renames_to: c.opt_text("renames_to")?,
    })
}

const COLS: &str = "u.code, u.name, u.level, u.division_type, u.parent_code, u.province_code, u.commune_code, u.valid_from, u.valid_to, u.successor_code, u.retires_on, u.retires_into, u.retires_moving, u.name_from, u.renames_on, u.renames_to";

/// Filter for listing units.
#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    /// Only this level.
    pub level: Option<Level>,
    /// Only children of this unit.
    pub parent: Option<String>,
    /// Diacritic-insensitive substring of the name (or a code prefix).
    pub q: Option<String>,
    /// Include units no longer valid.
    pub include_past: bool,
    /// The tree as of this day (YYYY-MM-DD): units in force then, under the names
    /// they bore then.
    pub on: Option<chrono::NaiveDate>,
    /// Page size.
    pub limit: i64,
    /// Rows to skip.
    pub offset: i64,
}

impl Store {
    /// Loads the shipped 34 provinces and 3,321 communes under `VN` when the units
    /// table is empty. Returns the number of units inserted (0 when already loaded).
    pub async fn load_shipped_units(&self) -> Result<usize> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM units").fetch_one(self.pool()).await?;
        if n > 0 {
            return Ok(0);
        }
        let rows = rows().map_err(|e| StoreError::Open(format!("shipped units CSV: {e}")))?;
        let now = now_ms();
        let mut args: Vec<Arg> = Vec::with_capacity((rows.len() + 1) * UNIT_COLS);
        args.extend(unit_args("VN", "Việt Nam", "nation", "quốc gia", None, None, None, UNITS_VALID_FROM, now));
        // Parents first: the nation, then provinces, then communes (the file lists provinces first).
        for r in &rows {
            let (parent, province, commune) = if r.level == "province" {
                ("VN", &r.code, None)
            } else {
                (&*r.parent_code, &r.parent_code, Some(&*r.code))
            };
            args.extend(unit_args(
                &r.code,
                &r.name,
                &r.level,
                &r.division_type,
                Some(parent),
                Some(province),
                commune,
                UNITS_VALID_FROM,
                now,
            ));
        }
        let mut tx = self.begin_write().await?;
        tx.insert_rows(UNIT_INSERT_HEAD, UNIT_COLS, &args).await?;
        tx.commit().await?;
        Ok(rows.len() + 1)
    }

    /// One unit by code.
    pub async fn unit(&self, code: &str) -> Result<UnitRecord> {
        let sql = format!("SELECT {COLS} FROM units u WHERE u.code = $1");
        unit_row(
            sqlx::query(&sql).bind(code.to_string()).fetch_optional(self.pool()).await?.ok_or(StoreError::NotFound)?,
        )
    }

    /// Units matching a filter, with the total count.
    pub async fn list_units(&self, f: &UnitFilter) -> Result<(Vec<UnitRecord>, i64)> {
        let mut args: Vec<Arg> = Vec::new();
        let mut conds: Vec<String> = Vec::new();
        if let Some(l) = f.level {
            args.push(l.as_str().into());
            conds.push(format!("u.level = ${}", args.len()));
        }
        if let Some(p) = &f.parent {
            args.push(p.as_str().into());
            conds.push(format!("u.parent_code = ${}", args.len()));
        }
        // A name the unit bore before finds it too.
        if let Some(c) = crate::search_sql::text_condition(f.q.as_deref(), "u.name_fold", "u.code", &mut args) {
            let former = crate::search_sql::text_condition(f.q.as_deref(), "n.name_fold", "n.code", &mut args)
                .unwrap_or_else(|| "1=0".into());
            conds.push(format!("({c} OR u.code IN (SELECT n.code FROM unit_names n WHERE {former}))"));
        }
        if let Some(on) = f.on {
            // In force that day: begun, not yet retired (`valid_to` and a waiting
            // `retires_on` are the first day it no longer is).
            args.push(Arg::S(on.to_string()));
            let d = args.len();
            conds.push(format!(
                "u.valid_from <= ${d} AND (u.valid_to IS NULL OR u.valid_to > ${d}) AND (u.retires_on IS NULL OR u.retires_on > ${d})"
            ));
        } else if !f.include_past {
            conds.push("u.valid_to IS NULL".into());
        }
        let wh = if conds.is_empty() { "1=1".to_string() } else { conds.join(" AND ") };
        let count_sql = format!("SELECT COUNT(*) FROM units u WHERE {wh}");
        let rows_sql = format!(
            "SELECT {COLS} FROM units u WHERE {wh} ORDER BY CASE u.level WHEN 'nation' THEN 0 WHEN 'province' THEN 1 WHEN 'commune' THEN 2 ELSE 3 END, u.name_fold, u.code"
        );
        let (mut items, total) = self.count_and_page(&count_sql, &rows_sql, args, f.limit, f.offset, unit_row).await?;
        if let Some(on) = f.on {
            for u in &mut items {
                u.name = self.name_on(u, on).await?;
            }
        }
        Ok((items, total))
    }

    /// The name a unit bore on a day: a former name whose days hold it, the name a
    /// waiting rename gives from its day, or the current one.
    pub async fn name_on(&self, u: &UnitRecord, on: chrono::NaiveDate) -> Result<String> {
        if let (Some(day), Some(to)) = (u.renames_on, &u.renames_to) {
            if on >= day {
                return Ok(to.clone());
            }
        }
        if u.name_from.is_none_or(|from| on >= from) {
            return Ok(u.name.clone());
        }
        let row: Option<(String,)> =
            sqlx::query_as("SELECT name FROM unit_names WHERE code = $1 AND valid_from <= $2 AND valid_to > $2")
                .bind(u.code.clone())
                .bind(on.to_string())
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map_or_else(|| u.name.clone(), |(n,)| n))
    }

    /// Whether another unit waits to retire into `code` (it must stay in force).
    pub async fn awaited_as_successor(&self, code: &str) -> Result<bool> {
        let row = sqlx::query("SELECT COUNT(*) FROM units WHERE retires_into = $1 AND valid_to IS NULL")
            .bind(code.to_string())
            .fetch_one(self.pool())
            .await?;
        Ok(crate::db::int_at(&row, 0)? > 0)
    }

    /// The names a unit bore before its current one, latest first.
    pub async fn former_names(&self, code: &str) -> Result<Vec<FormerName>> {
        let rows =
            sqlx::query("SELECT name, valid_from, valid_to FROM unit_names WHERE code = $1 ORDER BY valid_from DESC")
                .bind(code.to_string())
                .fetch_all(self.pool())
                .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new("unit_names", r);
                Ok(FormerName {
                    name: c.text("name")?,
                    valid_from: c.date("valid_from")?,
                    valid_to: c.date("valid_to")?,
                })
            })
            .collect()
    }

    /// Number of children of each of `codes`, for the unit browser.
    pub async fn child_counts(&self, parent: &str) -> Result<Vec<(String, i64)>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT u.code, (SELECT COUNT(*) FROM units c WHERE c.parent_code = u.code AND c.valid_to IS NULL) FROM units u WHERE u.parent_code = $1",
        )
        .bind(parent.to_string())
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// Counts of units by level inside a scope: (provinces, communes, areas).
    pub async fn unit_counts(&self, scope: &Scope) -> Result<(i64, i64, i64)> {
        let mut args = Vec::new();
        let c = clause(scope, Table::Units, &mut args);
        let sql = format!(
            "SELECT COALESCE(SUM(CASE WHEN u.level = 'province' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN u.level = 'commune' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN u.level = 'area' THEN 1 ELSE 0 END), 0) FROM units u WHERE u.valid_to IS NULL AND {c}"
        );
        let row = bind_all(sqlx::query(&sql), &args).fetch_one(self.pool()).await?;
        Ok((int_at(&row, 0)?, int_at(&row, 1)?, int_at(&row, 2)?))
    }
}

impl Tx {
    /// Adds a residential area under a commune and returns its new code. The
    /// caller has checked the commune is in scope.
    pub async fn create_area(&mut self, commune: &UnitRecord, name: &str, division_type: &str) -> Result<String> {
        self.exec(
            "UPDATE units SET next_child_seq = next_child_seq + 1 WHERE code = $1",
            &[commune.code.as_str().into()],
        )
        .await?;
        let (seq,): (i64,) = sqlx::query_as("SELECT next_child_seq FROM units WHERE code = $1")
            .bind(commune.code.clone())
            .fetch_one(&mut *self.tx)
            .await?;
        let code = domain::UnitCode::area(&commune.code, seq as u32).as_str().to_string();
        let args = unit_args(
            &code,
            name,
            "area",
            division_type,
            Some(&commune.code),
            commune.province_code.as_deref(),
            Some(&commune.code),
            &crate::clock::today_iso(),
            now_ms(),
        );
        self.insert_rows(UNIT_INSERT_HEAD, UNIT_COLS, &args).await?;
        Ok(code)
    }
}

impl Store {
    /// Every valid commune with its province: code → province code.
    pub async fn commune_provinces(&self) -> Result<std::collections::HashMap<String, String>> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT code, province_code FROM units WHERE level = 'commune' AND valid_to IS NULL")
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().collect())
    }
}

impl Tx {
    /// Bulk-inserts residential areas (name, kind) of one commune, numbered after
    /// the commune's existing areas (synthetic data).
    pub async fn insert_areas(&mut self, commune: &str, province: &str, rows: &[(String, &str)]) -> Result<()> {
        let now = now_ms();
        let (first,): (i64,) = sqlx::query_as("SELECT next_child_seq FROM units WHERE code = $1")
            .bind(commune.to_string())
            .fetch_one(&mut *self.tx)
            .await?;
        let mut args = Vec::with_capacity(rows.len() * UNIT_COLS);
        for (k, (name, kind)) in rows.iter().enumerate() {
            let code = domain::UnitCode::area(commune, (first + 1) as u32 + k as u32);
            args.extend(unit_args(
                code.as_str(),
                name,
                "area",
                kind,
                Some(commune),
                Some(province),
                Some(commune),
                UNITS_VALID_FROM,
                now,
            ));
        }
        self.insert_rows(UNIT_INSERT_HEAD, UNIT_COLS, &args).await?;
        self.exec(
            "UPDATE units SET next_child_seq = $1 WHERE code = $2",
            &[Arg::I(first + rows.len() as i64), commune.into()],
        )
        .await?;
        Ok(())
    }
}

impl Tx {
    /// Records a retirement from a future day: the unit stays active until then.
    pub async fn schedule_unit_retirement(
        &mut self,
        code: &str,
        on: &str,
        successor: Option<&str>,
        moving: bool,
    ) -> Result<()> {
        let n = self
            .exec(
                "UPDATE units SET retires_on = $1, retires_into = $2, retires_moving = $3 WHERE code = $4 AND valid_to IS NULL AND retires_on IS NULL",
                &[on.into(), successor.map(str::to_string).into(), Arg::I(i64::from(moving)), code.into()],
            )
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// The units whose retirement day has come: (code, day, successor, whether its
    /// open records move).
    pub async fn due_unit_retirements(&mut self, today: &str) -> Result<Vec<(String, String, Option<String>, bool)>> {
        let rows: Vec<(String, String, Option<String>, i64)> = sqlx::query_as(
            "SELECT code, retires_on, retires_into, retires_moving FROM units WHERE retires_on IS NOT NULL AND retires_on <= $1 AND valid_to IS NULL ORDER BY code",
        )
        .bind(today.to_string())
        .fetch_all(&mut *self.tx)
        .await?;
        Ok(rows.into_iter().map(|(c, d, s, m)| (c, d, s, m != 0)).collect())
    }

    /// Gives a unit a new name from `on` (YYYY-MM-DD, not after today), keeping the
    /// old one with its days.
    pub async fn rename_unit(&mut self, u: &UnitRecord, name: &str, on: &str) -> Result<()> {
        let from = u.name_from.unwrap_or(u.valid_from).to_string();
        self.exec(
            "INSERT INTO unit_names (code, name, name_fold, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5)",
            &[u.code.as_str().into(), u.name.as_str().into(), Arg::S(fold(&u.name)), from.into(), on.into()],
        )
        .await
        .map_err(|e| match e {
            StoreError::Db(d) => crate::db::conflict_as(d, "unit_name"),
            other => other,
        })?;
        self.exec(
            "UPDATE units SET name = $1, name_fold = $2, name_from = $3, renames_on = NULL, renames_to = NULL WHERE code = $4",
            &[name.into(), Arg::S(fold(name)), on.into(), u.code.as_str().into()],
        )
        .await?;
        Ok(())
    }

    /// Records a rename from a future day: the unit keeps its name until then.
    pub async fn schedule_unit_rename(&mut self, code: &str, name: &str, on: &str) -> Result<()> {
        self.exec(
            "UPDATE units SET renames_on = $1, renames_to = $2 WHERE code = $3",
            &[on.into(), name.into(), code.into()],
        )
        .await?;
        Ok(())
    }

    /// The units whose rename day has come.
    pub async fn due_unit_renames(&mut self, today: &str) -> Result<Vec<String>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT code FROM units WHERE renames_on IS NOT NULL AND renames_on <= $1 ORDER BY code")
                .bind(today.to_string())
                .fetch_all(&mut *self.tx)
                .await?;
        Ok(rows.into_iter().map(|(c,)| c).collect())
    }

    /// One unit by code, read inside the write.
    pub async fn unit(&mut self, code: &str) -> Result<UnitRecord> {
        let sql = format!("SELECT {COLS} FROM units u WHERE u.code = $1");
        unit_row(
            sqlx::query(&sql)
                .bind(code.to_string())
                .fetch_optional(&mut *self.tx)
                .await?
                .ok_or(StoreError::NotFound)?,
        )
    }

    /// Applies a waiting retirement: the day and successor become the unit's.
    pub async fn apply_unit_retirement(&mut self, code: &str) -> Result<()> {
        self.exec(
            "UPDATE units SET valid_to = retires_on, successor_code = retires_into, retires_on = NULL, retires_into = NULL, retires_moving = 0 WHERE code = $1 AND valid_to IS NULL AND retires_on IS NOT NULL",
            &[code.into()],
        )
        .await?;
        Ok(())
    }

    /// Ends a unit's validity on `valid_to` (YYYY-MM-DD), naming the unit that takes
    /// over. The row stays, so old names remain readable.
    pub async fn retire_unit(&mut self, code: &str, valid_to: &str, successor: Option<&str>) -> Result<()> {
        let n = self
            .exec(
                "UPDATE units SET valid_to = $1, successor_code = $2 WHERE code = $3 AND valid_to IS NULL",
                &[valid_to.into(), successor.map(str::to_string).into(), code.into()],
            )
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

impl Store {
    /// Every current commune: (code, province, division type: xã, phường, đặc khu), by
    /// code, for synthetic data.
    pub async fn commune_kinds(&self) -> Result<Vec<(String, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT code, province_code, division_type FROM units WHERE level = 'commune' AND valid_to IS NULL ORDER BY code",
        )
        .fetch_all(self.pool())
        .await?)
    }

    /// Every current residential area: (code, commune, province), by code.
    pub async fn area_keys(&self) -> Result<Vec<(String, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT code, commune_code, province_code FROM units WHERE level = 'area' AND valid_to IS NULL ORDER BY code",
        )
        .fetch_all(self.pool())
        .await?)
    }
}
