//! Time in Vietnam as pure functions of a UTC instant. Asia/Ho_Chi_Minh is UTC+7
//! all year (no daylight saving), so a fixed offset is exact. Reading the clock is
//! `store::clock`'s job; nothing here reads it.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

/// Seconds east of UTC of Asia/Ho_Chi_Minh.
pub const VIETNAM_OFFSET_SECS: i32 = 7 * 3600;

fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(VIETNAM_OFFSET_SECS).expect("UTC+7 is a valid offset")
}

/// The instant `ms` Unix milliseconds, clamped to what chrono represents.
pub fn instant_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(if ms < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

/// The date in Vietnam at the instant `at`.
pub fn vietnam_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&vietnam()).date_naive()
}

/// The date in Vietnam at `ms` Unix milliseconds.
pub fn vietnam_date_ms(ms: i64) -> NaiveDate {
    vietnam_date(instant_ms(ms))
}

/// The year in Vietnam at the instant `at`.
pub fn vietnam_year(at: DateTime<Utc>) -> i64 {
    i64::from(vietnam_date(at).year())
}

/// `hour`:00 in Vietnam on `d`, as Unix milliseconds (`None` for an hour past 23).
pub fn vietnam_hour_ms(d: NaiveDate, hour: u32) -> Option<i64> {
    let local = d.and_hms_opt(hour, 0, 0)?;
    Some(local.and_utc().timestamp_millis() - i64::from(VIETNAM_OFFSET_SECS) * 1000)
}

/// A date as YYYY-MM-DD.
pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The time of day in Vietnam of an instant (Unix ms), as "14:05".
pub fn vietnam_time_hm(ms: i64) -> String {
    instant_ms(ms).with_timezone(&vietnam()).format("%H:%M").to_string()
}

/// A date written the Vietnamese way, day first: "05/12/2026", "5/12/2026",
/// "05-12-2026" or "05.12.2026" (years 1900–2200), or `None`.
pub fn parse_vn_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let sep = s.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let mut parts = s.split(sep);
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |p: &str, most: usize| !p.is_empty() && p.len() <= most && p.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(d, 2) || !digits(m, 2) || y.len() != 4 || !digits(y, 4) {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    if !(1900..=2200).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, m.parse().ok()?, d.parse().ok()?)
}

/// A date written YYYY-MM-DD (surrounding blanks ignored), or `None`.
pub fn parse_iso(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod vn_date_tests {
    use super::parse_vn_date;

    #[test]
    fn dates_are_read_day_first() {
        let d = |y, m, dd| chrono::NaiveDate::from_ymd_opt(y, m, dd);
        assert_eq!(parse_vn_date("05/12/2026"), d(2026, 12, 5));
        assert_eq!(parse_vn_date(" 5/2/2026 "), d(2026, 2, 5));
        assert_eq!(parse_vn_date("05-12-2026"), d(2026, 12, 5));
        assert_eq!(parse_vn_date("05.12.2026"), d(2026, 12, 5));
        for bad in [
            "2026-12-05",
            "31/02/2026",
            "05/13/2026",
            "5/12/26",
            "05/12/2026/1",
            "a/b/cdef",
            "",
            "05/12/1800",
            "005/12/2026",
        ] {
            assert_eq!(parse_vn_date(bad), None, "{bad}");
        }
    }
}

#[cfg(test)]
mod time_of_day_tests {
    #[test]
    fn the_time_of_day_is_vietnams() {
        // 2026-12-05 07:05 UTC is 14:05 in Hà Nội.
        assert_eq!(super::vietnam_time_hm(1_796_454_300_000), "14:05");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("instant").with_timezone(&Utc)
    }

    #[test]
    fn the_vietnam_date_turns_at_17_utc() {
        assert_eq!(iso(vietnam_date(at("2026-12-31T16:59:59Z"))), "2026-12-31");
        assert_eq!(iso(vietnam_date(at("2026-12-31T17:00:00Z"))), "2027-01-01");
        assert_eq!(vietnam_year(at("2026-12-31T17:00:00Z")), 2027);
        assert_eq!(vietnam_date_ms(0), NaiveDate::from_ymd_opt(1970, 1, 1).expect("date"));
    }

    #[test]
    fn eight_in_the_morning_is_one_utc() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 13).expect("date");
        // 2026-11-13 08:00 +07:00 = 2026-11-13 01:00 UTC.
        assert_eq!(vietnam_hour_ms(d, 8), Some(1_794_531_600_000));
        assert_eq!(vietnam_hour_ms(d, 24), None);
    }

    #[test]
    fn instants_out_of_range_are_clamped() {
        assert_eq!(instant_ms(i64::MAX), DateTime::<Utc>::MAX_UTC);
        assert_eq!(instant_ms(i64::MIN), DateTime::<Utc>::MIN_UTC);
    }
}
