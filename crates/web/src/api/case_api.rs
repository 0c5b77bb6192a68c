//! `/api/v1` for citizens' cases (public submission, lookup, messages), the officer
//! inbox and actions, the public statistics, and the working calendar.

use crate::extract::{Path, Query};
use app::calendar::CalendarEntryInput;
use app::cases::{CaseAction, CaseInput, Upload};
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use store::cases::CaseFilter;

use super::Paging;
use crate::auth::{client_key, Authed};
use crate::error::RecordId;
use crate::error::{parse_record_id, plain_error, ApiError, ApiResultExt};
use crate::extract::ApiJson;
use crate::i18n::Lang;
use crate::AppState;

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

/// Largest JSON body of a public case.
pub const PUBLIC_JSON_BYTES: usize = 64 * 1024;

/// `POST /api/v1/public/cases`: JSON (`CaseInput`) or a multipart form with files.
pub(super) async fn submit(State(s): State<AppState>, lang: Lang, req: Request) -> Response {
    let client = client_key(req.extensions());
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("multipart/form-data"));
    let (input, uploads) = if is_multipart {
        let mp = match Multipart::from_request(req, &s).await {
            Ok(mp) => mp,
            Err(_) => return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang),
        };
        match read_case_form(mp).await {
            Ok(f) if f.honeypot => return plain_error(StatusCode::UNPROCESSABLE_ENTITY, "case.honeypot", lang),
            Ok(f) => (f.input.unwrap_or_else(empty_input), f.uploads),
            Err(e) => return ApiError::new(e, lang).into_response(),
        }
    } else {
        // A JSON case is a few KB (description at most 10,000 characters): read at
        // most PUBLIC_JSON_BYTES of it, whatever the route's upload limit allows.
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, PUBLIC_JSON_BYTES).await {
            Ok(b) => b,
            Err(_) => return plain_error(StatusCode::PAYLOAD_TOO_LARGE, "too_large", lang),
        };
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        match ApiJson::<CaseInput>::from_request(req, &s).await {
            Ok(ApiJson(i)) => (i, Vec::new()),
            Err(r) => return r,
        }
    };
    match s.app.submit_public_case(&input, &uploads, &client, "web").await {
        Ok(r) => (StatusCode::CREATED, Json(r)).into_response(),
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

fn empty_input() -> CaseInput {
    CaseInput {
        kind: String::new(),
        unit_code: String::new(),
        description: String::new(),
        anonymous: false,
        contact: None,
        address: None,
    }
}

/// Body of the public lookup and follow-up calls.
#[derive(Deserialize)]
pub struct CodeAndSecret {
    receipt_code: String,
    secret: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    rating: Option<i64>,
}

pub(super) async fn lookup(
    State(s): State<AppState>,
    lang: Lang,
    ext: axum::http::Extensions,
    ApiJson(b): ApiJson<CodeAndSecret>,
) -> Result<Json<Value>, ApiError> {
    let v = s.app.lookup_case(&b.receipt_code, &b.secret, &client_key(&ext)).await.api(lang)?;
    Ok(Json(json!(v)))
}

pub(super) async fn message(
    State(s): State<AppState>,
    lang: Lang,
    ext: axum::http::Extensions,
    ApiJson(b): ApiJson<CodeAndSecret>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body = b.body.unwrap_or_default();
    s.app.citizen_message(&b.receipt_code, &b.secret, &body, &[], &client_key(&ext)).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({"ok": true}))))
}

pub(super) async fn reopen(
    State(s): State<AppState>,
    lang: Lang,
    ext: axum::http::Extensions,
    ApiJson(b): ApiJson<CodeAndSecret>,
) -> Result<Json<Value>, ApiError> {
    let reason = b.reason.unwrap_or_default();
    s.app.citizen_reopen(&b.receipt_code, &b.secret, &reason, &client_key(&ext)).await.api(lang)?;
    Ok(Json(json!({"ok": true})))
}

pub(super) async fn rate(
    State(s): State<AppState>,
    lang: Lang,
    ext: axum::http::Extensions,
    ApiJson(b): ApiJson<CodeAndSecret>,
) -> Result<Json<Value>, ApiError> {
    s.app.citizen_rate(&b.receipt_code, &b.secret, b.rating.unwrap_or(0), &client_key(&ext)).await.api(lang)?;
    Ok(Json(json!({"ok": true})))
}

/// Query of the officer inbox.
#[derive(Deserialize, Default)]
pub struct CaseQuery {
    /// Status code.
    pub status: Option<String>,
    /// Kind code.
    pub kind: Option<String>,
    /// `soon` or `overdue`.
    pub due: Option<String>,
    /// `me`: only my cases.
    pub assigned: Option<String>,
    /// Receipt code or text.
    pub q: Option<String>,
    /// Page.
    pub page: Option<i64>,
    /// Page size.
    pub size: Option<i64>,
}

impl CaseQuery {
    /// Checks the codes and builds the store filter; `None` for an unknown code.
    pub fn filter(&self, user_id: i64) -> Option<CaseFilter> {
        let nonempty = |v: &Option<String>| v.clone().filter(|x| !x.trim().is_empty());
        let status = nonempty(&self.status);
        let kind = nonempty(&self.kind);
        let due = nonempty(&self.due);
        if status.as_deref().is_some_and(|x| domain::case::CaseStatus::parse(x).is_none())
            || kind.as_deref().is_some_and(|x| domain::case::CaseKind::parse(x).is_none())
            || due.as_deref().is_some_and(|x| !matches!(x, "soon" | "overdue"))
        {
            return None;
        }
        let p = Paging::new(self.page, self.size);
        Some(CaseFilter {
            status,
            kind,
            due,
            assignee: (self.assigned.as_deref() == Some("me")).then_some(user_id),
            q: nonempty(&self.q),
            limit: p.size,
            offset: p.offset(),
            ..Default::default()
        })
    }
}

pub(super) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<CaseQuery>,
) -> Response {
    let Some(f) = q.filter(sess.actor.user_id) else {
        return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang);
    };
    match s.app.list_cases(&sess.actor, f).await {
        Ok((items, total)) => {
            let items: Vec<Value> = items
                .into_iter()
                .map(|c| {
                    json!({"id": c.id, "receipt_code": c.receipt_code, "kind": c.kind, "status": c.status,
                    "unit_code": c.unit_code, "unit_name": c.unit_name, "place_code": c.place_code, "received_on": c.received_on,
                    "due_date": c.due_date, "due_rule": c.due_rule, "assignee_id": c.assignee_id, "escalation_level": c.escalation_level})
                })
                .collect();
            Json(json!({"items": items, "total": total})).into_response()
        }
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

pub(super) async fn export(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<CaseQuery>,
) -> Response {
    let Some(f) = q.filter(sess.actor.user_id) else {
        return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang);
    };
    let r = s.app.export_cases_xlsx(&sess.actor, f).await;
    super::file_response(r, super::XLSX, "phan-anh.xlsx", false, lang)
}

pub(super) async fn file_for_citizen(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(input): ApiJson<CaseInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let r = s.app.file_case_for_citizen(&sess.actor, &input).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!(r))))
}

pub(super) async fn get_one(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(s.app.case_view(&sess.actor, id).await.api(lang)?)))
}

/// Body of a reveal.
#[derive(Deserialize)]
pub struct Reason {
    #[serde(default)]
    reason: String,
}

pub(super) async fn reveal(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<Reason>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(s.app.reveal_contact(&sess.actor, id, &b.reason).await.api(lang)?)))
}

/// Body of a reply.
#[derive(Deserialize)]
pub struct ReplyInput {
    body: String,
    #[serde(default)]
    public: bool,
}

pub(super) async fn reply(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<ReplyInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let mid = s.app.reply_case(&sess.actor, id, &b.body, b.public).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({"id": mid}))))
}

pub(super) async fn act(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(action): ApiJson<CaseAction>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(s.app.act_on_case(&sess.actor, id, &action).await.api(lang)?)))
}

pub(super) async fn attachment(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path((id, att)): Path<(String, String)>,
) -> Response {
    let (Ok(id), Ok(att)) = (parse_record_id(&id), parse_record_id(&att)) else {
        return ApiError::new(app::AppError::NotFound, lang).into_response();
    };
    match s.app.case_attachment(&sess.actor, id, att).await {
        Ok((info, bytes)) => {
            let ct = info.content_type.clone();
            let ext = match ct.as_str() {
                "application/pdf" => "pdf",
                "image/png" => "png",
                _ => "jpg",
            };
            super::file_response(
                Ok(bytes),
                &ct,
                &format!("tep-{}-{}.{ext}", id, info.id),
                ct == "application/pdf",
                lang,
            )
        }
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

pub(super) async fn public_stats(State(s): State<AppState>, lang: Lang) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(s.app.public_case_stats().await.api(lang)?)))
}

/// `?year=`
#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

pub(super) async fn holidays(State(s): State<AppState>, lang: Lang, Query(q): Query<YearQuery>) -> Response {
    let Some(year) = q.year.as_deref().and_then(|y| y.trim().parse::<i32>().ok()) else {
        return ApiError::new(domain::ValidationError::one("year", "calendar.year_invalid").into(), lang)
            .into_response();
    };
    match s.app.holidays(year).await {
        Ok(items) => {
            let items: Vec<Value> = items
                .into_iter()
                .map(|h| {
                    json!({"date": h.date.format("%Y-%m-%d").to_string(),
                    "name": if lang == Lang::En { h.name_en.clone() } else { h.name_vi.clone() },
                    "name_vi": h.name_vi, "name_en": h.name_en, "kind": h.kind})
                })
                .collect();
            Json(json!({"items": items})).into_response()
        }
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

/// `?from=&days=`
#[derive(Deserialize)]
pub struct AddDaysQuery {
    from: Option<String>,
    days: Option<String>,
}

pub(super) async fn add_working_days(
    State(s): State<AppState>,
    lang: Lang,
    Query(q): Query<AddDaysQuery>,
) -> Result<Json<Value>, ApiError> {
    let days = q.days.as_deref().and_then(|d| d.trim().parse::<i64>().ok()).unwrap_or(-1);
    let d = s.app.add_working_days(q.from.as_deref().unwrap_or(""), days).await.api(lang)?;
    Ok(Json(json!({"date": d.format("%Y-%m-%d").to_string()})))
}

/// `?rule=&from=`
#[derive(Deserialize)]
pub struct DeadlineQuery {
    rule: Option<String>,
    from: Option<String>,
}

pub(super) async fn deadline(
    State(s): State<AppState>,
    lang: Lang,
    Query(q): Query<DeadlineQuery>,
) -> Result<Json<Value>, ApiError> {
    let (due, rule) =
        s.app.statutory_deadline(q.rule.as_deref().unwrap_or(""), q.from.as_deref().unwrap_or("")).await.api(lang)?;
    Ok(Json(json!({"due": due.format("%Y-%m-%d").to_string(), "rule": rule.id(), "source": rule.source(),
        "description": if lang == Lang::En { rule.description_en() } else { rule.description_vi() }})))
}

pub(super) async fn calendar_entries(
    State(s): State<AppState>,
    lang: Lang,
    Authed(_sess): Authed,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({"items": s.app.calendar_entries().await.api(lang)?})))
}

pub(super) async fn set_calendar_entry(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(input): ApiJson<CalendarEntryInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    s.app.set_calendar_entry(&sess.actor, &input).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({"ok": true}))))
}

pub(super) async fn delete_calendar_entry(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path(day): Path<String>,
) -> Result<StatusCode, ApiError> {
    s.app.delete_calendar_entry(&sess.actor, &day).await.api(lang)?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn routes(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
) -> Result<Json<Value>, ApiError> {
    let items: Vec<Value> = s
        .app
        .routing_rules(&sess.actor)
        .await
        .api(lang)?
        .into_iter()
        .map(|(kind, target)| json!({"kind": kind, "target": target}))
        .collect();
    Ok(Json(json!({ "items": items })))
}

pub(super) async fn set_route(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<app::cases::RoutingRule>,
) -> Result<Json<Value>, ApiError> {
    s.app.set_routing_rule(&sess.actor, &b.kind, &b.target).await.api(lang)?;
    Ok(Json(json!(b)))
}
