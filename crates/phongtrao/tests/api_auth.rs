//! Authentication over HTTP on both databases: CSRF, throttling, TOTP, sessions.
#![allow(clippy::unwrap_used)]

use serde_json::json;
use testkit::{both_databases, TestApp, TestDb, PASSWORD};

both_databases! {
    forms_without_csrf_are_rejected => csrf;
    failures_lock_one_client_out_of_one_account => throttling;
    privileged_roles_must_enrol_totp => totp;
    logout_everywhere_and_password_change => sessions;
    clients_behind_a_trusted_proxy_are_told_apart => behind_proxy;
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

/// Logs in from a loopback address of its own (each one a separate client);
/// returns (status, error code, whether Retry-After was sent).
async fn login_from(t: &TestApp, client: &str, user: &str, password: &str, totp: Option<&str>) -> (u16, String, bool) {
    let http = reqwest::Client::builder().local_address(client.parse::<std::net::IpAddr>().unwrap()).build().unwrap();
    let mut body = json!({"username": user, "password": password});
    if let Some(code) = totp {
        body["totp"] = json!(code);
    }
    let r = http.post(t.url("/api/v1/auth/login")).json(&body).send().await.unwrap();
    let status = r.status().as_u16();
    let retry = r.headers().get("retry-after").is_some();
    let b: serde_json::Value = r.json().await.unwrap_or_default();
    (status, b["error"]["code"].as_str().unwrap_or("").to_string(), retry)
}

async fn throttling(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("c1", "commune", Some("00004"), None).await;
    // Client A fails five times on c1: A is locked out of c1 ...
    let mut seen_known = Vec::new();
    for _ in 0..6 {
        seen_known.push(login_from(&t, "127.0.0.11", "c1", "wrong-password-1", None).await);
    }
    assert_eq!(seen_known[0].0, 401);
    assert_eq!(seen_known[0].1, "auth.bad_credentials");
    assert_eq!(seen_known[4].0, 429, "{seen_known:?}");
    assert_eq!(seen_known[4].1, "auth.locked");
    assert!(seen_known.iter().filter(|s| s.0 == 429).all(|s| s.2), "every 429 carries Retry-After");
    let (s, code, _) = login_from(&t, "127.0.0.11", "c1", PASSWORD, None).await;
    assert_eq!((s, code.as_str()), (429, "auth.locked"));
    // ... but the owner on a client that has not failed logs in.
    let (s, code, _) = login_from(&t, "127.0.0.12", "c1", PASSWORD, None).await;
    assert_eq!(s, 200, "{code}");
    // An unknown name answers exactly like a known one, step by step.
    let mut seen_unknown = Vec::new();
    for _ in 0..6 {
        seen_unknown.push(login_from(&t, "127.0.0.13", "nobody", "wrong-password-1", None).await);
    }
    assert_eq!(seen_unknown, seen_known, "known and unknown accounts answer alike");
    // Many clients failing on one name (ten and more): the slower global back-off
    // still lets the owner in from a clean client.
    for i in 0..12 {
        let (s, _, _) = login_from(&t, &format!("127.0.1.{i}"), "c1", "wrong-password-1", None).await;
        assert_eq!(s, 401);
    }
    let (s, code, _) = login_from(&t, "127.0.0.14", "c1", PASSWORD, None).await;
    assert_eq!(s, 200, "{code}");
    // Per client: a flood of failures over many names is throttled too.
    let mut last = (0, String::new(), false);
    for i in 0..25 {
        last = login_from(&t, "127.0.0.15", &format!("ghost{i}"), "x", None).await;
    }
    assert_eq!((last.0, last.1.as_str(), last.2), (429, "auth.client_throttled", true));
    // Every attempt is in the audit log.
    let (rows, _) = t.app.store.list_audit(&domain::Scope::Nation, 500, 0).await.unwrap();
    assert!(rows.iter().filter(|r| r.action == "auth.login_failed").count() >= 40);
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
    assert!(e["qr_svg"].as_str().unwrap().starts_with("<svg"), "the QR code drawn on the server: {e}");
    let (s, _) = t.post_json(&first, "/api/v1/auth/totp/confirm", &json!({"code": "000000"})).await;
    assert_eq!(s, 422);
    // A wrong code keeps the secret: the account page shows the same one again.
    let page = t.http.get(t.url("/account")).bearer_auth(&first).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(secret) && page.contains("id=\"totp-qr\""), "the pending enrolment is shown again");
    let code = app::auth::current_totp(secret, "p1").unwrap();
    let (s, confirmed) = t.post_json(&first, "/api/v1/auth/totp/confirm", &json!({"code": code})).await;
    assert_eq!(s, 200);
    let recovery: Vec<String> =
        confirmed["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    assert_eq!(recovery.len(), 8, "recovery codes shown once: {confirmed}");
    // The code that confirmed the enrolment cannot log in (RFC 6238 §5.2).
    let (s, b) = t.login_raw("p1", PASSWORD, Some(&code)).await;
    assert_eq!((s, b["error"]["code"].as_str()), (401, Some("auth.bad_credentials")), "{b}");
    // From now on login needs the code; without it the answer is the same as for a
    // wrong password (it does not tell that the password was right).
    let (s, b) = t.login_raw("p1", PASSWORD, None).await;
    assert_eq!((s, b["error"]["code"].as_str()), (401, Some("auth.bad_credentials")), "{b}");
    let (s, wrong) = t.login_raw("p1", "wrong-password-9", None).await;
    assert_eq!((s, &wrong["error"]), (401, &b["error"]));
    // The next code logs in once: four clients sending it at the same moment get
    // one 200 between them.
    let code = app::auth::totp_at(secret, "p1", 1).unwrap();
    let (a, b, c, d) = tokio::join!(
        login_from(&t, "127.0.0.21", "p1", PASSWORD, Some(&code)),
        login_from(&t, "127.0.0.22", "p1", PASSWORD, Some(&code)),
        login_from(&t, "127.0.0.23", "p1", PASSWORD, Some(&code)),
        login_from(&t, "127.0.0.24", "p1", PASSWORD, Some(&code)),
    );
    let mut statuses = vec![a.0, b.0, c.0, d.0];
    statuses.sort();
    assert_eq!(statuses, vec![200, 401, 401, 401], "a code logs in once");
    // A lost phone: a recovery code in place of the code, typed loosely, once.
    let loose = recovery[0].replace('-', "").to_lowercase();
    let (s, b) = t.login_raw("p1", PASSWORD, Some(&loose)).await;
    assert_eq!(s, 200, "{b}");
    let (s, _) = t.login_raw("p1", PASSWORD, Some(&recovery[0])).await;
    assert_eq!(s, 401, "a recovery code works once");
    let (s, _) = t.login_raw("p1", "wrong-password-9", Some(&recovery[1])).await;
    assert_eq!(s, 401, "never without the password");
    // An earlier step than the one used is refused too.
    let older = app::auth::totp_at(secret, "p1", 0).unwrap();
    let (s, _, _) = login_from(&t, "127.0.0.25", "p1", PASSWORD, Some(&older)).await;
    assert_eq!(s, 401);
    // The session of the enrolment now reaches everything.
    let tok = first.as_str();
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

/// A request as the reverse proxy at 127.0.0.1 sends it for `client` (appending
/// the address it saw to X-Forwarded-For), or — from 127.0.0.2, which is no trusted
/// proxy — a client forging the header.
async fn via(t: &TestApp, peer: &str, xff: &str, path: &str, body: &serde_json::Value) -> u16 {
    let http = reqwest::Client::builder().local_address(peer.parse::<std::net::IpAddr>().unwrap()).build().unwrap();
    let r = http.post(t.url(path)).header("x-forwarded-for", xff).json(body).send().await.unwrap();
    r.status().as_u16()
}

async fn behind_proxy(db: &TestDb) {
    let web_config = web::WebConfig {
        trusted_proxies: web::client_addr::parse_trusted(&["127.0.0.1".into()]).unwrap(),
        ..Default::default()
    };
    let t = TestApp::start_web(db, app::AppConfig::default(), web_config).await;
    t.user("c1", "commune", Some("00004"), None).await;
    let login = |user: &str, pw: &str| json!({"username": user, "password": pw});
    // One client behind the proxy floods failures over many names: it is throttled ...
    let mut last = 0;
    for i in 0..25 {
        last = via(&t, "127.0.0.1", "203.0.113.7", "/api/v1/auth/login", &login(&format!("ghost{i}"), "x")).await;
    }
    assert_eq!(last, 429);
    // ... and another client behind the same proxy is not.
    assert_eq!(via(&t, "127.0.0.1", "198.51.100.20", "/api/v1/auth/login", &login("c1", PASSWORD)).await, 200);
    // A client in front of the proxy cannot pick its address: the proxy appends the
    // real one, and that right-most untrusted hop is the client.
    assert_eq!(
        via(&t, "127.0.0.1", "198.51.100.21, 203.0.113.7", "/api/v1/auth/login", &login("c1", PASSWORD)).await,
        429
    );
    // A peer that is no trusted proxy is its own client, whatever it forwards.
    let mut last = 0;
    for i in 0..25 {
        last = via(&t, "127.0.0.2", &format!("192.0.2.{i}"), "/api/v1/auth/login", &login(&format!("g{i}"), "x")).await;
    }
    assert_eq!(last, 429, "a forged X-Forwarded-For from an untrusted peer is ignored");
    // Public submissions: the per-client limit (10 a minute) counts each citizen behind the proxy.
    let case =
        json!({"kind": "feedback", "unit_code": "00004", "anonymous": true, "description": "Đèn đường hỏng ở ngõ 5."});
    let mut statuses = Vec::new();
    for _ in 0..11 {
        statuses.push(via(&t, "127.0.0.1", "203.0.113.50", "/api/v1/public/cases", &case).await);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 10, "{statuses:?}");
    assert_eq!(statuses[10], 429);
    assert_eq!(via(&t, "127.0.0.1", "203.0.113.51", "/api/v1/public/cases", &case).await, 201);
    // Receipt lookups: ten wrong secrets block that citizen only.
    let lookup = json!({"receipt_code": "ACD-EFG-HJK", "secret": "wrong"});
    for _ in 0..12 {
        via(&t, "127.0.0.1", "203.0.113.60", "/api/v1/public/cases/lookup", &lookup).await;
    }
    assert_eq!(via(&t, "127.0.0.1", "203.0.113.60", "/api/v1/public/cases/lookup", &lookup).await, 429);
    assert_eq!(via(&t, "127.0.0.1", "203.0.113.61", "/api/v1/public/cases/lookup", &lookup).await, 404);
    t.stop().await;
}
