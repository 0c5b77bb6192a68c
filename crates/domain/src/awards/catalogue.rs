//! The award catalogue as the ministry edits it: a version per year (like the
//! criteria sets). `check` is what a version must satisfy before it is stored.

use std::collections::HashSet;

use super::AwardType;
use crate::ValidationError;

/// The eligibility rules the system computes; a catalogue entry may name one.
pub const RULES: &[&str] = &["kyniemchuong"];

/// Most award types in one version.
pub const MAX_TYPES: usize = 100;

/// Checks a version for `year`: codes well formed and unique, names and bodies
/// present, someone to propose, recipients named, only known rules, entries that
/// apply from `year` or earlier, and every code in `must_keep` (used by
/// nominations of that year or later) still there.
pub fn check(items: &[AwardType], year: i64, must_keep: &[String]) -> Result<(), ValidationError> {
    let mut err = ValidationError::default();
    if !(2000..=2100).contains(&year) {
        err.push("year", "award_catalogue.year_invalid");
    }
    if items.is_empty() || items.len() > MAX_TYPES {
        err.push("items", "award_catalogue.size_invalid");
    }
    let mut seen = HashSet::new();
    for (i, a) in items.iter().enumerate() {
        let f = |name: &str| format!("items[{i}].{name}");
        let code_ok = (3..=60).contains(&a.code.len())
            && a.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !code_ok {
            err.push(&f("code"), "award_catalogue.code_invalid");
        } else if !seen.insert(a.code.as_str()) {
            err.push(&f("code"), "award_catalogue.code_duplicate");
        }
        for (name, v, max) in
            [("name", &a.name, 200), ("decider_name", &a.decider_name, 200), ("basis", &a.basis, 1000)]
        {
            if v.trim().is_empty() || v.chars().count() > max || !crate::text::is_clean_line(v) {
                err.push(&f(name), "award_catalogue.text_invalid");
            }
        }
        if a.recipients.is_empty() {
            err.push(&f("for"), "award_catalogue.recipients_missing");
        }
        if a.proposers.is_empty() {
            err.push(&f("proposers"), "award_catalogue.proposers_missing");
        }
        if a.rule.as_deref().is_some_and(|r| !RULES.contains(&r)) {
            err.push(&f("rule"), "award_catalogue.rule_unknown");
        }
        if a.from_year > year {
            err.push(&f("from_year"), "award_catalogue.from_year_after");
        }
    }
    for code in must_keep {
        if !items.iter().any(|a| &a.code == code) {
            err.push("items", "award_catalogue.code_in_use");
        }
    }
    err.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::awards::Recipient;
    use crate::unit::Level;

    fn award(code: &str) -> AwardType {
        AwardType {
            code: code.into(),
            name: "Giấy khen".into(),
            recipients: vec![Recipient::Collective],
            proposers: vec![Level::Commune],
            decider: Level::Commune,
            decider_name: "Chủ tịch Ủy ban nhân dân xã".into(),
            basis: "Luật Thi đua, khen thưởng 2022".into(),
            rule: None,
            to_confirm: true,
            from_year: 2025,
        }
    }

    #[test]
    fn a_good_version_passes() {
        assert_eq!(check(&[award("giay_khen_xa")], 2026, &[]), Ok(()));
    }

    #[test]
    fn each_fault_is_named() {
        let mut dup = award("giay_khen_xa");
        dup.rule = Some("by_hand".into());
        dup.from_year = 2027;
        dup.proposers.clear();
        let e = check(&[award("giay_khen_xa"), dup, award("Bad code")], 2026, &["kyniemchuong_bvantq".into()])
            .expect_err("faults");
        let got: Vec<(&str, &str)> = e.errors.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert!(got.contains(&("items[1].code", "award_catalogue.code_duplicate")), "{got:?}");
        assert!(got.contains(&("items[1].rule", "award_catalogue.rule_unknown")), "{got:?}");
        assert!(got.contains(&("items[1].from_year", "award_catalogue.from_year_after")), "{got:?}");
        assert!(got.contains(&("items[1].proposers", "award_catalogue.proposers_missing")), "{got:?}");
        assert!(got.contains(&("items[2].code", "award_catalogue.code_invalid")), "{got:?}");
        assert!(got.contains(&("items", "award_catalogue.code_in_use")), "{got:?}");
        assert_eq!(check(&[], 2026, &[]).map_err(|e| e.errors[0].code), Err("award_catalogue.size_invalid"));
    }
}
