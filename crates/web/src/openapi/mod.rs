//! The OpenAPI document of `/api/v1`, kept beside the routes (a test in
//! `routes.rs` checks every API route is in it).

/// The OpenAPI document (kept beside the routes; a test checks every route is in it).
pub const OPENAPI: &str = include_str!("openapi.json");

pub(crate) async fn openapi() -> impl axum::response::IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], OPENAPI)
}
