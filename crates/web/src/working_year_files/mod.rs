//! Files of the working year: a directive's document, the files an assigned unit
//! attaches to its assignment; upload (raw body, `?filename=`), list, download.

pub(crate) mod api;
