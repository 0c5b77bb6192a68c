//! Units before 1 July 2025 (63 provinces, 696 districts, 10,035 communes) and the
//! 2025 units they went into, shipped in `data/history/` and kept apart from today's
//! units because the codes collide.

use serde::Serialize;

use crate::{Arg, Result, Store};

const UNITS_2024: &str = include_str!("../../../data/history/vn-admin-units-2024.csv");
const SUCCESSORS: &str = include_str!("../../../data/history/vn-admin-successors-2025.csv");
const PROVINCE_SUCCESSORS: &str = include_str!("../../../data/history/vn-admin-province-successors-2025.csv");

/// The last day the old units were in force.
pub const LEGACY_VALID_TO: &str = "2025-06-30";

/// A unit before 1 July 2025 and what it went into.
#[derive(Debug, Clone, Serialize)]
pub struct LegacyUnit {
    /// Its code then (it may be a 2025 unit's code too).
    pub code: String,
    /// province | district | commune
    pub level: String,
    /// Name.
    pub name: String,
    /// tỉnh, huyện, xã, …
    pub division_type: String,
    /// Its district (a commune) or province (a district).
    pub parent_code: Option<String>,
    /// Its province then.
    pub province_code: String,
    /// The 2025 units it went into.
    pub successors: Vec<Successor>,
}

/// A 2025 unit an old one went into (or an old one a 2025 unit came from).
#[derive(Debug, Clone, Serialize)]
pub struct Successor {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Level.
    pub level: String,
    /// whole | main_part | part
    pub share: String,
}

#[derive(serde::Deserialize)]
struct Row {
    level: String,
    code: String,
    name: String,
    division_type: String,
    parent_code: String,
}

impl Store {
    /// Loads the units before 1 July 2025 and their successors when not yet loaded.
    /// Returns the number of old units inserted.
    pub async fn load_unit_history(&self) -> Result<usize> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM legacy_units").fetch_one(self.pool()).await?;
        if n > 0 {
            return Ok(0);
        }
        let bad = |e: csv::Error| crate::StoreError::Open(format!("shipped unit history: {e}"));
        let rows: Vec<Row> =
            csv::Reader::from_reader(UNITS_2024.as_bytes()).deserialize().collect::<Result<_, _>>().map_err(bad)?;
        let district_province: std::collections::HashMap<&str, &str> =
            rows.iter().filter(|r| r.level == "district").map(|r| (r.code.as_str(), r.parent_code.as_str())).collect();
        let mut args = Vec::with_capacity(rows.len() * 7);
        for r in &rows {
            let province = match r.level.as_str() {
                "province" => r.code.clone(),
                "district" => r.parent_code.clone(),
                _ => district_province.get(r.parent_code.as_str()).map(|p| p.to_string()).unwrap_or_default(),
            };
            let parent_code = (r.level != "province").then(|| r.parent_code.clone());
            args.extend([
                Arg::S(r.code.clone()),
                Arg::S(r.level.clone()),
                Arg::S(r.name.clone()),
                Arg::S(domain::text::fold(&r.name)),
                Arg::S(r.division_type.clone()),
                parent_code.into(),
                Arg::S(province),
            ]);
        }
        let mut succ: Vec<Arg> = Vec::new();
        let mut push = |level: &str, old: &str, new: &str, share: &str| {
            succ.extend([Arg::S(level.into()), Arg::S(old.into()), Arg::S(new.into()), Arg::S(share.into())]);
        };
        let mut seen = std::collections::HashSet::new();
        for rec in csv::Reader::from_reader(SUCCESSORS.as_bytes()).records() {
            let rec = rec.map_err(bad)?;
            let (old, new, share) = (rec.get(0).unwrap_or(""), rec.get(1).unwrap_or(""), rec.get(2).unwrap_or("whole"));
            if seen.insert(("commune", old.to_string(), new.to_string())) {
                push("commune", old, new, share);
            }
        }
        let mut province_of_new = std::collections::HashMap::new();
        for rec in csv::Reader::from_reader(PROVINCE_SUCCESSORS.as_bytes()).records() {
            let rec = rec.map_err(bad)?;
            let (old, new) = (rec.get(0).unwrap_or(""), rec.get(1).unwrap_or(""));
            province_of_new.insert(old.to_string(), new.to_string());
            push("province", old, new, "whole");
        }
        // A district went into its province's successor.
        for r in rows.iter().filter(|r| r.level == "district") {
            if let Some(new) = province_of_new.get(&r.parent_code) {
                push("district", &r.code, new, "whole");
            }
        }
        let mut tx = self.begin_write().await?;
        tx.insert_rows(
            "legacy_units (code, level, name, name_fold, division_type, parent_code, province_code)",
            7,
            &args,
        )
        .await?;
        tx.insert_rows("legacy_successors (legacy_level, legacy_code, code, share)", 4, &succ).await?;
        tx.commit().await?;
        Ok(rows.len())
    }

    /// Old units whose name holds `q` (diacritics ignored) or whose code is `q`, with
    /// their successors; provinces first.
    pub async fn search_legacy_units(&self, q: &str, limit: i64) -> Result<Vec<LegacyUnit>> {
        let folded = domain::text::fold(q.trim());
        if folded.chars().count() < 2 {
            return Ok(Vec::new());
        }
        let like = format!("%{}%", domain::text::like_escape(&folded));
        const FOUND: &str = "SELECT code, level, name, division_type, parent_code, province_code FROM legacy_units WHERE name_fold LIKE $1 ESCAPE '\\' OR code = $2 ORDER BY CASE level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END, name_fold LIMIT $3";
        let rows: Vec<(String, String, String, String, Option<String>, String)> = sqlx::query_as(FOUND)
            .bind(like.clone())
            .bind(q.trim().to_string())
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        // The successors of every unit found, in one query rather than one each.
        let sql = format!(
            "WITH found AS ({FOUND}) SELECT found.level, found.code, s.code, u.name, u.level, s.share FROM found JOIN legacy_successors s ON s.legacy_level = found.level AND s.legacy_code = found.code JOIN units u ON u.code = s.code ORDER BY CASE s.share WHEN 'whole' THEN 0 WHEN 'main_part' THEN 1 ELSE 2 END, u.name"
        );
        let links: Vec<(String, String, String, String, String, String)> =
            sqlx::query_as(&sql).bind(like).bind(q.trim().to_string()).bind(limit).fetch_all(self.pool()).await?;
        let mut successors: std::collections::HashMap<(String, String), Vec<Successor>> =
            std::collections::HashMap::new();
        for (old_level, old_code, code, name, level, share) in links {
            successors.entry((old_level, old_code)).or_default().push(Successor { code, name, level, share });
        }
        Ok(rows
            .into_iter()
            .map(|(code, level, name, division_type, parent_code, province_code)| {
                let successors = successors.remove(&(level.clone(), code.clone())).unwrap_or_default();
                LegacyUnit { code, level, name, division_type, parent_code, province_code, successors }
            })
            .collect())
    }

    /// The old units of a level and parent whose name holds `q`, as they stood before
    /// 1 July 2025 (the tree `?on=` a day before then shows), with the total and
    /// each one's successors.
    pub async fn list_legacy_units(
        &self,
        level: Option<&str>,
        parent: Option<&str>,
        q: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<LegacyUnit>, i64)> {
        let mut args: Vec<Arg> = Vec::new();
        let mut conds: Vec<String> = Vec::new();
        if let Some(l) = level {
            args.push(l.into());
            conds.push(format!("level = ${}", args.len()));
        }
        match parent {
            Some(p) => {
                args.push(p.into());
                conds.push(format!("parent_code = ${}", args.len()));
            }
            None if level.is_none() && q.is_none() => conds.push("level = 'province'".into()),
            None => {}
        }
        if let Some(c) = crate::search_sql::text_condition(q, "name_fold", "code", &mut args) {
            conds.push(c);
        }
        let wh = if conds.is_empty() { "1=1".to_string() } else { conds.join(" AND ") };
        let count = crate::db::bind_all(sqlx::query(&format!("SELECT COUNT(*) FROM legacy_units WHERE {wh}")), &args)
            .fetch_one(self.pool())
            .await?;
        let total = crate::db::int_at(&count, 0)?;
        let n = args.len();
        args.extend([Arg::I(limit), Arg::I(offset)]);
        let sql = format!(
            "SELECT code, level, name, division_type, parent_code, province_code FROM legacy_units WHERE {wh} ORDER BY CASE level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END, name_fold, code LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let rows = crate::db::bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            let c = crate::decode::Cols::new("legacy_units", &r);
            let (code, level) = (c.text("code")?, c.text("level")?);
            let successors = self.legacy_successors(&level, &code).await?;
            items.push(LegacyUnit {
                name: c.text("name")?,
                division_type: c.text("division_type")?,
                parent_code: c.opt_text("parent_code")?,
                province_code: c.text("province_code")?,
                code,
                level,
                successors,
            });
        }
        Ok((items, total))
    }

    /// The 2025 units one old unit went into.
    pub(crate) async fn legacy_successors(&self, level: &str, code: &str) -> Result<Vec<Successor>> {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT s.code, u.name, u.level, s.share FROM legacy_successors s JOIN units u ON u.code = s.code WHERE s.legacy_level = $1 AND s.legacy_code = $2 ORDER BY CASE s.share WHEN 'whole' THEN 0 WHEN 'main_part' THEN 1 ELSE 2 END, u.name",
        )
        .bind(level.to_string())
        .bind(code.to_string())
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(code, name, level, share)| Successor { code, name, level, share }).collect())
    }

    /// The old units a 2025 unit came from (communes for a commune, provinces for a
    /// province).
    pub async fn predecessors(&self, code: &str) -> Result<Vec<Successor>> {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT l.code, l.name, l.level, s.share FROM legacy_successors s JOIN legacy_units l ON l.level = s.legacy_level AND l.code = s.legacy_code JOIN units u ON u.code = s.code WHERE s.code = $1 AND s.legacy_level = CASE u.level WHEN 'province' THEN 'province' ELSE 'commune' END ORDER BY l.name",
        )
        .bind(code.to_string())
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(code, name, level, share)| Successor { code, name, level, share }).collect())
    }
}
