//! Administrative units: the tree nation → province → commune → residential area.

use serde::{Deserialize, Serialize};

use crate::ValidationError;

/// Code of the root unit, the nation.
pub const NATION_CODE: &str = "VN";

/// The level of a unit in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The whole country (code `VN`).
    Nation,
    /// Tỉnh or thành phố trực thuộc trung ương.
    Province,
    /// Xã, phường or đặc khu.
    Commune,
    /// Thôn, tổ dân phố, ấp, bản, khu phố.
    Area,
}

impl Level {
    /// The stable name used in URLs, the database and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Nation => "nation",
            Level::Province => "province",
            Level::Commune => "commune",
            Level::Area => "area",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "nation" => Some(Level::Nation),
            "province" => Some(Level::Province),
            "commune" => Some(Level::Commune),
            "area" | "residential_area" => Some(Level::Area),
            _ => None,
        }
    }

    /// The level directly below, if any.
    pub fn child(self) -> Option<Level> {
        match self {
            Level::Nation => Some(Level::Province),
            Level::Province => Some(Level::Commune),
            Level::Commune => Some(Level::Area),
            Level::Area => None,
        }
    }
}

/// Kinds of residential area a commune may create.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AreaKind {
    /// thôn (village)
    Thon,
    /// tổ dân phố (urban residential group)
    ToDanPho,
    /// ấp (hamlet, south)
    Ap,
    /// bản (village, mountains)
    Ban,
    /// khu phố (urban quarter)
    KhuPho,
}

impl AreaKind {
    /// All kinds, in display order.
    pub const ALL: [AreaKind; 5] = [AreaKind::Thon, AreaKind::ToDanPho, AreaKind::Ap, AreaKind::Ban, AreaKind::KhuPho];

    /// The Vietnamese division type stored with the unit.
    pub fn as_str(self) -> &'static str {
        match self {
            AreaKind::Thon => "thôn",
            AreaKind::ToDanPho => "tổ dân phố",
            AreaKind::Ap => "ấp",
            AreaKind::Ban => "bản",
            AreaKind::KhuPho => "khu phố",
        }
    }

    /// Parses a division type, ignoring case and diacritics ("to dan pho" works).
    pub fn parse(s: &str) -> Option<AreaKind> {
        let f = crate::text::fold(s);
        AreaKind::ALL.into_iter().find(|k| crate::text::fold(k.as_str()) == f)
    }
}

/// A unit code: `VN`, two digits (province), five digits (commune), or
/// `CCCCC.NNN` for a residential area (its commune's code and a sequence number).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UnitCode(String);

impl UnitCode {
    /// Parses a code and tells its level from its shape.
    pub fn parse(s: &str) -> Option<(UnitCode, Level)> {
        let s = s.trim();
        let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
        let level = if s == NATION_CODE {
            Level::Nation
        } else if digits(s, 2) {
            Level::Province
        } else if digits(s, 5) {
            Level::Commune
        } else {
            let (c, n) = s.split_once('.')?;
            if digits(c, 5) && !n.is_empty() && n.len() <= 5 && n.bytes().all(|b| b.is_ascii_digit()) {
                Level::Area
            } else {
                return None;
            }
        };
        Some((UnitCode(s.to_string()), level))
    }

    /// The code of the `seq`-th residential area of a commune.
    pub fn area(commune: &str, seq: u32) -> UnitCode {
        UnitCode(format!("{commune}.{seq:03}"))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A unit's position in the tree, enough to decide scope without I/O.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitPlace {
    /// The unit's own code.
    pub code: String,
    /// Its level.
    pub level: Level,
    /// The province it lies in (None for the nation).
    pub province_code: Option<String>,
    /// The commune it lies in (None above commune level).
    pub commune_code: Option<String>,
}

/// The codes of a unit and of every unit above it, from the nation down: what was
/// addressed to the unit from above, and the unit itself.
pub fn line(place: &UnitPlace) -> Vec<String> {
    let mut out = vec![NATION_CODE.to_string()];
    for code in [&place.province_code, &place.commune_code].into_iter().flatten() {
        if !out.contains(code) {
            out.push(code.clone());
        }
    }
    if !out.contains(&place.code) {
        out.push(place.code.clone());
    }
    out
}

/// Checks a calendar date written YYYY-MM-DD (from 1900) and returns it normalised.
pub fn parse_iso_date(s: &str) -> Option<String> {
    let s = s.trim();
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    (s.len() == 10 && chrono::Datelike::year(&d) >= 1900).then(|| d.format("%Y-%m-%d").to_string())
}

/// Who may rename or retire a unit of `level`: provinces and communes by admin or
/// ministry accounts (a decision of the State, entered centrally), residential
/// areas by the police who write for their commune; the nation never.
pub fn may_change(role: crate::Role, level: Level) -> bool {
    use crate::Role;
    match level {
        Level::Nation => false,
        Level::Province | Level::Commune => matches!(role, Role::Admin | Role::Ministry),
        Level::Area => role.can_write() && role != Role::Organisation,
    }
}

/// A day written YYYY-MM-DD, checked as [`parse_iso_date`] (exactly ten characters,
/// year 1900 or later), as a date.
pub fn parse_day(s: &str) -> Option<chrono::NaiveDate> {
    parse_iso_date(s).and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
}

/// Validates the name of a new unit.
pub fn validate_unit_name(name: &str) -> Result<String, ValidationError> {
    let n = name.trim();
    if n.is_empty() {
        return Err(ValidationError::one("name", "unit.name_empty"));
    }
    if n.chars().count() > 200 {
        return Err(ValidationError::one("name", "unit.name_too_long"));
    }
    if !crate::text::is_clean_line(n) {
        return Err(ValidationError::one("name", "text.control_characters"));
    }
    Ok(n.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_are_ten_characters() {
        assert_eq!(super::parse_day("2026-12-05").map(|d| d.to_string()), Some("2026-12-05".into()));
        assert_eq!(super::parse_day("+10000-01-01"), None, "a signed year would sort before every day");
        assert_eq!(super::parse_day("1899-12-31"), None);
    }

    #[test]
    fn who_may_change_a_unit() {
        use crate::Role;
        assert!(super::may_change(Role::Ministry, Level::Commune));
        assert!(!super::may_change(Role::Province, Level::Commune));
        assert!(super::may_change(Role::Commune, Level::Area));
        assert!(!super::may_change(Role::Organisation, Level::Area));
        assert!(!super::may_change(Role::Viewer, Level::Area));
        assert!(!super::may_change(Role::Admin, Level::Nation));
    }

    use super::*;

    #[test]
    fn a_units_line_runs_from_the_nation_down() {
        let area = UnitPlace {
            code: "00004.001".into(),
            level: Level::Area,
            province_code: Some("01".into()),
            commune_code: Some("00004".into()),
        };
        assert_eq!(line(&area), ["VN", "01", "00004", "00004.001"]);
        let province = UnitPlace {
            code: "01".into(),
            level: Level::Province,
            province_code: Some("01".into()),
            commune_code: None,
        };
        assert_eq!(line(&province), ["VN", "01"]);
        let nation = UnitPlace { code: "VN".into(), level: Level::Nation, province_code: None, commune_code: None };
        assert_eq!(line(&nation), ["VN"]);
    }

    #[test]
    fn codes_tell_their_level() {
        assert_eq!(UnitCode::parse("VN").map(|c| c.1), Some(Level::Nation));
        assert_eq!(UnitCode::parse("01").map(|c| c.1), Some(Level::Province));
        assert_eq!(UnitCode::parse("00004").map(|c| c.1), Some(Level::Commune));
        assert_eq!(UnitCode::parse("00004.012").map(|c| c.1), Some(Level::Area));
        assert!(UnitCode::parse("1").is_none());
        assert!(UnitCode::parse("0004.1").is_none());
        assert!(UnitCode::parse("00004.").is_none());
        assert!(UnitCode::parse("abc").is_none());
        assert_eq!(UnitCode::area("00004", 7).as_str(), "00004.007");
    }

    #[test]
    fn area_kinds_parse_without_diacritics() {
        assert_eq!(AreaKind::parse("Tổ dân phố"), Some(AreaKind::ToDanPho));
        assert_eq!(AreaKind::parse("to dan pho"), Some(AreaKind::ToDanPho));
        assert_eq!(AreaKind::parse("ấp"), Some(AreaKind::Ap));
        assert_eq!(AreaKind::parse("xã"), None);
    }

    #[test]
    fn iso_dates() {
        assert_eq!(parse_iso_date("2025-07-01").as_deref(), Some("2025-07-01"));
        assert_eq!(parse_iso_date("2024-02-29").as_deref(), Some("2024-02-29"));
        assert_eq!(parse_iso_date("2025-02-29"), None);
        assert_eq!(parse_iso_date("2100-02-29"), None);
        assert_eq!(parse_iso_date("01/07/2025"), None);
        assert_eq!(parse_iso_date("2025-13-01"), None);
    }

    #[test]
    fn unit_names_are_checked() {
        assert!(validate_unit_name("  ").is_err());
        assert_eq!(validate_unit_name(" Thôn 1 ").ok().as_deref(), Some("Thôn 1"));
        assert!(validate_unit_name(&"a".repeat(201)).is_err());
    }
}
