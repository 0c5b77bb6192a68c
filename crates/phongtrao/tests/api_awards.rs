//! Emulation and awards on SQLite and PostgreSQL (issue 18, first slice): the award
//! catalogue, a nomination's way up (commune → province verifies → ministry decides,
//! returned with reasons and sent again), the Kỷ niệm chương time rule computed from
//! the periods entered, a likely duplicate asked about, scope escapes and bad input
//! refused with nothing stored.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};
use testkit::{both_databases, TestApp, TestDb};

both_databases! {
    a_nomination_goes_up_the_chain => chain;
    bad_nominations_are_refused_and_nothing_is_stored => bad_input;
}

struct People {
    t: TestApp,
    commune: String,
    other: String,
    province: String,
    ministry: String,
}

async fn people(db: &TestDb) -> People {
    let t = TestApp::start(db).await;
    t.user("xa", "commune", Some("00004"), None).await;
    t.user("xa2", "commune", Some("00008"), None).await;
    t.user("tinh", "province", Some("01"), None).await;
    t.user("bo", "ministry", Some("VN"), None).await;
    let commune = t.token("xa").await;
    let other = t.token("xa2").await;
    let (province, _) = t.token_with_totp("tinh").await;
    let (ministry, _) = t.token_with_totp("bo").await;
    People { t, commune, other, province, ministry }
}

fn medal(name: &str, sex: &str, from: &str, to: Value) -> Value {
    json!({"award_type": "kyniemchuong_bvantq", "year": 2026,
        "individual": {"name": name, "birth_year": 1970, "sex": sex, "position": "Tổ trưởng Tổ bảo vệ an ninh, trật tự", "unit_code": "00004",
            "service": [{"from": from, "to": to, "role": "team_member", "difficult_area": false}]},
        "achievements": "Nhiều năm tham gia tuần tra, vận động nhân dân.",
        "confirmed": {"completed_tasks_well": true}})
}

async fn step(p: &People, tok: &str, id: i64, body: Value) -> (u16, Value) {
    p.t.post_json(tok, &format!("/api/v1/nominations/{id}/transition"), &body).await
}

async fn chain(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let (s, types) = t.get_json("", "/api/v1/award-types").await;
    assert_eq!(s, 200);
    let knc = types["items"].as_array().unwrap().iter().find(|a| a["code"] == "kyniemchuong_bvantq").unwrap();
    assert_eq!(knc["for"], json!(["individual"]), "{knc}");
    // A man with sixteen years in the team: eligible, the clause cited.
    let (s, n) = t
        .post_json(&p.commune, "/api/v1/nominations", &medal("Nguyễn Văn Bình", "male", "2010-01-01", Value::Null))
        .await;
    assert_eq!(s, 201, "{n}");
    assert_eq!(
        (n["eligibility"]["status"].as_str(), n["eligibility"]["years"].as_i64()),
        (Some("eligible"), Some(16)),
        "{n}"
    );
    assert!(n["eligibility"]["source"].as_str().unwrap().contains("20/2025"), "{n}");
    let id = n["id"].as_i64().unwrap();
    // A woman with eight years, still serving: not yet, and the day she will be.
    let (s, w) = t
        .post_json(&p.commune, "/api/v1/nominations", &medal("Trần Thị Hoa", "female", "2018-06-01", Value::Null))
        .await;
    assert_eq!(s, 201, "{w}");
    assert_eq!(w["eligibility"]["status"], "not_yet", "{w}");
    assert_eq!(w["eligibility"]["eligible_on"], "2028-05-31", "{w}");
    // The same person again is asked about; confirmed as another person, kept.
    let again = medal("Nguyen Van Binh", "male", "2010-01-01", Value::Null);
    let (s, b) = t.post_json(&p.commune, "/api/v1/nominations", &again).await;
    assert_eq!((s, b["error"]["code"].as_str()), (409, Some("nomination.likely_duplicate")), "{b}");
    let mut other_person = again.clone();
    other_person["not_a_duplicate"] = json!(true);
    assert_eq!(t.post_json(&p.commune, "/api/v1/nominations", &other_person).await.0, 201);
    // Who sees it: the commune, its province, the ministry; not another commune.
    assert_eq!(t.get_json(&p.other, &format!("/api/v1/nominations/{id}")).await.0, 404);
    let (_, l) = t.get_json(&p.other, "/api/v1/nominations").await;
    assert_eq!(l["total"], 0, "{l}");
    let (_, l) = t.get_json(&p.province, "/api/v1/nominations?year=2026").await;
    assert_eq!(l["total"], 3, "{l}");
    // The way up: the province verifies, the ministry decides.
    assert_eq!(step(&p, &p.commune, id, json!({"to": "verified"})).await.0, 403, "not the proposer's step");
    assert_eq!(step(&p, &p.other, id, json!({"to": "verified"})).await.0, 404);
    assert_eq!(
        step(&p, &p.province, id, json!({"to": "decided", "decision_number": "1", "decision_date": "2026-08-15"}))
            .await
            .0,
        409
    );
    assert_eq!(step(&p, &p.province, id, json!({"to": "verified"})).await.0, 200);
    assert_eq!(
        step(&p, &p.province, id, json!({"to": "decided", "decision_number": "1", "decision_date": "2026-08-15"}))
            .await
            .0,
        403
    );
    let (s, b) =
        step(&p, &p.ministry, id, json!({"to": "decided", "decision_number": "", "decision_date": "2099-01-01"})).await;
    assert_eq!(s, 422, "{b}");
    let fields: Vec<&str> =
        b["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["decision_number", "decision_date"]);
    let (s, d) = step(
        &p,
        &p.ministry,
        id,
        json!({"to": "decided", "decision_number": "1234/QĐ-BCA", "decision_date": "2026-08-15"}),
    )
    .await;
    assert_eq!(
        (s, d["status"].as_str(), d["decision_number"].as_str()),
        (200, Some("decided"), Some("1234/QĐ-BCA")),
        "{d}"
    );
    assert_eq!(
        step(&p, &p.ministry, id, json!({"to": "returned", "reason": "Trùng hồ sơ"})).await.0,
        409,
        "decided stays"
    );
    // Returned with reasons, and sent again by the proposer.
    let wid = w["id"].as_i64().unwrap();
    assert_eq!(step(&p, &p.province, wid, json!({"to": "returned"})).await.0, 422, "a reason is needed");
    let (s, r) = step(&p, &p.province, wid, json!({"to": "returned", "reason": "Chưa đủ thời gian tham gia"})).await;
    assert_eq!((s, r["return_reason"].as_str()), (200, Some("Chưa đủ thời gian tham gia")));
    assert_eq!(step(&p, &p.province, wid, json!({"to": "proposed"})).await.0, 403);
    assert_eq!(step(&p, &p.commune, wid, json!({"to": "proposed"})).await.0, 200);
    // The register: a name without diacritics finds the person; decided only; the
    // XLSX lists the award decided; the honours list prints it.
    let (_, found) = t.get_json(&p.province, "/api/v1/nominations?q=tran%20thi%20hoa").await;
    assert_eq!(found["total"], 1, "{found}");
    let (_, decided) = t.get_json(&p.province, "/api/v1/nominations?year=2026&status=decided").await;
    assert_eq!((decided["total"].as_i64(), decided["items"][0]["id"].as_i64()), (Some(1), Some(id)), "{decided}");
    assert_eq!(t.get_json(&p.province, "/api/v1/nominations?status=bogus").await.0, 400);
    let r =
        t.http.get(t.url("/api/v1/nominations/register.xlsx?year=2026")).bearer_auth(&p.province).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let xlsx = r.bytes().await.unwrap();
    assert!(xlsx.starts_with(b"PK"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx.to_vec())).unwrap();
    let mut strings = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/sharedStrings.xml").unwrap(), &mut strings).unwrap();
    assert!(
        strings.contains("Nguyễn Văn Bình") && strings.contains("1234/QĐ-BCA") && !strings.contains("Trần Thị Hoa"),
        "{strings}"
    );
    let html = t
        .http
        .get(t.url("/nominations?year=2026&print=1"))
        .bearer_auth(&p.province)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"honours\"") && html.contains("Nguyễn Văn Bình") && !html.contains("Trần Thị Hoa"));
    // Every step is in the audit log.
    let steps =
        t.app.store.scalar_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'nomination.step'").await.unwrap();
    assert_eq!(steps, 4);
    p.t.stop().await;
}

async fn bad_input(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let count = || async { t.app.store.scalar_i64("SELECT COUNT(*) FROM nominations").await.unwrap() };
    // A form the commune may not propose (the province proposes the minister's).
    let bk = json!({"award_type": "bang_khen_bo_truong", "year": 2026, "collective": {"unit_code": "00004"}, "achievements": "Dẫn đầu phong trào"});
    let (s, b) = t.post_json(&p.commune, "/api/v1/nominations", &bk).await;
    assert_eq!((s, b["error"]["code"].as_str()), (403, Some("nomination.may_not_propose")), "{b}");
    // Periods that overlap or end before they start; both recipients; an unknown form.
    let mut overlap = medal("Lê Văn Cường", "male", "2005-01-01", json!("2015-12-31"));
    overlap["individual"]["service"]
        .as_array_mut()
        .unwrap()
        .push(json!({"from": "2015-01-01", "to": null, "role": "team_member"}));
    let (s, b) = t.post_json(&p.commune, "/api/v1/nominations", &overlap).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("medal.periods_overlap")), "{b}");
    let backwards = medal("Lê Văn Cường", "male", "2015-01-01", json!("2010-01-01"));
    let (s, b) = t.post_json(&p.commune, "/api/v1/nominations", &backwards).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("medal.period_backwards")), "{b}");
    let mut both = medal("Lê Văn Cường", "male", "2005-01-01", Value::Null);
    both["collective"] = json!({"unit_code": "00004"});
    assert_eq!(t.post_json(&p.commune, "/api/v1/nominations", &both).await.0, 422);
    let mut unknown = medal("Lê Văn Cường", "male", "2005-01-01", Value::Null);
    unknown["award_type"] = json!("huan_chuong_bogus");
    assert_eq!(t.post_json(&p.commune, "/api/v1/nominations", &unknown).await.0, 422);
    // A person of another commune's unit (out of scope) and a bad sex, birth year.
    let mut elsewhere = medal("Lê Văn Cường", "other", "2005-01-01", Value::Null);
    elsewhere["individual"]["unit_code"] = json!("00008");
    elsewhere["individual"]["birth_year"] = json!(2020);
    let (s, b) = t.post_json(&p.commune, "/api/v1/nominations", &elsewhere).await;
    let fields: Vec<&str> =
        b["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!((s, fields), (422, vec!["individual.birth_year", "individual.sex", "unit_code"]), "{b}");
    // A collective form given to a person.
    let mut to_person = medal("Lê Văn Cường", "male", "2005-01-01", Value::Null);
    to_person["award_type"] = json!("bang_khen_ubnd_tinh");
    assert_eq!(t.post_json(&p.commune, "/api/v1/nominations", &to_person).await.0, 201, "for both: fine");
    // A viewer proposes nothing.
    t.user("xem", "viewer", Some("00004"), None).await;
    let viewer = t.token("xem").await;
    assert_eq!(
        t.post_json(&viewer, "/api/v1/nominations", &medal("A B", "male", "2005-01-01", Value::Null)).await.0,
        403
    );
    assert_eq!(count().await, 1, "only the good one stored");
    p.t.stop().await;
}
