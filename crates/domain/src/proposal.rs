//! Difficulties and proposals (khó khăn, vướng mắc, đề xuất, kiến nghị) sent to the
//! level above, and the period within which an answer is expected.

use chrono::{Days, NaiveDate};

use crate::ValidationError;

/// Days within which the level above is expected to answer. No legal text fixes
/// this period for the movement's internal proposals: a system default, **to
/// confirm** with the movement department.
pub const ANSWER_DAYS: u64 = 15;

/// Longest proposal or answer, in characters.
pub const BODY_MAX: usize = 10_000;

/// The date by which a proposal sent on `sent` should be answered.
pub fn answer_due(sent: NaiveDate) -> NaiveDate {
    sent.checked_add_days(Days::new(ANSWER_DAYS)).unwrap_or(sent)
}

/// Checks a proposal's or an answer's text.
pub fn check_body(body: &str) -> Result<(), ValidationError> {
    let mut e = ValidationError::default();
    if body.trim().is_empty() {
        e.push("body", "proposal.body_empty");
    } else if body.chars().count() > BODY_MAX {
        e.push("body", "proposal.body_too_long");
    }
    e.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_due_fifteen_days_after_sending() {
        let sent = NaiveDate::from_ymd_opt(2026, 12, 20).unwrap_or(NaiveDate::MIN);
        assert_eq!(answer_due(sent), NaiveDate::from_ymd_opt(2027, 1, 4).unwrap_or(NaiveDate::MIN));
    }

    #[test]
    fn body_checks() {
        assert!(check_body("Đề nghị bổ sung kinh phí").is_ok());
        assert!(check_body("  ").is_err());
        assert!(check_body(&"a".repeat(BODY_MAX + 1)).is_err());
    }
}
