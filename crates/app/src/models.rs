//! Models (mô hình tự quản, tự phòng): registration, changes, the type catalogue
//! and the yearly evaluations by the level above the host.

use domain::model::{ModelStatus, Verdict};
use domain::{Level, Role, ValidationError};
use serde::Deserialize;
use store::audit::AuditEntry;
use store::models::{ModelRecord, ModelType, NewModel};
use store::StoreError;

use crate::error::AppResult;
use crate::key_areas::valid_past_date;
use crate::{Actor, App, AppError};

/// Input of a new model.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelInput {
    /// Type code.
    pub type_code: String,
    /// Name.
    pub name: String,
    /// Host unit (commune or residential area); empty when an organisation hosts it.
    #[serde(default)]
    pub unit_code: String,
    /// Host organisation (an agency, enterprise or school in scope) instead of a unit.
    #[serde(default)]
    pub organisation_id: Option<i64>,
    /// Start date.
    pub started_on: String,
    /// Partners.
    #[serde(default)]
    pub partners: Option<String>,
    /// Copied model.
    #[serde(default)]
    pub replicates_id: Option<i64>,
}

/// Input of `PUT /api/v1/models/{id}`: what may change on a model.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelUpdate {
    /// active | consolidated | replicated | dissolved
    pub status: String,
    /// Partners.
    #[serde(default)]
    pub partners: Option<String>,
    /// Aggregate outcomes (free text, at most 4,000 characters).
    #[serde(default)]
    pub outcomes: Option<String>,
}

/// Input of `POST /api/v1/model-types`.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelTypeInput {
    /// Code: 2–40 characters a–z, 0–9, underscore.
    pub code: String,
    /// Name in Vietnamese.
    pub name: String,
    /// Offered for new models (default true).
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// The model statuses, as the forms list them.
pub const MODEL_STATUSES: [&str; 4] = ["active", "consolidated", "replicated", "dissolved"];

/// Input of a model evaluation.
#[derive(Debug, Clone, Deserialize)]
pub struct EvaluationInput {
    /// Year.
    pub year: i64,
    /// effective | formal
    pub verdict: String,
    /// Note.
    #[serde(default)]
    pub note: Option<String>,
    /// Why a verdict already given for the year is corrected (only by whoever gave it).
    #[serde(default)]
    pub correction_reason: Option<String>,
}

impl App {
    /// The model type catalogue.
    pub async fn model_types(&self) -> AppResult<Vec<ModelType>> {
        // Read by every dashboard request; kept like the figures that it names.
        let types = self.memo("model_types".into(), || async { Ok(self.store.model_types().await?) }).await?;
        Ok(Vec::clone(&types))
    }

    /// Models in scope.
    pub async fn list_models(&self, actor: &Actor, limit: i64, offset: i64) -> AppResult<(Vec<ModelRecord>, i64)> {
        Ok(self.store.list_models(&actor.scope, limit, offset).await?)
    }

    /// One model in scope.
    pub async fn model(&self, actor: &Actor, id: i64) -> AppResult<ModelRecord> {
        Ok(self.store.model(&actor.scope, id).await?)
    }

    /// Registers a model hosted by a commune or residential area in scope.
    pub async fn create_model(&self, actor: &Actor, input: &ModelInput) -> AppResult<ModelRecord> {
        actor.require_police_write()?;
        let new = self.checked_model(actor, input).await?;
        let mut tx = self.store.begin_write().await?;
        let id = tx.insert_model(&new).await?;
        let after = serde_json::json!({"name": new.name, "type": new.type_code, "unit": new.unit_code, "organisation": new.organisation_id});
        AuditEntry::new(Some(actor.user_id), "model.create", "model", id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(self.store.model(&actor.scope, id).await?)
    }

    /// A new model from `input`, checked: name, an active type, a past start date, a
    /// host commune or area in scope, an existing model copied.
    async fn checked_model(&self, actor: &Actor, input: &ModelInput) -> AppResult<NewModel> {
        let mut err = ValidationError::default();
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 300 {
            err.push("name", "org.name_empty");
        }
        if !self.store.model_types().await?.iter().any(|t| t.code == input.type_code && t.active) {
            err.push("type_code", "movement.model_type_unknown");
        }
        let started = valid_past_date("started_on", &input.started_on).map_err(|e| err.errors.extend(e.errors)).ok();
        // The host: a commune or residential area, or an organisation (recorded
        // under its commune).
        let host_unit = match (input.unit_code.trim(), input.organisation_id) {
            ("", Some(o)) => match self.store.organisation(&actor.scope, o).await {
                Ok(org) => Some(org.unit_code),
                Err(StoreError::NotFound) => {
                    err.push("organisation_id", "not_found");
                    None
                }
                Err(e) => return Err(e.into()),
            },
            (code, None) if !code.is_empty() => Some(code.to_string()),
            _ => {
                err.push("unit_code", "movement.model_host_one");
                None
            }
        };
        let unit = match host_unit {
            None => None,
            Some(code) => match self.store.unit(&code).await {
                Ok(u) if actor.scope.contains(&u.place()) && matches!(u.level, Level::Commune | Level::Area) => Some(u),
                Ok(_) | Err(StoreError::NotFound) => {
                    err.push("unit_code", "unit.parent_unknown");
                    None
                }
                Err(e) => return Err(e.into()),
            },
        };
        // A model may copy one anywhere in the country (replication spreads across
        // provinces); the copied model's details stay behind its scope.
        if let Some(r) = input.replicates_id {
            if !self.store.model_exists(r).await? {
                err.push("replicates_id", "movement.model_unknown");
            }
        }
        err.into_result()?;
        let (Some(unit), Some(started)) = (unit, started) else { return Err(AppError::Internal("validated".into())) };
        Ok(NewModel {
            type_code: input.type_code.clone(),
            name: name.to_string(),
            unit_code: unit.code.clone(),
            organisation_id: input.organisation_id.filter(|_| input.unit_code.trim().is_empty()),
            province_code: unit.province_code.clone().unwrap_or_default(),
            commune_code: unit.commune_code.clone(),
            started_on: domain::clock::iso(started),
            partners: input.partners.clone().filter(|p| !p.trim().is_empty()),
            replicates_id: input.replicates_id,
        })
    }

    /// Changes a model's status, partners and outcomes (units
    /// in scope that may write; not organisation contacts), audited.
    pub async fn update_model(&self, actor: &Actor, id: i64, input: &ModelUpdate) -> AppResult<ModelRecord> {
        actor.require_write()?;
        let before = self.store.model(&actor.scope, id).await?;
        if actor.role == Role::Organisation {
            return Err(AppError::Forbidden("auth.not_allowed"));
        }
        let mut err = ValidationError::default();
        let status = ModelStatus::parse(input.status.trim());
        if status.is_none() {
            err.push("status", "movement.status_unknown");
        }
        let clean = |v: &Option<String>| v.as_deref().map(str::trim).filter(|x| !x.is_empty()).map(str::to_string);
        let outcomes = clean(&input.outcomes);
        if outcomes.as_ref().is_some_and(|o| o.chars().count() > 4000) {
            err.push("outcomes", "movement.outcomes_too_long");
        }
        let partners = clean(&input.partners);
        if partners.as_ref().is_some_and(|o| o.chars().count() > 1000) {
            err.push("partners", "movement.outcomes_too_long");
        }
        err.into_result()?;
        let Some(status) = status else { return Err(AppError::Internal("validated".into())) };
        let mut tx = self.store.begin_write().await?;
        tx.update_model(id, status, partners.as_deref(), outcomes.as_deref()).await?;
        let after = serde_json::json!({"status": status, "partners": partners, "outcomes": outcomes});
        let before_json =
            serde_json::json!({"status": before.status, "partners": before.partners, "outcomes": before.outcomes});
        AuditEntry::new(Some(actor.user_id), "model.update", "model", id)
            .before(&before_json)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(self.store.model(&actor.scope, id).await?)
    }

    /// Adds, renames or withdraws a model type (ministry and administrators), audited.
    pub async fn put_model_type(&self, actor: &Actor, input: &ModelTypeInput) -> AppResult<()> {
        actor.require_write()?;
        if !matches!(actor.role, Role::Ministry | Role::Admin) {
            return Err(AppError::Forbidden("auth.not_allowed"));
        }
        let code = input.code.trim();
        let mut err = ValidationError::default();
        let code_ok = (2..=40).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !code_ok {
            err.push("code", "movement.model_type_code");
        }
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            err.push("name", "org.name_empty");
        }
        err.into_result()?;
        let mut tx = self.store.begin_write().await?;
        tx.put_model_type(code, name, input.active).await?;
        let after = serde_json::json!({"code": code, "name": name, "active": input.active});
        AuditEntry::new(Some(actor.user_id), "model_type.put", "model_type", code).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Models in the actor's scope (or a unit inside it) matching a filter.
    pub async fn list_models_filtered(
        &self,
        actor: &Actor,
        unit: Option<&str>,
        f: &store::models::ModelFilter,
        limit: i64,
        offset: i64,
    ) -> AppResult<(Vec<ModelRecord>, i64)> {
        let scope = self.narrowed_scope(actor, unit).await?;
        Ok(self.store.list_models_filtered(&scope, f, limit, offset).await?)
    }

    /// A model's evaluations in scope, newest first: (year, verdict, note).
    /// The models in scope that copy this one (its replicas).
    pub async fn model_replicas(&self, actor: &Actor, id: i64) -> AppResult<Vec<ModelRecord>> {
        self.store.model(&actor.scope, id).await?;
        Ok(self.store.model_replicas(&actor.scope, id).await?)
    }

    pub async fn model_evaluations(&self, actor: &Actor, id: i64) -> AppResult<Vec<(i64, Verdict, Option<String>)>> {
        self.store.model(&actor.scope, id).await?;
        Ok(self.store.model_evaluations(id).await?)
    }

    /// Records a model's yearly evaluation ("effective" or "formal" — on paper only).
    pub async fn evaluate_model(&self, actor: &Actor, model_id: i64, input: &EvaluationInput) -> AppResult<i64> {
        actor.require_write()?;
        let model = self.store.model(&actor.scope, model_id).await?;
        // A model is judged by the level above its host, never by the host itself:
        // a commune's working model is one of the conditions of its own recognition.
        // An organisation's model is judged by the police of its commune (or above).
        let host = self.store.unit(&model.unit_code).await?;
        let above = match model.organisation_id {
            Some(_) => actor.scope.contains(&host.place()),
            None => actor.scope.oversees(&host.place()),
        };
        if !above || actor.role == Role::Organisation {
            return Err(AppError::Forbidden("movement.evaluator_not_above"));
        }
        let verdict = Verdict::parse(&input.verdict)
            .ok_or_else(|| ValidationError::one("verdict", "movement.verdict_unknown"))?;
        let this_year = store::clock::current_year();
        if !(2000..=this_year).contains(&input.year) {
            return Err(ValidationError::one("year", "assessment.year_invalid").into());
        }
        let mut tx = self.store.begin_write().await?;
        // A verdict already given for the year is corrected, with a reason, by whoever
        // gave it; anyone else gets the conflict.
        if let Some((id, before, before_note, by)) = tx.model_evaluation_of_year(model.id, input.year).await? {
            let reason = input.correction_reason.as_deref().map(str::trim).filter(|r| r.chars().count() >= 5);
            return match (reason, by == Some(actor.user_id)) {
                (Some(reason), true) => {
                    tx.correct_model_evaluation(id, verdict, input.note.as_deref()).await?;
                    AuditEntry::new(Some(actor.user_id), "model.evaluation_correct", "model", model.id)
                        .before(&serde_json::json!({"year": input.year, "verdict": before, "note": before_note}))
                        .after(&serde_json::json!({"year": input.year, "verdict": verdict, "note": input.note, "reason": reason}))
                        .write(&mut tx)
                        .await?;
                    tx.commit().await?;
                    Ok(id)
                }
                (None, true) => Err(ValidationError::one("correction_reason", "movement.correction_reason").into()),
                (_, false) => Err(AppError::Conflict("movement.evaluation_exists")),
            };
        }
        let id = match tx
            .insert_model_evaluation(model.id, input.year, verdict, input.note.as_deref(), Some(actor.user_id))
            .await
        {
            Ok(id) => id,
            Err(StoreError::Conflict(_)) => return Err(AppError::Conflict("movement.evaluation_exists")),
            Err(e) => return Err(e.into()),
        };
        AuditEntry::new(Some(actor.user_id), "model.evaluate", "model", model.id)
            .after(&verdict)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }
}
