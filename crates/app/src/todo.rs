//! "What needs me": the caller's unit's open tasks, the plans it owes, the proposals
//! waiting for its answer, its reports to finish or returned and, for case officers, citizens' cases past or within
//! three days of their deadline — most urgent first.

use chrono::NaiveDate;
use domain::todo::{self, TodoItem, TodoKind};
use serde::Serialize;
use store::cases::CaseFilter;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// Most cases of each kind (overdue, soon) put on the list.
const MOST_CASES: i64 = 50;

/// The list.
#[derive(Debug, Clone, Serialize)]
pub struct Todo {
    /// Items, most urgent first.
    pub items: Vec<TodoItem>,
    /// How many are overdue.
    pub overdue: usize,
}

impl App {
    /// The caller's to-do list.
    pub async fn todo(&self, actor: &Actor) -> AppResult<Todo> {
        let today = store::clock::today();
        let mut items = Vec::new();
        // The police's own units only: an organisation's contact carries its commune
        // as its unit, but the commune's work is not theirs to see.
        if let Some(unit) = actor.unit_code.as_deref().filter(|_| actor.is_police_writer()) {
            self.unit_items(unit, today, &mut items).await?;
            self.report_items(actor, unit, today, &mut items).await?;
        }
        self.case_items(actor, today, &mut items).await?;
        self.assessment_items(actor, today, &mut items).await?;
        todo::order(&mut items);
        let overdue = items.iter().filter(|i| i.overdue).count();
        Ok(Todo { items, overdue })
    }

    async fn unit_items(&self, unit: &str, today: NaiveDate, items: &mut Vec<TodoItem>) -> AppResult<()> {
        for a in self.store.open_assignments(unit).await? {
            let title = format!("{} ({} %)", a.title, a.effective_percent);
            items.push(TodoItem::dated(TodoKind::Task, title, Some(a.due), today, format!("/tasks/{}", a.task_id)));
        }
        for p in self.store.plans_owed_by(unit).await? {
            let title = format!("Ban hành kế hoạch thực hiện {} — {}", p.number, p.title);
            let link = format!("/directives/{}", p.directive_id);
            items.push(TodoItem::dated(TodoKind::Plan, title, Some(p.plans_due), today, link));
        }
        for p in self.store.unanswered_to(unit).await? {
            let due = Some(domain::proposal::answer_due(domain::clock::vietnam_date_ms(p.created_at)));
            let title = format!("Trả lời kiến nghị của {}", p.unit_name);
            let link = match (p.task_id, p.directive_id) {
                (Some(t), _) => format!("/tasks/{t}#proposal-{}", p.id),
                (None, Some(d)) => format!("/directives/{d}#proposal-{}", p.id),
                (None, None) => format!("/proposals/{}", p.id),
            };
            items.push(TodoItem::dated(TodoKind::Proposal, title, due, today, link));
        }
        let place = self.kept_unit(unit).await?.place();
        if matches!(place.level, domain::Level::Nation | domain::Level::Province) {
            let nation = place.level == domain::Level::Nation;
            for (template, period, n) in self.store.reports_to_compile(unit, nation).await? {
                let title = format!("Tổng hợp báo cáo kỳ {period}: {n} đơn vị cấp dưới đã gửi");
                let link = format!("/reports?template={}&period={period}", template.as_str());
                items.push(TodoItem::dated(TodoKind::Report, title, None, today, link));
            }
        }
        Ok(())
    }

    /// The regular reports the unit owes now (with their due date), then its other
    /// drafts and returned reports.
    async fn report_items(
        &self,
        actor: &Actor,
        unit: &str,
        today: NaiveDate,
        items: &mut Vec<TodoItem>,
    ) -> AppResult<()> {
        let owed = self.reports_owed(actor).await?;
        for o in &owed {
            let (title, link) = match o.report_id {
                Some(id) if o.status == "returned" => {
                    (format!("Báo cáo {} bị trả lại: sửa và gửi lại", o.label), format!("/reports/{id}"))
                }
                Some(id) => (format!("Hoàn thành và gửi báo cáo {}", o.label), format!("/reports/{id}")),
                None => (
                    format!("Lập và gửi báo cáo {}", o.label),
                    format!("/reports?template={}&period={}#report-new", o.template.as_str(), o.period),
                ),
            };
            items.push(TodoItem::dated(TodoKind::Report, title, Some(o.due), today, link));
        }
        for r in self.store.reports_to_submit(unit).await? {
            if owed.iter().any(|o| o.report_id == Some(r.id)) {
                continue;
            }
            let title = match r.status.as_str() {
                "returned" => {
                    format!("Báo cáo kỳ {} bị trả lại: {}", r.period, r.return_reason.as_deref().unwrap_or_default())
                }
                _ => format!("Hoàn thành và gửi báo cáo kỳ {}", r.period),
            };
            let due = domain::report::period(r.template, &r.period).map(|p| domain::report::due(r.template, &p));
            items.push(TodoItem::dated(TodoKind::Report, title, due, today, format!("/reports/{}", r.id)));
        }
        Ok(())
    }

    /// Assessments of this year waiting for the caller's step: drafts to submit
    /// for a commune or an organisation, submissions to review or approve for a
    /// province; due by the campaign's deadline for their subject.
    async fn assessment_items(&self, actor: &Actor, today: NaiveDate, items: &mut Vec<TodoItem>) -> AppResult<()> {
        use domain::Role;
        let stages: &[&str] = match actor.role {
            Role::Commune | Role::Organisation => &["draft"],
            Role::Province => &["submitted", "reviewed"],
            _ => return Ok(()),
        };
        let year = store::clock::current_year();
        let campaign = self.campaign(year).await?;
        for stage in stages {
            let f = store::assessments::AssessmentFilter { year, stage: Some((*stage).into()), ..Default::default() };
            let (rows, _) = self.list_assessments(actor, None, &f, MOST_CASES, 0).await?;
            for a in rows {
                if self.allowed_steps(actor, &a).await?.is_empty() {
                    continue;
                }
                let whom = a.subject_name.clone();
                let title = format!("Đánh giá {} — {}", crate::statistics::subject_label(a.subject), whom);
                let due = Some(campaign.deadline_for(a.subject));
                items.push(TodoItem::dated(TodoKind::Assessment, title, due, today, format!("/assessments/{}", a.id)));
            }
        }
        Ok(())
    }

    async fn case_items(&self, actor: &Actor, today: NaiveDate, items: &mut Vec<TodoItem>) -> AppResult<()> {
        for due in ["overdue", "soon"] {
            let f = CaseFilter { due: Some(due.into()), limit: MOST_CASES, ..Default::default() };
            let rows = match self.list_cases(actor, f).await {
                Ok((rows, _)) => rows,
                // Not a case officer: no cases on the list.
                Err(AppError::Forbidden(_)) => return Ok(()),
                Err(e) => return Err(e),
            };
            for c in rows {
                let title = format!("Hồ sơ {} — {}", c.receipt_code, c.place_name);
                let due = c.due_date;
                items.push(TodoItem::dated(TodoKind::Case, title, due, today, format!("/cases/{}", c.id)));
            }
        }
        Ok(())
    }
}
