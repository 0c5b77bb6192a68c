//! Agencies, enterprises and schools: lists, records, exemptions, imports (with import
//! jobs for large files) and exports.

pub(crate) mod api;
pub(crate) mod pages;
