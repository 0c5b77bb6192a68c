//! The home dashboard: counts within the actor's scope.

use crate::error::AppResult;
use crate::{Actor, App};

/// Figures shown on the home page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Dashboard {
    /// Provinces in scope.
    pub provinces: i64,
    /// Communes in scope.
    pub communes: i64,
    /// Residential areas in scope.
    pub areas: i64,
    /// Organisations in scope.
    pub organisations: i64,
    /// Staff accounts in scope.
    pub users: i64,
}

impl App {
    /// Counts for the actor's scope.
    pub async fn dashboard(&self, actor: &Actor) -> AppResult<Dashboard> {
        let (provinces, communes, areas) = self.store.unit_counts(&actor.scope).await?;
        let organisations = self.store.count_organisations(&actor.scope).await?;
        let (_, users) = self.store.list_users(&actor.scope, 0, 0).await?;
        Ok(Dashboard { provinces, communes, areas, organisations, users })
    }
}
