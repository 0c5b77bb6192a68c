//! Reading uploaded tables (CSV and XLSX) into rows of text, and the
//! all-or-nothing organisation import.

use std::collections::HashMap;

use domain::organisation::OrganisationFields;
use domain::unit::UnitPlace;
use domain::Level;
use sha2::{Digest, Sha256};
use store::org_import::{ImportAudit, ImportedOrganisation};

use crate::error::AppResult;
use crate::{Actor, App, AppError, RowError};

/// Most data rows accepted in one upload.
pub const MAX_ROWS: usize = 2_000_000;

/// An uploaded table: a header row and data rows, all text. The cells lie back to
/// back in one string, so a million-row upload is a few allocations rather than
/// four million small ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Column names, trimmed and lower-cased.
    pub headers: Vec<String>,
    /// Every data cell, in order.
    text: String,
    /// Where each cell ends in `text`.
    cell_ends: Vec<usize>,
    /// Where each row ends in `cell_ends`.
    row_ends: Vec<usize>,
}

/// One data row of a [`Table`] (row i is spreadsheet row i + 2).
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    text: &'a str,
    /// Where the first cell starts in `text`.
    start: usize,
    /// Where each cell ends in `text`.
    ends: &'a [usize],
}

impl<'a> Row<'a> {
    /// Cell `j`, if the row has that many.
    pub fn get(&self, j: usize) -> Option<&'a str> {
        let end = *self.ends.get(j)?;
        let start = match j.checked_sub(1) {
            Some(k) => self.ends[k],
            None => self.start,
        };
        self.text.get(start..end)
    }

    /// The cells in order.
    pub fn cells(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.ends.len()).filter_map(|j| self.get(j))
    }
}

/// Runs `second` on a scoped thread while `first` runs on this one, and returns
/// both results. A panic on the other thread is a bug; it surfaces here as it would
/// have on one thread.
fn on_two_threads<A, B: Send>(first: impl FnOnce() -> A, second: impl FnOnce() -> B + Send) -> (A, B) {
    std::thread::scope(|scope| {
        let other = scope.spawn(second);
        let a = first();
        (a, other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

/// The Vietnamese column names an officer writes, with or without diacritics and
/// in any case, and the column each stands for.
const VIETNAMESE_HEADERS: &[(&str, &str)] = &[
    ("ten", "name"),
    ("ten to chuc", "name"),
    ("ten co quan, doanh nghiep, nha truong", "name"),
    ("loai", "kind"),
    ("loai hinh", "kind"),
    ("ma xa", "unit_code"),
    ("ma xa, phuong", "unit_code"),
    ("ma don vi", "unit_code"),
    ("ma so thue", "tax_code"),
    ("mst", "tax_code"),
    ("dia chi", "address"),
    ("tinh quan ly", "managed_by_province"),
    ("ma tieu chi", "code"),
    ("tieu chi", "criterion"),
    ("noi dung", "criterion"),
    ("can cu", "source"),
    ("diem toi da", "max_points"),
    ("diem chuan", "max_points"),
    ("tra loi", "answer"),
    ("diem tu cham", "answer"),
    ("ghi chu", "note"),
    ("ly do", "reason"),
    ("ly do mien", "reason"),
];

/// A header as the importers know it: trimmed and lower-cased, a Vietnamese name
/// ("Mã số thuế", "Tên", "Mã xã") turned into its column's ("tax_code", "name",
/// "unit_code").
fn canonical_header(h: &str) -> String {
    let folded = domain::text::fold(h);
    match VIETNAMESE_HEADERS.iter().find(|(vi, _)| *vi == folded) {
        Some((_, column)) => (*column).to_string(),
        None => h.trim().to_lowercase(),
    }
}

impl Table {
    /// A table with these column names (trimmed, lower-cased, Vietnamese names
    /// turned into the columns' own) and no rows.
    pub fn with_headers<'s>(headers: impl IntoIterator<Item = &'s str>) -> Table {
        Table { headers: headers.into_iter().map(canonical_header).collect(), ..Table::default() }
    }

    /// Number of data rows.
    pub fn len(&self) -> usize {
        self.row_ends.len()
    }

    /// Whether there are no data rows.
    pub fn is_empty(&self) -> bool {
        self.row_ends.is_empty()
    }

    /// Data row `i`.
    pub fn row(&self, i: usize) -> Option<Row<'_>> {
        let end = *self.row_ends.get(i)?;
        let first = match i.checked_sub(1) {
            Some(k) => self.row_ends[k],
            None => 0,
        };
        let start = first.checked_sub(1).map_or(0, |k| self.cell_ends[k]);
        Some(Row { text: &self.text, start, ends: &self.cell_ends[first..end] })
    }

    /// The data rows in order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> + '_ {
        (0..self.len()).filter_map(|i| self.row(i))
    }

    /// Appends a data row.
    pub fn push_row<'s>(&mut self, cells: impl IntoIterator<Item = &'s str>) {
        for c in cells {
            self.text.push_str(c);
            self.cell_ends.push(self.text.len());
        }
        self.row_ends.push(self.cell_ends.len());
    }

    /// Appends the rows of `other` (its headers are ignored).
    fn append(&mut self, other: Table) {
        let (text, cells) = (self.text.len(), self.cell_ends.len());
        self.text.push_str(&other.text);
        self.cell_ends.extend(other.cell_ends.iter().map(|e| e + text));
        self.row_ends.extend(other.row_ends.iter().map(|e| e + cells));
    }

    /// Parses CSV (UTF-8, optional BOM, comma separated, first line the header).
    /// A large file is read in two halves on two threads, split at a record boundary
    /// found by the same CSV state machine, so the rows are exactly those of one pass.
    pub fn from_csv(bytes: &[u8]) -> AppResult<Table> {
        Table::from_csv_splitting(bytes, PARALLEL_MIN_CSV_BYTES)
    }

    /// [`Table::from_csv`], reading in two halves when the body has at least `min_split` bytes.
    fn from_csv_splitting(bytes: &[u8], min_split: usize) -> AppResult<Table> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let headers = rdr.byte_headers().map_err(|_| csv_malformed())?;
        let headers: Vec<&str> =
            headers.iter().map(std::str::from_utf8).collect::<Result<_, _>>().map_err(|_| not_utf8())?;
        let mut table = Table::with_headers(headers);
        let body = &bytes[rdr.position().byte() as usize..];
        let split = if body.len() >= min_split { record_boundary_after(body, body.len() / 2) } else { None };
        match split {
            Some(at) => {
                let (first, second) = on_two_threads(|| csv_records(&body[..at]), || csv_records(&body[at..]));
                table.append(first?);
                table.append(second?);
            }
            None => table.append(csv_records(body)?),
        }
        if table.len() > MAX_ROWS {
            return Err(AppError::Validation(domain::ValidationError::one("file", "import.too_many_rows")));
        }
        Ok(table)
    }

    /// Index of a column by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }
}

/// CSV bodies at least this long are read on two threads.
const PARALLEL_MIN_CSV_BYTES: usize = 4 << 20;

fn csv_malformed() -> AppError {
    AppError::Validation(domain::ValidationError::one("file", "import.csv_malformed"))
}

fn not_utf8() -> AppError {
    AppError::Unsupported("import.not_utf8")
}

/// Whether a CSV field holds nothing but white space.
fn is_blank(field: &[u8]) -> bool {
    field.iter().all(u8::is_ascii_whitespace)
        || (!field.is_ascii() && std::str::from_utf8(field).is_ok_and(|f| f.trim().is_empty()))
}

/// The data records of a CSV body (no header line), blank records left out; stops
/// past [`MAX_ROWS`] (the caller rejects the file). The bytes are checked to be
/// UTF-8 once, at the end, in one pass over the cells.
fn csv_records(body: &[u8]) -> AppResult<Table> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(body);
    let mut record = csv::ByteRecord::new();
    let mut text = Vec::with_capacity(body.len());
    let (mut cell_ends, mut row_ends) = (Vec::new(), Vec::new());
    while rdr.read_byte_record(&mut record).map_err(|_| csv_malformed())? {
        if record.iter().all(is_blank) {
            continue;
        }
        for field in &record {
            text.extend_from_slice(field);
            cell_ends.push(text.len());
        }
        row_ends.push(cell_ends.len());
        if row_ends.len() > MAX_ROWS {
            break;
        }
    }
    // Every cell boundary is an ASCII delimiter or quote, so valid text is valid cell by cell.
    let text = String::from_utf8(text).map_err(|_| not_utf8())?;
    Ok(Table { headers: Vec::new(), text, cell_ends, row_ends })
}

/// The byte offset just past the first record of `body` that ends at or after
/// `from`, found with the CSV state machine the reader uses (so quoted line breaks
/// are never taken for record ends); `None` when no record ends there.
fn record_boundary_after(body: &[u8], from: usize) -> Option<usize> {
    use csv_core::ReadRecordResult;
    let mut machine = csv_core::Reader::new();
    let (mut out, mut ends) = (vec![0u8; 1 << 16], vec![0usize; 1 << 10]);
    let mut pos = 0;
    loop {
        let (result, read, _, _) = machine.read_record(&body[pos..], &mut out, &mut ends);
        pos += read;
        match result {
            ReadRecordResult::Record if pos >= from => return (pos < body.len()).then_some(pos),
            // The whole rest was given: no record ends inside the body after `from`.
            ReadRecordResult::End | ReadRecordResult::InputEmpty => return None,
            // A record longer than the scratch buffers: keep reading, the text is not needed.
            _ => {}
        }
    }
}

/// Rows between two progress reports.
pub const PROGRESS_EVERY: usize = store::org_import::PROGRESS_EVERY;

/// Phase of a running import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Validating rows.
    Checking,
    /// Writing validated rows.
    Writing,
}

/// Progress of a running import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Phase.
    pub phase: Phase,
    /// Rows done in this phase.
    pub done: usize,
    /// Rows in all.
    pub total: usize,
}

/// Columns the organisation import understands.
pub const ORG_COLUMNS: [&str; 6] = ["name", "kind", "unit_code", "tax_code", "address", "managed_by_province"];

impl App {
    /// Imports organisations from a parsed table, all or nothing: every row is
    /// validated (fields, commune exists and lies in the actor's scope) and any
    /// problem rejects the whole file with a per-row report.
    pub async fn import_organisations(&self, actor: &Actor, table: &Table, source: &[u8]) -> AppResult<usize> {
        self.import_organisations_with_progress(actor, table, source, &|_| {}).await
    }

    /// [`App::import_organisations`], reporting progress every [`PROGRESS_EVERY`] rows.
    pub async fn import_organisations_with_progress(
        &self,
        actor: &Actor,
        table: &Table,
        source: &[u8],
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> AppResult<usize> {
        actor.require_police_write()?;
        let mut errors = Vec::new();
        for required in ["name", "kind", "unit_code"] {
            if table.column(required).is_none() {
                errors.push(RowError { row: 1, column: required.into(), code: "import.column_missing".into() });
            }
        }
        for h in &table.headers {
            if !ORG_COLUMNS.contains(&h.as_str()) && !crate::export::EXPORT_COLUMNS.contains(&h.as_str()) {
                errors.push(RowError { row: 1, column: h.clone(), code: "import.column_unknown".into() });
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Rows(errors));
        }
        if table.is_empty() {
            return Err(AppError::Validation(domain::ValidationError::one("file", "import.empty")));
        }
        let started = std::time::Instant::now();
        let communes = self.store.commune_provinces().await?;
        // The scope rule, decided once per commune rather than once per row.
        let allowed: HashMap<&str, &str> = communes
            .iter()
            .filter(|(code, province)| actor.scope.contains(&commune_place(code, province)))
            .map(|(code, province)| (code.as_str(), province.as_str()))
            .collect();
        let idx: Vec<Option<usize>> = ORG_COLUMNS.iter().map(|c| table.column(c)).collect();
        let check = || {
            let total = table.len();
            let done = std::sync::atomic::AtomicUsize::new(0);
            let report = |n: usize| {
                let done = done.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n;
                progress(Progress { phase: Phase::Checking, done, total });
            };
            let ctx = RowCheck { columns: &idx, allowed: &allowed, report: &report };
            // Two halves on two threads for a large file; the file's hash meanwhile.
            let half = if total >= 2 * PARALLEL_MIN_ROWS { total / 2 } else { total };
            let ((first, sha), second) = on_two_threads(
                || (ctx.check(table, 0..half), hex::encode(Sha256::digest(source))),
                || ctx.check(table, half..total),
            );
            (first, second, sha)
        };
        // On a multi-threaded runtime, tell it this worker is busy for a while.
        let ((mut valid, mut errors2), (valid2, errors3), sha) =
            if tokio::runtime::Handle::current().runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread {
                tokio::task::block_in_place(check)
            } else {
                check()
            };
        errors.append(&mut errors2);
        errors.extend(errors3);
        if !errors.is_empty() {
            errors.truncate(MAX_ROW_ERRORS);
            return Err(AppError::Rows(errors));
        }
        valid.extend(valid2);
        let checked = started.elapsed();
        let total = valid.len();
        let audit = ImportAudit::new(
            Some(actor.user_id),
            "organisation.import",
            &serde_json::json!({"imported": total, "sha256": sha}),
        );
        let (sender, mut written) = tokio::sync::watch::channel(0usize);
        let store_write = self.store.import_organisations(valid, audit, sender);
        tokio::pin!(store_write);
        let mut reporting = true;
        let n = loop {
            tokio::select! {
                biased;
                result = &mut store_write => break result?,
                changed = written.changed(), if reporting => match changed {
                    Ok(()) => {
                        let done = *written.borrow_and_update();
                        progress(Progress { phase: Phase::Writing, done, total });
                    }
                    Err(_) => reporting = false,
                },
            }
        };
        tracing::info!(
            rows = n,
            checked_ms = checked.as_millis() as u64,
            written_ms = (started.elapsed() - checked).as_millis() as u64,
            "organisations imported"
        );
        Ok(n)
    }
}

/// Most row errors reported for one file.
pub const MAX_ROW_ERRORS: usize = 1000;

/// Files at least twice this long are checked on two threads.
const PARALLEL_MIN_ROWS: usize = 20_000;

/// What checking a row of the organisation import needs.
struct RowCheck<'a> {
    /// Position of each of [`ORG_COLUMNS`] in the file, if present.
    columns: &'a [Option<usize>],
    /// Communes in the importer's scope → their province.
    allowed: &'a HashMap<&'a str, &'a str>,
    /// Called with the number of rows checked since the last call.
    report: &'a (dyn Fn(usize) + Sync),
}

impl RowCheck<'_> {
    /// Checks the data rows `range` of `table`: the valid ones ready to store, or
    /// the problems (at most [`MAX_ROW_ERRORS`]).
    fn check(&self, table: &Table, range: std::ops::Range<usize>) -> (Vec<ImportedOrganisation>, Vec<RowError>) {
        let mut valid = Vec::with_capacity(range.len());
        let mut errors = Vec::new();
        let first = range.start;
        for (i, r) in range.filter_map(|i| table.row(i)).enumerate() {
            let row = first + i + 2;
            let get = |k: usize| self.columns[k].and_then(|j| r.get(j));
            let input = OrganisationFields {
                name: get(0),
                kind: get(1),
                unit_code: get(2),
                tax_code: get(3),
                address: get(4),
                managed_by_province: get(5)
                    .is_some_and(|v| matches!(v.trim().to_lowercase().as_str(), "1" | "true" | "x" | "có" | "yes")),
            };
            match input.validate() {
                Ok(o) => match self.allowed.get(o.unit_code.as_str()) {
                    Some(p) => valid.push(ImportedOrganisation::new(o, p.to_string())),
                    None => errors.push(RowError { row, column: "unit_code".into(), code: "org.unit_unknown".into() }),
                },
                Err(e) => {
                    errors.extend(e.errors.into_iter().map(|e| RowError { row, column: e.field, code: e.code.into() }))
                }
            }
            if errors.len() >= MAX_ROW_ERRORS {
                break;
            }
            if (i + 1) % PROGRESS_EVERY == 0 {
                (self.report)(PROGRESS_EVERY);
            }
        }
        (valid, errors)
    }
}

/// The place of a commune given its province, for scope checks without I/O.
pub fn commune_place(code: &str, province: &str) -> UnitPlace {
    UnitPlace {
        code: code.to_string(),
        level: Level::Commune,
        province_code: Some(province.to_string()),
        commune_code: Some(code.to_string()),
    }
}

/// Map of valid commune code → province code.
pub type CommuneMap = HashMap<String, String>;

#[cfg(test)]
mod header_tests {
    #[test]
    fn vietnamese_headers_name_the_same_columns() {
        let t = super::Table::with_headers([
            "Tên",
            "LOẠI",
            " Mã xã ",
            "Mã số thuế",
            "dia chi",
            "unit_code",
            "Ghi chú khác",
        ]);
        assert_eq!(t.headers, ["name", "kind", "unit_code", "tax_code", "address", "unit_code", "ghi chú khác"]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_both_ways(csv: &str) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
        let rows = |t: Table| t.rows().map(|r| r.cells().map(str::to_string).collect()).collect();
        let one = Table::from_csv_splitting(csv.as_bytes(), usize::MAX).map(rows).unwrap_or_default();
        let two = Table::from_csv_splitting(csv.as_bytes(), 0).map(rows).unwrap_or_default();
        (one, two)
    }

    #[test]
    fn a_quoted_line_break_is_not_a_split_point() {
        let csv = "name,kind\n\"a\nb\nc\nd\nе\nf\",school\n\"x\",other\r\ny,agency\n";
        let (one, two) = rows_both_ways(csv);
        assert_eq!(one.len(), 3);
        assert_eq!(one, two);
    }

    #[test]
    fn large_files_split_at_a_record_boundary() {
        let body: String = (0..120_000).map(|i| format!("\"Công ty, số {i}\"\"\",enterprise,00004\r\n")).collect();
        let bytes = format!("name,kind,unit_code\n{body}");
        let table = Table::from_csv(bytes.as_bytes()).expect("parses");
        assert!(bytes.len() >= PARALLEL_MIN_CSV_BYTES);
        assert_eq!(table.len(), 120_000);
        assert_eq!(table.row(60_000).and_then(|r| r.get(0)), Some("Công ty, số 60000\""));
        assert_eq!(table.row(60_000).and_then(|r| r.get(2)), Some("00004"));
        assert_eq!(table.row(60_000).and_then(|r| r.get(3)), None);
        assert!(table.row(120_000).is_none());
        assert!(table.rows().enumerate().all(|(i, r)| r.get(0) == Some(&format!("Công ty, số {i}\"")[..])));
    }

    proptest::proptest! {
        #[test]
        fn two_halves_read_like_one_pass(body in "[a\",\n\r ế]{0,200}") {
            let (one, two) = rows_both_ways(&format!("h1,h2\n{body}"));
            proptest::prop_assert_eq!(one, two);
        }
    }
}
