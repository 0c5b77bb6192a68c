//! The statutory deadline rules in force on a day: the versions shipped in
//! `domain::deadline` and those a ministry user added as data (an amendment from a
//! day, without a release). A case keeps the version in force when it was received.

use chrono::NaiveDate;
use domain::deadline::{Period, Rule, RuleVersion};
use domain::{Role, ValidationError};
use serde::Deserialize;
use store::StoreError;

use crate::calendar::parse_day;
use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// Body of `POST /api/v1/calendar/rules`: a new version of a rule.
#[derive(Debug, Clone, Deserialize)]
pub struct RuleVersionInput {
    /// Rule id (`complaint.accept`, …).
    pub rule: String,
    /// In force from (YYYY-MM-DD).
    pub from: String,
    /// `calendar_days`, `working_days` or `months`.
    pub unit: String,
    /// How many (1–400).
    pub count: i64,
    /// The text it comes from.
    pub source: String,
    /// Not read in the text itself.
    #[serde(default)]
    pub to_confirm: bool,
}

impl App {
    /// Every version in force or to come: shipped, replaced or extended by stored ones.
    pub async fn rule_versions(&self) -> AppResult<Vec<RuleVersion>> {
        let stored = self.store.stored_rule_versions().await?;
        Ok(store::deadline_rules::merged(domain::deadline::shipped_versions(), stored))
    }

    /// The due day of `rule` counted from `from` by the version in force on `as_of`
    /// (the day the case was received), and that version.
    pub async fn due_as_of(
        &self,
        rule: Rule,
        as_of: NaiveDate,
        from: NaiveDate,
    ) -> AppResult<(NaiveDate, RuleVersion)> {
        let versions = self.rule_versions().await?;
        let cal = self.calendar().await?;
        let version = domain::deadline::version_on(&versions, rule, as_of).cloned().unwrap_or(RuleVersion {
            rule,
            from: rule.since(),
            period: rule.period(),
            source: rule.source().to_string(),
            to_confirm: true,
        });
        Ok((domain::deadline::due_by(&cal, version.period, from), version))
    }

    /// The due day of a statutory rule for something received on `from`, and the
    /// version that gives it.
    pub async fn statutory_deadline(&self, rule: &str, from: &str) -> AppResult<(NaiveDate, Rule, RuleVersion)> {
        let mut err = ValidationError::default();
        let r = Rule::parse(rule.trim());
        if r.is_none() {
            err.push("rule", "calendar.rule_unknown");
        }
        let from = parse_day("from", from).map_err(|e| err.errors.extend(e.errors)).ok();
        err.into_result()?;
        let (Some(r), Some(from)) = (r, from) else { return Err(AppError::Internal("validated".into())) };
        let (due, version) = self.due_as_of(r, from, from).await?;
        Ok((due, r, version))
    }

    /// Adds a version of a rule (ministry or administrator); audited.
    pub async fn add_rule_version(&self, actor: &Actor, input: &RuleVersionInput) -> AppResult<RuleVersion> {
        if !matches!(actor.role, Role::Admin | Role::Ministry) {
            return Err(AppError::Forbidden("auth.not_allowed"));
        }
        let mut err = ValidationError::default();
        let rule = Rule::parse(input.rule.trim());
        if rule.is_none() {
            err.push("rule", "calendar.rule_unknown");
        }
        let from = parse_day("from", &input.from).map_err(|e| err.errors.extend(e.errors)).ok();
        let count = u32::try_from(input.count).ok().filter(|n| (1..=400).contains(n));
        if count.is_none() {
            err.push("count", "calendar.days_invalid");
        }
        let period = count.and_then(|n| match input.unit.trim() {
            "calendar_days" => Some(Period::CalendarDays(n)),
            "working_days" => Some(Period::WorkingDays(n)),
            "months" => Some(Period::Months(n)),
            _ => None,
        });
        if count.is_some() && period.is_none() {
            err.push("unit", "calendar.unit_unknown");
        }
        let source = input.source.trim();
        if source.is_empty() || source.chars().count() > 500 {
            err.push("source", "calendar.source_missing");
        }
        err.into_result()?;
        let (Some(rule), Some(from), Some(period)) = (rule, from, period) else {
            return Err(AppError::Internal("validated".into()));
        };
        let v = RuleVersion { rule, from, period, source: source.to_string(), to_confirm: input.to_confirm };
        match self.store.insert_rule_version(&v, actor.user_id).await {
            Ok(()) => Ok(v),
            Err(StoreError::Conflict(_)) => Err(AppError::Conflict("calendar.rule_version_exists")),
            Err(e) => Err(e.into()),
        }
    }
}
