//! The scope a request reads: the actor's own, or a unit inside it.

use store::StoreError;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

impl App {
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
