//! Open311 GeoReport v2.

pub(crate) mod api;
