//! `/api/v1/criteria-sets`: the criteria of each instrument, subject and year.

use crate::shared::auth::Authed;
use crate::shared::error::{plain_error, ApiError, ApiResultExt};
use crate::shared::extract::ApiJson;
use crate::shared::extract::Query;
use crate::shared::i18n::Lang;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::criteria::{CriteriaSet, Instrument, Subject};
use serde::Deserialize;
use serde_json::{json, Value};

/// Query of the criteria-set list.
#[derive(Deserialize, Default)]
pub struct SetQuery {
    instrument: Option<String>,
    subject: Option<String>,
}

pub(crate) async fn criteria_sets(State(s): State<AppState>, lang: Lang, Query(q): Query<SetQuery>) -> Response {
    let instrument = match q.instrument.as_deref().filter(|x| !x.is_empty()) {
        None => None,
        Some(i) => match Instrument::parse(i) {
            Some(i) => Some(i),
            None => return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang),
        },
    };
    let subject = match q.subject.as_deref().filter(|x| !x.is_empty()) {
        None => None,
        Some(x) => match Subject::parse(x) {
            Some(x) => Some(x),
            None => return plain_error(StatusCode::BAD_REQUEST, "bad_request", lang),
        },
    };
    match s.app.criteria_sets(instrument, subject).await {
        Ok(items) => Json(json!({ "items": items })).into_response(),
        Err(e) => ApiError::new(e, lang).into_response(),
    }
}

pub(crate) async fn add_criteria_set(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    ApiJson(set): ApiJson<CriteriaSet>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = s.app.add_criteria_set(&sess.actor, &set).await.api(lang)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}
