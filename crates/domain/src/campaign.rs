//! The yearly campaign: assessment periods and submission deadlines (DESIGN §2,
//! Thông tư 124/2021/TT-BCA Điều 8; Quyết định 510/QĐ-BCA-V05), adjustable per year.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::criteria::Subject;

/// Deadlines of one year's campaign (month, day) — the defaults, which the
/// ministry may change for a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    /// Residential areas submit before this day (default 20/11).
    pub residential_area: (u32, u32),
    /// Communes and organisations submit before this day (default 30/11).
    pub commune_and_organisation: (u32, u32),
    /// The province's summary is due on this day (default 15/12).
    pub province_summary: (u32, u32),
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines { residential_area: (11, 20), commune_and_organisation: (11, 30), province_summary: (12, 15) }
    }
}

impl Deadlines {
    /// The submission deadline of a subject in `year`.
    pub fn for_subject(&self, year: i32, subject: Subject) -> Option<NaiveDate> {
        let (m, d) = match subject {
            Subject::ResidentialArea => self.residential_area,
            _ => self.commune_and_organisation,
        };
        NaiveDate::from_ymd_opt(year, m, d)
    }

    /// The province summary deadline in `year`.
    pub fn province_summary(&self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.province_summary.0, self.province_summary.1)
    }
}

/// The assessment period of a subject for `year` (TT 124 Điều 8): residential areas
/// from 01/11 of the previous year to 31/10; the others from 16/11 to 15/11.
pub fn period(year: i32, subject: Subject) -> Option<(NaiveDate, NaiveDate)> {
    match subject {
        Subject::ResidentialArea => {
            Some((NaiveDate::from_ymd_opt(year - 1, 11, 1)?, NaiveDate::from_ymd_opt(year, 10, 31)?))
        }
        _ => Some((NaiveDate::from_ymd_opt(year - 1, 11, 16)?, NaiveDate::from_ymd_opt(year, 11, 15)?)),
    }
}

/// A submission on `submitted` is late when it comes after the deadline day.
pub fn is_late(submitted: NaiveDate, deadline: NaiveDate) -> bool {
    submitted > deadline
}

/// Days before a deadline on which reminders are sent.
pub const REMINDER_DAYS_BEFORE: [i64; 3] = [7, 3, 1];

/// The reminder dates of a deadline, earliest first.
pub fn reminder_dates(deadline: NaiveDate) -> Vec<NaiveDate> {
    REMINDER_DAYS_BEFORE.iter().filter_map(|d| deadline.checked_sub_signed(chrono::Duration::days(*d))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn default_deadlines() {
        let dl = Deadlines::default();
        assert_eq!(dl.for_subject(2026, Subject::ResidentialArea), Some(d(2026, 11, 20)));
        assert_eq!(dl.for_subject(2026, Subject::Commune), Some(d(2026, 11, 30)));
        assert_eq!(dl.for_subject(2026, Subject::School), Some(d(2026, 11, 30)));
        assert_eq!(dl.province_summary(2026), Some(d(2026, 12, 15)));
    }

    #[test]
    fn lateness_at_the_boundary() {
        let deadline = d(2026, 11, 30);
        assert!(!is_late(d(2026, 11, 30), deadline));
        assert!(is_late(d(2026, 12, 1), deadline));
        assert!(!is_late(d(2026, 11, 1), deadline));
    }

    #[test]
    fn periods_follow_article_8() {
        assert_eq!(period(2026, Subject::ResidentialArea), Some((d(2025, 11, 1), d(2026, 10, 31))));
        assert_eq!(period(2026, Subject::Enterprise), Some((d(2025, 11, 16), d(2026, 11, 15))));
    }

    #[test]
    fn reminders_come_before_the_deadline() {
        assert_eq!(reminder_dates(d(2026, 11, 20)), vec![d(2026, 11, 13), d(2026, 11, 17), d(2026, 11, 19)]);
    }

    #[test]
    fn an_impossible_deadline_is_none() {
        let dl = Deadlines { residential_area: (2, 30), ..Deadlines::default() };
        assert_eq!(dl.for_subject(2026, Subject::ResidentialArea), None);
    }
}
