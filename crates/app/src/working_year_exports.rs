//! The working year's lists as XLSX: a unit's programme (one row per task), a
//! directive's plans (one row per owing unit), a year's inspections. Each reads
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
}
