//! The texts of denunciations and crime reports sealed at rest. A denouncer's
//! identity is secret (Luật Tố cáo 2018 Điều 9, Điều 56) and the description and
//! address often carry it (a name, a phone number, "nhà tôi ở …"), so for those
//! kinds both are sealed with the case key like the contact: the database holds
//! `sealed:` + base64 of the ciphertext. Officers and the citizen read them opened;
//! the redacted copy for other officers is made from the opened text as before.
//! Sealed texts are not found by the inbox's text search (receipt codes still are).

use base64::Engine;
use domain::case::CaseKind;
use store::cases::CaseRecord;

use crate::error::AppResult;
use crate::App;

/// Marks a sealed text in a text column.
pub const SEALED_PREFIX: &str = "sealed:";
const PURPOSE: &str = "case_text";

impl App {
    /// The stored form of a case's description or address: sealed for kinds whose
    /// sender is secret, as given otherwise.
    pub(crate) fn seal_case_text(&self, kind: CaseKind, text: &str) -> AppResult<String> {
        if !kind.identity_is_secret() {
            return Ok(text.to_string());
        }
        let sealed = self.sealer.seal(PURPOSE, text.as_bytes())?;
        Ok(format!("{SEALED_PREFIX}{}", base64::engine::general_purpose::STANDARD.encode(sealed)))
    }

    /// The readable form of a stored text (a text that cannot be opened — its key
    /// removed — reads as a marker, never as ciphertext).
    pub(crate) fn open_case_text(&self, stored: &str) -> String {
        let Some(b64) = stored.strip_prefix(SEALED_PREFIX) else { return stored.to_string() };
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .ok()
            .and_then(|bytes| self.sealer.open(PURPOSE, &bytes).ok())
            .and_then(|plain| String::from_utf8(plain).ok())
            .unwrap_or_else(|| "[không mở được nội dung đã mã hóa]".to_string())
    }

    /// Opens a case record's sealed texts in place.
    pub(crate) fn open_case(&self, rec: &mut CaseRecord) {
        rec.description = self.open_case_text(&rec.description);
        if let Some(a) = &rec.address_text {
            rec.address_text = Some(self.open_case_text(a));
        }
    }
}
