//! Funding of the movement and the forces: lines by category and source, their
//! import, and the totals beside the allowance due.

pub(crate) mod api;
pub(crate) mod pages;
