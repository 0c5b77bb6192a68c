//! The movement benchmark: the national dashboard's figures endpoint
//! (`GET /api/v1/stats/movement`, over HTTP to the real server, read from the
//! maintained tallies) against the bare SQL aggregates that compute the same
//! figures from the assessments themselves, in the same run, on the same rows, at
//! several data scales and on each database given. Both answers are compared
//! figure by figure on every repetition; nothing asserts a timing.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use sqlx::Row;

use crate::bench_http::Client;
use crate::bench_setup::ministry_token;
use crate::config::Settings;

/// The figures both sides must agree on.
#[derive(Debug, Default, PartialEq)]
struct Figures {
    /// subject → (assessed, recognised)
    safe_unit: BTreeMap<String, (i64, i64)>,
    /// level → approved or published classifications
    by_level: BTreeMap<String, i64>,
    /// (submitted, approved, late)
    progress: (i64, i64, i64),
    /// (designated, removed)
    key_areas: (i64, i64),
    /// (met, reported, communes)
    criterion19: (i64, i64, i64),
    /// (effective, formal)
    models: (i64, i64),
    /// type → models not dissolved
    models_by_type: BTreeMap<String, i64>,
}

/// Reads the figures out of the endpoint's JSON.
fn from_json(v: &serde_json::Value) -> Figures {
    let n = |v: &serde_json::Value| v.as_i64().unwrap_or(-1);
    let mut f = Figures::default();
    if let Some(m) = v["safe_unit"].as_object() {
        for (k, r) in m {
            if n(&r["assessed"]) > 0 {
                f.safe_unit.insert(k.clone(), (n(&r["assessed"]), n(&r["recognised"])));
            }
        }
    }
    if let Some(m) = v["movement"]["by_level"].as_object() {
        f.by_level = m.iter().map(|(k, c)| (k.clone(), n(c))).collect();
    }
    let p = &v["progress"];
    f.progress = (n(&p["submitted"]), n(&p["approved"]), n(&p["late"]));
    f.key_areas = (n(&v["key_areas"]["designated"]), n(&v["key_areas"]["removed"]));
    let c = &v["criterion19"];
    f.criterion19 = (n(&c["met"]), n(&c["reported"]), n(&c["communes"]));
    f.models = (n(&v["models"]["effective"]), n(&v["models"]["formal"]));
    if let Some(m) = v["models"]["by_type"].as_object() {
        f.models_by_type = m.iter().map(|(k, c)| (k.clone(), n(c))).collect();
    }
    f
}

/// The same figures computed the plain way: one scan of the year's assessments
/// grouped by instrument, subject and level, and plain aggregates over the key-area
/// decisions, criterion-19 records, model evaluations and communes.
async fn bare_figures(pool: &sqlx::AnyPool, year: i64) -> anyhow::Result<Figures> {
    let mut f = Figures::default();
    let rows = sqlx::query(
        "SELECT instrument, subject, COALESCE(level, ''), CAST(COUNT(*) AS BIGINT), \
         CAST(SUM(CASE WHEN status IN ('approved','published') AND passed = 1 THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN status <> 'draft' THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN status IN ('approved','published') THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(late) AS BIGINT) \
         FROM assessments WHERE year = $1 GROUP BY instrument, subject, COALESCE(level, '')",
    )
    .bind(year)
    .fetch_all(pool)
    .await?;
    for r in &rows {
        let (instrument, subject, level): (String, String, String) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
        let [count, recognised, submitted, approved, late]: [i64; 5] =
            [r.try_get(3)?, r.try_get(4)?, r.try_get(5)?, r.try_get(6)?, r.try_get(7)?];
        if instrument == "safe_unit" {
            let e = f.safe_unit.entry(subject).or_default();
            e.0 += count;
            e.1 += recognised;
        } else if !level.is_empty() && approved > 0 {
            *f.by_level.entry(level).or_default() += approved;
        }
        f.progress.0 += submitted;
        f.progress.1 += approved;
        f.progress.2 += late;
    }
    let r = sqlx::query(
        "SELECT CAST(COALESCE(SUM(CASE WHEN action = 'designate' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN action = 'remove' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM key_area_events WHERE decision_date BETWEEN $1 AND $2",
    )
    .bind(format!("{year}-01-01"))
    .bind(format!("{year}-12-31"))
    .fetch_one(pool)
    .await?;
    f.key_areas = (r.try_get(0)?, r.try_get(1)?);
    let r = sqlx::query(
        "SELECT CAST(COALESCE(SUM(met), 0) AS BIGINT), CAST(COUNT(*) AS BIGINT), \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM units WHERE level = 'commune' AND valid_to IS NULL) \
         FROM criterion19 WHERE year = $1",
    )
    .bind(year)
    .fetch_one(pool)
    .await?;
    f.criterion19 = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
    let r = sqlx::query(
        "SELECT CAST(COALESCE(SUM(CASE WHEN verdict = 'effective' THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN verdict = 'formal' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM model_evaluations WHERE year = $1",
    )
    .bind(year)
    .fetch_one(pool)
    .await?;
    f.models = (r.try_get(0)?, r.try_get(1)?);
    let rows = sqlx::query(
        "SELECT type_code, CAST(COUNT(*) AS BIGINT) FROM models WHERE status <> 'dissolved' GROUP BY type_code",
    )
    .fetch_all(pool)
    .await?;
    for r in &rows {
        f.models_by_type.insert(r.try_get(0)?, r.try_get(1)?);
    }
    Ok(f)
}

/// One scale on one database: generates the data, starts the server, times both
/// sides `reps` times; returns (assessments, ours, bare) with medians.
async fn one_scale(
    url: &str,
    scale: f64,
    reps: usize,
    settings: &Settings,
) -> anyhow::Result<(u64, Duration, Duration, Duration)> {
    let year = store::clock::current_year();
    let store = store::Store::connect(url).await?;
    store.load_shipped_units().await?;
    let app = app::App::new(store, settings.app_config());
    app.load_shipped_criteria().await?;
    let t = Instant::now();
    app::demo::load_national(&app, (scale * 1_000_000.0) as u64, 2025, &|_, _| {}).await?;
    let n = app::demo_national::load_national_assessments(&app, &[year - 1, year], 2025, &|_, _| {}).await?;
    let generated = t.elapsed();
    let token = ministry_token(&app).await?;
    let server = crate::bench_setup::BenchServer::start(&app).await?;
    sqlx::any::install_default_drivers();
    let bare = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(url).await?;
    let mut client = Client::connect(&server.host).await?;
    let path = format!("/api/v1/stats/movement?year={year}");
    let (mut ours, mut base) = (Vec::new(), Vec::new());
    // One untimed round each warms the caches of both sides alike.
    for rep in 0..=reps {
        let t = Instant::now();
        let (status, body) = client.get(&path, &token).await?;
        let ours_t = t.elapsed();
        anyhow::ensure!(status == 200, "stats endpoint answered {status}: {}", String::from_utf8_lossy(body));
        let got = from_json(&serde_json::from_slice(body)?);
        let t = Instant::now();
        let want = bare_figures(&bare, year).await?;
        let bare_t = t.elapsed();
        anyhow::ensure!(got == want, "figures disagree at scale {scale}:\nendpoint {got:?}\nbare     {want:?}");
        if rep > 0 {
            ours.push(ours_t);
            base.push(bare_t);
        }
    }
    bare.close().await;
    server.stop().await;
    app.store.close().await;
    Ok((n, crate::bench_setup::median(ours), crate::bench_setup::median(base), generated))
}

/// Runs the suite at every scale on SQLite (a fresh file under `dir`, unless
/// `sqlite` is false) and, when given, on a PostgreSQL database it may wipe;
/// prints medians and ratios.
pub async fn run(
    dir: &Path,
    scales: &[f64],
    reps: usize,
    sqlite: bool,
    postgres: Option<&str>,
    settings: &Settings,
) -> anyhow::Result<()> {
    println!(
        "\n## national dashboard figures: GET /api/v1/stats/movement over HTTP vs the bare SQL aggregates over the same rows (median of {reps})"
    );
    println!(
        "{:<10} {:<7} {:>12} {:>12} {:>12} {:>9} {:>12}",
        "database", "scale", "assessments", "ours (ms)", "bare (ms)", "ratio", "generate (s)"
    );
    anyhow::ensure!(reps > 0, "--search-reps must be at least 1");
    let mut backends: Vec<(&str, Option<&str>)> = if sqlite { vec![("sqlite", None)] } else { Vec::new() };
    if let Some(pg) = postgres {
        backends.push(("postgres", Some(pg)));
    }
    for (name, pg) in backends {
        let mut results = Vec::new();
        for &scale in scales {
            let url = match pg {
                Some(u) => {
                    crate::bench_setup::reset_postgres(u).await?;
                    u.to_string()
                }
                None => {
                    let db = dir.join(format!("movement-{scale}.db"));
                    crate::bench_setup::remove_db(&db);
                    format!("sqlite://{}", db.display())
                }
            };
            let (n, o, b, g) = one_scale(&url, scale, reps, settings).await?;
            println!(
                "{:<10} {:<7} {:>12} {:>12.2} {:>12.2} {:>8.4}x {:>12.0}",
                name,
                format!("{scale}x"),
                n,
                o.as_secs_f64() * 1e3,
                b.as_secs_f64() * 1e3,
                o.as_secs_f64() / b.as_secs_f64(),
                g.as_secs_f64()
            );
            results.push((scale, o, b));
            match pg {
                Some(u) => crate::bench_setup::reset_postgres(u).await?,
                None => crate::bench_setup::remove_db(&dir.join(format!("movement-{scale}.db"))),
            }
        }
        if let (Some(first), Some(last)) = (results.first(), results.last()) {
            if last.0 > first.0 {
                println!(
                    "{name}: from {}x to {}x data the endpoint's time grew {:.2}x, the bare aggregate's {:.2}x (goal: ours ≤ 1.2x bare, growing with the units shown, not the rows)",
                    first.0,
                    last.0,
                    last.1.as_secs_f64() / first.1.as_secs_f64(),
                    last.2.as_secs_f64() / first.2.as_secs_f64()
                );
            }
        }
    }
    Ok(())
}
