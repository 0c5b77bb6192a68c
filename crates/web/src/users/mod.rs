//! Staff accounts of the caller's scope.

pub(crate) mod api;
pub(crate) mod pages;
