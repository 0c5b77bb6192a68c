//! The yearly campaign page: the year's deadlines, recognition target and who
//! approves communes, with a form for the ministry to adjust them.

use crate::shared::extract::Query;
use app::campaigns::CampaignInput;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use minijinja::context;
use serde::Deserialize;

use crate::shared::auth::{Authed, Session};
use crate::shared::extract::PageForm;
use crate::shared::i18n::Lang;
use crate::shared::page::{base_ctx, field_messages, render, with, OrPage, PageResult};
use crate::AppState;

/// `?year=`.
#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i64>,
}

async fn page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    year: i64,
    form: Option<&CampaignInput>,
    errors: Vec<String>,
    status: StatusCode,
) -> PageResult {
    let (c, adjusted) = s.app.campaign_and_origin(year).await.or_page(s, lang, Some(sess))?;
    let mut shown = super::api::campaign_json(&c, adjusted);
    if let Some(f) = form {
        shown["residential_area_deadline"] = f.residential_area_deadline.clone().into();
        shown["commune_deadline"] = f.commune_deadline.clone().into();
        shown["province_summary_deadline"] = f.province_summary_deadline.clone().into();
        shown["target_percent"] = f.target_percent.into();
        shown["commune_approver"] = f.commune_approver.clone().into();
    }
    let can_edit = matches!(sess.actor.role, domain::Role::Ministry | domain::Role::Admin);
    let ctx = context! { year, c => minijinja::Value::from_serialize(&shown), can_edit, errors };
    Ok(render(s, "campaign.html", status, with(base_ctx(lang, Some(sess), "movement"), ctx)))
}

pub(crate) async fn show(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<YearQuery>,
) -> PageResult {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    page(&s, lang, &sess, year, None, vec![], StatusCode::OK).await
}

/// The form: the API's input plus the year.
#[derive(Deserialize)]
pub struct CampaignForm {
    year: i64,
    residential_area_deadline: String,
    commune_deadline: String,
    province_summary_deadline: String,
    target_percent: String,
    commune_approver: String,
}

pub(crate) async fn save(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<CampaignForm>,
) -> PageResult {
    let input = CampaignInput {
        residential_area_deadline: f.residential_area_deadline,
        commune_deadline: f.commune_deadline,
        province_summary_deadline: f.province_summary_deadline,
        // An unreadable number fails the 1–100 check with its own message.
        target_percent: f.target_percent.trim().parse().unwrap_or(0),
        commune_approver: f.commune_approver,
    };
    match s.app.set_campaign(&sess.actor, f.year, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/campaigns?year={}", f.year)).into_response()),
        Err(e) => {
            let status = crate::shared::error::status_and_code(&e).0;
            page(&s, lang, &sess, f.year, Some(&input), field_messages(lang, &e), status).await
        }
    }
}
