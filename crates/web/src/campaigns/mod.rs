//! The yearly campaign: deadlines, the recognition target and who approves communes.

pub(crate) mod api;
pub(crate) mod pages;
