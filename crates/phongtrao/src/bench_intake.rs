//! The intake benchmark: sustained acknowledged public submissions per second over
//! HTTP (each acknowledged only once committed, with SQLite `synchronous=FULL`),
//! against a bare loop of one-row-per-transaction inserts into the same database
//! file with the same settings, measured in the same run. The difference is the
//! group commit of `app::cases::intake`.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs `runs` rounds at each client count and prints medians and the ratios.
pub async fn run(
    dir: &Path,
    database_url: Option<&str>,
    cases: usize,
    client_counts: &[usize],
    runs: usize,
) -> anyhow::Result<()> {
    for &clients in client_counts {
        run_one(dir, database_url, cases, clients, runs).await?;
    }
    Ok(())
}

async fn run_one(
    dir: &Path,
    database_url: Option<&str>,
    cases: usize,
    clients: usize,
    runs: usize,
) -> anyhow::Result<()> {
    println!("# intake: {cases} public submissions over HTTP by {clients} clients vs one-row transactions");
    let mut ours = Vec::new();
    let mut bare = Vec::new();
    for r in 0..runs.max(1) {
        let url = match database_url {
            Some(u) => u.to_string(),
            None => {
                let db = dir.join(format!("intake-{r}.db"));
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
                }
                format!("sqlite://{}", db.display())
            }
        };
        let store = store::Store::connect(&url).await?;
        store.load_shipped_units().await?;
        let config = app::AppConfig { public_submissions_per_minute: 0, ..Default::default() };
        let app = app::App::new(store.clone(), config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(web::serve(listener, app, web::WebConfig::default(), async {
            let _ = stopped.await;
        }));
        let t = submit_all(&base, cases, clients).await?;
        let _ = stop.send(());
        let _ = server.await;
        let n = bare_inserts(&store, cases.min(2000)).await?;
        store.close().await;
        let ours_rate = cases as f64 / t.as_secs_f64();
        let bare_rate = n.0 as f64 / n.1.as_secs_f64();
        println!(
            "run {}: phongtrao {:.0} cases/s ({:.2} s) · bare one-row transactions {:.0} rows/s ({} rows, {:.2} s)",
            r + 1,
            ours_rate,
            t.as_secs_f64(),
            bare_rate,
            n.0,
            n.1.as_secs_f64()
        );
        ours.push(ours_rate);
        bare.push(bare_rate);
    }
    let med = |mut v: Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    let (o, b) = (med(ours), med(bare));
    println!(
        "intake median, {clients} clients: phongtrao {o:.0} acknowledged cases/s vs bare {b:.0} rows/s → {:.2}× (goal ≥ 2×)",
        o / b
    );
    Ok(())
}

/// Sends `cases` submissions from `clients` concurrent keep-alive connections;
/// returns the wall time until every one was acknowledged (201). The load generator
/// writes prepared HTTP/1.1 requests on raw sockets so that its own work takes as
/// little as possible of the two cores it shares with the server.
async fn submit_all(base: &str, cases: usize, clients: usize) -> anyhow::Result<Duration> {
    use tokio::io::AsyncWriteExt;
    let addr = base.trim_start_matches("http://").to_string();
    let communes: Vec<String> =
        store::units_csv::rows()?.into_iter().filter(|r| r.level == "commune").map(|r| r.code).collect();
    let requests: Vec<Vec<u8>> = (0..cases)
        .map(|i| {
            let body = serde_json::json!({"kind": if i % 5 == 0 { "crime_report" } else { "feedback" },
                "unit_code": communes[i % communes.len()], "anonymous": i % 3 == 0,
                "description": format!("Phản ánh thử nghiệm số {i}: tụ tập gây mất trật tự lúc 23 giờ."),
                "contact": {"name": "Nguyễn Văn A", "phone": "0912345678"}})
            .to_string();
            format!(
                "POST /api/v1/public/cases HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        })
        .collect();
    let requests = Arc::new(requests);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients.max(1) {
        let (requests, next, addr) = (requests.clone(), next.clone(), addr.clone());
        tasks.push(tokio::spawn(async move {
            let mut sock = tokio::net::TcpStream::connect(&addr).await?;
            sock.set_nodelay(true)?;
            let mut buf = vec![0u8; 8192];
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= requests.len() {
                    return Ok::<(), anyhow::Error>(());
                }
                sock.write_all(&requests[i]).await?;
                let (status, _) = crate::bench_http::read_response(&mut sock, &mut buf).await?;
                anyhow::ensure!(status == 201, "submission {i}: status {status}");
            }
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok(start.elapsed())
}

/// One row per transaction into a bare table of the same database: (rows, time).
async fn bare_inserts(store: &store::Store, rows: usize) -> anyhow::Result<(usize, Duration)> {
    store
        .execute_one(
            if store.backend() == store::Backend::Sqlite {
                "CREATE TABLE IF NOT EXISTS bench_rows (id INTEGER PRIMARY KEY, kind TEXT, unit TEXT, description TEXT, created_at INTEGER)"
            } else {
                "CREATE TABLE IF NOT EXISTS bench_rows (id BIGSERIAL PRIMARY KEY, kind TEXT, unit TEXT, description TEXT, created_at BIGINT)"
            },
            &[],
        )
        .await?;
    let start = Instant::now();
    for i in 0..rows {
        let args = [
            store::Arg::from("feedback"),
            store::Arg::from("00004"),
            store::Arg::from(format!("Phản ánh thử nghiệm số {i}: tụ tập gây mất trật tự lúc 23 giờ.")),
            store::Arg::I(store::clock::now_ms()),
        ];
        store
            .execute_one("INSERT INTO bench_rows (kind, unit, description, created_at) VALUES ($1, $2, $3, $4)", &args)
            .await?;
    }
    Ok((rows, start.elapsed()))
}
