//! Statutory deadlines, as data.
//!
//! Each [`Rule`] is a period fixed by a law for one step of handling a letter, complaint, denunciation or
//! crime report, with its citation. [`due`] computes the last day of the period on a [`WorkCalendar`].
//!
//! Counting (all rules): the day of the triggering event (receipt or acceptance) is not counted.
//! - Periods in days and months follow Bộ luật Dân sự 2015, Điều 147 khoản 1 and Điều 148 (khoản 3 for
//!   months; khoản 5: a period ending on a weekend day or holiday ends at the end of the next working day).
//!   Luật Khiếu nại 2011 and Luật Tố cáo 2018 have no counting rule of their own, so the civil code applies
//!   (BLDS 2015, Điều 144).
//! - Bộ luật Tố tụng hình sự 2015 has its own rule in Điều 134 (not Điều 331–333, which concern appeals):
//!   a period in days ends at 24:00 of its last day; a period in months ends on the same-numbered day of the
//!   last month, or that month's last day if it has none; "nếu thời hạn hết vào ngày nghỉ thì ngày làm việc
//!   đầu tiên tiếp theo được tính là ngày cuối cùng của thời hạn". That sentence stands in the paragraph on
//!   months; it is applied here to day periods too, which gives the same results as the civil code. The
//!   code does not say explicitly that the first day is not counted; BLDS 2015 Điều 147 is applied.
//! - Periods in working days ("ngày làm việc") count working days only, starting the day after the event.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::WorkCalendar;

/// The length of a statutory period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "unit", content = "count", rename_all = "snake_case")]
pub enum Period {
    /// Calendar days; a last day that is not a working day rolls forward (BLDS 2015 Điều 148 khoản 5).
    CalendarDays(u32),
    /// Working days.
    WorkingDays(u32),
    /// Months (BLDS 2015 Điều 148 khoản 3), with the same roll-forward as calendar days.
    Months(u32),
}

/// A statutory deadline rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Rule {
    /// Sorting and handling a letter (đơn) after receipt: 10 working days.
    ///
    /// Source: Thông tư 05/2021/TT-TTCP on the procedure for handling complaint, denunciation, petition and
    /// feedback letters (in force 15/11/2021, replacing Thông tư 07/2014/TT-TTCP). The text of the clause
    /// ("trong thời hạn 10 ngày làm việc, kể từ ngày nhận được đơn") and its article number could not be
    /// checked against the published text when this rule was written; the citation therefore names the
    /// circular only.
    #[serde(rename = "letter.sort")]
    LetterSort,
    /// Accepting (thụ lý) a complaint, or refusing it with reasons: 10 days from
    /// receipt (Luật Khiếu nại 2011 Điều 27); 07 working days from 01/7/2026
    /// (Nghị định 155/2026/NĐ-CP under Luật 136/2025/QH15) — see [`shipped_versions`].
    #[serde(rename = "complaint.accept")]
    ComplaintAccept,
    /// First-instance complaint settlement: 30 days from acceptance.
    #[serde(rename = "complaint.first")]
    ComplaintFirst,
    /// First-instance complaint settlement, complex case: at most 45 days from acceptance.
    #[serde(rename = "complaint.first.complex")]
    ComplaintFirstComplex,
    /// First-instance complaint settlement in remote areas: 45 days from acceptance.
    #[serde(rename = "complaint.first.remote")]
    ComplaintFirstRemote,
    /// First-instance complaint settlement in remote areas, complex case: at most 60 days from acceptance.
    #[serde(rename = "complaint.first.remote_complex")]
    ComplaintFirstRemoteComplex,
    /// Initial handling of a denunciation: 7 working days from receipt.
    #[serde(rename = "denunciation.initial")]
    DenunciationInitial,
    /// Initial handling of a denunciation that needs checks at several places: 10 working days.
    #[serde(rename = "denunciation.initial.extended")]
    DenunciationInitialExtended,
    /// Settling a denunciation: 30 days from acceptance.
    #[serde(rename = "denunciation.settle")]
    DenunciationSettle,
    /// Settling a complex denunciation: extended once by 30 days, 60 days in all.
    #[serde(rename = "denunciation.settle.complex")]
    DenunciationSettleComplex,
    /// Settling a very complex denunciation: extended twice by 30 days, 90 days in all.
    #[serde(rename = "denunciation.settle.very_complex")]
    DenunciationSettleVeryComplex,
    /// Settling a crime report (tố giác, tin báo về tội phạm, kiến nghị khởi tố): 20 days from receipt.
    #[serde(rename = "crime_report.settle")]
    CrimeReportSettle,
    /// Settling a complex crime report: up to 2 months from receipt.
    #[serde(rename = "crime_report.settle.complex")]
    CrimeReportSettleComplex,
    /// Settling a complex crime report, extended once by the procuracy by up to 2 months: 4 months in all.
    #[serde(rename = "crime_report.settle.extended")]
    CrimeReportSettleExtended,
}

impl Rule {
    /// Every rule, in a stable order.
    pub const ALL: [Rule; 14] = [
        Rule::LetterSort,
        Rule::ComplaintAccept,
        Rule::ComplaintFirst,
        Rule::ComplaintFirstComplex,
        Rule::ComplaintFirstRemote,
        Rule::ComplaintFirstRemoteComplex,
        Rule::DenunciationInitial,
        Rule::DenunciationInitialExtended,
        Rule::DenunciationSettle,
        Rule::DenunciationSettleComplex,
        Rule::DenunciationSettleVeryComplex,
        Rule::CrimeReportSettle,
        Rule::CrimeReportSettleComplex,
        Rule::CrimeReportSettleExtended,
    ];

    /// The stable identifier used by the public API (e.g. `"complaint.first"`).
    pub fn id(self) -> &'static str {
        match self {
            Rule::LetterSort => "letter.sort",
            Rule::ComplaintAccept => "complaint.accept",
            Rule::ComplaintFirst => "complaint.first",
            Rule::ComplaintFirstComplex => "complaint.first.complex",
            Rule::ComplaintFirstRemote => "complaint.first.remote",
            Rule::ComplaintFirstRemoteComplex => "complaint.first.remote_complex",
            Rule::DenunciationInitial => "denunciation.initial",
            Rule::DenunciationInitialExtended => "denunciation.initial.extended",
            Rule::DenunciationSettle => "denunciation.settle",
            Rule::DenunciationSettleComplex => "denunciation.settle.complex",
            Rule::DenunciationSettleVeryComplex => "denunciation.settle.very_complex",
            Rule::CrimeReportSettle => "crime_report.settle",
            Rule::CrimeReportSettleComplex => "crime_report.settle.complex",
            Rule::CrimeReportSettleExtended => "crime_report.settle.extended",
        }
    }

    /// The rule with this identifier, if any.
    pub fn parse(s: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == s)
    }

    /// The length of the period as the law first set it (its first version).
    pub fn period(self) -> Period {
        match self {
            Rule::LetterSort => Period::WorkingDays(10),
            Rule::ComplaintAccept => Period::CalendarDays(10),
            Rule::ComplaintFirst => Period::CalendarDays(30),
            Rule::ComplaintFirstComplex => Period::CalendarDays(45),
            Rule::ComplaintFirstRemote => Period::CalendarDays(45),
            Rule::ComplaintFirstRemoteComplex => Period::CalendarDays(60),
            Rule::DenunciationInitial => Period::WorkingDays(7),
            Rule::DenunciationInitialExtended => Period::WorkingDays(10),
            Rule::DenunciationSettle => Period::CalendarDays(30),
            Rule::DenunciationSettleComplex => Period::CalendarDays(60),
            Rule::DenunciationSettleVeryComplex => Period::CalendarDays(90),
            Rule::CrimeReportSettle => Period::CalendarDays(20),
            Rule::CrimeReportSettleComplex => Period::Months(2),
            Rule::CrimeReportSettleExtended => Period::Months(4),
        }
    }

    /// The legal source of the first version, in Vietnamese.
    pub fn source(self) -> &'static str {
        match self {
            Rule::LetterSort => "Thông tư 05/2021/TT-TTCP (quy trình xử lý đơn)",
            Rule::ComplaintAccept => "Luật Khiếu nại 2011, Điều 27",
            // Điều 28 has two unnumbered paragraphs: the general case, then remote areas.
            Rule::ComplaintFirst | Rule::ComplaintFirstComplex => "Luật Khiếu nại 2011, Điều 28, đoạn 1",
            Rule::ComplaintFirstRemote | Rule::ComplaintFirstRemoteComplex => "Luật Khiếu nại 2011, Điều 28, đoạn 2",
            Rule::DenunciationInitial | Rule::DenunciationInitialExtended => "Luật Tố cáo 2018, Điều 24 khoản 1",
            Rule::DenunciationSettle | Rule::DenunciationSettleComplex | Rule::DenunciationSettleVeryComplex => {
                "Luật Tố cáo 2018, Điều 30 khoản 1"
            }
            Rule::CrimeReportSettle => "Bộ luật Tố tụng hình sự 2015, Điều 147 khoản 1",
            Rule::CrimeReportSettleComplex | Rule::CrimeReportSettleExtended => {
                "Bộ luật Tố tụng hình sự 2015, Điều 147 khoản 2"
            }
        }
    }

    /// The day the first version took effect (the law's or circular's entry into force).
    pub fn since(self) -> NaiveDate {
        let (y, m, d) = match self {
            Rule::LetterSort => (2021, 11, 15),
            Rule::ComplaintAccept
            | Rule::ComplaintFirst
            | Rule::ComplaintFirstComplex
            | Rule::ComplaintFirstRemote
            | Rule::ComplaintFirstRemoteComplex => (2012, 7, 1),
            Rule::DenunciationInitial
            | Rule::DenunciationInitialExtended
            | Rule::DenunciationSettle
            | Rule::DenunciationSettleComplex
            | Rule::DenunciationSettleVeryComplex => (2019, 1, 1),
            Rule::CrimeReportSettle | Rule::CrimeReportSettleComplex | Rule::CrimeReportSettleExtended => (2018, 1, 1),
        };
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// What the period is for, in Vietnamese.
    pub fn description_vi(self) -> &'static str {
        match self {
            Rule::LetterSort => "Phân loại, xử lý đơn: 10 ngày làm việc kể từ ngày nhận được đơn",
            Rule::ComplaintAccept => "Thụ lý giải quyết khiếu nại lần đầu (hoặc trả lời không thụ lý, nêu rõ lý do), kể từ ngày nhận được khiếu nại",
            Rule::ComplaintFirst => "Giải quyết khiếu nại lần đầu: không quá 30 ngày kể từ ngày thụ lý",
            Rule::ComplaintFirstComplex => {
                "Giải quyết khiếu nại lần đầu, vụ việc phức tạp: không quá 45 ngày kể từ ngày thụ lý"
            }
            Rule::ComplaintFirstRemote => {
                "Giải quyết khiếu nại lần đầu ở vùng sâu, vùng xa đi lại khó khăn: không quá 45 ngày kể từ ngày thụ lý"
            }
            Rule::ComplaintFirstRemoteComplex => {
                "Giải quyết khiếu nại lần đầu ở vùng sâu, vùng xa, vụ việc phức tạp: không quá 60 ngày kể từ ngày thụ lý"
            }
            Rule::DenunciationInitial => {
                "Vào sổ, phân loại, xử lý ban đầu thông tin tố cáo: 07 ngày làm việc kể từ ngày nhận được tố cáo"
            }
            Rule::DenunciationInitialExtended => {
                "Xử lý ban đầu thông tin tố cáo phải kiểm tra, xác minh tại nhiều địa điểm: không quá 10 ngày làm việc"
            }
            Rule::DenunciationSettle => "Giải quyết tố cáo: không quá 30 ngày kể từ ngày thụ lý",
            Rule::DenunciationSettleComplex => {
                "Giải quyết tố cáo, vụ việc phức tạp: gia hạn một lần không quá 30 ngày (tổng 60 ngày)"
            }
            Rule::DenunciationSettleVeryComplex => {
                "Giải quyết tố cáo, vụ việc đặc biệt phức tạp: gia hạn hai lần, mỗi lần không quá 30 ngày (tổng 90 ngày)"
            }
            Rule::CrimeReportSettle => {
                "Giải quyết tố giác, tin báo về tội phạm, kiến nghị khởi tố: 20 ngày kể từ ngày nhận được"
            }
            Rule::CrimeReportSettleComplex => {
                "Giải quyết tố giác, tin báo về tội phạm có nhiều tình tiết phức tạp: không quá 02 tháng"
            }
            Rule::CrimeReportSettleExtended => {
                "Giải quyết tố giác, tin báo về tội phạm, Viện kiểm sát gia hạn một lần không quá 02 tháng (tổng 04 tháng)"
            }
        }
    }

    /// What the period is for, in English.
    pub fn description_en(self) -> &'static str {
        match self {
            Rule::LetterSort => "Sorting and handling a letter: 10 working days from receipt",
            Rule::ComplaintAccept => "Accepting a first-instance complaint (or refusing it with reasons), from receipt",
            Rule::ComplaintFirst => "First-instance complaint settlement: at most 30 days from acceptance",
            Rule::ComplaintFirstComplex => {
                "First-instance complaint settlement, complex case: at most 45 days from acceptance"
            }
            Rule::ComplaintFirstRemote => {
                "First-instance complaint settlement in remote areas with difficult travel: at most 45 days from \
                 acceptance"
            }
            Rule::ComplaintFirstRemoteComplex => {
                "First-instance complaint settlement in remote areas, complex case: at most 60 days from acceptance"
            }
            Rule::DenunciationInitial => {
                "Registering, sorting and initial handling of a denunciation: 7 working days from receipt"
            }
            Rule::DenunciationInitialExtended => {
                "Initial handling of a denunciation needing checks at several places: at most 10 working days"
            }
            Rule::DenunciationSettle => "Settling a denunciation: at most 30 days from acceptance",
            Rule::DenunciationSettleComplex => {
                "Settling a complex denunciation: extended once by at most 30 days (60 days in all)"
            }
            Rule::DenunciationSettleVeryComplex => {
                "Settling a very complex denunciation: extended twice by at most 30 days each (90 days in all)"
            }
            Rule::CrimeReportSettle => "Settling a crime report or prosecution request: 20 days from receipt",
            Rule::CrimeReportSettleComplex => "Settling a complex crime report: at most 2 months from receipt",
            Rule::CrimeReportSettleExtended => {
                "Settling a complex crime report, extended once by the procuracy by at most 2 months (4 months in all)"
            }
        }
    }
}

/// One version of a rule: its period and source in force from a day. Laws change; an
/// amendment is a new version (data), and a case keeps the version in force on the
/// day it was received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleVersion {
    /// The rule.
    pub rule: Rule,
    /// In force from this day.
    pub from: NaiveDate,
    /// Its period.
    pub period: Period,
    /// The text it comes from.
    pub source: String,
    /// Not read in the text itself: to be confirmed.
    pub to_confirm: bool,
}

/// The versions shipped: every rule as first set, and the amendments known with
/// their dates and sources.
pub fn shipped_versions() -> Vec<RuleVersion> {
    let mut v: Vec<RuleVersion> = Rule::ALL
        .into_iter()
        .map(|rule| RuleVersion {
            rule,
            from: rule.since(),
            period: rule.period(),
            source: rule.source().to_string(),
            // TT 05/2021 was not read article by article (see [`Rule::LetterSort`]).
            to_confirm: rule == Rule::LetterSort,
        })
        .collect();
    // Luật 136/2025/QH15 (in force 01/7/2026) amended the Luật Khiếu nại; its decree
    // rewrites khoản 1 Điều 16 NĐ 124/2020: "Trong thời hạn 07 ngày làm việc, kể từ
    // ngày nhận được khiếu nại … phải thụ lý giải quyết" (read in NĐ 155/2026's text;
    // the amended Điều 27 of the law itself was not found).
    if let Some(from) = NaiveDate::from_ymd_opt(2026, 7, 1) {
        v.push(RuleVersion {
            rule: Rule::ComplaintAccept,
            from,
            period: Period::WorkingDays(7),
            source:
                "Nghị định 155/2026/NĐ-CP, sửa khoản 1 Điều 16 Nghị định 124/2020/NĐ-CP (thi hành Luật 136/2025/QH15)"
                    .to_string(),
            to_confirm: false,
        });
    }
    v
}

/// The version of `rule` in force on `day`: the latest that took effect by then; for
/// a day before every version, the first one.
pub fn version_on(versions: &[RuleVersion], rule: Rule, day: NaiveDate) -> Option<&RuleVersion> {
    let of_rule = || versions.iter().filter(move |v| v.rule == rule);
    of_rule().filter(|v| v.from <= day).max_by_key(|v| v.from).or_else(|| of_rule().min_by_key(|v| v.from))
}

/// The last day of `period` counted from `from` on calendar `cal`.
pub fn due_by(cal: &WorkCalendar, period: Period, from: NaiveDate) -> NaiveDate {
    match period {
        Period::CalendarDays(n) => cal.add_days(from, n),
        Period::WorkingDays(n) => cal.add_working_days(from, n),
        Period::Months(n) => cal.add_months(from, n),
    }
}

/// The last day of the period of `rule` triggered on `from` (receipt or acceptance),
/// by the version in force on `as_of` (the day the case was received).
pub fn due_as_of(
    cal: &WorkCalendar,
    versions: &[RuleVersion],
    rule: Rule,
    as_of: NaiveDate,
    from: NaiveDate,
) -> NaiveDate {
    let period = version_on(versions, rule, as_of).map_or(rule.period(), |v| v.period);
    due_by(cal, period, from)
}

/// The last day of the period of `rule` triggered on `from`, by the shipped version
/// in force that day.
pub fn due(cal: &WorkCalendar, rule: Rule, from: NaiveDate) -> NaiveDate {
    due_as_of(cal, &shipped_versions(), rule, from, from)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Calendar facts used below (default calendar, BLLĐ 2019 Điều 111–112):
    /// - Tết 2026 is Tuesday 17/02/2026; days off Monday 16/02 – Friday 20/02/2026, so the first working
    ///   day after Tết is Monday 23/02/2026.
    /// - 2022: 30/4 (Saturday) and 1/5 (Sunday) are compensated on Monday 02/05 and Tuesday 03/05/2022.
    /// - 2026: Giỗ Tổ (10/3 lunar) is Sunday 26/04/2026, compensated on Monday 27/04/2026.
    /// - 2025: Quốc khánh days off are Monday 01/09 and Tuesday 02/09/2025.
    fn check(rule: Rule, cases: &[(NaiveDate, NaiveDate, &str)]) {
        let cal = WorkCalendar::default();
        for &(from, expected, why) in cases {
            assert_eq!(due(&cal, rule, from), expected, "{} from {from}: {why}", rule.id());
        }
    }

    #[test]
    fn ids_round_trip_and_are_unique() {
        let ids: std::collections::HashSet<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        assert_eq!(ids.len(), Rule::ALL.len());
        for r in Rule::ALL {
            assert_eq!(Rule::parse(r.id()), Some(r));
            assert_eq!(serde_json::to_value(r).unwrap(), serde_json::Value::String(r.id().to_owned()));
            assert!(!r.source().is_empty() && !r.description_vi().is_empty() && !r.description_en().is_empty());
        }
        assert_eq!(Rule::parse("complaint.second"), None);
        assert_eq!(
            serde_json::to_value(Period::WorkingDays(7)).unwrap(),
            serde_json::json!({"unit": "working_days", "count": 7})
        );
    }

    #[test]
    fn periods() {
        assert_eq!(Rule::LetterSort.period(), Period::WorkingDays(10));
        assert_eq!(Rule::ComplaintFirstRemoteComplex.period(), Period::CalendarDays(60));
        assert_eq!(Rule::DenunciationSettleVeryComplex.period(), Period::CalendarDays(90));
        assert_eq!(Rule::CrimeReportSettleExtended.period(), Period::Months(4));
    }

    #[test]
    fn letter_sort() {
        // Thông tư 05/2021/TT-TTCP: 10 working days from receipt; the day of receipt is not counted.
        check(
            Rule::LetterSort,
            &[
                (d(2025, 6, 2), d(2025, 6, 16), "Mon + 10 working days = Mon two weeks later"),
                (d(2025, 6, 7), d(2025, 6, 20), "received on Saturday: counting starts Monday"),
                (d(2026, 2, 9), d(2026, 3, 2), "Tết 16–20/02/2026 is not counted"),
                (d(2022, 4, 22), d(2022, 5, 10), "30/4–3/5/2022 (incl. compensatory days) not counted"),
            ],
        );
    }

    #[test]
    fn complaint_first() {
        // Luật Khiếu nại 2011 Điều 28 đoạn 1; BLDS 2015 Điều 147 khoản 1, Điều 148 khoản 5.
        check(
            Rule::ComplaintFirst,
            &[
                (d(2025, 6, 2), d(2025, 7, 2), "first day not counted: 2/6 + 30 = Wednesday 2/7"),
                (d(2025, 5, 9), d(2025, 6, 9), "ends Sunday 8/6/2025 → Monday"),
                (d(2026, 1, 18), d(2026, 2, 23), "ends 17/02/2026, Tết → Monday 23/02"),
                (d(2022, 4, 2), d(2022, 5, 4), "ends Monday 2/5/2022, compensatory, 3/5 too → 4/5"),
            ],
        );
    }

    #[test]
    fn complaint_first_complex() {
        // Luật Khiếu nại 2011 Điều 28 đoạn 1 (complex: at most 45 days); BLDS 2015 Điều 147–148.
        check(
            Rule::ComplaintFirstComplex,
            &[
                (d(2025, 6, 2), d(2025, 7, 17), "first day not counted: Thursday 17/7"),
                (d(2025, 6, 4), d(2025, 7, 21), "ends Saturday 19/7/2025 → Monday"),
                (d(2026, 1, 3), d(2026, 2, 23), "ends 17/02/2026, Tết → 23/02"),
                (d(2022, 3, 18), d(2022, 5, 4), "ends on compensatory 2/5/2022 → 4/5"),
            ],
        );
    }

    #[test]
    fn complaint_first_remote() {
        // Luật Khiếu nại 2011 Điều 28 đoạn 2 (remote areas: at most 45 days); BLDS 2015 Điều 147–148.
        check(
            Rule::ComplaintFirstRemote,
            &[
                (d(2026, 3, 28), d(2026, 5, 12), "first day not counted: Tuesday 12/5/2026"),
                (d(2026, 1, 1), d(2026, 2, 23), "ends Sunday 15/02/2026, then Tết → 23/02"),
                (d(2026, 3, 13), d(2026, 4, 28), "ends on compensatory Monday 27/04/2026 → 28/04"),
            ],
        );
    }

    #[test]
    fn complaint_first_remote_complex() {
        // Luật Khiếu nại 2011 Điều 28 đoạn 2 (remote, complex: at most 60 days); BLDS 2015 Điều 147–148.
        check(
            Rule::ComplaintFirstRemoteComplex,
            &[
                (d(2025, 6, 2), d(2025, 8, 1), "first day not counted: Friday 1/8/2025"),
                (d(2025, 6, 3), d(2025, 8, 4), "ends Saturday 2/8/2025 → Monday"),
                (d(2025, 12, 18), d(2026, 2, 23), "ends 16/02/2026, Tết → 23/02"),
                (d(2022, 3, 3), d(2022, 5, 4), "ends on compensatory 2/5/2022 → 4/5"),
            ],
        );
    }

    #[test]
    fn denunciation_initial() {
        // Luật Tố cáo 2018 Điều 24 khoản 1: 7 working days from receipt.
        check(
            Rule::DenunciationInitial,
            &[
                (d(2025, 6, 2), d(2025, 6, 11), "Mon 2/6 + 7 working days = Wed 11/6"),
                (d(2025, 6, 8), d(2025, 6, 17), "received on Sunday: counting starts Monday"),
                (d(2026, 2, 12), d(2026, 3, 2), "Tết 16–20/02/2026 is not counted"),
                (d(2022, 4, 28), d(2022, 5, 11), "30/4–3/5/2022 (incl. compensatory days) not counted"),
            ],
        );
    }

    #[test]
    fn denunciation_initial_extended() {
        // Luật Tố cáo 2018 Điều 24 khoản 1: at most 10 working days when checks at several places are needed.
        check(
            Rule::DenunciationInitialExtended,
            &[
                (d(2025, 6, 2), d(2025, 6, 16), "Mon + 10 working days"),
                (d(2026, 2, 6), d(2026, 2, 27), "Tết 16–20/02/2026 is not counted"),
                (d(2026, 4, 24), d(2026, 5, 13), "compensatory 27/04, 30/04, 01/05/2026 not counted"),
            ],
        );
    }

    #[test]
    fn denunciation_settle() {
        // Luật Tố cáo 2018 Điều 30 khoản 1: at most 30 days from acceptance; BLDS 2015 Điều 147–148.
        check(
            Rule::DenunciationSettle,
            &[
                (d(2025, 6, 2), d(2025, 7, 2), "first day not counted"),
                (d(2025, 5, 9), d(2025, 6, 9), "ends Sunday 8/6/2025 → Monday"),
                (d(2026, 1, 16), d(2026, 2, 23), "ends Sunday 15/02/2026, then Tết → 23/02"),
                (d(2026, 3, 28), d(2026, 4, 28), "ends on compensatory Monday 27/04/2026 → 28/04"),
            ],
        );
    }

    #[test]
    fn denunciation_settle_complex() {
        // Luật Tố cáo 2018 Điều 30 khoản 1: complex case, extended once by 30 days (60 in all).
        check(
            Rule::DenunciationSettleComplex,
            &[
                (d(2025, 6, 2), d(2025, 8, 1), "first day not counted"),
                (d(2025, 6, 3), d(2025, 8, 4), "ends Saturday 2/8/2025 → Monday"),
                (d(2025, 12, 19), d(2026, 2, 23), "ends 17/02/2026, Tết → 23/02"),
                (d(2022, 3, 3), d(2022, 5, 4), "ends on compensatory 2/5/2022 → 4/5"),
            ],
        );
    }

    #[test]
    fn denunciation_settle_very_complex() {
        // Luật Tố cáo 2018 Điều 30 khoản 1: very complex case, extended twice by 30 days (90 in all).
        check(
            Rule::DenunciationSettleVeryComplex,
            &[
                (d(2025, 6, 10), d(2025, 9, 8), "first day not counted: Monday 8/9/2025"),
                (d(2025, 6, 1), d(2025, 9, 3), "ends Saturday 30/8/2025; 31/8 Sunday, 1–2/9 Quốc khánh → 3/9"),
                (d(2025, 6, 2), d(2025, 9, 3), "ends Sunday 31/8/2025, then 1/9 and 2/9 off → Wednesday 3/9"),
                (d(2025, 11, 19), d(2026, 2, 23), "ends 17/02/2026, Tết → 23/02"),
                (d(2022, 2, 1), d(2022, 5, 4), "ends on compensatory 2/5/2022 → 4/5"),
            ],
        );
    }

    #[test]
    fn crime_report_settle() {
        // BLTTHS 2015 Điều 147 khoản 1: 20 days from receipt; end on a day off rolls forward (Điều 134).
        check(
            Rule::CrimeReportSettle,
            &[
                (d(2025, 6, 4), d(2025, 6, 24), "first day not counted: Tuesday 24/6/2025"),
                (d(2025, 6, 2), d(2025, 6, 23), "ends Sunday 22/6/2025 → Monday"),
                (d(2026, 1, 28), d(2026, 2, 23), "ends 17/02/2026, Tết → 23/02"),
                (d(2022, 4, 12), d(2022, 5, 4), "ends on compensatory 2/5/2022 → 4/5"),
            ],
        );
    }

    #[test]
    fn crime_report_settle_complex() {
        // BLTTHS 2015 Điều 147 khoản 2: at most 2 months; Điều 134: same-numbered day of the month, or the
        // month's last day; a day off rolls to the next working day.
        check(
            Rule::CrimeReportSettleComplex,
            &[
                (d(2025, 3, 14), d(2025, 5, 14), "same-numbered day two months later (Wednesday)"),
                (d(2025, 12, 31), d(2026, 3, 2), "no 31/02: 28/02/2026, a Saturday → Monday 2/3"),
                (d(2025, 12, 17), d(2026, 2, 23), "ends 17/02/2026, Tết → 23/02"),
                (d(2022, 3, 2), d(2022, 5, 4), "ends on compensatory 2/5/2022 → 4/5"),
            ],
        );
    }

    #[test]
    fn crime_report_settle_extended() {
        // BLTTHS 2015 Điều 147 khoản 2: extended once by the procuracy by at most 2 months (4 months in all).
        check(
            Rule::CrimeReportSettleExtended,
            &[
                (d(2025, 1, 15), d(2025, 5, 15), "same-numbered day four months later (Thursday)"),
                (d(2025, 10, 31), d(2026, 3, 2), "no 31/02: 28/02/2026, a Saturday → Monday 2/3"),
                (d(2025, 10, 17), d(2026, 2, 23), "ends 17/02/2026, Tết → 23/02"),
                (d(2022, 1, 3), d(2022, 5, 4), "ends on compensatory 3/5/2022 → 4/5"),
            ],
        );
    }

    #[test]
    fn accepting_a_complaint_follows_the_rule_in_force_on_the_day_received() {
        let cal = WorkCalendar::default();
        let v = shipped_versions();
        // Received Tuesday 30/06/2026: 10 days (Luật Khiếu nại 2011 Điều 27) → Friday 10/07.
        let before = version_on(&v, Rule::ComplaintAccept, d(2026, 6, 30)).unwrap();
        assert_eq!((before.period, before.source.as_str()), (Period::CalendarDays(10), "Luật Khiếu nại 2011, Điều 27"));
        assert_eq!(due(&cal, Rule::ComplaintAccept, d(2026, 6, 30)), d(2026, 7, 10));
        // Received Wednesday 01/07/2026: 07 working days → Friday 10/07 (Thu 2, Fri 3,
        // Mon 6 … Fri 10).
        let after = version_on(&v, Rule::ComplaintAccept, d(2026, 7, 1)).unwrap();
        assert_eq!(after.period, Period::WorkingDays(7));
        assert!(after.source.contains("155/2026"));
        assert_eq!(due(&cal, Rule::ComplaintAccept, d(2026, 7, 1)), d(2026, 7, 10));
        // Received Friday 03/07/2026: 7 working days → Tuesday 14/07 (10 days would be Monday 13/07).
        assert_eq!(due(&cal, Rule::ComplaintAccept, d(2026, 7, 3)), d(2026, 7, 14));
        // A case keeps the version of the day it was received, counted from a later day.
        assert_eq!(due_as_of(&cal, &v, Rule::ComplaintAccept, d(2026, 6, 30), d(2026, 7, 3)), d(2026, 7, 13));
        // A day before every version takes the first; a rule never amended has one.
        assert_eq!(version_on(&v, Rule::ComplaintAccept, d(2000, 1, 1)).unwrap().period, Period::CalendarDays(10));
        assert_eq!(v.iter().filter(|x| x.rule == Rule::DenunciationSettle).count(), 1);
        // A version added later (data, no release) takes over from its day.
        let mut more = v.clone();
        more.push(RuleVersion {
            rule: Rule::CrimeReportSettle,
            from: d(2027, 1, 1),
            period: Period::CalendarDays(30),
            source: "x".into(),
            to_confirm: true,
        });
        assert_eq!(
            version_on(&more, Rule::CrimeReportSettle, d(2026, 12, 31)).unwrap().period,
            Period::CalendarDays(20)
        );
        assert_eq!(version_on(&more, Rule::CrimeReportSettle, d(2027, 1, 1)).unwrap().period, Period::CalendarDays(30));
    }
}
