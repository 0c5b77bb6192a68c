//! A periodic report as a document in the Nghị định 30/2020/NĐ-CP layout (Phụ lục
//! I): A4; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman;
//! the issuing body (upper case, 12–13 pt, bold) beside the national motto (12–13
//! pt bold) and the tagline (13–14 pt bold); number and place-and-date (13–14 pt
//! italic) on one line; the document type in upper case 13–14 pt bold with its
//! summary below; the body 13–14 pt, justified, first line indented 1 cm, ≥ 6 pt
//! between paragraphs; "Nơi nhận:" 12 pt bold italic with the list in 11 pt; the
//! signer's title 13–14 pt bold. DOCX (what officials edit) through docx-rs; PDF
//! through printpdf with the embedded serif font.

use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType, Table, TableCell,
    TableRow, WidthType,
};

/// What a report document says.
#[derive(Debug, Clone)]
pub struct ReportDocument {
    /// The issuing body, upper case, one line each ("CÔNG AN THÀNH PHỐ HÀ NỘI").
    pub issuer: Vec<String>,
    /// Number line ("Số:      /BC-XDPT").
    pub number: String,
    /// Place and date line ("Hà Nội, ngày 05 tháng 12 năm 2026").
    pub place_date: String,
    /// Summary under "BÁO CÁO".
    pub summary: String,
    /// The figures: (label, value text).
    pub figures: Vec<(String, String)>,
    /// Sections: (heading, text).
    pub sections: Vec<(String, String)>,
    /// Recipients ("Nơi nhận").
    pub recipients: Vec<String>,
    /// Signer's title ("TRƯỞNG PHÒNG").
    pub signer: String,
}

/// Twentieths of a point per millimetre.
fn mm(v: f32) -> i32 {
    (v * 56.693).round() as i32
}

fn run(text: &str, size_pt: usize) -> Run {
    Run::new().add_text(text).size(size_pt * 2)
}

fn centred(r: Run) -> Paragraph {
    Paragraph::new().add_run(r).align(AlignmentType::Center)
}

fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, 14))
        .align(AlignmentType::Both)
        .indent(None, Some(SpecialIndentType::FirstLine(mm(10.0))), None, None)
        .line_spacing(LineSpacing::new().after(120))
}

fn borderless(cells: Vec<TableCell>) -> Table {
    Table::new(vec![TableRow::new(cells)]).clear_all_border()
}

/// The head: issuing body beside the motto; number beside place and date.
fn head(d: &ReportDocument) -> Table {
    let mut left = TableCell::new().width(mm(70.0) as usize, WidthType::Dxa).clear_all_border();
    for line in &d.issuer {
        left = left.add_paragraph(centred(run(line, 13).bold()));
    }
    left = left.add_paragraph(centred(run("_______", 13))).add_paragraph(centred(run(&d.number, 13)));
    let right = TableCell::new()
        .width(mm(95.0) as usize, WidthType::Dxa)
        .clear_all_border()
        .add_paragraph(centred(run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13).bold()))
        .add_paragraph(centred(run("Độc lập - Tự do - Hạnh phúc", 14).bold().underline("single")))
        .add_paragraph(centred(run("", 13)))
        .add_paragraph(centred(run(&d.place_date, 14).italic()));
    borderless(vec![left, right])
}

fn figures_table(rows: &[(String, String)]) -> Table {
    let row = |a: &str, b: &str, bold: bool| {
        let cell = |t: &str, w: f32| {
            let r = if bold { run(t, 13).bold() } else { run(t, 13) };
            TableCell::new().width(mm(w) as usize, WidthType::Dxa).add_paragraph(Paragraph::new().add_run(r))
        };
        TableRow::new(vec![cell(a, 120.0), cell(b, 45.0)])
    };
    let mut all = vec![row("Chỉ tiêu", "Số liệu", true)];
    all.extend(rows.iter().map(|(a, b)| row(a, b, false)));
    Table::new(all)
}

/// The report as a DOCX file.
pub fn report_docx(d: &ReportDocument) -> Result<Vec<u8>, String> {
    let font = "Times New Roman";
    let mut doc = Docx::new()
        .page_size(11906, 16838)
        .page_margin(PageMargin::new().top(mm(20.0)).bottom(mm(20.0)).left(mm(30.0)).right(mm(15.0)))
        .default_fonts(RunFonts::new().ascii(font).hi_ansi(font).cs(font).east_asia(font))
        .default_size(28)
        .add_table(head(d))
        .add_paragraph(centred(run("", 14)))
        .add_paragraph(centred(run("BÁO CÁO", 14).bold()))
        .add_paragraph(centred(run(&d.summary, 14).bold()))
        .add_paragraph(centred(run("_______", 14)));
    for (i, (heading, text)) in d.sections.iter().enumerate() {
        doc = doc.add_paragraph(Paragraph::new().add_run(run(&format!("{}. {heading}", i + 1), 14).bold()));
        if i == 1 {
            doc = doc.add_table(figures_table(&d.figures));
        }
        for para in text.split('\n').map(str::trim).filter(|p| !p.is_empty()) {
            doc = doc.add_paragraph(body(para));
        }
    }
    let mut recipients = TableCell::new()
        .width(mm(80.0) as usize, WidthType::Dxa)
        .clear_all_border()
        .add_paragraph(Paragraph::new().add_run(run("Nơi nhận:", 12).bold().italic()));
    for r in &d.recipients {
        recipients = recipients.add_paragraph(Paragraph::new().add_run(run(&format!("- {r}"), 11)));
    }
    let signer = TableCell::new()
        .width(mm(85.0) as usize, WidthType::Dxa)
        .clear_all_border()
        .add_paragraph(centred(run(&d.signer, 14).bold()));
    doc = doc.add_paragraph(Paragraph::new()).add_table(borderless(vec![recipients, signer]));
    let mut out = Vec::new();
    doc.build().pack(std::io::Cursor::new(&mut out)).map_err(|e| e.to_string())?;
    Ok(out)
}

/// The report as a PDF (the same content, for printing and archiving).
pub fn report_pdf(d: &ReportDocument) -> Result<Vec<u8>, String> {
    use crate::documents::ReportLine;
    let mut lines = Vec::new();
    for (i, (heading, text)) in d.sections.iter().enumerate() {
        lines.push(ReportLine::Heading(format!("{}. {heading}", i + 1)));
        if i == 1 {
            lines.extend(d.figures.iter().map(|(label, value)| ReportLine::Figure(label.clone(), value.clone())));
        }
        for para in text.split('\n').map(str::trim).filter(|p| !p.is_empty()) {
            lines.push(ReportLine::Paragraph(para.to_string()));
        }
    }
    crate::documents::text_report_pdf(&crate::documents::TextReport {
        issuer: d.issuer.clone(),
        number: d.number.clone(),
        place_date: d.place_date.clone(),
        title: "BÁO CÁO".into(),
        summary: d.summary.clone(),
        lines,
        recipients: d.recipients.clone(),
        signer: d.signer.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_docx_holds_the_layout_and_the_text() {
        let d = ReportDocument {
            issuer: vec!["CÔNG AN THÀNH PHỐ HÀ NỘI".into(), "PHÒNG XÂY DỰNG PHONG TRÀO".into()],
            number: "Số:      /BC-XDPT".into(),
            place_date: "Hà Nội, ngày 05 tháng 12 năm 2026".into(),
            summary: "Kết quả phong trào quý IV năm 2026".into(),
            figures: vec![("Nhiệm vụ hoàn thành".into(), "12/14".into())],
            sections: vec![("Tình hình chung".into(), "Ổn định.".into()), ("Kết quả thực hiện".into(), String::new())],
            recipients: vec!["Cục Xây dựng phong trào bảo vệ ANTQ;".into(), "Lưu: VT.".into()],
            signer: "TRƯỞNG PHÒNG".into(),
        };
        let bytes = report_docx(&d).unwrap_or_default();
        assert!(bytes.starts_with(b"PK"), "a ZIP package");
        let pdf = report_pdf(&d).unwrap_or_default();
        assert!(pdf.starts_with(b"%PDF"));
        if let Ok(dir) = std::env::var("PHONGTRAO_WRITE_SAMPLE_REPORT") {
            let _ = std::fs::write(format!("{dir}/report.docx"), &bytes);
            let _ = std::fs::write(format!("{dir}/report.pdf"), &pdf);
        }
    }
}
