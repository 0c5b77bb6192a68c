//! A province's own criteria added to a safe-unit set for its territory and a year
//! (TT 124/2021 Điều 8 khoản 1): its subjects are assessed on the national set plus
//! these; the ministry sees which provinces added what.

use domain::criteria::{CriteriaSet, Criterion, Instrument, Subject};
use domain::{Role, ValidationError};
use serde::Deserialize;
use store::province_criteria::{NewProvinceCriterion, ProvinceCriterion};
use store::StoreError;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// Body of `POST /api/v1/province-criteria`.
#[derive(Debug, Clone, Deserialize)]
pub struct ProvinceCriterionInput {
    /// The province (default: the caller's).
    #[serde(default)]
    pub province_code: Option<String>,
    /// Year.
    pub year: i64,
    /// residential_area | commune | agency | enterprise | school
    pub subject: String,
    /// Code, unique in the set it joins.
    pub code: String,
    /// Text.
    pub text: String,
    /// The province's text it comes from (decision, plan).
    pub source: String,
}

impl App {
    /// Adds a criterion for a province's territory and a year (the province's
    /// officers, or an administrator); another province's → not found.
    pub async fn add_province_criterion(
        &self,
        actor: &Actor,
        input: &ProvinceCriterionInput,
    ) -> AppResult<ProvinceCriterion> {
        actor.require_write()?;
        if !matches!(actor.role, Role::Province | Role::Admin) {
            return Err(AppError::Forbidden("auth.not_allowed"));
        }
        let province = input.province_code.clone().or_else(|| actor.unit_code.clone()).unwrap_or_default();
        let unit = match self.store.unit(province.trim()).await {
            Ok(u) if u.level == domain::Level::Province && actor.scope.contains(&u.place()) => u,
            Ok(_) | Err(StoreError::NotFound) => return Err(AppError::NotFound),
            Err(e) => return Err(e.into()),
        };
        let mut err = ValidationError::default();
        let this_year = store::clock::current_year();
        if !(2022..=this_year + 1).contains(&input.year) {
            err.push("year", "assessment.year_invalid");
        }
        let subject = Subject::parse(input.subject.trim());
        if subject.is_none() {
            err.push("subject", "criteria.subject_unknown");
        }
        let code = input.code.trim();
        if code.is_empty() || code.chars().count() > 20 || code.chars().any(char::is_whitespace) {
            err.push("code", "criteria.code_invalid");
        }
        let (text, source) = (input.text.trim(), input.source.trim());
        if text.is_empty() || text.chars().count() > 2000 {
            err.push("text", "criteria.text_invalid");
        }
        if source.is_empty() || source.chars().count() > 500 {
            err.push("source", "criteria.source_missing");
        }
        err.into_result()?;
        let Some(subject) = subject else { return Err(AppError::Internal("validated".into())) };
        // A code the national set or an earlier addition already uses is refused.
        let national = self.set_in_force_for(Instrument::SafeUnit, subject, input.year).await?;
        let merged = self.with_province_additions(national, &unit.code, input.year).await?;
        if merged.criterion(code).is_some() {
            return Err(ValidationError::one("code", "criteria.code_duplicate").into());
        }
        let new = NewProvinceCriterion {
            province: unit.code.clone(),
            year: input.year,
            subject: subject.as_str().to_string(),
            code: code.to_string(),
            text: text.to_string(),
            source: source.to_string(),
        };
        let id = match self.store.insert_province_criterion(&new, actor.user_id).await {
            Ok(id) => id,
            Err(StoreError::Conflict(_)) => return Err(ValidationError::one("code", "criteria.code_duplicate").into()),
            Err(e) => return Err(e.into()),
        };
        let all = self.store.province_criteria_for(&unit.code, input.year, subject.as_str()).await?;
        all.into_iter().find(|c| c.id == id).ok_or(AppError::NotFound)
    }

    /// The criteria provinces added for a year: every province's for the nation, one's
    /// own otherwise (a province code asked for outside the scope: not found).
    pub async fn province_criteria(
        &self,
        actor: &Actor,
        year: i64,
        province: Option<&str>,
    ) -> AppResult<Vec<ProvinceCriterion>> {
        let own = match &actor.scope {
            domain::Scope::Province(p) => Some(p.clone()),
            domain::Scope::Nation => None,
            _ => match &actor.unit_code {
                Some(u) => self.store.unit(u).await.ok().and_then(|x| x.province_code),
                None => None,
            },
        };
        let asked = province.filter(|p| !p.is_empty()).map(str::to_string);
        let filter = match (&actor.scope, asked, own) {
            (domain::Scope::Nation, asked, _) => asked,
            (_, Some(p), Some(o)) if p != o => return Err(AppError::NotFound),
            (_, _, Some(o)) => Some(o),
            _ => return Ok(Vec::new()),
        };
        Ok(self.store.list_province_criteria(year, filter.as_deref()).await?)
    }

    /// `set` (a national safe-unit set) with the criteria `province` added for `year`.
    pub(crate) async fn with_province_additions(
        &self,
        mut set: CriteriaSet,
        province: &str,
        year: i64,
    ) -> AppResult<CriteriaSet> {
        if set.instrument != Instrument::SafeUnit {
            return Ok(set);
        }
        for c in self.store.province_criteria_for(province, year, set.subject.as_str()).await? {
            set.criteria.push(Criterion {
                code: c.code,
                text: c.text,
                source: format!("{} ({})", c.source, c.province_name),
                points: None,
                computed: None,
            });
        }
        Ok(set)
    }
}
