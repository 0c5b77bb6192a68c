//! Inspections (kiểm tra): the plan of a year with done against planned and
//! findings open and closed, one inspection with its targets and findings, each
//! finding's follow-up task.

pub(crate) mod api;
pub(crate) mod pages;
