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
    audit_anchors_expose_a_rewritten_log => audit_anchor;
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

fn verify_with(url: &str, extra: &[&str]) -> (bool, String) {
    let out = bin().args(["audit", "verify", "--database-url", url]).args(extra).output().unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

fn head(url: &str) -> String {
    let out = bin().args(["audit", "head", "--database-url", url]).output().unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Rewrites the chain from entry `from` on as a tamperer with the database file
/// would: every later hash recomputed, the head moved; plain `verify` is fooled.
async fn rewrite_chain(url: &str, from: i64) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    type Row = (i64, i64, Option<i64>, String, String, String, Option<String>, Option<String>, String);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, at_ms, actor, action, entity, entity_id, before_json, after_json, prev_hash FROM audit_log ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut prev = String::new();
    for (id, at_ms, actor, action, entity, entity_id, before, after, prev_hash) in rows {
        if id < from {
            prev = sqlx::query_as::<_, (String,)>("SELECT hash FROM audit_log WHERE id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap()
                .0;
            continue;
        }
        let after = if id == from { Some("{\"username\":\"mallory\"}".to_string()) } else { after };
        let prev_hash = if id == from { prev_hash } else { prev.clone() };
        let c = domain::audit::AuditContent {
            id,
            at_ms,
            actor,
            action: &action,
            entity: &entity,
            entity_id: &entity_id,
            before: before.as_deref(),
            after: after.as_deref(),
        };
        let hash = domain::audit::entry_hash(&prev_hash, &c);
        sqlx::query("UPDATE audit_log SET after_json = $1, prev_hash = $2, hash = $3 WHERE id = $4")
            .bind(after)
            .bind(&prev_hash)
            .bind(&hash)
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE id = 1")
            .bind(id)
            .bind(&hash)
            .execute(&pool)
            .await
            .unwrap();
        prev = hash;
    }
    pool.close().await;
}

async fn audit_anchor(db: &TestDb) {
    for name in ["mot", "hai", "ba", "bon"] {
        assert!(user_create(&db.url, name, "commune", "00004", "Mat-khau-2025x").status.success());
    }
    let anchor = head(&db.url);
    assert!(anchor.starts_with("4:") && anchor.len() == 2 + 64, "{anchor}");
    for name in ["nam", "sau"] {
        assert!(user_create(&db.url, name, "commune", "00004", "Mat-khau-2025x").status.success());
    }
    let later = head(&db.url);
    let (ok, out) = verify_with(&db.url, &["--anchor", &anchor, "--anchor", &later]);
    assert!(ok, "{out}");
    assert!(out.contains("2 anchor(s) hold"), "{out}");
    let (ok, out) = verify_with(&db.url, &["--anchor", "12:zz"]);
    assert!(!ok, "a malformed anchor is refused: {out}");
    // Rewrite entry 2 and every later hash: plain verify is fooled, the anchor is not.
    let disable = if db.url.starts_with("postgres") {
        "ALTER TABLE audit_log DISABLE TRIGGER USER"
    } else {
        "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete"
    };
    exec(&db.url, disable).await;
    rewrite_chain(&db.url, 2).await;
    let (ok, out) = verify(&db.url);
    assert!(ok, "the rewritten chain is consistent in itself: {out}");
    let (ok, out) = verify_with(&db.url, &["--anchor", &anchor]);
    assert!(!ok);
    assert!(out.contains("#4") && out.contains("rewritten"), "{out}");
    // Cut the tail and move the head: the later anchor's entry is missing.
    exec(&db.url, "DELETE FROM audit_log WHERE id > 3").await;
    let three = sqlx::query_as::<_, (String,)>("SELECT hash FROM audit_log WHERE id = 3");
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    let h3 = three.fetch_one(&pool).await.unwrap().0;
    sqlx::query("UPDATE audit_head SET last_id = 3, last_hash = $1 WHERE id = 1")
        .bind(h3)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    assert!(verify(&db.url).0, "cut and head moved: plain verify is fooled");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("anchors.txt");
    std::fs::write(&file, format!("2025-12-01T00:00:00Z {later}\n")).unwrap();
    let (ok, out) = verify_with(&db.url, &["--anchor-file", file.to_str().unwrap()]);
    assert!(!ok);
    assert!(out.contains("#6") && out.contains("missing"), "{out}");
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
        .args([
            "demo",
            "--database-url",
            &db.url,
            "--scale",
            "national",
            "--organisations",
            "3000",
            "--programme-reports",
            "2",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let store = store::Store::connect(&db.url).await.unwrap();
    let (provinces, communes, areas) = store.unit_counts(&domain::Scope::Nation).await.unwrap();
    assert_eq!((provinces, communes), (34, 3321));
    assert!((20 * 3321..=40 * 3321 + 6).contains(&areas), "{areas}");
    assert_eq!(store.count_organisations(&domain::Scope::Nation).await.unwrap(), 3000 + 18);
    assert!(store.verify_audit().await.unwrap().problem.is_none());
    // The national programme: 14 ministry tasks, each passed on by every province.
    let year = store::clock::current_year();
    // (The labelled demo beside it adds two tasks of its own, for two provinces.)
    let tasks = store.programme(&domain::Scope::Nation, "VN", year).await.unwrap();
    let counts = store.assignment_counts(&tasks.iter().map(|t| t.id).collect::<Vec<_>>(), None).await.unwrap();
    assert_eq!(counts.values().filter(|c| c.assignees == 34).count(), 14, "{counts:?}");
    store.close().await;
}

async fn serve_sigterm(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let anchor_file = dir.path().join("anchors.txt");
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
        .arg("--audit-anchor-file")
        .arg(&anchor_file)
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
    // The head was anchored at start, before the first request; it verifies.
    let anchors = std::fs::read_to_string(&anchor_file).unwrap();
    let last = anchors.lines().last().unwrap().split_whitespace().last().unwrap().to_string();
    assert!(domain::audit::Anchor::parse(&last).is_some(), "{anchors}");
    let (ok, out) = verify_with(&db.url, &["--anchor-file", anchor_file.to_str().unwrap()]);
    assert!(ok, "{out}");
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
    // The demo's lateness looks like life: most sent before their deadline.
    let counts = Command::new("sqlite3")
        .arg(dir.path().join("live.db"))
        .arg("SELECT SUM(late = 0), SUM(late = 1) FROM assessments WHERE submitted_at IS NOT NULL")
        .output()
        .unwrap();
    let counts = String::from_utf8_lossy(&counts.stdout).trim().to_string();
    let (on_time, late) = counts.split_once('|').unwrap();
    let (on_time, late): (i64, i64) = (on_time.parse().unwrap(), late.parse().unwrap_or(0));
    assert!(on_time > 0 && on_time > late * 3, "on time {on_time}, late {late}");
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
