//! Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở (Luật 30/2023/QH15): the
//! security teams over residential areas, their members (the few fields the commune
//! police need to run and pay them), the yearly rating (`rating`), the allowance due
//! (`allowance`). The figures come from `data/forces/rules.toml`.

pub mod allowance;
pub mod rating;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::codes::codes;
use crate::ValidationError;

codes! {
    /// A member's role in the team (Luật 30/2023 Điều 16 khoản 1).
    TeamRole {
        /// Tổ trưởng.
        Leader => "leader",
        /// Tổ phó.
        Deputy => "deputy",
        /// Tổ viên.
        Member => "member",
    }
}

/// The rules as data (`data/forces/rules.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForcesRules {
    /// Members' age.
    pub members: MemberRules,
    /// The yearly rating.
    pub rating: rating::RatingGuide,
    /// Members per team.
    pub norms: Norms,
    /// Monthly support per role, by province and date.
    #[serde(default)]
    pub allowances: Vec<allowance::Rate>,
    /// Spending categories and sources.
    pub funding: FundingCodes,
}

/// Members' age limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRules {
    /// From this age.
    pub min_age: i32,
    /// Up to this age (above it only with the commune chair's decision).
    pub max_age: i32,
    /// Where it comes from.
    pub source: String,
    /// Not checked against an official text.
    #[serde(default)]
    pub to_confirm: bool,
}

/// Members per team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Norms {
    /// Where a province has no figure of its own.
    pub default_members_per_team: i64,
    /// Where it comes from.
    pub source: String,
    /// Not checked against an official text.
    #[serde(default)]
    pub to_confirm: bool,
    /// A province's own figure (its People's Council's criteria).
    #[serde(default)]
    pub province: Vec<ProvinceNorm>,
}

/// A province's members per team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvinceNorm {
    /// Province code.
    pub province_code: String,
    /// Members per team.
    pub members_per_team: i64,
    /// Where it comes from.
    pub source: String,
    /// Not checked against an official text.
    #[serde(default)]
    pub to_confirm: bool,
}

impl Norms {
    /// Members per team in a province (its own figure, else the default).
    pub fn per_team(&self, province: &str) -> i64 {
        self.province
            .iter()
            .find(|p| p.province_code == province)
            .map_or(self.default_members_per_team, |p| p.members_per_team)
    }
}

/// The spending categories and sources a funding line may name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingCodes {
    /// allowances, equipment, training, ngay_hoi, rewards, models, other.
    pub categories: Vec<String>,
    /// state_budget, socialisation.
    pub sources: Vec<String>,
}

/// What is known of a member when they join.
#[derive(Debug, Clone, Copy)]
pub struct Joining {
    /// Year of birth.
    pub birth_year: i32,
    /// Joined on.
    pub joined_on: NaiveDate,
    /// Left on.
    pub left_on: Option<NaiveDate>,
    /// The commune chair decided on a member above the age limit.
    pub over_age_decision: bool,
}

/// Checks a member: born in the past and of age when joining (only the year of birth
/// is kept, so the age is the difference of years — the youngest possible age is
/// not checked to the day), not above the limit unless the chair decided, not
/// joining in the future, not leaving before joining.
pub fn check_member(m: &Joining, rules: &MemberRules, today: NaiveDate) -> Result<(), ValidationError> {
    let mut err = ValidationError::default();
    if m.birth_year < 1900 || m.birth_year > today.year() {
        err.push("birth_year", "forces.birth_year_invalid");
    } else {
        let age = m.joined_on.year() - m.birth_year;
        if age < rules.min_age {
            err.push("birth_year", "forces.member_under_age");
        } else if age > rules.max_age && !m.over_age_decision {
            err.push("birth_year", "forces.member_over_age");
        }
    }
    if m.joined_on > today {
        err.push("joined_on", "forces.joined_in_future");
    }
    if let Some(left) = m.left_on {
        if left < m.joined_on {
            err.push("left_on", "forces.left_before_joined");
        } else if left > today {
            err.push("left_on", "forces.left_in_future");
        }
    }
    err.into_result()
}

/// Whether two periods of membership overlap (open ends run on).
pub fn periods_overlap(a: (NaiveDate, Option<NaiveDate>), b: (NaiveDate, Option<NaiveDate>)) -> bool {
    let a_end = a.1.unwrap_or(NaiveDate::MAX);
    let b_end = b.1.unwrap_or(NaiveDate::MAX);
    a.0 <= b_end && b.0 <= a_end
}

/// Vacancies against the norm, team by team (a full team does not fill another's
/// places): `sizes` holds (province, members serving, how many teams of that size).
pub fn vacancies(sizes: &[(String, i64, i64)], norms: &Norms) -> i64 {
    sizes.iter().map(|(province, size, teams)| (norms.per_team(province) - size).max(0) * teams).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::unit::parse_day(s).unwrap_or(NaiveDate::MIN)
    }

    fn rules() -> MemberRules {
        MemberRules { min_age: 18, max_age: 70, source: "Luật 30/2023 Điều 13".into(), to_confirm: false }
    }

    fn joining(birth_year: i32, joined: &str, left: Option<&str>) -> Joining {
        Joining { birth_year, joined_on: d(joined), left_on: left.map(d), over_age_decision: false }
    }

    fn codes(r: Result<(), ValidationError>) -> Vec<&'static str> {
        r.err().map(|e| e.errors.iter().map(|f| f.code).collect()).unwrap_or_default()
    }

    #[test]
    fn a_member_is_of_age_and_joins_before_leaving() {
        let today = d("2026-12-05");
        assert_eq!(check_member(&joining(1980, "2024-07-01", None), &rules(), today), Ok(()));
        assert_eq!(check_member(&joining(2006, "2024-07-01", None), &rules(), today), Ok(()), "18 that year");
        assert_eq!(
            codes(check_member(&joining(2007, "2024-07-01", None), &rules(), today)),
            ["forces.member_under_age"]
        );
        assert_eq!(
            codes(check_member(&joining(2030, "2024-07-01", None), &rules(), today)),
            ["forces.birth_year_invalid"]
        );
        assert_eq!(
            codes(check_member(&joining(1950, "2024-07-01", None), &rules(), today)),
            ["forces.member_over_age"]
        );
        let mut decided = joining(1950, "2024-07-01", None);
        decided.over_age_decision = true;
        assert_eq!(check_member(&decided, &rules(), today), Ok(()), "above 70 with the chair's decision");
        assert_eq!(
            codes(check_member(&joining(1980, "2025-03-01", Some("2025-01-01")), &rules(), today)),
            ["forces.left_before_joined"]
        );
        assert_eq!(
            codes(check_member(&joining(1980, "2027-01-01", None), &rules(), today)),
            ["forces.joined_in_future"]
        );
    }

    #[test]
    fn a_province_norm_overrides_the_default() {
        let n = Norms {
            default_members_per_team: 3,
            source: "test".into(),
            to_confirm: true,
            province: vec![ProvinceNorm {
                province_code: "56".into(),
                members_per_team: 5,
                source: "t".into(),
                to_confirm: true,
            }],
        };
        assert_eq!((n.per_team("56"), n.per_team("01")), (5, 3));
    }

    #[test]
    fn overlaps_and_vacancies() {
        let p = |a: &str, b: Option<&str>| (d(a), b.map(d));
        assert!(periods_overlap(p("2024-01-01", None), p("2025-01-01", None)));
        assert!(!periods_overlap(p("2024-01-01", Some("2024-12-31")), p("2025-01-01", None)));
        assert!(periods_overlap(p("2024-01-01", Some("2025-01-01")), p("2025-01-01", None)), "the same day");
        let norms = Norms { default_members_per_team: 3, source: "t".into(), to_confirm: true, province: Vec::new() };
        let sizes = |v: &[(i64, i64)]| v.iter().map(|(s, n)| ("01".to_string(), *s, *n)).collect::<Vec<_>>();
        assert_eq!(vacancies(&sizes(&[(2, 1), (4, 1)]), &norms), 1, "a team of four does not fill a team of two");
        assert_eq!(vacancies(&sizes(&[(0, 2), (3, 5)]), &norms), 6);
        assert_eq!(vacancies(&[], &norms), 0);
    }
}
