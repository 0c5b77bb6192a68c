//! How an overdue case climbs: level by level, a step at a time, and a warning to
//! its officer before the deadline.
//!
//! To confirm: the Luật Khiếu nại, Luật Tố cáo and the Ministry's rules on
//! receiving reports set the deadlines (see `deadline`), not a schedule for
//! escalating a missed one; the steps below are the usual practice (the level above
//! is told the day after, the ministry a week later).

use chrono::NaiveDate;

/// Days past the deadline at which each level is reached: level 1 (the unit above
/// the handler) on the first day past it, level 2 (the ministry, for a commune's
/// case) a week later.
pub const LEVEL_DAYS: [i64; 2] = [1, 8];

/// Working days are not counted here: the warning goes this many calendar days
/// before the deadline.
pub const WARN_DAYS: i64 = 2;

/// The highest level a case handled by a commune (`by_commune`) or by a province
/// can reach: the province then the ministry, or the ministry alone.
pub fn top_level(by_commune: bool) -> i64 {
    if by_commune {
        2
    } else {
        1
    }
}

/// The level a case should have reached on `today`, given its deadline.
pub fn level_due(due: NaiveDate, today: NaiveDate, by_commune: bool) -> i64 {
    let late = (today - due).num_days();
    let reached = LEVEL_DAYS.iter().filter(|d| late >= **d).count() as i64;
    reached.min(top_level(by_commune))
}

/// Who is told at `level`: for a commune's case the province (1) then the ministry
/// (2); for a province's case the ministry (1); `None` beyond.
pub fn told_at(level: i64, by_commune: bool, province: &str, nation: &str) -> Option<String> {
    match (by_commune, level) {
        (true, 1) => Some(province.to_string()),
        (true, 2) | (false, 1) => Some(nation.to_string()),
        _ => None,
    }
}

/// Whether a case due on `due` is to be warned about on `today`: not yet past its
/// deadline and within the warning days.
pub fn warn_now(due: NaiveDate, today: NaiveDate) -> bool {
    let left = (due - today).num_days();
    (0..=WARN_DAYS).contains(&left)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn a_communes_case_climbs_to_the_province_then_the_ministry() {
        let due = d("2026-12-01");
        assert_eq!(level_due(due, d("2026-12-01"), true), 0, "on the day, not yet");
        assert_eq!(level_due(due, d("2026-12-02"), true), 1);
        assert_eq!(level_due(due, d("2026-12-08"), true), 1);
        assert_eq!(level_due(due, d("2026-12-09"), true), 2);
        assert_eq!(level_due(due, d("2027-06-01"), true), 2, "no level past the ministry");
        assert_eq!(level_due(due, d("2027-06-01"), false), 1, "a province's case goes to the ministry only");
        assert_eq!(told_at(1, true, "01", "VN").as_deref(), Some("01"));
        assert_eq!(told_at(2, true, "01", "VN").as_deref(), Some("VN"));
        assert_eq!(told_at(1, false, "01", "VN").as_deref(), Some("VN"));
        assert_eq!(told_at(2, false, "01", "VN"), None);
        assert_eq!(told_at(3, true, "01", "VN"), None);
    }

    #[test]
    fn the_warning_comes_in_the_last_days_before_the_deadline() {
        let due = d("2026-12-10");
        assert!(!warn_now(due, d("2026-12-07")));
        assert!(warn_now(due, d("2026-12-08")));
        assert!(warn_now(due, d("2026-12-10")), "on the day itself");
        assert!(!warn_now(due, d("2026-12-11")), "past it: escalation, not a warning");
    }
}
