//! Periodic reports (báo cáo định kỳ): draft with figures from the system, edit,
//! submit, return with reasons, see which units below have submitted; DOCX and PDF.

pub(crate) mod api;
pub(crate) mod pages;
