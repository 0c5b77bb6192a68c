//! Criteria sets as data: every version, and a new version as TOML.

pub(crate) mod api;
pub(crate) mod pages;
