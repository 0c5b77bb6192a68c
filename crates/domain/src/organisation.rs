//! Organisations: agencies, enterprises, schools and others, located in a commune.

use serde::{Deserialize, Serialize};

use crate::ValidationError;

/// Kind of organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// Cơ quan
    Agency,
    /// Doanh nghiệp
    Enterprise,
    /// Nhà trường, cơ sở giáo dục
    School,
    /// Khác
    Other,
}

impl OrgKind {
    /// All kinds, in display order.
    pub const ALL: [OrgKind; 4] = [OrgKind::Agency, OrgKind::Enterprise, OrgKind::School, OrgKind::Other];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Agency => "agency",
            OrgKind::Enterprise => "enterprise",
            OrgKind::School => "school",
            OrgKind::Other => "other",
        }
    }

    /// Parses the stable name, or the Vietnamese label ignoring diacritics.
    pub fn parse(s: &str) -> Option<OrgKind> {
        let f = crate::text::fold(s);
        match f.as_str() {
            "agency" | "co quan" => Some(OrgKind::Agency),
            "enterprise" | "doanh nghiep" => Some(OrgKind::Enterprise),
            "school" | "nha truong" | "truong hoc" | "co so giao duc" => Some(OrgKind::School),
            "other" | "khac" => Some(OrgKind::Other),
            _ => None,
        }
    }
}

/// Why an organisation lies outside the "An toàn về an ninh, trật tự" standard
/// (Thông tư 124/2021/TT-BCA Điều 1 khoản 2 điểm b): it is not assessed and does not
/// count among the commune's assessable units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exemption {
    /// Cơ quan, đơn vị lực lượng vũ trang.
    ArmedForces,
    /// Doanh nghiệp nhỏ, siêu nhỏ.
    SmallEnterprise,
    /// Cơ sở giáo dục tiểu học, mầm non, nhà trẻ.
    PrimaryOrPreschool,
}

impl Exemption {
    /// All reasons, in display order.
    pub const ALL: [Exemption; 3] = [Exemption::ArmedForces, Exemption::SmallEnterprise, Exemption::PrimaryOrPreschool];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Exemption::ArmedForces => "armed_forces",
            Exemption::SmallEnterprise => "small_enterprise",
            Exemption::PrimaryOrPreschool => "primary_or_preschool",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Exemption> {
        Exemption::ALL.into_iter().find(|e| e.as_str() == s.trim())
    }

    /// The kind of organisation the reason can apply to.
    pub fn kind(self) -> OrgKind {
        match self {
            Exemption::ArmedForces => OrgKind::Agency,
            Exemption::SmallEnterprise => OrgKind::Enterprise,
            Exemption::PrimaryOrPreschool => OrgKind::School,
        }
    }

    /// Checks a requested reason against the organisation's kind.
    pub fn for_kind(reason: &str, kind: OrgKind) -> Result<Exemption, ValidationError> {
        let e = Exemption::parse(reason).ok_or_else(|| ValidationError::one("reason", "org.exempt_unknown"))?;
        if e.kind() != kind {
            return Err(ValidationError::one("reason", "org.exempt_kind"));
        }
        Ok(e)
    }
}

/// A validated new (or edited) organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewOrganisation {
    /// Name, trimmed, 1–300 characters.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// Registration or tax code (mã số thuế / đăng ký), 10 digits or 10 digits-3 digits.
    pub tax_code: Option<String>,
    /// Address text.
    pub address: Option<String>,
    /// Five-digit code of the commune it lies in.
    pub unit_code: String,
    /// Managed by the province rather than the commune (large organisations).
    pub managed_by_province: bool,
}

/// Raw input for an organisation, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OrganisationInput {
    /// Name.
    pub name: Option<String>,
    /// Kind (stable name or Vietnamese label).
    pub kind: Option<String>,
    /// Tax / registration code.
    pub tax_code: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Commune code.
    pub unit_code: Option<String>,
    /// Managed by the province.
    #[serde(default)]
    pub managed_by_province: bool,
}

impl OrganisationInput {
    /// Validates every field, collecting all problems. Whether the commune exists is
    /// checked by the caller against the database; here only its shape.
    pub fn validate(&self) -> Result<NewOrganisation, ValidationError> {
        OrganisationFields {
            name: self.name.as_deref(),
            kind: self.kind.as_deref(),
            tax_code: self.tax_code.as_deref(),
            address: self.address.as_deref(),
            unit_code: self.unit_code.as_deref(),
            managed_by_province: self.managed_by_province,
        }
        .validate()
    }
}

/// [`OrganisationInput`] borrowed from wherever the text lives (an import reads it
/// straight from the uploaded table, without copying each cell first).
#[derive(Debug, Clone, Copy, Default)]
pub struct OrganisationFields<'a> {
    /// Name.
    pub name: Option<&'a str>,
    /// Kind (stable name or Vietnamese label).
    pub kind: Option<&'a str>,
    /// Tax / registration code.
    pub tax_code: Option<&'a str>,
    /// Address.
    pub address: Option<&'a str>,
    /// Commune code.
    pub unit_code: Option<&'a str>,
    /// Managed by the province.
    pub managed_by_province: bool,
}

impl OrganisationFields<'_> {
    /// Validates every field, collecting all problems. Whether the commune exists is
    /// checked by the caller against the database; here only its shape.
    pub fn validate(&self) -> Result<NewOrganisation, ValidationError> {
        let mut err = ValidationError::default();
        let name = self.name.map(str::trim).unwrap_or("");
        if name.is_empty() {
            err.push("name", "org.name_empty");
        } else if name.chars().count() > 300 {
            err.push("name", "org.name_too_long");
        } else if !crate::text::is_clean_line(name) {
            err.push("name", "text.control_characters");
        }
        let kind = match self.kind.map(str::trim) {
            None | Some("") => {
                err.push("kind", "org.kind_missing");
                None
            }
            Some(k) => {
                let k = OrgKind::parse(k);
                if k.is_none() {
                    err.push("kind", "org.kind_unknown");
                }
                k
            }
        };
        let tax_code = non_empty(self.tax_code);
        if let Some(t) = &tax_code {
            if !valid_tax_code(t) {
                err.push("tax_code", "org.tax_code_invalid");
            }
        }
        let address = non_empty(self.address);
        if address.as_ref().is_some_and(|a| a.chars().count() > 500) {
            err.push("address", "org.address_too_long");
        } else if address.as_deref().is_some_and(|a| !crate::text::is_clean_line(a)) {
            err.push("address", "text.control_characters");
        }
        let unit_code = self.unit_code.map(str::trim).unwrap_or("");
        if unit_code.is_empty() {
            err.push("unit_code", "org.unit_missing");
        } else if !(unit_code.len() == 5 && unit_code.bytes().all(|b| b.is_ascii_digit())) {
            err.push("unit_code", "org.unit_unknown");
        }
        err.into_result()?;
        Ok(NewOrganisation {
            name: name.to_string(),
            kind: kind.unwrap_or(OrgKind::Other),
            tax_code,
            address,
            unit_code: unit_code.to_string(),
            managed_by_province: self.managed_by_province,
        })
    }
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// A Vietnamese enterprise/tax code: 10 digits, or 10 digits, a dash and 3 digits
/// (a branch).
pub fn valid_tax_code(s: &str) -> bool {
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    match s.split_once('-') {
        None => s.len() == 10 && all_digits(s),
        Some((a, b)) => a.len() == 10 && b.len() == 3 && all_digits(a) && all_digits(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, kind: &str, unit: &str) -> OrganisationInput {
        OrganisationInput {
            name: Some(name.into()),
            kind: Some(kind.into()),
            unit_code: Some(unit.into()),
            ..Default::default()
        }
    }

    #[test]
    fn valid_input_passes() {
        let o = input(" Trường THCS Đồng Tâm ", "school", "01165").validate();
        let o = o.expect("valid");
        assert_eq!(o.name, "Trường THCS Đồng Tâm");
        assert_eq!(o.kind, OrgKind::School);
    }

    #[test]
    fn every_problem_is_reported() {
        let e = input("", "bank", "1").validate().expect_err("invalid");
        let fields: Vec<&str> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "kind", "unit_code"]);
    }

    #[test]
    fn vietnamese_kind_labels_parse() {
        assert_eq!(OrgKind::parse("Doanh nghiệp"), Some(OrgKind::Enterprise));
        assert_eq!(OrgKind::parse("cơ quan"), Some(OrgKind::Agency));
    }

    #[test]
    fn exemptions_fit_their_kind_only() {
        assert_eq!(Exemption::for_kind("small_enterprise", OrgKind::Enterprise), Ok(Exemption::SmallEnterprise));
        assert_eq!(Exemption::for_kind("primary_or_preschool", OrgKind::School), Ok(Exemption::PrimaryOrPreschool));
        assert_eq!(Exemption::for_kind("armed_forces", OrgKind::Agency), Ok(Exemption::ArmedForces));
        let wrong =
            Exemption::for_kind("small_enterprise", OrgKind::School).expect_err("a school is not an enterprise");
        assert_eq!(wrong.errors[0].code, "org.exempt_kind");
        let unknown = Exemption::for_kind("big", OrgKind::Enterprise).expect_err("unknown");
        assert_eq!(unknown.errors[0].code, "org.exempt_unknown");
        for e in Exemption::ALL {
            assert_eq!(Exemption::parse(e.as_str()), Some(e));
        }
    }

    #[test]
    fn tax_codes() {
        assert!(valid_tax_code("0101234567"));
        assert!(valid_tax_code("0101234567-001"));
        assert!(!valid_tax_code("010123456"));
        assert!(!valid_tax_code("0101234567-01"));
        assert!(!valid_tax_code("01012345ab"));
    }
}
