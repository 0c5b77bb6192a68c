//! The `phongtrao` binary as an operator uses it, on both databases: user create,
//! audit verify (and tampering), backup, demo, serve with graceful shutdown, and a
//! database URL that cannot be opened.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use testkit::{both_databases, TestDb};

both_databases! {
    user_create_checks_unit_and_role => user_create_cases;
    audit_verify_detects_tampering => audit_tamper;
    audit_verify_detects_entries_cut_off_the_end => audit_truncate;
    serve_starts_and_stops_on_sigterm => serve_sigterm;
    national_scale_generator_fills_every_commune => national_demo;
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_phongtrao"))
}

fn user_create(url: &str, username: &str, role: &str, unit: &str, password: &str) -> std::process::Output {
    let mut child = bin()
        .args([
            "user",
            "create",
            "--database-url",
            url,
            "--username",
            username,
            "--role",
            role,
            "--unit",
            unit,
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

async fn user_create_cases(db: &TestDb) {
    let ok = user_create(&db.url, "chi.huy", "commune", "00004", "Mat-khau-2025x");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let bad_unit = user_create(&db.url, "ai.do", "commune", "99999", "Mat-khau-2025x");
    assert!(!bad_unit.status.success());
    assert!(
        String::from_utf8_lossy(&bad_unit.stderr).contains("unit"),
        "{}",
        String::from_utf8_lossy(&bad_unit.stderr)
    );
    let bad_role = user_create(&db.url, "ai.do", "superuser", "VN", "Mat-khau-2025x");
    assert!(!bad_role.status.success());
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("role"));
    let dup = user_create(&db.url, "chi.huy", "commune", "00004", "Mat-khau-2025x");
    assert!(!dup.status.success());
}

async fn exec(url: &str, sql: &str) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    sqlx::raw_sql(sql).execute(&pool).await.unwrap();
    pool.close().await;
}

fn verify(url: &str) -> (bool, String) {
    let out = bin().args(["audit", "verify", "--database-url", url]).output().unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

async fn audit_tamper(db: &TestDb) {
    for name in ["mot", "hai", "ba", "bon"] {
        assert!(user_create(&db.url, name, "commune", "00004", "Mat-khau-2025x").status.success());
    }
    let (ok, out) = verify(&db.url);
    assert!(ok, "{out}");
    assert!(out.contains("4 entries"), "{out}");
    // The table refuses edits outright…
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    assert!(sqlx::query("UPDATE audit_log SET action = 'x' WHERE id = 2").execute(&pool).await.is_err());
    assert!(sqlx::query("DELETE FROM audit_log WHERE id = 4").execute(&pool).await.is_err());
    pool.close().await;
    // …so a tamperer disables the guard and edits a row; verify names it.
    let disable = if db.url.starts_with("postgres") {
        "ALTER TABLE audit_log DISABLE TRIGGER USER"
    } else {
        "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete"
    };
    exec(&db.url, disable).await;
    exec(&db.url, "UPDATE audit_log SET after_json = '{\"username\":\"mallory\"}' WHERE id = 2").await;
    let (ok, out) = verify(&db.url);
    assert!(!ok);
    assert!(out.contains("entry 2"), "{out}");
}

async fn audit_truncate(db: &TestDb) {
    for name in ["mot", "hai", "ba"] {
        assert!(user_create(&db.url, name, "commune", "00004", "Mat-khau-2025x").status.success());
    }
    let disable = if db.url.starts_with("postgres") {
        "ALTER TABLE audit_log DISABLE TRIGGER USER"
    } else {
        "DROP TRIGGER audit_log_no_delete"
    };
    exec(&db.url, disable).await;
    exec(&db.url, "DELETE FROM audit_log WHERE id = 3").await;
    let (ok, out) = verify(&db.url);
    assert!(!ok);
    assert!(out.contains("cut off"), "{out}");
    exec(&db.url, "DELETE FROM audit_log WHERE id = 1").await;
    let (ok, out) = verify(&db.url);
    assert!(!ok);
    assert!(out.contains("entries missing"), "{out}");
}

async fn national_demo(db: &TestDb) {
    let out = bin()
        .args(["demo", "--database-url", &db.url, "--scale", "national", "--organisations", "3000"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let store = store::Store::connect(&db.url).await.unwrap();
    let (provinces, communes, areas) = store.unit_counts(&domain::Scope::Nation).await.unwrap();
    assert_eq!((provinces, communes), (34, 3321));
    assert!((20 * 3321..=40 * 3321 + 6).contains(&areas), "{areas}");
    assert_eq!(store.count_organisations(&domain::Scope::Nation).await.unwrap(), 3000 + 18);
    assert!(store.verify_audit().await.unwrap().problem.is_none());
    store.close().await;
}

async fn serve_sigterm(db: &TestDb) {
    let mut child = bin()
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &db.url,
            "--demo",
            "--metrics-listen",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first.split("http://").nth(1).unwrap().trim().trim_end_matches('/').to_string();
    let rest: Vec<String> = lines.by_ref().take(7).map(|l| l.unwrap()).collect();
    assert!(rest.iter().any(|l| l.contains("DEMO DATA")), "{rest:?}");
    let metrics_url = rest.iter().find_map(|l| l.split("http://").nth(1).filter(|u| u.ends_with("/metrics"))).unwrap();
    let r = reqwest::get(format!("http://{url}/healthz")).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    // /metrics only on its own listener, never on the main one.
    let r = reqwest::get(format!("http://{url}/metrics")).await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let m = reqwest::get(format!("http://{metrics_url}")).await.unwrap().text().await.unwrap();
    assert!(m.contains("http_requests_total"), "{m}");
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "graceful shutdown exits 0: {exit:?}");
}

#[test]
fn a_database_that_cannot_be_opened_stops_serve() {
    for url in ["postgres://postgres@127.0.0.1:1/nothing", "sqlite:///proc/no/such/dir/x.db", "mysql://x/y"] {
        let out = bin().args(["serve", "--listen", "127.0.0.1:0", "--database-url", url]).output().unwrap();
        assert!(!out.status.success(), "{url}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("cannot open database"), "{url}: {err}");
    }
}

#[test]
fn backup_makes_a_consistent_copy() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("live.db").display());
    assert!(bin().args(["demo", "--database-url", &url]).output().unwrap().status.success());
    let target = dir.path().join("copy.db");
    let out = bin().args(["backup", "--database-url", &url, "--to", target.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let copy_url = format!("sqlite://{}", target.display());
    let (ok, out) = verify(&copy_url);
    assert!(ok, "the copy's audit chain verifies: {out}");
    // A second backup to the same file is refused rather than overwriting it.
    let out = bin().args(["backup", "--database-url", &url, "--to", target.to_str().unwrap()]).output().unwrap();
    assert!(!out.status.success());
}
