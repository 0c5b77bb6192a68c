//! The monthly support due to team members: the province's rate (set by its
//! People's Council, Luật 30/2023 Điều 23 khoản 1; amount per role per month with the
//! day it applies from) × the members × the months each served. A month counts when
//! the member served on its first day — to confirm against each province's
//! resolution; the rate is the one in force on that day.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::TeamRole;

/// A province's rate from a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    /// Province code.
    pub province_code: String,
    /// Applies from (YYYY-MM-DD).
    pub from: NaiveDate,
    /// Tổ trưởng, đồng a month.
    pub leader: i64,
    /// Tổ phó.
    pub deputy: i64,
    /// Tổ viên.
    pub member: i64,
    /// Where it comes from.
    pub source: String,
    /// Not checked against an official text.
    #[serde(default)]
    pub to_confirm: bool,
}

impl Rate {
    fn of(&self, role: TeamRole) -> i64 {
        match role {
            TeamRole::Leader => self.leader,
            TeamRole::Deputy => self.deputy,
            TeamRole::Member => self.member,
        }
    }
}

/// A member's service for the computation.
#[derive(Debug, Clone, Copy)]
pub struct Service {
    /// Role.
    pub role: TeamRole,
    /// Joined on.
    pub joined_on: NaiveDate,
    /// Left on.
    pub left_on: Option<NaiveDate>,
}

/// The rate of `province` in force on `day`.
pub fn rate_on<'a>(rates: &'a [Rate], province: &str, day: NaiveDate) -> Option<&'a Rate> {
    rates.iter().filter(|r| r.province_code == province && r.from <= day).max_by_key(|r| r.from)
}

/// The allowance due for `year`: for each month whose first day the member served
/// on (and not after `until`), the role's rate in force that day. `None` when the
/// province has no rate at all.
pub fn due(rates: &[Rate], province: &str, members: &[Service], year: i32, until: NaiveDate) -> Option<i64> {
    if !rates.iter().any(|r| r.province_code == province) {
        return None;
    }
    let mut total = 0;
    let mut first = NaiveDate::from_ymd_opt(year, 1, 1)?;
    while first.year() == year && first <= until {
        if let Some(rate) = rate_on(rates, province, first) {
            for m in members {
                if m.joined_on <= first && m.left_on.is_none_or(|l| l >= first) {
                    total += rate.of(m.role);
                }
            }
        }
        first = first.checked_add_months(Months::new(1))?;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::unit::parse_day(s).unwrap_or(NaiveDate::MIN)
    }

    fn rate(from: &str, leader: i64, member: i64) -> Rate {
        Rate {
            province_code: "66".into(),
            from: d(from),
            leader,
            deputy: 0,
            member,
            source: "test".into(),
            to_confirm: true,
        }
    }

    #[test]
    fn across_a_change_of_rate() {
        // 1 200 000 a month until June, 1 500 000 from 1 July.
        let rates = [rate("2024-07-01", 1_800_000, 1_200_000), rate("2026-07-01", 2_000_000, 1_500_000)];
        let m = Service { role: TeamRole::Member, joined_on: d("2025-01-01"), left_on: None };
        assert_eq!(due(&rates, "66", &[m], 2026, d("2026-12-31")), Some(6 * 1_200_000 + 6 * 1_500_000));
        // A leader who joined on 10/3 counts from April; one who left on 31/8 through August.
        let l = Service { role: TeamRole::Leader, joined_on: d("2026-03-10"), left_on: Some(d("2026-08-31")) };
        assert_eq!(due(&rates, "66", &[l], 2026, d("2026-12-31")), Some(3 * 1_800_000 + 2 * 2_000_000));
        // Only the months up to today.
        assert_eq!(due(&rates, "66", &[m], 2026, d("2026-03-15")), Some(3 * 1_200_000));
        // No rate for the province: not computed, never guessed.
        assert_eq!(due(&rates, "01", &[m], 2026, d("2026-12-31")), None);
        // Before the first rate, nothing is due.
        assert_eq!(due(&rates, "66", &[m], 2024, d("2024-12-31")), Some(0));
    }
}
