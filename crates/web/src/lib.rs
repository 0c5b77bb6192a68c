//! The HTTP face of phongtrao: axum routes for HTML pages and the JSON API, the
//! authentication middleware, the one error mapping, templates and static assets.
//! [`serve`] is the single start-up function used by `main` and by the tests.

pub mod api;
pub mod auth;
pub mod charts;
pub mod client_addr;
pub mod error;
pub mod extract;
pub mod i18n;
pub mod messages;
pub mod metrics_layer;
pub mod open311;
pub mod pages;
pub mod render;
pub mod statics;

use std::net::SocketAddr;
use std::sync::Arc;

use app::App;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;

/// Settings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when served behind TLS).
    pub secure_cookies: bool,
    /// Largest JSON or form body, in bytes.
    pub max_body_bytes: usize,
    /// Largest import upload, in bytes.
    pub max_upload_bytes: usize,
    /// Proxies whose forwarded client address is believed (`--trusted-proxy`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            max_body_bytes: 1024 * 1024,
            max_upload_bytes: 200 * 1024 * 1024,
            trusted_proxies: Vec::new(),
        }
    }
}

/// Shared state of every handler.
/// Body limit of citizens' submissions: five files of the per-file limit and the form.
pub const PUBLIC_UPLOAD_BYTES: usize = 5 * domain::files::MAX_EVIDENCE_BYTES + 1024 * 1024;

#[derive(Clone)]
pub struct AppState {
    /// The application (use cases).
    pub app: App,
    /// HTTP settings.
    pub config: Arc<WebConfig>,
    /// Templates.
    pub templates: Arc<minijinja::Environment<'static>>,
    /// Prometheus exporter handle.
    pub metrics: metrics_exporter_prometheus::PrometheusHandle,
}

/// Builds the router over the application.
pub fn router(app: App, config: WebConfig) -> Router {
    let state = AppState {
        app,
        config: Arc::new(config.clone()),
        templates: Arc::new(render::environment()),
        metrics: metrics_layer::handle(),
    };
    let uploads = Router::new()
        .merge(api::upload_routes())
        .merge(pages::upload_routes())
        .layer(DefaultBodyLimit::max(config.max_upload_bytes));
    let public_uploads = Router::new()
        .merge(api::public_upload_routes())
        .merge(pages::public_upload_routes())
        .layer(DefaultBodyLimit::max(PUBLIC_UPLOAD_BYTES));
    Router::new()
        .merge(api::routes())
        .merge(pages::routes())
        .merge(open311::routes())
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .merge(uploads)
        .merge(public_uploads)
        .route("/healthz", get(metrics_layer::healthz))
        .route("/static/{file}", get(statics::serve_static))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::authenticate))
        .layer(axum::middleware::from_fn_with_state(state.clone(), client_addr::resolve_client))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(axum::middleware::from_fn(metrics_layer::track))
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
    let state = AppState {
        app,
        config: Arc::new(config),
        templates: Arc::new(render::environment()),
        metrics: metrics_layer::handle(),
    };
    let router = Router::new().route("/metrics", get(metrics_layer::metrics)).with_state(state);
    axum::serve(listener, router).await
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
