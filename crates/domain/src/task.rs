//! Key tasks (nhiệm vụ, công tác trọng tâm): an assignee's status, a task's roll-up
//! and the checks on a new task or a progress report. Overdue is computed from the
//! due date and today's date in Asia/Ho_Chi_Minh (given by the caller), never typed.

use chrono::NaiveDate;
use serde::Serialize;

use crate::{Level, ValidationError};

/// Longest task title, in characters.
pub const TITLE_MAX: usize = 500;
/// Longest progress note or proposal, in characters.
pub const NOTE_MAX: usize = 10_000;

/// Where one assignee stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AssigneeStatus {
    /// 100 % reported.
    Done,
    /// Not done, due date not past.
    OnTrack,
    /// Not done and the due date has passed (overdue from the day after it).
    Overdue,
}

impl AssigneeStatus {
    /// Wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            AssigneeStatus::Done => "done",
            AssigneeStatus::OnTrack => "on_track",
            AssigneeStatus::Overdue => "overdue",
        }
    }
}

/// An assignee's status from its effective percent, the task's due date and today's
/// date in Vietnam. A task due today is still on track today.
pub fn status(percent: i64, due: NaiveDate, today: NaiveDate) -> AssigneeStatus {
    if percent >= 100 {
        AssigneeStatus::Done
    } else if today > due {
        AssigneeStatus::Overdue
    } else {
        AssigneeStatus::OnTrack
    }
}

/// One assignee's figures as the roll-up sees them: its latest report, or, where the
/// assignee split its assignment into a sub-task, that sub-task's roll-up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    /// 0–100.
    pub percent: i64,
    /// Indicator value, when the task has an indicator and one was reported.
    pub value: Option<f64>,
}

/// A task's roll-up over its assignees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rollup {
    /// Mean of the assignees' percents, rounded down (0 without assignees).
    pub overall_percent: i64,
    /// Assignees done.
    pub done: i64,
    /// Assignees on track.
    pub on_track: i64,
    /// Assignees overdue.
    pub overdue: i64,
    /// Sum of the indicator values reported (None when none was).
    pub indicator_sum: Option<f64>,
}

/// Rolls a task up from its assignees' figures.
pub fn rollup(assignees: &[Figures], due: NaiveDate, today: NaiveDate) -> Rollup {
    let mut r = Rollup { overall_percent: 0, done: 0, on_track: 0, overdue: 0, indicator_sum: None };
    let mut sum = 0i64;
    for a in assignees {
        sum += a.percent.clamp(0, 100);
        match status(a.percent, due, today) {
            AssigneeStatus::Done => r.done += 1,
            AssigneeStatus::OnTrack => r.on_track += 1,
            AssigneeStatus::Overdue => r.overdue += 1,
        }
        if let Some(v) = a.value {
            r.indicator_sum = Some(r.indicator_sum.unwrap_or(0.0) + v);
        }
    }
    if !assignees.is_empty() {
        r.overall_percent = sum / assignees.len() as i64;
    }
    r
}

/// The figures an assignment shows: its sub-task's roll-up where it was split into
/// one, else its own latest report (0 % before any report).
pub fn effective(own: Option<Figures>, sub_task: Option<&Rollup>) -> Figures {
    match sub_task {
        Some(r) => Figures { percent: r.overall_percent, value: r.indicator_sum },
        None => own.unwrap_or(Figures { percent: 0, value: None }),
    }
}

/// A task's measurable indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// What is counted ("Số mô hình được thành lập").
    pub name: String,
    /// Target.
    pub target: f64,
}

/// Whether a unit at `issuer` level may assign a task to one at `assignee` level:
/// its own staff (the same unit) or the level right below it. A ministry task
/// reaches the communes through the provinces' sub-tasks.
pub fn may_assign(issuer: Level, assignee: Level, same_unit: bool) -> bool {
    same_unit
        || matches!(
            (issuer, assignee),
            (Level::Nation, Level::Province) | (Level::Province, Level::Commune) | (Level::Commune, Level::Area)
        )
}

/// Checks a new task: a title, a due date not before the issue date, at least one
/// assignee, and a sensible indicator.
pub fn check_new(
    title: &str,
    due: Option<NaiveDate>,
    issued_on: NaiveDate,
    assignees: usize,
    indicator: Option<&Indicator>,
) -> Result<(), ValidationError> {
    let mut e = ValidationError::default();
    e.check_line("title", title, TITLE_MAX, "task.title_empty", "task.title_too_long");
    match due {
        None => e.push("due", "task.due_invalid"),
        Some(d) if d < issued_on => e.push("due", "task.due_before_issue"),
        Some(_) => {}
    }
    if assignees == 0 {
        e.push("assignees", "task.no_assignee");
    }
    if let Some(i) = indicator {
        if i.name.trim().is_empty() {
            e.push("indicator.name", "task.indicator_name_empty");
        }
        if !(i.target.is_finite() && i.target > 0.0) {
            e.push("indicator.target", "task.indicator_target_invalid");
        }
    }
    e.into_result()
}

/// Checks a progress report.
pub fn check_progress(
    percent: i64,
    value: Option<f64>,
    has_indicator: bool,
    note: &str,
) -> Result<(), ValidationError> {
    let mut e = ValidationError::default();
    if !(0..=100).contains(&percent) {
        e.push("percent", "task.percent_invalid");
    }
    match value {
        Some(_) if !has_indicator => e.push("value", "task.no_indicator"),
        Some(v) if !(v.is_finite() && v >= 0.0) => e.push("value", "task.value_invalid"),
        _ => {}
    }
    if note.chars().count() > NOTE_MAX {
        e.push("note", "task.note_too_long");
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
    fn overdue_starts_the_day_after_the_due_date() {
        let due = d("2026-11-30");
        assert_eq!(status(40, due, d("2026-11-29")), AssigneeStatus::OnTrack);
        assert_eq!(status(40, due, d("2026-11-30")), AssigneeStatus::OnTrack, "due today is not late");
        assert_eq!(status(40, due, d("2026-12-01")), AssigneeStatus::Overdue);
        assert_eq!(status(100, due, d("2027-01-01")), AssigneeStatus::Done, "done is never overdue");
        assert_eq!(status(99, due, d("2027-01-01")), AssigneeStatus::Overdue);
    }

    #[test]
    fn rollup_counts_and_averages() {
        let due = d("2026-06-30");
        let a = [
            Figures { percent: 100, value: Some(3.0) },
            Figures { percent: 50, value: None },
            Figures { percent: 0, value: Some(1.5) },
        ];
        let r = rollup(&a, due, d("2026-07-01"));
        assert_eq!(r.overall_percent, 50);
        assert_eq!((r.done, r.on_track, r.overdue), (1, 0, 2));
        assert_eq!(r.indicator_sum, Some(4.5));
        let r = rollup(&a, due, d("2026-06-30"));
        assert_eq!((r.done, r.on_track, r.overdue), (1, 2, 0));
        let empty = rollup(&[], due, d("2026-06-30"));
        assert_eq!((empty.overall_percent, empty.indicator_sum), (0, None));
    }

    #[test]
    fn a_sub_task_replaces_the_assignments_own_report() {
        let sub = rollup(
            &[Figures { percent: 100, value: Some(2.0) }, Figures { percent: 20, value: None }],
            d("2026-12-31"),
            d("2026-06-01"),
        );
        let own = Some(Figures { percent: 90, value: Some(9.0) });
        assert_eq!(effective(own, Some(&sub)), Figures { percent: 60, value: Some(2.0) });
        assert_eq!(effective(own, None), Figures { percent: 90, value: Some(9.0) });
        assert_eq!(effective(None, None), Figures { percent: 0, value: None });
    }

    #[test]
    fn two_levels_roll_up() {
        // Ministry → two provinces; one province split its part among three communes.
        let (due, today) = (d("2026-12-31"), d("2026-10-01"));
        let communes = [Figures { percent: 100, value: None }; 2];
        let mut all = communes.to_vec();
        all.push(Figures { percent: 10, value: None });
        let province_a = effective(Some(Figures { percent: 5, value: None }), Some(&rollup(&all, due, today)));
        let province_b = effective(Some(Figures { percent: 40, value: None }), None);
        assert_eq!(province_a.percent, 70);
        assert_eq!(rollup(&[province_a, province_b], due, today).overall_percent, 55);
    }

    #[test]
    fn assignments_go_one_level_down_or_to_ones_own_staff() {
        assert!(may_assign(Level::Nation, Level::Province, false));
        assert!(may_assign(Level::Province, Level::Commune, false));
        assert!(may_assign(Level::Commune, Level::Area, false));
        assert!(may_assign(Level::Province, Level::Province, true));
        assert!(!may_assign(Level::Nation, Level::Commune, false));
        assert!(!may_assign(Level::Province, Level::Area, false));
    }

    #[test]
    fn new_task_checks() {
        let issued = d("2026-01-10");
        assert!(check_new("Rà soát mô hình", Some(d("2026-01-10")), issued, 1, None).is_ok());
        let e = check_new(" ", Some(d("2026-01-09")), issued, 0, None).err().map(|e| e.errors).unwrap_or_default();
        let codes: Vec<_> = e.iter().map(|f| f.code).collect();
        assert_eq!(codes, ["task.title_empty", "task.due_before_issue", "task.no_assignee"]);
        let bad = Indicator { name: "Mô hình".into(), target: 0.0 };
        assert!(check_new("x", Some(issued), issued, 1, Some(&bad)).is_err());
        assert!(check_new("x", None, issued, 1, None).is_err());
        assert!(check_new("a\nb", Some(issued), issued, 1, None).is_err(), "one line");
    }

    #[test]
    fn progress_checks() {
        assert!(check_progress(0, None, false, "").is_ok());
        assert!(check_progress(100, Some(3.0), true, "xong").is_ok());
        assert!(check_progress(101, None, false, "").is_err());
        assert!(check_progress(-1, None, false, "").is_err());
        let e = check_progress(50, Some(1.0), false, "").err().map(|e| e.errors).unwrap_or_default();
        assert_eq!(e.first().map(|f| f.code), Some("task.no_indicator"));
        assert!(check_progress(50, Some(f64::NAN), true, "").is_err());
    }
}
