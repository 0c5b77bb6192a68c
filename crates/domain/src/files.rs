//! Uploaded files: what they really are (by their first bytes, not their name) and
//! safe names.

/// Largest evidence file accepted, in bytes.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

/// Most evidence files one assessment may hold (a score sheet has at most a few
/// dozen criteria; more files than this is a mistake, not evidence).
pub const MAX_EVIDENCE_FILES: i64 = 30;

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

/// Removes metadata that can identify a person or a place from an image: JPEG
/// APP1 (EXIF with GPS, XMP), APP3–APP13, APP15 and comments; PNG text, EXIF and
/// time chunks. Other files are returned unchanged. `None` when the image is malformed.
pub fn strip_metadata(content_type: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    match content_type {
        "image/jpeg" => strip_jpeg(bytes),
        "image/png" => strip_png(bytes),
        _ => Some(bytes.to_vec()),
    }
}

fn strip_jpeg(b: &[u8]) -> Option<Vec<u8>> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&b[..2]);
    let mut i = 2;
    loop {
        // Skip fill bytes before a marker.
        while i + 1 < b.len() && b[i] == 0xFF && b[i + 1] == 0xFF {
            i += 1;
        }
        if i + 1 >= b.len() || b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        if marker == 0xD9 {
            out.extend_from_slice(&b[i..i + 2]);
            return Some(out);
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            out.extend_from_slice(&b[i..i + 2]);
            i += 2;
            continue;
        }
        if i + 4 > b.len() {
            return None;
        }
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        if len < 2 || i + 2 + len > b.len() {
            return None;
        }
        let segment = &b[i..i + 2 + len];
        if marker == 0xDA {
            // Start of scan: the entropy-coded data and everything after it stay as they are.
            out.extend_from_slice(&b[i..]);
            return Some(out);
        }
        let drop = marker == 0xE1 || (0xE3..=0xED).contains(&marker) || marker == 0xEF || marker == 0xFE;
        if !drop {
            out.extend_from_slice(segment);
        }
        i += 2 + len;
    }
}

fn strip_png(b: &[u8]) -> Option<Vec<u8>> {
    const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !b.starts_with(SIG) {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(SIG);
    let mut i = SIG.len();
    while i < b.len() {
        if i + 8 > b.len() {
            return None;
        }
        let len = u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as usize;
        let end = i.checked_add(12)?.checked_add(len)?;
        if end > b.len() {
            return None;
        }
        let kind = &b[i + 4..i + 8];
        if !matches!(kind, b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME") {
            out.extend_from_slice(&b[i..end]);
        }
        i = end;
        if kind == b"IEND" {
            break;
        }
    }
    Some(out)
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
    fn jpeg_exif_and_comments_are_removed() {
        let exif: &[u8] = b"\xFF\xE1\x00\x10Exif\x00\x00GPS-HERE";
        let jfif: &[u8] = b"\xFF\xE0\x00\x06JFIF";
        let com: &[u8] = b"\xFF\xFE\x00\x06name";
        let scan: &[u8] = b"\xFF\xDA\x00\x04\x01\x02pixels\xFF\xD9";
        let jpeg = [b"\xFF\xD8".as_slice(), jfif, exif, com, scan].concat();
        let out = strip_metadata("image/jpeg", &jpeg).expect("valid");
        assert_eq!(out, [b"\xFF\xD8".as_slice(), jfif, scan].concat());
        assert!(!out.windows(3).any(|w| w == b"GPS"));
        assert_eq!(strip_metadata("image/jpeg", b"\xFF\xD8\xFF\xE1\x00\xFF"), None, "truncated segment");
    }

    #[test]
    fn png_text_chunks_are_removed() {
        fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
            [&(data.len() as u32).to_be_bytes()[..], kind, data, b"CRC!"].concat()
        }
        let sig = b"\x89PNG\r\n\x1a\n".to_vec();
        let png = [
            sig.clone(),
            chunk(b"IHDR", b"hdr"),
            chunk(b"tEXt", b"Author\0An"),
            chunk(b"eXIf", b"gps"),
            chunk(b"IDAT", b"px"),
            chunk(b"IEND", b""),
        ]
        .concat();
        let out = strip_metadata("image/png", &png).expect("valid");
        assert_eq!(out, [sig, chunk(b"IHDR", b"hdr"), chunk(b"IDAT", b"px"), chunk(b"IEND", b"")].concat());
        assert_eq!(strip_metadata("application/pdf", b"%PDF-1"), Some(b"%PDF-1".to_vec()));
        assert_eq!(strip_metadata("image/png", b"\x89PNG\r\n\x1a\n\x00\x00\xFF\xFFIDAT"), None);
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
