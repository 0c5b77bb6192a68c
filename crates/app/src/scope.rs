//! Where the caller stands: its scope, or a unit inside it; its own unit and the
//! line of units above it (what was addressed to it).

use domain::unit::UnitPlace;
use domain::Scope;
use store::StoreError;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

impl App {
    /// The place of the caller's own unit (403 for an account without one).
    pub(crate) async fn actor_place(&self, actor: &Actor) -> AppResult<UnitPlace> {
        let code = actor.unit_code.as_deref().ok_or(AppError::Forbidden("auth.not_allowed"))?;
        Ok(self.kept_unit(code).await?.place())
    }

    /// The caller's unit and every unit above it (what was addressed to it).
    /// (An organisation is not a unit below anyone: its contact gets none.)
    pub(crate) async fn actor_line(&self, actor: &Actor) -> AppResult<Vec<String>> {
        match (&actor.unit_code, &actor.scope) {
            (_, Scope::Organisation(_)) | (None, _) => Ok(Vec::new()),
            (Some(_), _) => Ok(domain::unit::line(&self.actor_place(actor).await?)),
        }
    }

    /// A unit in the caller's scope, or "not found".
    pub(crate) async fn unit_in_scope(&self, actor: &Actor, code: &str) -> AppResult<UnitPlace> {
        let unit = match self.kept_unit(code.trim()).await {
            Ok(u) => u,
            Err(AppError::NotFound) | Err(AppError::Store(StoreError::NotFound)) => return Err(AppError::NotFound),
            Err(e) => return Err(e),
        };
        let place = unit.place();
        if !actor.scope.contains(&place) {
            return Err(AppError::NotFound);
        }
        Ok(place)
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
}
