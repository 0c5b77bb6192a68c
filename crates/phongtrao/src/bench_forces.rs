//! The forces benchmark: the nation's forces figures (`GET /api/v1/stats/forces`,
//! over HTTP to the real server, as the ministry) against the bare SQL counts over
//! the same rows — teams, members serving, areas, areas without a team, ratings by
//! level — on generated national-scale data (every commune's ~30 residential areas,
//! three in four with a team of three), on each database given. The first request
//! (computed) and the median of the following (kept until a write) are reported;
//! both answers are compared on every repetition; nothing asserts a timing.

use std::time::{Duration, Instant};

use sqlx::Row;

use crate::bench_http::Client;
use crate::bench_setup::ministry_token;
use crate::config::Settings;

/// teams, members, areas, areas without a team, excellent, good, completed, not completed.
type Counts = [i64; 8];

fn from_json(v: &serde_json::Value) -> Counts {
    let n = |v: &serde_json::Value| v.as_i64().unwrap_or(-1);
    let r = &v["rated"];
    [
        n(&v["teams"]),
        n(&v["members"]),
        n(&v["areas"]),
        n(&v["areas_without_team"]),
        n(&r["excellent"]),
        n(&r["good"]),
        n(&r["completed"]),
        n(&r["not_completed"]),
    ]
}

/// The same counts, plainly.
async fn bare(pool: &sqlx::AnyPool, year: i64, today: &str) -> anyhow::Result<Counts> {
    let one =
        |sql: &'static str| async move { anyhow::Ok(sqlx::query(sql).fetch_one(pool).await?.try_get::<i64, _>(0)?) };
    let teams = one("SELECT CAST(COUNT(*) AS BIGINT) FROM teams WHERE status = 'active'").await?;
    let members = sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) FROM team_members m JOIN teams t ON t.id = m.team_id WHERE t.status = 'active' AND (m.left_on IS NULL OR m.left_on >= $1)")
        .bind(today.to_string())
        .fetch_one(pool)
        .await?
        .try_get::<i64, _>(0)?;
    let areas = one("SELECT CAST(COUNT(*) AS BIGINT) FROM units WHERE level = 'area' AND valid_to IS NULL").await?;
    let covered = one("SELECT CAST(COUNT(DISTINCT a.area_code) AS BIGINT) FROM team_areas a JOIN teams t ON t.id = a.team_id JOIN units u ON u.code = a.area_code WHERE t.status = 'active' AND u.valid_to IS NULL").await?;
    let mut out = [teams, members, areas, areas - covered, 0, 0, 0, 0];
    let rows = sqlx::query("SELECT level, CAST(COUNT(*) AS BIGINT) FROM team_ratings WHERE year = $1 GROUP BY level")
        .bind(year)
        .fetch_all(pool)
        .await?;
    for r in rows {
        let (level, n): (String, i64) = (r.try_get(0)?, r.try_get(1)?);
        let k = match level.as_str() {
            "excellent" => 4,
            "good" => 5,
            "completed" => 6,
            _ => 7,
        };
        out[k] = n;
    }
    Ok(out)
}

/// One database: generates, starts the server, times both sides; returns (teams,
/// first request, our median, bare median, generation).
async fn one_db(
    url: &str,
    reps: usize,
    settings: &Settings,
) -> anyhow::Result<(u64, Duration, Duration, Duration, Duration)> {
    let year = store::clock::current_year();
    let today = store::clock::today_iso();
    let store = store::Store::connect(url).await?;
    store.load_shipped_units().await?;
    let app = app::App::new(store, settings.app_config());
    app.load_shipped_criteria().await?;
    let t = Instant::now();
    app::demo::load_national(&app, 0, 2025, &|_, _| {}).await?;
    let (teams, _) = app::demo_national_forces::load_national_forces(&app, year, 2025).await?;
    let generated = t.elapsed();
    let token = ministry_token(&app).await?;
    let server = crate::bench_setup::BenchServer::start(&app).await?;
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(url).await?;
    let mut client = Client::connect(&server.host).await?;
    let path = format!("/api/v1/stats/forces?year={year}");
    let (mut ours, mut base, mut first) = (Vec::new(), Vec::new(), Duration::ZERO);
    for rep in 0..=reps {
        let t = Instant::now();
        let (status, body) = client.get(&path, &token).await?;
        let ours_t = t.elapsed();
        anyhow::ensure!(status == 200, "forces endpoint answered {status}: {}", String::from_utf8_lossy(body));
        let got = from_json(&serde_json::from_slice(body)?);
        let t = Instant::now();
        let want = bare(&pool, year, &today).await?;
        let bare_t = t.elapsed();
        anyhow::ensure!(got == want, "forces figures disagree:\nendpoint {got:?}\nbare     {want:?}");
        if rep == 0 {
            first = ours_t;
        } else {
            ours.push(ours_t);
        }
        base.push(bare_t);
    }
    pool.close().await;
    server.stop().await;
    app.store.close().await;
    let m = crate::bench_setup::median;
    Ok((teams, first, m(ours), m(base), generated))
}

/// Runs the suite on SQLite (a fresh file under `dir`) and, when given, on a
/// PostgreSQL database it may wipe.
pub async fn run(
    dir: &std::path::Path,
    reps: usize,
    postgres: Option<&str>,
    settings: &Settings,
) -> anyhow::Result<()> {
    anyhow::ensure!(reps > 0, "--search-reps must be at least 1");
    println!("\n## the nation's forces: GET /api/v1/stats/forces over HTTP vs the bare SQL counts over the same rows (median of {reps})");
    println!(
        "{:<10} {:>8} {:>14} {:>14} {:>12} {:>14} {:>12}",
        "database", "teams", "first (ms)", "kept (ms)", "bare (ms)", "first/bare", "generate (s)"
    );
    let mut backends: Vec<(&str, String)> = Vec::new();
    let db = dir.join("forces.db");
    crate::bench_setup::remove_db(&db);
    backends.push(("sqlite", format!("sqlite://{}", db.display())));
    if let Some(pg) = postgres {
        crate::bench_setup::reset_postgres(pg).await?;
        backends.push(("postgres", pg.to_string()));
    }
    for (name, url) in backends {
        let (teams, first, kept, bare, generated) = one_db(&url, reps, settings).await?;
        println!(
            "{:<10} {:>8} {:>14.2} {:>14.2} {:>12.2} {:>13.2}x {:>12.0}",
            name,
            teams,
            first.as_secs_f64() * 1e3,
            kept.as_secs_f64() * 1e3,
            bare.as_secs_f64() * 1e3,
            first.as_secs_f64() / bare.as_secs_f64(),
            generated.as_secs_f64()
        );
    }
    crate::bench_setup::remove_db(&db);
    if let Some(pg) = postgres {
        crate::bench_setup::reset_postgres(pg).await?;
    }
    Ok(())
}
