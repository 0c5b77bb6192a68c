//! The working calendar behind statutory deadlines: holidays, working-day arithmetic and
//! the ministry's entries.

pub(crate) mod api;
pub(crate) mod pages;
