//! Generated files as answers: the XLSX type, `file_response` and an RFC 5987
//! `Content-Disposition`.

/// MIME type of XLSX workbooks.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A generated file as a response, or the error in the API's shape. `inline` files
/// (PDF) open in the browser; the others download.
pub fn file_response(
    result: Result<Vec<u8>, app::AppError>,
    content_type: &str,
    filename: &str,
    inline: bool,
    lang: crate::shared::i18n::Lang,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match result {
        Ok(bytes) => {
            let disposition = content_disposition(inline, filename);
            (
                [
                    (axum::http::header::CONTENT_TYPE, content_type.to_string()),
                    (axum::http::header::CONTENT_DISPOSITION, disposition),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => crate::shared::error::ApiError::new(e, lang).into_response(),
    }
}

/// `Content-Disposition` of a download: an ASCII `filename` (diacritics dropped,
/// anything unsafe as `_`) for old clients and the exact name as RFC 5987
/// `filename*=UTF-8''…` (so "Biên bản.pdf" arrives as such, not as mojibake).
pub fn content_disposition(inline: bool, filename: &str) -> String {
    let kind = if inline { "inline" } else { "attachment" };
    let plain = |c: char| (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ';
    if filename.chars().all(plain) {
        return format!("{kind}; filename=\"{filename}\"");
    }
    let ascii: String = domain::text::fold(filename).chars().map(|c| if plain(c) { c } else { '_' }).collect();
    let mut encoded = String::new();
    for b in filename.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod disposition_tests {
    use super::content_disposition;

    #[test]
    fn non_ascii_names_travel_as_rfc_5987() {
        assert_eq!(content_disposition(false, "mo-hinh.xlsx"), "attachment; filename=\"mo-hinh.xlsx\"");
        assert_eq!(
            content_disposition(true, "Biên bản.pdf"),
            "inline; filename=\"bien ban.pdf\"; filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n.pdf"
        );
        assert_eq!(
            content_disposition(false, "a\"b\r\n.pdf"),
            "attachment; filename=\"a_b .pdf\"; filename*=UTF-8''a%22b%0D%0A.pdf"
        );
    }
}
