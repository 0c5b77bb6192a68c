//! The public honour roll (opt-in per decision): the year's decided awards and
//! recognised "Dân vận khéo" models whose decision lets the public see them, by
//! province, with the award's name from the catalogue of that year. No login; no
//! person unless the decision said public.

use std::collections::BTreeMap;

use serde::Serialize;
use store::honour_roll::HonourLine;

use crate::error::AppResult;
use crate::App;

/// One province's part of the roll.
#[derive(Debug, Clone, Serialize)]
pub struct ProvinceRoll {
    /// Province code.
    pub province_code: String,
    /// Its name.
    pub province_name: String,
    /// Its lines, with the award's name.
    pub items: Vec<serde_json::Value>,
}

impl App {
    /// The roll of a year.
    pub async fn honour_roll(&self, year: i64) -> AppResult<Vec<ProvinceRoll>> {
        let lines: Vec<HonourLine> = self.store.honour_roll(year).await?;
        let names = self.award_catalogue(year).await?.names();
        let mut by_province: BTreeMap<String, ProvinceRoll> = BTreeMap::new();
        for l in lines {
            let award_name = l.award_type.as_ref().map(|a| names.get(a).cloned().unwrap_or_else(|| a.clone()));
            let entry = by_province.entry(l.province_code.clone()).or_insert_with(|| ProvinceRoll {
                province_code: l.province_code.clone(),
                province_name: l.province_name.clone(),
                items: Vec::new(),
            });
            entry.items.push(serde_json::json!({
                "kind": l.kind, "award_type": l.award_type, "award_name": award_name, "name": l.name,
                "position": l.position, "unit_name": l.unit_name,
                "decision_number": l.decision_number, "decision_date": l.decision_date,
            }));
        }
        Ok(by_province.into_values().collect())
    }
}
