//! A unit through time: renamed (the old name kept with its days), retired into a
//! successor (from a future day the change waits and the worker applies it), and a
//! retired commune's open records moved to its successor in one audited step, with a
//! preview of what moves.

use domain::unit::validate_unit_name;
use domain::{Level, ValidationError};
use store::audit::AuditEntry;
use store::unit_succession::Succession;
use store::units::{FormerName, UnitRecord};
use store::StoreError;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// A retirement asked for.
#[derive(Debug, Clone, Default)]
pub struct Retirement<'a> {
    /// The first day the unit is no longer in force (YYYY-MM-DD).
    pub valid_to: &'a str,
    /// The unit of the same level that takes over.
    pub successor: Option<&'a str>,
    /// Move the open records of a commune to its successor (now, or on the day).
    pub move_records: bool,
}

impl App {
    /// The unit `code`, in the actor's scope, that the actor may rename or retire:
    /// provinces and communes by admin or ministry accounts, residential areas by the
    /// police who write for their commune.
    async fn changeable_unit(&self, actor: &Actor, code: &str) -> AppResult<UnitRecord> {
        actor.require_write()?;
        let unit = self.store.unit(code).await?;
        if !actor.scope.contains(&unit.place()) {
            return Err(AppError::NotFound);
        }
        if !domain::unit::may_change(actor.role, unit.level) {
            return Err(AppError::Forbidden("auth.not_allowed"));
        }
        Ok(unit)
    }

    /// The successor a retiring unit names: an existing unit in force, of the same
    /// level, in the actor's scope, not the unit itself.
    async fn successor_of(&self, actor: &Actor, unit: &UnitRecord, code: &str) -> AppResult<UnitRecord> {
        let invalid = || AppError::from(ValidationError::one("successor_code", "unit.successor_invalid"));
        let succ = match self.store.unit(code.trim()).await {
            Ok(u) => u,
            Err(StoreError::NotFound) => return Err(invalid()),
            Err(e) => return Err(e.into()),
        };
        if succ.code == unit.code
            || succ.level != unit.level
            || succ.valid_to.is_some()
            || succ.retires_on.is_some()
            || !actor.scope.contains(&succ.place())
        {
            return Err(invalid());
        }
        Ok(succ)
    }

    /// What would move from commune `code` to `successor` if it were retired now.
    pub async fn succession_preview(&self, actor: &Actor, code: &str, successor: &str) -> AppResult<Succession> {
        let unit = self.changeable_unit(actor, code).await?;
        if unit.level != Level::Commune {
            return Err(ValidationError::one("move_records", "unit.move_only_commune").into());
        }
        let succ = self.successor_of(actor, &unit, successor).await?;
        Ok(self.store.succession_preview(&unit.code, &succ.code, store::clock::current_year()).await?)
    }

    /// Ends a unit's validity (a merger or dissolution) from `valid_to`, naming its
    /// successor of the same level; with `move_records`, a commune's open records
    /// go to the successor in the same step. Old names stay readable: the unit keeps
    /// its row, its dates and the successor link.
    pub async fn retire_unit(&self, actor: &Actor, code: &str, r: &Retirement<'_>) -> AppResult<UnitRecord> {
        let unit = self.changeable_unit(actor, code).await?;
        let mut err = ValidationError::default();
        let date = domain::unit::parse_iso_date(r.valid_to);
        match &date {
            None => err.push("valid_to", "unit.date_invalid"),
            Some(d) if *d < domain::clock::iso(unit.valid_from) => err.push("valid_to", "unit.date_before_start"),
            Some(_) if unit.valid_to.is_some() || unit.retires_on.is_some() => {
                err.push("valid_to", "unit.already_retired")
            }
            Some(_) => {}
        }
        // A unit another waits to merge into stays in force until that merger is done.
        if self.store.awaited_as_successor(&unit.code).await? {
            err.push("valid_to", "unit.awaited_successor");
        }
        if r.move_records && unit.level != Level::Commune {
            err.push("move_records", "unit.move_only_commune");
        }
        if r.move_records && r.successor.is_none() {
            err.push("successor_code", "unit.move_needs_successor");
        }
        err.into_result()?;
        let succ = match r.successor {
            Some(s) => Some(self.successor_of(actor, &unit, s).await?),
            None => None,
        };
        let date = date.ok_or_else(|| AppError::Internal("validated date missing".into()))?;
        let successor = succ.as_ref().map(|s| s.code.as_str());
        let mut tx = self.store.begin_write().await?;
        // From a future day, the unit stays in force until then: the retirement
        // waits and the worker applies it (and moves the records) when the day comes.
        let later = date > store::clock::today_iso();
        let moved = match (&succ, r.move_records, later) {
            (Some(s), true, false) => Some(self.move_records(&mut tx, &unit.code, s).await?),
            _ => None,
        };
        if later {
            tx.schedule_unit_retirement(&unit.code, &date, successor, r.move_records).await?;
        } else {
            tx.retire_unit(&unit.code, &date, successor).await?;
        }
        let after = serde_json::json!({"valid_to": date, "successor_code": successor, "from_a_future_day": later,
            "move_records": r.move_records, "moved": moved});
        AuditEntry::new(
            Some(actor.user_id),
            if later { "unit.retire_scheduled" } else { "unit.retire" },
            "unit",
            &unit.code,
        )
        .before(&unit)
        .after(&after)
        .write(&mut tx)
        .await?;
        tx.commit().await?;
        self.cases.forget_units();
        Ok(self.store.unit(&unit.code).await?)
    }

    /// Moves the open records of commune `old` to `succ` inside `tx`; returns what moved.
    async fn move_records(&self, tx: &mut store::Tx, old: &str, succ: &UnitRecord) -> AppResult<Succession> {
        let year = store::clock::current_year();
        let province = succ.province_code.clone().unwrap_or_default();
        let moving = tx.succession(old, &succ.code, year).await?;
        tx.move_open_records(old, &succ.code, &province, year).await?;
        Ok(moving)
    }

    /// Applies the retirements and renames whose day has come (the worker, daily);
    /// returns how many changes were applied.
    pub async fn apply_due_unit_retirements(&self) -> AppResult<usize> {
        let today = store::clock::today_iso();
        let mut tx = self.store.begin_write().await?;
        let due = tx.due_unit_retirements(&today).await?;
        for (code, day, successor, moving) in &due {
            let moved = match (successor, moving) {
                (Some(s), true) => match in_force(&mut tx, s).await? {
                    Some(succ) => Some(self.move_records(&mut tx, code, &succ).await?),
                    None => None,
                },
                _ => None,
            };
            tx.apply_unit_retirement(code).await?;
            AuditEntry::new(None, "unit.retire", "unit", code)
                .after(&serde_json::json!({"valid_to": day, "successor_code": successor, "applied_on": today, "moved": moved}))
                .write(&mut tx)
                .await?;
        }
        let renames = tx.due_unit_renames(&today).await?;
        for code in &renames {
            let u = tx.unit(code).await?;
            let (Some(day), Some(name)) = (u.renames_on, u.renames_to.clone()) else { continue };
            tx.rename_unit(&u, &name, &day.to_string()).await?;
            AuditEntry::new(None, "unit.rename", "unit", code)
                .before(&serde_json::json!({"name": u.name}))
                .after(&serde_json::json!({"name": name, "from": day, "applied_on": today}))
                .write(&mut tx)
                .await?;
        }
        tx.commit().await?;
        if !due.is_empty() || !renames.is_empty() {
            self.cases.forget_units();
        }
        Ok(due.len() + renames.len())
    }

    /// Gives a unit a new name from `from` (YYYY-MM-DD; today when empty). The old
    /// name stays with its days; from a future day the rename waits for it.
    pub async fn rename_unit(&self, actor: &Actor, code: &str, name: &str, from: &str) -> AppResult<UnitRecord> {
        let unit = self.changeable_unit(actor, code).await?;
        let mut err = ValidationError::default();
        let name = validate_unit_name(name).map_err(|e| err.errors.extend(e.errors)).ok();
        let today = store::clock::today();
        let day = if from.trim().is_empty() { Some(today) } else { domain::clock::parse_iso(from) };
        match day {
            None => err.push("valid_from", "unit.date_invalid_day"),
            Some(d) if d <= unit.name_from.unwrap_or(unit.valid_from) => {
                err.push("valid_from", "unit.rename_too_early")
            }
            Some(_) if unit.valid_to.is_some() => err.push("valid_from", "unit.already_retired"),
            Some(_) => {}
        }
        if name.as_deref().is_some_and(|n| n == unit.name) {
            err.push("name", "unit.rename_same");
        }
        err.into_result()?;
        let (Some(name), Some(day)) = (name, day) else {
            return Err(AppError::Internal("validated fields missing".into()));
        };
        let mut tx = self.store.begin_write().await?;
        let later = day > today;
        if later {
            tx.schedule_unit_rename(&unit.code, &name, &day.to_string()).await?;
        } else {
            tx.rename_unit(&unit, &name, &day.to_string()).await?;
        }
        AuditEntry::new(
            Some(actor.user_id),
            if later { "unit.rename_scheduled" } else { "unit.rename" },
            "unit",
            &unit.code,
        )
        .before(&serde_json::json!({"name": unit.name, "name_from": unit.name_from}))
        .after(&serde_json::json!({"name": name, "from": day}))
        .write(&mut tx)
        .await?;
        tx.commit().await?;
        self.cases.forget_units();
        Ok(self.store.unit(&unit.code).await?)
    }

    /// The names a unit bore before (public, like the map).
    pub async fn former_names(&self, code: &str) -> AppResult<Vec<FormerName>> {
        Ok(self.store.former_names(code).await?)
    }

    /// The units before 1 July 2025 of a level and parent, as they stood (public).
    pub async fn legacy_tree(
        &self,
        level: Option<&str>,
        parent: Option<&str>,
        q: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> AppResult<(Vec<store::unit_history::LegacyUnit>, i64)> {
        Ok(self.store.list_legacy_units(level, parent, q, limit, offset).await?)
    }
}

/// The unit in force that `code` is, or that it went into (following successors a
/// few steps, should one have merged in the meantime); `None` when the chain ends
/// without one.
async fn in_force(tx: &mut store::Tx, code: &str) -> AppResult<Option<UnitRecord>> {
    let mut code = code.to_string();
    for _ in 0..8 {
        let u = tx.unit(&code).await?;
        match (&u.valid_to, &u.successor_code) {
            (None, _) => return Ok(Some(u)),
            (Some(_), Some(next)) => code = next.clone(),
            (Some(_), None) => return Ok(None),
        }
    }
    Ok(None)
}
