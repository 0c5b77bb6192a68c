//! Administrative units through time and residential areas; the unit page also records
//! key-area decisions and criterion 19 of a commune.

pub(crate) mod api;
pub(crate) mod pages;
