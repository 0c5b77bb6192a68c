//! The real binary under stress: killed with SIGKILL during concurrent public
//! submissions, restarted, every acknowledged case is there (both databases); and an
//! anonymous case leaves neither its phone number nor the client's address in the
//! database file or the logs.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use testkit::{both_databases, TestApp, TestDb};

both_databases! {
    acknowledged_cases_survive_sigkill => sigkill;
    failed_commits_acknowledge_nothing_and_writes_recover => failed_commits;
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
    let r = http.get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404, "metrics are not on the main listener");
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    child.wait().unwrap();

    let bytes = database_bytes(&db_path);
    assert!(contains(&bytes, "Ổ gà trước cổng trường."), "a feedback's text is stored as written");
    // A crime report's text is sealed at rest (its sender is secret).
    for secret in [
        anon_phone,
        "an.danh@example.vn",
        "Người Ẩn Danh",
        named_phone,
        "Phạm Văn Dũng",
        client_ip,
        "Có người buôn bán hàng cấm.",
    ] {
        assert!(!contains(&bytes, secret), "database holds {secret}");
    }
    let logs = std::fs::read(&log_path).unwrap();
    assert!(!logs.is_empty(), "the server logged");
    for secret in [anon_phone, named_phone, client_ip] {
        assert!(!contains(&logs, secret), "logs hold {secret}");
    }
}

/// A storage fault (the disk fills during writes, then space is freed): a case whose
/// commit failed is never acknowledged, `/healthz` says the database does not take
/// writes, and once space is back writes work without a restart; after a restart
/// every acknowledged case is there and none of the refused ones.
async fn failed_commits(db: &TestDb) {
    let config = app::AppConfig { public_submissions_per_minute: 0, ..Default::default() };
    let t = TestApp::start_with(db, config.clone()).await;
    let officer = t.user("fault.officer", "commune", Some("00004"), None).await;
    assert!(officer > 0);
    let submit = |i: usize| {
        let (http, url) = (t.http.clone(), t.url("/api/v1/public/cases"));
        async move {
            let body = json!({"kind": "feedback", "unit_code": "00004", "anonymous": true,
                "description": format!("Case {i}: cống thoát nước tắc.")});
            let r = http.post(url).json(&body).send().await.unwrap();
            let status = r.status().as_u16();
            let retry = r.headers().get("retry-after").is_some();
            (status, retry, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let mut acked = Vec::new();
    for i in 0..3 {
        let (s, _, b) = submit(i).await;
        assert_eq!(s, 201, "{b}");
        acked.push((b["receipt_code"].as_str().unwrap().to_string(), b["secret"].as_str().unwrap().to_string()));
    }
    let health = || {
        let (http, url) = (t.http.clone(), t.url("/healthz"));
        async move { http.get(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(health().await, 200);

    // The disk is full: every commit fails.
    t.app.store.inject_commit_failures(u32::MAX);
    let (a, b) = tokio::join!(submit(10), submit(11));
    let (login_status, _) = t.login_raw("fault.officer", testkit::PASSWORD, None).await;
    for (s, retry, body) in [a, b] {
        assert_eq!(s, 503, "a case whose commit failed is not acknowledged: {body}");
        assert!(retry, "503 carries Retry-After");
        assert!(body["receipt_code"].is_null());
        assert!(body["error"]["message"].as_str().unwrap().contains("chưa được lưu"), "{body}");
    }
    assert_eq!(login_status, 503, "the login's session could not be stored");
    assert_eq!(health().await, 503, "healthz tells a database that cannot write");

    // Space is freed: writes work again at once, without a restart.
    t.app.store.inject_commit_failures(0);
    let started = std::time::Instant::now();
    let (s, _, b) = submit(20).await;
    assert_eq!(s, 201, "{b}");
    acked.push((b["receipt_code"].as_str().unwrap().to_string(), b["secret"].as_str().unwrap().to_string()));
    let token = t.token("fault.officer").await;
    assert!(!token.is_empty());
    // No connection is left holding the write lock: a burst of writes all commit.
    let burst: Vec<_> = (30..38).map(submit).collect();
    for (s, _, b) in futures_join_all(burst).await {
        assert_eq!(s, 201, "{b}");
        acked.push((b["receipt_code"].as_str().unwrap().to_string(), b["secret"].as_str().unwrap().to_string()));
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(8), "no write waited on a stuck lock");
    assert_eq!(health().await, 200);
    t.stop().await;

    // After a restart: every acknowledged case is there, and only those.
    let t = TestApp::start_with(db, config).await;
    for (code, secret) in &acked {
        let (s, b) =
            t.post_json("", "/api/v1/public/cases/lookup", &json!({"receipt_code": code, "secret": secret})).await;
        assert_eq!(s, 200, "acknowledged case {code} lost: {b}");
    }
    let token = t.token("fault.officer").await;
    let (s, list) = t.get_json(&token, "/api/v1/cases?size=100").await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list["total"].as_i64(), Some(acked.len() as i64), "the refused cases were never stored: {list}");
    t.stop().await;
}

/// Awaits every future (a few requests at once) without another dependency.
async fn futures_join_all<F: std::future::Future + Send + 'static>(fs: Vec<F>) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = fs.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}
