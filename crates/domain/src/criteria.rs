//! Criteria sets as data: the "An toàn về ANTT" standard (Thông tư 124/2021/TT-BCA)
//! and the movement classification score sheets (Quyết định 510/QĐ-BCA-V05).
//! A set is versioned; a past assessment keeps the version it was made with.

use serde::{Deserialize, Serialize};

/// Which instrument a set belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Instrument {
    /// "An toàn về an ninh, trật tự" recognition: every criterion must be met (Đạt / Chưa đạt).
    SafeUnit,
    /// Movement classification: a 100-point score sheet and levels.
    Movement,
}

impl Instrument {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Instrument::SafeUnit => "safe_unit",
            Instrument::Movement => "movement",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Instrument> {
        match s {
            "safe_unit" => Some(Instrument::SafeUnit),
            "movement" => Some(Instrument::Movement),
            _ => None,
        }
    }
}

/// Kind of subject assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// Thôn, tổ dân phố, …
    ResidentialArea,
    /// Xã, phường, đặc khu.
    Commune,
    /// Cơ quan.
    Agency,
    /// Doanh nghiệp (not small or micro).
    Enterprise,
    /// Nhà trường (not primary schools or kindergartens).
    School,
}

impl Subject {
    /// All subjects.
    pub const ALL: [Subject; 5] =
        [Subject::ResidentialArea, Subject::Commune, Subject::Agency, Subject::Enterprise, Subject::School];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::ResidentialArea => "residential_area",
            Subject::Commune => "commune",
            Subject::Agency => "agency",
            Subject::Enterprise => "enterprise",
            Subject::School => "school",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Subject> {
        Subject::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The subject kind of an organisation kind (`other` organisations are not assessed).
    pub fn of_org_kind(kind: crate::OrgKind) -> Option<Subject> {
        match kind {
            crate::OrgKind::Agency => Some(Subject::Agency),
            crate::OrgKind::Enterprise => Some(Subject::Enterprise),
            crate::OrgKind::School => Some(Subject::School),
            crate::OrgKind::Other => None,
        }
    }
}

/// A criterion computed from other records, never typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComputedRule {
    /// At least one model whose latest evaluation says "effective".
    WorkingModel,
    /// At least 70 % of the commune's residential areas and units recognised that year.
    #[serde(rename = "recognised_share_70")]
    RecognisedShare70,
    /// Every residential area and unit the commune manages registered for the year
    /// (TT 124/2021 Điều 5 khoản 4: "100% … đăng ký"); assessed counts as registered.
    AllRegistered,
    /// The residential area's security team rated "Hoàn thành" or better that year
    /// (TT 124/2021 Điều 4 khoản 5): computed once the rating exists, answered by
    /// hand until then.
    TeamRated,
}

impl ComputedRule {
    /// Whether an answer typed by hand is kept for when the records are missing.
    pub fn answered_until_known(self) -> bool {
        matches!(self, ComputedRule::TeamRated)
    }
}

/// One criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// Code, unique in its set.
    pub code: String,
    /// Text in Vietnamese.
    pub text: String,
    /// Source clause.
    pub source: String,
    /// Maximum points (movement sets); none for pass/fail.
    #[serde(default)]
    pub points: Option<u32>,
    /// Computed from other records when set.
    #[serde(default, deserialize_with = "computed_rule")]
    pub computed: Option<ComputedRule>,
}

impl Criterion {
    /// Whether the criterion takes an answer typed by hand (never computed, or
    /// computed only once its records exist).
    pub fn answerable(&self) -> bool {
        self.computed.is_none_or(ComputedRule::answered_until_known)
    }
}

fn computed_rule<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<ComputedRule>, D::Error> {
    let s: Option<String> = Option::deserialize(d)?;
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some("working_model") => Ok(Some(ComputedRule::WorkingModel)),
        Some("recognised_share_70") => Ok(Some(ComputedRule::RecognisedShare70)),
        Some("all_registered") => Ok(Some(ComputedRule::AllRegistered)),
        Some("team_rated") => Ok(Some(ComputedRule::TeamRated)),
        Some(other) => Err(serde::de::Error::custom(format!("unknown computed rule {other}"))),
    }
}

/// A classification level (movement sets), highest first in a set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelCut {
    /// Stable code: excellent, good, average, weak.
    pub code: String,
    /// Name in Vietnamese.
    pub name: String,
    /// Lowest total that reaches this level.
    pub min_points: u32,
    /// The cut-off was not found in a public text.
    #[serde(default)]
    pub to_confirm: bool,
}

/// A versioned criteria set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriteriaSet {
    /// Instrument.
    pub instrument: Instrument,
    /// Subject kind.
    pub subject: Subject,
    /// Version label.
    pub version: String,
    /// First assessment year the set applies to.
    pub effective_from_year: i32,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Source document.
    pub source: String,
    /// Whether the wording was checked against the regulation.
    #[serde(default)]
    pub verified: bool,
    /// Notes on provenance.
    #[serde(default)]
    pub note: String,
    /// Criteria, in order.
    pub criteria: Vec<Criterion>,
    /// Levels (movement sets), highest first.
    #[serde(default)]
    pub levels: Vec<LevelCut>,
}

/// Why a criteria set is not usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetProblem {
    /// No criteria.
    Empty,
    /// Two criteria share a code.
    DuplicateCode(String),
    /// Movement criteria do not add up to 100 points.
    PointsNot100(u32),
    /// A movement criterion has no points, or a pass/fail criterion has points.
    PointsMismatch(String),
    /// Levels missing or not strictly decreasing.
    BadLevels,
}

impl CriteriaSet {
    /// Checks the set's internal consistency.
    pub fn check(&self) -> Result<(), SetProblem> {
        if self.criteria.is_empty() {
            return Err(SetProblem::Empty);
        }
        let mut seen = std::collections::HashSet::new();
        for c in &self.criteria {
            if !seen.insert(c.code.as_str()) {
                return Err(SetProblem::DuplicateCode(c.code.clone()));
            }
            let wants_points = self.instrument == Instrument::Movement && c.computed.is_none();
            if wants_points != c.points.is_some() {
                return Err(SetProblem::PointsMismatch(c.code.clone()));
            }
        }
        if self.instrument == Instrument::Movement {
            let total: u32 = self.criteria.iter().filter_map(|c| c.points).sum();
            if total != 100 {
                return Err(SetProblem::PointsNot100(total));
            }
            let ok = !self.levels.is_empty() && self.levels.windows(2).all(|w| w[0].min_points > w[1].min_points);
            if !ok {
                return Err(SetProblem::BadLevels);
            }
        }
        Ok(())
    }

    /// One criterion by code.
    pub fn criterion(&self, code: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.code == code)
    }
}

/// A version's order: "2022.10" after "2022.2" (numbers compared as numbers).
pub fn version_key(version: &str) -> Vec<u64> {
    version.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).filter_map(|p| p.parse().ok()).collect()
}

/// Picks the set in force for a year: of the versions effective at or before it,
/// the one effective latest, and of those the highest version.
pub fn set_for_year(sets: &[CriteriaSet], instrument: Instrument, subject: Subject, year: i32) -> Option<&CriteriaSet> {
    sets.iter()
        .filter(|s| s.instrument == instrument && s.subject == subject && s.effective_from_year <= year)
        .max_by_key(|s| (s.effective_from_year, version_key(&s.version)))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn crit(code: &str, points: Option<u32>, computed: Option<ComputedRule>) -> Criterion {
        Criterion { code: code.into(), text: format!("Tiêu chí {code}"), source: "test".into(), points, computed }
    }

    pub fn safe_set(subject: Subject, criteria: Vec<Criterion>) -> CriteriaSet {
        CriteriaSet {
            instrument: Instrument::SafeUnit,
            subject,
            version: "t".into(),
            effective_from_year: 2022,
            title: String::new(),
            source: "test".into(),
            verified: true,
            note: String::new(),
            criteria,
            levels: vec![],
        }
    }

    pub fn movement_set(points: &[u32], cuts: &[u32]) -> CriteriaSet {
        let names = ["excellent", "good", "average", "weak"];
        CriteriaSet {
            instrument: Instrument::Movement,
            subject: Subject::Commune,
            version: "t".into(),
            effective_from_year: 2022,
            title: String::new(),
            source: "test".into(),
            verified: false,
            note: String::new(),
            criteria: points.iter().enumerate().map(|(i, p)| crit(&format!("M{i}"), Some(*p), None)).collect(),
            levels: cuts
                .iter()
                .enumerate()
                .map(|(i, m)| LevelCut {
                    code: names[i].into(),
                    name: names[i].into(),
                    min_points: *m,
                    to_confirm: true,
                })
                .collect(),
        }
    }

    #[test]
    fn sets_are_checked() {
        assert_eq!(movement_set(&[50, 50], &[90, 70, 50, 0]).check(), Ok(()));
        assert_eq!(movement_set(&[50, 40], &[90, 0]).check(), Err(SetProblem::PointsNot100(90)));
        assert_eq!(movement_set(&[50, 50], &[70, 90]).check(), Err(SetProblem::BadLevels));
        let dup = safe_set(Subject::Commune, vec![crit("A", None, None), crit("A", None, None)]);
        assert_eq!(dup.check(), Err(SetProblem::DuplicateCode("A".into())));
        let pts = safe_set(Subject::Commune, vec![crit("A", Some(3), None)]);
        assert_eq!(pts.check(), Err(SetProblem::PointsMismatch("A".into())));
    }

    #[test]
    fn of_two_versions_for_the_same_year_the_higher_is_in_force_whatever_their_order() {
        let mut a = safe_set(Subject::School, vec![crit("A", None, None)]);
        a.version = "2022.2".into();
        let mut b = a.clone();
        b.version = "2022.10".into();
        let mut c = a.clone();
        c.version = "2022.1".into();
        for sets in
            [vec![a.clone(), b.clone(), c.clone()], vec![c.clone(), b.clone(), a.clone()], vec![b.clone(), c, a]]
        {
            let chosen = set_for_year(&sets, Instrument::SafeUnit, Subject::School, 2026).map(|s| s.version.as_str());
            assert_eq!(chosen, Some("2022.10"));
        }
        assert_eq!(version_key("2022.10"), vec![2022, 10]);
    }

    #[test]
    fn the_set_in_force_is_the_latest_effective_one() {
        let mut a = safe_set(Subject::Commune, vec![crit("A", None, None)]);
        let mut b = a.clone();
        a.effective_from_year = 2022;
        b.effective_from_year = 2027;
        b.version = "2027".into();
        let sets = vec![a, b];
        assert_eq!(
            set_for_year(&sets, Instrument::SafeUnit, Subject::Commune, 2026).map(|s| s.effective_from_year),
            Some(2022)
        );
        assert_eq!(
            set_for_year(&sets, Instrument::SafeUnit, Subject::Commune, 2027).map(|s| s.version.as_str()),
            Some("2027")
        );
        assert!(set_for_year(&sets, Instrument::SafeUnit, Subject::Commune, 2021).is_none());
        assert!(set_for_year(&sets, Instrument::Movement, Subject::Commune, 2026).is_none());
    }
}

#[cfg(test)]
mod roundtrip {
    use super::tests::{crit, safe_set};
    use super::*;

    #[test]
    fn sets_round_trip_through_json() {
        let set = safe_set(
            Subject::Commune,
            vec![
                crit("A", None, None),
                crit("B", None, Some(ComputedRule::WorkingModel)),
                crit("C", None, Some(ComputedRule::RecognisedShare70)),
            ],
        );
        let json = serde_json::to_string(&set).expect("serialise");
        let back: CriteriaSet = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(back, set);
    }
}
