//! "Dân vận khéo" as an emulation: a year's registered models, their recognition
//! by the level above, and the counts by level and by model type.

pub(crate) mod api;
pub(crate) mod pages;
