//! Directives and programmes (văn bản chỉ đạo): the documents a unit issues or
//! receives, and the implementing plans (kế hoạch triển khai) it may ask of every
//! unit of one level below it by a date.

use chrono::NaiveDate;
use serde::Serialize;

use crate::{Level, ValidationError};

/// Longest title or number, in characters.
pub const TITLE_MAX: usize = 500;
/// Longest summary, in characters.
pub const SUMMARY_MAX: usize = 10_000;

/// What kind of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DirectiveKind {
    /// Chỉ thị, Nghị quyết.
    Directive,
    /// Kế hoạch.
    Plan,
    /// Chương trình công tác năm.
    Programme,
    /// Chương trình phối hợp with the Mặt trận or a mass organisation.
    Coordination,
}

impl DirectiveKind {
    /// Every kind, in display order.
    pub const ALL: [DirectiveKind; 4] =
        [DirectiveKind::Directive, DirectiveKind::Plan, DirectiveKind::Programme, DirectiveKind::Coordination];

    /// Wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            DirectiveKind::Directive => "directive",
            DirectiveKind::Plan => "plan",
            DirectiveKind::Programme => "programme",
            DirectiveKind::Coordination => "coordination",
        }
    }

    /// From the wire code.
    pub fn parse(s: &str) -> Option<DirectiveKind> {
        DirectiveKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Vietnamese name.
    pub fn label_vi(self) -> &'static str {
        match self {
            DirectiveKind::Directive => "Chỉ thị, nghị quyết",
            DirectiveKind::Plan => "Kế hoạch",
            DirectiveKind::Programme => "Chương trình công tác",
            DirectiveKind::Coordination => "Chương trình phối hợp",
        }
    }
}

/// Where one owing unit stands on its implementing plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Issued on or before the date asked.
    Issued,
    /// Not issued, the date not past.
    Missing,
    /// Issued after the date, or not issued and the date past.
    Late,
}

impl PlanStatus {
    /// Wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Issued => "issued",
            PlanStatus::Missing => "missing",
            PlanStatus::Late => "late",
        }
    }
}

/// A plan's status from the date asked, its issue date (if recorded) and today.
pub fn plan_status(plans_due: NaiveDate, issued_on: Option<NaiveDate>, today: NaiveDate) -> PlanStatus {
    match issued_on {
        Some(d) if d <= plans_due => PlanStatus::Issued,
        Some(_) => PlanStatus::Late,
        None if today > plans_due => PlanStatus::Late,
        None => PlanStatus::Missing,
    }
}

/// Plans counted for a directive's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct PlanTally {
    /// Units asked.
    pub expected: i64,
    /// Plans recorded, on time or late.
    pub issued: i64,
    /// Late (recorded late, or still missing past the date).
    pub late: i64,
}

impl PlanTally {
    /// Counts one unit's status and whether its plan was recorded.
    pub fn add(&mut self, status: PlanStatus, recorded: bool) {
        self.expected += 1;
        if recorded {
            self.issued += 1;
        }
        if status == PlanStatus::Late {
            self.late += 1;
        }
    }

    /// "118/126".
    pub fn share(&self) -> String {
        format!("{}/{}", self.issued, self.expected)
    }
}

/// Which level a directive may ask plans of: the level right below the issuer, or,
/// for the ministry, provinces or communes.
pub fn may_ask(issuer: Level, from: Level) -> bool {
    matches!(
        (issuer, from),
        (Level::Nation, Level::Province) | (Level::Nation, Level::Commune) | (Level::Province, Level::Commune)
    )
}

/// Checks a new directive's fields.
pub fn check_new(
    number: &str,
    title: &str,
    issued_on: Option<NaiveDate>,
    plans_due: Option<Option<NaiveDate>>,
) -> Result<(), ValidationError> {
    let mut e = ValidationError::default();
    e.check_line("number", number, TITLE_MAX, "directive.number_empty", "directive.number_too_long");
    e.check_line("title", title, TITLE_MAX, "directive.title_empty", "directive.title_too_long");
    if issued_on.is_none() {
        e.push("issued_on", "directive.date_invalid");
    }
    match (plans_due, issued_on) {
        (Some(None), _) => e.push("plans_due", "directive.date_invalid"),
        (Some(Some(due)), Some(issued)) if due < issued => e.push("plans_due", "directive.plans_due_before_issue"),
        _ => {}
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
    fn plan_status_at_the_edges() {
        let due = d("2026-03-31");
        assert_eq!(plan_status(due, Some(d("2026-03-31")), d("2026-05-01")), PlanStatus::Issued);
        assert_eq!(plan_status(due, Some(d("2026-04-01")), d("2026-05-01")), PlanStatus::Late);
        assert_eq!(plan_status(due, None, d("2026-03-31")), PlanStatus::Missing);
        assert_eq!(plan_status(due, None, d("2026-04-01")), PlanStatus::Late);
    }

    #[test]
    fn tally_and_share() {
        let mut t = PlanTally::default();
        t.add(PlanStatus::Issued, true);
        t.add(PlanStatus::Late, true);
        t.add(PlanStatus::Late, false);
        t.add(PlanStatus::Missing, false);
        assert_eq!(t, PlanTally { expected: 4, issued: 2, late: 2 });
        assert_eq!(t.share(), "2/4");
    }

    #[test]
    fn kinds_round_trip() {
        for k in DirectiveKind::ALL {
            assert_eq!(DirectiveKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(DirectiveKind::parse("memo"), None);
    }

    #[test]
    fn only_lower_levels_are_asked() {
        assert!(may_ask(Level::Nation, Level::Province));
        assert!(may_ask(Level::Province, Level::Commune));
        assert!(!may_ask(Level::Province, Level::Province));
        assert!(!may_ask(Level::Commune, Level::Commune));
        assert!(!may_ask(Level::Commune, Level::Province));
    }

    #[test]
    fn new_directive_checks() {
        assert!(check_new("07/CT-BCA", "Chỉ thị 07", Some(d("2026-01-05")), None).is_ok());
        assert!(check_new("07", "x", Some(d("2026-01-05")), Some(Some(d("2026-01-04")))).is_err());
        assert!(check_new("07", "x", Some(d("2026-01-05")), Some(None)).is_err());
        let e = check_new("", "", None, None).err().map(|e| e.errors.len());
        assert_eq!(e, Some(3));
    }
}
