//! Criteria sets, models, key areas, criterion 19 and the movement statistics.

use domain::criteria::{CriteriaSet, Instrument, Subject};
use domain::{Level, Role, ValidationError};
use serde::{Deserialize, Serialize};
use store::movement::{ModelRecord, ModelType, MovementStats, NewModel};
use store::StoreError;

use crate::error::AppResult;
use crate::{to_json, Actor, App, AppError};

/// The default criteria sets shipped in `data/criteria/` (see its README for provenance).
pub const SHIPPED_SETS: &[(&str, &str)] = &[
    ("safe_unit-residential_area", include_str!("../../../data/criteria/safe_unit-residential_area.toml")),
    ("safe_unit-commune", include_str!("../../../data/criteria/safe_unit-commune.toml")),
    ("safe_unit-agency", include_str!("../../../data/criteria/safe_unit-agency.toml")),
    ("safe_unit-enterprise", include_str!("../../../data/criteria/safe_unit-enterprise.toml")),
    ("safe_unit-school", include_str!("../../../data/criteria/safe_unit-school.toml")),
    ("movement-residential_area", include_str!("../../../data/criteria/movement-residential_area.toml")),
    ("movement-commune", include_str!("../../../data/criteria/movement-commune.toml")),
    ("movement-agency", include_str!("../../../data/criteria/movement-agency.toml")),
    ("movement-enterprise", include_str!("../../../data/criteria/movement-enterprise.toml")),
    ("movement-school", include_str!("../../../data/criteria/movement-school.toml")),
];

/// Parses and checks one shipped or submitted set.
pub fn parse_set(toml_text: &str) -> Result<CriteriaSet, String> {
    let set: CriteriaSet = toml::from_str(toml_text).map_err(|e| e.to_string())?;
    set.check().map_err(|p| format!("{p:?}"))?;
    Ok(set)
}

/// A criteria set as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SetView {
    /// Id.
    pub id: i64,
    /// The set's fields.
    #[serde(flatten)]
    pub set: CriteriaSet,
}

/// Input of a new model.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelInput {
    /// Type code.
    pub type_code: String,
    /// Name.
    pub name: String,
    /// Host unit (commune or residential area).
    pub unit_code: String,
    /// Start date.
    pub started_on: String,
    /// Partners.
    #[serde(default)]
    pub partners: Option<String>,
    /// Copied model.
    #[serde(default)]
    pub replicates_id: Option<i64>,
    /// "Dân vận khéo".
    #[serde(default)]
    pub dan_van_kheo: bool,
}

/// Input of `PUT /api/v1/models/{id}`: what may change on a model.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelUpdate {
    /// active | consolidated | replicated | dissolved
    pub status: String,
    /// Partners.
    #[serde(default)]
    pub partners: Option<String>,
    /// "Dân vận khéo".
    #[serde(default)]
    pub dan_van_kheo: bool,
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

/// The model statuses.
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
}

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

fn valid_past_date(field: &str, raw: &str) -> Result<String, ValidationError> {
    let d = domain::unit::parse_iso_date(raw).ok_or_else(|| ValidationError::one(field, "movement.date_invalid"))?;
    if d > store::units::today_iso() {
        return Err(ValidationError::one(field, "movement.date_future"));
    }
    Ok(d)
}

impl App {
    /// Loads the shipped criteria sets that are not stored yet. A malformed shipped
    /// file is a programming error reported at start.
    pub async fn load_shipped_criteria(&self) -> AppResult<usize> {
        let mut n = 0;
        for (name, text) in SHIPPED_SETS {
            let set = parse_set(text).map_err(|e| AppError::Internal(format!("data/criteria/{name}.toml: {e}")))?;
            match self.store.upsert_criteria_set(&set, None).await {
                Ok(_) => {}
                // A stored version is never rewritten; a changed file needs a new version.
                Err(StoreError::Conflict(_)) => {
                    tracing::warn!(file = name, version = %set.version, "shipped criteria set differs from the stored version of the same number; the stored one is kept");
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
            n += 1;
        }
        Ok(n)
    }

    /// Criteria sets, optionally of one instrument and subject (public reference data).
    pub async fn criteria_sets(
        &self,
        instrument: Option<Instrument>,
        subject: Option<Subject>,
    ) -> AppResult<Vec<SetView>> {
        Ok(self
            .store
            .criteria_sets()
            .await?
            .into_iter()
            .filter(|s| instrument.is_none_or(|i| s.set.instrument == i) && subject.is_none_or(|x| s.set.subject == x))
            .map(|s| SetView { id: s.id, set: s.set })
            .collect())
    }

    /// Adds a new version of a criteria set (ministry and admin only).
    pub async fn add_criteria_set(&self, actor: &Actor, set: &CriteriaSet) -> AppResult<i64> {
        if !matches!(actor.role, Role::Ministry | Role::Admin) {
            return Err(AppError::Forbidden("auth.not_allowed"));
        }
        set.check().map_err(|_| ValidationError::one("criteria", "movement.set_invalid"))?;
        match self.store.upsert_criteria_set(set, Some(actor.user_id)).await {
            Ok(id) => Ok(id),
            Err(StoreError::Conflict(_)) => Err(AppError::Conflict("movement.set_version_exists")),
            Err(e) => Err(e.into()),
        }
    }

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
        let mut err = ValidationError::default();
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 300 {
            err.push("name", "org.name_empty");
        }
        if !self.store.model_types().await?.iter().any(|t| t.code == input.type_code && t.active == 1) {
            err.push("type_code", "movement.model_type_unknown");
        }
        let started = valid_past_date("started_on", &input.started_on).map_err(|e| err.errors.extend(e.errors)).ok();
        let unit = match self.store.unit(input.unit_code.trim()).await {
            Ok(u)
                if actor.scope.contains(&u.place())
                    && matches!(Level::parse(&u.level), Some(Level::Commune | Level::Area)) =>
            {
                Some(u)
            }
            Ok(_) | Err(StoreError::NotFound) => {
                err.push("unit_code", "unit.parent_unknown");
                None
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(r) = input.replicates_id {
            // A model may copy one anywhere in the country (replication spreads
            // across provinces); the copied model's details stay behind its scope.
            if !self.store.model_exists(r).await? {
                err.push("replicates_id", "movement.model_unknown");
            }
        }
        err.into_result()?;
        let (Some(unit), Some(started)) = (unit, started) else { return Err(AppError::Internal("validated".into())) };
        let new = NewModel {
            type_code: input.type_code.clone(),
            name: name.to_string(),
            unit_code: unit.code.clone(),
            province_code: unit.province_code.clone().unwrap_or_default(),
            commune_code: unit.commune_code.clone(),
            started_on: started,
            partners: input.partners.clone().filter(|p| !p.trim().is_empty()),
            replicates_id: input.replicates_id,
            dan_van_kheo: input.dan_van_kheo,
        };
        let mut tx = self.store.begin_write().await?;
        let id = tx.insert_model(&new).await?;
        tx.audit(
            Some(actor.user_id),
            "model.create",
            "model",
            &id.to_string(),
            None,
            Some(&serde_json::json!({"name": new.name, "type": new.type_code, "unit": new.unit_code}).to_string()),
        )
        .await?;
        tx.commit().await?;
        Ok(self.store.model(&actor.scope, id).await?)
    }

    /// Changes a model's status, partners, "Dân vận khéo" mark and outcomes (units
    /// in scope that may write; not organisation contacts), audited.
    pub async fn update_model(&self, actor: &Actor, id: i64, input: &ModelUpdate) -> AppResult<ModelRecord> {
        actor.require_write()?;
        let before = self.store.model(&actor.scope, id).await?;
        if actor.role == Role::Organisation {
            return Err(AppError::Forbidden("auth.not_allowed"));
        }
        let mut err = ValidationError::default();
        if !MODEL_STATUSES.contains(&input.status.trim()) {
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
        let mut tx = self.store.begin_write().await?;
        tx.update_model(id, input.status.trim(), partners.as_deref(), input.dan_van_kheo, outcomes.as_deref()).await?;
        let after = serde_json::json!({"status": input.status.trim(), "partners": partners, "dan_van_kheo": input.dan_van_kheo, "outcomes": outcomes});
        let before_json = serde_json::json!({"status": before.status, "partners": before.partners, "dan_van_kheo": before.dan_van_kheo == 1, "outcomes": before.outcomes});
        tx.audit(
            Some(actor.user_id),
            "model.update",
            "model",
            &id.to_string(),
            Some(&before_json.to_string()),
            Some(&after.to_string()),
        )
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
        tx.audit(Some(actor.user_id), "model_type.put", "model_type", code, None, Some(&after.to_string())).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Models in the actor's scope (or a unit inside it) matching a filter.
    pub async fn list_models_filtered(
        &self,
        actor: &Actor,
        unit: Option<&str>,
        f: &store::movement::ModelFilter,
        limit: i64,
        offset: i64,
    ) -> AppResult<(Vec<ModelRecord>, i64)> {
        let scope = self.narrowed_scope(actor, unit).await?;
        Ok(self.store.list_models_filtered(&scope, f, limit, offset).await?)
    }

    /// A model's evaluations in scope, newest first: (year, verdict, note).
    pub async fn model_evaluations(&self, actor: &Actor, id: i64) -> AppResult<Vec<(i64, String, Option<String>)>> {
        self.store.model(&actor.scope, id).await?;
        Ok(self.store.model_evaluations(id).await?)
    }

    /// Key-area decisions in the actor's scope (or a unit inside it), optionally of a year.
    pub async fn list_key_areas(
        &self,
        actor: &Actor,
        unit: Option<&str>,
        year: Option<i64>,
        limit: i64,
        offset: i64,
    ) -> AppResult<(Vec<store::movement::KeyAreaRow>, i64)> {
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
    ) -> AppResult<(Vec<store::movement::Criterion19Row>, i64)> {
        let scope = self.narrowed_scope(actor, unit).await?;
        Ok(self.store.list_criterion19(&scope, year, met, limit, offset).await?)
    }

    /// Records a model's yearly evaluation ("effective" or "formal" — on paper only).
    pub async fn evaluate_model(&self, actor: &Actor, model_id: i64, input: &EvaluationInput) -> AppResult<i64> {
        actor.require_write()?;
        let model = self.store.model(&actor.scope, model_id).await?;
        // A model is judged by the level above its host, never by the host itself:
        // a commune's working model is one of the conditions of its own recognition.
        let host = self.store.unit(&model.unit_code).await?;
        if !actor.scope.oversees(&host.place()) || actor.role == Role::Organisation {
            return Err(AppError::Forbidden("movement.evaluator_not_above"));
        }
        if !matches!(input.verdict.as_str(), "effective" | "formal") {
            return Err(ValidationError::one("verdict", "movement.verdict_unknown").into());
        }
        let this_year = store::units::current_year();
        if !(2000..=this_year).contains(&input.year) {
            return Err(ValidationError::one("year", "assessment.year_invalid").into());
        }
        let mut tx = self.store.begin_write().await?;
        let id = match tx
            .insert_model_evaluation(model.id, input.year, &input.verdict, input.note.as_deref(), Some(actor.user_id))
            .await
        {
            Ok(id) => id,
            Err(StoreError::Conflict(_)) => return Err(AppError::Conflict("movement.evaluation_exists")),
            Err(e) => return Err(e.into()),
        };
        tx.audit(
            Some(actor.user_id),
            "model.evaluate",
            "model",
            &model.id.to_string(),
            None,
            Some(&to_json(&input.verdict)),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
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
        let mut err = ValidationError::default();
        if Level::parse(&unit.level) != Some(Level::Commune) {
            err.push("unit_code", "movement.key_area_commune_only");
        }
        if !matches!(input.action.as_str(), "designate" | "remove") {
            err.push("action", "movement.action_unknown");
        }
        if input.decision_number.trim().is_empty() {
            err.push("decision_number", "assessment.decision_number_missing");
        }
        let date = valid_past_date("decision_date", &input.decision_date).map_err(|e| err.errors.extend(e.errors)).ok();
        err.into_result()?;
        let currently = self.store.is_key_area(&unit.code).await?;
        if (input.action == "designate") == currently {
            return Err(AppError::Conflict("movement.key_area_state"));
        }
        let date = date.unwrap_or_default();
        // Decisions follow one another: one dated before the latest would rewrite history.
        if let Some(last) = self.store.key_area_history(&unit.code).await?.first() {
            if date < last.decision_date {
                return Err(ValidationError::one("decision_date", "movement.decision_before_last").into());
            }
        }
        let mut tx = self.store.begin_write().await?;
        let id = tx
            .insert_key_area_event(
                &unit.code,
                unit.province_code.as_deref().unwrap_or_default(),
                unit.commune_code.as_deref(),
                &input.action,
                input.decision_number.trim(),
                &date,
                Some(actor.user_id),
            )
            .await?;
        tx.audit(Some(actor.user_id), "key_area.decision", "unit", &unit.code, None, Some(&serde_json::json!({"action": input.action, "decision_number": input.decision_number, "decision_date": date}).to_string()))
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
        if Level::parse(&unit.level) != Some(Level::Commune) {
            return Err(ValidationError::one("unit_code", "movement.key_area_commune_only").into());
        }
        if !(2000..=store::units::current_year()).contains(&year) {
            return Err(ValidationError::one("year", "assessment.year_invalid").into());
        }
        if !actor.scope.oversees(&unit.place()) {
            return Err(AppError::Forbidden("movement.evaluator_not_above"));
        }
        let mut tx = self.store.begin_write().await?;
        tx.set_criterion19(&unit.code, unit.province_code.as_deref().unwrap_or_default(), year, met).await?;
        tx.audit(
            Some(actor.user_id),
            "criterion19.set",
            "unit",
            &unit.code,
            None,
            Some(&serde_json::json!({"year": year, "met": met}).to_string()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The actor's scope, or the scope of a unit inside it (404 outside).
    pub async fn narrowed_scope(&self, actor: &Actor, unit: Option<&str>) -> AppResult<domain::Scope> {
        match unit.map(str::trim).filter(|u| !u.is_empty()) {
            None => Ok(actor.scope.clone()),
            Some(code) => {
                let u = match self.store.unit(code).await {
                    Ok(u) => u,
                    Err(StoreError::NotFound) => return Err(AppError::NotFound),
                    Err(e) => return Err(e.into()),
                };
                if !actor.scope.contains(&u.place()) {
                    return Err(AppError::NotFound);
                }
                Ok(domain::Scope::of_unit(&u.place()))
            }
        }
    }

    /// Movement statistics of the actor's scope, or of a unit inside it.
    pub async fn movement_stats(&self, actor: &Actor, year: i64, unit: Option<&str>) -> AppResult<MovementStats> {
        let scope = self.narrowed_scope(actor, unit).await?;
        let st = self
            .memo(format!("stats|{scope:?}|{year}"), || async { Ok(self.store.movement_stats(&scope, year).await?) })
            .await?;
        Ok(MovementStats::clone(&st))
    }

    /// Movement statistics per province of the actor's scope (or of a unit inside
    /// it), in one round of grouped queries: the nation map's figures.
    pub async fn movement_stats_by_province(
        &self,
        actor: &Actor,
        year: i64,
        unit: Option<&str>,
    ) -> AppResult<std::collections::BTreeMap<String, MovementStats>> {
        let scope = self.narrowed_scope(actor, unit).await?;
        let by = self
            .memo(format!("stats_by_province|{scope:?}|{year}"), || async {
                Ok(self.store.movement_stats_by_province(&scope, year).await?)
            })
            .await?;
        Ok((*by).clone())
    }
}

impl App {
    /// Recognition per child unit of the actor's scope (or of a unit inside it), with
    /// the children's names: (code, name, assessed, recognised), every child listed.
    pub async fn recognition_by_child(
        &self,
        actor: &Actor,
        year: i64,
        unit: Option<&str>,
    ) -> AppResult<Vec<(String, String, i64, i64)>> {
        let scope = self.narrowed_scope(actor, unit).await?;
        let (level, parent) = match &scope {
            domain::Scope::Nation => (Level::Province, None),
            domain::Scope::Province(p) => (Level::Commune, Some(p.clone())),
            _ => return Ok(Vec::new()),
        };
        let rows = self
            .memo(format!("recognition_by_child|{scope:?}|{year}"), || async {
                let figures: std::collections::HashMap<String, (i64, i64)> = self
                    .store
                    .recognition_by_child(&scope, year)
                    .await?
                    .into_iter()
                    .map(|(c, a, r)| (c, (a, r)))
                    .collect();
                let f = store::units::UnitFilter { level: Some(level), parent, limit: 1000, ..Default::default() };
                let (units, _) = self.store.list_units(&f).await?;
                Ok(units
                    .into_iter()
                    .map(|u| {
                        let (a, r) = figures.get(&u.code).copied().unwrap_or((0, 0));
                        (u.code, u.name, a, r)
                    })
                    .collect::<Vec<_>>())
            })
            .await?;
        Ok((*rows).clone())
    }

    /// The movement statistics of the actor's scope as an XLSX workbook.
    pub async fn movement_stats_xlsx(&self, actor: &Actor, year: i64, unit: Option<&str>) -> AppResult<Vec<u8>> {
        let st = self.movement_stats(actor, year, unit).await?;
        let children = self.recognition_by_child(actor, year, unit).await?;
        let target = self.campaign(year).await?.target_rate();
        let mut wb = rust_xlsxwriter::Workbook::new();
        let xl = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.to_string());
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let pct = rust_xlsxwriter::Format::new().set_num_format("0.0%");
        let ws = wb.add_worksheet();
        ws.set_name("Công nhận").map_err(xl)?;
        for (c, h) in ["Đối tượng", "Đã đánh giá", "Được công nhận", "Tỷ lệ", "Chỉ tiêu"].iter().enumerate()
        {
            ws.write_string_with_format(0, c as u16, *h, &bold).map_err(xl)?;
        }
        for (r, subject) in Subject::ALL.iter().enumerate() {
            let f = st.safe_unit.iter().find(|(s, _)| s == subject.as_str()).map(|(_, f)| *f).unwrap_or_default();
            let row = r as u32 + 1;
            ws.write_string(row, 0, subject_label(*subject)).map_err(xl)?;
            ws.write_number(row, 1, f.assessed as f64).map_err(xl)?;
            ws.write_number(row, 2, f.recognised as f64).map_err(xl)?;
            let rate = if f.assessed > 0 { f.recognised as f64 / f.assessed as f64 } else { 0.0 };
            ws.write_number_with_format(row, 3, rate, &pct).map_err(xl)?;
            ws.write_number_with_format(row, 4, target, &pct).map_err(xl)?;
        }
        ws.set_column_width(0, 28).map_err(xl)?;
        let ws = wb.add_worksheet();
        ws.set_name("Tổng hợp").map_err(xl)?;
        let rows: Vec<(String, f64)> = vec![
            ("Địa bàn trọng điểm: đưa vào".into(), st.designated as f64),
            ("Địa bàn trọng điểm: đưa ra".into(), st.removed as f64),
            ("Tiêu chí 19: số xã đạt".into(), st.criterion19_met as f64),
            ("Tiêu chí 19: số xã có số liệu".into(), st.criterion19_communes as f64),
            ("Tiêu chí 19: tổng số xã, phường, đặc khu".into(), st.communes_in_scope as f64),
            ("Mô hình: thực chất, hiệu quả".into(), st.models_effective as f64),
            ("Mô hình: hình thức".into(), st.models_formal as f64),
            ("Bản đánh giá đã gửi".into(), st.submitted as f64),
            ("Bản đánh giá đã phê duyệt".into(), st.approved as f64),
            ("Bản đánh giá nộp muộn".into(), st.late as f64),
        ];
        ws.write_string_with_format(0, 0, "Chỉ số", &bold).map_err(xl)?;
        ws.write_string_with_format(0, 1, format!("Năm {year}"), &bold).map_err(xl)?;
        for (i, (k, v)) in rows.iter().enumerate() {
            ws.write_string(i as u32 + 1, 0, k).map_err(xl)?;
            ws.write_number(i as u32 + 1, 1, *v).map_err(xl)?;
        }
        ws.set_column_width(0, 36).map_err(xl)?;
        let ws = wb.add_worksheet();
        ws.set_name("Tiến độ").map_err(xl)?;
        for (c, h) in ["Đối tượng", "Đã lập", "Đã gửi", "Đã phê duyệt", "Nộp muộn"].iter().enumerate()
        {
            ws.write_string_with_format(0, c as u16, *h, &bold).map_err(xl)?;
        }
        for (i, (subject, made, sent, approved, late)) in st.progress_by_subject.iter().enumerate() {
            let row = i as u32 + 1;
            ws.write_string(row, 0, Subject::parse(subject).map(subject_label).unwrap_or(subject)).map_err(xl)?;
            for (c, v) in [made, sent, approved, late].iter().enumerate() {
                ws.write_number(row, c as u16 + 1, **v as f64).map_err(xl)?;
            }
        }
        ws.set_column_width(0, 28).map_err(xl)?;
        let ws = wb.add_worksheet();
        ws.set_name("Phân loại").map_err(xl)?;
        ws.write_string_with_format(0, 0, "Mức", &bold).map_err(xl)?;
        ws.write_string_with_format(0, 1, "Số đơn vị", &bold).map_err(xl)?;
        for (i, (level, n)) in st.by_level.iter().enumerate() {
            ws.write_string(i as u32 + 1, 0, level).map_err(xl)?;
            ws.write_number(i as u32 + 1, 1, *n as f64).map_err(xl)?;
        }
        let ws = wb.add_worksheet();
        ws.set_name("Mô hình").map_err(xl)?;
        for (c, h) in ["Loại mô hình", "Số mô hình", "Hiệu quả", "Hình thức"].iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold).map_err(xl)?;
        }
        let type_names: std::collections::HashMap<String, String> =
            self.store.model_types().await?.into_iter().map(|t| (t.code, t.name)).collect();
        for (i, ((code, n), (_, e, f))) in st.models_by_type.iter().zip(&st.models_by_type_verdict).enumerate() {
            let row = i as u32 + 1;
            ws.write_string(row, 0, type_names.get(code).unwrap_or(code)).map_err(xl)?;
            ws.write_number(row, 1, *n as f64).map_err(xl)?;
            ws.write_number(row, 2, *e as f64).map_err(xl)?;
            ws.write_number(row, 3, *f as f64).map_err(xl)?;
        }
        ws.set_column_width(0, 36).map_err(xl)?;
        if !children.is_empty() {
            let ws = wb.add_worksheet();
            ws.set_name("Theo đơn vị").map_err(xl)?;
            for (c, h) in ["Mã", "Đơn vị", "Đã đánh giá", "Được công nhận", "Tỷ lệ"].iter().enumerate()
            {
                ws.write_string_with_format(0, c as u16, *h, &bold).map_err(xl)?;
            }
            for (i, (code, name, a, r)) in children.iter().enumerate() {
                let row = i as u32 + 1;
                ws.write_string(row, 0, code).map_err(xl)?;
                ws.write_string(row, 1, name).map_err(xl)?;
                ws.write_number(row, 2, *a as f64).map_err(xl)?;
                ws.write_number(row, 3, *r as f64).map_err(xl)?;
                let rate = if *a > 0 { *r as f64 / *a as f64 } else { 0.0 };
                ws.write_number_with_format(row, 4, rate, &pct).map_err(xl)?;
            }
            ws.set_column_width(1, 32).map_err(xl)?;
        }
        wb.save_to_buffer().map_err(xl)
    }
}

/// Indicators the province map can be coloured by (each a share in 0..=1 where
/// higher is better).
pub const MAP_INDICATORS: [&str; 11] = [
    "recognition",
    "recognition.residential_area",
    "recognition.commune",
    "recognition.agency",
    "recognition.enterprise",
    "recognition.school",
    "approved",
    "on_time",
    "criterion19",
    "models_effective",
    "key_areas_removed",
];

/// The value of a map indicator from a unit's statistics, with its numerator and
/// denominator; `None` when there is nothing to measure (e.g. no assessments).
pub fn indicator_value(st: &MovementStats, indicator: &str) -> Option<(f64, i64, i64)> {
    let ratio = |n: i64, d: i64| (d > 0).then(|| (n as f64 / d as f64, n, d));
    let made: i64 = st.progress_by_subject.iter().map(|p| p.1).sum();
    match indicator {
        "recognition" => {
            let (r, a) = st.safe_unit.iter().fold((0, 0), |acc, (_, f)| (acc.0 + f.recognised, acc.1 + f.assessed));
            ratio(r, a)
        }
        "approved" => ratio(st.approved, made),
        "on_time" => ratio(st.submitted - st.late, st.submitted),
        "criterion19" => ratio(st.criterion19_met, st.communes_in_scope),
        "models_effective" => ratio(st.models_effective, st.models_effective + st.models_formal),
        "key_areas_removed" => ratio(st.removed, st.designated + st.removed),
        other => {
            let subject = other.strip_prefix("recognition.")?;
            let f = st.safe_unit.iter().find(|(s, _)| s == subject).map(|(_, f)| *f)?;
            ratio(f.recognised, f.assessed)
        }
    }
}

/// Vietnamese label of a subject kind.
pub fn subject_label(s: Subject) -> &'static str {
    match s {
        Subject::ResidentialArea => "Khu dân cư",
        Subject::Commune => "Xã, phường, đặc khu",
        Subject::Agency => "Cơ quan",
        Subject::Enterprise => "Doanh nghiệp",
        Subject::School => "Nhà trường",
    }
}

impl App {
    /// The yearly summary report of a province (the actor's, or one in its scope), as PDF.
    pub async fn province_summary_pdf(&self, actor: &Actor, year: i64, province: Option<&str>) -> AppResult<Vec<u8>> {
        let code = match (&actor.scope, province.map(str::trim).filter(|p| !p.is_empty())) {
            (domain::Scope::Province(p), None) => p.clone(),
            (_, Some(p)) => p.to_string(),
            _ => return Err(ValidationError::one("unit", "movement.province_required").into()),
        };
        let unit = self.store.unit(&code).await?;
        if Level::parse(&unit.level) != Some(Level::Province) {
            return Err(ValidationError::one("unit", "movement.province_required").into());
        }
        if !actor.scope.contains(&unit.place()) {
            return Err(AppError::NotFound);
        }
        let st = self.store.movement_stats(&domain::Scope::Province(code.clone()), year).await?;
        let pct = |r: i64, a: i64| {
            if a > 0 {
                format!("{:.1} %", r as f64 * 100.0 / a as f64).replace('.', ",")
            } else {
                "—".into()
            }
        };
        let recognition = Subject::ALL
            .iter()
            .map(|s| {
                let f = st.safe_unit.iter().find(|(x, _)| x == s.as_str()).map(|(_, f)| *f).unwrap_or_default();
                (subject_label(*s).to_string(), f.assessed, f.recognised, pct(f.recognised, f.assessed))
            })
            .collect();
        let levels = ["excellent", "good", "average", "weak"]
            .iter()
            .zip(["Xuất sắc", "Khá", "Trung bình", "Yếu"])
            .map(|(c, n)| format!("{n} {}", st.by_level.iter().find(|(l, _)| l == c).map(|(_, v)| *v).unwrap_or(0)))
            .collect::<Vec<_>>()
            .join(", ");
        let figures = vec![
            ("Phân loại phong trào".to_string(), levels),
            ("Địa bàn trọng điểm đưa vào / đưa ra".to_string(), format!("{} / {}", st.designated, st.removed)),
            (
                "Xã đạt tiêu chí 19 / có số liệu".to_string(),
                format!("{} / {}", st.criterion19_met, st.criterion19_communes),
            ),
            (
                "Mô hình hoạt động hiệu quả / hình thức".to_string(),
                format!("{} / {}", st.models_effective, st.models_formal),
            ),
            (
                "Bản đánh giá đã gửi / đã phê duyệt / nộp muộn".to_string(),
                format!("{} / {} / {}", st.submitted, st.approved, st.late),
            ),
        ];
        let today = store::units::today();
        let place = unit.name.strip_prefix("Thành phố ").unwrap_or(&unit.name).to_string();
        let report = crate::documents::SummaryReport {
            province_name: unit.name.clone(),
            place,
            date: (chrono::Datelike::day(&today), chrono::Datelike::month(&today), chrono::Datelike::year(&today)),
            year,
            recognition,
            figures,
        };
        crate::documents::summary_pdf(&report).map_err(AppError::Internal)
    }
}

impl App {
    /// A commune's key-area history, if it lies in the actor's scope.
    pub async fn key_area_history(
        &self,
        actor: &Actor,
        unit_code: &str,
    ) -> AppResult<Vec<store::movement::KeyAreaEvent>> {
        let unit = self.store.unit(unit_code).await?;
        if !actor.scope.contains(&unit.place()) {
            return Err(AppError::NotFound);
        }
        Ok(self.store.key_area_history(unit_code).await?)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_shipped_set_parses_and_checks() {
        for (name, text) in super::SHIPPED_SETS {
            let set = super::parse_set(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(format!("{}-{}", set.instrument.as_str(), set.subject.as_str()), *name);
        }
    }
}
