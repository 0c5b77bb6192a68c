//! Events on SQLite and PostgreSQL (issue 18 points 4–5): a residential area's
//! Ngày hội planned and reported, the coverage figure (areas holding one of all),
//! a forum's opinions becoming citizens' cases with their deadlines, pilot sites
//! chosen above the commune, scope escapes and bad input with nothing stored; a
//! conference's level, form, guests, documents and photos.
#![allow(clippy::unwrap_used)]

use serde_json::json;
use testkit::{both_databases, TestApp, TestDb};

both_databases! {
    a_ngay_hoi_is_reported_and_its_opinions_become_cases => ngay_hoi;
    a_conference_carries_its_form_guests_documents_and_photos => details;
}

fn day(offset: i64) -> String {
    (store::clock::today() + chrono::Duration::days(offset)).to_string()
}

async fn ngay_hoi(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("xa", "commune", Some("00004"), None).await;
    t.user("xa2", "commune", Some("00008"), None).await;
    t.user("tinh", "province", Some("01"), None).await;
    let c = t.token("xa").await;
    let other = t.token("xa2").await;
    let (p, _) = t.token_with_totp("tinh").await;
    let year = store::clock::today().format("%Y").to_string().parse::<i64>().unwrap();
    let mut areas = Vec::new();
    for name in ["Tổ dân phố số 1", "Tổ dân phố số 2"] {
        let (s, a) = t
            .post_json(
                &c,
                "/api/v1/units",
                &json!({"parent_code": "00004", "name": name, "division_type": "tổ dân phố"}),
            )
            .await;
        assert_eq!(s, 201, "{a}");
        areas.push(a["code"].as_str().unwrap().to_string());
    }
    let event = |unit: &str, date: String, pilot: bool| json!({"kind": "ngay_hoi", "title": "Ngày hội toàn dân bảo vệ an ninh Tổ quốc", "unit_code": unit, "date": date, "pilot": pilot, "place": "Nhà văn hóa"});
    // Pilot sites are chosen above the commune.
    assert_eq!(t.post_json(&c, "/api/v1/events", &event(&areas[0], day(-1), true)).await.0, 403);
    let (s, held) = t.post_json(&c, "/api/v1/events", &event(&areas[0], day(0), false)).await;
    assert_eq!(s, 201, "{held}");
    let held = held["id"].as_i64().unwrap();
    let (s, later) = t.post_json(&p, "/api/v1/events", &event(&areas[1], day(3), true)).await;
    assert_eq!((s, later["pilot"].as_bool()), (201, Some(true)), "{later}");
    let later = later["id"].as_i64().unwrap();
    assert_eq!(
        t.post_json(&other, "/api/v1/events", &event(&areas[0], day(-1), false)).await.0,
        422,
        "another commune's area"
    );
    // Bad results: nothing stored, no case filed.
    let cases = || async { t.app.store.scalar_i64("SELECT COUNT(*) FROM cases").await.unwrap() };
    let path = |id: i64| format!("/api/v1/events/{id}/results");
    let (s, b) = t.post_json(&c, &path(later), &json!({"participants": 10})).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("event.not_yet_held")), "{b}");
    let (s, b) = t.post_json(&c, &path(held), &json!({"participants": -5, "households": 3})).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("event.count_negative")), "{b}");
    let bad_opinion = json!({"participants": 120, "opinions": [{"text": "Đề nghị lắp thêm đèn đường ở ngõ 3.", "kind": "petition"}, {"text": "Khiếu nại", "kind": "complaint"}]});
    let (s, b) = t.post_json(&c, &path(held), &bad_opinion).await;
    assert_eq!((s, b["error"]["fields"][0]["field"].as_str()), (422, Some("opinions[1].kind")), "{b}");
    assert_eq!(cases().await, 0, "no case filed for a rejected report");
    assert_eq!(t.post_json(&other, &path(held), &json!({"participants": 1})).await.0, 404);
    // The result, with two opinions that become cases.
    let good = json!({"participants": 120, "households": 85, "commitments": 85, "honoured": 4, "funds": 15000000,
        "opinions": [{"text": "Đề nghị lắp thêm đèn đường ở ngõ 3.", "kind": "petition"}, {"text": "Phản ánh tiếng ồn quán karaoke sau 22 giờ.", "kind": "feedback"}]});
    let (s, r) = t.post_json(&c, &path(held), &good).await;
    assert_eq!(s, 201, "{r}");
    let receipts: Vec<String> =
        r["cases"].as_array().unwrap().iter().map(|x| x["receipt_code"].as_str().unwrap().to_string()).collect();
    assert_eq!(receipts.len(), 2);
    assert_eq!(t.post_json(&c, &path(held), &good).await.0, 409, "reported once");
    // The event shows what became of each opinion; the commune's inbox holds them.
    let (_, ev) = t.get_json(&c, &format!("/api/v1/events/{held}")).await;
    assert_eq!((ev["participants"].as_i64(), ev["opinions"].as_array().unwrap().len()), (Some(120), 2), "{ev}");
    assert_eq!(ev["opinions"][0]["status"], "received");
    assert!(
        ev["opinions"][0]["due_date"].is_string() || ev["opinions"][1]["due_date"].is_string(),
        "a deadline runs: {ev}"
    );
    let (_, inbox) = t.get_json(&c, "/api/v1/cases").await;
    let codes: Vec<&str> =
        inbox["items"].as_array().unwrap().iter().map(|i| i["receipt_code"].as_str().unwrap()).collect();
    assert!(receipts.iter().all(|r| codes.contains(&r.as_str())), "{codes:?}");
    let source = t.app.store.scalar_text("SELECT source FROM cases ORDER BY id LIMIT 1").await.unwrap();
    assert_eq!(source, "event");
    // Coverage: one of the commune's two areas held its Ngày hội.
    let (_, st) = t.get_json(&c, &format!("/api/v1/stats/events?year={year}")).await;
    assert_eq!(st["ngay_hoi"], json!({"areas": 2, "held": 1, "rate": 0.5}), "{st}");
    let (_, st) = t.get_json(&p, &format!("/api/v1/stats/events?year={year}&unit=00004")).await;
    assert_eq!(st["ngay_hoi"]["held"], 1);
    // One level down: the province's communes, Ba Đình at half.
    let (_, st) = t.get_json(&p, &format!("/api/v1/stats/events?year={year}")).await;
    let ba_dinh = st["by_place"].as_array().unwrap().iter().find(|x| x["code"] == "00004").cloned();
    assert_eq!(
        ba_dinh,
        Some(json!({"code": "00004", "name": "Phường Ba Đình", "areas": 2, "held": 1, "rate": 0.5})),
        "{st}"
    );
    let (_, html) = t.get_text(&p, &format!("/events?year={year}")).await;
    assert!(html.contains("title=\"Phường Ba Đình: 1/2\""), "the province's tiles");
    assert_eq!(t.get_json(&other, &format!("/api/v1/events/{held}")).await.0, 404);
    // The province's point map coloured by it: Ba Đình half (1 of 2), orange.
    let html = t
        .http
        .get(t.url(&format!("/movement/points?year={year}&unit=01&indicator=ngay_hoi")))
        .bearer_auth(&p)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("fill=\"#fa7b17\" stroke=\"#fff\" stroke-width=\"1\"><title>Phường Ba Đình: 1/2</title>"),
        "coloured by the Ngày hội"
    );
    // The movement dashboard shows the same figure.
    let html = t
        .http
        .get(t.url(&format!("/movement?year={year}")))
        .bearer_auth(&c)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let fig = html.split("id=\"ngay-hoi-progress\"").nth(1).unwrap_or_default();
    assert!(fig.contains("<b>1/2</b>") && fig.contains("50"), "{}", &fig[..fig.len().min(300)]);
    let (_, l) = t.get_json(&p, &format!("/api/v1/events?year={year}&kind=ngay_hoi")).await;
    // The planned one falls in next year's list on the last days of December.
    let expected = if day(3).starts_with(&year.to_string()) { 2 } else { 1 };
    assert_eq!(l["total"], expected, "{l}");
    t.stop().await;
}

async fn details(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("xa", "commune", Some("00004"), None).await;
    t.user("xa2", "commune", Some("00008"), None).await;
    t.user("tinh", "province", Some("01"), None).await;
    let c = t.token("xa").await;
    let other = t.token("xa2").await;
    let (p, _) = t.token_with_totp("tinh").await;
    // A province's conference: its level is the province's; form and guests kept.
    let body = json!({"kind": "conference", "title": "Hội nghị điển hình tiên tiến phong trào toàn dân bảo vệ ANTQ", "unit_code": "01", "date": day(-2),
        "place": "Hội trường Công an tỉnh", "form": "Hội nghị trực tiếp kết hợp trực tuyến", "guests": "Lãnh đạo Ủy ban nhân dân tỉnh; Ủy ban Mặt trận Tổ quốc tỉnh"});
    assert_eq!(t.post_json(&c, "/api/v1/events", &body).await.0, 422, "a commune cannot hold the province's");
    let (s, ev) = t.post_json(&p, "/api/v1/events", &body).await;
    assert_eq!(s, 201, "{ev}");
    assert_eq!(
        (ev["level"].as_str(), ev["form"].as_str(), ev["guests"].as_str()),
        (
            Some("province"),
            Some("Hội nghị trực tiếp kết hợp trực tuyến"),
            Some("Lãnh đạo Ủy ban nhân dân tỉnh; Ủy ban Mặt trận Tổ quốc tỉnh")
        ),
        "{ev}"
    );
    let id = ev["id"].as_i64().unwrap();
    let mut long = body.clone();
    long["guests"] = json!("x".repeat(1001));
    let (s, b) = t.post_json(&p, "/api/v1/events", &long).await;
    assert_eq!((s, b["error"]["fields"][0]["field"].as_str()), (422, Some("guests")), "{b}");
    // Its documents and photos: rights first (a commune outside it cannot find it),
    // then the bytes told by their content.
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let path = format!("/api/v1/events/{id}/files?filename=Bao-cao-tong-ket.pdf");
    assert_eq!(t.post_raw(&c, &path, "application/pdf", pdf.clone()).await.0, 404, "out of scope");
    assert_eq!(t.post_raw(&p, &path, "application/pdf", b"MZ\x90\x00 not a pdf".to_vec()).await.0, 415);
    let (s, f) = t.post_raw(&p, &path, "application/pdf", pdf.clone()).await;
    assert_eq!((s, f["event_id"].as_i64()), (201, Some(id)), "{f}");
    let (_, files) = t.get_json(&p, &format!("/api/v1/events/{id}/files")).await;
    assert_eq!(files["items"].as_array().unwrap().len(), 1, "{files}");
    assert_eq!(t.get_json(&other, &format!("/api/v1/events/{id}/files")).await.0, 404);
    let fid = f["id"].as_i64().unwrap();
    let got = t.http.get(t.url(&format!("/api/v1/files/{fid}"))).bearer_auth(&p).send().await.unwrap();
    assert_eq!((got.status().as_u16(), got.bytes().await.unwrap().to_vec()), (200, pdf));
    let got = t.http.get(t.url(&format!("/api/v1/files/{fid}"))).bearer_auth(&c).send().await.unwrap();
    assert_eq!(got.status().as_u16(), 404, "the commune does not see the province's event");
    // The page shows the level, form, guests and the file.
    let (_, html) = t.get_text(&p, &format!("/events/{id}")).await;
    assert!(
        html.contains("Hội nghị trực tiếp kết hợp trực tuyến")
            && html.contains("Ủy ban Mặt trận Tổ quốc tỉnh")
            && html.contains("Bao-cao-tong-ket.pdf")
            && html.contains("id=\"ev-upload\""),
        "{html}"
    );
    t.stop().await;
}
