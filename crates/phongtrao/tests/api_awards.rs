//! Emulation and awards on SQLite and PostgreSQL (issue 18, first slice): the award
//! catalogue, a nomination's way up (commune → province verifies → ministry decides,
//! returned with reasons and sent again), the Kỷ niệm chương time rule computed from
//! the periods entered, a likely duplicate asked about, scope escapes and bad input
//! refused with nothing stored; the catalogue the ministry publishes by year; "Dân
//! vận khéo" registered and recognised by the level above; the register searched
//! by unit across years; the public honour roll, opt-in per decision.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};
use testkit::{both_databases, TestApp, TestDb};

both_databases! {
    a_nomination_goes_up_the_chain => chain;
    bad_nominations_are_refused_and_nothing_is_stored => bad_input;
    the_ministry_publishes_the_catalogue_by_year => catalogue;
    dan_van_kheo_is_recognised_by_the_level_above => dan_van_kheo;
    the_honour_roll_shows_only_what_a_decision_made_public => honour_roll;
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
    let (_, html) = t.get_text(&p.province, "/nominations?year=2026&print=1").await;
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

async fn catalogue(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let year = store::clock::current_year();
    let (_, shipped) = t.get_json("", &format!("/api/v1/award-types?year={year}")).await;
    assert_eq!(shipped["version"], Value::Null, "the shipped catalogue: {shipped}");
    let mut items = shipped["items"].as_array().unwrap().clone();
    // The ministry renames one form and drops the commune's Giấy khen for this year.
    let at = items.iter().position(|a| a["code"] == "bang_khen_ubnd_tinh").unwrap();
    items[at]["name"] = json!("Bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh");
    items.retain(|a| a["code"] != "giay_khen_ubnd_xa");
    let version = json!({"year": year, "items": items});
    assert_eq!(t.put_json(&p.commune, "/api/v1/award-types", &version).await.0, 403);
    assert_eq!(t.put_json(&p.province, "/api/v1/award-types", &version).await.0, 403);
    let (s, b) = t.put_json(&p.ministry, "/api/v1/award-types", &version).await;
    assert_eq!((s, b["version"].as_i64()), (200, Some(year)), "{b}");
    let (_, now) = t.get_json("", &format!("/api/v1/award-types?year={year}")).await;
    assert_eq!((now["version"].as_i64(), now["versions"].clone()), (Some(year), json!([year])), "{now}");
    assert!(now["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["name"] == "Bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh"));
    let (_, before) = t.get_json("", &format!("/api/v1/award-types?year={}", year - 1)).await;
    assert_eq!(before["version"], Value::Null, "an earlier year keeps the shipped catalogue");
    // A nomination of this year is checked against this year's version.
    let collective = |award: &str| json!({"award_type": award, "year": year, "collective": {"unit_code": "00004"}, "achievements": "Phong trào sôi nổi."});
    let (s, b) = t.post_json(&p.commune, "/api/v1/nominations", &collective("giay_khen_ubnd_xa")).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("nomination.award_unknown")), "{b}");
    assert_eq!(t.post_json(&p.commune, "/api/v1/nominations", &collective("bang_khen_ubnd_tinh")).await.0, 201);
    // Bad versions: each fault named; an award in use cannot be dropped; nothing stored.
    let mut bad = now["items"].as_array().unwrap().clone();
    bad.push(bad[0].clone());
    let (s, b) = t.put_json(&p.ministry, "/api/v1/award-types", &json!({"year": year, "items": bad})).await;
    let n = now["items"].as_array().unwrap().len();
    assert_eq!((s, b["error"]["fields"][0]["field"].as_str()), (422, Some(format!("items[{n}].code").as_str())), "{b}");
    let mut dropped = now["items"].as_array().unwrap().clone();
    dropped.retain(|a| a["code"] != "bang_khen_ubnd_tinh");
    let (s, b) = t.put_json(&p.ministry, "/api/v1/award-types", &json!({"year": year, "items": dropped})).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("award_catalogue.code_in_use")), "{b}");
    let mut ruled = now["items"].as_array().unwrap().clone();
    ruled[0]["rule"] = json!("by_hand");
    assert_eq!(t.put_json(&p.ministry, "/api/v1/award-types", &json!({"year": year, "items": ruled})).await.0, 422);
    let (_, still) = t.get_json("", &format!("/api/v1/award-types?year={year}")).await;
    assert_eq!(still["items"], now["items"], "nothing stored");
    // The page: the ministry edits one form there; a commune only reads.
    let page = |tok: String| async move { t.get_text(&tok, &format!("/award-types?year={year}")).await.1 };
    let html = page(p.ministry.clone()).await;
    assert!(html.contains("id=\"awcat-add\"") && html.contains("Bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh"));
    assert!(!page(p.commune.clone()).await.contains("id=\"awcat-add\""), "a commune does not edit");
    let y = year.to_string();
    let form = [
        ("year", y.as_str()),
        ("code", "giay_khen_ubnd_xa"),
        ("name", "Giấy khen của Chủ tịch Ủy ban nhân dân xã"),
        ("for_collective", "1"),
        ("for_individual", "1"),
        ("proposer_commune", "1"),
        ("decider", "commune"),
        ("decider_name", "Chủ tịch Ủy ban nhân dân cấp xã"),
        ("basis", "Luật Thi đua, khen thưởng 2022"),
        ("rule", ""),
        ("from_year", y.as_str()),
        ("to_confirm", "1"),
    ];
    let r = t.http.post(t.url("/award-types")).bearer_auth(&p.ministry).form(&form).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let r = t.http.post(t.url("/award-types")).bearer_auth(&p.commune).form(&form).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(
        t.post_json(&p.commune, "/api/v1/nominations", &collective("giay_khen_ubnd_xa")).await.0,
        201,
        "back in"
    );
    p.t.stop().await;
}

async fn dan_van_kheo(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let year = store::clock::current_year();
    let (s, m) = t
        .post_json(&p.commune, "/api/v1/models", &json!({"type_code": "camera_an_ninh", "name": "Camera an ninh phố Đội Cấn", "unit_code": "00004", "started_on": "2024-03-01"}))
        .await;
    assert_eq!(s, 201, "{m}");
    let model = m["id"].as_i64().unwrap();
    let reg = json!({"model_id": model, "year": year});
    // Registered by the commune that holds it, once a year; not by others.
    assert_eq!(t.post_json(&p.other, "/api/v1/dan-van-kheo", &reg).await.0, 404);
    assert_eq!(t.post_json(&p.province, "/api/v1/dan-van-kheo", &reg).await.0, 403);
    let (s, b) = t.post_json(&p.commune, "/api/v1/dan-van-kheo", &json!({"model_id": model, "year": year - 3})).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("dvk.year_invalid")), "{b}");
    let (s, e) = t.post_json(&p.commune, "/api/v1/dan-van-kheo", &reg).await;
    assert_eq!(
        (s, e["status"].as_str(), e["holder_level"].as_str()),
        (201, Some("registered"), Some("commune")),
        "{e}"
    );
    assert_eq!(t.post_json(&p.commune, "/api/v1/dan-van-kheo", &reg).await.0, 409);
    let id = e["id"].as_i64().unwrap();
    let decide = |tok: &str, body: Value| {
        let tok = tok.to_string();
        async move { t.post_json(&tok, &format!("/api/v1/dan-van-kheo/{id}/decision"), &body).await }
    };
    // The level above decides: not the commune itself, not the ministry, not another commune.
    let recognise = json!({"to": "recognised", "decision_number": "245/QĐ-CAT-PV05", "decision_date": store::clock::today_iso(), "public": true});
    assert_eq!(decide(&p.commune, recognise.clone()).await.0, 403);
    assert_eq!(decide(&p.ministry, recognise.clone()).await.0, 403);
    assert_eq!(decide(&p.other, recognise.clone()).await.0, 404);
    // Returned with a reason, sent again, then recognised by decision.
    let (s, b) = decide(&p.province, json!({"to": "returned"})).await;
    assert_eq!((s, b["error"]["fields"][0]["field"].as_str()), (422, Some("reason")), "{b}");
    let (s, b) = decide(&p.province, json!({"to": "returned", "reason": "Bổ sung báo cáo kết quả"})).await;
    assert_eq!((s, b["status"].as_str()), (200, Some("returned")), "{b}");
    assert_eq!(decide(&p.province, json!({"to": "registered"})).await.0, 403, "the commune sends it again");
    assert_eq!(decide(&p.commune, json!({"to": "registered"})).await.0, 200);
    let (s, b) =
        decide(&p.province, json!({"to": "recognised", "decision_number": "", "decision_date": "2099-01-01"})).await;
    assert_eq!(s, 422, "{b}");
    let (s, b) = decide(&p.province, recognise.clone()).await;
    assert_eq!((s, b["status"].as_str(), b["public"].as_bool()), (200, Some("recognised"), Some(true)), "{b}");
    assert_eq!(
        decide(&p.province, json!({"to": "returned", "reason": "Đổi ý kiến"})).await.0,
        409,
        "a decision stands"
    );
    // The model carries the mark; the counts by level and type.
    assert_eq!(t.get_json(&p.commune, &format!("/api/v1/models/{model}")).await.1["dan_van_kheo"], 1);
    assert_eq!(t.get_json(&p.commune, "/api/v1/models?dan_van_kheo=true").await.1["total"], 1);
    let (_, st) = t.get_json(&p.province, &format!("/api/v1/stats/dan-van-kheo?year={year}")).await;
    assert_eq!((st["registered"].as_i64(), st["recognised"].as_i64()), (Some(1), Some(1)), "{st}");
    assert_eq!(st["by_level"], json!([{"level": "commune", "registered": 1, "recognised": 1}]), "{st}");
    assert_eq!(st["by_type"][0]["type_code"], "camera_an_ninh", "{st}");
    let (_, st) = t.get_json(&p.other, &format!("/api/v1/stats/dan-van-kheo?year={year}")).await;
    assert_eq!(st["registered"], 0, "another commune counts none");
    assert_eq!(t.get_json(&p.other, &format!("/api/v1/dan-van-kheo?year={year}")).await.1["total"], 0);
    // The pages: the register with its counts, the model's years, the dashboard.
    for (tok, path, needle) in [
        (&p.province, format!("/dan-van-kheo?year={year}"), "Camera an ninh phố Đội Cấn"),
        (&p.commune, format!("/models/{model}"), "QĐ-CAT-PV05"),
        (&p.commune, format!("/movement?year={year}"), "id=\"dvk-progress\""),
    ] {
        let (s, html) = t.get_text(tok, &path).await;
        assert_eq!(s, 200, "{path}");
        assert!(html.contains(needle), "{path}");
    }
    p.t.stop().await;
}

async fn honour_roll(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let year = store::clock::current_year();
    let today = store::clock::today_iso();
    // A collective and a person proposed by the commune, decided by the province.
    let nominate = |body: Value| {
        let c = p.commune.clone();
        async move { t.post_json(&c, "/api/v1/nominations", &body).await }
    };
    let (_, team) = nominate(json!({"award_type": "giay_khen_giam_doc_cat", "year": year, "collective": {"unit_code": "00004"}, "achievements": "Phong trào sôi nổi."})).await;
    let person = json!({"award_type": "giay_khen_giam_doc_cat", "year": year,
        "individual": {"name": "Lê Thị Mai", "birth_year": 1975, "sex": "female", "position": "Tổ trưởng tổ dân phố", "unit_code": "00004"},
        "achievements": "Vận động nhân dân."});
    let (_, one) = nominate(person).await;
    let (team, one) = (team["id"].as_i64().unwrap(), one["id"].as_i64().unwrap());
    for (id, public) in [(team, true), (one, false)] {
        assert_eq!(step(&p, &p.province, id, json!({"to": "verified"})).await.0, 200);
        let (s, d) = step(&p, &p.province, id, json!({"to": "decided", "decision_number": format!("{id}/QĐ-CAT"), "decision_date": today, "public": public})).await;
        assert_eq!((s, d["public"].as_bool()), (200, Some(public)), "{d}");
    }
    // The roll, without logging in: the collective, not the person.
    let roll = || async { t.get_json("", &format!("/api/v1/public/honour-roll?year={year}")).await };
    let (s, r) = roll().await;
    assert_eq!(s, 200, "{r}");
    let text = r.to_string();
    assert!(text.contains("Phường Ba Đình") && text.contains(&format!("{team}/QĐ-CAT")), "{r}");
    assert!(!text.contains("Lê Thị Mai"), "a person only when the decision says public: {r}");
    assert!(!text.contains("1975") && !text.contains("female"), "no personal details: {r}");
    assert_eq!(r["provinces"][0]["province_code"], "01", "{r}");
    // A returned nomination never shows; a later year is empty.
    let (_, other_year) = t.get_json("", &format!("/api/v1/public/honour-roll?year={}", year - 1)).await;
    assert_eq!(other_year["provinces"], json!([]));
    let (s, html) = t.get_text("", &format!("/vinh-danh?year={year}")).await;
    assert_eq!(s, 200);
    assert!(html.contains("id=\"honour-01\"") && !html.contains("Lê Thị Mai"));
    // The register by unit, across years: the commune's, its province's; another's none.
    for (unit, total) in [("00004", 2), ("01", 2), ("00008", 0)] {
        let (s, l) = t.get_json(&p.province, &format!("/api/v1/nominations?unit={unit}&status=decided")).await;
        assert_eq!((s, l["total"].as_i64()), (200, Some(total)), "{unit}: {l}");
    }
    let (_, l) =
        t.get_json(&p.province, "/api/v1/nominations?q=le%20thi%20mai&award_type=giay_khen_giam_doc_cat").await;
    assert_eq!(l["total"], 1, "{l}");
    let path = format!("/nominations?all_years=1&unit=00004&award_type=giay_khen_giam_doc_cat&decided=1&year={year}");
    let (_, html) = t.get_text(&p.province, &path).await;
    assert!(html.contains("Lê Thị Mai") && html.contains("Phường Ba Đình"), "the register page across years");
    p.t.stop().await;
}
