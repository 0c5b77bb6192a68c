//! The HTTP face of phongtrao: axum routes for HTML pages and the JSON API, the
//! authentication middleware, the one error mapping, templates and static assets.
//! [`serve`] is the single start-up function used by `main` and by the tests.
//!
//! Layout: one folder per feature (`cases/`, `assessments/`, …), each with its
//! `api.rs` (JSON under `/api/v1`) and `pages.rs` (HTML), over the shared HTTP layer
//! in `shared/`; `routes.rs` lists every URL. Feature folders never import each other.

mod accounts;
mod assessments;
mod audit;
mod award_catalogue;
mod awards;
mod calendar;
mod campaigns;
mod cases;
mod criteria;
mod dan_van_kheo;
mod dashboard;
mod directives;
mod events;
mod forces;
mod funding;
mod home;
mod honour_roll;
mod inspections;
mod key_areas;
mod models;
mod offline;
mod open311;
mod openapi;
mod organisations;
mod past_figures;
mod pickers;
mod proposals;
mod province_criteria;
mod registrations;
mod reports;
pub mod routes;
pub mod shared;
mod tasks;
mod units;
mod users;
mod verify;
mod working_year_files;

pub use openapi::OPENAPI;
pub use shared::state::{AppState, WebConfig, PUBLIC_UPLOAD_BYTES};
pub use shared::{client_addr, i18n};

use std::net::SocketAddr;

use app::App;
use axum::Router;
use tokio::net::TcpListener;

/// Builds the router over the application: every route, then the middleware.
pub fn router(app: App, config: WebConfig) -> Router {
    let state = AppState::new(app, config.clone());
    routes::all(config.max_body_bytes, config.max_upload_bytes)
        .layer(axum::middleware::from_fn_with_state(state.clone(), shared::auth::authenticate))
        .layer(axum::middleware::from_fn_with_state(state.clone(), shared::client_addr::resolve_client))
        .layer(axum::middleware::from_fn(security_headers))
        // gzip or brotli when the client accepts it (pages, JSON, scripts, styles,
        // documents; images are sent as they are).
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(axum::middleware::from_fn(shared::metrics_layer::track))
        .with_state(state)
}

/// The Content-Security-Policy of every answer: only this site's own script and
/// style files, no inline script or style, no plug-ins, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Headers every response carries: no MIME sniffing (uploaded evidence is served
/// with the type told from its bytes), no framing, no referrer leaving the site, a
/// strict CSP, and — for everything but the static assets — `Cache-Control:
/// no-store`, so that no page or answer (many hold personal data) stays in a
/// browser's or proxy's cache.
async fn security_headers(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let assets = req.uri().path().starts_with("/static/");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    if !assets {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// Serves `/metrics` only, on the separate metrics listener (`--metrics-listen`).
pub async fn serve_metrics(listener: TcpListener, app: App, config: WebConfig) -> std::io::Result<()> {
    let state = AppState::new(app, config);
    axum::serve(listener, routes::metrics().with_state(state)).await
}

/// Serves the router on an already bound listener until `shutdown` completes, then
/// drains in-flight requests (graceful shutdown).
pub async fn serve(
    listener: TcpListener,
    app: App,
    config: WebConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = router(app, config);
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
