//! Emulation and awards: the award catalogue and nominations with their way up
//! (`/api/v1/award-types`, `/api/v1/nominations`).

pub(crate) mod api;
pub(crate) mod pages;
