//! Reading a citizen's case form (multipart, with files): used by the public
//! submission (API and page) and the citizen's message page.

use app::cases::{CaseInput, Upload};
use axum::extract::Multipart;

/// Fields of a public submission sent as a multipart form (with files).
#[derive(Default)]
pub struct CaseForm {
    /// The case fields.
    pub input: Option<CaseInput>,
    /// Files.
    pub uploads: Vec<Upload>,
    /// The honeypot field was filled (a bot).
    pub honeypot: bool,
    /// Other text fields (e.g. `csrf`, `lang`).
    pub extra: std::collections::HashMap<String, String>,
}

/// The text fields and files of a citizen's multipart form.
#[derive(Default)]
pub struct CitizenMultipart {
    /// Text fields by name.
    pub fields: std::collections::HashMap<String, String>,
    /// Non-empty files (`files` or `file` fields) within the per-file limit.
    pub uploads: Vec<Upload>,
    /// A file was over the per-file limit or could not be read.
    pub too_large: bool,
    /// A text field could not be read.
    pub broken: bool,
}

/// Reads a whole multipart form (so the text fields are known even when a file is
/// refused), keeping files under `domain::files::MAX_EVIDENCE_BYTES`.
pub async fn read_citizen_multipart(mut mp: Multipart) -> CitizenMultipart {
    let mut out = CitizenMultipart::default();
    while let Ok(Some(field)) = mp.next_field().await {
        let name = field.name().unwrap_or("").to_string();
        if name == "files" || name == "file" {
            let filename = field.file_name().unwrap_or("").to_string();
            match field.bytes().await {
                Ok(b) if b.len() > domain::files::MAX_EVIDENCE_BYTES => out.too_large = true,
                Ok(b) if !b.is_empty() => out.uploads.push(Upload { filename, bytes: b.to_vec() }),
                Ok(_) => {}
                Err(_) => out.too_large = true,
            }
        } else {
            match field.text().await {
                Ok(text) => {
                    out.fields.insert(name, text);
                }
                Err(_) => out.broken = true,
            }
        }
    }
    out
}

/// Reads a multipart case form: `kind`, `unit_code` (or `area_code`), `description`,
/// `anonymous`, `contact_name`, `contact_phone`, `contact_email`, `address`, `website`
/// (honeypot) and up to five `files`. A file over the limit answers 413.
pub async fn read_case_form(mp: Multipart) -> Result<CaseForm, app::AppError> {
    let parts = read_citizen_multipart(mp).await;
    if parts.too_large || parts.broken {
        return Err(app::AppError::TooLarge);
    }
    let mut f = CaseForm { uploads: parts.uploads, ..Default::default() };
    let fields = parts.fields;
    f.honeypot = fields.get("website").is_some_and(|v| !v.trim().is_empty());
    let get = |k: &str| fields.get(k).cloned().filter(|v| !v.trim().is_empty());
    let contact =
        app::cases::Contact { name: get("contact_name"), phone: get("contact_phone"), email: get("contact_email") };
    f.input = Some(CaseInput {
        kind: get("kind").unwrap_or_default(),
        // A chosen residential area is the place; otherwise the commune.
        unit_code: get("area_code").or_else(|| get("unit_code")).or_else(|| get("commune")).unwrap_or_default(),
        description: get("description").unwrap_or_default(),
        anonymous: fields.get("anonymous").is_some_and(|v| matches!(v.as_str(), "on" | "true" | "1")),
        contact: Some(contact),
        address: get("address"),
    });
    f.extra = fields;
    Ok(f)
}
