//! Events of the movement — the Ngày hội of each residential area, conferences,
//! forums — their results with the opinions that became cases, and the Ngày hội
//! coverage figure.

pub(crate) mod api;
pub(crate) mod pages;
