//! The grassroots forces: security teams, their members (listed only inside the
//! commune; phones revealed with a reason), equipment, the yearly rating, training,
//! and the forces' counts.

pub(crate) mod api;
pub(crate) mod pages;
