//! The movement statistics of a scope: the figures (kept between requests, see
//! `cached`), recognition per child unit, the map's indicators; the XLSX workbook
//! in `workbook`, the province's yearly summary PDF in `summary`.

pub mod commune_map;
mod summary;
mod workbook;

use domain::criteria::Subject;
use domain::Level;
use store::statistics::MovementStats;

use crate::error::AppResult;
use crate::{Actor, App};

impl App {
    /// Movement statistics of the actor's scope, or of a unit inside it.
    pub async fn movement_stats(&self, actor: &Actor, year: i64, unit: Option<&str>) -> AppResult<MovementStats> {
        let scope = self.narrowed_scope(actor, unit).await?;
        let st = self
            .memo(format!("stats|{scope:?}|{year}"), || async { Ok(self.store.movement_stats(&scope, year).await?) })
            .await?;
        Ok(MovementStats::clone(&st))
    }

    /// Movement statistics per province of the actor's scope (or of a unit inside
    /// it), in one round of grouped queries: the nation map's figures.
    pub async fn movement_stats_by_province(
        &self,
        actor: &Actor,
        year: i64,
        unit: Option<&str>,
    ) -> AppResult<std::collections::BTreeMap<String, MovementStats>> {
        let scope = self.narrowed_scope(actor, unit).await?;
        let by = self
            .memo(format!("stats_by_province|{scope:?}|{year}"), || async {
                Ok(self.store.movement_stats_by_province(&scope, year).await?)
            })
            .await?;
        Ok((*by).clone())
    }

    /// Recognition per child unit of the actor's scope (or of a unit inside it), with
    /// the children's names: (code, name, assessed, recognised), every child listed.
    pub async fn recognition_by_child(
        &self,
        actor: &Actor,
        year: i64,
        unit: Option<&str>,
    ) -> AppResult<Vec<(String, String, i64, i64)>> {
        let scope = self.narrowed_scope(actor, unit).await?;
        let (level, parent) = match &scope {
            domain::Scope::Nation => (Level::Province, None),
            domain::Scope::Province(p) => (Level::Commune, Some(p.clone())),
            _ => return Ok(Vec::new()),
        };
        self.recognition_of_units(&scope, year, level, parent, Grouping::Child).await
    }
}

impl App {
    /// Safe-unit recognition of every commune in the actor's scope (narrowed to
    /// `unit`): (code, name, assessed, recognised) — the point map's dots; kept in
    /// the figures memo like the other dashboard figures.
    pub async fn recognition_by_commune(
        &self,
        actor: &Actor,
        year: i64,
        unit: Option<&str>,
    ) -> AppResult<Vec<(String, String, i64, i64)>> {
        let scope = self.narrowed_scope(actor, unit).await?;
        let parent = match &scope {
            domain::Scope::Nation => None,
            domain::Scope::Province(p) => Some(p.clone()),
            _ => return Ok(Vec::new()),
        };
        self.recognition_of_units(&scope, year, Level::Commune, parent, Grouping::Commune).await
    }

    /// The units of `level` under `parent` (all of them when none), each with its
    /// (assessed, recognised) from the store's grouping `by`, kept in the figures memo.
    async fn recognition_of_units(
        &self,
        scope: &domain::Scope,
        year: i64,
        level: Level,
        parent: Option<String>,
        by: Grouping,
    ) -> AppResult<Vec<(String, String, i64, i64)>> {
        let rows = self
            .memo(format!("recognition_by_{by:?}|{scope:?}|{year}"), || async {
                let grouped = match by {
                    Grouping::Commune => self.store.recognition_by_commune(scope, year).await?,
                    Grouping::Child => self.store.recognition_by_child(scope, year).await?,
                };
                let figures: std::collections::HashMap<String, (i64, i64)> =
                    grouped.into_iter().map(|(c, a, r)| (c, (a, r))).collect();
                let f = store::units::UnitFilter { level: Some(level), parent, limit: 5000, ..Default::default() };
                let (units, _) = self.store.list_units(&f).await?;
                Ok(units
                    .into_iter()
                    .map(|u| {
                        let (a, r) = figures.get(&u.code).copied().unwrap_or((0, 0));
                        (u.code, u.name, a, r)
                    })
                    .collect::<Vec<_>>())
            })
            .await?;
        Ok((*rows).clone())
    }
}

/// How the store groups recognition: by the scope's children (provinces for the
/// nation, communes for a province), or by every commune.
#[derive(Debug, Clone, Copy)]
enum Grouping {
    Child,
    Commune,
}

/// Indicators the province map can be coloured by (each a share in 0..=1 where
/// higher is better).
pub const MAP_INDICATORS: [&str; 13] = [
    "recognition",
    "recognition.residential_area",
    "recognition.commune",
    "recognition.agency",
    "recognition.enterprise",
    "recognition.school",
    "approved",
    "on_time",
    "criterion19",
    "models_effective",
    "key_areas_removed",
    "tasks_overdue",
    "plans_issued",
];

/// The map's indicators drawn from the working year, not from the movement.
pub const WORKING_YEAR_INDICATORS: [&str; 2] = ["tasks_overdue", "plans_issued"];

/// A working-year indicator of one province: (share, numerator, denominator).
pub fn working_year_value(y: &store::reports::ProvinceYear, indicator: &str) -> Option<(f64, i64, i64)> {
    let ratio = |n: i64, d: i64| (d > 0).then(|| (n as f64 / d as f64, n, d));
    match indicator {
        "tasks_overdue" => ratio(y.overdue, y.assignments),
        "plans_issued" => ratio(y.plans_issued, y.plans_expected),
        _ => None,
    }
}

/// The value of a map indicator from a unit's statistics, with its numerator and
/// denominator; `None` when there is nothing to measure (e.g. no assessments).
pub fn indicator_value(st: &MovementStats, indicator: &str) -> Option<(f64, i64, i64)> {
    let ratio = |n: i64, d: i64| (d > 0).then(|| (n as f64 / d as f64, n, d));
    let made: i64 = st.progress_by_subject.iter().map(|p| p.1).sum();
    match indicator {
        "recognition" => {
            let (r, a) = st.safe_unit.iter().fold((0, 0), |acc, (_, f)| (acc.0 + f.recognised, acc.1 + f.assessed));
            ratio(r, a)
        }
        "approved" => ratio(st.approved, made),
        "on_time" => ratio(st.submitted - st.late, st.submitted),
        "criterion19" => ratio(st.criterion19_met, st.communes_in_scope),
        "models_effective" => ratio(st.models_effective, st.models_effective + st.models_formal),
        "key_areas_removed" => ratio(st.removed, st.designated + st.removed),
        other => {
            let subject = other.strip_prefix("recognition.")?;
            let f = st.safe_unit.iter().find(|(s, _)| s.as_str() == subject).map(|(_, f)| *f)?;
            ratio(f.recognised, f.assessed)
        }
    }
}

impl App {
    /// The working year per province of the nation (the map), kept like the figures.
    pub async fn year_by_province(
        &self,
        actor: &Actor,
        year: i64,
    ) -> AppResult<std::collections::BTreeMap<String, store::reports::ProvinceYear>> {
        if !matches!(actor.scope, domain::Scope::Nation) {
            return Ok(Default::default());
        }
        let by = self
            .memo(format!("year_by_province|{year}"), || async {
                Ok(self.store.year_by_province(year, &store::clock::today_iso()).await?)
            })
            .await?;
        Ok((*by).clone())
    }
}

/// Vietnamese label of a subject kind.
pub fn subject_label(s: Subject) -> &'static str {
    match s {
        Subject::ResidentialArea => "Khu dân cư",
        Subject::Commune => "Xã, phường, đặc khu",
        Subject::Agency => "Cơ quan",
        Subject::Enterprise => "Doanh nghiệp",
        Subject::School => "Nhà trường",
    }
}
