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
    let (secret, _) = app.totp_enrol(&actor).await?;
    // Each time-step logs in once: confirm with the previous one, log in with this one.
    app.totp_confirm(&actor, &app::auth::totp_at(&secret, username, -1)?).await?;
    let code = app::auth::totp_at(&secret, username, 0)?;
    Ok(app.login(username, password, Some(&code), "bench", "bearer").await?.token)
}
