//! Citizens' cases over HTTP on SQLite and PostgreSQL: the citizen's flow with code
//! and secret, the officer's inbox and actions within scope, routing, the denouncer's
//! secrecy, each bad input (nothing stored), throttles, the calendar endpoints and
//! Open311.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};
use testkit::{both_databases, TestApp, TestDb};

both_databases! {
    citizen_and_officer_flow => citizen_and_officer_flow;
    cases_stay_in_scope => cases_stay_in_scope;
    bad_case_input_stores_nothing => bad_input;
    denouncer_is_hidden_from_verifiers => denouncer_secrecy;
    lookups_and_submissions_are_throttled => throttles;
    calendar_endpoints => calendar;
    open311_files_and_follows => open311;
    officer_pages_and_public_pages => pages;
    overdue_cases_escalate_and_personal_data_expire => escalation_and_retention;
}

const BA_DINH: &str = "00004";
const NGOC_HA: &str = "00008";

async fn submit(t: &TestApp, body: &Value) -> (u16, Value) {
    t.post_json("", "/api/v1/public/cases", body).await
}

fn case(kind: &str, unit: &str, description: &str) -> Value {
    json!({"kind": kind, "unit_code": unit, "description": description, "anonymous": false,
        "contact": {"name": "Trần Thị Bình", "phone": "0912 345 678", "email": "binh@example.vn"}})
}

async fn lookup(t: &TestApp, code: &str, secret: &str) -> (u16, Value) {
    t.post_json("", "/api/v1/public/cases/lookup", &json!({"receipt_code": code, "secret": secret})).await
}

async fn count_cases(url: &str) -> i64 {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases").fetch_one(&pool).await.unwrap();
    let (m,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM case_attachments").fetch_one(&pool).await.unwrap();
    pool.close().await;
    n + m
}

async fn audit_actions(t: &TestApp, token: &str) -> Vec<String> {
    let (s, b) = t.get_json(token, "/api/v1/audit?size=200").await;
    assert_eq!(s, 200, "{b}");
    b["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap_or("").to_string()).collect()
}

async fn citizen_and_officer_flow(db: &TestDb) {
    let t = TestApp::start(db).await;
    let a_id = t.user("officer.a", "commune", Some(BA_DINH), None).await;
    t.user("officer.b", "commune", Some(BA_DINH), None).await;
    let a = t.token("officer.a").await;
    let b = t.token("officer.b").await;

    let (s, r) = submit(&t, &case("complaint", BA_DINH, "Quyết định xử phạt không đúng người.")).await;
    assert_eq!(s, 201, "{r}");
    let code = r["receipt_code"].as_str().unwrap().to_string();
    let secret = r["secret"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 11, "three groups of three: {code}");
    assert!(secret.len() >= 20);
    let due = r["due_date"].as_str().unwrap().to_string();
    assert_eq!(due.len(), 10, "a sorting deadline runs from receipt: {due}");

    // The citizen sees the case; a wrong secret looks exactly like an unknown code.
    let (s, v) = lookup(&t, &code, &secret).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "received");
    assert_eq!(v["kind"], "complaint");
    assert_eq!(v["messages"][0]["from"], "citizen");
    let (s1, wrong) = lookup(&t, &code, "AAAAA-BBBBB-CCCCC-DDDDD").await;
    let (s2, unknown) = lookup(&t, "ACD-EFG-HJK", "AAAAA-BBBBB-CCCCC-DDDDD").await;
    assert_eq!((s1, s2), (404, 404));
    assert_eq!(wrong, unknown, "same answer for a wrong secret and an unknown code");
    // Forgiving input: lower case, no dashes.
    let (s, _) = lookup(&t, &code.to_lowercase().replace('-', ""), &secret.to_lowercase()).await;
    assert_eq!(s, 200);

    // The officer's inbox: the case, no contact.
    let (s, list) = t.get_json(&a, "/api/v1/cases?status=received&kind=complaint").await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list["total"], 1);
    let item = &list["items"][0];
    let id = item["id"].as_i64().unwrap();
    assert_eq!(item["receipt_code"], code.as_str());
    assert_eq!(item["unit_code"], BA_DINH);
    assert!(!list.to_string().contains("0912"), "no contact in the list");
    let (s, one) = t.get_json(&a, &format!("/api/v1/cases/{id}")).await;
    assert_eq!(s, 200);
    assert!(!one.to_string().contains("0912") && !one.to_string().contains("binh@example.vn"), "{one}");
    assert_eq!(one["has_contact"], true);

    // Reveal needs a reason and an assignee: revealing never assigns (assignment is an
    // act of its own); the assigned officer sees the contact, others are refused.
    let (s, _) = t.post_json(&a, &format!("/api/v1/cases/{id}/reveal-contact"), &json!({"reason": ""})).await;
    assert_eq!(s, 422);
    let (s, b403) =
        t.post_json(&a, &format!("/api/v1/cases/{id}/reveal-contact"), &json!({"reason": "Gọi lại để làm rõ"})).await;
    assert_eq!((s, b403["error"]["code"].as_str()), (403, Some("case.assign_first")), "{b403}");
    let (_, still) = t.get_json(&a, &format!("/api/v1/cases/{id}")).await;
    assert!(still["assignee_id"].is_null(), "a refused reveal assigned nobody: {still}");
    let (s, r) =
        t.post_json(&a, &format!("/api/v1/cases/{id}/actions"), &json!({"action": "assign", "user_id": a_id})).await;
    assert_eq!(s, 200, "{r}");
    let (s, c) =
        t.post_json(&a, &format!("/api/v1/cases/{id}/reveal-contact"), &json!({"reason": "Gọi lại để làm rõ"})).await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c, json!({"name": "Trần Thị Bình", "phone": "0912 345 678", "email": "binh@example.vn"}));
    let (s, _) =
        t.post_json(&b, &format!("/api/v1/cases/{id}/reveal-contact"), &json!({"reason": "Tò mò muốn xem"})).await;
    assert_eq!(s, 403, "only the assigned officer sees the contact");
    let actions = audit_actions(&t, &a).await;
    assert!(actions.iter().any(|x| x == "case.reveal_contact"), "{actions:?}");
    let (_, log) = t.get_json(&a, "/api/v1/audit?size=200").await;
    assert!(!log.to_string().contains("0912"), "the audit log keeps the reason, not the details");

    // Public reply and internal note; only the reply reaches the citizen.
    let (s, _) = t
        .post_json(
            &a,
            &format!("/api/v1/cases/{id}/replies"),
            &json!({"body": "Đã nhận, đang xác minh.", "public": true}),
        )
        .await;
    assert_eq!(s, 201);
    let (s, _) = t
        .post_json(
            &a,
            &format!("/api/v1/cases/{id}/replies"),
            &json!({"body": "Ghi chú nội bộ: hồ sơ cũ 2024", "public": false}),
        )
        .await;
    assert_eq!(s, 201);
    let (_, v) = lookup(&t, &code, &secret).await;
    let text = v["messages"].to_string();
    assert!(text.contains("đang xác minh") && !text.contains("nội bộ"), "{text}");
    assert!(v["messages"].as_array().unwrap().iter().any(|m| m["from"] == "officer"));

    // The citizen writes back.
    let (s, _) = t
        .post_json(
            "",
            "/api/v1/public/cases/messages",
            &json!({"receipt_code": code, "secret": secret, "body": "Tôi bổ sung biên bản."}),
        )
        .await;
    assert_eq!(s, 201);

    // Accept: the settlement period (Luật Khiếu nại 2011 Điều 28) replaces the sorting one.
    let (s, after) = t.post_json(&a, &format!("/api/v1/cases/{id}/actions"), &json!({"action": "accept"})).await;
    assert_eq!(s, 200, "{after}");
    assert_eq!(after["status"], "accepted");
    assert_eq!(after["due_rule"], "complaint.first");
    let accepted_due = after["due_date"].as_str().unwrap().to_string();
    assert!(accepted_due > due, "{accepted_due} after {due}");
    // Extend once (complex, 45 days); a second extension of a complaint is refused.
    let (s, ext) = t
        .post_json(
            &a,
            &format!("/api/v1/cases/{id}/actions"),
            &json!({"action": "extend", "reason": "Cần xác minh nhiều nơi"}),
        )
        .await;
    assert_eq!(s, 200, "{ext}");
    assert_eq!(ext["due_rule"], "complaint.first.complex");
    let (s, _) = t
        .post_json(
            &a,
            &format!("/api/v1/cases/{id}/actions"),
            &json!({"action": "extend", "reason": "Lần nữa được không"}),
        )
        .await;
    assert_eq!(s, 422);
    let (_, v) = lookup(&t, &code, &secret).await;
    assert_eq!(v["due_date"], ext["due_date"]);
    assert!(v["messages"].to_string().contains("Gia hạn"), "the extension and its reason are shown to the citizen");

    // Close; the citizen can no longer write, but may rate and reopen.
    let (s, closed) = t
        .post_json(
            &a,
            &format!("/api/v1/cases/{id}/actions"),
            &json!({"action": "close", "outcome": "Đã hủy quyết định xử phạt."}),
        )
        .await;
    assert_eq!(s, 200, "{closed}");
    let (s, e) = t
        .post_json(
            "",
            "/api/v1/public/cases/messages",
            &json!({"receipt_code": code, "secret": secret, "body": "Còn nữa"}),
        )
        .await;
    assert_eq!(s, 409, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("kết thúc"), "{e}");
    let (s, _) = t
        .post_json("", "/api/v1/public/cases/rating", &json!({"receipt_code": code, "secret": secret, "rating": 5}))
        .await;
    assert_eq!(s, 200);
    let (s, _) = t
        .post_json(
            "",
            "/api/v1/public/cases/reopen",
            &json!({"receipt_code": code, "secret": secret, "reason": "Chưa nhận được văn bản"}),
        )
        .await;
    assert_eq!(s, 200);
    let (_, v) = lookup(&t, &code, &secret).await;
    assert_eq!(v["status"], "accepted");

    // The inbox exports to Excel, without the contact.
    let r = t.http.get(t.url("/api/v1/cases/export.xlsx?kind=complaint")).bearer_auth(&a).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let bytes = r.bytes().await.unwrap().to_vec();
    {
        use calamine::Reader;
        let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range_at(0).unwrap().unwrap();
        let cells: Vec<String> = range.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
        assert!(cells.contains(&code), "{cells:?}");
        assert!(!cells.iter().any(|c| c.contains("0912") || c.contains("Bình")), "no contact in the export");
    }

    // Public statistics: aggregates only.
    let (s, st) = t.get_json("", "/api/v1/public/stats/cases").await;
    assert_eq!(s, 200);
    assert_eq!(st["received"], 1);
    assert!(!st.to_string().contains("xử phạt"), "never a case's text");
    t.stop().await;
}

async fn cases_stay_in_scope(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("ba.dinh", "commune", Some(BA_DINH), None).await;
    t.user("ngoc.ha", "commune", Some(NGOC_HA), None).await;
    t.user("tinh.79", "province", Some("79"), None).await;
    t.user("tinh.01", "province", Some("01"), None).await;
    t.user("viewer", "viewer", Some(BA_DINH), None).await;
    let bd = t.token("ba.dinh").await;
    let nh = t.token("ngoc.ha").await;
    let (p79, _) = t.token_with_totp("tinh.79").await;
    let (p01, _) = t.token_with_totp("tinh.01").await;

    let (_, r) = submit(&t, &case("feedback", BA_DINH, "Tụ tập gây ồn ào ban đêm.")).await;
    let code = r["receipt_code"].as_str().unwrap().to_string();
    let (_, l) = t.get_json(&bd, "/api/v1/cases").await;
    let id = l["items"][0]["id"].as_i64().unwrap();

    // Another commune, another province: the case does not exist for them.
    let (_, l) = t.get_json(&nh, "/api/v1/cases").await;
    assert_eq!(l["total"], 0);
    for tok in [&nh, &p79] {
        let (s, _) = t.get_json(tok, &format!("/api/v1/cases/{id}")).await;
        assert_eq!(s, 404);
        let (s, _) = t
            .post_json(tok, &format!("/api/v1/cases/{id}/reveal-contact"), &json!({"reason": "Thử vượt phạm vi"}))
            .await;
        assert_eq!(s, 404);
        let (s, _) =
            t.post_json(tok, &format!("/api/v1/cases/{id}/replies"), &json!({"body": "x", "public": true})).await;
        assert_eq!(s, 404);
        let (s, _) = t.post_json(tok, &format!("/api/v1/cases/{id}/actions"), &json!({"action": "accept"})).await;
        assert_eq!(s, 404);
    }
    // The province above sees it.
    let (s, _) = t.get_json(&p01, &format!("/api/v1/cases/{id}")).await;
    assert_eq!(s, 200);
    // Viewers and organisation accounts do not work on cases.
    let viewer = t.token("viewer").await;
    let (s, _) = t.get_json(&viewer, "/api/v1/cases").await;
    assert_eq!(s, 403);

    // Crime reports go to the province's unit (routing rule), not the commune.
    let (s, r2) = submit(&t, &json!({"kind": "crime_report", "unit_code": NGOC_HA, "description": "Có người mua bán ma túy ở ngõ 5.", "anonymous": true})).await;
    assert_eq!(s, 201, "{r2}");
    let (_, l) = t.get_json(&nh, "/api/v1/cases").await;
    assert_eq!(l["total"], 0, "the commune does not handle crime reports by default");
    let (_, l) = t.get_json(&p01, "/api/v1/cases?kind=crime_report").await;
    assert_eq!(l["total"], 1, "{l}");
    assert_eq!(l["items"][0]["unit_code"], "01");
    let crime_id = l["items"][0]["id"].as_i64().unwrap();
    // Crime reports cannot be refused (BLTTHS 2015 Điều 145).
    let (s, e) = t
        .post_json(
            &p01,
            &format!("/api/v1/cases/{crime_id}/actions"),
            &json!({"action": "refuse", "reason": "Không thuộc thẩm quyền"}),
        )
        .await;
    assert_eq!(s, 422, "{e}");

    // Routing rules are data: the ministry sends crime reports to the commune instead.
    let (s, r) = t.get_json(&bd, "/api/v1/case-routes").await;
    assert_eq!(s, 200);
    assert!(r["items"].to_string().contains("crime_report"));
    let (s, _) = t.put_json(&bd, "/api/v1/case-routes", &json!({"kind": "crime_report", "target": "commune"})).await;
    assert_eq!(s, 403, "a commune cannot change routing");
    t.user("bo.v05", "ministry", Some("VN"), None).await;
    let (ministry, _) = t.token_with_totp("bo.v05").await;
    let (s, _) =
        t.put_json(&ministry, "/api/v1/case-routes", &json!({"kind": "crime_report", "target": "district"})).await;
    assert_eq!(s, 422);
    let html = t.http.get(t.url("/case-routes")).bearer_auth(&bd).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains("Tố giác, tin báo về tội phạm") && !html.contains("name=\"target\""),
        "commune reads, no form"
    );
    let r = t
        .http
        .post(t.url("/case-routes"))
        .bearer_auth(&ministry)
        .form(&[("kind", "crime_report"), ("target", "commune")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303, "the ministry changes it from the page");
    let (_, rules) = t.get_json(&ministry, "/api/v1/case-routes").await;
    assert!(rules["items"].as_array().unwrap().iter().any(|r| r["kind"] == "crime_report" && r["target"] == "commune"));
    let (s, _) = submit(&t, &json!({"kind": "crime_report", "unit_code": NGOC_HA, "description": "Trộm xe máy trước chợ.", "anonymous": true})).await;
    assert_eq!(s, 201);
    let (_, l) = t.get_json(&nh, "/api/v1/cases?kind=crime_report").await;
    assert_eq!(l["total"], 1, "now the commune receives crime reports");

    // The picker offers communes by name as typed (no diacritics), with the code.
    let r =
        t.http.get(t.url("/pick/units?list=transfer-units&unit_code=ngoc+ha")).bearer_auth(&bd).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let list = r.text().await.unwrap();
    assert!(list.starts_with("<datalist id=\"transfer-units\">"), "{list}");
    assert!(list.contains("value=\"00008\">Phường Ngọc Hà — Thành phố Hà Nội</option>"), "{list}");
    let r = t.http.get(t.url("/pick/units?list=x&q=ngoc+ha")).send().await.unwrap();
    assert_ne!(r.status().as_u16(), 200, "only for the signed in");
    // A name several communes bear is refused with a hint; nothing moves.
    let transfer = |to: &str| json!({"action": "transfer", "unit_code": to, "reason": "Địa điểm thuộc địa bàn khác"});
    let (s, e) = t.post_json(&bd, &format!("/api/v1/cases/{id}/actions"), &transfer("xa tan tien")).await;
    assert_eq!((s, e["error"]["fields"][0]["code"].as_str()), (422, Some("unit.ambiguous_name")), "{e}");
    let (s, e) = t.post_json(&bd, &format!("/api/v1/cases/{id}/actions"), &transfer("Phường Không Có")).await;
    assert_eq!((s, e["error"]["fields"][0]["code"].as_str()), (422, Some("case.unit_unknown")), "{e}");
    // Transfer with a reason, the commune named as an officer types it: it leaves
    // Ba Đình and reaches Ngọc Hà.
    let (s, e) = t
        .post_json(
            &bd,
            &format!("/api/v1/cases/{id}/actions"),
            &json!({"action": "transfer", "unit_code": "phuong ngoc ha", "reason": "Địa điểm thuộc phường Ngọc Hà"}),
        )
        .await;
    assert_eq!(s, 200, "{e}");
    let (s, _) = t.get_json(&bd, &format!("/api/v1/cases/{id}")).await;
    assert_eq!(s, 404);
    let (_, l) = t.get_json(&nh, "/api/v1/cases?kind=feedback").await;
    assert_eq!(l["items"][0]["receipt_code"], code.as_str());

    // Merge a duplicate into the first case.
    let (_, r3) = submit(&t, &case("feedback", NGOC_HA, "Tụ tập gây ồn ào ban đêm (gửi lại).")).await;
    let (_, l) = t.get_json(&nh, "/api/v1/cases?status=received").await;
    let dup = l["items"].as_array().unwrap().iter().find(|i| i["receipt_code"] == r3["receipt_code"]).unwrap()["id"]
        .as_i64()
        .unwrap();
    // Named by its receipt code as the citizen holds it (lower case, no dashes
    // works too); an unknown code, or the case itself, is refused.
    let merge = |into: Value| json!({"action": "merge", "into_id": into});
    let url = format!("/api/v1/cases/{dup}/actions");
    let (s, b) = t.post_json(&nh, &url, &merge(json!("XXX-XXX-XXX"))).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("case.merge_invalid")), "{b}");
    let (s, b) = t.post_json(&nh, &url, &merge(r3["receipt_code"].clone())).await;
    assert_eq!(
        (s, b["error"]["fields"][0]["code"].as_str()),
        (422, Some("case.merge_invalid")),
        "not into itself: {b}"
    );
    let loose = code.replace('-', "").to_lowercase();
    let (s, m) = t.post_json(&nh, &url, &merge(json!(loose))).await;
    assert_eq!(s, 200, "{m}");
    assert_eq!(m["status"], "merged");
    let (_, v) = lookup(&t, r3["receipt_code"].as_str().unwrap(), r3["secret"].as_str().unwrap()).await;
    assert!(v["messages"].to_string().contains(&code), "the citizen learns which case it joined");
    // By its number, as before.
    let (_, r4) = submit(&t, &case("feedback", NGOC_HA, "Tụ tập gây ồn ào ban đêm (lần ba).")).await;
    let (_, l) = t.get_json(&nh, "/api/v1/cases?status=received").await;
    let dup2 = l["items"].as_array().unwrap().iter().find(|i| i["receipt_code"] == r4["receipt_code"]).unwrap()["id"]
        .as_i64()
        .unwrap();
    let (s, m) = t.post_json(&nh, &format!("/api/v1/cases/{dup2}/actions"), &merge(json!(id))).await;
    assert_eq!((s, m["status"].as_str()), (200, Some("merged")), "{m}");
    t.stop().await;
}

async fn bad_input(db: &TestDb) {
    let t = TestApp::start(db).await;
    let base = count_cases(&db.url).await;
    let cases = [
        (json!({"kind": "rumour", "unit_code": BA_DINH, "description": "x"}), 422, "case.kind_unknown"),
        (json!({"kind": "feedback", "unit_code": "99999", "description": "x"}), 422, "case.unit_unknown"),
        (json!({"kind": "feedback", "unit_code": "01", "description": "x"}), 422, "case.unit_unknown"),
        (
            json!({"kind": "complaint", "unit_code": BA_DINH, "description": "x", "anonymous": true}),
            422,
            "case.anonymous_not_allowed",
        ),
        (json!({"kind": "feedback", "unit_code": BA_DINH, "description": "   "}), 422, "case.description_empty"),
        (
            json!({"kind": "feedback", "unit_code": BA_DINH, "description": "x".repeat(10_001)}),
            422,
            "case.description_too_long",
        ),
        (json!({"kind": "complaint", "unit_code": BA_DINH, "description": "x"}), 422, "case.contact_required"),
        (
            json!({"kind": "feedback", "unit_code": BA_DINH, "description": "x", "contact": {"phone": "abc"}}),
            422,
            "case.phone_invalid",
        ),
    ];
    for (body, status, code) in cases {
        let (s, e) = submit(&t, &body).await;
        assert_eq!(s, status, "{body}: {e}");
        let fields = e["error"]["fields"].to_string();
        assert!(fields.contains(code), "{code} in {e}");
        assert!(!e["error"]["message"].as_str().unwrap().is_empty());
    }
    let (s, _) = t.post_raw("", "/api/v1/public/cases", "application/json", b"{not json".to_vec()).await;
    assert_eq!(s, 400);
    let (s, _) = t.post_raw("", "/api/v1/public/cases", "text/plain", b"hello".to_vec()).await;
    assert_eq!(s, 415);

    // Files: a 50 MB attachment, an executable renamed .jpg, a honeypot.
    let form = |file: Vec<u8>, name: &str| {
        reqwest::multipart::Form::new()
            .text("kind", "feedback")
            .text("unit_code", BA_DINH)
            .text("description", "Có ảnh kèm theo")
            .part("files", reqwest::multipart::Part::bytes(file).file_name(name.to_string()))
    };
    let post = |f: reqwest::multipart::Form| async {
        let r = t.http.post(t.url("/api/v1/public/cases")).multipart(f).send().await.unwrap();
        (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null))
    };
    let (s, e) = post(form(vec![0xFF; 50 * 1024 * 1024], "big.jpg")).await;
    assert_eq!(s, 413, "{e}");
    let (s, e) = post(form(b"MZ\x90\x00 this is a windows program".to_vec(), "photo.jpg")).await;
    assert_eq!(s, 415, "{e}");
    assert_eq!(e["error"]["code"], "evidence.type");
    let (s, e) = post(form(b"\xFF\xD8\xFF\xE1\x00\x10Exif\x00\x00GPS".to_vec(), "cut.jpg")).await;
    assert_eq!(s, 415, "a truncated image: {e}");
    let (s, _) = post(form(b"%PDF-1.4 ok".to_vec(), "a.pdf").text("website", "http://spam.example")).await;
    assert_eq!(s, 422, "honeypot");
    assert_eq!(count_cases(&db.url).await, base, "nothing stored");

    // A good file is stored sealed, with its GPS metadata stripped.
    let jpeg = [
        &b"\xFF\xD8\xFF\xE0\x00\x06JFIF"[..],
        b"\xFF\xE1\x00\x14Exif\x00\x00GPS-21.0285N",
        b"\xFF\xDA\x00\x04\x01\x02pixels\xFF\xD9",
    ]
    .concat();
    let (s, r) = post(form(jpeg, "anh.jpg")).await;
    assert_eq!(s, 201, "{r}");
    t.user("officer", "commune", Some(BA_DINH), None).await;
    let tok = t.token("officer").await;
    let (_, l) = t.get_json(&tok, "/api/v1/cases").await;
    let id = l["items"][0]["id"].as_i64().unwrap();
    let (_, v) = t.get_json(&tok, &format!("/api/v1/cases/{id}")).await;
    let att = v["attachments"][0]["id"].as_i64().unwrap();
    let bytes = t
        .http
        .get(t.url(&format!("/api/v1/cases/{id}/attachments/{att}")))
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(bytes.starts_with(b"\xFF\xD8"), "still a JPEG");
    assert!(!bytes.windows(3).any(|w| w == b"GPS"), "EXIF removed");

    // Lookups: malformed code 422, wrong secret 404; a message to an unknown case 404.
    let (s, e) = lookup(&t, "not a code", "x").await;
    assert_eq!(s, 422, "{e}");
    let (s, _) = t
        .post_json(
            "",
            "/api/v1/public/cases/messages",
            &json!({"receipt_code": r["receipt_code"], "secret": "WRONG-SECRET", "body": "x"}),
        )
        .await;
    assert_eq!(s, 404);
    let (s, _) = t
        .post_json(
            "",
            "/api/v1/public/cases/messages",
            &json!({"receipt_code": r["receipt_code"], "secret": r["secret"], "body": "  "}),
        )
        .await;
    assert_eq!(s, 422);
    // Unknown filters and ids.
    let (s, _) = t.get_json(&tok, "/api/v1/cases?status=lost").await;
    assert_eq!(s, 400);
    let (s, _) = t.get_json(&tok, "/api/v1/cases/abc").await;
    assert_eq!(s, 404);
    let (s, _) = t.post_json(&tok, &format!("/api/v1/cases/{id}/actions"), &json!({"action": "explode"})).await;
    assert_eq!(s, 422);
    t.stop().await;
}

async fn denouncer_secrecy(db: &TestDb) {
    let t = TestApp::start(db).await;
    let handler_id = t.user("handler", "commune", Some(BA_DINH), None).await;
    t.user("verifier", "commune", Some(BA_DINH), None).await;
    let h = t.token("handler").await;
    let v = t.token("verifier").await;
    let body = json!({"kind": "denunciation", "unit_code": BA_DINH, "anonymous": false,
        "description": "Tôi là Lê Văn Cường (0987 654 321), tố cáo cán bộ địa chính nhận tiền.",
        "contact": {"name": "Lê Văn Cường", "phone": "0987654321"}});
    let (s, r) = submit(&t, &body).await;
    assert_eq!(s, 201, "{r}");
    let (_, l) = t.get_json(&h, "/api/v1/cases").await;
    let id = l["items"][0]["id"].as_i64().unwrap();
    let (s, _) =
        t.post_json(&h, &format!("/api/v1/cases/{id}/actions"), &json!({"action": "assign", "user_id": 999_999})).await;
    assert_eq!(s, 422, "no such officer");
    let (s, _) = t
        .post_json(&h, &format!("/api/v1/cases/{id}/actions"), &json!({"action": "assign", "user_id": handler_id}))
        .await;
    assert_eq!(s, 200);
    let (s, _) = t
        .post_json(&h, &format!("/api/v1/cases/{id}/reveal-contact"), &json!({"reason": "Cần gặp người tố cáo"}))
        .await;
    assert_eq!(s, 200);
    // At rest the denunciation's text is sealed: the database holds neither the name
    // nor the accusation in clear.
    let (stored,): (String,) = {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        let row =
            sqlx::query_as(&format!("SELECT description FROM cases WHERE id = {id}")).fetch_one(&pool).await.unwrap();
        pool.close().await;
        row
    };
    assert!(stored.starts_with("sealed:") && !stored.contains("Cường") && !stored.contains("nhận tiền"), "{stored}");
    // The handler sees the text; the verifier gets the redacted copy (Luật Tố cáo 2018 Điều 56).
    let (_, mine) = t.get_json(&h, &format!("/api/v1/cases/{id}")).await;
    assert!(mine["description"].as_str().unwrap().contains("Lê Văn Cường"));
    let (_, theirs) = t.get_json(&v, &format!("/api/v1/cases/{id}")).await;
    let text = theirs.to_string();
    assert_eq!(theirs["redacted"], true);
    // The phone's digits are looked for in the texts only (timestamps may contain them).
    let texts = format!("{} {}", theirs["description"], theirs["messages"]);
    assert!(!text.contains("Cường") && !texts.contains("654"), "{text}");
    assert!(text.contains("cán bộ địa chính nhận tiền"));
    // An anonymous denunciation is accepted as information to verify.
    let (s, _) = submit(
        &t,
        &json!({"kind": "denunciation", "unit_code": BA_DINH, "description": "Cán bộ X nhận tiền.", "anonymous": true}),
    )
    .await;
    assert_eq!(s, 201);
    t.stop().await;
}

async fn throttles(db: &TestDb) {
    let config = app::AppConfig { public_submissions_per_minute: 2, ..Default::default() };
    let t = TestApp::start_with(db, config).await;
    let body = case("feedback", BA_DINH, "Đèn đường hỏng nhiều ngày.");
    let (s1, r) = submit(&t, &body).await;
    let (s2, _) = submit(&t, &body).await;
    let (s3, e) = submit(&t, &body).await;
    assert_eq!((s1, s2, s3), (201, 201, 429), "{e}");
    assert!(e["error"]["retry_after_ms"].as_i64().unwrap() > 0);
    let code = r["receipt_code"].as_str().unwrap();
    let secret = r["secret"].as_str().unwrap();
    // Successful lookups do not count; ten failures block even the right secret.
    for _ in 0..20 {
        assert_eq!(lookup(&t, code, secret).await.0, 200);
    }
    for _ in 0..10 {
        assert_eq!(lookup(&t, code, "WRONG").await.0, 404);
    }
    let (s, e) = lookup(&t, code, secret).await;
    assert_eq!(s, 429, "{e}");
    t.stop().await;
}

async fn calendar(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (s, h) = t.get_json("", "/api/v1/calendar/holidays?year=2026").await;
    assert_eq!(s, 200, "{h}");
    let dates: Vec<&str> = h["items"].as_array().unwrap().iter().map(|i| i["date"].as_str().unwrap()).collect();
    for d in ["2026-01-01", "2026-02-16", "2026-02-17", "2026-02-20", "2026-04-30", "2026-05-01", "2026-09-02"] {
        assert!(dates.contains(&d), "{d} in {dates:?}");
    }
    // Friday before Tết 2026 + 1 working day: the weekend and the five days of Tết are skipped.
    let (s, d) = t.get_json("", "/api/v1/calendar/add-working-days?from=2026-02-13&days=1").await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["date"], "2026-02-23");
    // 30 days from 01/01/2026 end on Saturday 31/01 and roll to Monday 02/02 (BLDS 2015 Điều 148).
    let (s, d) = t.get_json("", "/api/v1/calendar/deadline?rule=complaint.first&from=2026-01-01").await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["due"], "2026-02-02");
    assert!(d["source"].as_str().unwrap().contains("Khiếu nại"), "{d}");
    for rule in [
        "letter.sort",
        "complaint.first",
        "complaint.first.complex",
        "denunciation.initial",
        "denunciation.settle",
        "crime_report.settle",
    ] {
        let (s, d) = t.get_json("", &format!("/api/v1/calendar/deadline?rule={rule}&from=2026-03-02")).await;
        assert_eq!(s, 200, "{rule}: {d}");
        assert!(d["due"].as_str().unwrap() > "2026-03-02");
    }
    // Accepting a complaint: the rule in force on the day it was received. 10 days
    // (Luật Khiếu nại 2011 Điều 27) until 30/06/2026; 07 working days (NĐ 155/2026,
    // Luật 136/2025/QH15) from 01/07/2026.
    let app = &t;
    let accept = |from: &str| {
        let url = format!("/api/v1/calendar/deadline?rule=complaint.accept&from={from}");
        async move { app.get_json("", &url).await }
    };
    let (s, d) = accept("2026-06-26").await;
    assert_eq!(s, 200, "{d}");
    assert_eq!((d["due"].as_str(), d["in_force_from"].as_str()), (Some("2026-07-06"), Some("2012-07-01")), "{d}");
    assert!(d["source"].as_str().unwrap().contains("Điều 27"), "{d}");
    let (_, d) = accept("2026-07-03").await;
    assert_eq!((d["due"].as_str(), d["in_force_from"].as_str()), (Some("2026-07-14"), Some("2026-07-01")), "{d}");
    assert!(d["source"].as_str().unwrap().contains("155/2026"), "{d}");
    assert_eq!(d["period"], json!({"unit": "working_days", "count": 7}));
    let (_, versions) = t.get_json("", "/api/v1/calendar/rules").await;
    let of_accept: Vec<&Value> =
        versions["items"].as_array().unwrap().iter().filter(|v| v["rule"] == "complaint.accept").collect();
    assert_eq!(of_accept.len(), 2, "{versions}");
    for bad in [
        "/api/v1/calendar/deadline?rule=nope&from=2026-01-01",
        "/api/v1/calendar/deadline?rule=letter.sort&from=01/01/2026",
        "/api/v1/calendar/add-working-days?from=2026-01-01&days=-3",
        "/api/v1/calendar/add-working-days?from=2026-13-01&days=3",
        "/api/v1/calendar/holidays?year=abc",
    ] {
        let (s, e) = t.get_json("", bad).await;
        assert_eq!(s, 422, "{bad}: {e}");
    }
    // An administrator enters a government decision; the calendar follows at once.
    t.user("root", "admin", Some("VN"), None).await;
    t.user("commune.c", "commune", Some(BA_DINH), None).await;
    let (admin, _) = t.token_with_totp("root").await;
    let commune = t.token("commune.c").await;
    let entry = json!({"day": "2026-02-23", "kind": "day_off", "name_vi": "Nghỉ Tết theo quyết định", "name_en": "Tet bridge day"});
    let (s, _) = t.post_json(&commune, "/api/v1/calendar/entries", &entry).await;
    assert_eq!(s, 403);
    let (s, e) = t.post_json(&admin, "/api/v1/calendar/entries", &entry).await;
    assert_eq!(s, 201, "{e}");
    // A new version of a rule is data: added without a release, in force from its day.
    let version = json!({"rule": "crime_report.settle", "from": "2027-01-01", "unit": "calendar_days", "count": 30, "source": "Luật sửa đổi giả định (kiểm thử)", "to_confirm": true});
    assert_eq!(t.post_json(&commune, "/api/v1/calendar/rules", &version).await.0, 403);
    let (s, e) = t.post_json(&admin, "/api/v1/calendar/rules", &version).await;
    assert_eq!(s, 201, "{e}");
    assert_eq!(t.post_json(&admin, "/api/v1/calendar/rules", &version).await.0, 409, "one version a day");
    let mut bad = version.clone();
    bad["unit"] = json!("weeks");
    bad["count"] = json!(0);
    bad["source"] = json!("");
    let (s, e) = t.post_json(&admin, "/api/v1/calendar/rules", &bad).await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["fields"].as_array().unwrap().len(), 2, "count and source: {e}");
    let (_, d) = t.get_json("", "/api/v1/calendar/deadline?rule=crime_report.settle&from=2027-01-04").await;
    assert_eq!((d["due"].as_str(), d["to_confirm"].as_bool()), (Some("2027-02-03"), Some(true)), "{d}");
    let (_, d) = t.get_json("", "/api/v1/calendar/deadline?rule=crime_report.settle&from=2026-12-04").await;
    assert_eq!(d["due"], "2026-12-24", "the old version before its day");
    let (_, d) = t.get_json("", "/api/v1/calendar/add-working-days?from=2026-02-13&days=1").await;
    assert_eq!(d["date"], "2026-02-24");
    let (s, _) = t
        .post_json(&admin, "/api/v1/calendar/entries", &json!({"day": "2026-02-30", "kind": "day_off", "name_vi": "x"}))
        .await;
    assert_eq!(s, 422);
    assert!(audit_actions(&t, &admin).await.iter().any(|a| a == "calendar.set"));
    // The calendar page: the year's days off, and the administrator's form.
    let html =
        t.http.get(t.url("/calendar?year=2026")).bearer_auth(&commune).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains("Giỗ Tổ Hùng Vương") && html.contains("Nghỉ bù") && html.contains("Nghỉ Tết theo quyết định"),
        "{html}"
    );
    assert!(!html.contains("name=\"name_vi\""), "no form for a commune");
    let r = t
        .http
        .post(t.url("/calendar"))
        .bearer_auth(&commune)
        .form(&[("op", "add"), ("day", "2026-12-31"), ("kind", "day_off"), ("name_vi", "Thử")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let r = t
        .http
        .post(t.url("/calendar"))
        .bearer_auth(&admin)
        .form(&[
            ("op", "add"),
            ("day", "2026-12-31"),
            ("kind", "day_off"),
            ("name_vi", "Nghỉ cuối năm theo quyết định"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let html = t.http.get(t.url("/calendar?year=2026")).bearer_auth(&admin).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Nghỉ cuối năm theo quyết định") && html.contains("name=\"name_vi\""));
    let r = t
        .http
        .post(t.url("/calendar"))
        .bearer_auth(&admin)
        .form(&[("op", "delete"), ("day", "2026-12-31")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let r = t.http.delete(t.url("/api/v1/calendar/entries/2026-02-23")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let (_, d) = t.get_json("", "/api/v1/calendar/add-working-days?from=2026-02-13&days=1").await;
    assert_eq!(d["date"], "2026-02-23");
    t.stop().await;
}

async fn open311(db: &TestDb) {
    let t = TestApp::start(db).await;
    let r = t.http.get(t.url("/open311/v2/services.json")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let services: Value = r.json().await.unwrap();
    let codes: Vec<&str> = services.as_array().unwrap().iter().map(|s| s["service_code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["feedback", "petition", "complaint", "denunciation", "crime_report"]);
    let r = t
        .http
        .post(t.url("/open311/v2/requests.json"))
        .form(&[
            ("service_code", "feedback"),
            ("description", "Ổ gà lớn giữa đường"),
            ("address_id", BA_DINH),
            ("phone", "0911222333"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let created: Value = r.json().await.unwrap();
    let id = created[0]["service_request_id"].as_str().unwrap().to_string();
    assert!(created[0]["token"].as_str().unwrap().len() >= 20, "the secret, once: {created}");
    let r = t.http.get(t.url(&format!("/open311/v2/requests/{id}.json"))).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let got: Value = r.json().await.unwrap();
    assert_eq!(got[0]["status"], "open");
    assert_eq!(got[0]["service_code"], "feedback");
    assert!(got[0].get("description").is_none() || got[0]["description"].is_null(), "no text without the secret");
    assert!(!got.to_string().contains("0911"));
    let r = t
        .http
        .post(t.url("/open311/v2/requests.json"))
        .form(&[("service_code", "nope"), ("description", "x"), ("address_id", BA_DINH)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let err: Value = r.json().await.unwrap();
    assert_eq!(err[0]["code"], 400);
    let r = t.http.get(t.url("/open311/v2/requests/ACD-EFG-HJK.json")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
    t.stop().await;
}

async fn pages(db: &TestDb) {
    let t = TestApp::start(db).await;
    let form = t.http.get(t.url("/public/cases/new?province=01&q=ba%20dinh")).send().await.unwrap();
    assert_eq!(form.status().as_u16(), 200);
    let html = form.text().await.unwrap();
    assert!(
        html.contains("Phường Ba Đình") && !html.contains("Phường Ngọc Hà"),
        "diacritic-insensitive commune search"
    );
    assert!(html.contains("name=\"website\""), "honeypot present");
    let mp = reqwest::multipart::Form::new()
        .text("province", "01")
        .text("unit_code", BA_DINH)
        .text("kind", "feedback")
        .text("description", "Nhóm thanh niên đua xe mỗi tối.")
        .text("anonymous", "on");
    let r = t.http.post(t.url("/public/cases")).multipart(mp).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 201);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let html = r.text().await.unwrap();
    let code = html.split("id=\"receipt-code\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    let secret = html.split("id=\"receipt-secret\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    let r = t
        .http
        .post(t.url("/public/cases/lookup"))
        .form(&[("receipt_code", code.as_str()), ("secret", secret.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.text().await.unwrap().contains("đua xe"));
    // The receipt to keep: a PDF holding both codes and where to follow the case,
    // nothing of the description; a wrong pair gets the citizen's message.
    assert!(
        html.contains("id=\"receipt-download\"") && html.contains("receipt.pdf"),
        "the receipt page offers the download"
    );
    let receipt = |secret: String| {
        t.http
            .post(t.url("/public/cases/receipt.pdf"))
            .form(&[("receipt_code", code.clone()), ("secret", secret)])
            .send()
    };
    let r = receipt(secret.clone()).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let pdf = r.bytes().await.unwrap();
    if let Some(text) = testkit::pdf_text(&pdf) {
        for want in [code.as_str(), secret.as_str(), "GIẤY BIÊN NHẬN", "Phường Ba Đình", "/public/cases/lookup"]
        {
            assert!(text.contains(want), "{want} missing from the receipt:\n{text}");
        }
        assert!(!text.contains("đua xe"), "the description stays off the paper");
    }
    let r = receipt("SAI-MA-BI-MAT".into()).await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
    assert!(r.text().await.unwrap().contains("Không tìm thấy"), "a citizen's message");
    let r = t
        .http
        .post(t.url("/public/cases/lookup"))
        .form(&[("receipt_code", code.as_str()), ("secret", "X")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let page = r.text().await.unwrap();
    assert!(page.contains("Không tìm thấy phản ánh với mã tiếp nhận và mã bí mật này"), "a citizen's words");
    assert!(!page.contains("phạm vi"), "not the staff's 'outside your scope'");
    let stats = t.http.get(t.url("/public/stats")).send().await.unwrap();
    assert_eq!(stats.status().as_u16(), 200);
    t.user("officer.o", "commune", Some(BA_DINH), None).await;
    let tok = t.token("officer.o").await;

    // A residential area can be chosen once the search finds one commune.
    let (s, area) = t
        .post_json(
            &tok,
            "/api/v1/units",
            &json!({"parent_code": BA_DINH, "name": "Tổ dân phố số 7", "division_type": "tổ dân phố"}),
        )
        .await;
    assert_eq!(s, 201, "{area}");
    let area_code = area["code"].as_str().unwrap().to_string();
    let html =
        t.http.get(t.url("/public/cases/new?province=01&q=ba%20dinh")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("name=\"area_code\"") && html.contains("Tổ dân phố số 7"), "areas offered");
    let mp = reqwest::multipart::Form::new()
        .text("unit_code", BA_DINH)
        .text("area_code", area_code.clone())
        .text("kind", "petition")
        .text("description", "Đề nghị lắp gương cầu lồi ở ngã ba.");
    let r = t.http.post(t.url("/public/cases")).multipart(mp).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 201);

    // Staff file a case for a walk-in citizen from their page.
    let form = t.http.get(t.url("/cases/new")).bearer_auth(&tok).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("Tổ dân phố số 7"), "a commune officer picks among the commune's areas");
    let r = t
        .http
        .post(t.url("/cases/new"))
        .bearer_auth(&tok)
        .form(&[
            ("kind", "feedback"),
            ("unit_code", BA_DINH),
            ("description", "Người dân đến trình báo mất trộm xe đạp."),
            ("contact_name", "Đỗ Văn Em"),
            ("contact_phone", "0977888999"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    assert!(r.text().await.unwrap().contains("receipt-secret"));
    let r = t
        .http
        .post(t.url("/cases/new"))
        .bearer_auth(&tok)
        .form(&[("kind", "complaint"), ("unit_code", BA_DINH), ("description", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422, "a complaint needs a name: the form comes back with the message");
    let (_, l) = t.get_json(&tok, "/api/v1/cases?kind=petition").await;
    let pid = l["items"][0]["id"].as_i64().unwrap();
    let (_, p) = t.get_json(&tok, &format!("/api/v1/cases/{pid}")).await;
    assert_eq!(p["place_code"], area_code.as_str());
    assert_eq!(p["unit_code"], BA_DINH, "an area's case goes to its commune");
    let inbox = t.http.get(t.url("/cases?kind=feedback")).bearer_auth(&tok).send().await.unwrap().text().await.unwrap();
    assert!(inbox.contains(&code), "{inbox}");
    assert!(inbox.contains("Còn"), "the legal clock is on every open case");
    t.stop().await;
}

async fn exec(url: &str, sql: &str) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    sqlx::query(sql).execute(&pool).await.unwrap();
    pool.close().await;
}

async fn escalation_and_retention(db: &TestDb) {
    let t = TestApp::start(db).await;
    let commune_id = t.user("xa.badinh", "commune", Some(BA_DINH), None).await;
    let province_id = t.user("tinh.hanoi", "province", Some("01"), None).await;
    let ministry_id = t.user("bo.cuc", "ministry", Some("VN"), None).await;
    let officer = t.token("xa.badinh").await;

    // Staff file a case for a citizen who came in person.
    let (s, r) = t
        .post_json(
            &officer,
            "/api/v1/cases",
            &case(
                "petition",
                BA_DINH,
                "Bà Trần Thị Bình (0912 345 678, binh@example.vn, hàng xóm 0977.111.222) đến trụ sở đề nghị lắp đèn.",
            ),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    let (_, l) = t.get_json(&officer, "/api/v1/cases").await;
    let id = l["items"][0]["id"].as_i64().unwrap();
    let (_, one) = t.get_json(&officer, &format!("/api/v1/cases/{id}")).await;
    assert_eq!(one["source"], "staff");

    // Two days before its deadline, its officers are warned (once).
    let soon = (store::clock::today() + chrono::Duration::days(2)).format("%Y-%m-%d").to_string();
    exec(&db.url, &format!("UPDATE cases SET due_date = '{soon}' WHERE id = {id}")).await;
    let now = store::clock::now_ms();
    assert_eq!(t.app.schedule_case_warnings(now).await.unwrap(), 1);
    assert_eq!(t.app.schedule_case_warnings(now).await.unwrap(), 0, "once per deadline");
    assert_eq!(t.app.schedule_escalations(now).await.unwrap(), 0, "not overdue yet");
    t.app.run_due_jobs(now).await.unwrap();
    let warned = t.app.store.notifications(commune_id, 10).await.unwrap();
    assert!(warned.iter().any(|n| n.title.starts_with("Sắp đến hạn")), "{warned:?}");
    // Its deadline passes: the job queue escalates it to the province, with a notice.
    exec(&db.url, &format!("UPDATE cases SET due_date = '2020-01-10' WHERE id = {id}")).await;
    let (_, overdue) = t.get_json(&officer, "/api/v1/cases?due=overdue").await;
    assert_eq!(overdue["total"], 1);
    let now = store::clock::now_ms();
    assert_eq!(t.app.schedule_escalations(now).await.unwrap(), 1);
    assert_eq!(t.app.schedule_escalations(now).await.unwrap(), 0, "one job per case and level");
    assert!(t.app.run_due_jobs(now).await.unwrap() >= 1);
    let (_, after) = t.get_json(&officer, &format!("/api/v1/cases/{id}")).await;
    assert_eq!(after["escalation_level"], 1);
    let notes = t.app.store.notifications(province_id, 10).await.unwrap();
    assert!(notes.iter().any(|n| n.title.contains(r["receipt_code"].as_str().unwrap())), "{notes:?}");
    assert!(!notes.iter().any(|n| n.body.contains("0912")), "notices carry no contact");
    // Due 2020-01-10, long past: the next run takes it one level up, to the ministry.
    assert_eq!(t.app.schedule_escalations(now).await.unwrap(), 1, "the next level");
    t.app.run_due_jobs(now).await.unwrap();
    let (_, after) = t.get_json(&officer, &format!("/api/v1/cases/{id}")).await;
    assert_eq!(after["escalation_level"], 2);
    let told = t.app.store.notifications(ministry_id, 10).await.unwrap();
    assert!(told.iter().any(|n| n.title.contains(r["receipt_code"].as_str().unwrap())), "{told:?}");
    assert_eq!(t.app.schedule_escalations(now).await.unwrap(), 0, "no level past the ministry");

    // Closed long ago: the retention job removes the contact; the case and its text stay.
    let (s, _) = t
        .post_json(
            &officer,
            &format!("/api/v1/cases/{id}/actions"),
            &json!({"action": "close", "outcome": "Đã lắp đèn mới."}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(t.app.purge_expired_personal_data(store::clock::now_ms()).await.unwrap(), 0, "not yet");
    exec(&db.url, &format!("UPDATE cases SET closed_at = 1000 WHERE id = {id}")).await;
    assert_eq!(t.app.purge_expired_personal_data(store::clock::now_ms()).await.unwrap(), 1);
    let (s, _) = t
        .post_json(
            &officer,
            &format!("/api/v1/cases/{id}/actions"),
            &json!({"action": "assign", "user_id": commune_id}),
        )
        .await;
    assert!(s == 200 || s == 409 || s == 422, "{s}");
    exec(&db.url, &format!("UPDATE cases SET assignee_id = {commune_id} WHERE id = {id}")).await;
    let (s, c) = t
        .post_json(&officer, &format!("/api/v1/cases/{id}/reveal-contact"), &json!({"reason": "Kiểm tra sau khi xóa"}))
        .await;
    assert_eq!(s, 200);
    assert_eq!(c, json!({"name": null, "phone": null, "email": null}));
    let (_, v) = t.get_json(&officer, &format!("/api/v1/cases/{id}")).await;
    assert_eq!(v["has_contact"], false);
    assert!(v["purged_at"].is_i64());
    // The description keeps its substance, not the people in it.
    let text = v["description"].as_str().unwrap();
    assert!(text.contains("lắp đèn"), "{text}");
    for gone in ["Trần Thị Bình", "0912", "binh@example.vn", "0977"] {
        assert!(!text.contains(gone), "{gone} left in {text}");
    }
    t.stop().await;
}
