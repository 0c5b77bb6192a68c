//! Assessments: validating answers, computing the result, and the workflow
//! draft → submitted → reviewed → approved → published, with "returned" back to
//! draft from any step. Pure rules; the app layer loads facts and stores results.

use serde::{Deserialize, Serialize};

use crate::criteria::{ComputedRule, CriteriaSet, Instrument};
use crate::ValidationError;

/// Points of a movement score sheet, kept in tenths so "6,5" adds up exactly: whole
/// points as ever, and a half (or a tenth) where the scorer gives one. On the wire a
/// plain JSON number (`6`, `6.5`); typed, "6,5" or "6.5".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Points(u32);

impl Points {
    /// Whole points.
    pub const fn whole(p: u32) -> Self {
        Points(p.saturating_mul(10))
    }

    /// From tenths of a point (65 is 6,5).
    pub const fn from_tenths(t: u32) -> Self {
        Points(t)
    }

    /// Tenths of a point.
    pub const fn tenths(self) -> u32 {
        self.0
    }

    /// As a number (for JSON and spreadsheets).
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 10.0
    }

    /// Points as typed: "6", "6,5", "6.5", " 6,0 "; at most one decimal, never
    /// negative. `Err` gives the message key.
    pub fn parse(typed: &str) -> Result<Points, &'static str> {
        let v = typed.trim().replace(',', ".");
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let (whole, frac) = v.split_once('.').unwrap_or((&v, "0"));
        if !digits(whole) || !digits(frac) {
            return Err("assessment.answer_points_expected");
        }
        let frac = frac.trim_end_matches('0');
        if frac.len() > 1 {
            return Err("assessment.points_one_decimal");
        }
        let w: u32 = whole.parse().map_err(|_| "assessment.answer_points_expected")?;
        let tenth = frac.bytes().next().map_or(0, |b| u32::from(b - b'0'));
        w.checked_mul(10).and_then(|t| t.checked_add(tenth)).map(Points).ok_or("assessment.answer_points_expected")
    }

    /// Vietnamese writing: "6", "6,5".
    pub fn vn(self) -> String {
        match self.0 % 10 {
            0 => (self.0 / 10).to_string(),
            d => format!("{},{d}", self.0 / 10),
        }
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        Points(iter.map(|p| p.0).fold(0u32, u32::saturating_add))
    }
}

impl Serialize for Points {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_multiple_of(10) {
            s.serialize_u32(self.0 / 10)
        } else {
            s.serialize_f64(self.as_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Points, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Points;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("points: a number from 0 with at most one decimal")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Points, E> {
                u32::try_from(v)
                    .ok()
                    .and_then(|v| v.checked_mul(10))
                    .map(Points)
                    .ok_or_else(|| E::custom("points out of range"))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Points, E> {
                u64::try_from(v).map_err(|_| E::custom("points cannot be negative")).and_then(|v| self.visit_u64(v))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Points, E> {
                let t = (v * 10.0).round();
                if !v.is_finite() || v < 0.0 || (v * 10.0 - t).abs() > 1e-6 || t > f64::from(u32::MAX) {
                    return Err(E::custom("points: a number from 0 with at most one decimal"));
                }
                Ok(Points(t as u32))
            }
        }
        d.deserialize_any(V)
    }
}

/// One answer to one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// Criterion code.
    pub criterion: String,
    /// Pass/fail answer (safe-unit sets).
    #[serde(default)]
    pub met: Option<bool>,
    /// Points given (movement sets); halves allowed.
    #[serde(default)]
    pub points: Option<Points>,
    /// Note or evidence description.
    #[serde(default)]
    pub note: Option<String>,
}

/// Facts from other records that computed criteria need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ComputedFacts {
    /// Models hosted by the subject whose latest evaluation says "effective".
    pub working_models: u32,
    /// Residential areas and units of the commune recognised "safe" that year.
    pub recognised: u32,
    /// Residential areas and units of the commune assessable that year.
    pub assessable: u32,
    /// Of those the commune must have registered, how many registered (or were
    /// assessed) for the year.
    pub registered: u32,
    /// How many the commune must have registered.
    pub to_register: u32,
    /// A residential area's security team's rating that year: `Some(true)` when
    /// "Hoàn thành" or better, `Some(false)` when not; `None` when not rated.
    pub team_rated: Option<bool>,
}

/// Whether every one of `total` subjects registered; nothing to register does not
/// meet the rule (a commune with no areas or units entered has not done the work).
pub fn all_registered(registered: u32, total: u32) -> bool {
    total > 0 && registered >= total
}

/// Whether at least 70 % of `total` is `recognised` (integer arithmetic, no rounding
/// surprises); nothing to recognise does not meet the rule.
pub fn share_at_least_70(recognised: u32, total: u32) -> bool {
    total > 0 && u64::from(recognised) * 10 >= u64::from(total) * 7
}

/// An unmet criterion and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unmet {
    /// Criterion code.
    pub code: String,
    /// Reason key: `not_met`, `not_answered`, `no_working_model`, `share_below_70`.
    pub reason: String,
}

/// The computed result of an assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AssessmentResult {
    /// Safe-unit result: passed only when every criterion is met.
    SafeUnit {
        /// Đạt.
        passed: bool,
        /// What is not met.
        unmet: Vec<Unmet>,
    },
    /// Movement result: total points and the level reached.
    Movement {
        /// Total points (0–100), halves kept.
        total: Points,
        /// Level code, if any level is reached.
        level: Option<String>,
        /// Level name in Vietnamese.
        level_name: Option<String>,
    },
}

/// Checks answers against a set: every criterion exists, computed criteria are not
/// answered, the answer's kind fits the instrument, points stay within the maximum,
/// no criterion is answered twice.
pub fn validate_answers(set: &CriteriaSet, answers: &[Answer]) -> Result<(), ValidationError> {
    let mut err = ValidationError::default();
    let mut seen = std::collections::HashSet::new();
    for (i, a) in answers.iter().enumerate() {
        let field = format!("answers[{i}]");
        let Some(c) = set.criterion(&a.criterion) else {
            err.push(&field, "assessment.criterion_unknown");
            continue;
        };
        if !seen.insert(a.criterion.as_str()) {
            err.push(&field, "assessment.criterion_twice");
        }
        if !c.answerable() {
            err.push(&field, "assessment.criterion_computed");
            continue;
        }
        match set.instrument {
            Instrument::SafeUnit if a.met.is_none() || a.points.is_some() => {
                err.push(&field, "assessment.answer_met_expected")
            }
            Instrument::Movement => match (a.points, c.points) {
                (Some(p), Some(max)) if p <= Points::whole(max) && a.met.is_none() => {}
                (Some(_), Some(_)) if a.met.is_some() => err.push(&field, "assessment.answer_points_expected"),
                (Some(_), Some(_)) => err.push(&field, "assessment.points_above_max"),
                _ => err.push(&field, "assessment.answer_points_expected"),
            },
            _ => {}
        }
        if a.note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
            err.push(&field, "assessment.note_too_long");
        }
    }
    err.into_result()
}

/// Computes the result from (validated) answers and facts.
pub fn score(set: &CriteriaSet, answers: &[Answer], facts: &ComputedFacts) -> AssessmentResult {
    let answer = |code: &str| answers.iter().find(|a| a.criterion == code);
    match set.instrument {
        Instrument::SafeUnit => {
            let mut unmet = Vec::new();
            for c in &set.criteria {
                let typed = || match answer(&c.code).and_then(|a| a.met) {
                    Some(true) => None,
                    Some(false) => Some("not_met"),
                    None => Some("not_answered"),
                };
                let reason = match c.computed {
                    Some(ComputedRule::WorkingModel) => (facts.working_models == 0).then_some("no_working_model"),
                    Some(ComputedRule::RecognisedShare70) => {
                        (!share_at_least_70(facts.recognised, facts.assessable)).then_some("share_below_70")
                    }
                    Some(ComputedRule::AllRegistered) => {
                        (!all_registered(facts.registered, facts.to_register)).then_some("not_all_registered")
                    }
                    Some(ComputedRule::TeamRated) => match facts.team_rated {
                        Some(true) => None,
                        Some(false) => Some("team_not_completed"),
                        None => typed(),
                    },
                    None => typed(),
                };
                if let Some(r) = reason {
                    unmet.push(Unmet { code: c.code.clone(), reason: r.to_string() });
                }
            }
            AssessmentResult::SafeUnit { passed: unmet.is_empty(), unmet }
        }
        Instrument::Movement => {
            let total: Points = set
                .criteria
                .iter()
                .filter_map(|c| {
                    answer(&c.code).and_then(|a| a.points).map(|p| p.min(Points::whole(c.points.unwrap_or(0))))
                })
                .sum();
            let level = set.levels.iter().find(|l| total >= Points::whole(l.min_points));
            AssessmentResult::Movement {
                total,
                level: level.map(|l| l.code.clone()),
                level_name: level.map(|l| l.name.clone()),
            }
        }
    }
}

/// Workflow states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being filled in.
    Draft,
    /// Sent to the reviewer.
    Submitted,
    /// Checked by the reviewer.
    Reviewed,
    /// Approved with a decision number and date; the result is frozen.
    Approved,
    /// Made public.
    Published,
}

impl Status {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Reviewed => "reviewed",
            Status::Approved => "approved",
            Status::Published => "published",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Status> {
        [Status::Draft, Status::Submitted, Status::Reviewed, Status::Approved, Status::Published]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// A step someone takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// draft → submitted
    Submit,
    /// submitted → reviewed
    Review,
    /// reviewed → approved (decision number and date)
    Approve,
    /// approved → published
    Publish,
    /// any step → draft, with reasons
    Return,
}

impl Step {
    /// The step that reaches a target state name (`returned` is the return step).
    pub fn to_target(s: &str) -> Option<Step> {
        match s {
            "submitted" => Some(Step::Submit),
            "reviewed" => Some(Step::Review),
            "approved" => Some(Step::Approve),
            "published" => Some(Step::Publish),
            "returned" | "draft" => Some(Step::Return),
            _ => None,
        }
    }
}

/// The state after `step` from `from`, or `None` when the step is out of order.
/// Returning (with reasons) is possible from every step after the draft, published
/// included: a recognition found wrong after publication goes back to draft and
/// loses its decision.
pub fn next_status(from: Status, step: Step) -> Option<Status> {
    match (from, step) {
        (Status::Draft, Step::Submit) => Some(Status::Submitted),
        (Status::Submitted, Step::Review) => Some(Status::Reviewed),
        (Status::Reviewed, Step::Approve) => Some(Status::Approved),
        (Status::Approved, Step::Publish) => Some(Status::Published),
        (Status::Submitted | Status::Reviewed | Status::Approved | Status::Published, Step::Return) => {
            Some(Status::Draft)
        }
        _ => None,
    }
}

/// Who acts on a step, relative to the subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The subject itself: its organisation contact, or the commune for its own
    /// and its residential areas' self-assessment.
    Owner,
    /// The commune police over the subject.
    Commune,
    /// The province police over the subject.
    Province,
    /// The ministry (when configured to approve communes).
    Ministry,
}

/// Which level approves a commune's own assessment (configuration; the district
/// that used to do it was abolished on 1 July 2025).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CommuneApprover {
    /// The province (default).
    #[default]
    Province,
    /// The ministry's movement department.
    Ministry,
}

impl CommuneApprover {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            CommuneApprover::Province => "province",
            CommuneApprover::Ministry => "ministry",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<CommuneApprover> {
        [CommuneApprover::Province, CommuneApprover::Ministry].into_iter().find(|x| x.as_str() == s)
    }
}

/// Who manages an agency, enterprise or school for the movement: its commune, its
/// province (large organisations), or a department of the Ministry that follows it
/// (TT 124/2021 Điều 10 khoản 4). Residential areas and communes are the commune's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Manager {
    /// The commune (and its People's Committee decides).
    #[default]
    Commune,
    /// The province.
    Province,
    /// A department of the Ministry of Public Security.
    Ministry,
}

impl Manager {
    /// From the two stored flags (the Ministry's following wins).
    pub fn of(managed_by_province: bool, followed_by_ministry: bool) -> Manager {
        match (managed_by_province, followed_by_ministry) {
            (_, true) => Manager::Ministry,
            (true, false) => Manager::Province,
            (false, false) => Manager::Commune,
        }
    }

    /// Managed above the commune.
    pub fn above_commune(self) -> bool {
        self != Manager::Commune
    }
}

/// Who takes `step` for a subject (DESIGN §2): residential areas and the
/// organisations a commune manages are drafted by their owner and reviewed,
/// approved and published by the commune; a commune's own assessment and the
/// organisations the province manages go up to the province; those a Ministry
/// department follows, to the Ministry.
pub fn who_acts(subject: crate::criteria::Subject, manager: Manager, step: Step, approver: CommuneApprover) -> Actor {
    use crate::criteria::Subject;
    if step == Step::Submit {
        return Actor::Owner;
    }
    match subject {
        Subject::Commune => match approver {
            CommuneApprover::Province => Actor::Province,
            CommuneApprover::Ministry => Actor::Ministry,
        },
        Subject::ResidentialArea => Actor::Commune,
        Subject::Agency | Subject::Enterprise | Subject::School => match manager {
            Manager::Commune => Actor::Commune,
            Manager::Province => Actor::Province,
            Manager::Ministry => Actor::Ministry,
        },
    }
}

/// Whether a user of `role` plays `actor` for a subject (the person who may take
/// the step `who_acts` names). The owner of an organisation's assessment is its
/// contact, or the commune police for an organisation the commune manages (the
/// province for one it manages); the commune police own their commune's and
/// their residential areas' assessments, and the province may draft a commune's
/// on its behalf. Viewers play no part.
pub fn role_plays(role: crate::Role, actor: Actor, subject: crate::criteria::Subject, manager: Manager) -> bool {
    use crate::criteria::Subject;
    use crate::Role;
    let organisation = matches!(subject, Subject::Agency | Subject::Enterprise | Subject::School);
    match actor {
        Actor::Owner => match role {
            Role::Organisation => organisation,
            Role::Commune => !(organisation && manager.above_commune()),
            Role::Province => subject == Subject::Commune || (organisation && manager.above_commune()),
            _ => false,
        },
        Actor::Commune => role == Role::Commune,
        Actor::Province => matches!(role, Role::Province | Role::Ministry | Role::Admin),
        Actor::Ministry => matches!(role, Role::Ministry | Role::Admin),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria::tests::{crit, movement_set, safe_set};
    use crate::criteria::Subject;

    fn met(code: &str, m: bool) -> Answer {
        Answer { criterion: code.into(), met: Some(m), points: None, note: None }
    }

    fn pts(code: &str, p: u32) -> Answer {
        Answer { criterion: code.into(), met: None, points: Some(Points::whole(p)), note: None }
    }

    fn commune_set() -> CriteriaSet {
        safe_set(
            Subject::Commune,
            vec![
                crit("C1", None, None),
                crit("C2", None, None),
                crit("CM", None, Some(ComputedRule::WorkingModel)),
                crit("C70", None, Some(ComputedRule::RecognisedShare70)),
            ],
        )
    }

    #[test]
    fn points_are_typed_with_a_comma_or_a_point_and_one_decimal() {
        assert_eq!(Points::parse("6,5"), Ok(Points::from_tenths(65)));
        assert_eq!(Points::parse(" 6.5 "), Ok(Points::from_tenths(65)));
        assert_eq!(Points::parse("6,0"), Ok(Points::whole(6)));
        assert_eq!(Points::parse("6,50"), Ok(Points::from_tenths(65)));
        assert_eq!(Points::parse("10"), Ok(Points::whole(10)));
        assert_eq!(Points::parse("6,25"), Err("assessment.points_one_decimal"));
        for bad in ["", "-1", "6,", ",5", "sáu", "6,5,1", "1e3", "99999999999"] {
            assert_eq!(Points::parse(bad), Err("assessment.answer_points_expected"), "{bad}");
        }
        assert_eq!(Points::from_tenths(65).vn(), "6,5");
        assert_eq!(Points::whole(85).vn(), "85");
    }

    #[test]
    fn points_travel_as_plain_numbers() {
        assert_eq!(serde_json::to_string(&Points::whole(6)).ok().as_deref(), Some("6"));
        assert_eq!(serde_json::to_string(&Points::from_tenths(65)).ok().as_deref(), Some("6.5"));
        assert_eq!(serde_json::from_str::<Points>("6").ok(), Some(Points::whole(6)));
        assert_eq!(serde_json::from_str::<Points>("6.5").ok(), Some(Points::from_tenths(65)));
        assert!(serde_json::from_str::<Points>("-1").is_err());
        assert!(serde_json::from_str::<Points>("6.25").is_err());
        assert!(serde_json::from_str::<Points>("\"6\"").is_err());
    }

    #[test]
    fn half_points_add_up_and_reach_a_level() {
        let m = movement_set(&[60, 40], &[90, 70]);
        let half = |code: &str, t: u32| Answer {
            criterion: code.into(),
            met: None,
            points: Some(Points::from_tenths(t)),
            note: None,
        };
        match score(&m, &[half("M0", 545), half("M1", 155)], &ComputedFacts::default()) {
            AssessmentResult::Movement { total, level, .. } => {
                assert_eq!(total, Points::whole(70));
                assert!(level.is_some());
            }
            other => panic!("{other:?}"),
        }
        match score(&m, &[half("M0", 545), half("M1", 150)], &ComputedFacts::default()) {
            AssessmentResult::Movement { total, level, .. } => {
                assert_eq!(total.vn(), "69,5");
                assert_eq!(level, None);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_subject_registered_at_its_edge() {
        assert!(all_registered(10, 10));
        assert!(!all_registered(9, 10), "one short of 100 %");
        assert!(!all_registered(0, 0), "nothing to register is not done");
        let set = safe_set(Subject::Commune, vec![crit("K4", None, Some(ComputedRule::AllRegistered))]);
        let facts = |registered, to_register| ComputedFacts { registered, to_register, ..Default::default() };
        let passed = |f: ComputedFacts| match score(&set, &[], &f) {
            AssessmentResult::SafeUnit { passed, unmet } => (passed, unmet.first().map(|u| u.reason.clone())),
            other => panic!("{other:?}"),
        };
        assert_eq!(passed(facts(30, 30)), (true, None));
        assert_eq!(passed(facts(29, 30)), (false, Some("not_all_registered".into())));
    }

    #[test]
    fn the_teams_rating_decides_once_it_exists() {
        let set = safe_set(Subject::ResidentialArea, vec![crit("K5", None, Some(ComputedRule::TeamRated))]);
        let answers = |met: bool| vec![Answer { criterion: "K5".into(), met: Some(met), points: None, note: None }];
        assert_eq!(validate_answers(&set, &answers(true)), Ok(()), "answered by hand until rated");
        let result =
            |a: &[Answer], team_rated| match score(&set, a, &ComputedFacts { team_rated, ..Default::default() }) {
                AssessmentResult::SafeUnit { passed, unmet } => (passed, unmet.first().map(|u| u.reason.clone())),
                other => panic!("{other:?}"),
            };
        assert_eq!(result(&answers(true), None), (true, None));
        assert_eq!(result(&[], None), (false, Some("not_answered".into())));
        assert_eq!(result(&answers(true), Some(false)), (false, Some("team_not_completed".into())), "the rating wins");
        assert_eq!(result(&answers(false), Some(true)), (true, None));
    }

    #[test]
    fn seventy_percent_at_its_boundary() {
        assert!(share_at_least_70(7, 10));
        assert!(!share_at_least_70(6, 10));
        assert!(share_at_least_70(70, 100));
        assert!(!share_at_least_70(69, 100));
        assert!(!share_at_least_70(2, 3)); // 66.7 %
        assert!(share_at_least_70(3, 4)); // 75 %
        assert!(share_at_least_70(1, 1));
        assert!(!share_at_least_70(0, 0));
        assert!(share_at_least_70(u32::MAX, u32::MAX));
    }

    #[test]
    fn a_commune_passes_only_with_a_working_model_and_70_percent() {
        let set = commune_set();
        let answers = vec![met("C1", true), met("C2", true)];
        let ok = ComputedFacts { working_models: 1, recognised: 7, assessable: 10, ..Default::default() };
        assert_eq!(score(&set, &answers, &ok), AssessmentResult::SafeUnit { passed: true, unmet: vec![] });
        let no_model = ComputedFacts { working_models: 0, ..ok };
        let r = score(&set, &answers, &no_model);
        assert_eq!(
            r,
            AssessmentResult::SafeUnit {
                passed: false,
                unmet: vec![Unmet { code: "CM".into(), reason: "no_working_model".into() }]
            }
        );
        let low = ComputedFacts { recognised: 6, ..ok };
        match score(&set, &answers, &low) {
            AssessmentResult::SafeUnit { passed, unmet } => {
                assert!(!passed);
                assert_eq!(unmet[0].reason, "share_below_70");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unanswered_and_unmet_criteria_are_named() {
        let set = commune_set();
        let facts = ComputedFacts { working_models: 1, recognised: 1, assessable: 1, ..Default::default() };
        let r = score(&set, &[met("C1", false)], &facts);
        let AssessmentResult::SafeUnit { passed, unmet } = r else { panic!("safe unit") };
        assert!(!passed);
        assert_eq!(
            unmet,
            vec![
                Unmet { code: "C1".into(), reason: "not_met".into() },
                Unmet { code: "C2".into(), reason: "not_answered".into() }
            ]
        );
    }

    #[test]
    fn answers_are_validated() {
        let set = commune_set();
        assert!(validate_answers(&set, &[met("C1", true)]).is_ok());
        let e = validate_answers(
            &set,
            &[met("ZZ", true), met("CM", true), pts("C1", 3), met("C2", true), met("C2", false)],
        )
        .expect_err("invalid");
        let codes: Vec<&str> = e.errors.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            vec![
                "assessment.criterion_unknown",
                "assessment.criterion_computed",
                "assessment.answer_met_expected",
                "assessment.criterion_twice"
            ]
        );
        let m = movement_set(&[60, 40], &[90, 70, 50, 0]);
        assert!(validate_answers(&m, &[pts("M0", 60), pts("M1", 0)]).is_ok());
        let e = validate_answers(&m, &[pts("M0", 61), met("M1", true)]).expect_err("invalid");
        let codes: Vec<&str> = e.errors.iter().map(|e| e.code).collect();
        assert_eq!(codes, vec!["assessment.points_above_max", "assessment.answer_points_expected"]);
    }

    #[test]
    fn movement_levels_at_their_cut_offs() {
        let m = movement_set(&[60, 40], &[90, 70, 50, 0]);
        let level = |a: u32, b: u32| match score(&m, &[pts("M0", a), pts("M1", b)], &ComputedFacts::default()) {
            AssessmentResult::Movement { total, level, .. } => (total.tenths() / 10, level.unwrap_or_default()),
            other => panic!("{other:?}"),
        };
        assert_eq!(level(60, 30), (90, "excellent".into()));
        assert_eq!(level(60, 29), (89, "good".into()));
        assert_eq!(level(50, 20), (70, "good".into()));
        assert_eq!(level(40, 29), (69, "average".into()));
        assert_eq!(level(30, 20), (50, "average".into()));
        assert_eq!(level(30, 19), (49, "weak".into()));
        assert_eq!(level(0, 0), (0, "weak".into()));
    }

    #[test]
    fn the_workflow_moves_in_order_only() {
        use Status::*;
        assert_eq!(next_status(Draft, Step::Submit), Some(Submitted));
        assert_eq!(next_status(Submitted, Step::Review), Some(Reviewed));
        assert_eq!(next_status(Reviewed, Step::Approve), Some(Approved));
        assert_eq!(next_status(Approved, Step::Publish), Some(Published));
        for from in [Submitted, Reviewed, Approved, Published] {
            assert_eq!(next_status(from, Step::Return), Some(Draft));
        }
        assert_eq!(next_status(Draft, Step::Approve), None);
        assert_eq!(next_status(Draft, Step::Return), None);
        assert_eq!(next_status(Submitted, Step::Approve), None);
        assert_eq!(next_status(Published, Step::Publish), None);
    }

    #[test]
    fn who_plays_each_part() {
        use crate::Role;
        // An organisation contact drafts its own assessment, never a residential area's.
        assert!(role_plays(Role::Organisation, Actor::Owner, Subject::School, Manager::Commune));
        assert!(!role_plays(Role::Organisation, Actor::Owner, Subject::ResidentialArea, Manager::Commune));
        assert!(!role_plays(Role::Organisation, Actor::Commune, Subject::School, Manager::Commune));
        // The commune drafts for its areas and the organisations it manages, not the province's.
        assert!(role_plays(Role::Commune, Actor::Owner, Subject::ResidentialArea, Manager::Commune));
        assert!(role_plays(Role::Commune, Actor::Owner, Subject::Enterprise, Manager::Commune));
        assert!(!role_plays(Role::Commune, Actor::Owner, Subject::Enterprise, Manager::Province));
        // The province drafts only a commune's (on its behalf) or what it manages.
        assert!(role_plays(Role::Province, Actor::Owner, Subject::Commune, Manager::Commune));
        assert!(role_plays(Role::Province, Actor::Owner, Subject::Agency, Manager::Province));
        assert!(!role_plays(Role::Province, Actor::Owner, Subject::ResidentialArea, Manager::Commune));
        // Approvers.
        assert!(role_plays(Role::Commune, Actor::Commune, Subject::ResidentialArea, Manager::Commune));
        assert!(!role_plays(Role::Province, Actor::Commune, Subject::ResidentialArea, Manager::Commune));
        assert!(role_plays(Role::Province, Actor::Province, Subject::Commune, Manager::Commune));
        assert!(role_plays(Role::Ministry, Actor::Province, Subject::Commune, Manager::Commune));
        assert!(!role_plays(Role::Commune, Actor::Province, Subject::Commune, Manager::Commune));
        assert!(!role_plays(Role::Province, Actor::Ministry, Subject::Commune, Manager::Commune));
        assert!(role_plays(Role::Ministry, Actor::Ministry, Subject::Commune, Manager::Commune));
        for actor in [Actor::Owner, Actor::Commune, Actor::Province, Actor::Ministry] {
            assert!(!role_plays(Role::Viewer, actor, Subject::Commune, Manager::Commune));
        }
    }

    #[test]
    fn who_acts_follows_the_design() {
        let p = CommuneApprover::Province;
        assert_eq!(who_acts(Subject::ResidentialArea, Manager::Commune, Step::Submit, p), Actor::Owner);
        assert_eq!(who_acts(Subject::ResidentialArea, Manager::Commune, Step::Approve, p), Actor::Commune);
        assert_eq!(who_acts(Subject::School, Manager::Commune, Step::Review, p), Actor::Commune);
        assert_eq!(who_acts(Subject::Enterprise, Manager::Province, Step::Approve, p), Actor::Province);
        assert_eq!(who_acts(Subject::Commune, Manager::Commune, Step::Submit, p), Actor::Owner);
        assert_eq!(who_acts(Subject::Commune, Manager::Commune, Step::Approve, p), Actor::Province);
        assert_eq!(who_acts(Subject::Commune, Manager::Commune, Step::Return, p), Actor::Province);
        let m = CommuneApprover::Ministry;
        assert_eq!(who_acts(Subject::Commune, Manager::Commune, Step::Approve, m), Actor::Ministry);
        assert_eq!(who_acts(Subject::Commune, Manager::Commune, Step::Submit, m), Actor::Owner);
        assert_eq!(who_acts(Subject::ResidentialArea, Manager::Commune, Step::Approve, m), Actor::Commune);
        // An organisation a Ministry department follows goes up to the Ministry.
        assert_eq!(who_acts(Subject::Enterprise, Manager::Ministry, Step::Approve, p), Actor::Ministry);
        assert!(role_plays(crate::Role::Province, Actor::Owner, Subject::Enterprise, Manager::Ministry));
        assert!(!role_plays(crate::Role::Commune, Actor::Owner, Subject::Enterprise, Manager::Ministry));
        assert_eq!(Manager::of(true, true), Manager::Ministry);
        assert_eq!(Manager::of(true, false), Manager::Province);
        assert_eq!(CommuneApprover::parse("ministry"), Some(m));
        assert_eq!(CommuneApprover::parse("district"), None);
    }

    proptest::proptest! {
        #[test]
        fn movement_total_is_the_sum_and_levels_are_monotonic(a in 0u32..=600, b in 0u32..=400, c in 0u32..=600, d in 0u32..=400) {
            // In tenths: half and tenth points add up exactly.
            let m = movement_set(&[60, 40], &[90, 70, 50, 0]);
            let tenths = |code: &str, t: u32| Answer { criterion: code.into(), met: None, points: Some(Points::from_tenths(t)), note: None };
            let run = |x: u32, y: u32| match score(&m, &[tenths("M0", x), tenths("M1", y)], &ComputedFacts::default()) {
                AssessmentResult::Movement { total, level, .. } => (total, level),
                _ => (Points::default(), None),
            };
            let (t1, l1) = run(a, b);
            let (t2, l2) = run(c, d);
            proptest::prop_assert_eq!(t1, Points::from_tenths(a + b));
            proptest::prop_assert!(t1 <= Points::whole(100));
            let rank = |l: Option<String>| ["weak", "average", "good", "excellent"].iter().position(|x| Some(x.to_string()) == l);
            if t1 >= t2 { proptest::prop_assert!(rank(l1) >= rank(l2)); }
        }

        #[test]
        fn a_safe_unit_passes_exactly_when_everything_is_met(flags in proptest::collection::vec(proptest::bool::ANY, 1..8)) {
            let set = safe_set(Subject::School, (0..flags.len()).map(|i| crit(&format!("S{i}"), None, None)).collect());
            let answers: Vec<Answer> = flags.iter().enumerate().map(|(i, f)| met(&format!("S{i}"), *f)).collect();
            let AssessmentResult::SafeUnit { passed, unmet } = score(&set, &answers, &ComputedFacts::default()) else { unreachable!() };
            proptest::prop_assert_eq!(passed, flags.iter().all(|f| *f));
            proptest::prop_assert_eq!(unmet.len(), flags.iter().filter(|f| !**f).count());
        }
    }
}
