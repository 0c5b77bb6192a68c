//! Administrative units through time and residential areas; the unit page also records
//! key-area decisions and criterion 19 of a commune; `lifecycle` renames and retires
//! units (a commune's open records moved to its successor, previewed first).

pub(crate) mod api;
pub(crate) mod lifecycle;
pub(crate) mod pages;
