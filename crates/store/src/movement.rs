//! Models (mô hình tự quản, tự phòng), their evaluations, key-area decisions,
//! criterion 19, and the movement statistics of a scope.

use domain::Scope;
use serde::Serialize;

use crate::db::bind_all;
use crate::scope_sql::{clause, Table};
use crate::units::int_at;
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// A model type of the catalogue.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ModelType {
    /// Code.
    pub code: String,
    /// Name in Vietnamese.
    pub name: String,
    /// 1 when offered for new models.
    pub active: i64,
}

/// A model as stored, with its latest verdict.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ModelRecord {
    /// Id.
    pub id: i64,
    /// Type code.
    pub type_code: String,
    /// Name.
    pub name: String,
    /// Host unit (commune or residential area).
    pub unit_code: String,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: Option<String>,
    /// Start date (YYYY-MM-DD).
    pub started_on: String,
    /// Partners.
    pub partners: Option<String>,
    /// active | consolidated | replicated | dissolved.
    pub status: String,
    /// The model this one copies.
    pub replicates_id: Option<i64>,
    /// 1 when marked "Dân vận khéo".
    pub dan_van_kheo: i64,
    /// Latest evaluation's verdict.
    pub latest_verdict: Option<String>,
    /// Aggregate outcomes (free text: e.g. cases solved, cameras installed).
    pub outcomes: Option<String>,
}

const MODEL_SELECT: &str = "SELECT m.id, m.type_code, m.name, m.unit_code, m.province_code, m.commune_code, m.started_on, m.partners, m.status, m.replicates_id, m.dan_van_kheo, (SELECT e.verdict FROM model_evaluations e WHERE e.model_id = m.id ORDER BY e.year DESC LIMIT 1) AS latest_verdict, m.outcomes FROM models m";

/// A new model.
#[derive(Debug, Clone)]
pub struct NewModel {
    /// Type code.
    pub type_code: String,
    /// Name.
    pub name: String,
    /// Host unit.
    pub unit_code: String,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: Option<String>,
    /// Start date.
    pub started_on: String,
    /// Partners.
    pub partners: Option<String>,
    /// Copied model.
    pub replicates_id: Option<i64>,
    /// "Dân vận khéo".
    pub dan_van_kheo: bool,
}

fn map_model(r: sqlx::any::AnyRow) -> std::result::Result<ModelRecord, sqlx::Error> {
    <ModelRecord as sqlx::FromRow<_>>::from_row(&r)
}

/// Recognition figures of one subject kind.
#[derive(Debug, Clone, Copy, Serialize, Default)]
pub struct Recognition {
    /// Safe-unit assessments made.
    pub assessed: i64,
    /// Approved and passed.
    pub recognised: i64,
}

/// Raw movement statistics of a scope and year.
#[derive(Debug, Clone, Serialize, Default)]
pub struct MovementStats {
    /// Per subject kind: (subject, figures).
    pub safe_unit: Vec<(String, Recognition)>,
    /// Approved movement classifications per level code.
    pub by_level: Vec<(String, i64)>,
    /// Key-area designations decided in the year.
    pub designated: i64,
    /// Key-area removals decided in the year.
    pub removed: i64,
    /// Communes meeting criterion 19.
    pub criterion19_met: i64,
    /// Communes with a criterion-19 record.
    pub criterion19_communes: i64,
    /// Evaluations of the year saying "effective".
    pub models_effective: i64,
    /// Evaluations of the year saying "formal" (on paper only).
    pub models_formal: i64,
    /// Models per type that are not dissolved.
    pub models_by_type: Vec<(String, i64)>,
    /// Per type: (type, evaluated effective this year, evaluated formal this year).
    pub models_by_type_verdict: Vec<(String, i64, i64)>,
    /// Per subject kind: (subject, made, submitted, approved, late) — the progress
    /// against each kind's deadline.
    pub progress_by_subject: Vec<(String, i64, i64, i64, i64)>,
    /// Communes (valid today) in the scope: the denominator of criterion 19.
    pub communes_in_scope: i64,
    /// Assessments submitted (any status past draft).
    pub submitted: i64,
    /// Assessments approved or published.
    pub approved: i64,
    /// Assessments submitted late.
    pub late: i64,
}

/// Where assessment figures come from: the per-province tallies for the nation,
/// the per-commune tallies for a province or a commune (cost grows with the units
/// shown, not with the organisations), the assessments themselves for a
/// residential area or an organisation. Returns (relation, arguments with the year
/// first, scope condition); the relation has `year, instrument, subject,
/// province_code, status, passed, level, late, n` (and `commune_code` but for the
/// nation).
fn assessment_source(scope: &Scope, year: i64) -> (&'static str, Vec<Arg>, String) {
    let mut args = vec![Arg::I(year)];
    match scope {
        Scope::Nation => ("assessment_tallies_province", args, "1=1".to_string()),
        Scope::Area(_) | Scope::Organisation(_) => {
            let c = clause(scope, Table::Assessments, &mut args);
            ("(SELECT year, instrument, subject, status, COALESCE(passed, -1) AS passed, COALESCE(level, '') AS level, late, 1 AS n, province_code, COALESCE(commune_code, '') AS commune_code, unit_code, organisation_id FROM assessments)", args, c)
        }
        _ => {
            let c = clause(scope, Table::Tallies, &mut args);
            ("assessment_tallies", args, c)
        }
    }
}

impl Store {
    /// Runs a one-row query of integer columns and returns them in order.
    async fn counts(&self, sql: &str, args: &[Arg]) -> Result<Vec<i64>> {
        let row = bind_all(sqlx::query(sql), args).fetch_one(self.pool()).await?;
        (0..sqlx::Row::len(&row)).map(|i| int_at(&row, i)).collect()
    }

    /// Rebuilds the maintained tallies from the assessments (after a bulk load, or
    /// to repair); returns the number of tally rows.
    pub async fn rebuild_tallies(&self) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        tx.exec("DELETE FROM assessment_tallies", &[]).await?;
        tx.exec(
            "INSERT INTO assessment_tallies (year, instrument, subject, province_code, commune_code, status, passed, level, late, n) SELECT year, instrument, subject, province_code, COALESCE(commune_code, ''), status, COALESCE(passed, -1), COALESCE(level, ''), late, COUNT(*) FROM assessments GROUP BY year, instrument, subject, province_code, COALESCE(commune_code, ''), status, COALESCE(passed, -1), COALESCE(level, ''), late",
            &[],
        )
        .await?;
        tx.exec("DELETE FROM assessment_tallies_province", &[]).await?;
        tx.exec(
            "INSERT INTO assessment_tallies_province (year, instrument, subject, province_code, status, passed, level, late, n) SELECT year, instrument, subject, province_code, status, passed, level, late, SUM(n) FROM assessment_tallies GROUP BY year, instrument, subject, province_code, status, passed, level, late",
            &[],
        )
        .await?;
        tx.commit().await?;
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM assessment_tallies").fetch_one(self.pool()).await?;
        Ok(n)
    }

    /// The number of models stored (all scopes).
    pub async fn count_models(&self) -> Result<i64> {
        Ok(self.counts("SELECT COUNT(*) FROM models", &[]).await?[0])
    }

    /// The model type catalogue.
    pub async fn model_types(&self) -> Result<Vec<ModelType>> {
        Ok(sqlx::query_as("SELECT code, name, active FROM model_types ORDER BY name").fetch_all(self.pool()).await?)
    }

    /// One model in scope.
    pub async fn model(&self, scope: &Scope, id: i64) -> Result<ModelRecord> {
        let mut args = vec![Arg::I(id)];
        let c = clause(scope, Table::Models, &mut args);
        let sql = format!("{MODEL_SELECT} WHERE m.id = $1 AND {c}");
        bind_all(sqlx::query(&sql), &args)
            .try_map(map_model)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Models in scope.
    pub async fn list_models(&self, scope: &Scope, limit: i64, offset: i64) -> Result<(Vec<ModelRecord>, i64)> {
        let mut args = Vec::new();
        let c = clause(scope, Table::Models, &mut args);
        let count = format!("SELECT COUNT(*) FROM models m WHERE {c}");
        let rows = format!("{MODEL_SELECT} WHERE {c} ORDER BY m.id DESC");
        self.count_and_page(&count, &rows, args, limit, offset, map_model).await
    }

    /// Models hosted in a commune (or its areas) whose latest evaluation up to `year`
    /// says "effective".
    pub async fn working_models(&self, commune: &str, year: i64) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM models m WHERE m.commune_code = $1 AND m.status <> 'dissolved' AND (SELECT e.verdict FROM model_evaluations e WHERE e.model_id = m.id AND e.year <= $2 ORDER BY e.year DESC LIMIT 1) = 'effective'",
        )
        .bind(commune.to_string())
        .bind(year)
        .fetch_one(self.pool())
        .await?;
        int_at(&row, 0)
    }

    /// Whether a commune is currently a key area (its latest decision designates it).
    pub async fn is_key_area(&self, unit: &str) -> Result<bool> {
        let last: Option<(String,)> = sqlx::query_as(
            "SELECT action FROM key_area_events WHERE unit_code = $1 ORDER BY decision_date DESC, id DESC LIMIT 1",
        )
        .bind(unit.to_string())
        .fetch_optional(self.pool())
        .await?;
        Ok(last.is_some_and(|(a,)| a == "designate"))
    }

    /// Movement statistics of a scope for a year.
    pub async fn movement_stats(&self, scope: &Scope, year: i64) -> Result<MovementStats> {
        Ok(self.movement_stats_grouped(scope, year, false).await?.remove("").unwrap_or_default())
    }

    /// Movement statistics of a scope for a year per province (keyed by province
    /// code; provinces with no figures are absent): the same queries as
    /// [`Store::movement_stats`], each grouped by province, so a map of the 34
    /// provinces costs one round of queries, not 34.
    pub async fn movement_stats_by_province(
        &self,
        scope: &Scope,
        year: i64,
    ) -> Result<std::collections::BTreeMap<String, MovementStats>> {
        self.movement_stats_grouped(scope, year, true).await
    }

    /// The statistics, keyed by province when `by_province`, else under `""`.
    async fn movement_stats_grouped(
        &self,
        scope: &Scope,
        year: i64,
        by_province: bool,
    ) -> Result<std::collections::BTreeMap<String, MovementStats>> {
        let mut all: std::collections::BTreeMap<String, MovementStats> = std::collections::BTreeMap::new();
        // The key column of each query and the GROUP BY prefix that goes with it.
        let key = |alias: &str| -> (String, String) {
            if by_province {
                (format!("{alias}.province_code"), format!("{alias}.province_code, "))
            } else {
                ("CAST('' AS TEXT)".to_string(), String::new())
            }
        };
        let (rel, args, ca) = assessment_source(scope, year);
        let (k, g) = key("a");
        let rows = bind_all(
            sqlx::query(&format!(
                "SELECT {k}, a.subject, CAST(SUM(a.n) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN a.status IN ('approved','published') AND a.passed = 1 THEN a.n ELSE 0 END), 0) AS BIGINT) FROM {rel} a WHERE a.year = $1 AND a.instrument = 'safe_unit' AND {ca} GROUP BY {g}a.subject"
            )),
            &args,
        )
        .fetch_all(self.pool())
        .await?;
        for r in &rows {
            let st = all.entry(sqlx::Row::try_get(r, 0)?).or_default();
            let subject: String = sqlx::Row::try_get(r, 1)?;
            st.safe_unit.push((subject, Recognition { assessed: int_at(r, 2)?, recognised: int_at(r, 3)? }));
        }
        let rows = bind_all(
            sqlx::query(&format!(
                "SELECT {k}, a.level, CAST(SUM(a.n) AS BIGINT) FROM {rel} a WHERE a.year = $1 AND a.instrument = 'movement' AND a.status IN ('approved','published') AND a.level <> '' AND {ca} GROUP BY {g}a.level"
            )),
            &args,
        )
        .fetch_all(self.pool())
        .await?;
        for r in &rows {
            let st = all.entry(sqlx::Row::try_get(r, 0)?).or_default();
            st.by_level.push((sqlx::Row::try_get(r, 1)?, int_at(r, 2)?));
        }
        let rows = bind_all(
            sqlx::query(&format!(
                "SELECT {k}, a.subject, CAST(SUM(a.n) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN a.status <> 'draft' THEN a.n ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN a.status IN ('approved','published') THEN a.n ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN a.late = 1 THEN a.n ELSE 0 END), 0) AS BIGINT) FROM {rel} a WHERE a.year = $1 AND {ca} GROUP BY {g}a.subject"
            )),
            &args,
        )
        .fetch_all(self.pool())
        .await?;
        for r in &rows {
            let st = all.entry(sqlx::Row::try_get(r, 0)?).or_default();
            let p = (sqlx::Row::try_get(r, 1)?, int_at(r, 2)?, int_at(r, 3)?, int_at(r, 4)?, int_at(r, 5)?);
            st.submitted += p.2;
            st.approved += p.3;
            st.late += p.4;
            st.progress_by_subject.push(p);
        }

        // Plain counts: one row per province (or one row in all when not grouped).
        let grouped =
            |g: &str| if by_province { format!(" GROUP BY {}", g.trim_end_matches(", ")) } else { String::new() };
        let mut kargs = vec![Arg::S(format!("{year}-01-01")), Arg::S(format!("{year}-12-31"))];
        let ck = clause(scope, Table::KeyAreas, &mut kargs);
        let (k, g) = key("k");
        let rows = bind_all(sqlx::query(&format!(
                "SELECT {k}, CAST(COALESCE(SUM(CASE WHEN k.action = 'designate' THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN k.action = 'remove' THEN 1 ELSE 0 END), 0) AS BIGINT) FROM key_area_events k WHERE k.decision_date BETWEEN $1 AND $2 AND {ck}{}", grouped(&g)
            )), &kargs).fetch_all(self.pool()).await?;
        for r in &rows {
            let st = all.entry(sqlx::Row::try_get(r, 0)?).or_default();
            (st.designated, st.removed) = (int_at(r, 1)?, int_at(r, 2)?);
        }

        let mut cargs = vec![Arg::I(year)];
        let cc = clause(scope, Table::Criterion19, &mut cargs);
        let (k, g) = key("c");
        let rows = bind_all(sqlx::query(&format!("SELECT {k}, CAST(COALESCE(SUM(c.met), 0) AS BIGINT), CAST(COUNT(*) AS BIGINT) FROM criterion19 c WHERE c.year = $1 AND {cc}{}", grouped(&g))), &cargs)
            .fetch_all(self.pool())
            .await?;
        for r in &rows {
            let st = all.entry(sqlx::Row::try_get(r, 0)?).or_default();
            (st.criterion19_met, st.criterion19_communes) = (int_at(r, 1)?, int_at(r, 2)?);
        }

        let mut margs = vec![Arg::I(year)];
        let cm = clause(scope, Table::Models, &mut margs);
        let (k, g) = key("m");
        let rows = bind_all(sqlx::query(&format!(
                "SELECT {k}, CAST(COALESCE(SUM(CASE WHEN e.verdict = 'effective' THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN e.verdict = 'formal' THEN 1 ELSE 0 END), 0) AS BIGINT) FROM model_evaluations e JOIN models m ON m.id = e.model_id WHERE e.year = $1 AND {cm}{}", grouped(&g)
            )), &margs).fetch_all(self.pool()).await?;
        for r in &rows {
            let st = all.entry(sqlx::Row::try_get(r, 0)?).or_default();
            (st.models_effective, st.models_formal) = (int_at(r, 1)?, int_at(r, 2)?);
        }
        let rows = bind_all(
            sqlx::query(&format!("SELECT {k}, m.type_code, CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN e.verdict = 'effective' THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN e.verdict = 'formal' THEN 1 ELSE 0 END), 0) AS BIGINT) FROM models m LEFT JOIN model_evaluations e ON e.model_id = m.id AND e.year = $1 WHERE m.status <> 'dissolved' AND {cm} GROUP BY {g}m.type_code ORDER BY m.type_code")),
            &margs,
        )
        .fetch_all(self.pool())
        .await?;
        for r in &rows {
            let st = all.entry(sqlx::Row::try_get(r, 0)?).or_default();
            let code: String = sqlx::Row::try_get(r, 1)?;
            st.models_by_type.push((code.clone(), int_at(r, 2)?));
            st.models_by_type_verdict.push((code, int_at(r, 3)?, int_at(r, 4)?));
        }
        let (k, g) = key("u");
        let communes = |cond: &str| {
            format!(
                "SELECT {k}, CAST(COUNT(*) AS BIGINT) FROM units u WHERE u.level = 'commune' AND u.valid_to IS NULL{cond}{}",
                grouped(&g)
            )
        };
        let rows = match scope {
            Scope::Nation => sqlx::query(&communes("")).fetch_all(self.pool()).await?,
            Scope::Province(p) => {
                sqlx::query(&communes(" AND u.province_code = $1")).bind(p.clone()).fetch_all(self.pool()).await?
            }
            _ => Vec::new(),
        };
        for r in &rows {
            all.entry(sqlx::Row::try_get(r, 0)?).or_default().communes_in_scope = int_at(r, 1)?;
        }
        if let Scope::Commune(c) = scope {
            let province =
                if by_province { self.unit(c).await?.province_code.unwrap_or_default() } else { String::new() };
            all.entry(province).or_default().communes_in_scope = 1;
        }
        Ok(all)
    }
}

impl Tx {
    /// Inserts a model.
    pub async fn insert_model(&mut self, m: &NewModel) -> Result<i64> {
        let now = now_ms();
        let row = bind_all(
            sqlx::query("INSERT INTO models (type_code, name, unit_code, province_code, commune_code, started_on, partners, replicates_id, dan_van_kheo, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$10) RETURNING id"),
            &[
                m.type_code.as_str().into(),
                m.name.as_str().into(),
                m.unit_code.as_str().into(),
                m.province_code.as_str().into(),
                m.commune_code.clone().into(),
                m.started_on.as_str().into(),
                m.partners.clone().into(),
                m.replicates_id.into(),
                Arg::I(i64::from(m.dan_van_kheo)),
                Arg::I(now),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        int_at(&row, 0)
    }

    /// Records a model's evaluation for a year (one per year).
    pub async fn insert_model_evaluation(
        &mut self,
        model_id: i64,
        year: i64,
        verdict: &str,
        note: Option<&str>,
        by: Option<i64>,
    ) -> Result<i64> {
        let row = bind_all(
            sqlx::query("INSERT INTO model_evaluations (model_id, year, verdict, note, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id"),
            &[Arg::I(model_id), Arg::I(year), verdict.into(), note.map(str::to_string).into(), by.into(), Arg::I(now_ms())],
        )
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| crate::db::conflict_as(e, "evaluation"))?;
        int_at(&row, 0)
    }

    /// Records a key-area decision.
    #[allow(clippy::too_many_arguments)]
    pub async fn insert_key_area_event(
        &mut self,
        unit: &str,
        province: &str,
        commune: Option<&str>,
        action: &str,
        number: &str,
        date: &str,
        by: Option<i64>,
    ) -> Result<i64> {
        let row = bind_all(
            sqlx::query("INSERT INTO key_area_events (unit_code, province_code, commune_code, action, decision_number, decision_date, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id"),
            &[unit.into(), province.into(), commune.map(str::to_string).into(), action.into(), number.into(), date.into(), by.into(), Arg::I(now_ms())],
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

impl Store {
    /// Safe-unit recognition per child unit of a scope (provinces for the nation,
    /// communes for a province): (code, assessed, recognised).
    pub async fn recognition_by_child(&self, scope: &Scope, year: i64) -> Result<Vec<(String, i64, i64)>> {
        let col = match scope {
            Scope::Nation => "a.province_code",
            Scope::Province(_) => "a.commune_code",
            _ => return Ok(Vec::new()),
        };
        let (rel, args, c) = assessment_source(scope, year);
        let sql = format!(
            "SELECT {col}, CAST(SUM(a.n) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN a.status IN ('approved','published') AND a.passed = 1 THEN a.n ELSE 0 END), 0) AS BIGINT) FROM {rel} a WHERE a.year = $1 AND a.instrument = 'safe_unit' AND {col} <> '' AND {c} GROUP BY {col}"
        );
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok((sqlx::Row::try_get(r, 0)?, int_at(r, 1)?, int_at(r, 2)?))).collect()
    }
}

/// A key-area decision as listed.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct KeyAreaEvent {
    /// designate | remove
    pub action: String,
    /// Decision number.
    pub decision_number: String,
    /// Decision date (YYYY-MM-DD).
    pub decision_date: String,
}

impl Store {
    /// The key-area decisions of a unit, newest first (its history).
    pub async fn key_area_history(&self, unit: &str) -> Result<Vec<KeyAreaEvent>> {
        Ok(sqlx::query_as("SELECT action, decision_number, decision_date FROM key_area_events WHERE unit_code = $1 ORDER BY decision_date DESC, id DESC")
            .bind(unit.to_string())
            .fetch_all(self.pool())
            .await?)
    }
}

/// A key-area decision with its commune, as listed on the key-area page.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct KeyAreaRow {
    /// Commune code.
    pub unit_code: String,
    /// Commune name.
    pub unit_name: String,
    /// designate | remove
    pub action: String,
    /// Decision number.
    pub decision_number: String,
    /// Decision date (YYYY-MM-DD).
    pub decision_date: String,
}

/// A commune's criterion-19 record for a year (`met` is `None` when not reported).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Criterion19Row {
    /// Commune code.
    pub unit_code: String,
    /// Commune name.
    pub unit_name: String,
    /// 1 met, 0 not met, NULL not reported.
    pub met: Option<i64>,
}

/// Which models a list shows.
#[derive(Debug, Clone, Default)]
pub struct ModelFilter {
    /// Model type code.
    pub type_code: Option<String>,
    /// With this verdict in `year` (`effective` or `formal`).
    pub verdict: Option<String>,
    /// The year of `verdict`.
    pub year: Option<i64>,
    /// Status (`active`, …); dissolved models are listed only when asked for.
    pub status: Option<String>,
}

impl Store {
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
        self.count_and_page(&count, &rows, args, limit, offset, |r| <KeyAreaRow as sqlx::FromRow<_>>::from_row(&r))
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
        self.count_and_page(&count, &rows, args, limit, offset, |r| <Criterion19Row as sqlx::FromRow<_>>::from_row(&r))
            .await
    }

    /// Models in scope matching a filter, newest first.
    pub async fn list_models_filtered(
        &self,
        scope: &Scope,
        f: &ModelFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<ModelRecord>, i64)> {
        let mut args = Vec::new();
        let mut conds = vec![clause(scope, Table::Models, &mut args)];
        if let Some(t) = f.type_code.as_deref().filter(|t| !t.is_empty()) {
            args.push(t.into());
            conds.push(format!("m.type_code = ${}", args.len()));
        }
        match f.status.as_deref().filter(|t| !t.is_empty()) {
            Some(st) => {
                args.push(st.into());
                conds.push(format!("m.status = ${}", args.len()));
            }
            None if f.verdict.is_some() => conds.push("m.status <> 'dissolved'".into()),
            None => {}
        }
        if let (Some(v), Some(y)) = (f.verdict.as_deref().filter(|t| !t.is_empty()), f.year) {
            args.push(v.into());
            args.push(Arg::I(y));
            conds.push(format!(
                "EXISTS (SELECT 1 FROM model_evaluations e WHERE e.model_id = m.id AND e.verdict = ${} AND e.year = ${})",
                args.len() - 1,
                args.len()
            ));
        }
        let wh = conds.join(" AND ");
        let count = format!("SELECT COUNT(*) FROM models m WHERE {wh}");
        let rows = format!("{MODEL_SELECT} WHERE {wh} ORDER BY m.id DESC");
        self.count_and_page(&count, &rows, args, limit, offset, map_model).await
    }

    /// Whether a model exists (anywhere; for replication links).
    pub async fn model_exists(&self, id: i64) -> Result<bool> {
        let r: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM models WHERE id = $1").bind(id).fetch_optional(self.pool()).await?;
        Ok(r.is_some())
    }

    /// A model's evaluations, newest year first: (year, verdict, note).
    pub async fn model_evaluations(&self, model_id: i64) -> Result<Vec<(i64, String, Option<String>)>> {
        Ok(sqlx::query_as("SELECT year, verdict, note FROM model_evaluations WHERE model_id = $1 ORDER BY year DESC")
            .bind(model_id)
            .fetch_all(self.pool())
            .await?)
    }
}

impl Tx {
    /// Updates what may change on a model: status, partners, "Dân vận khéo", outcomes.
    pub async fn update_model(
        &mut self,
        id: i64,
        status: &str,
        partners: Option<&str>,
        dan_van_kheo: bool,
        outcomes: Option<&str>,
    ) -> Result<()> {
        self.exec(
            "UPDATE models SET status = $1, partners = $2, dan_van_kheo = $3, outcomes = $4, updated_at = $5 WHERE id = $6",
            &[
                status.into(),
                partners.map(str::to_string).into(),
                Arg::I(i64::from(dan_van_kheo)),
                outcomes.map(str::to_string).into(),
                Arg::I(now_ms()),
                Arg::I(id),
            ],
        )
        .await?;
        Ok(())
    }

    /// Adds or renames a model type of the catalogue, or withdraws it from new models.
    pub async fn put_model_type(&mut self, code: &str, name: &str, active: bool) -> Result<()> {
        let n = self
            .exec(
                "UPDATE model_types SET name = $1, active = $2 WHERE code = $3",
                &[name.into(), Arg::I(i64::from(active)), code.into()],
            )
            .await?;
        if n == 0 {
            self.exec(
                "INSERT INTO model_types (code, name, active) VALUES ($1, $2, $3)",
                &[code.into(), name.into(), Arg::I(i64::from(active))],
            )
            .await?;
        }
        Ok(())
    }
}
