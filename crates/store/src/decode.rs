//! Rows arrive typed: every record the store returns is decoded here into domain
//! types (roles, levels, kinds, statuses, flags, dates, parsed JSON). A stored value
//! that does not decode is [`StoreError::Decode`] naming the table, the column and
//! the value — never a default.

use chrono::NaiveDate;
use serde::Serializer;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{Result, StoreError};

/// The error for `value` found in `table.column`.
pub(crate) fn bad(table: &'static str, column: &'static str, value: impl ToString) -> StoreError {
    StoreError::Decode { table, column, value: value.to_string() }
}

/// A 0/1 column as a bool (anything else is an error).
pub fn int_flag(table: &'static str, column: &'static str, v: i64) -> Result<bool> {
    match v {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(bad(table, column, other)),
    }
}

/// A nullable 0/1 column as an optional bool.
pub fn opt_int_flag(table: &'static str, column: &'static str, v: Option<i64>) -> Result<Option<bool>> {
    v.map(|v| int_flag(table, column, v)).transpose()
}

/// A text column through a domain parser (`Role::parse`, `Level::parse`, …).
pub fn parsed<T>(table: &'static str, column: &'static str, v: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T> {
    parse(v).ok_or_else(|| bad(table, column, v))
}

/// A YYYY-MM-DD column as a date.
pub fn date(table: &'static str, column: &'static str, v: &str) -> Result<NaiveDate> {
    parsed(table, column, v, |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

/// The columns of one row of `table`, read by name.
pub(crate) struct Cols<'r> {
    row: &'r AnyRow,
    table: &'static str,
}

impl<'r> Cols<'r> {
    /// The columns of `row`, read from `table`.
    pub(crate) fn new(table: &'static str, row: &'r AnyRow) -> Self {
        Cols { row, table }
    }

    /// A column as text.
    pub(crate) fn text(&self, col: &'static str) -> Result<String> {
        Ok(self.row.try_get(col)?)
    }

    /// A nullable text column.
    pub(crate) fn opt_text(&self, col: &'static str) -> Result<Option<String>> {
        Ok(self.row.try_get(col)?)
    }

    /// An integer column.
    pub(crate) fn int(&self, col: &'static str) -> Result<i64> {
        Ok(self.row.try_get(col)?)
    }

    /// A nullable integer column.
    pub(crate) fn opt_int(&self, col: &'static str) -> Result<Option<i64>> {
        Ok(self.row.try_get(col)?)
    }

    /// A 0/1 column.
    pub(crate) fn flag(&self, col: &'static str) -> Result<bool> {
        int_flag(self.table, col, self.int(col)?)
    }

    /// A nullable 0/1 column.
    pub(crate) fn opt_flag(&self, col: &'static str) -> Result<Option<bool>> {
        opt_int_flag(self.table, col, self.opt_int(col)?)
    }

    /// A text column through a domain parser.
    pub(crate) fn parse<T>(&self, col: &'static str, parse: impl Fn(&str) -> Option<T>) -> Result<T> {
        parsed(self.table, col, &self.text(col)?, parse)
    }

    /// A nullable text column through a domain parser.
    pub(crate) fn opt_parse<T>(&self, col: &'static str, parse: impl Fn(&str) -> Option<T>) -> Result<Option<T>> {
        self.opt_text(col)?.map(|v| parsed(self.table, col, &v, &parse)).transpose()
    }

    /// A YYYY-MM-DD column.
    pub(crate) fn date(&self, col: &'static str) -> Result<NaiveDate> {
        date(self.table, col, &self.text(col)?)
    }

    /// A nullable YYYY-MM-DD column.
    pub(crate) fn opt_date(&self, col: &'static str) -> Result<Option<NaiveDate>> {
        self.opt_text(col)?.map(|v| date(self.table, col, &v)).transpose()
    }

    /// A JSON text column, parsed.
    pub(crate) fn json<T: serde::de::DeserializeOwned>(&self, col: &'static str) -> Result<T> {
        let v = self.text(col)?;
        serde_json::from_str(&v).map_err(|_| bad(self.table, col, v))
    }
}

/// Serialises a bool as 0/1: the wire format of the flags, kept as it was.
pub fn as_int_flag<S: Serializer>(v: &bool, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_i64(i64::from(*v))
}

/// Serialises an optional bool as 0/1 or null.
pub fn as_opt_int_flag<S: Serializer>(v: &Option<bool>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match v {
        Some(b) => s.serialize_i64(i64::from(*b)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_zero_or_one() {
        assert!(!int_flag("t", "c", 0).expect("0"));
        assert!(int_flag("t", "c", 1).expect("1"));
        assert!(matches!(
            int_flag("t", "c", 2),
            Err(StoreError::Decode { table: "t", column: "c", value }) if value == "2"
        ));
        assert_eq!(opt_int_flag("t", "c", None).expect("null"), None);
    }

    #[test]
    fn values_that_do_not_parse_are_errors() {
        assert_eq!(parsed("users", "role", "admin", domain::Role::parse).expect("role"), domain::Role::Admin);
        assert!(matches!(parsed("users", "role", "root", domain::Role::parse), Err(StoreError::Decode { .. })));
        assert!(date("t", "d", "2026-02-30").is_err());
        assert_eq!(date("t", "d", "2026-02-28").expect("date").to_string(), "2026-02-28");
    }
}
