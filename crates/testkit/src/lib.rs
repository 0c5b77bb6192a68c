//! Test-only helpers shared by the integration tests: a fresh database per test on
//! SQLite (temporary file) and PostgreSQL (a database created and dropped per test),
//! the real server started on port 0, and a small HTTP client.
#![allow(clippy::unwrap_used)]

use std::sync::atomic::{AtomicU64, Ordering};

use app::users::NewUserInput;
use app::App;
use serde_json::Value;
use sqlx::Connection;

/// Where PostgreSQL tests connect (override with `PHONGTRAO_TEST_POSTGRES_URL`).
pub fn postgres_admin_url() -> String {
    std::env::var("PHONGTRAO_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// A fresh, empty database that disappears with the value.
pub struct TestDb {
    /// URL for `Store::connect`.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

static SEQ: AtomicU64 = AtomicU64::new(0);

impl TestDb {
    /// A temporary SQLite file.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        TestDb { url, _dir: Some(dir), pg_name: None }
    }

    /// A new PostgreSQL database, or `None` (with a visible line) when the server is
    /// unreachable outside CI. Under `CI=true` an unreachable server fails the test.
    pub async fn postgres() -> Option<TestDb> {
        let admin = postgres_admin_url();
        let mut conn = match sqlx::PgConnection::connect(&admin).await {
            Ok(c) => c,
            Err(e) => {
                if std::env::var("CI").is_ok_and(|v| v == "true") {
                    panic!("PostgreSQL unreachable at {admin} under CI=true: {e}");
                }
                eprintln!("SKIPPED (PostgreSQL unreachable at {admin}: {e})");
                return None;
            }
        };
        let name = format!(
            "phongtrao_test_{}_{}_{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::SeqCst),
            rand::random::<u32>()
        );
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
        let _ = conn.close().await;
        let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin.clone());
        Some(TestDb { url: format!("{base}/{name}"), _dir: None, pg_name: Some(name) })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(name) = self.pg_name.take() else {
            return;
        };
        let admin = postgres_admin_url();
        // Drop on a thread of its own: Drop may run inside a runtime that is shutting down.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async move {
                if let Ok(mut c) = sqlx::PgConnection::connect(&admin).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut c).await;
                }
            });
        })
        .join();
    }
}

/// Runs an async test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! both_databases {
    ($($name:ident => $body:ident;)+) => {
        $(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::TestDb::sqlite().await;
                super::$body(&db).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = $crate::TestDb::postgres().await else { return };
                super::$body(&db).await;
            }
        }
        )+
    };
}

/// The real server on a random loopback port, over a fresh database.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The application (for direct set-up such as creating accounts).
    pub app: App,
    /// HTTP client without cookies.
    pub http: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<()>>,
}

/// Default password of accounts made by [`TestApp::user`].
pub const PASSWORD: &str = "Test-password-2025";

impl TestApp {
    /// Starts the server with default settings.
    pub async fn start(db: &TestDb) -> TestApp {
        Self::start_with(db, app::AppConfig::default()).await
    }

    /// Starts the server with given use-case settings.
    pub async fn start_with(db: &TestDb, config: app::AppConfig) -> TestApp {
        Self::start_web(db, config, web::WebConfig::default()).await
    }

    /// Starts the server with given use-case and HTTP settings.
    pub async fn start_web(db: &TestDb, config: app::AppConfig, web_config: web::WebConfig) -> TestApp {
        let store = store::Store::connect(&db.url).await.unwrap();
        store.load_shipped_units().await.unwrap();
        let app = App::new(store, config);
        app.load_shipped_criteria().await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let app2 = app.clone();
        let handle = tokio::spawn(async move {
            web::serve(listener, app2, web_config, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        TestApp { base, app, http, shutdown: Some(tx), handle: Some(handle) }
    }

    /// Stops the server and waits for it to drain.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            let _ = h.await;
        }
        self.app.store.close().await;
    }

    /// Full URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Creates an account (as the machine operator) with [`PASSWORD`].
    pub async fn user(&self, username: &str, role: &str, unit: Option<&str>, organisation: Option<i64>) -> i64 {
        let input = NewUserInput {
            username: username.into(),
            display_name: None,
            password: PASSWORD.into(),
            role: role.into(),
            unit_code: unit.map(Into::into),
            organisation_id: organisation,
            email: None,
        };
        self.app.create_user(None, &input).await.unwrap().id
    }

    /// Logs in through the API; returns (status, body).
    pub async fn login_raw(&self, username: &str, password: &str, totp: Option<&str>) -> (u16, Value) {
        let mut body = serde_json::json!({"username": username, "password": password});
        if let Some(t) = totp {
            body["totp"] = Value::from(t);
        }
        let r = self.http.post(self.url("/api/v1/auth/login")).json(&body).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Logs in and returns a bearer token (panics on failure).
    pub async fn token(&self, username: &str) -> String {
        let (s, b) = self.login_raw(username, PASSWORD, None).await;
        assert_eq!(s, 200, "login {username}: {b}");
        b["token"].as_str().unwrap().to_string()
    }

    /// Logs in a privileged account, enrols and confirms TOTP, logs in again with a
    /// code; returns the token and the secret. The confirmation takes the previous
    /// time-step and the login the current one, so one more login with
    /// `app::auth::totp_at(secret, user, 1)` works at once (a step is used once).
    pub async fn token_with_totp(&self, username: &str) -> (String, String) {
        let first = self.token(username).await;
        let (s, e) = self.post_json(&first, "/api/v1/auth/totp/enrol", &serde_json::json!({})).await;
        assert_eq!(s, 200, "{e}");
        let secret = e["secret"].as_str().unwrap().to_string();
        let code = app::auth::totp_at(&secret, username, -1).unwrap();
        let (s, b) = self.post_json(&first, "/api/v1/auth/totp/confirm", &serde_json::json!({"code": code})).await;
        assert_eq!(s, 200, "{b}");
        let code = app::auth::totp_at(&secret, username, 0).unwrap();
        let (s, b) = self.login_raw(username, PASSWORD, Some(&code)).await;
        assert_eq!(s, 200, "{b}");
        (b["token"].as_str().unwrap().to_string(), secret)
    }

    /// GET with a bearer token; returns (status, JSON or Null).
    pub async fn get_json(&self, token: &str, path: &str) -> (u16, Value) {
        let r = self.http.get(self.url(path)).bearer_auth(token).send().await.unwrap();
        let s = r.status().as_u16();
        (s, r.json().await.unwrap_or(Value::Null))
    }

    /// GET a page with a bearer token (none when empty); returns (status, body text).
    pub async fn get_text(&self, token: &str, path: &str) -> (u16, String) {
        let mut req = self.http.get(self.url(path));
        if !token.is_empty() {
            req = req.bearer_auth(token);
        }
        let r = req.send().await.unwrap();
        let s = r.status().as_u16();
        (s, r.text().await.unwrap_or_default())
    }

    /// POST JSON with a bearer token.
    pub async fn post_json(&self, token: &str, path: &str, body: &Value) -> (u16, Value) {
        let r = self.http.post(self.url(path)).bearer_auth(token).json(body).send().await.unwrap();
        let s = r.status().as_u16();
        (s, r.json().await.unwrap_or(Value::Null))
    }

    /// PUT JSON with a bearer token.
    pub async fn put_json(&self, token: &str, path: &str, body: &Value) -> (u16, Value) {
        let r = self.http.put(self.url(path)).bearer_auth(token).json(body).send().await.unwrap();
        let s = r.status().as_u16();
        (s, r.json().await.unwrap_or(Value::Null))
    }

    /// POST a raw body with a content type.
    pub async fn post_raw(&self, token: &str, path: &str, content_type: &str, body: Vec<u8>) -> (u16, Value) {
        let r = self
            .http
            .post(self.url(path))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        let s = r.status().as_u16();
        (s, r.json().await.unwrap_or(Value::Null))
    }

    /// Number of organisations in the whole database (bypassing scope), for
    /// "nothing was written" checks.
    pub async fn count_all_organisations(&self) -> i64 {
        self.app.store.count_organisations(&domain::Scope::Nation).await.unwrap()
    }
}

/// The text of a PDF (pdftotext, from poppler-utils); `None` when the tool is
/// missing outside CI (under `CI=true` a missing tool fails the test).
pub fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).ok()?;
    match std::process::Command::new("pdftotext").arg(&path).arg("-").output() {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        other => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("pdftotext (poppler-utils) is required under CI=true: {other:?}");
            }
            eprintln!("SKIPPED PDF text check: pdftotext not available");
            None
        }
    }
}
