//! Training courses for the grassroots forces (tập huấn, bồi dưỡng): topic, level,
//! days, organiser, hours; named attendance of members of teams in scope, or a
//! headcount for a large course. Per member, the hours of the year show on the team.

use domain::ValidationError;
use serde::Deserialize;
use store::audit::AuditEntry;
use store::trainings::{NewTraining, TrainingRecord};
use store::StoreError;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// Body of `POST /api/v1/trainings`.
#[derive(Debug, Clone, Deserialize)]
pub struct TrainingInput {
    /// The unit holding it (a commune or a province).
    pub unit_code: String,
    /// Topic.
    pub topic: String,
    /// commune | province | nation.
    pub level: String,
    /// First day.
    pub starts_on: String,
    /// Last day.
    pub ends_on: String,
    /// Organiser.
    pub organiser: String,
    /// Hours.
    pub hours: i64,
    /// Members attending by name.
    #[serde(default)]
    pub member_ids: Vec<i64>,
    /// People counted without names (large courses).
    #[serde(default)]
    pub headcount: i64,
}

impl App {
    /// Records a course held by a unit in scope.
    pub async fn create_training(&self, actor: &Actor, input: &TrainingInput) -> AppResult<i64> {
        actor.require_police_write()?;
        let mut err = ValidationError::default();
        err.check_line("topic", &input.topic, 300, "forces.topic_invalid", "forces.topic_invalid");
        err.check_line("organiser", &input.organiser, 200, "forces.organiser_invalid", "forces.organiser_invalid");
        if !matches!(input.level.trim(), "commune" | "province" | "nation") {
            err.push("level", "forces.training_level_unknown");
        }
        let (from, to) = (domain::unit::parse_day(&input.starts_on), domain::unit::parse_day(&input.ends_on));
        match (from, to) {
            (Some(f), Some(t)) if f <= t && t <= store::clock::today() => {}
            (Some(f), Some(t)) if f > t => err.push("ends_on", "forces.left_before_joined"),
            _ => err.push("starts_on", "forces.date_invalid"),
        }
        if !(1..=2000).contains(&input.hours) {
            err.push("hours", "forces.hours_invalid");
        }
        if !(0..=100_000).contains(&input.headcount) {
            err.push("headcount", "event.count_negative");
        }
        if input.member_ids.len() > 2000 {
            err.push("member_ids", "forces.too_many_members");
        }
        let unit = match self.store.unit(input.unit_code.trim()).await {
            Ok(u) if u.valid_to.is_none() && actor.scope.contains(&u.place()) => Some(u),
            Ok(_) | Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        if unit.is_none() {
            err.push("unit_code", "event.unit_unknown");
        }
        let mut members = input.member_ids.clone();
        members.sort_unstable();
        members.dedup();
        let known = self.store.members_in_scope(&actor.scope, &members).await?;
        if known.len() != members.len() {
            err.push("member_ids", "forces.member_unknown");
        }
        err.into_result()?;
        let (Some(unit), Some(from), Some(to)) = (unit, from, to) else {
            return Err(AppError::Internal("validated training".into()));
        };
        let new = NewTraining {
            place: (unit.code.clone(), unit.commune_code.clone(), unit.province_code.clone().unwrap_or_default()),
            year: i64::from(chrono::Datelike::year(&from)),
            topic: input.topic.trim().to_string(),
            level: input.level.trim().to_string(),
            days: (from.to_string(), to.to_string()),
            organiser: input.organiser.trim().to_string(),
            hours: input.hours,
            headcount: input.headcount,
        };
        let mut tx = self.store.begin_write().await?;
        let id = tx.insert_training(&new, &known, actor.user_id).await?;
        let after = serde_json::json!({"topic": new.topic, "unit": unit.code, "hours": input.hours, "members": known.len(), "headcount": input.headcount});
        AuditEntry::new(Some(actor.user_id), "training.create", "training", id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A year's courses in scope.
    pub async fn trainings(&self, actor: &Actor, year: i64) -> AppResult<Vec<TrainingRecord>> {
        Ok(self.store.list_trainings(&actor.scope, year).await?)
    }
}
