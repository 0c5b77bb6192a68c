//! Working-day calendar for deadline computation.
//!
//! Legal basis:
//! - Bộ luật Lao động 2019, Điều 111 (weekly rest; khoản 3: a holiday that falls on the weekly rest day is
//!   compensated on the next working day) and Điều 112 khoản 1 (public holidays). Civil servants rest on
//!   Saturday and Sunday, which is the weekly rest assumed here.
//! - Bộ luật Dân sự 2015, Điều 147 (a period counted in days, weeks, months starts the day after the event)
//!   and Điều 148 (end of a period; khoản 3 for months, khoản 5: a period whose last day is a weekend day or
//!   a holiday ends at the end of the next working day).
//!
//! Statutory days off computed by default for every year (Điều 112 khoản 1):
//! - Tết Dương lịch: 1/1;
//! - Tết Âm lịch: 5 days. The Prime Minister fixes the actual days every year; the default is the last day of
//!   the old lunar year plus days 1–4 of the new one. Administrators enter the real decision as overrides;
//! - Ngày Chiến thắng 30/4 and Ngày Quốc tế Lao động 1/5;
//! - Quốc khánh: 2/9 plus one adjacent day, by default 1/9, or 3/9 when 1/9 is a Sunday (this matches the
//!   decisions for 2022–2025);
//! - Giỗ Tổ Hùng Vương: 10/3 lunar.
//!
//! Any other day off (a bridge day, a holiday added by a later law) is a [`OverrideKind::DayOff`] override
//! entered from the government's decision; a Saturday swapped into a working day, or a default day that the
//! decision moves away, is a [`OverrideKind::WorkingDay`] override. An override is final for its date.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::lunar::{self, LunarDate};

/// Why a day is a day off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    /// A public holiday of Bộ luật Lao động 2019, Điều 112 khoản 1 (default days).
    Statutory,
    /// A compensatory day off for a statutory holiday that fell on a weekend (Điều 111 khoản 3).
    Compensatory,
    /// A day off entered by an administrator from a government decision.
    Decreed,
}

/// A day off that is not a plain weekend day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holiday {
    /// The day (serialised as `YYYY-MM-DD`).
    #[serde(with = "iso_date")]
    pub date: NaiveDate,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Why it is a day off.
    pub kind: HolidayKind,
}

/// What an administrator's override does to its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverrideKind {
    /// An extra day off decreed by the government (a bridge day, a new holiday, the actual Tết days).
    DayOff,
    /// A working day: a weekend day swapped into a working day, or a default holiday moved away.
    WorkingDay,
}

impl OverrideKind {
    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            OverrideKind::DayOff => "day_off",
            OverrideKind::WorkingDay => "working_day",
        }
    }

    /// Parses a stored code.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "day_off" => Some(OverrideKind::DayOff),
            "working_day" => Some(OverrideKind::WorkingDay),
            _ => None,
        }
    }
}

/// An administrator's correction of the default calendar for one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarOverride {
    /// The date concerned (serialised as `YYYY-MM-DD`).
    #[serde(with = "iso_date")]
    pub date: NaiveDate,
    /// Day off or working day.
    pub kind: OverrideKind,
    /// Name or reason in Vietnamese (e.g. the decision that ordered it).
    pub name_vi: String,
    /// Name or reason in English.
    pub name_en: String,
}

/// Serde for `NaiveDate` as an ISO 8601 `YYYY-MM-DD` string (the workspace builds chrono without its serde
/// feature).
mod iso_date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    const FORMAT: &str = "%Y-%m-%d";

    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&date.format(FORMAT))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let text = String::deserialize(d)?;
        NaiveDate::parse_from_str(&text, FORMAT).map_err(serde::de::Error::custom)
    }
}

/// The working-day calendar: statutory defaults plus administrators' overrides.
///
/// Holidays are derived per year when needed (the lunar dates behind them are memoised
/// process-wide); the type itself holds no cache and is `Send + Sync`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    overrides: BTreeMap<NaiveDate, CalendarOverride>,
}

/// A default statutory holiday, before overrides.
struct Statutory {
    date: NaiveDate,
    name_vi: String,
    name_en: String,
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Tết and Giỗ Tổ Hùng Vương of a solar year, memoised for 1900–2100: the lunar
/// computation is the costly part of every deadline, and its answer never changes.
fn lunar_anchors(year: i32) -> (NaiveDate, Option<NaiveDate>) {
    static MEMO: [std::sync::OnceLock<(NaiveDate, Option<NaiveDate>)>; 201] =
        [const { std::sync::OnceLock::new() }; 201];
    let compute = || (lunar::tet(year), lunar::lunar_to_solar(LunarDate { year, month: 3, day: 10, leap: false }));
    match usize::try_from(year - 1900).ok().and_then(|i| MEMO.get(i)) {
        Some(cell) => *cell.get_or_init(compute),
        None => compute(),
    }
}

/// Default statutory holidays of a solar year (Bộ luật Lao động 2019, Điều 112 khoản 1), sorted by date.
fn statutory_defaults(year: i32) -> Vec<Statutory> {
    let mut out = Vec::new();
    let mut push = |date: Option<NaiveDate>, vi: &str, en: &str| {
        if let Some(date) = date {
            out.push(Statutory { date, name_vi: vi.to_owned(), name_en: en.to_owned() });
        }
    };
    push(ymd(year, 1, 1), "Tết Dương lịch", "New Year's Day");
    let (tet, gio_to) = lunar_anchors(year);
    if tet.year() == year {
        push(tet.pred_opt(), "Tết Âm lịch (ngày cuối năm âm lịch)", "Lunar New Year (last day of the lunar year)");
        let days = [("mùng 1", "day 1"), ("mùng 2", "day 2"), ("mùng 3", "day 3"), ("mùng 4", "day 4")];
        for (i, (vi, en)) in days.into_iter().enumerate() {
            push(
                tet.checked_add_days(Days::new(i as u64)),
                &format!("Tết Âm lịch ({vi})"),
                &format!("Lunar New Year ({en})"),
            );
        }
    }
    push(gio_to, "Giỗ Tổ Hùng Vương (10/3 âm lịch)", "Hung Kings' Commemoration Day (10th day of the 3rd lunar month)");
    push(ymd(year, 4, 30), "Ngày Chiến thắng (30/4)", "Reunification Day (30 April)");
    push(ymd(year, 5, 1), "Ngày Quốc tế Lao động (1/5)", "International Labour Day (1 May)");
    let adjacent = match ymd(year, 9, 1) {
        Some(first) if first.weekday() == Weekday::Sun => ymd(year, 9, 3),
        other => other,
    };
    push(adjacent, "Quốc khánh (ngày liền kề)", "National Day (adjacent day)");
    push(ymd(year, 9, 2), "Quốc khánh (2/9)", "National Day (2 September)");
    out.sort_by_key(|s| s.date);
    out
}

impl WorkCalendar {
    /// A calendar with the statutory defaults and the given administrator overrides.
    /// If several overrides share a date, the last one wins.
    pub fn new(overrides: Vec<CalendarOverride>) -> Self {
        WorkCalendar { overrides: overrides.into_iter().map(|o| (o.date, o)).collect() }
    }

    /// The administrator overrides, sorted by date.
    pub fn overrides(&self) -> impl Iterator<Item = &CalendarOverride> {
        self.overrides.values()
    }

    fn override_kind(&self, d: NaiveDate) -> Option<OverrideKind> {
        self.overrides.get(&d).map(|o| o.kind)
    }

    /// Statutory holidays of `year` that are not overridden to a working day.
    fn effective_statutory(&self, year: i32) -> Vec<Statutory> {
        statutory_defaults(year)
            .into_iter()
            .filter(|s| self.override_kind(s.date) != Some(OverrideKind::WorkingDay))
            .collect()
    }

    /// The effective days off of one solar year that are not plain weekend days, sorted.
    fn year_days(&self, year: i32) -> Vec<Holiday> {
        let years = [year.saturating_sub(1), year, year.saturating_add(1)];
        let statutory: Vec<Vec<Statutory>> = years.iter().map(|&y| self.effective_statutory(y)).collect();
        let statutory_dates: HashSet<NaiveDate> = statutory.iter().flatten().map(|s| s.date).collect();

        // Điều 111 khoản 3: each statutory holiday on a weekend gives a compensatory day on the next day that
        // is neither a weekend day, nor a holiday, nor another compensatory day, nor a date the administrator
        // has decided on. Holidays of the previous year are included in case a compensation crosses 1/1.
        let mut compensatory: Vec<Holiday> = Vec::new();
        let mut taken: HashSet<NaiveDate> = HashSet::new();
        for s in statutory[..2].iter().flatten().filter(|s| is_weekend(s.date)) {
            let target = s.date.iter_days().skip(1).find(|c| {
                !is_weekend(*c) && !statutory_dates.contains(c) && !taken.contains(c) && !self.overrides.contains_key(c)
            });
            if let Some(date) = target {
                taken.insert(date);
                compensatory.push(Holiday {
                    date,
                    name_vi: format!("Nghỉ bù {}", s.name_vi),
                    name_en: format!("Compensatory day off for {}", s.name_en),
                    kind: HolidayKind::Compensatory,
                });
            }
        }

        let mut holidays: Vec<Holiday> = statutory[1]
            .iter()
            .map(|s| Holiday {
                date: s.date,
                name_vi: s.name_vi.clone(),
                name_en: s.name_en.clone(),
                kind: HolidayKind::Statutory,
            })
            .collect();
        holidays.extend(compensatory.into_iter().filter(|h| h.date.year() == year));
        let listed: HashSet<NaiveDate> = holidays.iter().map(|h| h.date).collect();
        holidays.extend(
            self.overrides
                .values()
                .filter(|o| o.kind == OverrideKind::DayOff && o.date.year() == year && !listed.contains(&o.date))
                .map(|o| Holiday {
                    date: o.date,
                    name_vi: o.name_vi.clone(),
                    name_en: o.name_en.clone(),
                    kind: HolidayKind::Decreed,
                }),
        );
        holidays.sort_by_key(|h| (h.date, h.kind));
        holidays
    }

    /// Every day off in solar `year` that is not a plain weekend day, sorted by date: statutory holidays,
    /// compensatory days and decreed days off. Days overridden to a working day are left out.
    pub fn holidays(&self, year: i32) -> Vec<Holiday> {
        self.year_days(year)
    }

    /// Whether `d` is a working day: Monday to Friday and not a holiday, compensatory or decreed day off.
    /// A working-day override makes any day a working day.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        DayIndex::new(self).is_working(d)
    }

    /// `d` itself if it is a working day, otherwise the next working day.
    pub fn next_working_day_on_or_after(&self, d: NaiveDate) -> NaiveDate {
        DayIndex::new(self).next_on_or_after(d)
    }

    /// The `n`-th working day after `from` (`from` itself is not counted); `from` when `n` is 0.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut days = DayIndex::new(self);
        let mut d = from;
        let mut left = n;
        while left > 0 {
            let Some(next) = d.succ_opt() else { break };
            d = next;
            if days.is_working(d) {
                left -= 1;
            }
        }
        d
    }

    /// The number of working days in `(from, to]`; 0 if `to <= from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut days = DayIndex::new(self);
        let mut count = 0;
        let mut d = from;
        while d < to {
            let Some(next) = d.succ_opt() else { break };
            d = next;
            if days.is_working(d) {
                count += 1;
            }
        }
        count
    }

    /// The end of a period of `n` days starting after `from`.
    ///
    /// Bộ luật Dân sự 2015, Điều 147 khoản 1: counting starts the day after `from`, so the last day is
    /// `from + n`; Điều 148 khoản 5: if that day is a weekend day or a holiday, the period ends at the end
    /// of the next working day.
    pub fn add_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let last = from.checked_add_days(Days::new(u64::from(n))).unwrap_or(NaiveDate::MAX);
        self.next_working_day_on_or_after(last)
    }

    /// The end of a period of `n` months starting after `from`.
    ///
    /// Bộ luật Dân sự 2015, Điều 148 khoản 3: the period ends on the corresponding day of the n-th month
    /// after; if that month has no such day, on its last day. Then, as for days (khoản 5), a weekend day or
    /// holiday moves the end to the next working day.
    pub fn add_months(&self, from: NaiveDate, n: u32) -> NaiveDate {
        // chrono clamps to the last day of the month when the day does not exist.
        let last = from.checked_add_months(Months::new(n)).unwrap_or(NaiveDate::MAX);
        self.next_working_day_on_or_after(last)
    }
}

/// Per-call memo of the holiday dates of the years visited.
struct DayIndex<'a> {
    cal: &'a WorkCalendar,
    off: HashMap<i32, HashSet<NaiveDate>>,
}

impl<'a> DayIndex<'a> {
    fn new(cal: &'a WorkCalendar) -> Self {
        DayIndex { cal, off: HashMap::new() }
    }

    fn is_working(&mut self, d: NaiveDate) -> bool {
        match self.cal.override_kind(d) {
            Some(OverrideKind::WorkingDay) => return true,
            Some(OverrideKind::DayOff) => return false,
            None => {}
        }
        if is_weekend(d) {
            return false;
        }
        let cal = self.cal;
        let off =
            self.off.entry(d.year()).or_insert_with(|| cal.year_days(d.year()).into_iter().map(|h| h.date).collect());
        !off.contains(&d)
    }

    fn next_on_or_after(&mut self, d: NaiveDate) -> NaiveDate {
        let mut d = d;
        while !self.is_working(d) {
            let Some(next) = d.succ_opt() else { break };
            d = next;
        }
        d
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn day_off(date: NaiveDate) -> CalendarOverride {
        CalendarOverride {
            date,
            kind: OverrideKind::DayOff,
            name_vi: "Nghỉ theo quyết định".into(),
            name_en: "Decreed".into(),
        }
    }

    fn working(date: NaiveDate) -> CalendarOverride {
        CalendarOverride { date, kind: OverrideKind::WorkingDay, name_vi: "Làm bù".into(), name_en: "Swap".into() }
    }

    fn dates(cal: &WorkCalendar, year: i32, kind: HolidayKind) -> Vec<NaiveDate> {
        cal.holidays(year).into_iter().filter(|h| h.kind == kind).map(|h| h.date).collect()
    }

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn serde_formats() {
        let o = day_off(d(2026, 2, 14));
        let json = serde_json::to_value(&o).unwrap();
        assert_eq!(json["date"], "2026-02-14");
        assert_eq!(json["kind"], "day_off");
        let back: CalendarOverride = serde_json::from_value(json).unwrap();
        assert_eq!(back, o);
        let bad = serde_json::json!({"date": "2026-02-30", "kind": "day_off", "name_vi": "x", "name_en": "x"});
        assert!(serde_json::from_value::<CalendarOverride>(bad).is_err());
        let h = &WorkCalendar::default().holidays(2025)[0];
        let json = serde_json::to_value(h).unwrap();
        assert_eq!(json["date"], "2025-01-01");
        assert_eq!(json["kind"], "statutory");
    }

    #[test]
    fn calendar_is_send_and_sync() {
        assert_send_sync::<WorkCalendar>();
    }

    #[test]
    fn statutory_days_2026() {
        // BLLĐ 2019 Điều 112 khoản 1; Tết 2026 is 17/02/2026, so the default Tết days are 16/02–20/02/2026.
        let cal = WorkCalendar::default();
        assert_eq!(
            dates(&cal, 2026, HolidayKind::Statutory),
            vec![
                d(2026, 1, 1),
                d(2026, 2, 16),
                d(2026, 2, 17),
                d(2026, 2, 18),
                d(2026, 2, 19),
                d(2026, 2, 20),
                d(2026, 4, 26), // Giỗ Tổ 10/3 âm lịch (a Sunday)
                d(2026, 4, 30),
                d(2026, 5, 1),
                d(2026, 9, 1),
                d(2026, 9, 2),
            ]
        );
        // Điều 111 khoản 3: Giỗ Tổ on Sunday 26/04/2026 is compensated on Monday 27/04/2026.
        assert_eq!(dates(&cal, 2026, HolidayKind::Compensatory), vec![d(2026, 4, 27)]);
        assert!(cal.holidays(2026).windows(2).all(|w| w[0].date < w[1].date));
    }

    #[test]
    fn national_day_adjacent_day() {
        // Điều 112 khoản 1 điểm đ: 2/9 plus one adjacent day; matches the decisions for 2022–2025.
        let cal = WorkCalendar::default();
        let sept = |y| -> Vec<NaiveDate> {
            dates(&cal, y, HolidayKind::Statutory).into_iter().filter(|h| h.month() == 9).collect()
        };
        assert_eq!(sept(2022), vec![d(2022, 9, 1), d(2022, 9, 2)]);
        assert_eq!(sept(2023), vec![d(2023, 9, 1), d(2023, 9, 2)]);
        assert_eq!(sept(2024), vec![d(2024, 9, 2), d(2024, 9, 3)]); // 1/9/2024 is a Sunday
        assert_eq!(sept(2025), vec![d(2025, 9, 1), d(2025, 9, 2)]);
        // 2/9/2023 is a Saturday: compensated on Monday 4/9/2023 (Điều 111 khoản 3), as in the 2023 schedule.
        assert!(dates(&cal, 2023, HolidayKind::Compensatory).contains(&d(2023, 9, 4)));
    }

    #[test]
    fn compensatory_days_2022() {
        // Điều 111 khoản 3. 2022: 1/1 (Saturday) → Monday 3/1. Giỗ Tổ 10/4 (Sunday) → Monday 11/4.
        // 30/4 (Saturday) and 1/5 (Sunday) are
        // compensated in date order: 30/4 → Monday 2/5, then 1/5 → Tuesday 3/5, since 2/5 is already a
        // compensatory day. (The 2022 schedule indeed gave 30/4–3/5 off.)
        let cal = WorkCalendar::default();
        let comp = cal.holidays(2022).into_iter().filter(|h| h.kind == HolidayKind::Compensatory).collect::<Vec<_>>();
        let comp_dates: Vec<NaiveDate> = comp.iter().map(|h| h.date).collect();
        assert_eq!(comp_dates, vec![d(2022, 1, 3), d(2022, 4, 11), d(2022, 5, 2), d(2022, 5, 3)]);
        assert!(comp[1].name_vi.contains("Giỗ Tổ"));
        assert!(comp[2].name_vi.contains("Chiến thắng"));
        assert!(comp[3].name_vi.contains("Lao động"));
        assert!(!cal.is_working_day(d(2022, 5, 2)));
        assert!(!cal.is_working_day(d(2022, 5, 3)));
        assert!(cal.is_working_day(d(2022, 5, 4)));
    }

    #[test]
    fn compensatory_days_for_tet_on_weekend() {
        // Tết 2024 is Saturday 10/02/2024: default days 09/02–13/02; Sat 10 and Sun 11 are compensated on
        // Wednesday 14/02 and Thursday 15/02 (Điều 111 khoản 3).
        let cal = WorkCalendar::default();
        assert_eq!(dates(&cal, 2024, HolidayKind::Compensatory), vec![d(2024, 2, 14), d(2024, 2, 15)]);
        assert_eq!(cal.next_working_day_on_or_after(d(2024, 2, 9)), d(2024, 2, 16));
    }

    #[test]
    fn weekend_is_not_working() {
        let cal = WorkCalendar::default();
        assert!(cal.is_working_day(d(2025, 6, 6))); // Friday
        assert!(!cal.is_working_day(d(2025, 6, 7))); // Saturday
        assert!(!cal.is_working_day(d(2025, 6, 8))); // Sunday
        assert!(!cal.is_working_day(d(2025, 1, 1)));
        assert!(!cal.is_working_day(d(2025, 4, 7))); // Giỗ Tổ 2025
    }

    #[test]
    fn add_days_first_day_not_counted() {
        // BLDS 2015 Điều 147 khoản 1: the day of the event is not counted.
        let cal = WorkCalendar::default();
        assert_eq!(cal.add_days(d(2025, 6, 2), 1), d(2025, 6, 3)); // Monday + 1 = Tuesday
        assert_eq!(cal.add_days(d(2025, 6, 2), 0), d(2025, 6, 2));
    }

    #[test]
    fn add_days_ending_on_saturday_rolls_to_monday() {
        // BLDS 2015 Điều 148 khoản 5: ends on Saturday 14/06/2025 → end of Monday 16/06/2025.
        let cal = WorkCalendar::default();
        assert_eq!(cal.add_days(d(2025, 6, 4), 10), d(2025, 6, 16));
    }

    #[test]
    fn add_days_ending_inside_tet_2026_rolls_past_tet() {
        // BLDS 2015 Điều 148 khoản 5: last day 18/02/2026 is inside the Tết days off 16–20/02/2026 → the next
        // working day is Monday 23/02/2026.
        let cal = WorkCalendar::default();
        assert_eq!(cal.add_days(d(2026, 2, 8), 10), d(2026, 2, 23));
        assert_eq!(cal.add_days(d(2026, 2, 12), 3), d(2026, 2, 23)); // lands on Sunday 15/02, just before Tết
    }

    #[test]
    fn add_days_ending_on_compensatory_day() {
        // BLDS 2015 Điều 148 khoản 5 with BLLĐ 2019 Điều 111 khoản 3: last day Monday 02/05/2022 is the
        // compensatory day for 30/4 (Saturday), Tuesday 03/05 for 1/5 (Sunday) → Wednesday 04/05/2022.
        let cal = WorkCalendar::default();
        assert_eq!(cal.add_days(d(2022, 4, 2), 30), d(2022, 5, 4));
    }

    #[test]
    fn add_months_clamps_to_month_end() {
        // BLDS 2015 Điều 148 khoản 3: no 31/02 → last day of February, then khoản 5 roll-forward.
        let cal = WorkCalendar::default();
        assert_eq!(cal.add_months(d(2023, 1, 31), 1), d(2023, 2, 28)); // Tuesday
        assert_eq!(cal.add_months(d(2024, 1, 31), 1), d(2024, 2, 29)); // Thursday
        assert_eq!(cal.add_months(d(2025, 1, 31), 1), d(2025, 2, 28)); // Friday
        assert_eq!(cal.add_months(d(2026, 1, 31), 1), d(2026, 3, 2)); // 28/02/2026 is a Saturday
        assert_eq!(cal.add_months(d(2025, 3, 15), 2), d(2025, 5, 15));
    }

    #[test]
    fn overrides() {
        // A Saturday swapped into a working day counts; a decreed day off does not.
        let cal = WorkCalendar::new(vec![working(d(2025, 6, 7)), day_off(d(2025, 6, 9))]);
        assert!(cal.is_working_day(d(2025, 6, 7)));
        assert!(!cal.is_working_day(d(2025, 6, 9)));
        assert_eq!(cal.add_working_days(d(2025, 6, 6), 1), d(2025, 6, 7));
        assert_eq!(cal.add_working_days(d(2025, 6, 6), 2), d(2025, 6, 10));
        assert_eq!(cal.add_days(d(2025, 6, 5), 4), d(2025, 6, 10)); // Monday 9/6 is decreed off
        let decreed = dates(&cal, 2025, HolidayKind::Decreed);
        assert_eq!(decreed, vec![d(2025, 6, 9)]);
        // A statutory default moved away by a WorkingDay override disappears from the list.
        let moved = WorkCalendar::new(vec![working(d(2025, 9, 1))]);
        assert!(moved.is_working_day(d(2025, 9, 1)));
        assert!(!moved.holidays(2025).iter().any(|h| h.date == d(2025, 9, 1)));
    }

    #[test]
    fn overrides_model_tet_2026_decision() {
        // The government may give more days for Tết; administrators enter them as DayOff overrides.
        let extra = [d(2026, 2, 14), d(2026, 2, 15), d(2026, 2, 21), d(2026, 2, 22)];
        let cal = WorkCalendar::new(extra.iter().copied().map(day_off).collect());
        // Weekend days decreed off are listed as Decreed; they change nothing else.
        assert_eq!(dates(&cal, 2026, HolidayKind::Decreed), extra.to_vec());
        assert_eq!(cal.next_working_day_on_or_after(d(2026, 2, 14)), d(2026, 2, 23));
    }

    #[test]
    fn working_days_counting() {
        let cal = WorkCalendar::default();
        // Mon 2/6/2025 + 5 working days = Mon 9/6/2025.
        assert_eq!(cal.add_working_days(d(2025, 6, 2), 5), d(2025, 6, 9));
        assert_eq!(cal.add_working_days(d(2025, 6, 2), 0), d(2025, 6, 2));
        assert_eq!(cal.working_days_between(d(2025, 6, 2), d(2025, 6, 9)), 5);
        assert_eq!(cal.working_days_between(d(2025, 6, 9), d(2025, 6, 2)), 0);
        assert_eq!(cal.working_days_between(d(2025, 6, 2), d(2025, 6, 2)), 0);
        // From Friday 13/02/2026 (last working day before Tết), 1 working day = Monday 23/02/2026.
        assert_eq!(cal.add_working_days(d(2026, 2, 13), 1), d(2026, 2, 23));
    }

    #[test]
    fn add_working_days_1000_is_cheap_enough() {
        let cal = WorkCalendar::default();
        let end = cal.add_working_days(d(2025, 1, 1), 1000);
        assert_eq!(cal.working_days_between(d(2025, 1, 1), end), 1000);
    }

    proptest! {
        #[test]
        fn working_days_round_trip(offset in 0u64..14_976, n in 0u32..300) {
            let cal = WorkCalendar::default();
            let from = d(2000, 1, 1) + Days::new(offset);
            let end = cal.add_working_days(from, n);
            prop_assert_eq!(cal.working_days_between(from, end), n);
            if n > 0 {
                prop_assert!(cal.is_working_day(end));
            }
        }

        #[test]
        fn add_days_ends_on_working_day(offset in 0u64..14_976, n in 0u32..300) {
            let cal = WorkCalendar::default();
            let from = d(2000, 1, 1) + Days::new(offset);
            let end = cal.add_days(from, n);
            prop_assert!(cal.is_working_day(end));
            prop_assert!(end >= from + Days::new(u64::from(n)));
        }
    }
}
