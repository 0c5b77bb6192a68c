//! `/api/v1/models` and `/api/v1/model-types`: self-management models, their types
//! and yearly evaluations, and the export.

use crate::shared::auth::Authed;
use crate::shared::error::RecordId;
use crate::shared::error::{plain_error, ApiError, ApiResultExt};
use crate::shared::extract::ApiJson;
use crate::shared::extract::Query;
use crate::shared::i18n::Lang;
use crate::shared::paging::Paging;
use crate::AppState;
use app::models::{EvaluationInput, ModelInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

pub(crate) async fn model_types(State(s): State<AppState>, lang: Lang) -> Result<Json<Value>, ApiError> {
    let items = s.app.model_types().await.api(lang)?;
    Ok(Json(json!({ "items": items })))
}

/// Query of the model list: `type`, `verdict` (with `year`), `status`, `unit`.
#[derive(Deserialize, Default, Clone)]
pub struct ModelQuery {
    /// Type code.
    #[serde(rename = "type")]
    pub type_code: Option<String>,
    /// effective | formal (in `year`, default this year).
    pub verdict: Option<String>,
    /// Year of the verdict.
    pub year: Option<i64>,
    /// Status.
    pub status: Option<String>,
    /// A unit in scope.
    pub unit: Option<String>,
    /// `true`: only models marked "Dân vận khéo"; `false`: only those not.
    pub dan_van_kheo: Option<String>,
    /// Only the models hosted by this organisation.
    pub organisation_id: Option<i64>,
    /// Page.
    pub page: Option<i64>,
    /// Page size.
    pub size: Option<i64>,
}

impl ModelQuery {
    /// The store filter, or `None` for a value that is not allowed.
    pub fn to_filter(&self) -> Option<store::models::ModelFilter> {
        let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|x| !x.is_empty()).map(str::to_string);
        let verdict = text(&self.verdict);
        if verdict.as_deref().is_some_and(|v| !matches!(v, "effective" | "formal")) {
            return None;
        }
        let status = text(&self.status);
        if status.as_deref().is_some_and(|v| !app::models::MODEL_STATUSES.contains(&v)) {
            return None;
        }
        let dan_van_kheo = match text(&self.dan_van_kheo).as_deref() {
            None => None,
            Some("true" | "1") => Some(true),
            Some("false" | "0") => Some(false),
            Some(_) => return None,
        };
        Some(store::models::ModelFilter {
            type_code: text(&self.type_code),
            year: verdict.as_ref().map(|_| self.year.unwrap_or_else(store::clock::current_year)),
            verdict,
            status,
            dan_van_kheo,
            organisation_id: self.organisation_id,
        })
    }
}

pub(crate) async fn list_models(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<ModelQuery>,
) -> Response {
    let p = Paging::new(q.page, q.size);
    let Some(f) = q.to_filter() else { return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang) };
    match s.app.list_models_filtered(&sess.actor, q.unit.as_deref(), &f, p.size, p.offset()).await {
        Ok((items, total)) => {
            Json(json!({"items": items, "total": total, "page": p.page, "size": p.size})).into_response()
        }
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

pub(crate) async fn update_model(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<app::models::ModelUpdate>,
) -> Result<Json<store::models::ModelRecord>, ApiError> {
    Ok(Json(s.app.update_model(&sess.actor, id, &b).await.api(lang)?))
}

pub(crate) async fn model_evaluations(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<Value>, ApiError> {
    let items: Vec<Value> = s
        .app
        .model_evaluations(&sess.actor, id)
        .await
        .api(lang)?
        .into_iter()
        .map(|(year, verdict, note)| json!({"year": year, "verdict": verdict, "note": note}))
        .collect();
    Ok(Json(json!({ "items": items })))
}

pub(crate) async fn put_model_type(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<app::models::ModelTypeInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    s.app.put_model_type(&sess.actor, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({"code": b.code.trim(), "name": b.name.trim(), "active": b.active}))))
}

pub(crate) async fn create_model(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<ModelInput>,
) -> Result<(StatusCode, Json<store::models::ModelRecord>), ApiError> {
    let m = s.app.create_model(&sess.actor, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(m)))
}

pub(crate) async fn get_model(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
) -> Result<Json<store::models::ModelRecord>, ApiError> {
    Ok(Json(s.app.model(&sess.actor, id).await.api(lang)?))
}

pub(crate) async fn evaluate_model(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<EvaluationInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let eid = s.app.evaluate_model(&sess.actor, id, &b).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({"id": eid, "model_id": id, "year": b.year, "verdict": b.verdict}))))
}

pub(crate) async fn export_models(State(s): State<AppState>, lang: Lang, Authed(sess): Authed) -> Response {
    let r = s.app.export_models_xlsx(&sess.actor).await;
    crate::shared::files::file_response(r, crate::shared::files::XLSX, "mo-hinh.xlsx", false, lang)
}
