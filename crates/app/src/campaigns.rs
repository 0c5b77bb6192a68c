//! The yearly campaign settings the ministry adjusts: deadlines, recognition
//! target, who approves a commune's own assessment.

use chrono::NaiveDate;
use domain::assessment::CommuneApprover;
use domain::campaign::Campaign;
use domain::{Role, ValidationError};
use serde::Deserialize;
use store::audit::AuditEntry;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// Input of `PUT /api/v1/campaigns/{year}`; dates as YYYY-MM-DD.
#[derive(Debug, Clone, Deserialize)]
pub struct CampaignInput {
    /// Residential areas submit by this day.
    pub residential_area_deadline: String,
    /// Communes and organisations submit by this day.
    pub commune_deadline: String,
    /// The province summary is due on this day.
    pub province_summary_deadline: String,
    /// Recognition target in percent (1–100).
    pub target_percent: u32,
    /// `province` or `ministry`.
    pub commune_approver: String,
}

impl CampaignInput {
    /// Parses and checks the input for `year`.
    pub fn to_campaign(&self, year: i64) -> Result<Campaign, ValidationError> {
        let mut err = ValidationError::default();
        let mut date = |field: &str, raw: &str| {
            let d = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok();
            if d.is_none() {
                err.push(field, "movement.date_invalid");
            }
            d
        };
        let ra = date("residential_area_deadline", &self.residential_area_deadline);
        let co = date("commune_deadline", &self.commune_deadline);
        let ps = date("province_summary_deadline", &self.province_summary_deadline);
        let approver = CommuneApprover::parse(self.commune_approver.trim());
        if approver.is_none() {
            err.push("commune_approver", "campaign.approver_unknown");
        }
        let year = i32::try_from(year).ok().filter(|y| (2022..=2100).contains(y));
        if year.is_none() {
            err.push("year", "assessment.year_invalid");
        }
        let (Some(year), Some(ra), Some(co), Some(ps), Some(approver)) = (year, ra, co, ps, approver) else {
            return Err(err);
        };
        let c = Campaign {
            year,
            residential_area_deadline: ra,
            commune_deadline: co,
            province_summary_deadline: ps,
            target_percent: self.target_percent,
            commune_approver: approver,
        };
        c.validate()?;
        Ok(c)
    }
}

impl App {
    /// The campaign of a year: as the ministry set it, or the defaults.
    pub async fn campaign(&self, year: i64) -> AppResult<Campaign> {
        // Read on every dashboard request; kept like the figures it goes with.
        let c = self.memo(format!("campaign|{year}"), || async { Ok(self.campaign_and_origin(year).await?.0) }).await?;
        Ok(Campaign::clone(&c))
    }

    /// The campaign of a year and whether the ministry adjusted it (one read).
    pub async fn campaign_and_origin(&self, year: i64) -> AppResult<(Campaign, bool)> {
        if let Some(c) = self.store.campaign(year).await? {
            return Ok((c, true));
        }
        i32::try_from(year)
            .ok()
            .and_then(Campaign::default_for)
            .map(|c| (c, false))
            .ok_or_else(|| ValidationError::one("year", "assessment.year_invalid").into())
    }

    /// Sets a year's campaign (ministry and administrators), audited; the
    /// reminders of the new dates are scheduled at once, and reminders of dates
    /// that no longer apply are skipped when they come due.
    pub async fn set_campaign(&self, actor: &Actor, year: i64, input: &CampaignInput) -> AppResult<Campaign> {
        actor.require_write()?;
        if !matches!(actor.role, Role::Ministry | Role::Admin) {
            return Err(AppError::Forbidden("auth.not_allowed"));
        }
        let campaign = input.to_campaign(year)?;
        let before = self.campaign(year).await?;
        let mut tx = self.store.begin_write().await?;
        tx.put_campaign(&campaign, actor.user_id).await?;
        AuditEntry::new(Some(actor.user_id), "campaign.set", "campaign", year)
            .before(&before)
            .after(&campaign)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        self.schedule_reminders(campaign.year, store::clock::today()).await?;
        Ok(campaign)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CampaignInput {
        CampaignInput {
            residential_area_deadline: "2026-11-20".into(),
            commune_deadline: "2026-11-30".into(),
            province_summary_deadline: "2026-12-15".into(),
            target_percent: 95,
            commune_approver: "province".into(),
        }
    }

    #[test]
    fn input_is_parsed_and_checked() {
        let c = input().to_campaign(2026).expect("valid");
        assert_eq!(c, Campaign::default_for(2026).expect("default"));
        let bad =
            CampaignInput { commune_deadline: "30/11/2026".into(), commune_approver: "district".into(), ..input() };
        let err = bad.to_campaign(2026).expect_err("invalid");
        let fields: Vec<&str> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["commune_deadline", "commune_approver"]);
        assert!(input().to_campaign(2031).is_err(), "dates of another year");
        assert!(CampaignInput { target_percent: 0, ..input() }.to_campaign(2026).is_err());
    }
}
