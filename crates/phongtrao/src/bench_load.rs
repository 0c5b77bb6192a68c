//! `bench --suite load`: many keep-alive clients for a fixed time against the real
//! server (its own process, so its memory is its own) on the national demo data:
//! `/healthz` (the floor: no database, no template), the national dashboard page and
//! the dashboard's figures (`GET /api/v1/stats/movement`), and a commune officer's
//! home page and to-do list (with the national programme loaded). Reports requests per
//! second, p50, p99, errors and the server's peak resident memory, and the goals:
//! the dashboard page at ≥ 25 % of `/healthz`'s throughput, p99 ≤ 5 × p50, peak memory
//! ≤ 150 MB.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::bench_http::Client;
use crate::config::Settings;

/// What one target measured.
struct Measured {
    requests: usize,
    errors: usize,
    p50: Duration,
    p99: Duration,
    elapsed: Duration,
}

impl Measured {
    fn rate(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// `clients` keep-alive connections requesting `path` until `for_how_long` passed.
async fn hammer(
    host: &str,
    path: &str,
    token: &str,
    clients: usize,
    for_how_long: Duration,
) -> anyhow::Result<Measured> {
    let started = Instant::now();
    let deadline = started + for_how_long;
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (host, path, token) = (host.to_string(), path.to_string(), token.to_string());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0usize;
            let mut client = Client::connect(&host).await?;
            while Instant::now() < deadline {
                let t = Instant::now();
                match client.get(&path, &token).await {
                    Ok((200, _)) => lat.push(t.elapsed()),
                    Ok(_) => errors += 1,
                    Err(_) => {
                        errors += 1;
                        client = Client::connect(&host).await?;
                    }
                }
            }
            anyhow::Ok((lat, errors))
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (lat, e) = t.await??;
        all.extend(lat);
        errors += e;
    }
    let elapsed = started.elapsed();
    all.sort();
    Ok(Measured { requests: all.len(), errors, p50: percentile(&all, 0.5), p99: percentile(&all, 0.99), elapsed })
}

/// Peak and current resident memory of a process, in MB (Linux).
fn memory_mb(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| -> f64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Starts `phongtrao serve` on the database; returns the child and `host:port`.
fn start_server(url: &str, dir: &Path) -> anyhow::Result<(Child, String)> {
    let mut child = Command::new(std::env::current_exe()?)
        .args(["serve", "--listen", "127.0.0.1:0", "--database-url", url, "--public-submissions-per-minute", "0"])
        .arg("--case-key-file")
        .arg(dir.join("load-keys.txt"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().ok_or_else(|| anyhow::anyhow!("server said nothing"))??;
    let host = first
        .split("http://")
        .nth(1)
        .map(|h| h.trim().trim_end_matches('/').to_string())
        .ok_or_else(|| anyhow::anyhow!("unexpected first line: {first}"))?;
    std::thread::spawn(move || for _ in lines.by_ref() {});
    Ok((child, host))
}

/// Runs the suite: generates the national data in a fresh SQLite file under `dir`
/// and starts the server in its own process, then measures each target.
pub async fn run(dir: &Path, clients: usize, seconds: u64, settings: &Settings) -> anyhow::Result<()> {
    anyhow::ensure!(clients > 0 && seconds > 0, "--load-clients and --load-seconds must be at least 1");
    let db = dir.join("load-national.db");
    crate::bench_setup::remove_db(&db);
    let url = format!("sqlite://{}", db.display());
    let year = store::clock::current_year();
    let t = Instant::now();
    let (token, commune) = {
        let store = store::Store::connect(&url).await?;
        store.load_shipped_units().await?;
        let app = app::App::new(store, settings.app_config());
        app.load_shipped_criteria().await?;
        app::demo::load_national(&app, 1_000_000, 2025, &|_, _| {}).await?;
        app::demo_national::load_national_assessments(&app, &[year - 1, year], 2025, &|_, _| {}).await?;
        // The year's programme, so that a commune's to-do list has tasks on it.
        app::demo_programme::load_national_programme(&app, year, 2, 2026).await?;
        let token = crate::bench_setup::ministry_token(&app).await?;
        let commune = crate::bench_setup::commune_token(&app, COMMUNE).await?;
        app.store.checkpoint().await?;
        app.store.close().await;
        (token, commune)
    };
    println!(
        "\n## load: {clients} keep-alive clients, {seconds} s per target, national demo data on SQLite (generated in {:.0} s), server in its own process",
        t.elapsed().as_secs_f64()
    );
    let (mut child, host) = start_server(&url, dir)?;
    let result = measure(&host, &token, &commune, year, clients, seconds, child.id()).await;
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
    crate::bench_setup::remove_db(&db);
    result
}

/// The commune whose officer's home page (the to-do list) is measured: Phường Ba Đình.
const COMMUNE: &str = "00004";

async fn measure(
    host: &str,
    token: &str,
    commune: &str,
    year: i64,
    clients: usize,
    seconds: u64,
    pid: u32,
) -> anyhow::Result<()> {
    let targets = [
        ("/healthz", "/healthz".to_string(), ""),
        ("dashboard page", format!("/movement?year={year}"), token),
        ("stats API", format!("/api/v1/stats/movement?year={year}"), token),
        ("commune home", "/".to_string(), commune),
        ("to-do API", "/api/v1/me/todo".to_string(), commune),
    ];
    // One request each first: the answers are right before they are timed.
    for (name, path, tok) in &targets {
        let mut c = Client::connect(host).await?;
        let (status, body) = c.get(path, tok).await?;
        anyhow::ensure!(status == 200, "{name} answered {status}: {}", String::from_utf8_lossy(body));
    }
    let (_, idle_rss) = memory_mb(pid);
    println!(
        "{:<16} {:>10} {:>9} {:>10} {:>10} {:>8} {:>9}",
        "target", "requests", "req/s", "p50 (ms)", "p99 (ms)", "errors", "p99/p50"
    );
    let mut rates = Vec::new();
    for (name, path, tok) in &targets {
        let m = hammer(host, path, tok, clients, Duration::from_secs(seconds)).await?;
        println!(
            "{:<16} {:>10} {:>9.0} {:>10.2} {:>10.2} {:>8} {:>8.1}x",
            name,
            m.requests,
            m.rate(),
            m.p50.as_secs_f64() * 1e3,
            m.p99.as_secs_f64() * 1e3,
            m.errors,
            m.p99.as_secs_f64() / m.p50.as_secs_f64().max(1e-9)
        );
        rates.push((name.to_string(), m));
    }
    let (peak, now) = memory_mb(pid);
    println!("server memory: {idle_rss:.0} MB resident before the load, {now:.0} MB after, peak {peak:.0} MB");
    let healthz = rates[0].1.rate();
    for (name, m) in &rates[1..] {
        println!(
            "{name}: {:.1} % of /healthz's throughput (goal ≥ 25 %), p99 {:.1}x p50 (goal ≤ 5x)",
            100.0 * m.rate() / healthz,
            m.p99.as_secs_f64() / m.p50.as_secs_f64().max(1e-9)
        );
    }
    println!("peak memory {peak:.0} MB (goal ≤ 150 MB)");
    Ok(())
}
