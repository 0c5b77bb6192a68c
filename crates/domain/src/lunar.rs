//! Vietnamese lunar calendar (âm lịch).
//!
//! The Vietnamese lunisolar calendar follows these rules:
//!
//! 1. a lunar month starts on the (local) day that contains the new moon (ngày Sóc);
//! 2. the winter solstice (Đông chí, sun longitude 270°) always falls in month 11;
//! 3. a lunar year (from one month 11 to the next) that has 13 months gets a leap month: the first month after
//!    the winter solstice that contains no principal solar term (Trung khí, a multiple of 30° of sun
//!    longitude) repeats the number of the month before it;
//! 4. everything is computed for the meridian 105° E, i.e. UTC+7. China uses UTC+8, so the two calendars
//!    differ on some dates (Tết 1985 is 21/01/1985 in Vietnam but 20/02/1985 in China; Tết 2007 is
//!    17/02/2007 in Vietnam but 18/02/2007 in China).
//!
//! The astronomy is the simplified series that Hồ Ngọc Đức published for this purpose (after Jean Meeus,
//! *Astronomical Algorithms*): the instant of the k-th new moon since January 1900 and the sun's true
//! longitude, both accurate to a few minutes in the modern era.
//!
//! Supported range: solar years 1900–2100. Within it the conversion round-trips for every day, and every
//! lunar month start 1968–2100 is checked against an independent published table (`tests/lunar_table.rs`,
//! provenance in `tests/data/README.md`): no difference 1990–2050, three months after 2050 where the new
//! moon falls within two minutes of midnight and the simplified series is not precise enough. Before 1968
//! the Vietnamese calendar was actually computed for UTC+8; this module applies UTC+7 throughout, so about
//! 26 months of 1900–1967 differ from the historical calendar. Outside 1900–2100 the same formulas are
//! applied without any guarantee; nothing panics.

use std::f64::consts::PI;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A date in the Vietnamese lunar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LunarDate {
    /// Lunar year, numbered like the solar year in which its first month starts.
    pub year: i32,
    /// Month number, 1–12. A leap month carries the number of the month before it.
    pub month: u32,
    /// Day of the month, 1–30.
    pub day: u32,
    /// Whether this is the leap (nhuận) month.
    pub leap: bool,
}

/// Vietnam's time zone, UTC+7, as a fraction of a day.
const TIME_ZONE: f64 = 7.0 / 24.0;
/// Mean length of a synodic month, in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;
/// Julian date of the mean new moon that lunation 0 refers to (1900-01-01, 13:51 UT).
const LUNATION_EPOCH: f64 = 2_415_021.076_998_695;
/// Julian day number of 0001-01-01 (proleptic Gregorian) minus one: JDN = days from CE + this.
const JDN_CE_OFFSET: i64 = 1_721_425;

/// Julian day number of a date.
fn jdn(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + JDN_CE_OFFSET
}

/// Julian day number of 31 December of a (proleptic Gregorian) year, for any year.
fn jdn_december_31(year: i64) -> i64 {
    // Fliegel–Van Flandern with March-based months: December is month 9 of the year starting in March.
    let y = year + 4800;
    31 + (153 * 9 + 2) / 5 + 365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400) - 32045
}

/// The date of a Julian day number, clamped to chrono's representable range.
fn date_from_jdn(j: i64) -> NaiveDate {
    i32::try_from(j - JDN_CE_OFFSET)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .unwrap_or(if j > JDN_CE_OFFSET { NaiveDate::MAX } else { NaiveDate::MIN })
}

/// Julian date (UT, approximately) of the new moon of lunation `k`, counted from January 1900.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85; // Julian centuries since 1900-01-01
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mean = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3
        + 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    // Mean anomalies of the sun (m) and the moon (mp), and the moon's argument of latitude (f), in degrees.
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mp = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let sin = |deg: f64| (deg * dr).sin();
    let correction = (0.1734 - 0.000_393 * t) * sin(m) + 0.0021 * sin(2.0 * m) - 0.4068 * sin(mp)
        + 0.0161 * sin(2.0 * mp)
        - 0.0004 * sin(3.0 * mp)
        + 0.0104 * sin(2.0 * f)
        - 0.0051 * sin(m + mp)
        - 0.0074 * sin(m - mp)
        + 0.0004 * sin(2.0 * f + m)
        - 0.0004 * sin(2.0 * f - m)
        - 0.0006 * sin(2.0 * f + mp)
        + 0.0010 * sin(2.0 * f - mp)
        + 0.0005 * sin(2.0 * mp + m);
    // ΔT (terrestrial minus universal time), in days.
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    mean + correction - delta_t
}

/// Julian day number of the local (UTC+7) day that contains the new moon of lunation `k`.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k) + 0.5 + TIME_ZONE).floor() as i64
}

/// The sun's true ecliptic longitude at Julian date `jd`, in radians within [0, 2π).
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36_525.0; // Julian centuries since J2000.0
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2; // mean anomaly
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2; // mean longitude
    let center = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin()
        + (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin()
        + 0.000_290 * (dr * 3.0 * m).sin();
    ((l0 + center) * dr).rem_euclid(2.0 * PI)
}

/// Which 30° sector (0–11) the sun is in at the local midnight that starts day `day`.
/// Sector boundaries are the principal solar terms (Trung khí); sector 9 starts at the winter solstice.
fn sun_sector(day: i64) -> i64 {
    let midnight = day as f64 - 0.5 - TIME_ZONE;
    ((sun_longitude(midnight) / (PI / 6.0)).floor() as i64).clamp(0, 11)
}

/// The lunation whose lunar month contains day `day`.
fn lunation_of(day: i64) -> i64 {
    let mut k = ((day as f64 - LUNATION_EPOCH) / SYNODIC_MONTH).floor() as i64;
    // The estimate is off by at most one lunation; the bound only matters far outside the supported range,
    // where floating-point precision runs out.
    for _ in 0..4 {
        if new_moon_day(k) > day {
            k -= 1;
        } else if new_moon_day(k + 1) <= day {
            k += 1;
        } else {
            break;
        }
    }
    k
}

/// The lunation that is month 11 of the lunar year running across the end of solar `year`, i.e. the month
/// that contains that December's winter solstice.
fn month_11(year: i64) -> i64 {
    let k = lunation_of(jdn_december_31(year));
    // If the sun has already passed 270° when the month of 31 December starts, the solstice fell in the
    // month before.
    if sun_sector(new_moon_day(k)) >= 9 {
        k - 1
    } else {
        k
    }
}

/// The months from month 11 of one solar year to month 11 of the next (a "suì").
struct Span {
    /// Solar year in whose November/December the span starts.
    start_year: i64,
    /// Lunation of the first month (month 11).
    first: i64,
    /// Offset (from `first`) of the leap month, if the span has 13 months.
    leap: Option<i64>,
}

impl Span {
    fn new(start_year: i64) -> Self {
        let first = month_11(start_year);
        let next = month_11(start_year + 1);
        let leap = if next - first == 13 {
            // The leap month is the first month (after month 11) without a principal term: the sun is in
            // the same sector when it starts and when the next month starts.
            (1..next - first).find(|&i| sun_sector(new_moon_day(first + i)) == sun_sector(new_moon_day(first + i + 1)))
        } else {
            None
        };
        Span { start_year, first, leap }
    }

    /// Month number and leap flag of the month at `offset` from month 11.
    fn label(&self, offset: i64) -> (u32, bool) {
        let number = |o: i64| (10 + o).rem_euclid(12) as u32 + 1;
        match self.leap {
            Some(l) if offset == l => (number(offset - 1), true),
            Some(l) if offset > l => (number(offset - 1), false),
            _ => (number(offset), false),
        }
    }

    /// Offset from month 11 of a month, or `None` if this span has no such (leap) month.
    fn offset_of(&self, month: u32, leap: bool) -> Option<i64> {
        let base = i64::from((month + 1) % 12);
        match (leap, self.leap) {
            (false, Some(l)) if base >= l => Some(base + 1),
            (false, _) => Some(base),
            (true, Some(l)) if self.label(l).0 == month => Some(l),
            (true, _) => None,
        }
    }

    /// The lunar year a month of this span belongs to: months 11 and 12 end the lunar year that started in
    /// `start_year`; the others belong to the next one.
    fn lunar_year(&self, month: u32) -> i64 {
        if month >= 11 {
            self.start_year
        } else {
            self.start_year + 1
        }
    }
}

fn to_i32(v: i64) -> i32 {
    i32::try_from(v).unwrap_or(if v > 0 { i32::MAX } else { i32::MIN })
}

/// Converts a solar (Gregorian) date to the Vietnamese lunar calendar (UTC+7).
pub fn solar_to_lunar(date: NaiveDate) -> LunarDate {
    let day = jdn(date);
    let k = lunation_of(day);
    let year = i64::from(date.year());
    let this = Span::new(year);
    let span = if k >= this.first { this } else { Span::new(year - 1) };
    let (month, leap) = span.label(k - span.first);
    LunarDate { year: to_i32(span.lunar_year(month)), month, day: (day - new_moon_day(k) + 1) as u32, leap }
}

/// Converts a Vietnamese lunar date to the solar (Gregorian) calendar.
///
/// Returns `None` if that lunar date does not exist: month outside 1–12, a leap month in a year that has no
/// such leap month, or day 30 of a 29-day month.
pub fn lunar_to_solar(l: LunarDate) -> Option<NaiveDate> {
    if !(1..=12).contains(&l.month) || !(1..=30).contains(&l.day) {
        return None;
    }
    let year = i64::from(l.year);
    let span = Span::new(if l.month >= 11 { year } else { year - 1 });
    let k = span.first + span.offset_of(l.month, l.leap)?;
    let start = new_moon_day(k);
    let length = new_moon_day(k + 1) - start;
    if i64::from(l.day) > length {
        return None;
    }
    Some(date_from_jdn(start + i64::from(l.day) - 1))
}

/// Tết Nguyên đán: the first day of the first lunar month of the lunar year that starts in `solar_year`.
pub fn tet(solar_year: i32) -> NaiveDate {
    let span = Span::new(i64::from(solar_year) - 1);
    // A regular month 1 exists in every span.
    let offset = span.offset_of(1, false).unwrap_or(2);
    date_from_jdn(new_moon_day(span.first + offset))
}

/// The last day of the lunar year that ends just before Tết of `solar_year` (29 or 30 tháng Chạp), i.e. the
/// day before [`tet`].
pub fn last_day_of_lunar_year_before_tet(solar_year: i32) -> NaiveDate {
    let t = tet(solar_year);
    t.pred_opt().unwrap_or(t)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn l(year: i32, month: u32, day: u32, leap: bool) -> LunarDate {
        LunarDate { year, month, day, leap }
    }

    #[test]
    fn tet_dates_known() {
        let cases = [
            (1985, d(1985, 1, 21)), // Vietnam; China (UTC+8) had 20/02/1985
            (2007, d(2007, 2, 17)), // Vietnam; China had 18/02/2007
            (2020, d(2020, 1, 25)),
            (2021, d(2021, 2, 12)),
            (2022, d(2022, 2, 1)),
            (2023, d(2023, 1, 22)),
            (2024, d(2024, 2, 10)),
            (2025, d(2025, 1, 29)),
            (2026, d(2026, 2, 17)),
        ];
        for (year, expected) in cases {
            assert_eq!(tet(year), expected, "Tết {year}");
            assert_eq!(solar_to_lunar(expected), l(year, 1, 1, false));
            assert_eq!(lunar_to_solar(l(year, 1, 1, false)), Some(expected));
        }
    }

    #[test]
    fn last_day_before_tet() {
        assert_eq!(last_day_of_lunar_year_before_tet(2026), d(2026, 2, 16));
        assert_eq!(solar_to_lunar(d(2026, 2, 16)), l(2025, 12, 29, false));
        assert_eq!(last_day_of_lunar_year_before_tet(2024), d(2024, 2, 9));
        assert_eq!(solar_to_lunar(d(2024, 2, 9)), l(2023, 12, 30, false));
    }

    #[test]
    fn gio_to_hung_vuong() {
        assert_eq!(lunar_to_solar(l(2025, 3, 10, false)), Some(d(2025, 4, 7)));
        assert_eq!(lunar_to_solar(l(2024, 3, 10, false)), Some(d(2024, 4, 18)));
        assert_eq!(solar_to_lunar(d(2025, 4, 7)), l(2025, 3, 10, false));
    }

    #[test]
    fn leap_months() {
        // 2023 had a leap 2nd month starting 22/03/2023; 2025 a leap 6th month starting 25/07/2025.
        assert_eq!(solar_to_lunar(d(2023, 3, 22)), l(2023, 2, 1, true));
        assert_eq!(solar_to_lunar(d(2023, 4, 20)), l(2023, 3, 1, false));
        assert_eq!(lunar_to_solar(l(2025, 6, 1, true)), Some(d(2025, 7, 25)));
        assert_eq!(lunar_to_solar(l(2025, 6, 1, false)), Some(d(2025, 6, 25)));
        // No leap month in 2024, and no leap 3rd month in 2025.
        assert_eq!(lunar_to_solar(l(2024, 6, 1, true)), None);
        assert_eq!(lunar_to_solar(l(2025, 3, 1, true)), None);
        // 2033: the leap month is the 11th (across the solar year boundary).
        assert_eq!(solar_to_lunar(d(2033, 12, 22)), l(2033, 11, 1, true));
        assert_eq!(solar_to_lunar(d(2034, 1, 20)), l(2033, 12, 1, false));
    }

    #[test]
    fn invalid_lunar_dates() {
        assert_eq!(lunar_to_solar(l(2025, 0, 1, false)), None);
        assert_eq!(lunar_to_solar(l(2025, 13, 1, false)), None);
        assert_eq!(lunar_to_solar(l(2025, 1, 0, false)), None);
        assert_eq!(lunar_to_solar(l(2025, 1, 31, false)), None);
        // Tháng Chạp of lunar 2025 runs 19/01/2026–16/02/2026 (29 days); Tết 2026 is 17/02/2026.
        assert_eq!(solar_to_lunar(d(2026, 1, 18)), l(2025, 11, 30, false));
        assert_eq!(solar_to_lunar(d(2026, 1, 19)), l(2025, 12, 1, false));
        assert_eq!(lunar_to_solar(l(2025, 12, 29, false)), Some(d(2026, 2, 16)));
        assert_eq!(lunar_to_solar(l(2025, 12, 30, false)), None);
    }

    #[test]
    fn months_around_solar_year_end() {
        // 1/1/2025 is 2/12 of lunar 2024.
        assert_eq!(solar_to_lunar(d(2025, 1, 1)), l(2024, 12, 2, false));
        assert_eq!(lunar_to_solar(l(2024, 12, 2, false)), Some(d(2025, 1, 1)));
        assert_eq!(solar_to_lunar(d(2024, 12, 31)), l(2024, 12, 1, false));
    }

    #[test]
    fn no_panic_far_outside_range() {
        let _ = solar_to_lunar(NaiveDate::MIN);
        let _ = solar_to_lunar(NaiveDate::MAX);
        let _ = tet(i32::MAX);
        let _ = tet(i32::MIN);
        let _ = lunar_to_solar(l(i32::MAX, 1, 1, false));
    }

    #[test]
    fn every_day_1900_2100_is_consistent() {
        // Consecutive days advance the lunar date by one, or start a new month after day 29 or 30.
        let mut date = d(1900, 1, 1);
        let mut prev = solar_to_lunar(date);
        let end = d(2100, 12, 31);
        let mut months_in_year = 0;
        while date < end {
            date = date.succ_opt().unwrap();
            let cur = solar_to_lunar(date);
            if cur.day == 1 {
                assert!(prev.day == 29 || prev.day == 30, "{date}: month of {} days", prev.day);
                months_in_year += 1;
                if cur.month == 1 && !cur.leap {
                    assert_eq!(cur.year, prev.year + 1, "{date}");
                    assert!(months_in_year == 12 || months_in_year == 13 || prev.year == 1899, "{date}");
                    months_in_year = 0;
                } else {
                    assert_eq!(cur.year, prev.year, "{date}");
                    let expected_month = if cur.leap { prev.month } else { prev.month % 12 + 1 };
                    assert_eq!(cur.month, expected_month, "{date}");
                }
            } else {
                assert_eq!((cur.year, cur.month, cur.day, cur.leap), (prev.year, prev.month, prev.day + 1, prev.leap));
            }
            prev = cur;
        }
    }

    proptest! {
        #[test]
        fn round_trip_1900_2100(days in 0i64..73_413) {
            let date = d(1900, 1, 1) + chrono::Days::new(days as u64);
            let lunar = solar_to_lunar(date);
            prop_assert_eq!(lunar_to_solar(lunar), Some(date));
        }
    }
}
