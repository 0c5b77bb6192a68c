//! Periodic reports (báo cáo định kỳ; sơ kết, tổng kết): their templates and
//! periods ("2026-11", "2026-Q4", "2026-H2", "2026"), whether a period has begun
//! (today given by the caller), and a report's way up: draft → submitted →
//! returned with reasons → submitted again.

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
}

impl Template {
    /// Every template.
    pub const ALL: [Template; 4] = [Template::Month, Template::Quarter, Template::HalfYear, Template::Year];

    /// Wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            Template::Month => "month",
            Template::Quarter => "quarter",
            Template::HalfYear => "half_year",
            Template::Year => "year",
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
}

impl ReportStatus {
    /// Wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Submitted => "submitted",
            ReportStatus::Returned => "returned",
        }
    }

    /// From the stored code.
    pub fn parse(s: &str) -> Option<ReportStatus> {
        [ReportStatus::Draft, ReportStatus::Submitted, ReportStatus::Returned].into_iter().find(|x| x.as_str() == s)
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
}

/// The status after `act`, or the message key of the refusal (a conflict).
pub fn next(status: ReportStatus, act: ReportAct) -> Result<ReportStatus, &'static str> {
    match (status, act) {
        (ReportStatus::Draft | ReportStatus::Returned, ReportAct::Edit) => Ok(status),
        (ReportStatus::Draft | ReportStatus::Returned, ReportAct::Submit) => Ok(ReportStatus::Submitted),
        (ReportStatus::Submitted, ReportAct::Return) => Ok(ReportStatus::Returned),
        (ReportStatus::Submitted, _) => Err("report.already_submitted"),
        (_, ReportAct::Return) => Err("report.not_submitted"),
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

/// The sections every report starts with (headings of the usual report).
pub const SECTIONS: [&str; 4] = [
    "Tình hình chung",
    "Kết quả thực hiện",
    "Khó khăn, vướng mắc",
    "Phương hướng, nhiệm vụ kỳ tới; đề xuất, kiến nghị",
];

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
        for s in [Draft, Submitted, Returned] {
            assert_eq!(ReportStatus::parse(s.as_str()), Some(s));
        }
    }
}
