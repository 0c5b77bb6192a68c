//! Registration for the year (đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh,
//! trật tự”, TT 124/2021 Điều 4–7 khoản 1): a residential area, commune, agency,
//! enterprise or school registers in Quý I; the commune sees who has and has not,
//! and its own "100 % đăng ký" criterion (Điều 5 khoản 4) is computed from it.

use domain::ValidationError;
use serde::Deserialize;
use store::audit::AuditEntry;
use store::registrations::{NewRegistration, RegistrationRecord, RegistrationState};
use store::StoreError;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// Body of `POST /api/v1/registrations`.
#[derive(Debug, Clone, Deserialize)]
pub struct RegistrationInput {
    /// The year registered for (this year or the next).
    pub year: i64,
    /// A residential area or commune.
    #[serde(default)]
    pub unit_code: Option<String>,
    /// An agency, enterprise or school.
    #[serde(default)]
    pub organisation_id: Option<i64>,
    /// Note (what the file holds: resolution, plan, registration form).
    #[serde(default)]
    pub note: Option<String>,
}

impl App {
    /// Registers a subject in scope for a year, once.
    pub async fn register(&self, actor: &Actor, input: &RegistrationInput) -> AppResult<RegistrationRecord> {
        actor.require_write()?;
        let this_year = store::clock::current_year();
        if !(2022..=this_year + 1).contains(&input.year) {
            return Err(ValidationError::one("year", "assessment.year_invalid").into());
        }
        let note = input.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
        if note.is_some_and(|n| n.chars().count() > 2000) {
            return Err(ValidationError::one("note", "assessment.note_too_long").into());
        }
        let s = self.subject(actor, input.unit_code.as_deref(), input.organisation_id).await?;
        let key = store::assessments::subject_key(s.unit_code.as_deref(), s.organisation_id).unwrap_or_default();
        let new = NewRegistration {
            year: input.year,
            subject: s.subject.as_str().to_string(),
            subject_key: key,
            unit_code: s.unit_code,
            organisation_id: s.organisation_id,
            province_code: s.province_code,
            commune_code: s.commune_code,
            registered_on: store::clock::today_iso(),
            note: note.map(str::to_string),
        };
        let mut tx = self.store.begin_write().await?;
        let id = match tx.insert_registration(&new, actor.user_id).await {
            Ok(id) => id,
            Err(StoreError::Conflict(_)) => return Err(AppError::Conflict("registration.exists")),
            Err(e) => return Err(e.into()),
        };
        let after = serde_json::json!({"year": new.year, "subject": new.subject, "key": new.subject_key});
        AuditEntry::new(Some(actor.user_id), "registration.create", "registration", id)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(self.store.registration(id).await?)
    }

    /// Registrations of a year in scope, under `unit` when given (a unit in scope).
    pub async fn registrations(
        &self,
        actor: &Actor,
        year: i64,
        unit: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> AppResult<(Vec<RegistrationRecord>, i64)> {
        if let Some(u) = unit.filter(|u| !u.is_empty()) {
            let place = self.store.unit(u).await?.place();
            if !actor.scope.contains(&place) {
                return Err(AppError::NotFound);
            }
        }
        Ok(self.store.list_registrations(&actor.scope, year, unit, limit, offset).await?)
    }

    /// (registered, to register) for a year in the actor's scope or a unit inside
    /// it — the dashboard's figure, kept in the figures memo.
    pub async fn registration_progress(&self, actor: &Actor, year: i64, unit: Option<&str>) -> AppResult<(i64, i64)> {
        let scope = self.narrowed_scope(actor, unit).await?;
        let n = self
            .memo(format!("registration_progress|{scope:?}|{year}"), || async {
                Ok(self.store.registration_progress(&scope, year).await?)
            })
            .await?;
        Ok(*n)
    }

    /// One registration in the actor's scope.
    pub async fn registration(&self, actor: &Actor, id: i64) -> AppResult<RegistrationRecord> {
        Ok(self.store.registration_in(&actor.scope, id).await?)
    }

    /// Who in a commune (in scope) has and has not registered for a year.
    pub async fn commune_registrations(
        &self,
        actor: &Actor,
        commune: &str,
        year: i64,
    ) -> AppResult<Vec<RegistrationState>> {
        let unit = self.store.unit(commune).await?;
        if unit.level != domain::Level::Commune || !actor.scope.contains(&unit.place()) {
            return Err(AppError::NotFound);
        }
        Ok(self.store.commune_registrations(commune, year).await?)
    }
}
