//! A province's own safe-unit criteria for its territory and a year (TT 124/2021
//! Điều 8 khoản 1): the API.

pub(crate) mod api;
