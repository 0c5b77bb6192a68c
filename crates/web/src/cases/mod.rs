//! Cases: citizens' side (public API and pages, the case form) and officers' side.

pub(crate) mod api;
mod form;
pub(crate) mod pages;
pub(crate) mod public_api;
pub(crate) mod public_pages;
