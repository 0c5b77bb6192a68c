//! The movement dashboard: the page, its charts, and the figures in JSON, XLSX and
//! the province summary PDF.

pub(crate) mod api;
mod charts;
pub(crate) mod pages;
