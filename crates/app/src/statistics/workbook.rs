//! The movement statistics of a scope as an XLSX workbook.

use domain::criteria::Subject;

use super::subject_label;
use crate::error::AppResult;
use crate::{Actor, App, AppError};

impl App {
    /// The movement statistics of the actor's scope as an XLSX workbook.
    pub async fn movement_stats_xlsx(&self, actor: &Actor, year: i64, unit: Option<&str>) -> AppResult<Vec<u8>> {
        let st = self.movement_stats(actor, year, unit).await?;
        let children = self.recognition_by_child(actor, year, unit).await?;
        let target = self.campaign(year).await?.target_rate();
        let mut wb = rust_xlsxwriter::Workbook::new();
        let xl = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.to_string());
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let pct = rust_xlsxwriter::Format::new().set_num_format("0.0%");
        let ws = wb.add_worksheet();
        ws.set_name("Công nhận").map_err(xl)?;
        for (c, h) in ["Đối tượng", "Đã đánh giá", "Được công nhận", "Tỷ lệ", "Chỉ tiêu"].iter().enumerate()
        {
            ws.write_string_with_format(0, c as u16, *h, &bold).map_err(xl)?;
        }
        for (r, subject) in Subject::ALL.iter().enumerate() {
            let f = st.safe_unit.iter().find(|(s, _)| s == subject).map(|(_, f)| *f).unwrap_or_default();
            let row = r as u32 + 1;
            ws.write_string(row, 0, subject_label(*subject)).map_err(xl)?;
            ws.write_number(row, 1, f.assessed as f64).map_err(xl)?;
            ws.write_number(row, 2, f.recognised as f64).map_err(xl)?;
            let rate = if f.assessed > 0 { f.recognised as f64 / f.assessed as f64 } else { 0.0 };
            ws.write_number_with_format(row, 3, rate, &pct).map_err(xl)?;
            ws.write_number_with_format(row, 4, target, &pct).map_err(xl)?;
        }
        ws.set_column_width(0, 28).map_err(xl)?;
        let ws = wb.add_worksheet();
        ws.set_name("Tổng hợp").map_err(xl)?;
        let rows: Vec<(String, f64)> = vec![
            ("Địa bàn trọng điểm: đưa vào".into(), st.designated as f64),
            ("Địa bàn trọng điểm: đưa ra".into(), st.removed as f64),
            ("Tiêu chí 19: số xã đạt".into(), st.criterion19_met as f64),
            ("Tiêu chí 19: số xã có số liệu".into(), st.criterion19_communes as f64),
            ("Tiêu chí 19: tổng số xã, phường, đặc khu".into(), st.communes_in_scope as f64),
            ("Mô hình: thực chất, hiệu quả".into(), st.models_effective as f64),
            ("Mô hình: hình thức".into(), st.models_formal as f64),
            ("Bản đánh giá đã gửi".into(), st.submitted as f64),
            ("Bản đánh giá đã phê duyệt".into(), st.approved as f64),
            ("Bản đánh giá nộp muộn".into(), st.late as f64),
        ];
        ws.write_string_with_format(0, 0, "Chỉ số", &bold).map_err(xl)?;
        ws.write_string_with_format(0, 1, format!("Năm {year}"), &bold).map_err(xl)?;
        for (i, (k, v)) in rows.iter().enumerate() {
            ws.write_string(i as u32 + 1, 0, k).map_err(xl)?;
            ws.write_number(i as u32 + 1, 1, *v).map_err(xl)?;
        }
        ws.set_column_width(0, 36).map_err(xl)?;
        let ws = wb.add_worksheet();
        ws.set_name("Tiến độ").map_err(xl)?;
        for (c, h) in ["Đối tượng", "Đã lập", "Đã gửi", "Đã phê duyệt", "Nộp muộn"].iter().enumerate()
        {
            ws.write_string_with_format(0, c as u16, *h, &bold).map_err(xl)?;
        }
        for (i, (subject, made, sent, approved, late)) in st.progress_by_subject.iter().enumerate() {
            let row = i as u32 + 1;
            ws.write_string(row, 0, subject_label(*subject)).map_err(xl)?;
            for (c, v) in [made, sent, approved, late].iter().enumerate() {
                ws.write_number(row, c as u16 + 1, **v as f64).map_err(xl)?;
            }
        }
        ws.set_column_width(0, 28).map_err(xl)?;
        let ws = wb.add_worksheet();
        ws.set_name("Phân loại").map_err(xl)?;
        ws.write_string_with_format(0, 0, "Mức", &bold).map_err(xl)?;
        ws.write_string_with_format(0, 1, "Số đơn vị", &bold).map_err(xl)?;
        for (i, (level, n)) in st.by_level.iter().enumerate() {
            ws.write_string(i as u32 + 1, 0, level).map_err(xl)?;
            ws.write_number(i as u32 + 1, 1, *n as f64).map_err(xl)?;
        }
        let ws = wb.add_worksheet();
        ws.set_name("Mô hình").map_err(xl)?;
        for (c, h) in ["Loại mô hình", "Số mô hình", "Hiệu quả", "Hình thức"].iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold).map_err(xl)?;
        }
        let type_names: std::collections::HashMap<String, String> =
            self.store.model_types().await?.into_iter().map(|t| (t.code, t.name)).collect();
        for (i, ((code, n), (_, e, f))) in st.models_by_type.iter().zip(&st.models_by_type_verdict).enumerate() {
            let row = i as u32 + 1;
            ws.write_string(row, 0, type_names.get(code).unwrap_or(code)).map_err(xl)?;
            ws.write_number(row, 1, *n as f64).map_err(xl)?;
            ws.write_number(row, 2, *e as f64).map_err(xl)?;
            ws.write_number(row, 3, *f as f64).map_err(xl)?;
        }
        ws.set_column_width(0, 36).map_err(xl)?;
        if !children.is_empty() {
            let ws = wb.add_worksheet();
            ws.set_name("Theo đơn vị").map_err(xl)?;
            for (c, h) in ["Mã", "Đơn vị", "Đã đánh giá", "Được công nhận", "Tỷ lệ"].iter().enumerate()
            {
                ws.write_string_with_format(0, c as u16, *h, &bold).map_err(xl)?;
            }
            for (i, (code, name, a, r)) in children.iter().enumerate() {
                let row = i as u32 + 1;
                ws.write_string(row, 0, code).map_err(xl)?;
                ws.write_string(row, 1, name).map_err(xl)?;
                ws.write_number(row, 2, *a as f64).map_err(xl)?;
                ws.write_number(row, 3, *r as f64).map_err(xl)?;
                let rate = if *a > 0 { *r as f64 / *a as f64 } else { 0.0 };
                ws.write_number_with_format(row, 4, rate, &pct).map_err(xl)?;
            }
            ws.set_column_width(1, 32).map_err(xl)?;
        }
        wb.save_to_buffer().map_err(xl)
    }
}
