//! An officer's to-do list ("what needs me"): items from every feature, most urgent
//! first.

use chrono::NaiveDate;
use serde::Serialize;

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TodoKind {
    /// A task assigned to my unit, not done.
    Task,
    /// An implementing plan my unit still owes.
    Plan,
    /// A proposal waiting for my unit's answer.
    Proposal,
    /// An assessment waiting for my unit's step.
    Assessment,
    /// A citizen's case near or past its deadline.
    Case,
    /// A periodic report to submit (draft or returned).
    Report,
}

impl TodoKind {
    /// Wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            TodoKind::Task => "task",
            TodoKind::Plan => "plan",
            TodoKind::Proposal => "proposal",
            TodoKind::Assessment => "assessment",
            TodoKind::Case => "case",
            TodoKind::Report => "report",
        }
    }
}

/// One item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TodoItem {
    /// What it is.
    pub kind: TodoKind,
    /// What to show.
    pub title: String,
    /// By when (none for items without a date, e.g. an unanswered proposal's age is
    /// shown instead).
    pub due: Option<NaiveDate>,
    /// Past its date in Vietnam.
    pub overdue: bool,
    /// Where to act.
    pub link: String,
}

impl TodoItem {
    /// An item whose overdue flag follows from its date and today's date in Vietnam.
    pub fn dated(kind: TodoKind, title: String, due: Option<NaiveDate>, today: NaiveDate, link: String) -> TodoItem {
        TodoItem { kind, title, overdue: due.is_some_and(|d| today > d), due, link }
    }
}

/// Orders the list: overdue first (oldest first), then by date, undated last; ties
/// keep their kind order and then their title.
pub fn order(items: &mut [TodoItem]) {
    items.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then_with(|| match (a.due, b.due) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| (a.kind as u8).cmp(&(b.kind as u8)))
            .then_with(|| a.title.cmp(&b.title))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn most_urgent_first() {
        let today = d("2026-12-05");
        let mut items = vec![
            TodoItem::dated(TodoKind::Proposal, "Kiến nghị".into(), None, today, "/p/1".into()),
            TodoItem::dated(TodoKind::Task, "Sắp đến hạn".into(), Some(d("2026-12-10")), today, "/t/1".into()),
            TodoItem::dated(TodoKind::Plan, "Quá hạn lâu".into(), Some(d("2026-11-01")), today, "/d/1".into()),
            TodoItem::dated(TodoKind::Task, "Quá hạn".into(), Some(d("2026-12-04")), today, "/t/2".into()),
            TodoItem::dated(TodoKind::Task, "Hôm nay".into(), Some(d("2026-12-05")), today, "/t/3".into()),
        ];
        order(&mut items);
        let titles: Vec<_> = items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, ["Quá hạn lâu", "Quá hạn", "Hôm nay", "Sắp đến hạn", "Kiến nghị"]);
        assert!(items[0].overdue && items[1].overdue && !items[2].overdue, "due today is not overdue");
    }
}
