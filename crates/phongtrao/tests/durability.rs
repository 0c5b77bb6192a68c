//! The real binary under stress: killed with SIGKILL during concurrent public
//! submissions, restarted, every acknowledged case is there (both databases); and an
//! anonymous case leaves neither its phone number nor the client's address in the
//! database file or the logs.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use testkit::{both_databases, TestDb};

both_databases! {
    acknowledged_cases_survive_sigkill => sigkill;
}

/// Starts `serve` and returns the child and its base URL (from the first stdout line).
fn start(url: &str, keys: &std::path::Path, extra: &[&str], stderr: Stdio) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_phongtrao"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database-url", url, "--public-submissions-per-minute", "0"])
        .arg("--case-key-file")
        .arg(keys)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base = format!("http://{}", first.split("http://").nth(1).unwrap().trim().trim_end_matches('/'));
    // Keep draining stdout so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    (child, base)
}

async fn sigkill(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys.txt");
    let (mut child, base) = start(&db.url, &keys, &[], Stdio::null());
    let acked: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let enough = Arc::new(tokio::sync::Notify::new());
    const TARGET: usize = 300;
    let http = reqwest::Client::new();
    let mut tasks = Vec::new();
    for c in 0..16 {
        let (http, acked, enough, base) = (http.clone(), acked.clone(), enough.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0.. {
                let body = json!({"kind": "feedback", "unit_code": "00004", "anonymous": true,
                    "description": format!("Client {c}, case {i}: đèn đường hỏng.")});
                // After the kill requests fail; those cases were never acknowledged.
                let Ok(r) = http.post(format!("{base}/api/v1/public/cases")).json(&body).send().await else { return };
                if r.status().as_u16() != 201 {
                    return;
                }
                let Ok(v) = r.json::<Value>().await else { return };
                let mut a = acked.lock().unwrap();
                a.push((v["receipt_code"].as_str().unwrap().to_string(), v["secret"].as_str().unwrap().to_string()));
                if a.len() == TARGET {
                    enough.notify_one();
                }
            }
        }));
    }
    enough.notified().await;
    // SIGKILL while the clients keep submitting.
    assert!(Command::new("kill").args(["-KILL", &child.id().to_string()]).status().unwrap().success());
    child.wait().unwrap();
    for t in tasks {
        t.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= TARGET);

    let (mut child, base) = start(&db.url, &keys, &[], Stdio::null());
    let mut missing = Vec::new();
    for (code, secret) in &acked {
        let r = http
            .post(format!("{base}/api/v1/public/cases/lookup"))
            .json(&json!({"receipt_code": code, "secret": secret}))
            .send()
            .await
            .unwrap();
        if r.status().as_u16() != 200 {
            missing.push(code.clone());
        }
    }
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    child.wait().unwrap();
    assert!(missing.is_empty(), "{} of {} acknowledged cases lost: {missing:?}", missing.len(), acked.len());
    println!("SIGKILL: {} acknowledged cases, all found after restart", acked.len());
}

/// The bytes of every file of a SQLite database (main, WAL, shared memory).
fn database_bytes(path: &std::path::Path) -> Vec<u8> {
    let mut out = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        if let Ok(b) = std::fs::read(format!("{}{suffix}", path.display())) {
            out.extend(b);
        }
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_cases_leave_no_phone_or_address_in_database_or_logs() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("p.db");
    let url = format!("sqlite://{}", db_path.display());
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let (mut child, base) = start(&url, &dir.path().join("keys.txt"), &["--log-json"], Stdio::from(log));
    // The client speaks from its own loopback address, so it can be told apart from
    // the server's listening address in the logs.
    let client_ip = "127.0.0.3";
    let http =
        reqwest::Client::builder().local_address(client_ip.parse::<std::net::IpAddr>().unwrap()).build().unwrap();
    let anon_phone = "0987111222";
    let named_phone = "0966333444";
    let r = http
        .post(format!("{base}/api/v1/public/cases"))
        .json(&json!({"kind": "crime_report", "unit_code": "00004", "anonymous": true, "description": "Có người buôn bán hàng cấm.",
            "contact": {"name": "Người Ẩn Danh", "phone": anon_phone, "email": "an.danh@example.vn"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let r = http
        .post(format!("{base}/api/v1/public/cases"))
        .json(&json!({"kind": "feedback", "unit_code": "00004", "anonymous": false, "description": "Ổ gà trước cổng trường.",
            "contact": {"name": "Phạm Văn Dũng", "phone": named_phone}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    // A failed lookup from the same client, and the metrics page, must not keep the address either.
    let _ = http
        .post(format!("{base}/api/v1/public/cases/lookup"))
        .json(&json!({"receipt_code": "ACD-EFG-HJK", "secret": "x"}))
        .send()
        .await;
    let metrics = http.get(format!("{base}/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(!metrics.contains(client_ip), "metrics labels hold no client address");
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    child.wait().unwrap();

    let bytes = database_bytes(&db_path);
    assert!(contains(&bytes, "Có người buôn bán hàng cấm."), "the case itself is stored");
    for secret in [anon_phone, "an.danh@example.vn", "Người Ẩn Danh", named_phone, "Phạm Văn Dũng", client_ip]
    {
        assert!(!contains(&bytes, secret), "database holds {secret}");
    }
    let logs = std::fs::read(&log_path).unwrap();
    assert!(!logs.is_empty(), "the server logged");
    for secret in [anon_phone, named_phone, client_ip] {
        assert!(!contains(&logs, secret), "logs hold {secret}");
    }
}
