//! Uploaded files: what they really are (by their first bytes, not their name) and
//! safe names.

/// Largest evidence file accepted, in bytes.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

/// The content type of an accepted evidence file, told from its first bytes:
/// JPEG, PNG or PDF; anything else (an executable renamed `.jpg`) is `None`.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// A file name safe to store and to send back: no directories, no control or
/// quote characters, at most 120 characters; a default when nothing is left.
pub fn safe_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String =
        base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | ';' | '<' | '>')).take(120).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "tep-dinh-kem".to_string()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_told_by_their_bytes() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(sniff(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(sniff(b"MZ\x90\x00 an executable"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(safe_filename("C:\\Users\\x\\biên bản.pdf"), "biên bản.pdf");
        assert_eq!(safe_filename("../../etc/passwd"), "passwd");
        assert_eq!(safe_filename("\"quoted\";.jpg"), "quoted.jpg");
        assert_eq!(safe_filename("..."), "tep-dinh-kem");
        assert_eq!(safe_filename(&"a".repeat(500)).len(), 120);
    }
}
