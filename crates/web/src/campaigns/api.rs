//! `/api/v1/campaigns/{year}`: the year's targets and deadlines.

use crate::shared::auth::Authed;
use crate::shared::error::{ApiError, ApiResultExt};
use crate::shared::extract::ApiJson;
use crate::shared::extract::Path;
use crate::shared::i18n::Lang;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

/// A campaign as JSON, with whether the ministry adjusted it.
pub fn campaign_json(c: &domain::campaign::Campaign, adjusted: bool) -> Value {
    json!({
        "year": c.year,
        "residential_area_deadline": c.residential_area_deadline,
        "commune_deadline": c.commune_deadline,
        "province_summary_deadline": c.province_summary_deadline,
        "target_percent": c.target_percent,
        "commune_approver": c.commune_approver.as_str(),
        "adjusted": adjusted,
    })
}

pub(crate) async fn get_campaign(
    State(s): State<AppState>,
    lang: Lang,
    Authed(_sess): Authed,
    Path(year): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let (c, adjusted) = s.app.campaign_and_origin(year).await.api(lang)?;
    Ok(Json(campaign_json(&c, adjusted)))
}

pub(crate) async fn put_campaign(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Path(year): Path<i64>,
    ApiJson(b): ApiJson<app::campaigns::CampaignInput>,
) -> Result<Json<Value>, ApiError> {
    let c = s.app.set_campaign(&sess.actor, year, &b).await.api(lang)?;
    Ok(Json(campaign_json(&c, true)))
}
