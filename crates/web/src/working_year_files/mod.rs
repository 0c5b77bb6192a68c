//! Files units attach to their records: a directive's document, the files an
//! assigned unit attaches to its assignment, a registration's file (resolution,
//! plan, registration form); upload (API: raw body, `?filename=`; pages: a
//! multipart form), list, download.

pub(crate) mod api;
pub(crate) mod pages;
