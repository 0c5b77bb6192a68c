//! The durable job queue on both databases: reminders are scheduled once, survive a
//! restart, run when due, and a job whose worker died is taken up again.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use testkit::{both_databases, TestApp, TestDb};

both_databases! {
    reminders_survive_a_restart_and_notify => reminders;
    reminders_are_emailed_when_smtp_is_configured => emailed;
    overdue_cases_are_emailed_to_the_unit_above => escalation_emailed;
    reminders_skip_those_who_have_sent => only_those_who_owe;
}

async fn only_those_who_owe(db: &TestDb) {
    use serde_json::json;
    let t = TestApp::start(db).await;
    let sent = t.user("xa.badinh", "commune", Some("00004"), None).await;
    let owes = t.user("xa.ngocha", "commune", Some("00008"), None).await;
    let tok = t.token("xa.badinh").await;
    // Ba Đình has sent its own self-assessment and has no residential area; Ngọc Hà
    // has sent nothing.
    let body = json!({"year": 2026, "instrument": "safe_unit", "unit_code": "00004", "answers": []});
    let (s, a) = t.post_json(&tok, "/api/v1/assessments", &body).await;
    assert_eq!(s, 201, "{a}");
    let (s, b) =
        t.post_json(&tok, &format!("/api/v1/assessments/{}/transition", a["id"]), &json!({"to": "submitted"})).await;
    assert_eq!(s, 200, "{b}");
    t.app.schedule_reminders(2026, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()).await.unwrap();
    t.app.run_due_jobs(ms(2026, 12, 20)).await.unwrap();
    assert_eq!(t.app.store.notifications(sent, 10).await.unwrap().len(), 0, "nothing owed, nothing sent");
    let got = t.app.store.notifications(owes, 10).await.unwrap();
    assert_eq!(got.len(), 3, "the commune's three reminders, none about residential areas it does not have");
    t.stop().await;
}

/// A minimal SMTP server on loopback that accepts one connection per message and
/// hands each message's text to the channel.
async fn fake_smtp() -> (u16, tokio::sync::mpsc::UnboundedReceiver<String>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 fake ESMTP\r\n").await.unwrap();
                let mut data = String::new();
                let mut in_data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            let _ = tx.send(std::mem::take(&mut data));
                            w.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let reply: &[u8] = match line.get(..4).unwrap_or("").to_ascii_uppercase().as_str() {
                        "EHLO" | "HELO" => b"250 fake\r\n",
                        "DATA" => {
                            in_data = true;
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            w.write_all(b"221 bye\r\n").await.unwrap();
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    w.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, rx)
}

async fn emailed(db: &TestDb) {
    let (port, mut inbox) = fake_smtp().await;
    let config = app::AppConfig { smtp_url: Some(format!("smtp://127.0.0.1:{port}")), ..Default::default() };
    let t = TestApp::start_with(db, config).await;
    let input = app::users::NewUserInput {
        username: "xa.mail".into(),
        display_name: None,
        password: testkit::PASSWORD.into(),
        role: "commune".into(),
        unit_code: Some("00004".into()),
        organisation_id: None,
        email: Some("canbo@congan.example".into()),
    };
    t.app.create_user(None, &input).await.unwrap();
    // The commune owes a residential area's self-assessment and its own.
    let tok = t.token("xa.mail").await;
    let area = serde_json::json!({"parent_code": "00004", "name": "Tổ dân phố số 2", "division_type": "tổ dân phố"});
    assert_eq!(t.post_json(&tok, "/api/v1/units", &area).await.0, 201);
    t.app.schedule_reminders(2026, NaiveDate::from_ymd_opt(2026, 11, 18).unwrap()).await.unwrap();
    assert!(t.app.run_due_jobs(ms(2026, 11, 19)).await.unwrap() >= 1);
    // (A guard, not a wait: the mail was sent before run_due_jobs returned.)
    let mail = tokio::time::timeout(std::time::Duration::from_secs(30), inbox.recv()).await.expect("a mail").unwrap();
    assert!(mail.contains("canbo@congan.example"), "{mail}");
    assert!(mail.contains("Subject:"), "{mail}");
    t.stop().await;
}

fn ms(y: i32, m: u32, d: u32) -> i64 {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(12, 0, 0).unwrap().and_utc().timestamp_millis()
}

async fn reminders(db: &TestDb) {
    let t = TestApp::start(db).await;
    let commune = t.user("xa.badinh", "commune", Some("00004"), None).await;
    // A residential area whose self-assessment the commune still owes.
    let tok = t.token("xa.badinh").await;
    let area = serde_json::json!({"parent_code": "00004", "name": "Tổ dân phố số 1", "division_type": "tổ dân phố"});
    assert_eq!(t.post_json(&tok, "/api/v1/units", &area).await.0, 201);
    let province = t.user("tinh.hn", "province", Some("01"), None).await;
    let today = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    assert_eq!(t.app.schedule_reminders(2026, today).await.unwrap(), 9);
    assert_eq!(t.app.schedule_reminders(2026, today).await.unwrap(), 0, "scheduling is idempotent");
    // Nothing is due yet on 1 November.
    assert_eq!(t.app.run_due_jobs(ms(2026, 11, 1)).await.unwrap(), 0);
    // A worker claims the first reminder and dies before finishing it.
    let claimed = t.app.store.claim_due_jobs(ms(2026, 11, 13), 1, 60_000).await.unwrap();
    assert_eq!(claimed.len(), 1);
    t.stop().await;

    // Restart: a new process over the same database.
    let t = TestApp::start(db).await;
    assert_eq!(t.app.store.job_counts().await.unwrap(), (8, 1, 0, 0));
    // Within the dead worker's lock the job waits; after it, it runs again.
    assert_eq!(t.app.run_due_jobs(ms(2026, 11, 13) + 30_000).await.unwrap(), 0);
    assert_eq!(t.app.run_due_jobs(ms(2026, 11, 13) + 120_000).await.unwrap(), 1);
    let n = t.app.store.notifications(commune, 10).await.unwrap();
    assert_eq!(n.len(), 1);
    assert!(n[0].body.contains("20/11/2026") && n[0].body.contains("còn 7 ngày"), "{}", n[0].body);
    // Everything else runs by mid-December; the province gets its summary reminders.
    assert_eq!(t.app.run_due_jobs(ms(2026, 12, 20)).await.unwrap(), 8);
    assert_eq!(t.app.store.job_counts().await.unwrap(), (0, 0, 9, 0));
    assert_eq!(t.app.store.notifications(province, 10).await.unwrap().len(), 3);
    assert_eq!(t.app.store.notifications(commune, 10).await.unwrap().len(), 6);
    t.stop().await;
}

async fn escalation_emailed(db: &TestDb) {
    let (port, mut inbox) = fake_smtp().await;
    let config = app::AppConfig { smtp_url: Some(format!("smtp://127.0.0.1:{port}")), ..Default::default() };
    let t = TestApp::start_with(db, config).await;
    let input = app::users::NewUserInput {
        username: "tinh.mail".into(),
        display_name: None,
        password: testkit::PASSWORD.into(),
        role: "province".into(),
        unit_code: Some("01".into()),
        organisation_id: None,
        email: Some("truc.ban@congan-hanoi.example".into()),
    };
    t.app.create_user(None, &input).await.unwrap();
    let case = app::cases::CaseInput {
        kind: "feedback".into(),
        unit_code: "00004".into(),
        description: "Đèn đường hỏng.".into(),
        anonymous: false,
        contact: Some(app::cases::Contact {
            name: Some("Lê Thị Hoa".into()),
            phone: Some("0933444555".into()),
            email: None,
        }),
        address: None,
    };
    let receipt = t.app.submit_public_case(&case, &[], "test", "web").await.unwrap();
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    sqlx::query("UPDATE cases SET due_date = '2020-01-01'").execute(&pool).await.unwrap();
    pool.close().await;
    let now = store::clock::now_ms();
    assert_eq!(t.app.schedule_escalations(now).await.unwrap(), 1);
    assert!(t.app.run_due_jobs(now).await.unwrap() >= 1);
    // (A guard, not a wait: the mail was sent before run_due_jobs returned.)
    let mail = tokio::time::timeout(std::time::Duration::from_secs(30), inbox.recv()).await.expect("a mail").unwrap();
    assert!(mail.contains("truc.ban@congan-hanoi.example"), "{mail}");
    assert!(mail.contains(&receipt.receipt_code), "the notice names the case: {mail}");
    assert!(!mail.contains("0933444555") && !mail.contains(&receipt.secret), "never the contact or the secret");
    t.stop().await;
}
