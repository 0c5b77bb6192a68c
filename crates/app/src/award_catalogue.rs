//! The award catalogue: shipped as data (`data/awards/award-types.toml`), then the
//! versions the ministry publishes, one per year, like the criteria sets. A
//! nomination is checked against the version in force for its year: the latest
//! published one not after it, else the shipped catalogue.

use std::sync::Arc;

use domain::awards::AwardType;
use domain::{Role, ValidationError};
use serde::{Deserialize, Serialize};
use store::audit::AuditEntry;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

const SHIPPED: &str = include_str!("../../../data/awards/award-types.toml");

#[derive(Deserialize)]
struct Shipped {
    award: Vec<AwardType>,
}

/// The shipped catalogue, read once.
static SHIPPED_TYPES: std::sync::LazyLock<Result<Vec<AwardType>, String>> = std::sync::LazyLock::new(|| {
    toml::from_str::<Shipped>(SHIPPED).map(|c| c.award).map_err(|e| format!("shipped award types: {e}"))
});

/// The shipped award types, in their file's order.
pub fn shipped_award_types() -> AppResult<Vec<AwardType>> {
    SHIPPED_TYPES.clone().map_err(AppError::Internal)
}

/// The catalogue in force for a year.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogueVersion {
    /// The year of the version in force; `None`: the shipped catalogue.
    pub version: Option<i64>,
    /// Its award types.
    pub items: Vec<AwardType>,
}

impl CatalogueVersion {
    /// One award type by code.
    pub fn find(&self, code: &str) -> Option<&AwardType> {
        self.items.iter().find(|a| a.code == code.trim())
    }

    /// Code → name, for lists and registers.
    pub fn names(&self) -> std::collections::HashMap<String, String> {
        self.items.iter().map(|a| (a.code.clone(), a.name.clone())).collect()
    }
}

impl App {
    /// The catalogue in force for `year`.
    pub async fn award_catalogue(&self, year: i64) -> AppResult<Arc<CatalogueVersion>> {
        self.memo(format!("award_catalogue|{year}"), || async {
            match self.store.award_catalogue(year).await? {
                Some((version, body)) => {
                    let items: Vec<AwardType> = serde_json::from_str(&body)
                        .map_err(|e| AppError::Internal(format!("award catalogue {version}: {e}")))?;
                    Ok(CatalogueVersion { version: Some(version), items })
                }
                None => Ok(CatalogueVersion { version: None, items: shipped_award_types()? }),
            }
        })
        .await
    }

    /// The years with a published version.
    pub async fn award_catalogue_years(&self) -> AppResult<Vec<i64>> {
        Ok(self.store.award_catalogue_years().await?)
    }

    /// One award type of the version in force for `year`.
    pub(crate) async fn award_type(&self, code: &str, year: i64) -> AppResult<AwardType> {
        self.award_catalogue(year)
            .await?
            .find(code)
            .cloned()
            .ok_or_else(|| ValidationError::one("award_type", "nomination.award_unknown").into())
    }

    /// Publishes the version of `year` (ministry and admin only; replaces one of the
    /// same year). Every award type used by nominations of that year or later stays.
    pub async fn publish_award_catalogue(&self, actor: &Actor, year: i64, items: &[AwardType]) -> AppResult<()> {
        if !matches!(actor.role, Role::Ministry | Role::Admin) {
            return Err(AppError::Forbidden("auth.not_allowed"));
        }
        let used = self.store.award_types_used_from(year).await?;
        domain::awards::catalogue::check(items, year, &used)?;
        let body = serde_json::to_string(items).map_err(|e| AppError::Internal(e.to_string()))?;
        let before = self.award_catalogue(year).await?;
        let mut tx = self.store.begin_write().await?;
        tx.put_award_catalogue(year, &body, actor.user_id).await?;
        let codes = |v: &[AwardType]| v.iter().map(|a| a.code.clone()).collect::<Vec<_>>();
        let after = serde_json::json!({"year": year, "codes": codes(items)});
        let before_json = serde_json::json!({"version": before.version, "codes": codes(&before.items)});
        AuditEntry::new(Some(actor.user_id), "award_catalogue.publish", "award_catalogue", year)
            .before(&before_json)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
