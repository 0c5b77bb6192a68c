//! Key areas (địa bàn trọng điểm) and criterion 19: decisions by the province and
//! above, and each commune's yearly criterion-19 record.

use chrono::NaiveDate;
use domain::model::KeyAreaAction;
use domain::{Level, Role, ValidationError};
use serde::Deserialize;
use store::audit::AuditEntry;
use store::units::UnitRecord;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// Input of a key-area decision.
#[derive(Debug, Clone, Deserialize)]
pub struct KeyAreaInput {
    /// Commune.
    pub unit_code: String,
    /// designate | remove
    pub action: String,
    /// Decision number.
    pub decision_number: String,
    /// Decision date (YYYY-MM-DD, not in the future).
    pub decision_date: String,
}

/// A date (YYYY-MM-DD) that is not in the future, for `field`.
pub(crate) fn valid_past_date(field: &str, raw: &str) -> Result<NaiveDate, ValidationError> {
    let d = domain::unit::parse_iso_date(raw)
        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .ok_or_else(|| ValidationError::one(field, "movement.date_invalid"))?;
    if d > store::clock::today() {
        return Err(ValidationError::one(field, "movement.date_future"));
    }
    Ok(d)
}

/// The action and date of a key-area decision on `unit`, checked.
fn checked_decision(unit: &UnitRecord, input: &KeyAreaInput) -> Result<(KeyAreaAction, NaiveDate), ValidationError> {
    let mut err = ValidationError::default();
    if unit.level != Level::Commune {
        err.push("unit_code", "movement.key_area_commune_only");
    }
    let action = KeyAreaAction::parse(&input.action);
    if action.is_none() {
        err.push("action", "movement.action_unknown");
    }
    if input.decision_number.trim().is_empty() {
        err.push("decision_number", "assessment.decision_number_missing");
    }
    let date = valid_past_date("decision_date", &input.decision_date).map_err(|e| err.errors.extend(e.errors)).ok();
    err.into_result()?;
    action.zip(date).ok_or_else(|| ValidationError::one("action", "movement.action_unknown"))
}

impl App {
    /// Key-area decisions in the actor's scope (or a unit inside it), optionally of a year.
    pub async fn list_key_areas(
        &self,
        actor: &Actor,
        unit: Option<&str>,
        year: Option<i64>,
        limit: i64,
        offset: i64,
    ) -> AppResult<(Vec<store::key_areas::KeyAreaRow>, i64)> {
        let scope = self.narrowed_scope(actor, unit).await?;
        Ok(self.store.list_key_area_events(&scope, year, limit, offset).await?)
    }

    /// Every commune in the actor's scope (or a unit inside it) with its criterion 19 of a year.
    pub async fn list_criterion19(
        &self,
        actor: &Actor,
        unit: Option<&str>,
        year: i64,
        met: Option<bool>,
        limit: i64,
        offset: i64,
    ) -> AppResult<(Vec<store::key_areas::Criterion19Row>, i64)> {
        let scope = self.narrowed_scope(actor, unit).await?;
        Ok(self.store.list_criterion19(&scope, year, met, limit, offset).await?)
    }

    /// Records the designation or removal of a commune as a key area (province and above).
    pub async fn key_area_decision(&self, actor: &Actor, input: &KeyAreaInput) -> AppResult<i64> {
        actor.require_write()?;
        let unit = self.store.unit(input.unit_code.trim()).await?;
        if !actor.scope.contains(&unit.place()) {
            return Err(AppError::NotFound);
        }
        if !matches!(actor.role, Role::Province | Role::Ministry | Role::Admin) {
            return Err(AppError::Forbidden("auth.not_allowed"));
        }
        let (action, date) = checked_decision(&unit, input)?;
        if (action == KeyAreaAction::Designate) == self.store.is_key_area(&unit.code).await? {
            return Err(AppError::Conflict("movement.key_area_state"));
        }
        // Decisions follow one another: one dated before the latest would rewrite history.
        if let Some(last) = self.store.key_area_history(&unit.code).await?.first() {
            if date < last.decision_date {
                return Err(ValidationError::one("decision_date", "movement.decision_before_last").into());
            }
        }
        let number = input.decision_number.trim();
        let province = unit.province_code.as_deref().unwrap_or_default();
        let mut tx = self.store.begin_write().await?;
        let id = tx
            .insert_key_area_event(
                &unit.code,
                province,
                unit.commune_code.as_deref(),
                action,
                number,
                date,
                Some(actor.user_id),
            )
            .await?;
        let after =
            serde_json::json!({"action": action, "decision_number": input.decision_number, "decision_date": date});
        AuditEntry::new(Some(actor.user_id), "key_area.decision", "unit", &unit.code)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records whether a commune meets new-rural criterion 19 in a year.
    pub async fn set_criterion19(&self, actor: &Actor, unit_code: &str, year: i64, met: bool) -> AppResult<()> {
        actor.require_write()?;
        let unit = self.store.unit(unit_code).await?;
        if !actor.scope.contains(&unit.place()) {
            return Err(AppError::NotFound);
        }
        if unit.level != Level::Commune {
            return Err(ValidationError::one("unit_code", "movement.key_area_commune_only").into());
        }
        if !(2000..=store::clock::current_year()).contains(&year) {
            return Err(ValidationError::one("year", "assessment.year_invalid").into());
        }
        if !actor.scope.oversees(&unit.place()) {
            return Err(AppError::Forbidden("movement.evaluator_not_above"));
        }
        let mut tx = self.store.begin_write().await?;
        tx.set_criterion19(&unit.code, unit.province_code.as_deref().unwrap_or_default(), year, met).await?;
        AuditEntry::new(Some(actor.user_id), "criterion19.set", "unit", &unit.code)
            .after(&serde_json::json!({"year": year, "met": met}))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A commune's key-area history, if it lies in the actor's scope.
    pub async fn key_area_history(
        &self,
        actor: &Actor,
        unit_code: &str,
    ) -> AppResult<Vec<store::key_areas::KeyAreaEvent>> {
        let unit = self.store.unit(unit_code).await?;
        if !actor.scope.contains(&unit.place()) {
            return Err(AppError::NotFound);
        }
        Ok(self.store.key_area_history(unit_code).await?)
    }
}
