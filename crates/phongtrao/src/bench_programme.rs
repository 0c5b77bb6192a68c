//! The programme benchmark: the ministry's programme page's figures
//! (`GET /api/v1/programme?unit=VN`, over HTTP to the real server, read from the
//! maintained roll-ups) against the bare SQL that computes the same roll-up from the
//! progress history (latest report per assignment, sub-tasks, then the ministry's
//! tasks), in the same run on the same rows, with 1× and 10× the progress history.
//! Both answers are compared task by task on every repetition; nothing asserts a
//! timing.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use sqlx::Row;

use crate::bench_http::Client;
use crate::config::Settings;

/// Task id → (overall percent, assignees, done).
type Figures = BTreeMap<i64, (i64, i64, i64)>;

fn from_json(v: &serde_json::Value) -> Figures {
    let n = |v: &serde_json::Value| v.as_i64().unwrap_or(-1);
    v["tasks"]
        .as_array()
        .map(|a| {
            a.iter().map(|t| (n(&t["id"]), (n(&t["overall_percent"]), n(&t["assignees"]), n(&t["done"])))).collect()
        })
        .unwrap_or_default()
}

/// The same roll-up the plain way, from the progress history.
const BARE: &str = "WITH latest AS (\
  SELECT p.assignment_id, p.percent FROM task_progress p \
  JOIN (SELECT assignment_id, MAX(id) AS id FROM task_progress GROUP BY assignment_id) l ON l.id = p.id), \
sub AS (\
  SELECT a.task_id, CAST(SUM(COALESCE(l.percent, 0)) AS BIGINT) / COUNT(*) AS pct \
  FROM task_assignments a JOIN tasks t ON t.id = a.task_id LEFT JOIN latest l ON l.assignment_id = a.id \
  WHERE t.parent_id IS NOT NULL AND t.year = $1 GROUP BY a.task_id), \
top AS (\
  SELECT a.task_id, COALESCE(s.pct, l.percent, 0) AS pct \
  FROM task_assignments a JOIN tasks t ON t.id = a.task_id \
  LEFT JOIN sub s ON s.task_id = a.sub_task_id LEFT JOIN latest l ON l.assignment_id = a.id \
  WHERE t.unit_code = 'VN' AND t.year = $1) \
SELECT task_id, CAST(SUM(pct) AS BIGINT) / COUNT(*), CAST(COUNT(*) AS BIGINT), \
  CAST(SUM(CASE WHEN pct >= 100 THEN 1 ELSE 0 END) AS BIGINT) FROM top GROUP BY task_id";

async fn bare_figures(pool: &sqlx::AnyPool, year: i64) -> anyhow::Result<Figures> {
    let mut f = Figures::new();
    for r in sqlx::query(BARE).bind(year).fetch_all(pool).await? {
        f.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?));
    }
    Ok(f)
}

/// One history scale on one database: (reports, ours, bare, generation time).
async fn one_scale(
    url: &str,
    reports: usize,
    reps: usize,
    settings: &Settings,
) -> anyhow::Result<(u64, Duration, Duration, Duration)> {
    let year = store::clock::current_year();
    let store = store::Store::connect(url).await?;
    store.load_shipped_units().await?;
    let app = app::App::new(store, settings.app_config());
    let t = Instant::now();
    let counts = app::demo_programme::load_national_programme(&app, year, reports, 2026).await?;
    let generated = t.elapsed();
    let token = crate::bench_setup::ministry_token(&app).await?;
    let server = crate::bench_setup::BenchServer::start(&app).await?;
    sqlx::any::install_default_drivers();
    let bare = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(url).await?;
    if url.starts_with("postgres") {
        // Fresh statistics after the bulk load, as any deployment has them (both sides gain).
        sqlx::query("ANALYZE").execute(&bare).await?;
    }
    let mut client = Client::connect(&server.host).await?;
    let path = format!("/api/v1/programme?unit=VN&year={year}");
    let (mut ours, mut base) = (Vec::new(), Vec::new());
    for rep in 0..=reps {
        let t = Instant::now();
        let (status, body) = client.get(&path, &token).await?;
        let ours_t = t.elapsed();
        anyhow::ensure!(status == 200, "programme answered {status}: {}", String::from_utf8_lossy(body));
        let got = from_json(&serde_json::from_slice(body)?);
        let t = Instant::now();
        let want = bare_figures(&bare, year).await?;
        let bare_t = t.elapsed();
        anyhow::ensure!(got.len() == 14, "expected 14 tasks, got {}", got.len());
        anyhow::ensure!(got == want, "figures disagree:\nendpoint {got:?}\nbare     {want:?}");
        if rep > 0 {
            ours.push(ours_t);
            base.push(bare_t);
        }
    }
    bare.close().await;
    server.stop().await;
    app.store.close().await;
    Ok((counts.reports, crate::bench_setup::median(ours), crate::bench_setup::median(base), generated))
}

/// Runs the suite with 12 and 120 reports per commune assignment (1× and 10×) on
/// SQLite under `dir` and, when given, on a PostgreSQL database it may wipe.
pub async fn run(dir: &Path, reps: usize, postgres: Option<&str>, settings: &Settings) -> anyhow::Result<()> {
    println!("\n## ministry programme: GET /api/v1/programme?unit=VN over HTTP vs the bare roll-up over the progress history (median of {reps})");
    println!(
        "{:<10} {:<6} {:>10} {:>11} {:>11} {:>9} {:>12}",
        "database", "scale", "reports", "ours (ms)", "bare (ms)", "ratio", "generate (s)"
    );
    anyhow::ensure!(reps > 0, "--search-reps must be at least 1");
    let mut backends: Vec<(&str, Option<&str>)> = vec![("sqlite", None)];
    if let Some(pg) = postgres {
        backends.push(("postgres", Some(pg)));
    }
    for (name, pg) in backends {
        let mut results = Vec::new();
        for scale in [1usize, 10] {
            let url = match pg {
                Some(u) => {
                    crate::bench_setup::reset_postgres(u).await?;
                    u.to_string()
                }
                None => {
                    let db = dir.join(format!("programme-{scale}.db"));
                    crate::bench_setup::remove_db(&db);
                    format!("sqlite://{}", db.display())
                }
            };
            let (n, o, b, g) = one_scale(&url, 12 * scale, reps, settings).await?;
            println!(
                "{:<10} {:<6} {:>10} {:>11.2} {:>11.2} {:>8.4}x {:>12.1}",
                name,
                format!("{scale}x"),
                n,
                o.as_secs_f64() * 1e3,
                b.as_secs_f64() * 1e3,
                o.as_secs_f64() / b.as_secs_f64(),
                g.as_secs_f64()
            );
            results.push(o);
            match pg {
                Some(u) => crate::bench_setup::reset_postgres(u).await?,
                None => crate::bench_setup::remove_db(&dir.join(format!("programme-{scale}.db"))),
            }
        }
        if let [one, ten] = results[..] {
            println!(
                "{name}: at 10x the history the endpoint took {:.2}x its time at 1x (goal: within 1.2x; ours within 1.2x of the bare query)",
                ten.as_secs_f64() / one.as_secs_f64()
            );
        }
    }
    Ok(())
}
