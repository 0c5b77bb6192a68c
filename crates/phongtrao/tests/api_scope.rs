//! Scope escapes over HTTP, on SQLite and PostgreSQL: outside one's scope a record
//! does not exist (404), lists never leak, writes cannot reach out.
#![allow(clippy::unwrap_used)]

use serde_json::json;
use testkit::{both_databases, TestApp, TestDb};

both_databases! {
    commune_officer_cannot_reach_another_commune => commune_escape;
    province_officer_cannot_reach_another_province => province_escape;
    lists_do_not_leak => lists_stay_in_scope;
    organisation_contact_sees_only_its_own => organisation_scope;
    viewer_is_read_only => viewer_read_only;
    nobody_grants_above_themselves => grants_stay_below;
}

async fn org(t: &TestApp, token: &str, name: &str, unit: &str) -> i64 {
    let (s, b) = t
        .post_json(token, "/api/v1/organisations", &json!({"name": name, "kind": "enterprise", "unit_code": unit}))
        .await;
    assert_eq!(s, 201, "{b}");
    b["id"].as_i64().unwrap()
}

async fn commune_escape(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("ba.dinh", "commune", Some("00004"), None).await;
    t.user("ngoc.ha", "commune", Some("00008"), None).await;
    let a = t.token("ba.dinh").await;
    let b = t.token("ngoc.ha").await;
    let theirs = org(&t, &b, "Công ty Ngọc Hà", "00008").await;
    let mine = org(&t, &a, "Công ty Ba Đình", "00004").await;

    // Read another commune's organisation: it does not exist.
    let (s, body) = t.get_json(&a, &format!("/api/v1/organisations/{theirs}")).await;
    assert_eq!(s, 404);
    assert_eq!(body["error"]["code"], "not_found");
    // Edit it: also 404, and nothing changed.
    let (s, _) = t
        .put_json(
            &a,
            &format!("/api/v1/organisations/{theirs}"),
            &json!({"name": "Hijacked", "kind": "other", "unit_code": "00008"}),
        )
        .await;
    assert_eq!(s, 404);
    let (_, still) = t.get_json(&b, &format!("/api/v1/organisations/{theirs}")).await;
    assert_eq!(still["name"], "Công ty Ngọc Hà");
    // Move my organisation into their commune: refused.
    let (s, _) = t
        .put_json(
            &a,
            &format!("/api/v1/organisations/{mine}"),
            &json!({"name": "Moved", "kind": "other", "unit_code": "00008"}),
        )
        .await;
    assert_eq!(s, 422);
    // Create in their commune: refused, nothing written.
    let before = t.count_all_organisations().await;
    let (s, _) =
        t.post_json(&a, "/api/v1/organisations", &json!({"name": "X", "kind": "other", "unit_code": "00008"})).await;
    assert_eq!(s, 422);
    // Add a residential area to their commune: refused.
    let (s, _) = t
        .post_json(&a, "/api/v1/units", &json!({"parent_code": "00008", "name": "Tổ 1", "division_type": "tổ dân phố"}))
        .await;
    assert_eq!(s, 422);
    assert_eq!(t.count_all_organisations().await, before);
    // Import into their commune: the row is reported, nothing written.
    let (s, body) = t
        .post_raw(
            &a,
            "/api/v1/organisations/import",
            "text/csv",
            b"name,kind,unit_code\nA,school,00004\nB,school,00008\n".to_vec(),
        )
        .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(body["rows"][0]["row"], 3);
    assert_eq!(t.count_all_organisations().await, before);
    t.stop().await;
}

async fn province_escape(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("hn.commune", "commune", Some("00004"), None).await;
    t.user("hcm.commune", "commune", Some("25747"), None).await;
    t.user("hn.province", "province", Some("01"), None).await;
    let hn = t.token("hn.commune").await;
    let hcm = t.token("hcm.commune").await;
    let in_hn = org(&t, &hn, "Trường THCS Ba Đình", "00004").await;
    let in_hcm = org(&t, &hcm, "Trường THCS Thủ Dầu Một", "25747").await;
    let (p, _) = t.token_with_totp("hn.province").await;
    let (s, _) = t.get_json(&p, &format!("/api/v1/organisations/{in_hn}")).await;
    assert_eq!(s, 200);
    let (s, _) = t.get_json(&p, &format!("/api/v1/organisations/{in_hcm}")).await;
    assert_eq!(s, 404);
    let (s, _) = t
        .put_json(
            &p,
            &format!("/api/v1/organisations/{in_hcm}"),
            &json!({"name": "X", "kind": "other", "unit_code": "25747"}),
        )
        .await;
    assert_eq!(s, 404);
    let (s, _) =
        t.post_json(&p, "/api/v1/organisations", &json!({"name": "X", "kind": "other", "unit_code": "25747"})).await;
    assert_eq!(s, 422);
    // Filtering by another province's code returns nothing rather than its rows.
    let (s, body) = t.get_json(&p, "/api/v1/organisations?unit=79").await;
    assert_eq!(s, 200);
    assert_eq!(body["total"], 0);
    t.stop().await;
}

async fn lists_stay_in_scope(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("c1", "commune", Some("00004"), None).await;
    t.user("c2", "commune", Some("25747"), None).await;
    let c1 = t.token("c1").await;
    let c2 = t.token("c2").await;
    for i in 0..3 {
        org(&t, &c1, &format!("Doanh nghiệp Hà Nội {i}"), "00004").await;
    }
    org(&t, &c2, "Doanh nghiệp Thủ Dầu Một", "25747").await;
    let (_, body) = t.get_json(&c1, "/api/v1/organisations?q=doanh%20nghiep").await;
    assert_eq!(body["total"], 3);
    assert!(body["items"].as_array().unwrap().iter().all(|o| o["unit_code"] == "00004"));
    let (_, body) = t.get_json(&c2, "/api/v1/organisations").await;
    assert_eq!(body["total"], 1);
    // Users and audit lists are scoped too.
    let (_, users) = t.get_json(&c1, "/api/v1/users").await;
    assert!(users["items"].as_array().unwrap().iter().all(|u| u["username"] != "c2"));
    let (_, audit) = t.get_json(&c1, "/api/v1/audit?size=200").await;
    assert!(audit["items"].as_array().unwrap().iter().all(|a| a["actor_name"] != "c2"), "{audit}");
    // The exports are scoped.
    let r = t.http.get(t.url("/api/v1/organisations/export?format=csv")).bearer_auth(&c1).send().await.unwrap();
    let csv = r.text().await.unwrap();
    assert!(csv.contains("Doanh nghiệp Hà Nội 0"));
    assert!(!csv.contains("Thủ Dầu Một"));
    t.stop().await;
}

async fn organisation_scope(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("c1", "commune", Some("00004"), None).await;
    let c1 = t.token("c1").await;
    let own = org(&t, &c1, "Công ty A", "00004").await;
    let other = org(&t, &c1, "Công ty B", "00004").await;
    t.user("contact.a", "organisation", None, Some(own)).await;
    let a = t.token("contact.a").await;
    let (s, _) = t.get_json(&a, &format!("/api/v1/organisations/{own}")).await;
    assert_eq!(s, 200);
    let (s, _) = t.get_json(&a, &format!("/api/v1/organisations/{other}")).await;
    assert_eq!(s, 404);
    let (_, list) = t.get_json(&a, "/api/v1/organisations").await;
    assert_eq!(list["total"], 1);
    // Edits its own record, but cannot create organisations.
    let (s, _) = t
        .put_json(
            &a,
            &format!("/api/v1/organisations/{own}"),
            &json!({"name": "Công ty A (mới)", "kind": "enterprise", "unit_code": "00004", "address": "Số 1"}),
        )
        .await;
    assert_eq!(s, 200);
    let (s, _) =
        t.post_json(&a, "/api/v1/organisations", &json!({"name": "Y", "kind": "other", "unit_code": "00004"})).await;
    assert_eq!(s, 403);
    t.stop().await;
}

async fn viewer_read_only(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("viewer1", "viewer", Some("01"), None).await;
    let v = t.token("viewer1").await;
    let (s, _) = t.get_json(&v, "/api/v1/organisations").await;
    assert_eq!(s, 200);
    let (s, body) =
        t.post_json(&v, "/api/v1/organisations", &json!({"name": "Y", "kind": "other", "unit_code": "00004"})).await;
    assert_eq!(s, 403);
    assert_eq!(body["error"]["code"], "auth.read_only");
    t.stop().await;
}

async fn grants_stay_below(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("c1", "commune", Some("00004"), None).await;
    let c1 = t.token("c1").await;
    let mk = |role: &str, unit: &str| json!({"username": format!("new.{role}.{unit}"), "password": "Mat-khau-2025x", "role": role, "unit_code": unit});
    // A role above one's own.
    let (s, body) = t.post_json(&c1, "/api/v1/users", &mk("province", "01")).await;
    assert_eq!(s, 403, "{body}");
    // A unit above or beside one's own scope.
    let (s, _) = t.post_json(&c1, "/api/v1/users", &mk("viewer", "01")).await;
    assert_eq!(s, 422);
    let (s, _) = t.post_json(&c1, "/api/v1/users", &mk("commune", "00008")).await;
    assert_eq!(s, 422);
    // Within scope and rank: allowed.
    let (s, body) = t.post_json(&c1, "/api/v1/users", &mk("viewer", "00004")).await;
    assert_eq!(s, 201, "{body}");
    assert!(body.get("password_hash").is_none());
    t.stop().await;
}
