//! The working year's lists as XLSX: a unit's programme (one row per task), the
//! directives seen, a directive's plans (one row per owing unit), a year's
//! inspections, the unit's reports and the proposals waiting for its answer. Each reads
//! through the same scoped use case as its page, so a sheet never holds more than
//! the page shows.

use crate::error::AppResult;
use crate::export::xlsx_table;
use crate::{Actor, App};

use crate::cases::vn_day as day;

impl App {
    /// A unit's programme of a year as XLSX.
    pub async fn programme_xlsx(&self, actor: &Actor, unit: Option<&str>, year: Option<i64>) -> AppResult<Vec<u8>> {
        let p = self.programme(actor, unit, year).await?;
        let rows: Vec<Vec<String>> = p
            .tasks
            .iter()
            .map(|t| {
                vec![
                    t.title.clone(),
                    day(t.due),
                    t.overall_percent.to_string(),
                    t.assignees.to_string(),
                    t.done.to_string(),
                    t.overdue.to_string(),
                    t.indicator_name.clone().unwrap_or_default(),
                    t.indicator_sum.map(|v| v.to_string()).unwrap_or_default(),
                    t.indicator_target.map(|v| v.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        let headers = [
            "Nhiệm vụ",
            "Thời hạn",
            "Tiến độ (%)",
            "Đơn vị được giao",
            "Hoàn thành",
            "Quá hạn",
            "Chỉ số",
            "Kết quả",
            "Chỉ tiêu",
        ];
        xlsx_table("Công tác trọng tâm", &headers, &rows)
    }

    /// A directive's plans (the rows the caller sees) as XLSX.
    pub async fn directive_plans_xlsx(&self, actor: &Actor, id: i64) -> AppResult<Vec<u8>> {
        let v = self.directive(actor, id).await?;
        let rows: Vec<Vec<String>> = v
            .plans
            .iter()
            .flat_map(|p| p.items.iter())
            .map(|l| {
                vec![
                    l.unit_code.clone(),
                    l.unit_name.clone(),
                    l.status.as_str().to_string(),
                    l.number.clone().unwrap_or_default(),
                    l.issued_on.map(day).unwrap_or_default(),
                    l.title.clone().unwrap_or_default(),
                ]
            })
            .collect();
        xlsx_table(
            "Kế hoạch triển khai",
            &["Mã đơn vị", "Đơn vị", "Tình trạng", "Số kế hoạch", "Ngày ban hành", "Trích yếu"],
            &rows,
        )
    }

    /// A year's inspections in scope as XLSX.
    pub async fn inspections_xlsx(&self, actor: &Actor, year: Option<i64>) -> AppResult<Vec<u8>> {
        let l = self.inspections(actor, year).await?;
        let rows: Vec<Vec<String>> = l
            .items
            .iter()
            .map(|i| {
                vec![
                    i.inspection.title.clone(),
                    i.inspection.unit_name.clone(),
                    day(i.inspection.starts_on),
                    day(i.inspection.ends_on),
                    i.status.as_str().to_string(),
                    i.inspection.findings.to_string(),
                    i.inspection.follow_ups_done.to_string(),
                ]
            })
            .collect();
        let headers =
            ["Cuộc kiểm tra", "Đơn vị kiểm tra", "Từ ngày", "Đến ngày", "Tình trạng", "Kiến nghị", "Đã khắc phục"];
        xlsx_table("Kiểm tra", &headers, &rows)
    }

    /// The directives the caller sees (newest first, at most 5,000) as XLSX.
    pub async fn directives_xlsx(&self, actor: &Actor) -> AppResult<Vec<u8>> {
        let (items, _) = self.list_directives(actor, 5_000, 0).await?;
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|d| {
                vec![
                    d.number.clone(),
                    day(d.issued_on),
                    d.kind.as_str().to_string(),
                    d.title.clone(),
                    d.unit_name.clone(),
                    d.plans_due.map(day).unwrap_or_default(),
                ]
            })
            .collect();
        let headers = ["Số, ký hiệu", "Ngày ban hành", "Loại", "Trích yếu", "Đơn vị ban hành", "Hạn ban hành kế hoạch"];
        xlsx_table("Văn bản chỉ đạo", &headers, &rows)
    }

    /// The caller's unit's reports, and those it owes now, as XLSX.
    pub async fn reports_xlsx(&self, actor: &Actor) -> AppResult<Vec<u8>> {
        let mut rows: Vec<Vec<String>> = self
            .reports_owed(actor)
            .await?
            .into_iter()
            .filter(|o| o.report_id.is_none())
            .map(|o| vec![o.template.label().to_string(), o.label, "chưa lập".into(), day(o.due), String::new()])
            .collect();
        for r in self.own_reports(actor).await? {
            let p = domain::report::period(r.template, &r.period);
            let due = p.as_ref().map(|p| day(domain::report::due(r.template, p))).unwrap_or_default();
            let submitted = r.submitted_at.map(|ms| day(domain::clock::vietnam_date_ms(ms))).unwrap_or_default();
            let label = p.map(|p| p.label).unwrap_or(r.period.clone());
            rows.push(vec![r.template.label().to_string(), label, r.status.label().to_string(), due, submitted]);
        }
        xlsx_table("Báo cáo", &["Loại báo cáo", "Kỳ", "Tình trạng", "Hạn gửi", "Ngày gửi"], &rows)
    }

    /// The proposals waiting for the caller's unit's answer, oldest first, with
    /// their age in days, as XLSX.
    pub async fn proposals_xlsx(&self, actor: &Actor) -> AppResult<Vec<u8>> {
        let waiting = match actor.unit_code.as_deref().filter(|_| actor.is_police_writer()) {
            Some(unit) => self.store.unanswered_to(unit).await?,
            None => Vec::new(),
        };
        let today = store::clock::today();
        let rows: Vec<Vec<String>> = waiting
            .iter()
            .map(|p| {
                let sent = domain::clock::vietnam_date_ms(p.created_at);
                vec![
                    p.unit_name.clone(),
                    day(sent),
                    (today - sent).num_days().to_string(),
                    day(domain::proposal::answer_due(sent)),
                    p.body.clone(),
                ]
            })
            .collect();
        let headers = ["Đơn vị gửi", "Ngày gửi", "Số ngày chờ", "Hạn trả lời", "Nội dung"];
        xlsx_table("Kiến nghị chờ trả lời", &headers, &rows)
    }
}
