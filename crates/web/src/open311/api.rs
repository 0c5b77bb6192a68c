//! Open311 GeoReport v2 (JSON): our five kinds as services, filing a request, and a
//! request's public status. Filing returns the receipt code as `service_request_id`
//! and the secret once as `token`; the status needs only the code and shows no text.

use crate::shared::extract::{Path, Query};
use app::cases::{CaseInput, Contact};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::case::CaseStatus;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::shared::auth::client_key;
use crate::shared::extract::PageForm;
use crate::shared::i18n::{t, Lang};
use crate::AppState;

fn error(status: StatusCode, description: String) -> Response {
    (status, Json(json!([{"code": status.as_u16(), "description": description}]))).into_response()
}

pub(crate) async fn services(lang: Lang) -> Json<Value> {
    let items: Vec<Value> = domain::case::CaseKind::ALL
        .iter()
        .map(|k| {
            json!({"service_code": k.as_str(), "service_name": t(lang, &format!("kind.{}", k.as_str())),
            "description": t(lang, &format!("pc.hint.{}", k.as_str())), "metadata": false, "type": "realtime",
            "keywords": "", "group": "an ninh trat tu"})
        })
        .collect();
    Json(json!(items))
}

/// A GeoReport v2 request (form-encoded). The place is `address_id` (a commune or
/// residential-area code); `address_string` is kept as the address text.
#[derive(Deserialize, Default)]
pub struct RequestForm {
    #[serde(default)]
    service_code: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    address_id: Option<String>,
    #[serde(default)]
    address_string: Option<String>,
    #[serde(default)]
    first_name: Option<String>,
    #[serde(default)]
    last_name: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    ext: axum::http::Extensions,
    PageForm(f): PageForm<RequestForm>,
) -> Response {
    let input = case_input(f);
    match s.app.submit_public_case(&input, &[], &client_key(&ext), "open311").await {
        Ok(r) => (
            StatusCode::CREATED,
            Json(json!([{"service_request_id": r.receipt_code, "token": r.secret, "account_id": null,
                "service_notice": t(lang, "pc.secret_once")}])),
        )
            .into_response(),
        Err(e) => refused(lang, &e),
    }
}

/// A request's fields as our case (anonymous when it names no one and its kind allows it).
fn case_input(f: RequestForm) -> CaseInput {
    let name = [f.first_name.as_deref(), f.last_name.as_deref()]
        .iter()
        .flatten()
        .map(|x| x.trim())
        .filter(|x| !x.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let contact = Contact { name: (!name.is_empty()).then_some(name), phone: f.phone, email: f.email };
    let anonymous = contact.name.is_none()
        && contact.phone.is_none()
        && contact.email.is_none()
        && domain::case::CaseKind::parse(&f.service_code).is_some_and(|k| k.allows_anonymous());
    CaseInput {
        kind: f.service_code,
        unit_code: f.address_id.unwrap_or_default(),
        description: f.description,
        anonymous,
        contact: Some(contact),
        address: f.address_string,
    }
}

/// An Open311 error list for a refused request (GeoReport answers 400 for invalid input).
fn refused(lang: Lang, e: &app::AppError) -> Response {
    let (status, code) = crate::shared::error::status_and_code(e);
    let text = match e {
        app::AppError::Validation(v) => {
            v.errors.iter().map(|f| format!("{}: {}", f.field, t(lang, f.code))).collect::<Vec<_>>().join("; ")
        }
        _ => t(lang, code),
    };
    let status = if status == StatusCode::UNPROCESSABLE_ENTITY { StatusCode::BAD_REQUEST } else { status };
    error(status, text)
}

fn request_json(lang: Lang, c: &store::cases::CaseRecord) -> Value {
    let status = if matches!(c.status, CaseStatus::Received | CaseStatus::Accepted) { "open" } else { "closed" };
    let iso = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    };
    json!({"service_request_id": c.receipt_code, "status": status,
        "status_notes": t(lang, &format!("cstatus.{}", c.status.as_str())),
        "service_code": c.kind, "service_name": t(lang, &format!("kind.{}", c.kind.as_str())),
        "agency_responsible": c.unit_name, "address_id": c.place_code,
        "requested_datetime": iso(c.created_at), "updated_datetime": iso(c.updated_at),
        "expected_datetime": c.due_date.as_ref().map(|d| format!("{d}T23:59:59+07:00"))})
}

pub(crate) async fn request(
    State(s): State<AppState>,
    lang: Lang,
    ext: axum::http::Extensions,
    Path(id): Path<String>,
) -> Response {
    let Some(code) = id.strip_suffix(".json") else {
        return error(StatusCode::NOT_FOUND, t(lang, "not_found"));
    };
    match s.app.case_status_public(code, &client_key(&ext)).await {
        Ok(c) => Json(json!([request_json(lang, &c)])).into_response(),
        Err(e) => {
            let (status, code) = crate::shared::error::status_and_code(&e);
            error(status, t(lang, code))
        }
    }
}

/// `?service_request_id=A,B` — requests by id only; no listing of other people's cases.
#[derive(Deserialize, Default)]
pub struct RequestsQuery {
    service_request_id: Option<String>,
}

pub(crate) async fn requests(
    State(s): State<AppState>,
    lang: Lang,
    ext: axum::http::Extensions,
    Query(q): Query<RequestsQuery>,
) -> Response {
    let mut out = Vec::new();
    for id in q.service_request_id.as_deref().unwrap_or("").split(',').map(str::trim).filter(|x| !x.is_empty()).take(20)
    {
        match s.app.case_status_public(id, &client_key(&ext)).await {
            Ok(c) => out.push(request_json(lang, &c)),
            Err(app::AppError::NotFound) => {}
            Err(e) => {
                let (status, code) = crate::shared::error::status_and_code(&e);
                return error(status, t(lang, code));
            }
        }
    }
    Json(json!(out)).into_response()
}
