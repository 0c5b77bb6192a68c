//! The models register (mô hình tự quản, tự phòng): list, register, yearly evaluation.

use app::movement::{EvaluationInput, ModelInput};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;

use super::{base_ctx, error_page, field_messages, pager, render, with};
use crate::api::Paging;
use crate::auth::{Authed, Session};
use crate::extract::PageForm;
use crate::i18n::Lang;
use crate::AppState;

/// Paging query.
#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<i64>,
}

async fn list_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    page: Option<i64>,
    status: StatusCode,
    errors: Vec<String>,
) -> Response {
    let p = Paging::new(page, Some(50));
    let (items, total) = match s.app.list_models(&sess.actor, p.size, p.offset()).await {
        Ok(x) => x,
        Err(e) => return error_page(s, lang, Some(sess), e),
    };
    let types = s.app.model_types().await.unwrap_or_default();
    let year = store::units::current_year();
    let can_write = sess.actor.role.can_write() && sess.actor.role != domain::Role::Organisation;
    let ctx = context! { items, types, year, can_write, errors, today => store::units::today_iso(), ..pager(total, p, String::new()) };
    render(s, "models.html", status, with(base_ctx(lang, Some(sess), "models"), ctx))
}

pub(super) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<PageQuery>,
) -> Response {
    list_page(&s, lang, &sess, q.page, StatusCode::OK, vec![]).await
}

/// New model form.
#[derive(Deserialize)]
pub struct ModelForm {
    type_code: String,
    name: String,
    unit_code: String,
    started_on: String,
    #[serde(default)]
    partners: Option<String>,
    #[serde(default)]
    dan_van_kheo: Option<String>,
}

pub(super) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<ModelForm>,
) -> Response {
    let input = ModelInput {
        type_code: f.type_code,
        name: f.name,
        unit_code: f.unit_code,
        started_on: f.started_on,
        partners: f.partners,
        replicates_id: None,
        dan_van_kheo: f.dan_van_kheo.is_some(),
    };
    match s.app.create_model(&sess.actor, &input).await {
        Ok(_) => Redirect::to("/models").into_response(),
        Err(e) => {
            let (status, _) = crate::error::status_and_code(&e);
            list_page(&s, lang, &sess, None, status, field_messages(lang, &e)).await
        }
    }
}

pub(super) async fn evaluate(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path(id): Path<String>,
    PageForm(f): PageForm<EvaluationInput>,
) -> Response {
    let id = match crate::error::parse_record_id(&id) {
        Ok(id) => id,
        Err(e) => return error_page(&s, lang, Some(&sess), e),
    };
    match s.app.evaluate_model(&sess.actor, id, &f).await {
        Ok(_) => Redirect::to("/models").into_response(),
        Err(e) => {
            let (status, _) = crate::error::status_and_code(&e);
            list_page(&s, lang, &sess, None, status, field_messages(lang, &e)).await
        }
    }
}
