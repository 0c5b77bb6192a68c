//! Figures of the years before the 2025 reform, kept under the units of that year
//! (63 provinces, 696 districts, 10,035 communes): what earlier reports said —
//! "113/119 xã" recognised in old Ninh Bình — entered from those reports, each row
//! checked on its own so an import can say which rows are wrong.

use crate::codes::codes;

codes! {
    /// What a past figure counts: recognised of assessed, per kind of subject.
    PastIndicator {
        /// Residential areas recognised "safe" of those assessed.
        ResidentialArea => "recognition.residential_area",
        /// Communes recognised of those assessed.
        Commune => "recognition.commune",
        /// Agencies recognised of those assessed.
        Agency => "recognition.agency",
        /// Enterprises recognised of those assessed.
        Enterprise => "recognition.enterprise",
        /// Schools recognised of those assessed.
        School => "recognition.school",
    }
}

/// The last year the old units were in force.
pub const LAST_YEAR: i64 = 2024;
/// The first year a figure may be kept for (the movement's records since 2000).
pub const FIRST_YEAR: i64 = 2000;

/// One checked row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastFigure {
    /// Year (2000–2024).
    pub year: i64,
    /// province | district | commune (the old unit's level).
    pub level: String,
    /// The old unit's code.
    pub code: String,
    /// What it counts.
    pub indicator: PastIndicator,
    /// Recognised.
    pub recognised: i64,
    /// Assessed.
    pub assessed: i64,
    /// Where the figure comes from (the report's number and date).
    pub source: String,
}

/// Checks one row's text fields; every problem as (column, message key).
pub fn check_row(
    year: &str,
    level: &str,
    code: &str,
    indicator: &str,
    recognised: &str,
    assessed: &str,
    source: &str,
) -> Result<PastFigure, Vec<(&'static str, &'static str)>> {
    let mut errs = Vec::new();
    let year_n = year.trim().parse::<i64>().ok().filter(|y| (FIRST_YEAR..=LAST_YEAR).contains(y));
    if year_n.is_none() {
        errs.push(("year", "past.year_invalid"));
    }
    let level = level.trim().to_lowercase();
    if !matches!(level.as_str(), "province" | "district" | "commune") {
        errs.push(("level", "past.level_invalid"));
    }
    let code = code.trim();
    if code.is_empty() || code.len() > 10 || !code.bytes().all(|b| b.is_ascii_digit()) {
        errs.push(("code", "past.code_invalid"));
    }
    let ind = PastIndicator::parse(indicator.trim());
    if ind.is_none() {
        errs.push(("indicator", "past.indicator_invalid"));
    }
    let number = |s: &str| s.trim().replace('.', "").parse::<i64>().ok().filter(|n| (0..=10_000_000).contains(n));
    let (rec, ass) = (number(recognised), number(assessed));
    if rec.is_none() {
        errs.push(("recognised", "past.number_invalid"));
    }
    if ass.is_none() {
        errs.push(("assessed", "past.number_invalid"));
    }
    if let (Some(r), Some(a)) = (rec, ass) {
        if r > a {
            errs.push(("recognised", "past.more_than_assessed"));
        }
    }
    let source = source.trim();
    if source.chars().count() < 3 || source.chars().count() > 300 {
        errs.push(("source", "past.source_missing"));
    }
    match (year_n, ind, rec, ass) {
        (Some(year), Some(indicator), Some(recognised), Some(assessed)) if errs.is_empty() => Ok(PastFigure {
            year,
            level,
            code: code.to_string(),
            indicator,
            recognised,
            assessed,
            source: source.to_string(),
        }),
        _ => Err(errs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_row_and_each_fault() {
        let ok = check_row(
            "2024",
            "province",
            "37",
            "recognition.commune",
            "113",
            "119",
            "Báo cáo 15/BC-CAT ngày 10/12/2024",
        );
        assert_eq!(ok.map(|f| (f.recognised, f.assessed, f.level)), Ok((113, 119, "province".to_string())));
        let bad = check_row("2025", "huyện", "3a", "models", "120", "119", "");
        let cols: Vec<&str> = bad.err().unwrap_or_default().iter().map(|e| e.0).collect();
        assert_eq!(cols, vec!["year", "level", "code", "indicator", "recognised", "source"]);
        assert!(
            check_row("2024", "commune", "00004", "recognition.residential_area", "1.200", "1.250", "BC 1").is_ok(),
            "Vietnamese thousands"
        );
    }
}
