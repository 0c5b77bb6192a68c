//! The audit log of the caller's scope (read only).

pub(crate) mod api;
pub(crate) mod pages;
pub(crate) mod sentences;
