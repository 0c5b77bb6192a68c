//! The shared HTTP layer beneath the feature folders: application state, the
//! session middleware, the one error mapping, extractors, paging, page rendering,
//! generated files, uploads, translations, templates, charts, static assets and
//! metrics. Nothing here imports a feature folder.

pub mod auth;
pub mod charts;
pub mod client_addr;
pub mod cookies;
pub mod error;
pub mod extract;
pub mod files;
pub mod i18n;
pub mod messages;
pub mod metrics_layer;
pub mod page;
pub mod paging;
pub mod point_map;
pub mod render;
pub mod state;
pub mod statics;
pub mod uploads;
