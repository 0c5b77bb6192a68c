//! Exports of organisation lists to CSV and XLSX.

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
        o.kind.clone(),
        o.tax_code.clone().unwrap_or_default(),
        o.address.clone().unwrap_or_default(),
        o.unit_code.clone(),
        o.unit_name.clone(),
        o.province_name.clone(),
        o.managed_by_province.to_string(),
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
            w.write_record(fields(o)).map_err(io)?;
        }
        w.into_inner().map_err(|e| AppError::Internal(e.to_string()))
    }

    /// All organisations in scope matching `f`, as an XLSX workbook.
    pub async fn export_organisations_xlsx(&self, actor: &Actor, f: &OrgFilter) -> AppResult<Vec<u8>> {
        let rows = self.store.all_organisations(&actor.scope, f).await?;
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let xl = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.to_string());
        ws.set_name("organisations").map_err(xl)?;
        let bold = Format::new().set_bold();
        for (c, h) in EXPORT_COLUMNS.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold).map_err(xl)?;
        }
        for (r, o) in rows.iter().enumerate() {
            for (c, v) in fields(o).iter().enumerate() {
                ws.write_string(r as u32 + 1, c as u16, v).map_err(xl)?;
            }
        }
        ws.set_column_width(1, 40).map_err(xl)?;
        wb.save_to_buffer().map_err(xl)
    }
}
