//! Two `phongtrao` servers on one database, as a deployment that outgrew one machine
//! runs them behind a load balancer: a session opened on one works on the other,
//! public intake on both keeps every acknowledged case, and each queued job
//! (escalations here; reminders and mails share the queue) runs exactly once however
//! the two workers race. PostgreSQL is the deployment's database; SQLite (one file,
//! two processes' worth of pools) is checked too.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};
use testkit::{both_databases, TestApp, TestDb};

both_databases! {
    two_servers_share_sessions_intake_and_jobs => two_servers;
}

async fn exec(url: &str, sql: &str) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    sqlx::raw_sql(sql).execute(&pool).await.unwrap();
    pool.close().await;
}

async fn count(url: &str, sql: &str) -> i64 {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&pool).await.unwrap();
    pool.close().await;
    n
}

async fn two_servers(db: &TestDb) {
    let config = app::AppConfig { public_submissions_per_minute: 0, ..Default::default() };
    let a = TestApp::start_with(db, config.clone()).await;
    let b = TestApp::start_with(db, config).await;
    assert_ne!(a.base, b.base);
    a.user("xa.badinh", "commune", Some("00004"), None).await;
    let province = a.user("tinh.hanoi", "province", Some("01"), None).await;

    // A session opened on A works on B, and a logout on B ends it on A.
    let token = a.token("xa.badinh").await;
    let (s, me) = b.get_json(&token, "/api/v1/me").await;
    assert_eq!(s, 200, "{me}");

    // Public intake on both at once: every acknowledged case is stored, on either.
    let mut tasks = Vec::new();
    for i in 0..40 {
        let (http, url) = if i % 2 == 0 { (a.http.clone(), a.url("")) } else { (b.http.clone(), b.url("")) };
        tasks.push(tokio::spawn(async move {
            let body = json!({"kind": "feedback", "unit_code": "00004", "anonymous": true,
                "description": format!("Case {i}: rác thải chưa được thu gom.")});
            let r = http.post(format!("{url}/api/v1/public/cases")).json(&body).send().await.unwrap();
            assert_eq!(r.status().as_u16(), 201);
            let v: Value = r.json().await.unwrap();
            (v["receipt_code"].as_str().unwrap().to_string(), v["secret"].as_str().unwrap().to_string())
        }));
    }
    let mut acked = Vec::new();
    for t in tasks {
        acked.push(t.await.unwrap());
    }
    for (i, (code, secret)) in acked.iter().enumerate() {
        let other = if i % 2 == 0 { &b } else { &a };
        let (s, _) =
            other.post_json("", "/api/v1/public/cases/lookup", &json!({"receipt_code": code, "secret": secret})).await;
        assert_eq!(s, 200, "case {code} acknowledged by one server is found on the other");
    }
    assert_eq!(count(&db.url, "SELECT COUNT(*) FROM cases").await, 40);

    // Every case overdue: both servers schedule escalations and run their workers at
    // the same moment, several rounds; each job is claimed once and run once.
    exec(&db.url, "UPDATE cases SET due_date = '2020-01-10'").await;
    let now = store::clock::now_ms();
    let (sa, sb) = tokio::join!(a.app.schedule_escalations(now), b.app.schedule_escalations(now));
    assert_eq!(sa.unwrap() + sb.unwrap(), 40, "one escalation job per case, whoever scheduled it");
    for _ in 0..3 {
        let (ra, rb) = tokio::join!(a.app.run_due_jobs(now), b.app.run_due_jobs(now));
        ra.unwrap();
        rb.unwrap();
    }
    assert_eq!(count(&db.url, "SELECT COUNT(*) FROM jobs WHERE kind = 'case.escalate'").await, 40);
    assert_eq!(count(&db.url, "SELECT COUNT(*) FROM jobs WHERE kind = 'case.escalate' AND status = 'done'").await, 40);
    assert_eq!(
        count(&db.url, "SELECT COUNT(*) FROM jobs WHERE kind = 'case.escalate' AND attempts <> 1").await,
        0,
        "no job was claimed twice"
    );
    assert_eq!(count(&db.url, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.escalate'").await, 40);
    assert_eq!(count(&db.url, &format!("SELECT COUNT(*) FROM notifications WHERE user_id = {province}")).await, 40);

    // Logout on B ends the session on A.
    let (s, _) = b.post_json(&token, "/api/v1/auth/logout", &json!({})).await;
    assert_eq!(s, 204);
    let (s, _) = a.get_json(&token, "/api/v1/me").await;
    assert_eq!(s, 401);
    assert!(a.app.store.verify_audit().await.unwrap().problem.is_none(), "one audit chain, never forked");
    a.stop().await;
    b.stop().await;
}
