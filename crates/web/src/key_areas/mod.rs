//! Key-area decisions and criterion 19 per commune: the lists and their exports (the
//! forms that record them are on the unit page, `units/pages.rs`).

pub(crate) mod api;
pub(crate) mod pages;
