//! The home page and its figures.

pub(crate) mod api;
pub(crate) mod pages;
