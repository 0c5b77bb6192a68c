//! The yearly rating of security teams (Hướng dẫn 01/HD-BCA-V05; the figures are
//! data): proposed by the commune police, decided by the commune People's Committee's
//! chair — the decision's number and date are recorded. A team active for less than
//! the guide's months in the period is not rated; "xuất sắc" stays within its share
//! of "tốt" in the commune, counted with the ratings already decided, inside the
//! write. The rating feeds TT 124/2021 Điều 4 khoản 5 of the areas the team covers.

use domain::forces::rating::RatingLevel;
use domain::{Scope, ValidationError};
use serde::Deserialize;
use store::audit::AuditEntry;
use store::forces::RatingRecord;
use store::StoreError;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// Body of `POST /api/v1/team-ratings`.
#[derive(Debug, Clone, Deserialize)]
pub struct RatingInput {
    /// The team.
    pub team_id: i64,
    /// The year rated.
    pub year: i64,
    /// excellent | good | completed | not_completed.
    pub level: String,
    /// The chair's decision number.
    pub decision_number: String,
    /// Its date (YYYY-MM-DD).
    pub decision_date: String,
}

impl App {
    /// Rates teams of the caller's commune for a year under one decision, all or
    /// none: each team in scope and rateable, the cap held by the whole set.
    pub async fn rate_teams(&self, actor: &Actor, ratings: &[RatingInput]) -> AppResult<Vec<RatingRecord>> {
        actor.require_police_write()?;
        let guide = crate::forces::rules()?.rating;
        let this_year = store::clock::current_year();
        let mut err = ValidationError::default();
        let mut checked = Vec::new();
        for (i, r) in ratings.iter().enumerate() {
            let field = |f: &str| if ratings.len() == 1 { f.to_string() } else { format!("ratings[{i}].{f}") };
            // Scope first: a team outside it is not found.
            let team = self.store.team(&actor.scope, r.team_id).await?;
            if !matches!(&actor.scope, Scope::Commune(c) if *c == team.commune_code) {
                return Err(AppError::Forbidden("forces.commune_only"));
            }
            let level = RatingLevel::parse(r.level.trim());
            if level.is_none() {
                err.push(&field("level"), "forces.level_unknown");
            }
            if !(2024..=this_year).contains(&r.year) {
                err.push(&field("year"), "forces.rating_year_invalid");
            }
            let number = r.decision_number.trim();
            if number.is_empty() || number.chars().count() > 60 {
                err.push(&field("decision_number"), "nomination.decision_number_required");
            }
            let period = guide.period(i32::try_from(r.year).unwrap_or(0));
            let date = domain::unit::parse_day(r.decision_date.trim());
            match (date, period) {
                (Some(d), Some((start, _))) if d >= start && d <= store::clock::today() => {}
                _ => err.push(&field("decision_date"), "forces.decision_date_invalid"),
            }
            match domain::unit::parse_day(&team.established_on) {
                Some(est) if guide.rateable(est, i32::try_from(r.year).unwrap_or(0)) => {}
                _ => err.push(&field("team_id"), "forces.rating_too_new"),
            }
            if let (Some(level), Some(date)) = (level, date) {
                checked.push((team, r.year, level, number.to_string(), date.to_string()));
            }
        }
        err.into_result()?;
        let mut tx = self.store.begin_write().await?;
        // The cap, per commune and year, with what is already decided.
        let mut seen: Vec<(String, i64)> = Vec::new();
        for (team, year, ..) in &checked {
            if seen.contains(&(team.commune_code.clone(), *year)) {
                continue;
            }
            seen.push((team.commune_code.clone(), *year));
            let (mut excellent, mut good) = tx.commune_rating_counts(&team.commune_code, *year).await?;
            for (t, y, level, ..) in &checked {
                if t.commune_code == team.commune_code && y == year {
                    excellent += i64::from(*level == RatingLevel::Excellent);
                    good += i64::from(*level == RatingLevel::Good);
                }
            }
            if !guide.within_cap(excellent, good) {
                return Err(ValidationError::one("level", "forces.excellent_cap").into());
            }
        }
        let mut ids = Vec::new();
        for (team, year, level, number, date) in &checked {
            let id =
                tx.insert_rating(team, *year, *level, (number, date), actor.user_id).await.map_err(|e| match e {
                    StoreError::Conflict(_) => AppError::Conflict("forces.already_rated"),
                    other => other.into(),
                })?;
            let after = serde_json::json!({"year": year, "level": level.as_str(), "decision": [number, date]});
            AuditEntry::new(Some(actor.user_id), "team.rate", "team", team.id).after(&after).write(&mut tx).await?;
            ids.push((team.id, id));
        }
        tx.commit().await?;
        let mut out = Vec::new();
        for (team, id) in ids {
            if let Some(r) = self.store.team_ratings(team).await?.into_iter().find(|r| r.id == id) {
                out.push(r);
            }
        }
        Ok(out)
    }
}
