//! Kỷ niệm chương "Bảo vệ an ninh Tổ quốc" in the movement, in dated versions:
//! Thông tư 11/2021/TT-BCA (leaders 05 years) until 27/4/2025, Thông tư 20/2025/TT-BCA
//! (leaders 10 years) from 28/4/2025. Members of grassroots security teams (time as
//! bảo vệ dân phố or part-time commune police counted): 15 years for a man, 10 for a
//! woman, time in especially difficult, border or island areas counted twice. Given
//! once per person. What the system cannot know (commendations, incidents,
//! discipline, prosecution, other medals) the proposer confirms and the verifier
//! sees; the time rule is computed here from the periods entered.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::codes::codes;

codes! {
    /// A person's sex, for the time rule.
    Sex {
        /// Nam.
        Male => "male",
        /// Nữ.
        Female => "female",
    }
}

codes! {
    /// What a period of service was.
    ServiceRole {
        /// Member of a grassroots security team (or before it bảo vệ dân phố,
        /// part-time commune police).
        TeamMember => "team_member",
        /// Leader of a Party committee, authority, mass organisation, school or
        /// enterprise.
        Leader => "leader",
    }
}

/// One period of service as entered on the nomination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePeriod {
    /// First day.
    pub from: NaiveDate,
    /// Last day; none while still serving.
    pub to: Option<NaiveDate>,
    /// What it was.
    pub role: ServiceRole,
    /// In an especially difficult, border or island area (counted twice).
    #[serde(default)]
    pub difficult_area: bool,
}

/// A version of the time rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MedalRule {
    /// From this day.
    pub valid_from: NaiveDate,
    /// Years in post for a leader.
    pub leader_years: i64,
    /// Years for a man in a team.
    pub member_years_male: i64,
    /// Years for a woman in a team.
    pub member_years_female: i64,
    /// The text it comes from.
    pub source: &'static str,
    /// Read only from a report of the text, not the text itself.
    pub to_confirm: bool,
}

/// The versions known, oldest first.
pub fn versions() -> [MedalRule; 2] {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    [
        MedalRule {
            valid_from: day(2021, 3, 12),
            leader_years: 5,
            member_years_male: 15,
            member_years_female: 10,
            source: "Thông tư 11/2021/TT-BCA, Điều 4 khoản 1 điểm b, c (theo hướng dẫn 2030/CAT-PV05 của Công an tỉnh Bình Thuận)",
            to_confirm: true,
        },
        MedalRule {
            valid_from: day(2025, 4, 28),
            leader_years: 10,
            member_years_male: 15,
            member_years_female: 10,
            source: "Thông tư 20/2025/TT-BCA (hiệu lực 28/4/2025; điều, khoản chưa đối chiếu văn bản gốc)",
            to_confirm: true,
        },
    ]
}

/// The version in force on a day (the oldest before the first).
pub fn rule_on(day: NaiveDate) -> MedalRule {
    let all = versions();
    all.iter().rev().find(|r| r.valid_from <= day).copied().unwrap_or(all[0])
}

/// Days that make `years` years of service counted back from `on`: the calendar's
/// own (a span with four leap days is a day longer than one with three), so
/// "exactly fifteen years" to the proposal day is met to the day.
pub fn days_for(years: i64, on: NaiveDate) -> i64 {
    let months = chrono::Months::new(u32::try_from(years.max(0) * 12).unwrap_or(0));
    on.checked_sub_months(months).map_or(years * 365 + years / 4, |start| (on - start).num_days())
}

/// Whole years that `days` of service make, counted as [`days_for`] does.
pub fn whole_years(days: i64, on: NaiveDate) -> i64 {
    let mut n = 0;
    while n < 200 && days_for(n + 1, on) <= days {
        n += 1;
    }
    n
}

/// What the time rule says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Eligibility {
    /// Meets the time rule.
    Eligible {
        /// Whole years credited.
        years: i64,
        /// The clause.
        source: String,
    },
    /// Not yet; `eligible_on` when still serving.
    NotYet {
        /// Whole years credited.
        years: i64,
        /// The day the time rule will be met, serving on as now.
        #[serde(skip_serializing_if = "Option::is_none")]
        eligible_on: Option<NaiveDate>,
        /// The clause.
        source: String,
    },
    /// Excluded (already awarded once, or one of the exclusions confirmed).
    Excluded {
        /// Whole years credited.
        years: i64,
        /// Message key of the reason.
        reason: String,
        /// The clause.
        source: String,
    },
}

/// Checks the periods: each ends after it starts, none overlaps another, none is in
/// the future; every problem as (index, message key).
pub fn check_periods(periods: &[ServicePeriod], today: NaiveDate) -> Result<(), Vec<(usize, &'static str)>> {
    let mut errs = Vec::new();
    if periods.is_empty() {
        errs.push((0, "medal.no_service"));
    }
    for (i, p) in periods.iter().enumerate() {
        if p.to.is_some_and(|t| t < p.from) {
            errs.push((i, "medal.period_backwards"));
        }
        if p.from > today {
            errs.push((i, "medal.period_future"));
        }
    }
    for (i, a) in periods.iter().enumerate() {
        for b in periods.iter().skip(i + 1) {
            let a_end = a.to.unwrap_or(NaiveDate::MAX);
            let b_end = b.to.unwrap_or(NaiveDate::MAX);
            if a.from <= b_end && b.from <= a_end {
                errs.push((i, "medal.periods_overlap"));
            }
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs)
    }
}

/// Credited days of `role` up to `on` (inclusive), difficult areas twice for team
/// members; and the rate at which an open period of that role still accrues.
fn credited(periods: &[ServicePeriod], role: ServiceRole, on: NaiveDate) -> (i64, i64) {
    let mut days = 0;
    let mut rate = 0;
    for p in periods.iter().filter(|p| p.role == role && p.from <= on) {
        let end = p.to.unwrap_or(on).min(on);
        let factor = if role == ServiceRole::TeamMember && p.difficult_area { 2 } else { 1 };
        days += ((end - p.from).num_days() + 1).max(0) * factor;
        if p.to.is_none_or(|t| t > on) {
            rate = rate.max(factor);
        }
    }
    (days, rate)
}

/// Whether a person meets the time rule on `on` (the day of the proposal), by the
/// version in force that day; `already_awarded` (once per person) and `excluded`
/// (the message key of an exclusion the proposer confirmed: a listed medal held,
/// prosecution, discipline under way) exclude.
pub fn eligibility(
    sex: Sex,
    periods: &[ServicePeriod],
    on: NaiveDate,
    already_awarded: bool,
    excluded: Option<&str>,
) -> Eligibility {
    let rule = rule_on(on);
    let source = rule.source.to_string();
    let member_need = days_for(
        match sex {
            Sex::Male => rule.member_years_male,
            Sex::Female => rule.member_years_female,
        },
        on,
    );
    let leader_need = days_for(rule.leader_years, on);
    let (member_days, member_rate) = credited(periods, ServiceRole::TeamMember, on);
    let (leader_days, leader_rate) = credited(periods, ServiceRole::Leader, on);
    let years = whole_years(member_days.max(leader_days), on);
    if already_awarded {
        return Eligibility::Excluded { years, reason: "medal.already_awarded".into(), source };
    }
    if let Some(reason) = excluded {
        return Eligibility::Excluded { years, reason: reason.into(), source };
    }
    if member_days >= member_need || leader_days >= leader_need {
        return Eligibility::Eligible { years, source };
    }
    // Serving on as now: the first day each path is met (estimated at the pace of
    // the open period, then settled against the rule of that very day), the nearer.
    let meets = |role: ServiceRole, years: i64, day: NaiveDate| credited(periods, role, day).0 >= days_for(years, day);
    let when = |role: ServiceRole, years: i64, have: i64, need: i64, rate: i64| {
        if rate == 0 {
            return None;
        }
        let mut day = on + Duration::days((need - have + rate - 1) / rate);
        for _ in 0..8 {
            if meets(role, years, day) {
                break;
            }
            day += Duration::days(1);
        }
        for _ in 0..8 {
            if day > on && meets(role, years, day - Duration::days(1)) {
                day -= Duration::days(1);
            }
        }
        meets(role, years, day).then_some(day)
    };
    let member_years = match sex {
        Sex::Male => rule.member_years_male,
        Sex::Female => rule.member_years_female,
    };
    let eligible_on = [
        when(ServiceRole::TeamMember, member_years, member_days, member_need, member_rate),
        when(ServiceRole::Leader, rule.leader_years, leader_days, leader_need, leader_rate),
    ]
    .into_iter()
    .flatten()
    .min();
    Eligibility::NotYet { years, eligible_on, source }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn member(from: NaiveDate, to: Option<NaiveDate>, difficult: bool) -> ServicePeriod {
        ServicePeriod { from, to, role: ServiceRole::TeamMember, difficult_area: difficult }
    }

    fn status(e: &Eligibility) -> &'static str {
        match e {
            Eligibility::Eligible { .. } => "eligible",
            Eligibility::NotYet { .. } => "not_yet",
            Eligibility::Excluded { .. } => "excluded",
        }
    }

    #[test]
    fn exactly_fifteen_years_for_a_man_ten_for_a_woman() {
        let on = d(2026, 8, 1);
        // Fifteen calendar years to the day (the last day served counted).
        let fifteen = [member(d(2011, 8, 2), Some(d(2026, 8, 1)), false)];
        assert_eq!(status(&eligibility(Sex::Male, &fifteen, on, false, None)), "eligible");
        let a_day_short = [member(d(2011, 8, 3), Some(d(2026, 8, 1)), false)];
        assert_eq!(status(&eligibility(Sex::Male, &a_day_short, on, false, None)), "not_yet");
        // Still serving, eight years in: eligible on the day ten years are complete.
        let eight = [member(d(2018, 6, 1), None, false)];
        match eligibility(Sex::Female, &eight, on, false, None) {
            Eligibility::NotYet { eligible_on, .. } => assert_eq!(eligible_on, Some(d(2028, 5, 31))),
            other => panic!("{other:?}"),
        }
        let ten = [member(d(2016, 8, 2), None, false)];
        assert_eq!(status(&eligibility(Sex::Female, &ten, on, false, None)), "eligible");
        assert_eq!(status(&eligibility(Sex::Male, &ten, on, false, None)), "not_yet");
    }

    #[test]
    fn a_border_area_counts_twice() {
        let on = d(2026, 8, 1);
        // Seven and a half years in a border commune (days counted twice: 2 × 2 741
        // ≥ the 5 479 days of fifteen years back from the proposal day).
        let border = [member(d(2019, 1, 30), None, true)];
        match eligibility(Sex::Male, &border, on, false, None) {
            Eligibility::Eligible { years, .. } => assert_eq!(years, 15),
            other => panic!("{other:?}"),
        }
        let short = [member(d(2019, 3, 1), None, true)];
        match eligibility(Sex::Male, &short, on, false, None) {
            // Still serving there: the day comes within the month, at twice the pace.
            Eligibility::NotYet { eligible_on: Some(day), .. } => assert!(day > on && day < d(2026, 8, 31), "{day}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_gap_in_service_is_not_counted_and_a_closed_record_has_no_date() {
        let on = d(2026, 8, 1);
        let gap =
            [member(d(2005, 1, 1), Some(d(2012, 12, 31)), false), member(d(2016, 1, 1), Some(d(2020, 12, 31)), false)];
        match eligibility(Sex::Male, &gap, on, false, None) {
            Eligibility::NotYet { years, eligible_on, .. } => {
                assert_eq!(years, 13, "8 + 5 years, the gap left out: {years}");
                assert_eq!(eligible_on, None, "no longer serving");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn once_per_person_and_the_exclusions() {
        let on = d(2026, 8, 1);
        let long = [member(d(2000, 1, 1), None, false)];
        assert_eq!(status(&eligibility(Sex::Male, &long, on, true, None)), "excluded");
        assert_eq!(status(&eligibility(Sex::Male, &long, on, false, Some("medal.prosecuted"))), "excluded");
    }

    #[test]
    fn leaders_needed_five_years_then_ten() {
        let leader = [ServicePeriod { from: d(2018, 1, 1), to: None, role: ServiceRole::Leader, difficult_area: true }];
        assert_eq!(status(&eligibility(Sex::Male, &leader, d(2025, 3, 1), false, None)), "eligible", "TT 11/2021");
        assert_eq!(status(&eligibility(Sex::Male, &leader, d(2025, 6, 1), false, None)), "not_yet", "TT 20/2025");
        assert_eq!(rule_on(d(2025, 4, 27)).leader_years, 5);
        assert_eq!(rule_on(d(2025, 4, 28)).leader_years, 10);
    }

    #[test]
    fn periods_are_checked() {
        let today = d(2026, 8, 1);
        let backwards = [member(d(2020, 1, 1), Some(d(2019, 1, 1)), false)];
        assert_eq!(check_periods(&backwards, today), Err(vec![(0, "medal.period_backwards")]));
        let overlap = [member(d(2010, 1, 1), Some(d(2015, 1, 1)), false), member(d(2014, 1, 1), None, false)];
        assert_eq!(check_periods(&overlap, today), Err(vec![(0, "medal.periods_overlap")]));
        assert!(check_periods(
            &[member(d(2010, 1, 1), Some(d(2015, 1, 1)), false), member(d(2015, 1, 2), None, false)],
            today
        )
        .is_ok());
        assert_eq!(check_periods(&[], today), Err(vec![(0, "medal.no_service")]));
    }
}
