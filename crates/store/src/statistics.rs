//! The movement statistics of a scope and year: recognition, classification,
//! progress against the deadlines, key areas, criterion 19 and models, read from
//! the maintained assessment tallies.

use domain::criteria::Subject;
use domain::Scope;
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::{bind_all, int_at};
use crate::scope_sql::{clause, Table};
use crate::{Arg, Result, Store};

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
    pub safe_unit: Vec<(Subject, Recognition)>,
    /// Approved movement classifications per level code (text: the criteria sets
    /// define the levels as data).
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
    /// Models per type that are not dissolved (type codes are catalogue data).
    pub models_by_type: Vec<(String, i64)>,
    /// Per type: (type, evaluated effective this year, evaluated formal this year).
    pub models_by_type_verdict: Vec<(String, i64, i64)>,
    /// Per subject kind: (subject, made, submitted, approved, late) — the progress
    /// against each kind's deadline.
    pub progress_by_subject: Vec<(Subject, i64, i64, i64, i64)>,
    /// Communes (valid today) in the scope: the denominator of criterion 19.
    pub communes_in_scope: i64,
    /// Assessments submitted (any status past draft).
    pub submitted: i64,
    /// Assessments approved or published.
    pub approved: i64,
    /// Assessments submitted late.
    pub late: i64,
}

/// Statistics by key: province code, or `""` when not grouped.
pub type ByKey = std::collections::BTreeMap<String, MovementStats>;

/// How the statistics' queries group: per province, or all in one row under `""`.
#[derive(Debug, Clone, Copy)]
struct Grouping {
    by_province: bool,
}

impl Grouping {
    /// The key column of a query on `alias` and the GROUP BY prefix that goes with it.
    fn key(self, alias: &str) -> (String, String) {
        if self.by_province {
            (format!("{alias}.province_code"), format!("{alias}.province_code, "))
        } else {
            ("CAST('' AS TEXT)".to_string(), String::new())
        }
    }

    /// The GROUP BY of a plain count (one row per province, or one row in all),
    /// from the prefix [`Grouping::key`] gave.
    fn grouped(self, prefix: &str) -> String {
        if self.by_province {
            format!(" GROUP BY {}", prefix.trim_end_matches(", "))
        } else {
            String::new()
        }
    }
}

/// The subject kind in column `i` of a tally row.
fn subject_at(r: &sqlx::any::AnyRow, i: usize) -> Result<Subject> {
    let code: String = sqlx::Row::try_get(r, i)?;
    crate::decode::parsed("assessment_tallies", "subject", &code, Subject::parse)
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

    /// Movement statistics of a scope for a year.
    pub async fn movement_stats(&self, scope: &Scope, year: i64) -> Result<MovementStats> {
        Ok(self.movement_stats_grouped(scope, year, false).await?.remove("").unwrap_or_default())
    }

    /// Movement statistics of a scope for a year per province (keyed by province
    /// code; provinces with no figures are absent): the same queries as
    /// [`Store::movement_stats`], each grouped by province, so a map of the 34
    /// provinces costs one round of queries, not 34.
    pub async fn movement_stats_by_province(&self, scope: &Scope, year: i64) -> Result<ByKey> {
        self.movement_stats_grouped(scope, year, true).await
    }

    /// The statistics, keyed by province when `by_province`, else under `""`.
    async fn movement_stats_grouped(&self, scope: &Scope, year: i64, by_province: bool) -> Result<ByKey> {
        let g = Grouping { by_province };
        let mut all = ByKey::new();
        self.assessment_figures(&mut all, scope, year, g).await?;
        self.key_area_figures(&mut all, scope, year, g).await?;
        self.criterion19_figures(&mut all, scope, year, g).await?;
        self.model_figures(&mut all, scope, year, g).await?;
        self.commune_figures(&mut all, scope, g).await?;
        Ok(all)
    }

    /// Runs `sql` and hands each row, with the statistics of its key (column 0), to `f`.
    async fn fold_rows(
        &self,
        all: &mut ByKey,
        sql: &str,
        args: &[Arg],
        mut f: impl FnMut(&mut MovementStats, &AnyRow) -> Result<()>,
    ) -> Result<()> {
        let rows = bind_all(sqlx::query(sql), args).fetch_all(self.pool()).await?;
        for r in &rows {
            f(all.entry(sqlx::Row::try_get(r, 0)?).or_default(), r)?;
        }
        Ok(())
    }

    /// Recognition, classification and progress, from the assessments' tallies.
    async fn assessment_figures(&self, all: &mut ByKey, scope: &Scope, year: i64, g: Grouping) -> Result<()> {
        let (rel, args, ca) = assessment_source(scope, year);
        let (k, g) = g.key("a");
        let sql = format!(
            "SELECT {k}, a.subject, CAST(SUM(a.n) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN a.status IN ('approved','published') AND a.passed = 1 THEN a.n ELSE 0 END), 0) AS BIGINT) FROM {rel} a WHERE a.year = $1 AND a.instrument = 'safe_unit' AND {ca} GROUP BY {g}a.subject"
        );
        self.fold_rows(all, &sql, &args, |st, r| {
            let subject = subject_at(r, 1)?;
            st.safe_unit.push((subject, Recognition { assessed: int_at(r, 2)?, recognised: int_at(r, 3)? }));
            Ok(())
        })
        .await?;
        let sql = format!(
            "SELECT {k}, a.level, CAST(SUM(a.n) AS BIGINT) FROM {rel} a WHERE a.year = $1 AND a.instrument = 'movement' AND a.status IN ('approved','published') AND a.level <> '' AND {ca} GROUP BY {g}a.level"
        );
        self.fold_rows(all, &sql, &args, |st, r| {
            st.by_level.push((sqlx::Row::try_get(r, 1)?, int_at(r, 2)?));
            Ok(())
        })
        .await?;
        let sql = format!(
            "SELECT {k}, a.subject, CAST(SUM(a.n) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN a.status <> 'draft' THEN a.n ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN a.status IN ('approved','published') THEN a.n ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN a.late = 1 THEN a.n ELSE 0 END), 0) AS BIGINT) FROM {rel} a WHERE a.year = $1 AND {ca} GROUP BY {g}a.subject"
        );
        self.fold_rows(all, &sql, &args, |st, r| {
            let p = (subject_at(r, 1)?, int_at(r, 2)?, int_at(r, 3)?, int_at(r, 4)?, int_at(r, 5)?);
            st.submitted += p.2;
            st.approved += p.3;
            st.late += p.4;
            st.progress_by_subject.push(p);
            Ok(())
        })
        .await
    }

    /// Key-area designations and removals decided in the year.
    async fn key_area_figures(&self, all: &mut ByKey, scope: &Scope, year: i64, g: Grouping) -> Result<()> {
        let mut args = vec![Arg::S(format!("{year}-01-01")), Arg::S(format!("{year}-12-31"))];
        let ck = clause(scope, Table::KeyAreas, &mut args);
        let (k, by) = g.key("k");
        let sql = format!(
            "SELECT {k}, CAST(COALESCE(SUM(CASE WHEN k.action = 'designate' THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN k.action = 'remove' THEN 1 ELSE 0 END), 0) AS BIGINT) FROM key_area_events k WHERE k.decision_date BETWEEN $1 AND $2 AND {ck}{}",
            g.grouped(&by)
        );
        self.fold_rows(all, &sql, &args, |st, r| {
            (st.designated, st.removed) = (int_at(r, 1)?, int_at(r, 2)?);
            Ok(())
        })
        .await
    }

    /// Communes meeting criterion 19, and communes with a record.
    async fn criterion19_figures(&self, all: &mut ByKey, scope: &Scope, year: i64, g: Grouping) -> Result<()> {
        let mut args = vec![Arg::I(year)];
        let cc = clause(scope, Table::Criterion19, &mut args);
        let (k, by) = g.key("c");
        let sql = format!(
            "SELECT {k}, CAST(COALESCE(SUM(c.met), 0) AS BIGINT), CAST(COUNT(*) AS BIGINT) FROM criterion19 c WHERE c.year = $1 AND {cc}{}",
            g.grouped(&by)
        );
        self.fold_rows(all, &sql, &args, |st, r| {
            (st.criterion19_met, st.criterion19_communes) = (int_at(r, 1)?, int_at(r, 2)?);
            Ok(())
        })
        .await
    }

    /// The year's evaluations, and the models per type.
    async fn model_figures(&self, all: &mut ByKey, scope: &Scope, year: i64, g: Grouping) -> Result<()> {
        let mut args = vec![Arg::I(year)];
        let cm = clause(scope, Table::Models, &mut args);
        let (k, by) = g.key("m");
        let sql = format!(
            "SELECT {k}, CAST(COALESCE(SUM(CASE WHEN e.verdict = 'effective' THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN e.verdict = 'formal' THEN 1 ELSE 0 END), 0) AS BIGINT) FROM model_evaluations e JOIN models m ON m.id = e.model_id WHERE e.year = $1 AND {cm}{}",
            g.grouped(&by)
        );
        self.fold_rows(all, &sql, &args, |st, r| {
            (st.models_effective, st.models_formal) = (int_at(r, 1)?, int_at(r, 2)?);
            Ok(())
        })
        .await?;
        let sql = format!("SELECT {k}, m.type_code, CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN e.verdict = 'effective' THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN e.verdict = 'formal' THEN 1 ELSE 0 END), 0) AS BIGINT) FROM models m LEFT JOIN model_evaluations e ON e.model_id = m.id AND e.year = $1 WHERE m.status <> 'dissolved' AND {cm} GROUP BY {by}m.type_code ORDER BY m.type_code");
        self.fold_rows(all, &sql, &args, |st, r| {
            let code: String = sqlx::Row::try_get(r, 1)?;
            st.models_by_type.push((code.clone(), int_at(r, 2)?));
            st.models_by_type_verdict.push((code, int_at(r, 3)?, int_at(r, 4)?));
            Ok(())
        })
        .await
    }

    /// The communes valid today in the scope: the denominator of criterion 19.
    async fn commune_figures(&self, all: &mut ByKey, scope: &Scope, g: Grouping) -> Result<()> {
        let (k, by) = g.key("u");
        let communes = |cond: &str| {
            format!(
                "SELECT {k}, CAST(COUNT(*) AS BIGINT) FROM units u WHERE u.level = 'commune' AND u.valid_to IS NULL{cond}{}",
                g.grouped(&by)
            )
        };
        let set = |st: &mut MovementStats, r: &AnyRow| {
            st.communes_in_scope = int_at(r, 1)?;
            Ok(())
        };
        match scope {
            Scope::Nation => self.fold_rows(all, &communes(""), &[], set).await?,
            Scope::Province(p) => {
                self.fold_rows(all, &communes(" AND u.province_code = $1"), &[p.as_str().into()], set).await?
            }
            Scope::Commune(c) => {
                let province =
                    if g.by_province { self.unit(c).await?.province_code.unwrap_or_default() } else { String::new() };
                all.entry(province).or_default().communes_in_scope = 1;
            }
            _ => {}
        }
        Ok(())
    }

    /// Safe-unit recognition per commune of a scope (the nation's 3,321 or a
    /// province's), from the per-commune tallies: (commune code, assessed, recognised).
    pub async fn recognition_by_commune(&self, scope: &Scope, year: i64) -> Result<Vec<(String, i64, i64)>> {
        let mut args = vec![Arg::I(year)];
        let c = match scope {
            Scope::Nation => "1=1".to_string(),
            Scope::Province(_) | Scope::Commune(_) => clause(scope, Table::Tallies, &mut args),
            _ => return Ok(Vec::new()),
        };
        let sql = format!(
            "SELECT a.commune_code, CAST(SUM(a.n) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN a.status IN ('approved','published') AND a.passed = 1 THEN a.n ELSE 0 END), 0) AS BIGINT) FROM assessment_tallies a WHERE a.year = $1 AND a.instrument = 'safe_unit' AND a.commune_code <> '' AND {c} GROUP BY a.commune_code"
        );
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok((sqlx::Row::try_get(r, 0)?, int_at(r, 1)?, int_at(r, 2)?))).collect()
    }

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
