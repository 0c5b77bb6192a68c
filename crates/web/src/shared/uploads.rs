//! Spreadsheet and CSV uploads: the format told from the type and the first bytes,
//! read by the application behind its upload gate (rights first, off the async threads).

use crate::AppState;
use app::import::Table;
use app::uploads::{TableFormat, UploadTarget};

/// The format of an upload from its declared type (and its first bytes when the
/// type says nothing): CSV or XLSX; anything else is `None` (415).
pub fn upload_kind(content_type: &str, bytes: &[u8]) -> Option<TableFormat> {
    let ct = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match ct.as_str() {
        "text/csv" | "text/plain" | "application/csv" => Some(TableFormat::Csv),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" | "application/vnd.ms-excel" => {
            Some(TableFormat::Xlsx)
        }
        "application/octet-stream" | "" if bytes.starts_with(b"PK\x03\x04") => Some(TableFormat::Xlsx),
        _ => None,
    }
}

/// Reads an uploaded CSV or XLSX into a table for `target`: the caller's right to
/// the target first (nothing is parsed without it), then the type (415
/// `import.unsupported_type`), then the parse off the async threads.
pub async fn read_upload(
    s: &AppState,
    actor: &app::Actor,
    target: UploadTarget,
    content_type: &str,
    bytes: axum::body::Bytes,
) -> Result<Table, app::AppError> {
    let format = upload_kind(content_type, &bytes);
    s.app.read_table(actor, target, format, bytes).await
}

/// Reads the first file field of a multipart form: (content type, bytes).
pub(crate) async fn first_file_typed(mp: &mut axum::extract::Multipart) -> Option<(String, Vec<u8>)> {
    while let Ok(Some(field)) = mp.next_field().await {
        if field.file_name().is_some() || field.name() == Some("file") {
            let ct = field.content_type().unwrap_or("").to_string();
            let name = field.file_name().unwrap_or("").to_lowercase();
            let bytes = field.bytes().await.ok()?.to_vec();
            // Browsers send CSV under several types; trust the extension for CSV.
            let ct = if name.ends_with(".csv") {
                "text/csv".to_string()
            } else if name.ends_with(".xlsx") && !bytes.is_empty() {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()
            } else {
                ct
            };
            return Some((ct, bytes));
        }
    }
    None
}

/// Reads the first file field of a multipart form: (file name, content type, bytes).
pub(crate) async fn first_named_file(mp: &mut axum::extract::Multipart) -> Option<(String, String, Vec<u8>)> {
    while let Ok(Some(field)) = mp.next_field().await {
        if field.file_name().is_some() || field.name() == Some("file") {
            let name = field.file_name().unwrap_or("").to_string();
            let ct = field.content_type().unwrap_or("").to_string();
            return Some((name, ct, field.bytes().await.ok()?.to_vec()));
        }
    }
    None
}

/// Reads the first file field's bytes.
pub(crate) async fn first_file(mp: &mut axum::extract::Multipart) -> Option<Vec<u8>> {
    first_file_typed(mp).await.map(|(_, b)| b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_kinds() {
        assert_eq!(upload_kind("text/csv; charset=utf-8", b"a"), Some(TableFormat::Csv));
        assert_eq!(upload_kind("application/octet-stream", b"PK\x03\x04..."), Some(TableFormat::Xlsx));
        assert_eq!(upload_kind("application/octet-stream", b"MZ"), None);
        assert_eq!(upload_kind("image/png", b""), None);
    }
}
