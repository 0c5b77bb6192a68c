//! Proposals (khó khăn, vướng mắc, đề xuất, kiến nghị) about a task or a directive,
//! sent to its issuer, and their answers: the API and the page forms (shown on the
//! task and directive pages, which they return to).

pub(crate) mod api;
pub(crate) mod pages;
