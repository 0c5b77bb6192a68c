//! Directives and programmes (văn bản chỉ đạo) and the implementing plans they ask
//! of the units below: the API and the pages (list and record, one directive with
//! its plans per unit).

pub(crate) mod api;
pub(crate) mod pages;
