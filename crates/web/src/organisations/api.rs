//! `/api/v1/organisations`: list, read, create, update, exemptions, import and
//! export, and the organisation import jobs (`/api/v1/imports/{id}`).

use crate::shared::auth::Authed;
use crate::shared::error::ApiError;
use crate::shared::error::ApiResultExt;
use crate::shared::error::RecordId;
use crate::shared::extract::Query;
use crate::shared::extract::{ApiJson, Body};
use crate::shared::i18n::Lang;
use crate::shared::paging::Paging;
use crate::shared::uploads::read_upload;
use crate::AppState;
use app::uploads::UploadTarget;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::organisation::OrganisationInput;
use serde::Deserialize;
use serde_json::json;
use store::organisations::OrgFilter;

/// Query of the list and export endpoints.
#[derive(Deserialize, Default, Debug, Clone)]
pub struct OrgQuery {
    /// Search text (diacritics optional) or tax code prefix.
    pub q: Option<String>,
    /// Commune or province code.
    pub unit: Option<String>,
    /// Kind.
    pub kind: Option<String>,
    /// Page.
    pub page: Option<i64>,
    /// Page size.
    pub size: Option<i64>,
    /// Export format: csv | xlsx.
    pub format: Option<String>,
}

impl OrgQuery {
    /// The store filter and paging for this query.
    pub fn filter(&self) -> (OrgFilter, Paging) {
        let p = Paging::new(self.page, self.size);
        (
            OrgFilter {
                q: self.q.clone(),
                unit: self.unit.clone(),
                kind: self.kind.clone(),
                limit: p.size,
                offset: p.offset(),
            },
            p,
        )
    }
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<OrgQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let (f, p) = q.filter();
    let page = s.app.list_organisations(&sess.actor, &f).await.api(lang)?;
    Ok(Json(json!({"items": page.items, "total": page.total, "page": p.page, "size": p.size})))
}

/// One organisation with its exemption from the safe-unit standard (`null` if none).
pub(crate) async fn get_one(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<serde_json::Value>, ApiError> {
    let rec = s.app.organisation(&sess.actor, id).await.api(lang)?;
    let exemption = s.app.organisation_exemption(&sess.actor, id).await.api(lang)?;
    let mut v = serde_json::to_value(rec).unwrap_or_default();
    v["exemption"] = json!(exemption);
    Ok(Json(v))
}

/// Body of `PUT /api/v1/organisations/{id}/exemption`.
#[derive(Deserialize, Default)]
pub struct ExemptionBody {
    /// `armed_forces`, `small_enterprise`, `primary_or_preschool`, or null to lift it.
    reason: Option<String>,
}

/// Records or lifts an organisation's exemption from the safe-unit standard.
pub(crate) async fn set_exemption(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<ExemptionBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let e = s.app.set_organisation_exemption(&sess.actor, id, b.reason.as_deref()).await.api(lang)?;
    Ok(Json(json!({ "exemption": e })))
}

/// Body of `PUT /api/v1/organisations/{id}/ministry-follower`.
#[derive(Deserialize)]
pub struct FollowerBody {
    /// The Ministry department that follows it; null lifts it.
    department: Option<String>,
}

pub(crate) async fn set_follower(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<FollowerBody>,
) -> Result<Json<store::organisations::OrganisationRecord>, ApiError> {
    let o = s.app.set_organisation_follower(&sess.actor, id, b.department.as_deref()).await.api(lang)?;
    Ok(Json(o))
}

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<OrganisationInput>,
) -> Result<(StatusCode, Json<store::organisations::OrganisationRecord>), ApiError> {
    let rec = s.app.create_organisation(&sess.actor, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(rec)))
}

pub(crate) async fn update(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<OrganisationInput>,
) -> Result<Json<store::organisations::OrganisationRecord>, ApiError> {
    Ok(Json(s.app.update_organisation(&sess.actor, id, &b).await.api(lang)?))
}

/// Query of the import endpoint.
#[derive(Deserialize, Default)]
pub struct ImportQuery {
    /// Run in the background and answer 202 with the job id.
    #[serde(rename = "async")]
    pub background: Option<bool>,
}

pub(crate) async fn import(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(iq): Query<ImportQuery>,
    headers: HeaderMap,
    Body(body): Body,
) -> Response {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let table = match read_upload(&s, &sess.actor, UploadTarget::Organisations, ct, body.clone()).await {
        Ok(t) => t,
        Err(e) => return ApiError::new(e, lang).into_response(),
    };
    if iq.background == Some(true) {
        return match s.app.start_organisation_import(&sess.actor, table, body.to_vec()).await {
            Ok(id) => (StatusCode::ACCEPTED, Json(json!({"job": id, "status_url": format!("/api/v1/imports/{id}")})))
                .into_response(),
            Err(e) => ApiError::new(e, lang).into_response(),
        };
    }
    match s.app.import_organisations(&sess.actor, &table, &body).await {
        Ok(n) => (StatusCode::CREATED, Json(json!({"imported": n}))).into_response(),
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

/// Records or lifts exemptions from a CSV/XLSX body (`organisation_id`, `reason`),
/// all or nothing: 200 `{"applied": n}` or 422 with the rejected rows.
pub(crate) async fn import_exemptions(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    headers: HeaderMap,
    Body(body): Body,
) -> Response {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let result = match read_upload(&s, &sess.actor, UploadTarget::Exemptions, ct, body).await {
        Ok(table) => s.app.import_exemptions(&sess.actor, &table).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(n) => Json(json!({ "applied": n })).into_response(),
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

pub(crate) async fn export(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<OrgQuery>,
) -> Response {
    export_response(&s, &sess.actor, &q, lang).await
}

/// Builds a CSV or XLSX download of the organisations matching `q` (shared with the pages).
pub async fn export_response(s: &AppState, actor: &app::Actor, q: &OrgQuery, lang: Lang) -> Response {
    let (f, _) = q.filter();
    let xlsx = q.format.as_deref() == Some("xlsx");
    let result = if xlsx {
        s.app.export_organisations_xlsx(actor, &f).await
    } else {
        s.app.export_organisations_csv(actor, &f).await
    };
    let (ctype, name) = if xlsx {
        (crate::shared::files::XLSX, "organisations.xlsx")
    } else {
        ("text/csv; charset=utf-8", "organisations.csv")
    };
    crate::shared::files::file_response(result, ctype, name, false, lang)
}

/// Query of the job endpoint.
#[derive(Deserialize, Default)]
pub struct JobQuery {
    /// Seconds to wait for the job to end (long poll, at most 60).
    pub wait: Option<u64>,
}

/// A job in API form, its report translated.
pub fn job_json(job: &store::import_jobs::ImportJob, lang: Lang) -> serde_json::Value {
    // No report while the job runs; one that does not read as JSON shows as none.
    let report: serde_json::Value =
        job.report_json.as_deref().and_then(|r| serde_json::from_str(r).ok()).unwrap_or_default();
    let rows: Vec<app::RowError> =
        report.get("rows").and_then(|r| serde_json::from_value(r.clone()).ok()).unwrap_or_default();
    json!({
        "id": job.id, "kind": job.kind, "status": job.status, "total_rows": job.total_rows, "done_rows": job.done_rows,
        "imported": report.get("imported"),
        "rows": crate::shared::error::rows_json(&rows, lang),
        "errors": report.get("codes").and_then(|c| c.as_array()).map(|c| c.iter().filter_map(|k| k.as_str()).map(|k| crate::shared::i18n::t(lang, k)).collect::<Vec<_>>()),
    })
}

pub(crate) async fn import_job(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    Query(q): Query<JobQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let wait = std::time::Duration::from_secs(q.wait.unwrap_or(0).min(60));
    let job = s.app.import_job(&sess.actor, id, wait).await.api(lang)?;
    Ok(Json(job_json(&job, lang)))
}
