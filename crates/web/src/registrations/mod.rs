//! Registration for the year (đăng ký phấn đấu): the API and the commune's page of
//! who has and has not registered.

pub(crate) mod api;
pub(crate) mod pages;
