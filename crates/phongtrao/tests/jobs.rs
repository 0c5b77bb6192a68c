//! The durable job queue on both databases: reminders are scheduled once, survive a
//! restart, run when due, and a job whose worker died is taken up again.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use testkit::{both_databases, TestApp, TestDb};

both_databases! {
    reminders_survive_a_restart_and_notify => reminders;
}

fn ms(y: i32, m: u32, d: u32) -> i64 {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(12, 0, 0).unwrap().and_utc().timestamp_millis()
}

async fn reminders(db: &TestDb) {
    let t = TestApp::start(db).await;
    let commune = t.user("xa.badinh", "commune", Some("00004"), None).await;
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
