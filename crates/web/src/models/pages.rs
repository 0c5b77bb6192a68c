//! The models register (mô hình tự quản, tự phòng): list, register, yearly evaluation.

use crate::shared::extract::Query;
use app::models::{EvaluationInput, ModelInput, ModelUpdate};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use minijinja::context;
use serde::Deserialize;

use super::api::ModelQuery;
use crate::shared::auth::{Authed, Session};
use crate::shared::extract::PageForm;
use crate::shared::i18n::Lang;
use crate::shared::page::{base_ctx, field_messages, render, with, OrPage, PageId, PageResult};
use crate::shared::paging::pager;
use crate::shared::paging::Paging;
use crate::AppState;

async fn list_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    q: &ModelQuery,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let p = Paging::new(q.page, Some(50));
    let f = q.to_filter().unwrap_or_default();
    let (items, total) = s
        .app
        .list_models_filtered(&sess.actor, q.unit.as_deref(), &f, p.size, p.offset())
        .await
        .or_page(s, lang, Some(sess))?;
    let y = f.year.map(|y| y.to_string());
    let qs = crate::shared::paging::query_string(&[
        ("type", f.type_code.as_deref()),
        ("verdict", f.verdict.as_deref()),
        ("year", y.as_deref()),
        ("status", f.status.as_deref()),
        ("unit", q.unit.as_deref()),
        ("dan_van_kheo", f.dan_van_kheo.map(|d| if d { "true" } else { "false" })),
    ]);
    let filter = context! { type_code => f.type_code, verdict => f.verdict, year => f.year, status => f.status, unit => q.unit.clone(), dan_van_kheo => f.dan_van_kheo };
    let types = s.app.model_types().await.unwrap_or_default();
    let year = store::clock::current_year();
    let can_write = sess.actor.is_police_writer();
    // Organisations in scope that may host a model, by name (the form sends the number).
    let orgs: Vec<(i64, String)> = if can_write {
        let f = store::organisations::OrgFilter { limit: 500, ..Default::default() };
        s.app
            .list_organisations(&sess.actor, &f)
            .await
            .map(|p| p.items.into_iter().map(|o| (o.id, o.name)).collect())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let ctx = context! { items, types, year, total, can_write, errors, filter, orgs, filtered => !qs.is_empty(), today => store::clock::today_iso(), ..pager(total, p, qs) };
    Ok(render(s, "models.html", status, with(base_ctx(lang, Some(sess), "models"), ctx)))
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<ModelQuery>,
) -> PageResult {
    list_page(&s, lang, &sess, &q, StatusCode::OK, vec![]).await
}

/// New model form.
#[derive(Deserialize)]
pub struct ModelForm {
    type_code: String,
    name: String,
    #[serde(default)]
    unit_code: String,
    /// An organisation hosting the model instead (its number, from the list).
    #[serde(default)]
    organisation_id: Option<String>,
    started_on: String,
    #[serde(default)]
    partners: Option<String>,
}

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<ModelForm>,
) -> PageResult {
    // An organisation chosen hosts the model; otherwise the unit typed does.
    let organisation = f.organisation_id.as_deref().map(str::trim).filter(|o| !o.is_empty());
    let organisation_id = match organisation.map(|o| o.trim_start_matches('#').parse::<i64>()) {
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => Some(0),
        None => None,
    };
    let input = ModelInput {
        type_code: f.type_code,
        name: f.name,
        unit_code: if organisation_id.is_some() { String::new() } else { f.unit_code },
        organisation_id,
        started_on: f.started_on,
        partners: f.partners,
        replicates_id: None,
    };
    match s.app.create_model(&sess.actor, &input).await {
        Ok(_) => Ok(Redirect::to("/models").into_response()),
        Err(e) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            list_page(&s, lang, &sess, &ModelQuery::default(), status, field_messages(lang, &e)).await
        }
    }
}

async fn detail_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    id: i64,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let m = s.app.model(&sess.actor, id).await.or_page(s, lang, Some(sess))?;
    let evaluations: Vec<_> = s
        .app
        .model_evaluations(&sess.actor, id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|(year, verdict, note)| context! { year, verdict, note })
        .collect();
    let copied = match m.replicates_id {
        Some(r) => s.app.model(&sess.actor, r).await.ok().map(|x| context! { id => x.id, name => x.name }),
        None => None,
    };
    let types = s.app.model_types().await.unwrap_or_default();
    let type_name = types.iter().find(|t| t.code == m.type_code).map(|t| t.name.clone()).unwrap_or(m.type_code.clone());
    let can_write = sess.actor.is_police_writer();
    let host = s.app.unit(&m.unit_code).await.map(|u| u.name).unwrap_or(m.unit_code.clone());
    let replicas = s.app.model_replicas(&sess.actor, id).await.unwrap_or_default();
    let dvk = s.app.dvk_of_model(&sess.actor, id).await.or_page(s, lang, Some(sess))?;
    let ctx = context! { m, evaluations, copied, replicas, dvk, type_name, host, can_write, errors, year => store::clock::current_year(), statuses => app::models::MODEL_STATUSES };
    Ok(render(s, "model.html", status, with(base_ctx(lang, Some(sess), "models"), ctx)))
}

pub(crate) async fn detail(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
) -> PageResult {
    detail_page(&s, lang, &sess, id, StatusCode::OK, vec![]).await
}

/// The model edit form.
#[derive(Deserialize)]
pub struct UpdateForm {
    status: String,
    #[serde(default)]
    partners: Option<String>,
    #[serde(default)]
    outcomes: Option<String>,
}

pub(crate) async fn update(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<UpdateForm>,
) -> PageResult {
    let input = ModelUpdate { status: f.status, partners: f.partners, outcomes: f.outcomes };
    match s.app.update_model(&sess.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/models/{id}")).into_response()),
        Err(e) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            detail_page(&s, lang, &sess, id, status, field_messages(lang, &e)).await
        }
    }
}

pub(crate) async fn evaluate(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<EvaluationInput>,
) -> PageResult {
    match s.app.evaluate_model(&sess.actor, id, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/models/{id}")).into_response()),
        Err(e) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            detail_page(&s, lang, &sess, id, status, field_messages(lang, &e)).await
        }
    }
}
