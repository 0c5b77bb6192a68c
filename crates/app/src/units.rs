//! Unit use cases: browse (public), add and import residential areas (commune officers).

use domain::unit::validate_unit_name;
use domain::{AreaKind, Level, ValidationError};
use store::audit::AuditEntry;
use store::units::{UnitFilter, UnitRecord};
use store::StoreError;

use crate::error::AppResult;
use crate::{Actor, App, AppError, RowError};

/// A page of units.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UnitPage {
    /// Units on this page.
    pub items: Vec<UnitRecord>,
    /// Units matching in all.
    pub total: i64,
}

impl App {
    /// Lists units (public data: the administrative map is not secret).
    pub async fn list_units(&self, f: &UnitFilter) -> AppResult<UnitPage> {
        let (items, total) = self.store.list_units(f).await?;
        Ok(UnitPage { items, total })
    }

    /// Units before 1 July 2025 whose name holds `q` (or whose code is `q`), with the
    /// 2025 units they went into (public).
    pub async fn legacy_units(&self, q: &str, limit: i64) -> AppResult<Vec<store::unit_history::LegacyUnit>> {
        Ok(self.store.search_legacy_units(q, limit).await?)
    }

    /// The units before 1 July 2025 a unit came from (public).
    pub async fn predecessors(&self, code: &str) -> AppResult<Vec<store::unit_history::Successor>> {
        Ok(self.store.predecessors(code).await?)
    }

    /// One unit by code (public).
    pub async fn unit(&self, code: &str) -> AppResult<UnitRecord> {
        Ok(self.store.unit(code).await?)
    }

    /// The current unit of one of `levels` an officer means by `text`: its code, or
    /// its name typed without minding diacritics or case ("phuong ba dinh"), when
    /// that name is one unit's. `Err` is a validation error on `field`: unknown
    /// (`unit.unknown_text`) or a name several units bear (`unit.ambiguous_name`,
    /// pick from the list, which gives the code).
    pub async fn unit_by_text(&self, text: &str, levels: &[Level], field: &str) -> AppResult<UnitRecord> {
        let text = text.trim();
        match self.store.unit(text).await {
            Ok(u) if u.valid_to.is_none() && levels.contains(&u.level) => return Ok(u),
            Ok(_) | Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
        let folded = domain::text::fold(text);
        if folded.chars().count() < 2 {
            return Err(ValidationError::one(field, "unit.unknown_text").into());
        }
        let f = UnitFilter { q: Some(text.to_string()), limit: 50, ..Default::default() };
        let named: Vec<UnitRecord> = self
            .store
            .list_units(&f)
            .await?
            .0
            .into_iter()
            .filter(|u| levels.contains(&u.level) && domain::text::fold(&u.name) == folded)
            .collect();
        match named.len() {
            1 => Ok(named.into_iter().next().ok_or(AppError::NotFound)?),
            0 => Err(ValidationError::one(field, "unit.unknown_text").into()),
            _ => Err(ValidationError::one(field, "unit.ambiguous_name").into()),
        }
    }

    /// The code of the unit (residential area, commune, province) an officer names by
    /// `text` when one unit bears that name; otherwise the text as typed, for the use
    /// case to judge (a code, or an unknown unit refused by name).
    pub async fn unit_code_as_typed(&self, text: &str) -> String {
        let levels = [Level::Area, Level::Commune, Level::Province];
        match self.unit_by_text(text, &levels, "unit_code").await {
            Ok(u) => u.code,
            Err(_) => text.trim().to_string(),
        }
    }

    /// Looks up a commune the actor may write under: it must exist, be a commune,
    /// be valid, and lie in the actor's scope; otherwise it "does not exist".
    pub(crate) async fn writable_commune(
        &self,
        actor: &Actor,
        code: &str,
        field: &str,
        missing: &'static str,
    ) -> AppResult<UnitRecord> {
        let unit = match self.store.unit(code.trim()).await {
            Ok(u) => u,
            Err(StoreError::NotFound) => return Err(ValidationError::one(field, missing).into()),
            Err(e) => return Err(e.into()),
        };
        if unit.level != Level::Commune || unit.valid_to.is_some() || !actor.scope.contains(&unit.place()) {
            return Err(ValidationError::one(field, missing).into());
        }
        Ok(unit)
    }

    /// Adds a residential area under a commune in the actor's scope.
    pub async fn create_area(
        &self,
        actor: &Actor,
        parent_code: &str,
        name: &str,
        division_type: &str,
    ) -> AppResult<UnitRecord> {
        actor.require_write()?;
        let mut err = ValidationError::default();
        let name = validate_unit_name(name).map_err(|e| err.errors.extend(e.errors)).ok();
        let kind = AreaKind::parse(division_type);
        if kind.is_none() {
            err.push("division_type", "unit.area_kind_unknown");
        }
        err.into_result()?;
        let commune = self.writable_commune(actor, parent_code, "parent_code", "unit.parent_unknown").await?;
        let (Some(name), Some(kind)) = (name, kind) else {
            return Err(AppError::Internal("validated fields missing".into()));
        };
        let mut tx = self.store.begin_write().await?;
        let code = tx.create_area(&commune, &name, kind.as_str()).await?;
        let after = serde_json::json!({"code": code, "name": name, "division_type": kind.as_str(), "parent_code": commune.code});
        AuditEntry::new(Some(actor.user_id), "unit.create", "unit", &code).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(self.store.unit(&code).await?)
    }

    /// Imports residential areas from CSV (`name,division_type`) under one commune,
    /// all or nothing.
    pub async fn import_areas(&self, actor: &Actor, parent_code: &str, csv_bytes: &[u8]) -> AppResult<usize> {
        actor.require_write()?;
        let commune = self.writable_commune(actor, parent_code, "parent_code", "unit.parent_unknown").await?;
        let table =
            self.parse_table(crate::uploads::TableFormat::Csv, bytes::Bytes::copy_from_slice(csv_bytes)).await?;
        let name_col = table.column("name");
        let kind_col = table.column("division_type");
        let mut errors = Vec::new();
        for (col, idx) in [("name", name_col), ("division_type", kind_col)] {
            if idx.is_none() {
                errors.push(RowError { row: 1, column: col.into(), code: "import.column_missing".into() });
            }
        }
        let (Some(nc), Some(kc)) = (name_col, kind_col) else {
            return Err(AppError::Rows(errors));
        };
        let mut rows = Vec::new();
        for (i, r) in table.rows().enumerate() {
            let row = i + 2;
            let name = validate_unit_name(r.get(nc).unwrap_or(""));
            let kind = AreaKind::parse(r.get(kc).unwrap_or(""));
            match (name, kind) {
                (Ok(n), Some(k)) => rows.push((n, k)),
                (n, k) => {
                    if let Err(e) = n {
                        errors.extend(e.errors.iter().map(|e| RowError {
                            row,
                            column: "name".into(),
                            code: e.code.into(),
                        }));
                    }
                    if k.is_none() {
                        errors.push(RowError {
                            row,
                            column: "division_type".into(),
                            code: "unit.area_kind_unknown".into(),
                        });
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Rows(errors));
        }
        let mut tx = self.store.begin_write().await?;
        for (name, kind) in &rows {
            tx.create_area(&commune, name, kind.as_str()).await?;
        }
        let after = serde_json::json!({"parent_code": commune.code, "imported": rows.len()});
        AuditEntry::new(Some(actor.user_id), "unit.import", "unit", &commune.code).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(rows.len())
    }

    /// Number of current children of each child of a unit (public, for the unit browser).
    pub async fn child_counts(&self, parent: &str) -> AppResult<Vec<(String, i64)>> {
        Ok(self.store.child_counts(parent).await?)
    }
}
