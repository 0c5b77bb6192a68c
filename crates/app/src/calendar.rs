//! The working calendar: statutory holidays computed in `domain::calendar`, plus the
//! government's yearly decisions entered by an administrator (kept in the database
//! and cached here until the next change).

use std::sync::Arc;

use chrono::NaiveDate;
use domain::calendar::{CalendarOverride, Holiday, OverrideKind, WorkCalendar};
use domain::{Role, ValidationError};
use serde::Deserialize;
use store::audit::AuditEntry;
use store::cases::CalendarOverrideRow;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// An administrator's calendar entry as the API receives it.
#[derive(Debug, Clone, Deserialize)]
pub struct CalendarEntryInput {
    /// Day (YYYY-MM-DD).
    pub day: String,
    /// `day_off` or `working_day`.
    pub kind: String,
    /// Vietnamese name (e.g. "Nghỉ bù theo Quyết định …").
    pub name_vi: String,
    /// English name.
    #[serde(default)]
    pub name_en: Option<String>,
}

/// Parses `YYYY-MM-DD` in a reasonable range.
pub fn parse_day(field: &str, s: &str) -> Result<NaiveDate, ValidationError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (1901..=2099).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| ValidationError::one(field, "calendar.date_invalid"))
}

impl App {
    /// The working calendar in force.
    pub async fn calendar(&self) -> AppResult<Arc<WorkCalendar>> {
        if let Some(c) = self.calendar_cache.get() {
            return Ok(c);
        }
        let rows = self.store.calendar_overrides().await?;
        let overrides = rows
            .into_iter()
            .map(|r| CalendarOverride { date: r.day, kind: r.kind, name_vi: r.name_vi, name_en: r.name_en })
            .collect();
        Ok(self.calendar_cache.set(Arc::new(WorkCalendar::new(overrides))))
    }

    /// Days off of a year (statutory, compensatory, decreed).
    pub async fn holidays(&self, year: i32) -> AppResult<Vec<Holiday>> {
        if !(1901..=2099).contains(&year) {
            return Err(ValidationError::one("year", "calendar.year_invalid").into());
        }
        Ok(self.calendar().await?.holidays(year))
    }

    /// The `days`-th working day after `from`.
    pub async fn add_working_days(&self, from: &str, days: i64) -> AppResult<NaiveDate> {
        let from = parse_day("from", from)?;
        if !(0..=1000).contains(&days) {
            return Err(ValidationError::one("days", "calendar.days_invalid").into());
        }
        Ok(self.calendar().await?.add_working_days(from, days as u32))
    }

    /// The administrator's stored decisions.
    pub async fn calendar_entries(&self) -> AppResult<Vec<CalendarOverrideRow>> {
        Ok(self.store.calendar_overrides().await?)
    }

    /// Adds or replaces a decision (administrator only); audited.
    pub async fn set_calendar_entry(&self, actor: &Actor, input: &CalendarEntryInput) -> AppResult<()> {
        require_admin(actor)?;
        let mut err = ValidationError::default();
        let day = parse_day("day", &input.day).map_err(|e| err.errors.extend(e.errors)).ok();
        let kind = OverrideKind::parse(&input.kind);
        if kind.is_none() {
            err.push("kind", "calendar.kind_unknown");
        }
        let name_vi = input.name_vi.trim();
        if name_vi.is_empty() || name_vi.chars().count() > 200 {
            err.push("name_vi", "calendar.name_empty");
        }
        err.into_result()?;
        let (Some(day), Some(kind)) = (day, kind) else { return Err(AppError::Internal("validated".into())) };
        let row = CalendarOverrideRow {
            day,
            kind,
            name_vi: name_vi.to_string(),
            name_en: input.name_en.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or(name_vi).to_string(),
        };
        let mut tx = self.store.begin_write().await?;
        tx.upsert_calendar_override(&row, actor.user_id).await?;
        AuditEntry::new(Some(actor.user_id), "calendar.set", "calendar", row.day).after(&row).write(&mut tx).await?;
        tx.commit().await?;
        self.calendar_cache.forget();
        Ok(())
    }

    /// Removes a decision (administrator only); audited.
    pub async fn delete_calendar_entry(&self, actor: &Actor, day: &str) -> AppResult<()> {
        require_admin(actor)?;
        let day = parse_day("day", day)?.format("%Y-%m-%d").to_string();
        let mut tx = self.store.begin_write().await?;
        if !tx.delete_calendar_override(&day).await? {
            return Err(AppError::NotFound);
        }
        AuditEntry::new(Some(actor.user_id), "calendar.delete", "calendar", &day).write(&mut tx).await?;
        tx.commit().await?;
        self.calendar_cache.forget();
        Ok(())
    }
}

fn require_admin(actor: &Actor) -> AppResult<()> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden("auth.not_allowed"))
    }
}
