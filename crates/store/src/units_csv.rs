//! The administrative units CSV shipped in `data/` and embedded in the binary.

/// The file's text (see `data/README.md` for provenance).
pub const UNITS_CSV: &str = include_str!("../../../data/vn-admin-units-2025.csv");

/// Date from which the shipped units are valid.
pub const UNITS_VALID_FROM: &str = "2025-07-01";

/// One row of the file.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct UnitRow {
    /// `province` or `commune`.
    pub level: String,
    /// Statistics office code.
    pub code: String,
    /// Official name.
    pub name: String,
    /// tỉnh, thành phố trung ương, xã, phường, đặc khu.
    pub division_type: String,
    /// Province of a commune.
    pub parent_code: String,
}

/// Parses the embedded file.
pub fn rows() -> Result<Vec<UnitRow>, csv::Error> {
    csv::Reader::from_reader(UNITS_CSV.as_bytes()).deserialize().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_file_has_34_provinces_and_3321_communes() {
        let rows = super::rows().expect("parses");
        assert_eq!(rows.iter().filter(|r| r.level == "province").count(), 34);
        assert_eq!(rows.iter().filter(|r| r.level == "commune").count(), 3321);
    }
}
