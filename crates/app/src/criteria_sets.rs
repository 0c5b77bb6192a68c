//! Criteria sets: the shipped defaults in `data/criteria/`, the stored versions,
//! and new versions added by the ministry.

use domain::criteria::{CriteriaSet, Instrument, Subject};
use domain::{Role, ValidationError};
use serde::Serialize;
use store::StoreError;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// The default criteria sets shipped in `data/criteria/` (see its README for provenance).
pub const SHIPPED_SETS: &[(&str, &str)] = &[
    ("safe_unit-residential_area", include_str!("../../../data/criteria/safe_unit-residential_area.toml")),
    ("safe_unit-commune", include_str!("../../../data/criteria/safe_unit-commune.toml")),
    ("safe_unit-agency", include_str!("../../../data/criteria/safe_unit-agency.toml")),
    ("safe_unit-enterprise", include_str!("../../../data/criteria/safe_unit-enterprise.toml")),
    ("safe_unit-school", include_str!("../../../data/criteria/safe_unit-school.toml")),
    ("movement-residential_area", include_str!("../../../data/criteria/movement-residential_area.toml")),
    ("movement-commune", include_str!("../../../data/criteria/movement-commune.toml")),
    ("movement-agency", include_str!("../../../data/criteria/movement-agency.toml")),
    ("movement-enterprise", include_str!("../../../data/criteria/movement-enterprise.toml")),
    ("movement-school", include_str!("../../../data/criteria/movement-school.toml")),
    // Version 2022.2: TT 124/2021 Điều 4–7 word for word (data/legal/tt-124-2021.md),
    // loaded after 2022.1 so a database that holds 2022.1 assessments keeps them.
    (
        "safe_unit-residential_area-2022.2",
        include_str!("../../../data/criteria/safe_unit-residential_area-2022.2.toml"),
    ),
    ("safe_unit-commune-2022.2", include_str!("../../../data/criteria/safe_unit-commune-2022.2.toml")),
    ("safe_unit-agency-2022.2", include_str!("../../../data/criteria/safe_unit-agency-2022.2.toml")),
    ("safe_unit-enterprise-2022.2", include_str!("../../../data/criteria/safe_unit-enterprise-2022.2.toml")),
    ("safe_unit-school-2022.2", include_str!("../../../data/criteria/safe_unit-school-2022.2.toml")),
    // Version 2022.3: the same words; khoản 5 computed from the residential area's
    // security team's rating once it exists (issue 19).
    (
        "safe_unit-residential_area-2022.3",
        include_str!("../../../data/criteria/safe_unit-residential_area-2022.3.toml"),
    ),
];

/// Parses and checks one shipped or submitted set.
pub fn parse_set(toml_text: &str) -> Result<CriteriaSet, String> {
    let set: CriteriaSet = toml::from_str(toml_text).map_err(|e| e.to_string())?;
    set.check().map_err(|p| format!("{p:?}"))?;
    Ok(set)
}

/// A criteria set as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SetView {
    /// Id.
    pub id: i64,
    /// The set's fields.
    #[serde(flatten)]
    pub set: CriteriaSet,
}

impl App {
    /// Loads the shipped criteria sets that are not stored yet. A malformed shipped
    /// file is a programming error reported at start.
    pub async fn load_shipped_criteria(&self) -> AppResult<usize> {
        let mut n = 0;
        for (name, text) in SHIPPED_SETS {
            let set = parse_set(text).map_err(|e| AppError::Internal(format!("data/criteria/{name}.toml: {e}")))?;
            match self.store.upsert_criteria_set(&set, None).await {
                Ok(_) => {}
                // A stored version is never rewritten; a changed file needs a new version.
                Err(StoreError::Conflict(_)) => {
                    tracing::warn!(file = name, version = %set.version, "shipped criteria set differs from the stored version of the same number; the stored one is kept");
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
            n += 1;
        }
        Ok(n)
    }

    /// Criteria sets, optionally of one instrument and subject (public reference data).
    pub async fn criteria_sets(
        &self,
        instrument: Option<Instrument>,
        subject: Option<Subject>,
    ) -> AppResult<Vec<SetView>> {
        Ok(self
            .store
            .criteria_sets()
            .await?
            .into_iter()
            .filter(|s| instrument.is_none_or(|i| s.set.instrument == i) && subject.is_none_or(|x| s.set.subject == x))
            .map(|s| SetView { id: s.id, set: s.set })
            .collect())
    }

    /// Adds a new version of a criteria set (ministry and admin only).
    pub async fn add_criteria_set(&self, actor: &Actor, set: &CriteriaSet) -> AppResult<i64> {
        if !matches!(actor.role, Role::Ministry | Role::Admin) {
            return Err(AppError::Forbidden("auth.not_allowed"));
        }
        set.check().map_err(|_| ValidationError::one("criteria", "movement.set_invalid"))?;
        match self.store.upsert_criteria_set(set, Some(actor.user_id)).await {
            Ok(id) => Ok(id),
            Err(StoreError::Conflict(_)) => Err(AppError::Conflict("movement.set_version_exists")),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_shipped_set_parses_and_checks() {
        for (name, text) in super::SHIPPED_SETS {
            let set = super::parse_set(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            // Named by instrument and subject, and by version after the first.
            let base = format!("{}-{}", set.instrument.as_str(), set.subject.as_str());
            assert!(*name == base || *name == format!("{base}-{}", set.version), "{name}");
        }
    }
}
