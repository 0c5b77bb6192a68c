//! Files of the working year: a directive's document, the files an assigned unit
//! attaches to its assignment; upload (API: raw body, `?filename=`; pages: a
//! multipart form), list, download.

pub(crate) mod api;
pub(crate) mod pages;
