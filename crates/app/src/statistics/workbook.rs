//! The movement statistics of a scope as an XLSX workbook: one sheet per group of
//! figures.

use std::collections::HashMap;

use domain::criteria::Subject;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use store::statistics::MovementStats;

use super::subject_label;
use crate::error::AppResult;
use crate::{Actor, App, AppError};

fn xl(e: XlsxError) -> AppError {
    AppError::Internal(e.to_string())
}

/// The workbook's two cell formats.
struct Formats {
    bold: Format,
    pct: Format,
}

/// A new sheet named `name` whose first row holds `heads` in bold.
fn sheet<'a>(wb: &'a mut Workbook, f: &Formats, name: &str, heads: &[&str]) -> AppResult<&'a mut Worksheet> {
    let ws = wb.add_worksheet();
    ws.set_name(name).map_err(xl)?;
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.bold).map_err(xl)?;
    }
    Ok(ws)
}

impl App {
    /// The movement statistics of the actor's scope as an XLSX workbook.
    pub async fn movement_stats_xlsx(&self, actor: &Actor, year: i64, unit: Option<&str>) -> AppResult<Vec<u8>> {
        let st = self.movement_stats(actor, year, unit).await?;
        let children = self.recognition_by_child(actor, year, unit).await?;
        let target = self.campaign(year).await?.target_rate();
        let type_names: HashMap<String, String> =
            self.store.model_types().await?.into_iter().map(|t| (t.code, t.name)).collect();
        let mut wb = Workbook::new();
        let f = Formats { bold: Format::new().set_bold(), pct: Format::new().set_num_format("0.0%") };
        recognition_sheet(&mut wb, &f, &st, target)?;
        summary_sheet(&mut wb, &f, &st, year)?;
        progress_sheet(&mut wb, &f, &st)?;
        levels_sheet(&mut wb, &f, &st)?;
        models_sheet(&mut wb, &f, &st, &type_names)?;
        if !children.is_empty() {
            children_sheet(&mut wb, &f, &children)?;
        }
        wb.save_to_buffer().map_err(xl)
    }
}

/// Recognition per subject kind against the campaign's target.
fn recognition_sheet(wb: &mut Workbook, f: &Formats, st: &MovementStats, target: f64) -> AppResult<()> {
    let heads = ["Đối tượng", "Đã đánh giá", "Được công nhận", "Tỷ lệ", "Chỉ tiêu"];
    let ws = sheet(wb, f, "Công nhận", &heads)?;
    for (r, subject) in Subject::ALL.iter().enumerate() {
        // A subject kind with no assessments has no row in the figures: zero.
        let fig = st.safe_unit.iter().find(|(s, _)| s == subject).map(|(_, x)| *x).unwrap_or_default();
        let row = r as u32 + 1;
        ws.write_string(row, 0, subject_label(*subject)).map_err(xl)?;
        ws.write_number(row, 1, fig.assessed as f64).map_err(xl)?;
        ws.write_number(row, 2, fig.recognised as f64).map_err(xl)?;
        let rate = if fig.assessed > 0 { fig.recognised as f64 / fig.assessed as f64 } else { 0.0 };
        ws.write_number_with_format(row, 3, rate, &f.pct).map_err(xl)?;
        ws.write_number_with_format(row, 4, target, &f.pct).map_err(xl)?;
    }
    ws.set_column_width(0, 28).map_err(xl)?;
    Ok(())
}

/// Key areas, criterion 19, models and assessments in one column.
fn summary_sheet(wb: &mut Workbook, f: &Formats, st: &MovementStats, year: i64) -> AppResult<()> {
    let rows: Vec<(&str, f64)> = vec![
        ("Địa bàn trọng điểm: đưa vào", st.designated as f64),
        ("Địa bàn trọng điểm: đưa ra", st.removed as f64),
        ("Tiêu chí 19: số xã đạt", st.criterion19_met as f64),
        ("Tiêu chí 19: số xã có số liệu", st.criterion19_communes as f64),
        ("Tiêu chí 19: tổng số xã, phường, đặc khu", st.communes_in_scope as f64),
        ("Mô hình: thực chất, hiệu quả", st.models_effective as f64),
        ("Mô hình: hình thức", st.models_formal as f64),
        ("Bản đánh giá đã gửi", st.submitted as f64),
        ("Bản đánh giá đã phê duyệt", st.approved as f64),
        ("Bản đánh giá nộp muộn", st.late as f64),
    ];
    let ws = sheet(wb, f, "Tổng hợp", &["Chỉ số", &format!("Năm {year}")])?;
    for (i, (k, v)) in rows.iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, *k).map_err(xl)?;
        ws.write_number(i as u32 + 1, 1, *v).map_err(xl)?;
    }
    ws.set_column_width(0, 36).map_err(xl)?;
    Ok(())
}

/// Progress against each subject kind's deadline.
fn progress_sheet(wb: &mut Workbook, f: &Formats, st: &MovementStats) -> AppResult<()> {
    let ws = sheet(wb, f, "Tiến độ", &["Đối tượng", "Đã lập", "Đã gửi", "Đã phê duyệt", "Nộp muộn"])?;
    for (i, (subject, made, sent, approved, late)) in st.progress_by_subject.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, subject_label(*subject)).map_err(xl)?;
        for (c, v) in [made, sent, approved, late].iter().enumerate() {
            ws.write_number(row, c as u16 + 1, **v as f64).map_err(xl)?;
        }
    }
    ws.set_column_width(0, 28).map_err(xl)?;
    Ok(())
}

/// Approved movement classifications per level.
fn levels_sheet(wb: &mut Workbook, f: &Formats, st: &MovementStats) -> AppResult<()> {
    let ws = sheet(wb, f, "Phân loại", &["Mức", "Số đơn vị"])?;
    for (i, (level, n)) in st.by_level.iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, level).map_err(xl)?;
        ws.write_number(i as u32 + 1, 1, *n as f64).map_err(xl)?;
    }
    Ok(())
}

/// Models per type with the year's verdicts.
fn models_sheet(wb: &mut Workbook, f: &Formats, st: &MovementStats, names: &HashMap<String, String>) -> AppResult<()> {
    let ws = sheet(wb, f, "Mô hình", &["Loại mô hình", "Số mô hình", "Hiệu quả", "Hình thức"])?;
    for (i, ((code, n), (_, e, fo))) in st.models_by_type.iter().zip(&st.models_by_type_verdict).enumerate() {
        let row = i as u32 + 1;
        // A type withdrawn from the catalogue shows its code.
        ws.write_string(row, 0, names.get(code).unwrap_or(code)).map_err(xl)?;
        ws.write_number(row, 1, *n as f64).map_err(xl)?;
        ws.write_number(row, 2, *e as f64).map_err(xl)?;
        ws.write_number(row, 3, *fo as f64).map_err(xl)?;
    }
    ws.set_column_width(0, 36).map_err(xl)?;
    Ok(())
}

/// Recognition per child unit: (code, name, assessed, recognised).
fn children_sheet(wb: &mut Workbook, f: &Formats, children: &[(String, String, i64, i64)]) -> AppResult<()> {
    let ws = sheet(wb, f, "Theo đơn vị", &["Mã", "Đơn vị", "Đã đánh giá", "Được công nhận", "Tỷ lệ"])?;
    for (i, (code, name, a, r)) in children.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, code).map_err(xl)?;
        ws.write_string(row, 1, name).map_err(xl)?;
        ws.write_number(row, 2, *a as f64).map_err(xl)?;
        ws.write_number(row, 3, *r as f64).map_err(xl)?;
        let rate = if *a > 0 { *r as f64 / *a as f64 } else { 0.0 };
        ws.write_number_with_format(row, 4, rate, &f.pct).map_err(xl)?;
    }
    ws.set_column_width(1, 32).map_err(xl)?;
    Ok(())
}
