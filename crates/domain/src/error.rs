//! Validation errors: a stable code per problem, translated at the edge.

use serde::Serialize;

/// One problem with one input field. `code` is a stable message key
/// (e.g. `org.name_empty`) that the web layer translates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field (or CSV column) that is wrong.
    pub field: String,
    /// Stable message key.
    pub code: &'static str,
}

/// A set of field errors found while validating one input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ValidationError {
    /// Every problem found, in field order.
    pub errors: Vec<FieldError>,
}

impl ValidationError {
    /// Adds one problem.
    pub fn push(&mut self, field: &str, code: &'static str) {
        self.errors.push(FieldError { field: field.to_string(), code });
    }

    /// Checks a one-line text field (a title, a number): present, at most `max`
    /// characters, no line break or other control character.
    pub fn check_line(&mut self, field: &str, value: &str, max: usize, empty: &'static str, too_long: &'static str) {
        if value.trim().is_empty() {
            self.push(field, empty);
        } else if value.chars().count() > max {
            self.push(field, too_long);
        } else if !crate::text::is_clean_line(value) {
            self.push(field, "text.control_characters");
        }
    }

    /// Fails with every one-line field (name, value) holding a line break or
    /// another control character.
    pub fn check_clean_lines(fields: &[(&str, &str)]) -> Result<(), ValidationError> {
        let mut e = ValidationError::default();
        for (name, v) in fields {
            if !crate::text::is_clean_line(v) {
                e.push(name, "text.control_characters");
            }
        }
        e.into_result()
    }

    /// `Ok(())` when nothing was pushed, else `Err(self)`.
    pub fn into_result(self) -> Result<(), ValidationError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    /// A single-problem error.
    pub fn one(field: &str, code: &'static str) -> Self {
        let mut e = ValidationError::default();
        e.push(field, code);
        e
    }
}

impl std::fmt::Display for ValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.errors.iter().map(|e| format!("{}: {}", e.field, e.code)).collect();
        write!(f, "{}", parts.join(", "))
    }
}

impl std::error::Error for ValidationError {}
