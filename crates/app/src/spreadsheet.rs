//! Reading the first worksheet of an uploaded XLSX file with bounded memory and
//! time, whatever the file declares.
//!
//! An XLSX file is a ZIP archive of XML parts, and its parts may declare sizes
//! that general readers trust: a shared-strings part saying `uniqueCount="10^11"`,
//! or a sheet with cells at `A1` and `XFD1048576` only (a dense range of 1.7·10^10
//! cells). This reader trusts nothing declared:
//!
//! - each part is inflated through a counter that stops at [`MAX_PART_BYTES`] and at
//!   a compression ratio of [`MAX_RATIO`] (ZIP bombs), and a part whose declared
//!   size is already beyond the bound is refused before it is inflated;
//! - shared strings are pushed one by one as they are read (no reservation from
//!   the declared count, which is refused beyond [`MAX_SHARED_STRINGS`]);
//! - cells are streamed into rows; only cells that exist are kept, columns past
//!   [`MAX_COLUMNS`] are refused, and the text kept is bounded by
//!   [`MAX_TABLE_BYTES`] (a short shared string referenced a million times cannot
//!   grow it without bound).
//!
//! It is plain blocking code: callers run it off the async worker threads.

use std::io::{BufRead, BufReader, Read};

use quick_xml::events::{BytesRef, BytesStart, Event};

use crate::error::AppResult;
use crate::import::{Table, MAX_ROWS};
use crate::AppError;

/// Largest inflated size of one XML part.
pub const MAX_PART_BYTES: u64 = 128 << 20;
/// Largest ratio of inflated to compressed size (checked past the first MiB).
pub const MAX_RATIO: u64 = 100;
/// Most columns an import sheet may use (the widest import has a few dozen).
pub const MAX_COLUMNS: usize = 256;
/// Most shared strings a workbook may declare or hold.
pub const MAX_SHARED_STRINGS: u64 = 4_000_000;
/// Most text kept from the cells of one sheet.
pub const MAX_TABLE_BYTES: usize = 256 << 20;
/// Most entries in the archive (an XLSX of one sheet has about ten).
pub const MAX_ENTRIES: usize = 10_000;

fn not_spreadsheet() -> AppError {
    AppError::Unsupported("import.not_spreadsheet")
}

fn too_large() -> AppError {
    AppError::Validation(domain::ValidationError::one("file", "import.spreadsheet_too_large"))
}

fn too_wide() -> AppError {
    AppError::Validation(domain::ValidationError::one("file", "import.spreadsheet_too_wide"))
}

fn too_many_rows() -> AppError {
    AppError::Validation(domain::ValidationError::one("file", "import.too_many_rows"))
}

/// A reader that refuses to inflate a part past the byte and ratio bounds.
struct Bounded<R> {
    inner: R,
    read: u64,
    compressed: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        let ratio_broken = self.read > (1 << 20) && self.read > self.compressed.saturating_mul(MAX_RATIO);
        if self.read > MAX_PART_BYTES || ratio_broken {
            return Err(std::io::Error::other(BOUND_BROKEN));
        }
        Ok(n)
    }
}

const BOUND_BROKEN: &str = "part inflates beyond its bound";

/// Whether an XML reading error came from [`Bounded`].
fn is_bound_error(e: &quick_xml::Error) -> bool {
    matches!(e, quick_xml::Error::Io(io) if io.to_string() == BOUND_BROKEN)
}

fn xml_error(e: quick_xml::Error) -> AppError {
    if is_bound_error(&e) {
        too_large()
    } else {
        not_spreadsheet()
    }
}

type Archive<'b> = zip::ZipArchive<std::io::Cursor<&'b [u8]>>;

/// Reads a part through the bounds and hands its XML reader to `f`; `None` when
/// the archive has no such part.
fn with_part<'b, T>(
    zip: &mut Archive<'b>,
    name: &str,
    f: impl FnOnce(
        &mut quick_xml::Reader<BufReader<Bounded<zip::read::ZipFile<'_, std::io::Cursor<&'b [u8]>>>>>,
    ) -> AppResult<T>,
) -> AppResult<Option<T>> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(_) => return Err(not_spreadsheet()),
    };
    if file.size() > MAX_PART_BYTES {
        return Err(too_large());
    }
    let compressed = file.compressed_size().max(1);
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(Bounded { inner: file, read: 0, compressed }));
    xml.config_mut().trim_text(false);
    f(&mut xml).map(Some)
}

/// The local name of an element (`x:row` → `row`).
fn local(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_string()
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == name).map(|a| a.value.to_string())
}

/// The text of an entity or character reference.
fn reference(r: &BytesRef<'_>, out: &mut String) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
        return;
    }
    match r.as_ref() {
        "amp" => out.push('&'),
        "lt" => out.push('<'),
        "gt" => out.push('>'),
        "quot" => out.push('"'),
        "apos" => out.push('\''),
        _ => {}
    }
}

/// The path of the first worksheet, from the workbook and its relationships.
fn first_sheet_path(zip: &mut Archive<'_>) -> AppResult<String> {
    let rid = with_part(zip, "xl/workbook.xml", |xml| {
        let mut buf = Vec::new();
        loop {
            match xml.read_event_into(&mut buf).map_err(xml_error)? {
                Event::Start(e) | Event::Empty(e) if local(&e) == "sheet" => {
                    return Ok(e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == "id")
                        .map(|a| a.value.to_string()));
                }
                Event::Eof => return Ok(None),
                _ => {}
            }
            buf.clear();
        }
    })?
    .ok_or_else(not_spreadsheet)?;
    let Some(rid) = rid else { return Err(AppError::Validation(domain::ValidationError::one("file", "import.empty"))) };
    let target = with_part(zip, "xl/_rels/workbook.xml.rels", |xml| {
        let mut buf = Vec::new();
        loop {
            match xml.read_event_into(&mut buf).map_err(xml_error)? {
                Event::Start(e) | Event::Empty(e)
                    if local(&e) == "Relationship" && attr(&e, "Id").as_deref() == Some(rid.as_str()) =>
                {
                    return Ok(attr(&e, "Target"));
                }
                Event::Eof => return Ok(None),
                _ => {}
            }
            buf.clear();
        }
    })?
    .flatten();
    Ok(match target {
        Some(t) if t.starts_with('/') => t.trim_start_matches('/').to_string(),
        Some(t) => format!("xl/{t}"),
        None => "xl/worksheets/sheet1.xml".to_string(),
    })
}

/// Reads the text inside an `<si>` or `<is>` element (rich runs joined; phonetic
/// runs left out), up to its closing tag.
fn rich_text<R: BufRead>(xml: &mut quick_xml::Reader<R>, closing: &str, out: &mut String) -> AppResult<()> {
    let mut buf = Vec::new();
    let (mut in_t, mut phonetic) = (false, false);
    loop {
        match xml.read_event_into(&mut buf).map_err(xml_error)? {
            Event::Start(e) if local(&e) == "rPh" => phonetic = true,
            Event::End(e) if e.local_name().as_ref() == "rPh" => phonetic = false,
            Event::Start(e) if local(&e) == "t" => in_t = !phonetic,
            Event::End(e) if e.local_name().as_ref() == "t" => in_t = false,
            Event::Text(t) if in_t => out.push_str(&t.xml10_content()),
            Event::CData(t) if in_t => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_t => reference(&r, out),
            Event::End(e) if e.local_name().as_ref() == closing => return Ok(()),
            Event::Eof => return Err(not_spreadsheet()),
            _ => {}
        }
        if out.len() > MAX_TABLE_BYTES {
            return Err(too_large());
        }
        buf.clear();
    }
}

fn shared_strings(zip: &mut Archive<'_>) -> AppResult<Vec<String>> {
    let strings = with_part(zip, "xl/sharedStrings.xml", |xml| {
        let mut strings = Vec::new();
        let mut buf = Vec::new();
        loop {
            match xml.read_event_into(&mut buf).map_err(xml_error)? {
                Event::Start(e) if local(&e) == "sst" => {
                    for key in ["uniqueCount", "count"] {
                        if let Some(n) = attr(&e, key).and_then(|v| v.trim().parse::<u64>().ok()) {
                            if key == "uniqueCount" && n > MAX_SHARED_STRINGS {
                                return Err(too_large());
                            }
                        }
                    }
                }
                Event::Start(e) if local(&e) == "si" => {
                    let mut s = String::new();
                    rich_text(xml, "si", &mut s)?;
                    strings.push(s);
                    if strings.len() as u64 > MAX_SHARED_STRINGS {
                        return Err(too_large());
                    }
                }
                Event::Empty(e) if local(&e) == "si" => strings.push(String::new()),
                Event::Eof => return Ok(strings),
                _ => {}
            }
            buf.clear();
        }
    })?;
    Ok(strings.unwrap_or_default())
}

/// Column index (0-based) and row number (1-based) of a cell reference like `AB12`.
pub fn cell_ref(r: &str) -> Option<(usize, u64)> {
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut col: usize = 0;
    for b in r[..letters].bytes() {
        col = col * 26 + usize::from(b.to_ascii_uppercase() - b'A') + 1;
    }
    let row: u64 = r[letters..].parse().ok()?;
    (row >= 1).then_some((col - 1, row))
}

/// A number cell as the import reads it: whole numbers without a decimal point.
fn number_text(v: &str) -> String {
    match v.trim().parse::<f64>() {
        Ok(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        Ok(f) => f.to_string(),
        Err(_) => v.trim().to_string(),
    }
}

/// The cells of one row being read.
#[derive(Default)]
struct RowCells {
    cells: Vec<String>,
}

impl RowCells {
    fn set(&mut self, col: usize, value: String) -> AppResult<()> {
        if col >= MAX_COLUMNS {
            return Err(too_wide());
        }
        if self.cells.len() <= col {
            self.cells.resize(col + 1, String::new());
        }
        self.cells[col] = value;
        Ok(())
    }
}

/// Reads the first worksheet of an XLSX file into a table: the first non-blank row
/// gives the headers, blank rows are left out.
pub fn read_xlsx(bytes: &[u8]) -> AppResult<Table> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| not_spreadsheet())?;
    if zip.len() > MAX_ENTRIES {
        return Err(too_large());
    }
    let sheet = first_sheet_path(&mut zip)?;
    let strings = shared_strings(&mut zip)?;
    let mut headers: Option<Vec<String>> = None;
    let mut table = Table::default();
    let mut kept = 0usize;
    let mut finish_row = |row: RowCells, headers: &mut Option<Vec<String>>, table: &mut Table| -> AppResult<()> {
        if row.cells.iter().all(|c| c.trim().is_empty()) {
            return Ok(());
        }
        kept += row.cells.iter().map(String::len).sum::<usize>();
        if kept > MAX_TABLE_BYTES {
            return Err(too_large());
        }
        match headers {
            None => {
                *table = Table::with_headers(row.cells.iter().map(String::as_str));
                *headers = Some(row.cells);
            }
            Some(_) => {
                table.push_row(row.cells.iter().map(String::as_str));
                if table.len() > MAX_ROWS {
                    return Err(too_many_rows());
                }
            }
        }
        Ok(())
    };
    with_part(&mut zip, &sheet, |xml| {
        let mut buf = Vec::new();
        let mut row: Option<RowCells> = None;
        let mut next_col = 0usize;
        loop {
            match xml.read_event_into(&mut buf).map_err(xml_error)? {
                Event::Start(e) if local(&e) == "row" => {
                    row = Some(RowCells::default());
                    next_col = 0;
                }
                Event::Empty(e) if local(&e) == "row" => next_col = 0,
                Event::End(e) if e.local_name().as_ref() == "row" => {
                    if let Some(r) = row.take() {
                        finish_row(r, &mut headers, &mut table)?;
                    }
                }
                Event::Start(e) if local(&e) == "c" => {
                    let col = match attr(&e, "r") {
                        Some(r) => cell_ref(&r).ok_or_else(not_spreadsheet)?.0,
                        None => next_col,
                    };
                    if col >= MAX_COLUMNS {
                        return Err(too_wide());
                    }
                    next_col = col + 1;
                    let kind = attr(&e, "t").unwrap_or_default();
                    let value = cell_value(xml, &kind, &strings)?;
                    row.get_or_insert_with(RowCells::default).set(col, value)?;
                }
                Event::Empty(e) if local(&e) == "c" => {
                    if let Some((col, _)) = attr(&e, "r").as_deref().and_then(cell_ref) {
                        if col >= MAX_COLUMNS {
                            return Err(too_wide());
                        }
                        next_col = col + 1;
                    } else {
                        next_col += 1;
                    }
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        if let Some(r) = row.take() {
            finish_row(r, &mut headers, &mut table)?;
        }
        Ok(())
    })?
    .ok_or_else(not_spreadsheet)?;
    if headers.is_none() {
        return Err(AppError::Validation(domain::ValidationError::one("file", "import.empty")));
    }
    Ok(table)
}

/// Reads one `<c>` element's value up to `</c>`.
fn cell_value<R: BufRead>(xml: &mut quick_xml::Reader<R>, kind: &str, strings: &[String]) -> AppResult<String> {
    let mut buf = Vec::new();
    let mut raw = String::new();
    let mut inline = String::new();
    let mut in_v = false;
    loop {
        match xml.read_event_into(&mut buf).map_err(xml_error)? {
            Event::Start(e) if local(&e) == "v" => in_v = true,
            Event::End(e) if e.local_name().as_ref() == "v" => in_v = false,
            Event::Start(e) if local(&e) == "is" => rich_text(xml, "is", &mut inline)?,
            Event::Text(t) if in_v => raw.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_v => reference(&r, &mut raw),
            Event::End(e) if e.local_name().as_ref() == "c" => break,
            Event::Eof => return Err(not_spreadsheet()),
            _ => {}
        }
        if raw.len() > MAX_TABLE_BYTES {
            return Err(too_large());
        }
        buf.clear();
    }
    Ok(match kind {
        "s" => {
            let i: usize = raw.trim().parse().map_err(|_| not_spreadsheet())?;
            strings.get(i).cloned().ok_or_else(not_spreadsheet)?
        }
        "inlineStr" => inline,
        "b" => (raw.trim() == "1").to_string(),
        "str" | "e" | "d" => raw,
        _ => number_text(&raw),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A minimal XLSX with the given shared-strings and sheet XML.
    pub(crate) fn xlsx(shared: Option<&str>, sheet: &str) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut out);
        let o = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        z.start_file("xl/workbook.xml", o).unwrap();
        z.write_all(br#"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>"#).unwrap();
        z.start_file("xl/_rels/workbook.xml.rels", o).unwrap();
        z.write_all(br#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#)
            .unwrap();
        if let Some(s) = shared {
            z.start_file("xl/sharedStrings.xml", o).unwrap();
            z.write_all(s.as_bytes()).unwrap();
        }
        z.start_file("xl/worksheets/sheet1.xml", o).unwrap();
        z.write_all(sheet.as_bytes()).unwrap();
        z.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref("A1"), Some((0, 1)));
        assert_eq!(cell_ref("AB12"), Some((27, 12)));
        assert_eq!(cell_ref("XFD1048576"), Some((16383, 1048576)));
        assert_eq!(cell_ref("1A"), None);
        assert_eq!(cell_ref("A0"), None);
    }

    #[test]
    fn reads_shared_inline_and_numbers() {
        let shared =
            r#"<sst uniqueCount="2"><si><t>tên</t></si><si><r><t>Trường </t></r><r><t>THCS &amp; A</t></r></si></sst>"#;
        let sheet = r#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>mã</t></is></c></row>
            <row r="2"/><row r="3"><c r="A3" t="s"><v>1</v></c><c r="C3"><v>4</v></c><c r="B3"><v>6.5</v></c></row></sheetData></worksheet>"#;
        let t = read_xlsx(&xlsx(Some(shared), sheet)).unwrap();
        assert_eq!(t.headers, vec!["name", "mã"], "the Vietnamese \"tên\" read as the name column");
        assert_eq!(t.len(), 1);
        let r = t.row(0).unwrap();
        assert_eq!(r.get(0), Some("Trường THCS & A"));
        assert_eq!(r.get(1), Some("6.5"));
        assert_eq!(r.get(2), Some("4"));
    }

    #[test]
    fn hostile_declarations_are_refused_quickly() {
        let bomb = r#"<sst uniqueCount="100000000000" count="100000000000"><si><t>a</t></si></sst>"#;
        let sheet = r#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#;
        assert!(matches!(read_xlsx(&xlsx(Some(bomb), sheet)), Err(AppError::Validation(_))));
        let far = r#"<worksheet><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#;
        assert!(matches!(read_xlsx(&xlsx(None, far)), Err(AppError::Validation(_))));
        // Far rows in the first column are fine: nothing dense is built.
        let tall = r#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="A1048576"><v>2</v></c></row></sheetData></worksheet>"#;
        assert_eq!(read_xlsx(&xlsx(None, tall)).unwrap().len(), 1);
    }

    #[test]
    fn inflation_is_bounded() {
        // 8 MiB of one repeated row compresses more than a hundredfold.
        let row = r#"<row><c t="inlineStr"><is><t>x</t></is></c></row>"#;
        let mut sheet = String::from("<worksheet><sheetData>");
        while sheet.len() < 8 << 20 {
            sheet.push_str(row);
        }
        sheet.push_str("</sheetData></worksheet>");
        let r = read_xlsx(&xlsx(None, &sheet));
        assert!(matches!(r, Err(AppError::Validation(_))), "{r:?}");
        assert!(matches!(read_xlsx(b"PK\x03\x04 not a zip"), Err(AppError::Unsupported(_))));
    }
}
