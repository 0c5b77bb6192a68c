//! Key tasks (nhiệm vụ, công tác trọng tâm): the API and the pages of one task (its
//! assignees' progress, reports, proposals) and of a unit's yearly programme.

pub(crate) mod api;
pub(crate) mod pages;
