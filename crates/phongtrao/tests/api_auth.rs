//! Authentication over HTTP on both databases: CSRF, throttling, TOTP, sessions.
#![allow(clippy::unwrap_used)]

use serde_json::json;
use testkit::{both_databases, TestApp, TestDb, PASSWORD};

both_databases! {
    forms_without_csrf_are_rejected => csrf;
    repeated_failures_lock_the_account => throttling;
    privileged_roles_must_enrol_totp => totp;
    logout_everywhere_and_password_change => sessions;
}

fn csrf_in(html: &str) -> String {
    let i = html.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    html[i..].split('"').next().unwrap().to_string()
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn csrf(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("c1", "commune", Some("00004"), None).await;
    let c = browser();
    // The login form itself is protected: a post without the form's token fails.
    let r = c
        .post(t.url("/login"))
        .form(&[("username", "c1"), ("password", PASSWORD), ("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let page = c.get(t.url("/login")).send().await.unwrap().text().await.unwrap();
    let token = csrf_in(&page);
    let r = c
        .post(t.url("/login"))
        .form(&[("username", "c1"), ("password", PASSWORD), ("csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    let page = c.get(t.url("/organisations/new")).send().await.unwrap().text().await.unwrap();
    let session_csrf = csrf_in(&page);
    let form = [("name", "Công ty CSRF"), ("kind", "enterprise"), ("unit_code", "00004")];
    // No token: refused, nothing written.
    let r = c.post(t.url("/organisations")).form(&form).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // A wrong token: refused.
    let r = c
        .post(t.url("/organisations"))
        .form(&[("name", "X"), ("kind", "other"), ("unit_code", "00004"), ("csrf", "00")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // JSON through the cookie session without the header: refused.
    let r = c
        .post(t.url("/api/v1/organisations"))
        .json(&json!({"name": "X", "kind": "other", "unit_code": "00004"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(t.count_all_organisations().await, 0);
    // With the token: accepted.
    let mut with = form.to_vec();
    with.push(("csrf", session_csrf.as_str()));
    let r = c.post(t.url("/organisations")).form(&with).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(t.count_all_organisations().await, 1);
    t.stop().await;
}

async fn throttling(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("c1", "commune", Some("00004"), None).await;
    for i in 0..4 {
        let (s, b) = t.login_raw("c1", "wrong-password-1", None).await;
        assert_eq!(s, 401, "attempt {i}: {b}");
        assert_eq!(b["error"]["message"], "Tên đăng nhập hoặc mật khẩu không đúng.");
    }
    let (s, b) = t.login_raw("c1", "wrong-password-1", None).await;
    assert_eq!(s, 429, "{b}");
    assert_eq!(b["error"]["code"], "auth.locked");
    // Now even the right password is refused until the lock expires.
    let (s, b) = t.login_raw("c1", PASSWORD, None).await;
    assert_eq!(s, 429);
    assert!(b["error"]["message"].as_str().unwrap().contains("tạm khóa"));
    // Unknown accounts answer exactly like wrong passwords.
    let (s, b) = t.login_raw("nobody", "whatever-123", None).await;
    assert_eq!((s, b["error"]["code"].as_str()), (401, Some("auth.bad_credentials")));
    // Per client: a flood of failures over many names is throttled too.
    let mut last = 0;
    for i in 0..25 {
        last = t.login_raw(&format!("ghost{i}"), "x", None).await.0;
    }
    assert_eq!(last, 429);
    // Every attempt is in the audit log.
    let (rows, _) = t.app.store.list_audit(&domain::Scope::Nation, 500, 0).await.unwrap();
    assert!(rows.iter().filter(|r| r.action == "auth.login_failed").count() >= 6);
    t.stop().await;
}

async fn totp(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("p1", "province", Some("01"), None).await;
    let first = t.token("p1").await;
    // Before enrolment a province officer can do nothing but enrol.
    let (s, b) = t.get_json(&first, "/api/v1/organisations").await;
    assert_eq!(s, 403);
    assert_eq!(b["error"]["code"], "auth.totp_enrolment_required");
    let (s, _) = t.get_json(&first, "/api/v1/me").await;
    assert_eq!(s, 200);
    let (s, e) = t.post_json(&first, "/api/v1/auth/totp/enrol", &json!({})).await;
    assert_eq!(s, 200);
    let secret = e["secret"].as_str().unwrap();
    assert!(e["otpauth_url"].as_str().unwrap().starts_with("otpauth://totp/"));
    let (s, _) = t.post_json(&first, "/api/v1/auth/totp/confirm", &json!({"code": "000000"})).await;
    assert_eq!(s, 422);
    let code = app::auth::current_totp(secret, "p1").unwrap();
    let (s, _) = t.post_json(&first, "/api/v1/auth/totp/confirm", &json!({"code": code})).await;
    assert_eq!(s, 200);
    // From now on login needs the code.
    let (s, b) = t.login_raw("p1", PASSWORD, None).await;
    assert_eq!(s, 401);
    assert_eq!(b["error"]["code"], "auth.totp_required");
    let code = app::auth::current_totp(secret, "p1").unwrap();
    let (s, b) = t.login_raw("p1", PASSWORD, Some(&code)).await;
    assert_eq!(s, 200);
    let tok = b["token"].as_str().unwrap();
    let (s, _) = t.get_json(tok, "/api/v1/organisations").await;
    assert_eq!(s, 200);
    // Commune accounts are not forced.
    t.user("c1", "commune", Some("00004"), None).await;
    let c = t.token("c1").await;
    let (s, _) = t.get_json(&c, "/api/v1/organisations").await;
    assert_eq!(s, 200);
    t.stop().await;
}

async fn sessions(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("c1", "commune", Some("00004"), None).await;
    let a = t.token("c1").await;
    let b = t.token("c1").await;
    let (s, body) = t.post_json(&a, "/api/v1/auth/logout-everywhere", &json!({})).await;
    assert_eq!(s, 200);
    assert_eq!(body["sessions_ended"], 2);
    let (s, _) = t.get_json(&b, "/api/v1/me").await;
    assert_eq!(s, 401);
    let c = t.token("c1").await;
    let (s, _) = t
        .post_json(
            &c,
            "/api/v1/auth/password",
            &json!({"current_password": "nope-nope-1", "new_password": "Mat-khau-moi-2025"}),
        )
        .await;
    assert_eq!(s, 422);
    let (s, _) =
        t.post_json(&c, "/api/v1/auth/password", &json!({"current_password": PASSWORD, "new_password": "short"})).await;
    assert_eq!(s, 422);
    let (s, _) = t
        .post_json(
            &c,
            "/api/v1/auth/password",
            &json!({"current_password": PASSWORD, "new_password": "Mat-khau-moi-2025"}),
        )
        .await;
    assert_eq!(s, 204);
    let (s, _) = t.get_json(&c, "/api/v1/me").await;
    assert_eq!(s, 200, "the current session survives");
    assert_eq!(t.login_raw("c1", PASSWORD, None).await.0, 401);
    assert_eq!(t.login_raw("c1", "Mat-khau-moi-2025", None).await.0, 200);
    t.stop().await;
}
