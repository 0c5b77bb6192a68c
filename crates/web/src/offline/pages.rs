//! `GET /manifest.webmanifest`, `GET /sw.js` and `GET /offline`.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use minijinja::context;

use crate::shared::i18n::Lang;
use crate::shared::page::{base_ctx, render, with, PageResult};
use crate::AppState;
use axum::extract::State;

const SERVICE_WORKER: &str = include_str!("../../static/sw.js");

/// The web app manifest: name, where it starts, its icon and colours.
pub(crate) async fn manifest() -> Response {
    let body = serde_json::json!({
        "name": "phongtrao — Phong trào toàn dân bảo vệ an ninh Tổ quốc",
        "short_name": "phongtrao",
        "lang": "vi",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#9b1c1c",
        "icons": [
            {"src": "/static/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"}
        ]
    });
    (
        [(header::CONTENT_TYPE, "application/manifest+json"), (header::CACHE_CONTROL, "public, max-age=86400")],
        body.to_string(),
    )
        .into_response()
}

/// The service worker, served from the root so that its scope is the whole site;
/// always revalidated, so that a new version reaches phones on their next visit.
pub(crate) async fn service_worker() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], SERVICE_WORKER)
        .into_response()
}

/// What a navigation shows without a network (no personal data: it is cached).
pub(crate) async fn offline(State(s): State<AppState>, lang: Lang) -> PageResult {
    let ctx = context! {};
    Ok(render(&s, "offline.html", StatusCode::OK, with(base_ctx(lang, None, "offline"), ctx)))
}
