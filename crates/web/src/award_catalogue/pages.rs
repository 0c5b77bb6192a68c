//! `/award-types?year=`: the catalogue in force for a year, each form with who
//! proposes, who decides, its basis and whether it is still to be checked against
//! the text; the ministry edits one form (or adds or removes one) and so publishes
//! the version of that year.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use domain::awards::{AwardType, Recipient};
use domain::{Level, Role};
use minijinja::context;
use serde::Deserialize;

use crate::shared::auth::{Authed, Session};
use crate::shared::extract::{PageForm, Query};
use crate::shared::i18n::Lang;
use crate::shared::page::{base_ctx, field_messages, render, with, OrPage, PageResult};
use crate::AppState;

/// Query of the page.
#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i64>,
}

/// One form as typed in the ministry's edit form.
#[derive(Deserialize, Default, Clone, serde::Serialize)]
pub struct TypeForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    for_collective: Option<String>,
    #[serde(default)]
    for_individual: Option<String>,
    #[serde(default)]
    proposer_commune: Option<String>,
    #[serde(default)]
    proposer_province: Option<String>,
    #[serde(default)]
    proposer_nation: Option<String>,
    #[serde(default)]
    decider: String,
    #[serde(default)]
    decider_name: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    rule: String,
    #[serde(default)]
    to_confirm: Option<String>,
    #[serde(default)]
    from_year: String,
    /// Remove this form from the version.
    #[serde(default)]
    remove: Option<String>,
}

impl TypeForm {
    /// The award type typed; an unreadable number or level fails the check later.
    fn award(&self) -> AwardType {
        let mut recipients = Vec::new();
        if self.for_collective.is_some() {
            recipients.push(Recipient::Collective);
        }
        if self.for_individual.is_some() {
            recipients.push(Recipient::Individual);
        }
        let proposers = [
            (&self.proposer_commune, Level::Commune),
            (&self.proposer_province, Level::Province),
            (&self.proposer_nation, Level::Nation),
        ]
        .into_iter()
        .filter(|(v, _)| v.is_some())
        .map(|(_, l)| l)
        .collect();
        AwardType {
            code: self.code.trim().to_string(),
            name: self.name.trim().to_string(),
            recipients,
            proposers,
            decider: Level::parse(self.decider.trim()).unwrap_or(Level::Nation),
            decider_name: self.decider_name.trim().to_string(),
            basis: self.basis.trim().to_string(),
            rule: Some(self.rule.trim().to_string()).filter(|r| !r.is_empty()),
            to_confirm: self.to_confirm.is_some(),
            from_year: self.from_year.trim().parse().unwrap_or(i64::MAX),
        }
    }
}

async fn page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    year: i64,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let v = s.app.award_catalogue(year).await.or_page(s, lang, Some(sess))?;
    let versions = s.app.award_catalogue_years().await.or_page(s, lang, Some(sess))?;
    let can_edit = matches!(sess.actor.role, Role::Ministry | Role::Admin);
    let ctx = context! { year, version => v.version, items => v.items.clone(), versions, can_edit, errors, rules => domain::awards::catalogue::RULES };
    Ok(render(s, "award_types.html", status, with(base_ctx(lang, Some(sess), "nominations"), ctx)))
}

pub(crate) async fn show(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<YearQuery>,
) -> PageResult {
    page(&s, lang, &sess, q.year.unwrap_or_else(store::clock::current_year), StatusCode::OK, Vec::new()).await
}

/// Publishes the version of the form's year with one form changed, added or removed.
pub(crate) async fn edit(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<TypeForm>,
) -> PageResult {
    let year = f.year.trim().parse().unwrap_or(0);
    let current = s.app.award_catalogue(year).await.or_page(&s, lang, Some(&sess))?;
    let typed = f.award();
    let mut items: Vec<AwardType> = current.items.iter().filter(|a| a.code != typed.code).cloned().collect();
    if f.remove.is_none() {
        match current.items.iter().position(|a| a.code == typed.code) {
            Some(at) => items.insert(at.min(items.len()), typed),
            None => items.push(typed),
        }
    }
    match s.app.publish_award_catalogue(&sess.actor, year, &items).await {
        Ok(()) => Ok(Redirect::to(&format!("/award-types?year={year}")).into_response()),
        Err(e @ (app::AppError::Validation(_) | app::AppError::Forbidden(_))) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            page(
                &s,
                lang,
                &sess,
                if year == 0 { store::clock::current_year() } else { year },
                status,
                field_messages(lang, &e),
            )
            .await
        }
        Err(e) => Err(e).or_page(&s, lang, Some(&sess)),
    }
}
