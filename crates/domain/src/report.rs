//! Periodic reports (báo cáo định kỳ; sơ kết, tổng kết): their templates and
//! periods ("2026-11", "2026-Q4", "2026-H2", "2026"), whether a period has begun
//! (today given by the caller), when its report is due and which reports a unit
//! owes on a day, and a report's way up: draft → submitted → returned with
//! reasons → submitted again → accepted by the level above.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A report's template: how long its period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    /// Báo cáo tháng.
    Month,
    /// Báo cáo quý.
    Quarter,
    /// Sơ kết 6 tháng.
    HalfYear,
    /// Tổng kết năm.
    Year,
    /// Tổng kết 5 năm thực hiện một văn bản chỉ đạo (a directive's five-year review).
    FiveYear,
}

impl Template {
    /// Every template.
    pub const ALL: [Template; 5] =
        [Template::Month, Template::Quarter, Template::HalfYear, Template::Year, Template::FiveYear];

    /// The templates every police unit below the ministry reports on, period after
    /// period (a five-year review is asked for by its directive instead).
    pub const REGULAR: [Template; 4] = [Template::Month, Template::Quarter, Template::HalfYear, Template::Year];

    /// Wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            Template::Month => "month",
            Template::Quarter => "quarter",
            Template::HalfYear => "half_year",
            Template::Year => "year",
            Template::FiveYear => "five_year",
        }
    }

    /// Vietnamese name.
    pub fn label(self) -> &'static str {
        match self {
            Template::Month => "Báo cáo tháng",
            Template::Quarter => "Báo cáo quý",
            Template::HalfYear => "Sơ kết 6 tháng",
            Template::Year => "Tổng kết năm",
            Template::FiveYear => "Tổng kết 5 năm thực hiện văn bản chỉ đạo",
        }
    }

    /// Whether a report of this template reviews one directive.
    pub fn reviews_directive(self) -> bool {
        self == Template::FiveYear
    }

    /// Days after the period's last day by which the report is due. To confirm:
    /// Nghị định 09/2019/NĐ-CP (chế độ báo cáo của cơ quan hành chính nhà nước) leaves
    /// the deadline to the body that sets each reporting regime, and the ministry's
    /// own regime for the movement is not at hand; these are the usual practice.
    pub fn due_days(self) -> i64 {
        match self {
            Template::Month | Template::Quarter => 5,
            Template::HalfYear | Template::Year => 10,
            Template::FiveYear => 30,
        }
    }

    /// From the wire code.
    pub fn parse(s: &str) -> Option<Template> {
        Template::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// A report's period: its first and last day and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// Code ("2026-Q4").
    pub code: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Vietnamese name ("quý IV năm 2026").
    pub label: String,
}

fn last_day(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

/// Parses a period code written for `template`: `YYYY-MM`, `YYYY-Q1..4`,
/// `YYYY-H1..2`, `YYYY` (years 2000–2100).
pub fn period(template: Template, code: &str) -> Option<Period> {
    let code = code.trim();
    // Digits only ("+1" and "01" would name the same quarter twice).
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(code.get(..4)?) {
        return None;
    }
    let year: i32 = code.get(..4)?.parse().ok()?;
    if !(2000..=2100).contains(&year) {
        return None;
    }
    let rest = code.get(4..)?;
    let (first_month, months, label) = match (template, rest) {
        (Template::Year, "") => (1, 12, format!("năm {year}")),
        (Template::FiveYear, last) => {
            let last = last.strip_prefix('-')?;
            if last.len() != 4 || !digits(last) || last.parse::<i32>().ok()? != year + 4 {
                return None;
            }
            let from = NaiveDate::from_ymd_opt(year, 1, 1)?;
            let to = NaiveDate::from_ymd_opt(year + 4, 12, 31)?;
            let label = format!("giai đoạn {year} – {}", year + 4);
            return Some(Period { code: code.to_string(), from, to, label });
        }
        (Template::HalfYear, "-H1") => (1, 6, format!("6 tháng đầu năm {year}")),
        (Template::HalfYear, "-H2") => (7, 6, format!("6 tháng cuối năm {year}")),
        (Template::Quarter, q) => {
            let q = q.strip_prefix("-Q")?;
            if q.len() != 1 || !digits(q) {
                return None;
            }
            let n: u32 = q.parse().ok()?;
            let roman = ["I", "II", "III", "IV"].get(n.checked_sub(1)? as usize)?;
            (3 * n - 2, 3, format!("quý {roman} năm {year}"))
        }
        (Template::Month, m) => {
            let m = m.strip_prefix('-')?;
            if m.len() != 2 || !digits(m) {
                return None;
            }
            let n: u32 = m.parse().ok()?;
            if !(1..=12).contains(&n) {
                return None;
            }
            (n, 1, format!("tháng {n} năm {year}"))
        }
        _ => return None,
    };
    let from = NaiveDate::from_ymd_opt(year, first_month, 1)?;
    let to = last_day(year, first_month + months - 1)?;
    Some(Period { code: code.to_string(), from, to, label })
}

/// The period of `template` holding `day` (a five-year period starts in a year
/// ending in 1 or 6, as the national five-year plans do).
pub fn period_containing(template: Template, day: NaiveDate) -> Option<Period> {
    let (y, m) = (day.year(), day.month());
    let code = match template {
        Template::Month => format!("{y}-{m:02}"),
        Template::Quarter => format!("{y}-Q{}", (m - 1) / 3 + 1),
        Template::HalfYear => format!("{y}-H{}", if m <= 6 { 1 } else { 2 }),
        Template::Year => format!("{y}"),
        Template::FiveYear => {
            let first = y - (y - 1).rem_euclid(5);
            format!("{first}-{}", first + 4)
        }
    };
    period(template, &code)
}

/// The day a report of `template` for `p` is due.
pub fn due(template: Template, p: &Period) -> NaiveDate {
    p.to + chrono::Duration::days(template.due_days())
}

/// Days before a period's end from which its report shows as owed.
pub const OWED_FROM_DAYS: i64 = 5;

/// Days after the due date during which an unsent report still shows as owed.
pub const OWED_UNTIL_DAYS: i64 = 31;

/// The regular reports a unit owes on `today`: per template, a period when `today` lies between five days before its end and a
/// month past its due date; with the due date, earliest first.
pub fn owed(today: NaiveDate) -> Vec<(Template, Period, NaiveDate)> {
    let mut out = Vec::new();
    for t in Template::REGULAR {
        // The current period and the two before it (a month's report stays owed
        // into the second month after it).
        let mut periods = Vec::with_capacity(3);
        let mut at = period_containing(t, today);
        while let Some(p) = at.take() {
            at = p.from.pred_opt().and_then(|d| period_containing(t, d)).filter(|_| periods.len() < 2);
            periods.push(p);
        }
        for p in periods {
            let d = due(t, &p);
            let from = p.to - chrono::Duration::days(OWED_FROM_DAYS);
            if from <= today && today <= d + chrono::Duration::days(OWED_UNTIL_DAYS) {
                out.push((t, p, d));
            }
        }
    }
    out.sort_by_key(|(_, _, d)| *d);
    out
}

/// A report's name: its kind and period ("Báo cáo tháng 11 năm 2026", "Sơ kết 6
/// tháng đầu năm 2026", "Tổng kết năm 2026", "Tổng kết giai đoạn 2021 – 2025").
pub fn title(template: Template, p: &Period) -> String {
    let kind = match template {
        Template::Month | Template::Quarter => "Báo cáo",
        Template::HalfYear => "Sơ kết",
        Template::Year | Template::FiveYear => "Tổng kết",
    };
    format!("{kind} {}", p.label)
}

/// Whether a period has begun on `today` (a report cannot be drafted before).
pub fn begun(p: &Period, today: NaiveDate) -> bool {
    p.from <= today
}

/// The year whose movement figures a period reports.
pub fn year_of(p: &Period) -> i64 {
    i64::from(p.to.year())
}

/// Where a report is on its way up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Being written.
    Draft,
    /// Sent to the level above.
    Submitted,
    /// Sent back with reasons.
    Returned,
    /// Accepted by the level above (final).
    Accepted,
}

impl ReportStatus {
    /// Wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Submitted => "submitted",
            ReportStatus::Returned => "returned",
            ReportStatus::Accepted => "accepted",
        }
    }

    /// Vietnamese name.
    pub fn label(self) -> &'static str {
        match self {
            ReportStatus::Draft => "Đang soạn",
            ReportStatus::Submitted => "Đã gửi",
            ReportStatus::Returned => "Bị trả lại",
            ReportStatus::Accepted => "Đã tiếp nhận",
        }
    }

    /// From the stored code.
    pub fn parse(s: &str) -> Option<ReportStatus> {
        [ReportStatus::Draft, ReportStatus::Submitted, ReportStatus::Returned, ReportStatus::Accepted]
            .into_iter()
            .find(|x| x.as_str() == s)
    }

    /// Whether the report has reached the level above (submitted or accepted): it
    /// counts as sent and its text is gathered into the compiled report.
    pub fn sent(self) -> bool {
        matches!(self, ReportStatus::Submitted | ReportStatus::Accepted)
    }
}

/// What is done to a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportAct {
    /// Its unit edits the text.
    Edit,
    /// Its unit sends it up.
    Submit,
    /// The level above sends it back.
    Return,
    /// The level above accepts it.
    Accept,
}

/// The status after `act`, or the message key of the refusal (a conflict).
pub fn next(status: ReportStatus, act: ReportAct) -> Result<ReportStatus, &'static str> {
    match (status, act) {
        (ReportStatus::Draft | ReportStatus::Returned, ReportAct::Edit) => Ok(status),
        (ReportStatus::Draft | ReportStatus::Returned, ReportAct::Submit) => Ok(ReportStatus::Submitted),
        (ReportStatus::Submitted, ReportAct::Return) => Ok(ReportStatus::Returned),
        (ReportStatus::Submitted, ReportAct::Accept) => Ok(ReportStatus::Accepted),
        (ReportStatus::Accepted, _) => Err("report.already_accepted"),
        (ReportStatus::Submitted, _) => Err("report.already_submitted"),
        (_, ReportAct::Return | ReportAct::Accept) => Err("report.not_submitted"),
    }
}

/// One section of a report's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Heading.
    pub heading: String,
    /// Text.
    pub text: String,
}

/// The sections every periodic report starts with (headings of the usual report).
pub const SECTIONS: [&str; 4] = [
    "Tình hình chung",
    "Kết quả thực hiện",
    "Khó khăn, vướng mắc",
    "Phương hướng, nhiệm vụ kỳ tới; đề xuất, kiến nghị",
];

/// The sections a five-year review of a directive starts with (the usual outline
/// of a "báo cáo tổng kết": results, shortcomings and their causes, lessons, the
/// way ahead).
pub const REVIEW_SECTIONS: [&str; 5] = [
    "Tình hình, đặc điểm và công tác triển khai",
    "Kết quả 5 năm thực hiện",
    "Hạn chế, tồn tại và nguyên nhân",
    "Bài học kinh nghiệm",
    "Phương hướng, nhiệm vụ giai đoạn tới; đề xuất, kiến nghị",
];

impl Template {
    /// The headings a report of this template starts with.
    pub fn sections(self) -> &'static [&'static str] {
        match self {
            Template::FiveYear => &REVIEW_SECTIONS,
            _ => &SECTIONS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn periods_parse_for_their_template_only() {
        let p = period(Template::Month, "2026-02").unwrap_or_else(|| panic!("month"));
        assert_eq!((p.from, p.to), (d("2026-02-01"), d("2026-02-28")));
        let q = period(Template::Quarter, "2026-Q4").unwrap_or_else(|| panic!("quarter"));
        assert_eq!((q.from, q.to, q.label.as_str()), (d("2026-10-01"), d("2026-12-31"), "quý IV năm 2026"));
        let h = period(Template::HalfYear, "2026-H2").unwrap_or_else(|| panic!("half"));
        assert_eq!((h.from, h.to), (d("2026-07-01"), d("2026-12-31")));
        let y = period(Template::Year, "2024").unwrap_or_else(|| panic!("year"));
        assert_eq!((y.from, y.to), (d("2024-01-01"), d("2024-12-31")));
        for (t, bad) in [
            (Template::Month, "2026-13"),
            (Template::Month, "2026-1"),
            (Template::Month, "2026-+5"),
            (Template::Quarter, "2026-Q+1"),
            (Template::Quarter, "2026-Q01"),
            (Template::Year, "+202"),
            (Template::Quarter, "2026-Q5"),
            (Template::Quarter, "2026-Q0"),
            (Template::HalfYear, "2026-H3"),
            (Template::Year, "2026-11"),
            (Template::Month, "2026"),
            (Template::Year, "1999"),
            (Template::Year, "abcd"),
        ] {
            assert!(period(t, bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn five_year_periods_span_five_calendar_years() {
        let p = period(Template::FiveYear, "2021-2025").unwrap_or_else(|| panic!("five"));
        assert_eq!((p.from, p.to), (d("2021-01-01"), d("2025-12-31")));
        assert_eq!(p.label, "giai đoạn 2021 – 2025");
        for bad in ["2021-2024", "2021-2026", "2021", "2021-+025", "2021-20250"] {
            assert!(period(Template::FiveYear, bad).is_none(), "{bad}");
        }
        let c = period_containing(Template::FiveYear, d("2026-12-05")).unwrap_or_else(|| panic!("containing"));
        assert_eq!(c.code, "2026-2030");
        let c = period_containing(Template::FiveYear, d("2025-12-31")).unwrap_or_else(|| panic!("containing"));
        assert_eq!(c.code, "2021-2025");
    }

    #[test]
    fn periods_contain_their_days_and_fall_due_after_them() {
        for t in Template::ALL {
            for day in ["2026-01-01", "2026-06-30", "2026-07-01", "2026-12-31", "2028-02-29"] {
                let p = period_containing(t, d(day)).unwrap_or_else(|| panic!("{day}"));
                assert!(p.from <= d(day) && d(day) <= p.to, "{t:?} {day}");
                assert_eq!(period(t, &p.code), Some(p.clone()));
                assert!(due(t, &p) > p.to);
            }
        }
        let q = period(Template::Quarter, "2026-Q4").unwrap_or_else(|| panic!("q"));
        assert_eq!(due(Template::Quarter, &q), d("2027-01-05"));
        assert_eq!(title(Template::Quarter, &q), "Báo cáo quý IV năm 2026");
        let h = period(Template::HalfYear, "2026-H1").unwrap_or_else(|| panic!("h"));
        assert_eq!(title(Template::HalfYear, &h), "Sơ kết 6 tháng đầu năm 2026");
    }

    #[test]
    fn reports_are_owed_from_just_before_the_end_until_a_month_past_due() {
        let codes = |day: &str| -> Vec<String> {
            owed(d(day)).into_iter().map(|(t, p, _)| format!("{}:{}", t.as_str(), p.code)).collect()
        };
        // From five days before November's end, November's month report; October's
        // (due 5 November) until a month past its due date.
        assert_eq!(codes("2026-11-25"), vec!["month:2026-10", "month:2026-11"]);
        assert_eq!(codes("2026-11-24"), vec!["month:2026-10"]);
        assert_eq!(codes("2026-12-07"), vec!["month:2026-11"]);
        // From 26 December, December's with the quarter, half-year and year ones.
        let late_dec = codes("2026-12-27");
        for c in ["month:2026-11", "month:2026-12", "quarter:2026-Q4", "half_year:2026-H2", "year:2026"] {
            assert!(late_dec.contains(&c.to_string()), "{c} in {late_dec:?}");
        }
        // November's report falls off a month past its due date (5 Dec + 31 days).
        assert!(codes("2027-01-05").contains(&"month:2026-11".to_string()));
        assert!(!codes("2027-01-06").contains(&"month:2026-11".to_string()));
        // Earliest due first.
        let due_dates: Vec<NaiveDate> = owed(d("2026-12-27")).into_iter().map(|(_, _, d)| d).collect();
        assert!(due_dates.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn a_period_begins_on_its_first_day() {
        let p = period(Template::Month, "2026-12").unwrap_or_else(|| panic!("month"));
        assert!(!begun(&p, d("2026-11-30")));
        assert!(begun(&p, d("2026-12-01")));
    }

    #[test]
    fn the_way_up() {
        use ReportAct::*;
        use ReportStatus::*;
        assert_eq!(next(Draft, Submit), Ok(Submitted));
        assert_eq!(next(Submitted, Submit), Err("report.already_submitted"));
        assert_eq!(next(Submitted, Edit), Err("report.already_submitted"));
        assert_eq!(next(Submitted, Return), Ok(Returned));
        assert_eq!(next(Returned, Edit), Ok(Returned));
        assert_eq!(next(Returned, Submit), Ok(Submitted));
        assert_eq!(next(Draft, Return), Err("report.not_submitted"));
        assert_eq!(next(Returned, Return), Err("report.not_submitted"));
        assert_eq!(next(Submitted, Accept), Ok(Accepted));
        assert_eq!(next(Draft, Accept), Err("report.not_submitted"));
        for act in [Edit, Submit, Return, Accept] {
            assert_eq!(next(Accepted, act), Err("report.already_accepted"));
        }
        assert!(Submitted.sent() && Accepted.sent() && !Draft.sent() && !Returned.sent());
        for s in [Draft, Submitted, Returned, Accepted] {
            assert_eq!(ReportStatus::parse(s.as_str()), Some(s));
        }
    }
}
