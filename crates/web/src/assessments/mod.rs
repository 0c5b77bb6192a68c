//! Self-assessments and recognitions ("An toàn về ANTT", movement classification): lists,
//! answers, the workflow, score sheets, evidence, certificates and exports.

pub(crate) mod api;
pub(crate) mod pages;
