//! The citizens' side, no account: the report form (works without JavaScript), the
//! receipt shown once, following a case with code and secret, and the public
//! statistics. Pages that show a secret are never cached.

use crate::shared::extract::Query;
use app::cases::CaseInput;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::case::CaseKind;
use domain::Level;
use minijinja::context;
use serde::Deserialize;
use store::units::UnitFilter;

use super::form::{read_case_form, read_citizen_multipart};
use crate::shared::auth::client_key;
use crate::shared::extract::PageForm;
use crate::shared::i18n::{t, Lang};
use crate::shared::page::{base_ctx, field_messages, no_store, render, with, OrPage, PageResult};
use crate::AppState;

/// Query of the form page: the chosen province and a commune search.
#[derive(Deserialize, Default)]
pub struct FormQuery {
    province: Option<String>,
    q: Option<String>,
    kind: Option<String>,
    commune: Option<String>,
}

fn kinds(lang: Lang) -> Vec<minijinja::Value> {
    CaseKind::ALL
        .iter()
        .map(|k| {
            context! { code => k.as_str(), name => t(lang, &format!("kind.{}", k.as_str())), anonymous => k.allows_anonymous(),
            hint => t(lang, &format!("pc.hint.{}", k.as_str())) }
        })
        .collect()
}

impl FormQuery {
    /// The place chosen so far: only the province.
    fn province(province: Option<String>) -> FormQuery {
        FormQuery { province, ..Default::default() }
    }
}

/// The places offered on the form: every province, the communes of the chosen
/// province (filtered by the search), the commune chosen or the only one found, and
/// its residential areas.
struct Places {
    provinces: Vec<store::units::UnitRecord>,
    province: Option<String>,
    communes: Vec<store::units::UnitRecord>,
    chosen: Option<String>,
    areas: Vec<store::units::UnitRecord>,
}

async fn places(s: &AppState, place: &FormQuery, input: Option<&CaseInput>) -> Places {
    let units = |level, parent: Option<String>, q: Option<String>| async move {
        let f = UnitFilter { level: Some(level), parent, q, limit: 500, ..Default::default() };
        s.app.list_units(&f).await.map(|p| p.items).unwrap_or_default()
    };
    let provinces = units(Level::Province, None, None).await;
    let province = place.province.clone().filter(|p| provinces.iter().any(|u| &u.code == p));
    let communes = match &province {
        Some(p) => units(Level::Commune, Some(p.clone()), place.q.clone().filter(|q| !q.trim().is_empty())).await,
        None => vec![],
    };
    // Residential areas (optional) once one commune is chosen or found.
    let chosen = place
        .commune
        .clone()
        .filter(|c| communes.iter().any(|u| &u.code == c))
        .or_else(|| input.and_then(|i| communes.iter().find(|u| u.code == i.unit_code).map(|u| u.code.clone())))
        .or_else(|| match communes.as_slice() {
            [only] => Some(only.code.clone()),
            _ => None,
        });
    let areas = match &chosen {
        Some(c) => units(Level::Area, Some(c.clone()), None).await,
        None => vec![],
    };
    Places { provinces, province, communes, chosen, areas }
}

/// Renders the form for the place chosen so far (province, commune search, commune),
/// with what the citizen already typed and any errors.
async fn form_page(
    s: &AppState,
    lang: Lang,
    place: FormQuery,
    input: Option<&CaseInput>,
    errors: Vec<String>,
    status: StatusCode,
) -> Response {
    let Places { provinces, province, communes, chosen, areas } = places(s, &place, input).await;
    let ctx = context! {
        kinds => kinds(lang), provinces, province, communes, q => place.q, chosen, areas,
        input => input.map(|i| context! { kind => i.kind, unit_code => i.unit_code, description => i.description,
            anonymous => i.anonymous, address => i.address,
            contact => i.contact.as_ref().map(|c| context! { name => c.name, phone => c.phone, email => c.email }) }),
        errors, max_mb => domain::files::MAX_EVIDENCE_BYTES / (1024 * 1024),
    };
    render(s, "public_case_form.html", status, with(base_ctx(lang, None, "public"), ctx))
}

pub(crate) async fn form(State(s): State<AppState>, lang: Lang, Query(q): Query<FormQuery>) -> Response {
    let pre = q.kind.as_deref().and_then(CaseKind::parse).map(|k| CaseInput {
        kind: k.as_str().into(),
        unit_code: String::new(),
        description: String::new(),
        anonymous: false,
        contact: None,
        address: None,
    });
    form_page(&s, lang, q, pre.as_ref(), vec![], StatusCode::OK).await
}

/// `POST /public/cases`: the multipart form; the receipt page once the case is on disk.
pub(crate) async fn submit(
    State(s): State<AppState>,
    lang: Lang,
    ext: axum::http::Extensions,
    mp: Multipart,
) -> Response {
    let status_of = |e: &app::AppError| crate::shared::error::status_and_code(e).0;
    let form = match read_case_form(mp).await {
        Ok(f) => f,
        Err(e) => {
            return form_page(&s, lang, FormQuery::default(), None, field_messages(lang, &e), status_of(&e)).await
        }
    };
    let place = FormQuery::province(form.extra.get("province").cloned());
    let Some(input) = form.input else {
        return form_page(&s, lang, place, None, vec![t(lang, "bad_request")], StatusCode::BAD_REQUEST).await;
    };
    let result = if form.honeypot {
        Err(domain::ValidationError::one("website", "case.honeypot").into())
    } else {
        s.app.submit_public_case(&input, &form.uploads, &client_key(&ext), "web").await
    };
    match result {
        Ok(receipt) => {
            let ctx = context! { receipt, kind => t(lang, &format!("kind.{}", input.kind)) };
            no_store(render(
                &s,
                "public_case_receipt.html",
                StatusCode::CREATED,
                with(base_ctx(lang, None, "public"), ctx),
            ))
        }
        Err(e) => form_page(&s, lang, place, Some(&input), field_messages(lang, &e), status_of(&e)).await,
    }
}

/// Code and secret (and the follow-up fields) from the lookup page's forms.
#[derive(Deserialize, Default)]
pub struct LookupForm {
    #[serde(default)]
    receipt_code: String,
    #[serde(default)]
    secret: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    rating: Option<String>,
    #[serde(default)]
    op: Option<String>,
}

pub(crate) async fn lookup_form(State(s): State<AppState>, lang: Lang) -> Response {
    render(&s, "public_case_lookup.html", StatusCode::OK, with(base_ctx(lang, None, "public"), context! {}))
}

async fn case_page(
    s: &AppState,
    lang: Lang,
    code: &str,
    secret: &str,
    client: &str,
    flash: Option<String>,
    errors: Vec<String>,
) -> Response {
    match s.app.lookup_case(code, secret, client).await {
        Ok(view) => {
            let ctx = context! { view, code => view.receipt_code.clone(), secret, flash, errors,
            kind => t(lang, &format!("kind.{}", view.kind.as_str())), status_name => t(lang, &format!("cstatus.{}", view.status.as_str())) };
            no_store(render(s, "public_case.html", StatusCode::OK, with(base_ctx(lang, None, "public"), ctx)))
        }
        Err(e) => lookup_failed(s, lang, code, &e),
    }
}

/// The lookup form again after a failed lookup: a wrong code or secret told in a
/// citizen's words, not the staff's "outside your scope".
fn lookup_failed(s: &AppState, lang: Lang, code: &str, e: &app::AppError) -> Response {
    let status = crate::shared::error::status_and_code(e).0;
    let errors = match e {
        app::AppError::NotFound | app::AppError::Store(store::StoreError::NotFound) => {
            vec![t(lang, "pc.lookup_not_found")]
        }
        _ => field_messages(lang, e),
    };
    let ctx = context! { errors, code };
    no_store(render(s, "public_case_lookup.html", status, with(base_ctx(lang, None, "public"), ctx)))
}

/// `POST /public/cases/lookup`: show the case, or reopen / rate it (`op`).
pub(crate) async fn lookup(
    State(s): State<AppState>,
    lang: Lang,
    ext: axum::http::Extensions,
    PageForm(f): PageForm<LookupForm>,
) -> Response {
    let client = client_key(&ext);
    let result = match f.op.as_deref() {
        Some("reopen") => {
            Some(s.app.citizen_reopen(&f.receipt_code, &f.secret, f.reason.as_deref().unwrap_or(""), &client).await)
        }
        Some("rate") => {
            let r = f.rating.as_deref().and_then(|r| r.parse().ok()).unwrap_or(0);
            Some(s.app.citizen_rate(&f.receipt_code, &f.secret, r, &client).await)
        }
        _ => None,
    };
    let (flash, errors) = match result {
        Some(Ok(())) => (Some(t(lang, "pc.saved")), vec![]),
        Some(Err(e)) => (None, field_messages(lang, &e)),
        None => (None, vec![]),
    };
    case_page(&s, lang, &f.receipt_code, &f.secret, &client, flash, errors).await
}

/// `POST /public/cases/message`: a message with files (multipart).
pub(crate) async fn message(
    State(s): State<AppState>,
    lang: Lang,
    ext: axum::http::Extensions,
    mp: Multipart,
) -> Response {
    let client = client_key(&ext);
    let parts = read_citizen_multipart(mp).await;
    let field = |k: &str| parts.fields.get(k).cloned().unwrap_or_default();
    let (code, secret, body) = (field("receipt_code"), field("secret"), field("body"));
    let result = if parts.too_large {
        Err(app::AppError::TooLarge)
    } else {
        s.app.citizen_message(&code, &secret, &body, &parts.uploads, &client).await
    };
    match result {
        Ok(()) => case_page(&s, lang, &code, &secret, &client, Some(t(lang, "pc.sent")), vec![]).await,
        Err(app::AppError::NotFound) | Err(app::AppError::Throttled(..)) | Err(app::AppError::Validation(_))
            if code.is_empty() =>
        {
            render(
                &s,
                "public_case_lookup.html",
                StatusCode::NOT_FOUND,
                with(base_ctx(lang, None, "public"), context! {}),
            )
        }
        Err(e) => {
            let status = crate::shared::error::status_and_code(&e).0;
            let mut r = case_page(&s, lang, &code, &secret, &client, None, field_messages(lang, &e)).await;
            if r.status() == StatusCode::OK {
                *r.status_mut() = status;
            }
            r
        }
    }
}

/// (received, answered, on time) summed by kind, by province and by month.
fn tally(rows: &[store::cases::CaseStatRow]) -> [std::collections::BTreeMap<String, (i64, i64, i64)>; 3] {
    let mut out: [std::collections::BTreeMap<String, (i64, i64, i64)>; 3] = Default::default();
    for r in rows {
        for (map, key) in out.iter_mut().zip([r.kind.as_str(), &r.province_code, &r.month]) {
            let e = map.entry(key.to_string()).or_default();
            e.0 += r.received;
            e.1 += r.answered;
            e.2 += r.on_time;
        }
    }
    out
}

pub(crate) async fn stats(State(s): State<AppState>, lang: Lang) -> PageResult {
    let stats = s.app.public_case_stats().await.or_page(&s, lang, None)?;
    let f = UnitFilter { level: Some(Level::Province), limit: 100, ..Default::default() };
    let provinces = s.app.list_units(&f).await.map(|p| p.items).unwrap_or_default();
    let name_of = |code: &str| {
        provinces.iter().find(|u| u.code == code).map(|u| u.name.clone()).unwrap_or_else(|| code.to_string())
    };
    let [by_kind, by_province, by_month] = tally(&stats.rows);
    let pct = |on: i64, of: i64| if of > 0 { (on * 100 + of / 2) / of } else { 0 };
    let row = |label: String, v: &(i64, i64, i64)| context! { label, received => v.0, answered => v.1, on_time => v.2, pct => pct(v.2, v.1) };
    let kinds: Vec<_> = by_kind.iter().map(|(k, v)| row(t(lang, &format!("kind.{k}")), v)).collect();
    let provinces_rows: Vec<_> = by_province.iter().map(|(k, v)| row(name_of(k), v)).collect();
    let months: Vec<_> = by_month
        .iter()
        .map(|(k, v)| row(format!("{}/{}", k.get(5..).unwrap_or(""), k.get(..4).unwrap_or(k)), v))
        .collect();
    let ctx =
        context! { stats, kinds, provinces => provinces_rows, months, pct_total => pct(stats.on_time, stats.answered) };
    Ok(render(&s, "public_stats.html", StatusCode::OK, with(base_ctx(lang, None, "public"), ctx)))
}

/// `POST /public/cases/receipt.pdf` (receipt code and secret, as the receipt page
/// holds them): the receipt as a PDF to keep. The pair is checked like a lookup
/// (wrong pairs count towards the same throttle); a wrong pair gets the lookup
/// page's citizen-worded message.
pub(crate) async fn receipt_pdf(
    State(s): State<AppState>,
    lang: Lang,
    ext: axum::http::Extensions,
    PageForm(f): PageForm<LookupForm>,
) -> Response {
    let client = client_key(&ext);
    let view = match s.app.lookup_case(&f.receipt_code, &f.secret, &client).await {
        Ok(v) => v,
        // Told as a failed lookup, without looking it up (and counting it) twice.
        Err(e) => return lookup_failed(&s, lang, &f.receipt_code, &e),
    };
    let dmy = |d: chrono::NaiveDate| crate::shared::i18n::format_date(&d.to_string());
    let receipt = app::documents::CaseReceipt {
        code: view.receipt_code.clone(),
        secret: f.secret.trim().to_string(),
        kind: t(lang, &format!("kind.{}", view.kind.as_str())),
        unit_name: view.unit_name.clone(),
        received_on: dmy(view.received_on),
        due: view.due_date.map(dmy),
        lookup_url: format!("{}/public/cases/lookup", s.app.config.public_url.trim_end_matches('/')),
    };
    let pdf = tokio::task::spawn_blocking(move || app::documents::receipt_pdf(&receipt))
        .await
        .map_err(|e| app::AppError::Internal(e.to_string()))
        .and_then(|r| r.map_err(app::AppError::Internal));
    no_store(crate::shared::files::file_response(
        pdf,
        "application/pdf",
        &format!("bien-nhan-{}.pdf", view.receipt_code),
        false,
        lang,
    ))
}
