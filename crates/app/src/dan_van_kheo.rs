//! "Dân vận khéo" as an emulation: the police of the unit holding a model register
//! it for the year; the level above recognises it by decision (number, date, and
//! whether the public honour roll may show it) or returns it with a reason; a
//! recognised model carries the mark for that year. Each step audited. The counts
//! by level and by model type feed the register and the dashboards.

use domain::dan_van_kheo::{self as dvk, DvkStatus};
use domain::{Level, ValidationError};
use serde::Deserialize;
use store::audit::AuditEntry;
use store::dan_van_kheo::{DvkCounts, DvkRecord, DvkStep, NewDvk};

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// Body of `POST /api/v1/dan-van-kheo`.
#[derive(Debug, Clone, Deserialize)]
pub struct DvkRegistration {
    /// The model.
    pub model_id: i64,
    /// The year.
    pub year: i64,
}

/// Body of `POST /api/v1/dan-van-kheo/{id}/decision`.
#[derive(Debug, Clone, Deserialize)]
pub struct DvkDecision {
    /// recognised | returned | registered (sent again after a return).
    pub to: String,
    /// The decision's number (recognised).
    #[serde(default)]
    pub decision_number: Option<String>,
    /// Its date, YYYY-MM-DD (recognised).
    #[serde(default)]
    pub decision_date: Option<String>,
    /// Why it is returned.
    #[serde(default)]
    pub reason: Option<String>,
    /// The decision lets the public honour roll show the model.
    #[serde(default)]
    pub public: bool,
}

/// The level of the unit holding a model: a commune's (or a residential area's,
/// or an organisation's in a commune) or a province's own.
fn holder_level(commune: Option<&str>) -> Level {
    if commune.is_some() {
        Level::Commune
    } else {
        Level::Province
    }
}

impl App {
    /// Registers a model in scope for a year (this year or the last).
    pub async fn register_dvk(&self, actor: &Actor, input: &DvkRegistration) -> AppResult<DvkRecord> {
        actor.require_police_write()?;
        let model = self.store.model(&actor.scope, input.model_id).await?;
        let holder = holder_level(model.commune_code.as_deref());
        if actor.role.unit_level() != Some(dvk::registrar(holder)) {
            return Err(AppError::Forbidden("dvk.not_your_step"));
        }
        let this_year = store::clock::current_year();
        if !(this_year - 1..=this_year).contains(&input.year) {
            return Err(ValidationError::one("year", "dvk.year_invalid").into());
        }
        if model.status == domain::model::ModelStatus::Dissolved {
            return Err(ValidationError::one("model_id", "dvk.model_dissolved").into());
        }
        if self.store.dvk_of_model(model.id, input.year).await?.is_some() {
            return Err(AppError::Conflict("dvk.already_registered"));
        }
        let new = NewDvk {
            model_id: model.id,
            year: input.year,
            holder_level: holder.as_str().to_string(),
            place: (model.province_code.clone(), model.commune_code.clone()),
        };
        let mut tx = self.store.begin_write().await?;
        let id = tx.insert_dvk(&new, actor.user_id).await.map_err(|e| match e {
            store::StoreError::Conflict(_) => AppError::Conflict("dvk.already_registered"),
            other => other.into(),
        })?;
        let after = serde_json::json!({"model": model.id, "year": input.year});
        AuditEntry::new(Some(actor.user_id), "dvk.register", "dvk_entry", id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(self.store.dvk_entry(&actor.scope, id).await?)
    }

    /// The level above recognises (by decision) or returns an entry in scope; the
    /// registering unit sends a returned one again.
    pub async fn decide_dvk(&self, actor: &Actor, id: i64, d: &DvkDecision) -> AppResult<DvkRecord> {
        actor.require_police_write()?;
        let e = self.store.dvk_entry(&actor.scope, id).await?;
        let to = DvkStatus::parse(d.to.trim()).ok_or_else(|| ValidationError::one("to", "dvk.step_invalid"))?;
        let acting = actor.role.unit_level().ok_or(AppError::Forbidden("auth.not_allowed"))?;
        let holder = Level::parse(&e.holder_level).ok_or_else(|| AppError::Internal("holder level".into()))?;
        let next = dvk::decide(e.status, to, acting, holder).map_err(|k| match k {
            "dvk.not_your_step" => AppError::Forbidden(k),
            other => AppError::Conflict(other),
        })?;
        let mut err = ValidationError::default();
        let reason = d.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
        if next == DvkStatus::Returned && reason.is_none_or(|r| r.chars().count() < 5) {
            err.push("reason", "nomination.reason_required");
        }
        let number = d.decision_number.as_deref().map(str::trim).filter(|x| !x.is_empty());
        let date = d.decision_date.as_deref().and_then(domain::unit::parse_day);
        if next == DvkStatus::Recognised {
            if number.is_none_or(|n| n.chars().count() > 60) {
                err.push("decision_number", "nomination.decision_number_required");
            }
            if date.is_none_or(|x| x > store::clock::today() || i64::from(chrono::Datelike::year(&x)) < e.year) {
                err.push("decision_date", "nomination.decision_date_invalid");
            }
        }
        err.into_result()?;
        let date = date.map(|x| x.to_string());
        let decision = match (next, number, date.as_deref()) {
            (DvkStatus::Recognised, Some(n), Some(dd)) => Some((n, dd)),
            _ => None,
        };
        let public = next == DvkStatus::Recognised && d.public;
        let step = DvkStep {
            from: e.status,
            to: next,
            decision,
            reason: reason.filter(|_| next == DvkStatus::Returned),
            public,
        };
        let mut tx = self.store.begin_write().await?;
        if tx.move_dvk(id, &step, actor.user_id).await? == 0 {
            return Err(AppError::Conflict("dvk.step_invalid"));
        }
        let after = serde_json::json!({"from": e.status.as_str(), "to": next.as_str(), "decision": decision, "reason": step.reason, "public": public});
        AuditEntry::new(Some(actor.user_id), "dvk.decide", "dvk_entry", id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(self.store.dvk_entry(&actor.scope, id).await?)
    }

    /// A year's entries in scope.
    pub async fn dvk_entries(
        &self,
        actor: &Actor,
        year: i64,
        status: Option<DvkStatus>,
        limit: i64,
        offset: i64,
    ) -> AppResult<(Vec<DvkRecord>, i64)> {
        Ok(self.store.list_dvk(&actor.scope, year, status, limit, offset).await?)
    }

    /// Every year's entry of a model in scope.
    pub async fn dvk_of_model(&self, actor: &Actor, model: i64) -> AppResult<Vec<DvkRecord>> {
        self.store.model(&actor.scope, model).await?;
        Ok(self.store.dvk_years_of_model(model).await?)
    }

    /// A year's counts in the actor's scope or a unit inside it.
    pub async fn dvk_counts(&self, actor: &Actor, year: i64, unit: Option<&str>) -> AppResult<DvkCounts> {
        let scope = self.narrowed_scope(actor, unit).await?;
        let c = self
            .memo(format!("dvk|{scope:?}|{year}"), || async { Ok(self.store.dvk_counts(&scope, year).await?) })
            .await?;
        Ok((*c).clone())
    }
}
