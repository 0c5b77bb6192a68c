//! `/api/v1/cases` for officers: the inbox, export, filing for a citizen, the case,
//! revealing a contact, replies, actions, attachments; the routing rules.

use crate::shared::auth::Authed;
use crate::shared::error::{plain_error, ApiError, ApiResultExt};
use crate::shared::error::{RecordId, RecordIds};
use crate::shared::extract::ApiJson;
use crate::shared::extract::Query;
use crate::shared::i18n::Lang;
use crate::shared::paging::Paging;
use crate::AppState;
use app::cases::{CaseAction, CaseInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use store::cases::CaseFilter;

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

pub(crate) async fn list(
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

pub(crate) async fn export(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<CaseQuery>,
) -> Response {
    let Some(f) = q.filter(sess.actor.user_id) else {
        return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang);
    };
    let r = s.app.export_cases_xlsx(&sess.actor, f).await;
    crate::shared::files::file_response(r, crate::shared::files::XLSX, "phan-anh.xlsx", false, lang)
}

pub(crate) async fn file_for_citizen(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(input): ApiJson<CaseInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let r = s.app.file_case_for_citizen(&sess.actor, &input).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!(r))))
}

pub(crate) async fn get_one(
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

pub(crate) async fn reveal(
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

pub(crate) async fn reply(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(b): ApiJson<ReplyInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let mid = s.app.reply_case(&sess.actor, id, &b.body, b.public).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({"id": mid}))))
}

pub(crate) async fn act(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordId(id): RecordId,
    ApiJson(action): ApiJson<CaseAction>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(s.app.act_on_case(&sess.actor, id, &action).await.api(lang)?)))
}

pub(crate) async fn attachment(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    RecordIds(id, att): RecordIds,
) -> Response {
    match s.app.case_attachment(&sess.actor, id, att).await {
        Ok((info, bytes)) => {
            let ct = info.content_type.clone();
            let ext = match ct.as_str() {
                "application/pdf" => "pdf",
                "image/png" => "png",
                _ => "jpg",
            };
            crate::shared::files::file_response(
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

pub(crate) async fn routes(
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

pub(crate) async fn set_route(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(b): ApiJson<app::cases::RoutingRule>,
) -> Result<Json<Value>, ApiError> {
    s.app.set_routing_rule(&sess.actor, &b.kind, &b.target).await.api(lang)?;
    Ok(Json(json!(b)))
}
