//! Inspections (kiểm tra): where one stands, from its dates, today's date in
//! Vietnam and its follow-ups; the checks on a new inspection and a finding.

use chrono::NaiveDate;
use serde::Serialize;

use crate::ValidationError;

/// Longest finding or recommendation, in characters.
pub const TEXT_MAX: usize = 10_000;

/// Where an inspection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectionStatus {
    /// Not begun.
    Planned,
    /// Between its first and last day.
    UnderWay,
    /// Over, with follow-ups not all done.
    FollowUp,
    /// Over, and every follow-up done (or none was needed).
    Closed,
}

impl InspectionStatus {
    /// Wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            InspectionStatus::Planned => "planned",
            InspectionStatus::UnderWay => "under_way",
            InspectionStatus::FollowUp => "follow_up",
            InspectionStatus::Closed => "closed",
        }
    }
}

/// An inspection's status: planned before its first day, under way to its last,
/// then follow-up until every follow-up task is done, then closed.
pub fn status(starts: NaiveDate, ends: NaiveDate, today: NaiveDate, follow_ups: i64, done: i64) -> InspectionStatus {
    if today < starts {
        InspectionStatus::Planned
    } else if today <= ends {
        InspectionStatus::UnderWay
    } else if done < follow_ups {
        InspectionStatus::FollowUp
    } else {
        InspectionStatus::Closed
    }
}

/// Checks a new inspection.
pub fn check_new(
    title: &str,
    starts: Option<NaiveDate>,
    ends: Option<NaiveDate>,
    targets: usize,
) -> Result<(), ValidationError> {
    let mut e = ValidationError::default();
    e.check_line("title", title, crate::task::TITLE_MAX, "inspection.title_empty", "inspection.title_too_long");
    match (starts, ends) {
        (None, _) => e.push("from", "inspection.date_invalid"),
        (_, None) => e.push("to", "inspection.date_invalid"),
        (Some(s), Some(t)) if t < s => e.push("to", "inspection.ends_before_start"),
        _ => {}
    }
    if targets == 0 {
        e.push("targets", "inspection.no_target");
    }
    e.into_result()
}

/// Checks a finding: its text and recommendation, and a follow-up due date not
/// before the inspection began.
pub fn check_finding(
    text: &str,
    recommendation: &str,
    due: Option<NaiveDate>,
    starts: NaiveDate,
) -> Result<(), ValidationError> {
    let mut e = ValidationError::default();
    for (field, v) in [("text", text), ("recommendation", recommendation)] {
        if v.trim().is_empty() {
            e.push(field, "inspection.text_empty");
        } else if v.chars().count() > TEXT_MAX {
            e.push(field, "inspection.text_too_long");
        }
    }
    match due {
        None => e.push("follow_up_due", "inspection.date_invalid"),
        Some(d) if d < starts => e.push("follow_up_due", "inspection.due_before_start"),
        Some(_) => {}
    }
    e.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn status_follows_the_dates_then_the_follow_ups() {
        let (s, e) = (d("2026-05-10"), d("2026-05-14"));
        assert_eq!(status(s, e, d("2026-05-09"), 0, 0), InspectionStatus::Planned);
        assert_eq!(status(s, e, d("2026-05-10"), 0, 0), InspectionStatus::UnderWay);
        assert_eq!(status(s, e, d("2026-05-14"), 2, 0), InspectionStatus::UnderWay);
        assert_eq!(status(s, e, d("2026-05-15"), 2, 1), InspectionStatus::FollowUp);
        assert_eq!(status(s, e, d("2026-05-15"), 2, 2), InspectionStatus::Closed);
        assert_eq!(status(s, e, d("2026-05-15"), 0, 0), InspectionStatus::Closed, "nothing to follow up");
    }

    #[test]
    fn checks() {
        assert!(check_new("Kiểm tra phong trào", Some(d("2026-05-10")), Some(d("2026-05-10")), 1).is_ok());
        let e = check_new("", Some(d("2026-05-10")), Some(d("2026-05-09")), 0).err().map(|e| e.errors.len());
        assert_eq!(e, Some(3));
        assert!(check_finding("Chưa có kế hoạch", "Ban hành kế hoạch", Some(d("2026-06-01")), d("2026-05-10")).is_ok());
        assert!(check_finding("x", "y", Some(d("2026-05-09")), d("2026-05-10")).is_err());
        assert!(check_finding(" ", "y", Some(d("2026-06-01")), d("2026-05-10")).is_err());
    }
}
