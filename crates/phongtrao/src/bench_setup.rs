//! What the benchmark suites share: throw-away databases, medians, and a logged-in
//! ministry officer for the HTTP suites.

use std::path::Path;
use std::time::Duration;

/// The median of some timings (zero for none).
pub(crate) fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// Removes a SQLite database file with its WAL and shared-memory files.
pub(crate) fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// Empties a PostgreSQL database the user handed to the benchmark.
pub(crate) async fn reset_postgres(url: &str) -> anyhow::Result<()> {
    use sqlx::Connection;
    let mut c = sqlx::PgConnection::connect(url).await?;
    sqlx::raw_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;").execute(&mut c).await?;
    c.close().await?;
    Ok(())
}

/// A ministry officer with TOTP enrolled, logged in for the API: the bearer token.
pub(crate) async fn ministry_token(app: &app::App) -> anyhow::Result<String> {
    let username = "bench.ministry";
    let password = "Bench-ministry-2025";
    let input = app::users::NewUserInput {
        username: username.into(),
        display_name: None,
        password: password.into(),
        role: "ministry".into(),
        unit_code: Some("VN".into()),
        organisation_id: None,
        email: None,
    };
    let user = app.create_user(None, &input).await?;
    let actor = app.actor_for(&user, String::new(), "bearer".into()).await?;
    let secret = app.totp_enrol(&actor).await?.secret;
    // Each time-step logs in once: confirm with the previous one, log in with this one.
    app.totp_confirm(&actor, &app::auth::totp_at(&secret, username, -1)?).await?;
    let code = app::auth::totp_at(&secret, username, 0)?;
    Ok(app.login(username, password, Some(&code), "bench", "bearer").await?.token)
}

/// A commune officer of `unit`, logged in for the API (no TOTP at that level):
/// the bearer token.
pub(crate) async fn commune_token(app: &app::App, unit: &str) -> anyhow::Result<String> {
    let username = format!("bench.commune.{unit}");
    let password = "Bench-commune-2025";
    let input = app::users::NewUserInput {
        username: username.clone(),
        display_name: None,
        password: password.into(),
        role: "commune".into(),
        unit_code: Some(unit.into()),
        organisation_id: None,
        email: None,
    };
    app.create_user(None, &input).await?;
    Ok(app.login(&username, password, None, "bench", "bearer").await?.token)
}

/// The real server on a loopback port for a benchmark, stopped on `stop`.
pub(crate) struct BenchServer {
    /// `127.0.0.1:PORT`.
    pub host: String,
    stop: tokio::sync::oneshot::Sender<()>,
    handle: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl BenchServer {
    /// Starts `web::serve` over `app` on a free loopback port.
    pub(crate) async fn start(app: &app::App) -> anyhow::Result<BenchServer> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let host = listener.local_addr()?.to_string();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let handle = tokio::spawn(web::serve(listener, app.clone(), web::WebConfig::default(), async {
            let _ = stopped.await;
        }));
        Ok(BenchServer { host, stop, handle })
    }

    /// Stops the server and waits for it to drain.
    pub(crate) async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.handle.await;
    }
}
