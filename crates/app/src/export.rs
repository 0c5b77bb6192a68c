//! Exports of lists to CSV and XLSX: organisations, assessments, models, and the
//! officer's cases (never a citizen's contact).

use domain::clock::iso;
use domain::model::KeyAreaAction;
use rust_xlsxwriter::{Format, Workbook};
use store::organisations::{OrgFilter, OrganisationRecord};

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// Column headers of an export. The import reads the columns it knows by these
/// names and ignores the read-only ones (`id`, `unit_name`, `province_name`), so an
/// exported file imports back as new records.
pub const EXPORT_COLUMNS: [&str; 9] =
    ["id", "name", "kind", "tax_code", "address", "unit_code", "unit_name", "province_name", "managed_by_province"];

fn fields(o: &OrganisationRecord) -> [String; 9] {
    [
        o.id.to_string(),
        o.name.clone(),
        o.kind.as_str().to_string(),
        o.tax_code.clone().unwrap_or_default(),
        o.address.clone().unwrap_or_default(),
        o.unit_code.clone(),
        o.unit_name.clone(),
        o.province_name.clone(),
        i64::from(o.managed_by_province).to_string(),
    ]
}

impl App {
    /// All organisations in scope matching `f`, as CSV (UTF-8 with BOM so Excel reads diacritics).
    pub async fn export_organisations_csv(&self, actor: &Actor, f: &OrgFilter) -> AppResult<Vec<u8>> {
        let rows = self.store.all_organisations(&actor.scope, f).await?;
        let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
        let io = |e: csv::Error| AppError::Internal(e.to_string());
        w.write_record(EXPORT_COLUMNS).map_err(io)?;
        for o in &rows {
            // No cell may start a formula in the spreadsheet that opens the file.
            w.write_record(fields(o).iter().map(|c| domain::text::csv_safe(c).into_owned())).map_err(io)?;
        }
        w.into_inner().map_err(|e| AppError::Internal(e.to_string()))
    }

    /// All organisations in scope matching `f`, as an XLSX workbook.
    pub async fn export_organisations_xlsx(&self, actor: &Actor, f: &OrgFilter) -> AppResult<Vec<u8>> {
        let rows: Vec<Vec<String>> =
            self.store.all_organisations(&actor.scope, f).await?.iter().map(|o| fields(o).to_vec()).collect();
        xlsx_table("organisations", &EXPORT_COLUMNS, &rows)
    }

    /// The assessments in scope (or a unit inside it) matching `f`, as XLSX.
    pub async fn export_assessments_xlsx(
        &self,
        actor: &Actor,
        unit: Option<&str>,
        f: &store::assessments::AssessmentFilter,
    ) -> AppResult<Vec<u8>> {
        let scope = self.narrowed_scope(actor, unit).await?;
        let all = all_pages(1000, |offset| self.store.list_assessments(&scope, f, 1000, offset)).await?;
        let rows: Vec<Vec<String>> = all
            .iter()
            .map(|a| {
                vec![
                    a.id.to_string(),
                    a.year.to_string(),
                    a.instrument.as_str().to_string(),
                    a.subject.as_str().to_string(),
                    a.unit_code.clone().unwrap_or_default(),
                    a.organisation_id.map(|i| i.to_string()).unwrap_or_default(),
                    a.province_code.clone(),
                    a.commune_code.clone().unwrap_or_default(),
                    a.status.as_str().to_string(),
                    a.passed.map(|p| if p { "dat" } else { "chua_dat" }.to_string()).unwrap_or_default(),
                    a.total_points.map(|p| p.vn()).unwrap_or_default(),
                    a.level.clone().unwrap_or_default(),
                    a.decision_number.clone().unwrap_or_default(),
                    a.decision_date.map(iso).unwrap_or_default(),
                    i64::from(a.late).to_string(),
                ]
            })
            .collect();
        let head = [
            "id",
            "year",
            "instrument",
            "subject",
            "unit_code",
            "organisation_id",
            "province_code",
            "commune_code",
            "status",
            "passed",
            "total_points",
            "level",
            "decision_number",
            "decision_date",
            "late",
        ];
        xlsx_table("assessments", &head, &rows)
    }

    /// The models register in scope, as XLSX.
    pub async fn export_models_xlsx(&self, actor: &Actor) -> AppResult<Vec<u8>> {
        let all = all_pages(1000, |offset| self.store.list_models(&actor.scope, 1000, offset)).await?;
        let rows: Vec<Vec<String>> = all
            .iter()
            .map(|m| {
                vec![
                    m.id.to_string(),
                    m.name.clone(),
                    m.type_code.clone(),
                    m.unit_code.clone(),
                    m.province_code.clone(),
                    iso(m.started_on),
                    m.status.as_str().to_string(),
                    m.latest_verdict.map(|v| v.as_str().to_string()).unwrap_or_default(),
                    i64::from(m.dan_van_kheo).to_string(),
                    m.partners.clone().unwrap_or_default(),
                    m.replicates_id.map(|i| i.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        let head = [
            "id",
            "name",
            "type_code",
            "unit_code",
            "province_code",
            "started_on",
            "status",
            "latest_verdict",
            "dan_van_kheo",
            "partners",
            "replicates_id",
        ];
        xlsx_table("models", &head, &rows)
    }
}

impl App {
    /// The officer inbox (all pages of the filter) as XLSX — never a citizen's contact.
    pub async fn export_cases_xlsx(&self, actor: &Actor, mut f: store::cases::CaseFilter) -> AppResult<Vec<u8>> {
        f.limit = 200;
        let all = all_pages(200, |offset| {
            let page = store::cases::CaseFilter { offset, ..f.clone() };
            async move { self.list_cases(actor, page).await }
        })
        .await?;
        let rows: Vec<Vec<String>> = all
            .iter()
            .map(|c| {
                vec![
                    c.receipt_code.clone(),
                    c.kind.as_str().to_string(),
                    c.status.as_str().to_string(),
                    c.unit_code.clone(),
                    c.unit_name.clone(),
                    c.place_code.clone(),
                    iso(c.received_on),
                    c.accepted_on.map(iso).unwrap_or_default(),
                    c.due_date.map(iso).unwrap_or_default(),
                    c.due_rule.clone().unwrap_or_default(),
                    c.escalation_level.to_string(),
                    c.answered_on_time.map(|v| i64::from(v).to_string()).unwrap_or_default(),
                    c.rating.map(|v| v.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        let head = [
            "receipt_code",
            "kind",
            "status",
            "unit_code",
            "unit_name",
            "place_code",
            "received_on",
            "accepted_on",
            "due_date",
            "due_rule",
            "escalation_level",
            "answered_on_time",
            "rating",
        ];
        xlsx_table("cases", &head, &rows)
    }
}

/// Every row of a paged list: asks `page(offset)` for `size` rows at a time until the
/// total it reports is reached.
pub(crate) async fn all_pages<T, E, F, Fut>(size: i64, mut page: F) -> AppResult<Vec<T>>
where
    F: FnMut(i64) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, i64), E>>,
    AppError: From<E>,
{
    let mut all = Vec::new();
    let mut offset = 0;
    loop {
        let (rows, total) = page(offset).await?;
        let done = rows.is_empty();
        all.extend(rows);
        offset += size;
        if done || offset >= total {
            return Ok(all);
        }
    }
}

/// One worksheet: a bold header row, then the rows as text.
pub fn xlsx_table(sheet: &str, headers: &[&str], rows: &[Vec<String>]) -> AppResult<Vec<u8>> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let xl = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.to_string());
    ws.set_name(sheet).map_err(xl)?;
    let bold = Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold).map_err(xl)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v).map_err(xl)?;
        }
    }
    ws.set_column_width(1, 40).map_err(xl)?;
    wb.save_to_buffer().map_err(xl)
}

impl App {
    /// The key-area decisions in scope (or a unit inside it), optionally of a year, as XLSX.
    pub async fn export_key_areas_xlsx(
        &self,
        actor: &Actor,
        unit: Option<&str>,
        year: Option<i64>,
    ) -> AppResult<Vec<u8>> {
        let all = all_pages(1000, |offset| self.list_key_areas(actor, unit, year, 1000, offset)).await?;
        let rows: Vec<Vec<String>> = all
            .iter()
            .map(|k| {
                let action = match k.action {
                    KeyAreaAction::Designate => "Đưa vào",
                    KeyAreaAction::Remove => "Đưa ra",
                };
                vec![
                    k.unit_code.clone(),
                    k.unit_name.clone(),
                    action.to_string(),
                    k.decision_number.clone(),
                    iso(k.decision_date),
                ]
            })
            .collect();
        xlsx_table(
            "dia_ban_trong_diem",
            &["Mã xã", "Xã, phường, đặc khu", "Quyết định", "Số quyết định", "Ngày quyết định"],
            &rows,
        )
    }

    /// Every commune in scope (or a unit inside it) with its criterion 19 of a year, as XLSX.
    pub async fn export_criterion19_xlsx(
        &self,
        actor: &Actor,
        unit: Option<&str>,
        year: i64,
        met: Option<bool>,
    ) -> AppResult<Vec<u8>> {
        let all = all_pages(1000, |offset| self.list_criterion19(actor, unit, year, met, 1000, offset)).await?;
        let rows: Vec<Vec<String>> = all
            .iter()
            .map(|c| {
                let v = match c.met {
                    Some(true) => "Đạt",
                    Some(false) => "Chưa đạt",
                    None => "Chưa báo cáo",
                };
                vec![c.unit_code.clone(), c.unit_name.clone(), year.to_string(), v.to_string()]
            })
            .collect();
        xlsx_table("tieu_chi_19", &["Mã xã", "Xã, phường, đặc khu", "Năm", "Tiêu chí 19"], &rows)
    }
}
