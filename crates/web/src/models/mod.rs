//! Self-management models (mô hình tự quản), their types and yearly evaluations.

pub(crate) mod api;
pub(crate) mod pages;
