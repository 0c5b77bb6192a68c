//! Scope: the part of the country a user may see and change. The one rule of
//! visibility lives here; the store turns it into SQL in one function.

use serde::Serialize;

use crate::unit::UnitPlace;
use crate::Level;

/// What a user may reach: a unit and its subtree, or a single organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "code", rename_all = "snake_case")]
pub enum Scope {
    /// The whole country.
    Nation,
    /// One province and everything in it.
    Province(String),
    /// One commune and its residential areas.
    Commune(String),
    /// One residential area.
    Area(String),
    /// One organisation (an organisation contact), by id.
    Organisation(i64),
}

impl Scope {
    /// The scope of a unit-attached user.
    pub fn of_unit(place: &UnitPlace) -> Scope {
        match place.level {
            Level::Nation => Scope::Nation,
            Level::Province => Scope::Province(place.code.clone()),
            Level::Commune => Scope::Commune(place.code.clone()),
            Level::Area => Scope::Area(place.code.clone()),
        }
    }

    /// Whether `place` lies inside this scope.
    pub fn contains(&self, place: &UnitPlace) -> bool {
        match self {
            Scope::Nation => true,
            Scope::Province(p) => place.province_code.as_deref() == Some(p.as_str()),
            Scope::Commune(c) => place.commune_code.as_deref() == Some(c.as_str()),
            Scope::Area(a) => place.code == *a,
            Scope::Organisation(_) => false,
        }
    }

    /// Whether `place` lies strictly below this scope's unit: the level that
    /// oversees a unit (evaluates its models, records its criterion 19) must be
    /// above it, never the unit itself.
    pub fn oversees(&self, place: &UnitPlace) -> bool {
        self.contains(place) && Scope::of_unit(place) != *self
    }

    /// The scope's unit code, if it is a unit scope.
    pub fn unit_code(&self) -> Option<&str> {
        match self {
            Scope::Nation => Some(crate::unit::NATION_CODE),
            Scope::Province(c) | Scope::Commune(c) | Scope::Area(c) => Some(c),
            Scope::Organisation(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(code: &str, level: Level, p: Option<&str>, c: Option<&str>) -> UnitPlace {
        UnitPlace { code: code.into(), level, province_code: p.map(Into::into), commune_code: c.map(Into::into) }
    }

    #[test]
    fn province_scope_contains_its_communes_only() {
        let s = Scope::Province("01".into());
        assert!(s.contains(&place("00004", Level::Commune, Some("01"), Some("00004"))));
        assert!(s.contains(&place("01", Level::Province, Some("01"), None)));
        assert!(!s.contains(&place("25390", Level::Commune, Some("75"), Some("25390"))));
        assert!(!s.contains(&place("VN", Level::Nation, None, None)));
    }

    #[test]
    fn commune_scope_contains_its_areas() {
        let s = Scope::Commune("00004".into());
        assert!(s.contains(&place("00004.001", Level::Area, Some("01"), Some("00004"))));
        assert!(!s.contains(&place("00007", Level::Commune, Some("01"), Some("00007"))));
        assert!(!s.contains(&place("01", Level::Province, Some("01"), None)));
    }

    #[test]
    fn only_a_level_above_oversees() {
        let commune = place("00004", Level::Commune, Some("01"), Some("00004"));
        let area = place("00004.001", Level::Area, Some("01"), Some("00004"));
        assert!(!Scope::Commune("00004".into()).oversees(&commune));
        assert!(Scope::Commune("00004".into()).oversees(&area));
        assert!(Scope::Province("01".into()).oversees(&commune));
        assert!(!Scope::Province("79".into()).oversees(&commune));
        assert!(Scope::Nation.oversees(&commune));
        assert!(!Scope::Area("00004.001".into()).oversees(&area));
        assert!(!Scope::Organisation(1).oversees(&area));
    }

    #[test]
    fn nation_contains_all_and_org_scope_contains_no_unit() {
        let p = place("00004", Level::Commune, Some("01"), Some("00004"));
        assert!(Scope::Nation.contains(&p));
        assert!(!Scope::Organisation(1).contains(&p));
    }
}
