//! The yearly campaign: assessment periods and submission deadlines (DESIGN §2,
//! Thông tư 124/2021/TT-BCA Điều 8; Quyết định 510/QĐ-BCA-V05), adjustable per year.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::assessment::CommuneApprover;
use crate::criteria::Subject;
use crate::ValidationError;

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

/// One year's campaign as the ministry set it (or the defaults): the three
/// deadlines, the recognition target and who approves a commune's own assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    /// Campaign year.
    pub year: i32,
    /// Residential areas submit by this day.
    pub residential_area_deadline: NaiveDate,
    /// Communes and organisations submit by this day.
    pub commune_deadline: NaiveDate,
    /// The province's summary is due on this day.
    pub province_summary_deadline: NaiveDate,
    /// Recognition target, in percent of the units assessed (default 95).
    pub target_percent: u32,
    /// Who approves a commune's own assessment.
    pub commune_approver: CommuneApprover,
}

/// The default recognition target (DESIGN §2: "> 95 % … recognised").
pub const DEFAULT_TARGET_PERCENT: u32 = 95;

impl Campaign {
    /// The defaults of a year (DESIGN §2), `None` only for an impossible year.
    pub fn default_for(year: i32) -> Option<Campaign> {
        let dl = Deadlines::default();
        Some(Campaign {
            year,
            residential_area_deadline: dl.for_subject(year, Subject::ResidentialArea)?,
            commune_deadline: dl.for_subject(year, Subject::Commune)?,
            province_summary_deadline: dl.province_summary(year)?,
            target_percent: DEFAULT_TARGET_PERCENT,
            commune_approver: CommuneApprover::default(),
        })
    }

    /// The submission deadline of a subject.
    pub fn deadline_for(&self, subject: Subject) -> NaiveDate {
        match subject {
            Subject::ResidentialArea => self.residential_area_deadline,
            _ => self.commune_deadline,
        }
    }

    /// The target as a share (0–1).
    pub fn target_rate(&self) -> f64 {
        f64::from(self.target_percent) / 100.0
    }

    /// Checks a campaign before it is saved: every deadline falls after the
    /// residential areas' period starts (01/11 of the year before) and before the
    /// end of March of the year after; the province summary comes no earlier than
    /// the submissions it sums up; the target is 1–100 %.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut err = ValidationError::default();
        let first = NaiveDate::from_ymd_opt(self.year - 1, 11, 1);
        let last = NaiveDate::from_ymd_opt(self.year + 1, 3, 31);
        let (Some(first), Some(last)) = (first, last) else {
            err.push("year", "assessment.year_invalid");
            return err.into_result();
        };
        for (field, d) in [
            ("residential_area_deadline", self.residential_area_deadline),
            ("commune_deadline", self.commune_deadline),
            ("province_summary_deadline", self.province_summary_deadline),
        ] {
            if d < first || d > last {
                err.push(field, "campaign.deadline_out_of_range");
            }
        }
        if self.province_summary_deadline < self.commune_deadline
            || self.province_summary_deadline < self.residential_area_deadline
        {
            err.push("province_summary_deadline", "campaign.summary_before_submissions");
        }
        if !(1..=100).contains(&self.target_percent) {
            err.push("target_percent", "campaign.target_invalid");
        }
        err.into_result()
    }

    /// Whether a submission on `day` is late. A resubmission after a return keeps
    /// the lateness of the first submission (`first_submission_late`), so a unit
    /// that sent on time is not marked late for correcting what it was asked to.
    pub fn submission_late(&self, subject: Subject, day: NaiveDate, first_submission_late: Option<bool>) -> bool {
        first_submission_late.unwrap_or_else(|| is_late(day, self.deadline_for(subject)))
    }
}

/// The reminder dates still to come from `today`: the standard dates that have not
/// passed, and — when some have — one reminder today in their place (never several
/// on one day), none once the deadline has passed.
pub fn pending_reminder_dates(deadline: NaiveDate, today: NaiveDate) -> Vec<NaiveDate> {
    if deadline < today {
        return Vec::new();
    }
    let all = reminder_dates(deadline);
    let mut out: Vec<NaiveDate> = all.iter().copied().filter(|d| *d >= today).collect();
    if out.len() < all.len() && !out.contains(&today) {
        out.insert(0, today);
    }
    out
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
    fn campaign_defaults_and_checks() {
        let c = Campaign::default_for(2026).expect("campaign");
        assert_eq!(c.deadline_for(Subject::ResidentialArea), d(2026, 11, 20));
        assert_eq!(c.deadline_for(Subject::Agency), d(2026, 11, 30));
        assert_eq!(c.target_percent, 95);
        assert!(c.validate().is_ok());
        let early = Campaign { residential_area_deadline: d(2025, 10, 31), ..c };
        assert!(early.validate().is_err());
        let earliest = Campaign { residential_area_deadline: d(2025, 11, 1), ..c };
        assert!(earliest.validate().is_ok());
        let late = Campaign { province_summary_deadline: d(2027, 4, 1), ..c };
        assert!(late.validate().is_err());
        let summary_first = Campaign { province_summary_deadline: d(2026, 11, 29), ..c };
        assert!(summary_first.validate().is_err());
        assert!(Campaign { target_percent: 0, ..c }.validate().is_err());
        assert!(Campaign { target_percent: 101, ..c }.validate().is_err());
        assert!(Campaign { target_percent: 100, ..c }.validate().is_ok());
    }

    #[test]
    fn a_resubmission_keeps_the_first_lateness() {
        let c = Campaign::default_for(2026).expect("campaign");
        assert!(!c.submission_late(Subject::Commune, d(2026, 11, 30), None));
        assert!(c.submission_late(Subject::Commune, d(2026, 12, 1), None));
        assert!(c.submission_late(Subject::ResidentialArea, d(2026, 11, 21), None));
        assert!(!c.submission_late(Subject::Commune, d(2026, 12, 20), Some(false)));
        assert!(c.submission_late(Subject::Commune, d(2026, 11, 2), Some(true)));
    }

    #[test]
    fn pending_reminders_never_pile_up() {
        let deadline = d(2026, 11, 20);
        assert_eq!(pending_reminder_dates(deadline, d(2026, 11, 1)), reminder_dates(deadline));
        assert_eq!(pending_reminder_dates(deadline, d(2026, 11, 13)), reminder_dates(deadline));
        assert_eq!(
            pending_reminder_dates(deadline, d(2026, 11, 15)),
            vec![d(2026, 11, 15), d(2026, 11, 17), d(2026, 11, 19)]
        );
        assert_eq!(pending_reminder_dates(deadline, d(2026, 11, 19)), vec![d(2026, 11, 19)]);
        assert_eq!(pending_reminder_dates(deadline, d(2026, 11, 20)), vec![d(2026, 11, 20)]);
        assert!(pending_reminder_dates(deadline, d(2026, 11, 21)).is_empty());
    }

    #[test]
    fn an_impossible_deadline_is_none() {
        let dl = Deadlines { residential_area: (2, 30), ..Deadlines::default() };
        assert_eq!(dl.for_subject(2026, Subject::ResidentialArea), None);
    }
}
