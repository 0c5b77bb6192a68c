//! QR codes drawn as SVG on the server (nothing fetched, no script): the
//! authenticator link at TOTP enrolment, and links printed on documents.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::error::AppResult;
use crate::AppError;

/// `text` as a QR code: an `<svg>` element (no XML prologue, so that it can sit
/// inside a page), at least `size` pixels wide, black on white with its quiet zone.
pub fn svg(text: &str, size: u32) -> AppResult<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| AppError::Internal(format!("qr code: {e}")))?;
    let image = code.render::<svg::Color<'_>>().min_dimensions(size, size).quiet_zone(true).build();
    // The renderer starts with an XML declaration; a page wants the element alone.
    let start = image.find("<svg").unwrap_or(0);
    Ok(image[start..].to_string())
}

/// `text` as a QR code's modules, for drawing it elsewhere (a PDF): the width in
/// modules (quiet zone excluded) and, row by row from the top, whether each is dark.
pub fn modules(text: &str) -> AppResult<(usize, Vec<bool>)> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| AppError::Internal(format!("qr code: {e}")))?;
    let dark = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Ok((code.width(), dark))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_qr_code_is_an_svg_element() {
        let s = super::svg("otpauth://totp/phongtrao:bo?secret=ABC&issuer=phongtrao", 200).unwrap_or_default();
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"), "{}", &s[..s.len().min(80)]);
        assert!(s.contains("<path") || s.contains("<rect"));
    }
}
