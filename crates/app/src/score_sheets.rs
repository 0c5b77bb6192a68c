//! Score sheets as XLSX: a template of an assessment's criteria, pre-filled with its
//! answers, that imports back all or nothing with a per-row report.

use domain::assessment::{Answer, Points};
use domain::criteria::Instrument;
use rust_xlsxwriter::{Format, Workbook};

use crate::error::AppResult;
use crate::import::Table;
use crate::{Actor, App, AppError, RowError};

/// Columns of a score sheet.
pub const SHEET_COLUMNS: [&str; 6] = ["code", "criterion", "source", "max_points", "answer", "note"];

/// Reads "Đạt"/"Chưa đạt"/"1"/"0"/"x" style answers.
pub fn parse_met(s: &str) -> Option<bool> {
    match domain::text::fold(s).as_str() {
        "dat" | "1" | "x" | "yes" | "true" | "met" | "co" => Some(true),
        "chua dat" | "khong dat" | "0" | "no" | "false" | "not met" | "khong" => Some(false),
        _ => None,
    }
}

impl App {
    /// The assessment's score sheet as XLSX.
    pub async fn score_sheet(&self, actor: &Actor, id: i64) -> AppResult<Vec<u8>> {
        let rec = self.store.assessment(&actor.scope, id).await?;
        let set = self.assessment_set(&rec).await?;
        let answers = &rec.answers;
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let xl = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.to_string());
        ws.set_name("Phiếu chấm").map_err(xl)?;
        let bold = Format::new().set_bold();
        let wrap = Format::new().set_text_wrap();
        for (c, h) in SHEET_COLUMNS.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold).map_err(xl)?;
        }
        for (i, c) in set.criteria.iter().enumerate() {
            let row = i as u32 + 1;
            ws.write_string(row, 0, &c.code).map_err(xl)?;
            ws.write_string_with_format(row, 1, &c.text, &wrap).map_err(xl)?;
            ws.write_string(row, 2, &c.source).map_err(xl)?;
            if let Some(p) = c.points {
                ws.write_number(row, 3, f64::from(p)).map_err(xl)?;
            }
            let a = answers.iter().find(|a| a.criterion == c.code);
            let answer = if !c.answerable() {
                "(tự tính)".to_string()
            } else {
                match (set.instrument, a) {
                    (Instrument::SafeUnit, Some(Answer { met: Some(true), .. })) => "Đạt".into(),
                    (Instrument::SafeUnit, Some(Answer { met: Some(false), .. })) => "Chưa đạt".into(),
                    (Instrument::Movement, Some(Answer { points: Some(p), .. })) => p.vn(),
                    _ => String::new(),
                }
            };
            ws.write_string(row, 4, &answer).map_err(xl)?;
            ws.write_string(row, 5, a.and_then(|a| a.note.clone()).unwrap_or_default()).map_err(xl)?;
        }
        ws.set_column_width(1, 70).map_err(xl)?;
        ws.set_column_width(5, 40).map_err(xl)?;
        wb.save_to_buffer().map_err(xl)
    }

    /// Imports a filled score sheet into a draft, all or nothing.
    pub async fn import_score_sheet(&self, actor: &Actor, id: i64, table: &Table) -> AppResult<usize> {
        let rec = self.store.assessment(&actor.scope, id).await?;
        let set = self.assessment_set(&rec).await?;
        let mut errors = Vec::new();
        for col in ["code", "answer"] {
            if table.column(col).is_none() {
                errors.push(RowError { row: 1, column: col.into(), code: "import.column_missing".into() });
            }
        }
        let (Some(code_col), Some(answer_col)) = (table.column("code"), table.column("answer")) else {
            return Err(AppError::Rows(errors));
        };
        let note_col = table.column("note");
        let mut answers = Vec::new();
        for (i, r) in table.rows().enumerate() {
            let row = i + 2;
            let code = r.get(code_col).map(|s| s.trim().to_string()).unwrap_or_default();
            let raw = r.get(answer_col).map(|s| s.trim().to_string()).unwrap_or_default();
            let Some(c) = set.criterion(&code) else {
                errors.push(RowError { row, column: "code".into(), code: "assessment.criterion_unknown".into() });
                continue;
            };
            if !c.answerable() || raw.is_empty() {
                continue;
            }
            let note = note_col.and_then(|j| r.get(j)).map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
            match set.instrument {
                Instrument::SafeUnit => match parse_met(&raw) {
                    Some(m) => answers.push(Answer { criterion: code, met: Some(m), points: None, note }),
                    None => errors.push(RowError {
                        row,
                        column: "answer".into(),
                        code: "assessment.answer_met_expected".into(),
                    }),
                },
                Instrument::Movement => match Points::parse(&raw) {
                    Ok(p) if c.points.is_some_and(|max| p <= Points::whole(max)) => {
                        answers.push(Answer { criterion: code, met: None, points: Some(p), note })
                    }
                    Ok(_) => errors.push(RowError {
                        row,
                        column: "answer".into(),
                        code: "assessment.points_above_max".into(),
                    }),
                    Err(key) => errors.push(RowError { row, column: "answer".into(), code: key.into() }),
                },
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Rows(errors));
        }
        let n = answers.len();
        self.update_assessment(actor, id, &answers).await?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn answers_parse_in_vietnamese_and_plain() {
        assert_eq!(super::parse_met("Đạt"), Some(true));
        assert_eq!(super::parse_met("chưa đạt"), Some(false));
        assert_eq!(super::parse_met("1"), Some(true));
        assert_eq!(super::parse_met("có lẽ"), None);
    }
}
