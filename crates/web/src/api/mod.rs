//! JSON API under `/api/v1`: every page's data, described by `openapi.json`.

mod auth_api;
mod case_api;
pub use case_api::{read_case_form, read_citizen_multipart, CaseForm, CaseQuery};
pub mod movement_api;
pub mod org_api;
mod unit_api;
mod user_api;

use axum::routing::{get, post, put};
use axum::Router;

use crate::AppState;

/// The OpenAPI document (kept beside the routes; a test checks every route is in it).
pub const OPENAPI: &str = include_str!("openapi.json");

/// Routes with the default body limit.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/auth/login", post(auth_api::login))
        .route("/api/v1/auth/logout", post(auth_api::logout))
        .route("/api/v1/auth/logout-everywhere", post(auth_api::logout_everywhere))
        .route("/api/v1/auth/password", post(auth_api::change_password))
        .route("/api/v1/auth/totp/enrol", post(auth_api::totp_enrol))
        .route("/api/v1/auth/totp/confirm", post(auth_api::totp_confirm))
        .route("/api/v1/me", get(auth_api::me))
        .route("/api/v1/dashboard", get(auth_api::dashboard))
        .route("/api/v1/units", get(unit_api::list).post(unit_api::create_area))
        .route("/api/v1/units/{code}", get(unit_api::get_one))
        .route("/api/v1/units/{code}/retire", post(unit_api::retire))
        .route("/api/v1/organisations", get(org_api::list).post(org_api::create))
        .route("/api/v1/organisations/export", get(org_api::export))
        .route("/api/v1/organisations/{id}", get(org_api::get_one).put(org_api::update))
        .route("/api/v1/organisations/{id}/exemption", put(org_api::set_exemption))
        .route("/api/v1/users", get(user_api::list).post(user_api::create))
        .route("/api/v1/audit", get(user_api::audit))
        .route("/api/v1/imports/{id}", get(org_api::import_job))
        .route("/api/v1/criteria-sets", get(movement_api::criteria_sets).post(movement_api::add_criteria_set))
        .route("/api/v1/assessments", get(movement_api::list_assessments).post(movement_api::create_assessment))
        .route("/api/v1/assessments/{id}", get(movement_api::get_assessment).put(movement_api::update_assessment))
        .route("/api/v1/assessments/{id}/transition", post(movement_api::transition))
        .route("/api/v1/assessments/{id}/certificate.pdf", get(movement_api::certificate))
        .route("/api/v1/assessments/{id}/sheet.xlsx", get(movement_api::score_sheet))
        .route("/api/v1/assessments/{id}/attachments/{att}", get(movement_api::get_evidence))
        .route("/api/v1/assessments/export.xlsx", get(movement_api::export_assessments))
        .route("/api/v1/models/export.xlsx", get(movement_api::export_models))
        .route("/api/v1/model-types", get(movement_api::model_types).post(movement_api::put_model_type))
        .route("/api/v1/models", get(movement_api::list_models).post(movement_api::create_model))
        .route("/api/v1/models/{id}", get(movement_api::get_model).put(movement_api::update_model))
        .route(
            "/api/v1/models/{id}/evaluations",
            get(movement_api::model_evaluations).post(movement_api::evaluate_model),
        )
        .route("/api/v1/key-areas", get(movement_api::list_key_areas).post(movement_api::key_area))
        .route("/api/v1/key-areas/export.xlsx", get(movement_api::export_key_areas))
        .route("/api/v1/criterion19", get(movement_api::list_criterion19).put(movement_api::criterion19))
        .route("/api/v1/criterion19/export.xlsx", get(movement_api::export_criterion19))
        .route("/api/v1/campaigns/{year}", get(movement_api::get_campaign).put(movement_api::put_campaign))
        .route("/api/v1/stats/movement", get(movement_api::stats))
        .route("/api/v1/stats/movement.xlsx", get(movement_api::stats_xlsx))
        .route("/api/v1/reports/province-summary.pdf", get(movement_api::province_summary))
        .route("/api/v1/public/cases/lookup", post(case_api::lookup))
        .route("/api/v1/public/cases/messages", post(case_api::message))
        .route("/api/v1/public/cases/reopen", post(case_api::reopen))
        .route("/api/v1/public/cases/rating", post(case_api::rate))
        .route("/api/v1/public/stats/cases", get(case_api::public_stats))
        .route("/api/v1/cases", get(case_api::list).post(case_api::file_for_citizen))
        .route("/api/v1/cases/export.xlsx", get(case_api::export))
        .route("/api/v1/case-routes", get(case_api::routes).put(case_api::set_route))
        .route("/api/v1/cases/{id}", get(case_api::get_one))
        .route("/api/v1/cases/{id}/reveal-contact", post(case_api::reveal))
        .route("/api/v1/cases/{id}/replies", post(case_api::reply))
        .route("/api/v1/cases/{id}/actions", post(case_api::act))
        .route("/api/v1/cases/{id}/attachments/{att}", get(case_api::attachment))
        .route("/api/v1/calendar/holidays", get(case_api::holidays))
        .route("/api/v1/calendar/add-working-days", get(case_api::add_working_days))
        .route("/api/v1/calendar/deadline", get(case_api::deadline))
        .route("/api/v1/calendar/entries", get(case_api::calendar_entries).post(case_api::set_calendar_entry))
        .route("/api/v1/calendar/entries/{day}", axum::routing::delete(case_api::delete_calendar_entry))
}

/// Public routes that accept citizens' files (their own, tighter body limit).
pub fn public_upload_routes() -> Router<AppState> {
    Router::new().route("/api/v1/public/cases", post(case_api::submit))
}

/// Routes that accept large uploads.
pub fn upload_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/organisations/import", post(org_api::import))
        .route("/api/v1/organisations/exemptions", post(org_api::import_exemptions))
        .route("/api/v1/units/{code}/areas/import", post(unit_api::import_areas))
        .route("/api/v1/assessments/{id}/sheet", post(movement_api::import_score_sheet))
        .route(
            "/api/v1/assessments/{id}/attachments",
            post(movement_api::add_evidence).get(movement_api::list_evidence),
        )
}

async fn openapi() -> impl axum::response::IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], OPENAPI)
}

/// MIME type of XLSX workbooks.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A generated file as a response, or the error in the API's shape. `inline` files
/// (PDF) open in the browser; the others download.
pub fn file_response(
    result: Result<Vec<u8>, app::AppError>,
    content_type: &str,
    filename: &str,
    inline: bool,
    lang: crate::i18n::Lang,
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
        Err(e) => crate::error::ApiError::new(e, lang).into_response(),
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

/// Page number (1-based) and page size from query parameters.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// 1-based page.
    pub page: i64,
    /// Rows per page.
    pub size: i64,
}

impl Paging {
    /// Clamps raw values: page ≥ 1, 1 ≤ size ≤ 200 (default 50).
    pub fn new(page: Option<i64>, size: Option<i64>) -> Paging {
        Paging { page: page.unwrap_or(1).max(1), size: size.unwrap_or(50).clamp(1, 200) }
    }

    /// Rows to skip.
    pub fn offset(&self) -> i64 {
        (self.page - 1).saturating_mul(self.size)
    }
}

/// Test helpers shared by the web crate's unit tests.
#[cfg(test)]
pub(crate) mod tests_support {
    /// The 34 province codes of the shipped units file.
    pub fn province_codes() -> Vec<String> {
        store::units_csv::rows()
            .map(|r| r.into_iter().filter(|u| u.level == "province").map(|u| u.code).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_clamps() {
        let p = Paging::new(Some(0), Some(10_000));
        assert_eq!((p.page, p.size, p.offset()), (1, 200, 0));
        assert_eq!(Paging::new(Some(3), None).offset(), 100);
    }

    #[test]
    fn openapi_lists_every_api_route() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).expect("valid JSON");
        let paths = doc["paths"].as_object().expect("paths");
        let src = include_str!("mod.rs");
        for line in src.lines().filter(|l| l.trim_start().starts_with(".route(\"/api/v1")) {
            let route = line.split('"').nth(1).expect("route").trim_start_matches("/api/v1");
            assert!(paths.contains_key(route), "{route} missing from openapi.json");
        }
    }
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
