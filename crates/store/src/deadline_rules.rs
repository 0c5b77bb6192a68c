//! Versions of the statutory deadline rules added as data (an amendment in force
//! from a day), beside the shipped ones in `domain::deadline`.

use domain::deadline::{Period, Rule, RuleVersion};

use crate::audit::AuditEntry;
use crate::decode::{date, parsed, Cols};
use crate::{now_ms, Result, Store};

fn period(unit: &str, count: i64) -> Option<Period> {
    let n = u32::try_from(count).ok()?;
    match unit {
        "calendar_days" => Some(Period::CalendarDays(n)),
        "working_days" => Some(Period::WorkingDays(n)),
        "months" => Some(Period::Months(n)),
        _ => None,
    }
}

/// A period as stored: (unit, count).
pub fn period_columns(p: Period) -> (&'static str, i64) {
    match p {
        Period::CalendarDays(n) => ("calendar_days", i64::from(n)),
        Period::WorkingDays(n) => ("working_days", i64::from(n)),
        Period::Months(n) => ("months", i64::from(n)),
    }
}

impl Store {
    /// Every stored version, by rule and day.
    pub async fn stored_rule_versions(&self) -> Result<Vec<RuleVersion>> {
        let rows = sqlx::query(
            "SELECT rule, valid_from, unit, count, source, to_confirm FROM deadline_rule_versions ORDER BY rule, valid_from",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new("deadline_rule_versions", r);
                let unit = c.text("unit")?;
                let count = c.int("count")?;
                Ok(RuleVersion {
                    rule: parsed("deadline_rule_versions", "rule", &c.text("rule")?, Rule::parse)?,
                    from: date("deadline_rule_versions", "valid_from", &c.text("valid_from")?)?,
                    period: parsed("deadline_rule_versions", "unit", &unit, |u| period(u, count))?,
                    source: c.text("source")?,
                    to_confirm: c.flag("to_confirm")?,
                })
            })
            .collect()
    }

    /// Adds a version (audited); one per rule and day ([`crate::StoreError::Conflict`]).
    pub async fn insert_rule_version(&self, v: &RuleVersion, by: i64) -> Result<()> {
        let (unit, count) = period_columns(v.period);
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO deadline_rule_versions (rule, valid_from, unit, count, source, to_confirm, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)")
            .bind(v.rule.id().to_string())
            .bind(v.from.format("%Y-%m-%d").to_string())
            .bind(unit.to_string())
            .bind(count)
            .bind(v.source.clone())
            .bind(i64::from(v.to_confirm))
            .bind(by)
            .bind(now_ms())
            .execute(&mut *tx.tx)
            .await
            .map_err(|e| crate::db::conflict_as(e, "rule version"))?;
        let id = format!("{}@{}", v.rule.id(), v.from);
        AuditEntry::new(Some(by), "deadline_rule.add_version", "deadline_rule", id).after(v).write(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The versions in force: the shipped ones, each replaced by a stored one of the same
/// rule and day, and the stored ones added.
pub fn merged(shipped: Vec<RuleVersion>, stored: Vec<RuleVersion>) -> Vec<RuleVersion> {
    let same = |a: &RuleVersion, b: &RuleVersion| a.rule == b.rule && a.from == b.from;
    let mut out: Vec<RuleVersion> = shipped.into_iter().filter(|s| !stored.iter().any(|x| same(s, x))).collect();
    out.extend(stored);
    out.sort_by_key(|v| (v.rule, v.from));
    out
}
