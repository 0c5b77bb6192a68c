//! The HTTP face of phongtrao: axum routes for HTML pages and the JSON API, the
//! authentication middleware, the one error mapping, templates and static assets.
//! [`serve`] is the single start-up function used by `main` and by the tests.

pub mod api;
pub mod auth;
pub mod charts;
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
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig { secure_cookies: false, max_body_bytes: 1024 * 1024, max_upload_bytes: 200 * 1024 * 1024 }
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
        .route("/metrics", get(metrics_layer::metrics))
        .route("/static/{file}", get(statics::serve_static))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::authenticate))
        .layer(axum::middleware::map_response(security_headers))
        .layer(axum::middleware::from_fn(metrics_layer::track))
        .with_state(state)
}

/// Headers every response carries: no MIME sniffing (uploaded evidence is served
/// with the type told from its bytes), no framing, no referrer leaving the site.
async fn security_headers(mut resp: axum::response::Response) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let h = resp.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    resp
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
