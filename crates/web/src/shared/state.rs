//! The state every handler shares, and the settings of the HTTP layer.

use std::sync::Arc;

use app::App;

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

/// Body limit of citizens' submissions: five files of the per-file limit and the form.
pub const PUBLIC_UPLOAD_BYTES: usize = 5 * domain::files::MAX_EVIDENCE_BYTES + 1024 * 1024;

/// Shared state of every handler.
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

impl AppState {
    /// The state over an application.
    pub fn new(app: App, config: WebConfig) -> AppState {
        AppState {
            app,
            config: Arc::new(config),
            templates: Arc::new(super::render::environment()),
            metrics: super::metrics_layer::handle(),
        }
    }
}
