//! The yearly rating of a security team (Hướng dẫn 01/HD-BCA-V05, read only in
//! translation — the figures are data and "to confirm"): the period (15/11 of the
//! previous year to 14/11), four levels, a team active for less than 9 months in the
//! period is not rated, and "xuất sắc" at most 20 % of those rated "tốt" in the
//! commune.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::codes::codes;

codes! {
    /// A rating's level.
    RatingLevel {
        /// Hoàn thành xuất sắc nhiệm vụ.
        Excellent => "excellent",
        /// Hoàn thành tốt nhiệm vụ.
        Good => "good",
        /// Hoàn thành nhiệm vụ.
        Completed => "completed",
        /// Không hoàn thành nhiệm vụ.
        NotCompleted => "not_completed",
    }
}

impl RatingLevel {
    /// "Hoàn thành" or better: what TT 124/2021 Điều 4 khoản 5 asks of the forces.
    pub fn completed_or_better(self) -> bool {
        !matches!(self, RatingLevel::NotCompleted)
    }
}

/// The guide as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingGuide {
    /// First day of the period, "MM-DD", in the previous year.
    pub period_start: String,
    /// Last day, "MM-DD", in the year rated.
    pub period_end: String,
    /// Months a team must have been active in the period to be rated.
    pub min_active_months: u32,
    /// "Xuất sắc" at most this share of those rated "tốt" in the commune.
    pub excellent_share_of_good_percent: i64,
    /// Where it comes from.
    pub source: String,
    /// Not checked against an official text.
    #[serde(default)]
    pub to_confirm: bool,
}

fn month_day(year: i32, md: &str) -> Option<NaiveDate> {
    let (m, d) = md.split_once('-')?;
    NaiveDate::from_ymd_opt(year, m.parse().ok()?, d.parse().ok()?)
}

impl RatingGuide {
    /// The period rated as `year`: (first day, last day).
    pub fn period(&self, year: i32) -> Option<(NaiveDate, NaiveDate)> {
        Some((month_day(year - 1, &self.period_start)?, month_day(year, &self.period_end)?))
    }

    /// Whether a team established on `established` has been active long enough in
    /// the period of `year` to be rated: at least the minimum months before its end.
    pub fn rateable(&self, established: NaiveDate, year: i32) -> bool {
        let Some((start, end)) = self.period(year) else { return false };
        let from = established.max(start);
        from.checked_add_months(Months::new(self.min_active_months))
            .is_some_and(|enough| enough <= end + chrono::Days::new(1))
    }

    /// How many "xuất sắc" a commune may have with `good` rated "tốt".
    pub fn excellent_cap(&self, good: i64) -> i64 {
        good.max(0) * self.excellent_share_of_good_percent / 100
    }

    /// Whether the commune's ratings of a year stay within the cap.
    pub fn within_cap(&self, excellent: i64, good: i64) -> bool {
        excellent <= self.excellent_cap(good)
    }
}

/// The year a rating made on `day` belongs to: the period that holds it.
pub fn year_of(guide: &RatingGuide, day: NaiveDate) -> i32 {
    match guide.period(day.year() + 1) {
        Some((start, _)) if day >= start => day.year() + 1,
        _ => day.year(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guide() -> RatingGuide {
        RatingGuide {
            period_start: "11-15".into(),
            period_end: "11-14".into(),
            min_active_months: 9,
            excellent_share_of_good_percent: 20,
            source: "HD 01/HD-BCA-V05".into(),
            to_confirm: true,
        }
    }

    fn d(s: &str) -> NaiveDate {
        crate::unit::parse_day(s).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn the_period_runs_from_15_november_to_14_november() {
        assert_eq!(guide().period(2026), Some((d("2025-11-15"), d("2026-11-14"))));
        assert_eq!(year_of(&guide(), d("2026-11-14")), 2026);
        assert_eq!(year_of(&guide(), d("2026-11-15")), 2027);
    }

    #[test]
    fn nine_months_of_activity_at_the_edge() {
        let g = guide();
        assert!(g.rateable(d("2020-05-01"), 2026), "older than the period");
        assert!(g.rateable(d("2026-02-15"), 2026), "15/2 to 14/11: nine months to the day");
        assert!(!g.rateable(d("2026-02-16"), 2026), "a day short");
        assert!(!g.rateable(d("2026-10-01"), 2026));
    }

    #[test]
    fn excellent_at_most_a_fifth_of_good() {
        let g = guide();
        assert!(g.within_cap(1, 5), "1 excellent with 5 good");
        assert!(!g.within_cap(2, 5), "2 with 5 good refused");
        assert!(!g.within_cap(1, 0), "none with no good");
        assert!(g.within_cap(0, 0));
        assert!(!g.within_cap(1, 4));
        assert_eq!(g.excellent_cap(10), 2);
    }

    #[test]
    fn completed_or_better() {
        assert!(RatingLevel::Completed.completed_or_better());
        assert!(!RatingLevel::NotCompleted.completed_or_better());
    }
}
