//! The grassroots forces on SQLite and PostgreSQL (issue 19): teams over residential
//! areas, members (the few fields, the phone sealed and revealed with a reason),
//! member lists that never leave the commune, the yearly rating with its 9-month
//! rule and 20 % cap feeding TT 124 Điều 4 khoản 5, training, funding and its
//! import, the counts; scope escapes and bad input with nothing stored.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};
use testkit::{both_databases, TestApp, TestDb};

both_databases! {
    teams_and_members_stay_inside_the_commune => teams;
    ratings_respect_the_cap_and_feed_the_area_criterion => ratings;
    training_and_funding_are_counted => training_and_funding;
}

const PHONE: &str = "0912345678";

struct People {
    t: TestApp,
    commune: String,
    other: String,
    province: String,
    year: i64,
}

async fn people(db: &TestDb) -> People {
    let t = TestApp::start(db).await;
    t.user("xa", "commune", Some("00004"), None).await;
    t.user("xa2", "commune", Some("00008"), None).await;
    t.user("tinh", "province", Some("01"), None).await;
    let commune = t.token("xa").await;
    let other = t.token("xa2").await;
    let (province, _) = t.token_with_totp("tinh").await;
    People { t, commune, other, province, year: store::clock::current_year() }
}

async fn area(t: &TestApp, tok: &str, parent: &str, name: &str) -> String {
    let body = json!({"parent_code": parent, "name": name, "division_type": "tổ dân phố"});
    let (s, b) = t.post_json(tok, "/api/v1/units", &body).await;
    assert_eq!(s, 201, "{b}");
    b["code"].as_str().unwrap().to_string()
}

async fn team(t: &TestApp, tok: &str, area: &str, name: &str, established: &str) -> i64 {
    let (s, b) = t
        .post_json(tok, "/api/v1/teams", &json!({"unit_code": area, "name": name, "established_on": established}))
        .await;
    assert_eq!(s, 201, "{b}");
    b["id"].as_i64().unwrap()
}

fn member(name: &str, birth_year: i64, role: &str) -> Value {
    json!({"name": name, "birth_year": birth_year, "sex": "male", "role": role, "joined_on": "2024-07-01"})
}

fn p_today() -> String {
    store::clock::today_iso()
}

fn code(b: &Value) -> Option<&str> {
    b["error"]["fields"][0]["code"].as_str().or(b["error"]["code"].as_str())
}

async fn teams(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let (a1, a2, a3) = (
        area(t, &p.commune, "00004", "Tổ dân phố số 1").await,
        area(t, &p.commune, "00004", "Tổ dân phố số 2").await,
        area(t, &p.commune, "00004", "Tổ dân phố số 3").await,
    );
    let far = area(t, &p.other, "00008", "Tổ dân phố số 9").await;
    // A team over one area, another over two; an area has one team.
    let one = team(t, &p.commune, &a1, "Tổ bảo vệ ANTT tổ dân phố số 1", "2024-07-01").await;
    let (s, two) = t.post_json(&p.commune, "/api/v1/teams", &json!({"unit_code": a2, "areas": [a2, a3], "name": "Tổ bảo vệ ANTT liên tổ 2–3", "established_on": "2024-07-01"})).await;
    assert_eq!(s, 201, "{two}");
    let two = two["id"].as_i64().unwrap();
    let (s, b) = t
        .post_json(
            &p.commune,
            "/api/v1/teams",
            &json!({"unit_code": a3, "name": "Tổ trùng", "established_on": "2024-07-01"}),
        )
        .await;
    assert_eq!((s, code(&b)), (422, Some("forces.area_has_team")), "{b}");
    let (s, b) = t
        .post_json(
            &p.commune,
            "/api/v1/teams",
            &json!({"unit_code": far, "name": "Tổ ngoài xã", "established_on": "2024-07-01"}),
        )
        .await;
    assert_eq!((s, code(&b)), (422, Some("forces.area_unknown")), "another commune's area: {b}");
    let (s, b) = t
        .post_json(
            &p.commune,
            "/api/v1/teams",
            &json!({"unit_code": "00004", "name": "Tổ cấp xã", "established_on": "2024-07-01"}),
        )
        .await;
    assert_eq!((s, code(&b)), (422, Some("forces.area_unknown")), "a commune is not a residential area: {b}");
    // Members: the leader with a phone; bad input refused with nothing stored.
    let mut leader = member("Nguyễn Văn An", 1975, "leader");
    leader["phone"] = json!("0912 345 678");
    let path = format!("/api/v1/teams/{one}/members");
    let (s, m) = t.post_json(&p.commune, &path, &leader).await;
    assert_eq!((s, m["has_phone"].as_bool()), (201, Some(true)), "{m}");
    assert!(!m.to_string().contains(PHONE), "no phone in the answer");
    let mid = m["id"].as_i64().unwrap();
    let young = store::clock::current_year() - 16;
    for (body, want, expect) in [
        (member("Trẻ Quá", young, "member"), 422, "forces.member_under_age"),
        (member("Chưa Sinh", store::clock::current_year() + 1, "member"), 422, "forces.birth_year_invalid"),
        (
            json!({"name": "Lê Văn Bình", "birth_year": 1980, "sex": "male", "role": "member", "joined_on": "2025-03-01", "left_on": "2025-01-01"}),
            422,
            "forces.left_before_joined",
        ),
        (member("Phạm Văn Cao", 1950, "member"), 422, "forces.member_over_age"),
        (member("Trần Văn Dũng", 1980, "captain"), 422, "forces.role_unknown"),
        (member("Hoàng Văn Em", 1982, "leader"), 409, "forces.one_leader"),
    ] {
        let (s, b) = t.post_json(&p.commune, &path, &body).await;
        assert_eq!((s, code(&b)), (want, Some(expect)), "{body}: {b}");
    }
    let mut over = member("Phạm Văn Cao", 1950, "member");
    over["over_age_decision"] = json!(true);
    assert_eq!(t.post_json(&p.commune, &path, &over).await.0, 201, "over 70 with the chair's decision");
    // The same person cannot serve in two teams at once.
    let (s, b) = t
        .post_json(&p.commune, &format!("/api/v1/teams/{two}/members"), &member("Nguyen Van An", 1975, "member"))
        .await;
    assert_eq!((s, code(&b)), (409, Some("forces.member_in_other_team")), "{b}");
    assert_eq!(
        t.post_json(&p.commune, &format!("/api/v1/teams/{two}/members"), &member("Đỗ Văn Giang", 1979, "leader"))
            .await
            .0,
        201
    );
    // The list stays in the commune: the province sees counts, another commune nothing.
    let (_, mine) = t.get_json(&p.commune, &format!("/api/v1/teams/{one}")).await;
    assert_eq!(mine["members"].as_array().unwrap().len(), 2, "{mine}");
    assert!(!mine.to_string().contains(PHONE));
    let (s, above) = t.get_json(&p.province, &format!("/api/v1/teams/{one}")).await;
    assert_eq!(
        (s, above["members"].clone(), above["by_role"].clone()),
        (200, Value::Null, json!([1, 0, 1])),
        "{above}"
    );
    assert!(!above.to_string().contains("Nguyễn Văn An"), "no names above the commune");
    assert_eq!(t.get_json(&p.other, &format!("/api/v1/teams/{one}")).await.0, 404);
    assert_eq!(t.post_json(&p.other, &path, &member("Ngoài Xã", 1980, "member")).await.0, 404);
    assert_eq!(t.post_json(&p.province, &path, &member("Cấp Tỉnh", 1980, "member")).await.0, 403);
    let (_, page) = t.get_text(&p.province, &format!("/teams/{one}")).await;
    assert!(
        page.contains("id=\"members-hidden\"") && !page.contains("Nguyễn Văn An"),
        "the page shows no list above the commune"
    );
    // The phone: revealed to the commune with a reason, audited; never to others.
    let reveal = format!("/api/v1/teams/{one}/members/{mid}/reveal-phone");
    assert_eq!(t.post_json(&p.commune, &reveal, &json!({"reason": ""})).await.0, 422);
    assert_eq!(t.post_json(&p.province, &reveal, &json!({"reason": "Liên hệ tuần tra"})).await.0, 403);
    assert_eq!(t.post_json(&p.other, &reveal, &json!({"reason": "Liên hệ tuần tra"})).await.0, 404);
    let (s, b) = t.post_json(&p.commune, &reveal, &json!({"reason": "Liên hệ phân công tuần tra"})).await;
    assert_eq!((s, b["phone"].as_str()), (200, Some(PHONE)), "{b}");
    let logged =
        t.app.store.scalar_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'team.reveal_phone'").await.unwrap();
    assert_eq!(logged, 1);
    // Sealed at rest: the database holds no phone in the clear.
    assert!(!database_holds(db, &p.t, PHONE).await, "a member's phone is sealed at rest");
    // The counts.
    let (_, st) = t.get_json(&p.province, &format!("/api/v1/stats/forces?year={}&unit=00004", p.year)).await;
    assert_eq!(
        (st["teams"].as_i64(), st["members"].as_i64(), st["areas"].as_i64(), st["areas_without_team"].as_i64()),
        (Some(2), Some(3), Some(3), Some(0)),
        "{st}"
    );
    assert_eq!(st["vacancies"], 3, "two teams of three, three members: {st}");
    // The point map coloured by the areas a team covers: Ba Đình's three of three, green.
    let (_, map) = t.get_text(&p.province, &format!("/movement/points?year={}&unit=01&indicator=teams", p.year)).await;
    assert!(
        map.contains("fill=\"#137333\" stroke=\"#fff\" stroke-width=\"1\"><title>Phường Ba Đình: 3/3</title>"),
        "the teams indicator"
    );
    // One level down for the province: Ba Đình's teams and members.
    let (_, page) = t.get_text(&p.province, "/teams").await;
    let row = page.split("id=\"forces-by-place\"").nth(1).unwrap_or_default();
    assert!(row.contains("Phường Ba Đình"), "the province's communes listed");
    // A member leaves: not before joining, not in the future; then may join another team.
    let leave = format!("/api/v1/teams/{one}/members/{mid}/leave");
    assert_eq!(t.post_json(&p.commune, &leave, &json!({"left_on": "2020-01-01"})).await.0, 422);
    assert_eq!(t.post_json(&p.commune, &leave, &json!({"left_on": "2099-01-01"})).await.0, 422);
    assert_eq!(t.post_json(&p.province, &leave, &json!({"left_on": "2025-06-30"})).await.0, 403);
    let (s, b) = t.post_json(&p.commune, &leave, &json!({"left_on": "2025-06-30"})).await;
    assert_eq!((s, b["left_on"].as_str()), (200, Some("2025-06-30")), "{b}");
    let mut again = member("Nguyễn Văn An", 1975, "member");
    again["joined_on"] = json!("2025-07-01");
    assert_eq!(
        t.post_json(&p.commune, &format!("/api/v1/teams/{two}/members"), &again).await.0,
        201,
        "one team at a time"
    );
    let (_, st) = t.get_json(&p.province, &format!("/api/v1/stats/forces?year={}&unit=00004", p.year)).await;
    assert_eq!(st["members"], 3, "the one who left no longer counts, the new membership does: {st}");
    let (_, st) = t.get_json(&p.other, &format!("/api/v1/stats/forces?year={}", p.year)).await;
    assert_eq!((st["teams"].as_i64(), st["areas_without_team"].as_i64()), (Some(0), Some(1)), "{st}");
    // A team dissolved: its members leave that day, its area may get a new team.
    let d = format!("/api/v1/teams/{two}/dissolve");
    assert_eq!(t.post_json(&p.province, &d, &json!({"on": p_today(), "decision": "5/QĐ-UBND"})).await.0, 403);
    assert_eq!(
        t.post_json(&p.commune, &d, &json!({"on": "2020-01-01", "decision": "5/QĐ-UBND"})).await.0,
        422,
        "before it was founded"
    );
    let (s, b) = t.post_json(&p.commune, &d, &json!({"on": p_today(), "decision": "5/QĐ-UBND"})).await;
    assert_eq!((s, b["status"].as_str()), (200, Some("dissolved")), "{b}");
    assert_eq!(t.post_json(&p.commune, &d, &json!({"on": p_today(), "decision": "5/QĐ-UBND"})).await.0, 409);
    assert_eq!(
        t.post_json(&p.commune, &format!("/api/v1/teams/{two}/members"), &member("Mới Vào", 1990, "member")).await.0,
        409
    );
    let (_, v) = t.get_json(&p.commune, &format!("/api/v1/teams/{two}")).await;
    assert!(v["members"].as_array().unwrap().iter().all(|m| m["left_on"].is_string()), "everyone left: {v}");
    assert!(
        team(t, &p.commune, &a3, "Tổ bảo vệ ANTT tổ dân phố số 3", "2024-07-01").await > two,
        "the area is free again"
    );
    // Equipment as counts per team.
    let eq = json!({"kind": "Áo phản quang", "quantity": 5, "issued_on": "2025-01-10"});
    assert_eq!(t.post_json(&p.commune, &format!("/api/v1/teams/{one}/equipment"), &eq).await.0, 201);
    assert_eq!(
        t.post_json(
            &p.commune,
            &format!("/api/v1/teams/{one}/equipment"),
            &json!({"kind": "Gậy", "quantity": 0, "issued_on": "2025-01-10"})
        )
        .await
        .0,
        422
    );
    let (_, v) = t.get_json(&p.province, &format!("/api/v1/teams/{one}")).await;
    assert_eq!(v["equipment"], json!([["Áo phản quang", 5]]));
    p.t.stop().await;
}

/// Whether the database holds `needle` in the clear (the SQLite file and its WAL;
/// on PostgreSQL, any member row's columns as text).
async fn database_holds(db: &TestDb, t: &TestApp, needle: &str) -> bool {
    if let Some(path) = db.url.strip_prefix("sqlite://") {
        let hay = |p: String| std::fs::read(p).unwrap_or_default();
        let mut bytes = hay(path.to_string());
        bytes.extend(hay(format!("{path}-wal")));
        return bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    }
    let sql = format!("SELECT COUNT(*) FROM team_members m WHERE CAST(m.* AS TEXT) LIKE '%{needle}%' OR encode(m.phone, 'escape') LIKE '%{needle}%'");
    t.app.store.scalar_i64(&sql).await.unwrap() > 0
}

async fn ratings(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let y = p.year;
    let today = store::clock::today_iso();
    let mut teams = Vec::new();
    for i in 1..=7 {
        let a = area(t, &p.commune, "00004", &format!("Tổ dân phố số {i}")).await;
        teams.push((a.clone(), team(t, &p.commune, &a, &format!("Tổ bảo vệ ANTT số {i}"), "2024-07-01").await));
    }
    let rate = |team: i64, level: &str| json!({"team_id": team, "year": y, "level": level, "decision_number": "12/QĐ-UBND", "decision_date": today});
    // Scope: another commune cannot find the team; the province does not rate.
    assert_eq!(t.post_json(&p.other, "/api/v1/team-ratings", &rate(teams[0].1, "good")).await.0, 404);
    assert_eq!(t.post_json(&p.province, "/api/v1/team-ratings", &rate(teams[0].1, "good")).await.0, 403);
    // No "good" yet: no "excellent".
    let (s, b) = t.post_json(&p.commune, "/api/v1/team-ratings", &rate(teams[0].1, "excellent")).await;
    assert_eq!((s, code(&b)), (422, Some("forces.excellent_cap")), "{b}");
    assert!(
        b["error"]["fields"][0]["message"].as_str().unwrap_or_default().contains("20%")
            || b.to_string().contains("20%"),
        "the message names the cap: {b}"
    );
    for (_, tm) in &teams[1..6] {
        let (s, r) = t.post_json(&p.commune, "/api/v1/team-ratings", &rate(*tm, "good")).await;
        assert_eq!((s, r["level"].as_str()), (201, Some("good")), "{r}");
    }
    // Five "good": one "excellent", not two.
    assert_eq!(t.post_json(&p.commune, "/api/v1/team-ratings", &rate(teams[0].1, "excellent")).await.0, 201);
    let (s, b) = t.post_json(&p.commune, "/api/v1/team-ratings", &rate(teams[6].1, "excellent")).await;
    assert_eq!((s, code(&b)), (422, Some("forces.excellent_cap")), "{b}");
    assert_eq!(
        t.post_json(&p.commune, "/api/v1/team-ratings", &rate(teams[0].1, "good")).await.0,
        409,
        "rated once a year"
    );
    let (s, b) = t.post_json(&p.commune, "/api/v1/team-ratings", &json!({"team_id": teams[6].1, "year": y, "level": "brilliant", "decision_number": "1", "decision_date": today})).await;
    assert_eq!((s, code(&b)), (422, Some("forces.level_unknown")), "{b}");
    // A team founded a month ago is not rated.
    let fresh_area = area(t, &p.commune, "00004", "Tổ dân phố mới").await;
    let founded = (store::clock::today() - chrono::Duration::days(30)).to_string();
    let fresh = team(t, &p.commune, &fresh_area, "Tổ mới", &founded).await;
    let (s, b) = t.post_json(&p.commune, "/api/v1/team-ratings", &rate(fresh, "good")).await;
    assert_eq!((s, code(&b)), (422, Some("forces.rating_too_new")), "{b}");
    // The rating feeds Điều 4 khoản 5 of the area: computed, not typed, once it exists.
    assert_eq!(t.post_json(&p.commune, "/api/v1/team-ratings", &rate(teams[6].1, "not_completed")).await.0, 201);
    let answers = |met: bool| async move { all_answers(t, met).await };
    let assess = |unit: String, answers: Value| json!({"instrument": "safe_unit", "unit_code": unit, "year": y, "answers": answers});
    let (s, bad) =
        t.post_json(&p.commune, "/api/v1/assessments", &assess(teams[6].0.clone(), answers(true).await)).await;
    assert_eq!(s, 201, "{bad}");
    assert_eq!(bad["result"]["passed"], false, "{bad}");
    let unmet: Vec<(&str, &str)> = bad["result"]["unmet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["code"].as_str().unwrap(), u["reason_code"].as_str().unwrap()))
        .collect();
    assert_eq!(unmet, vec![("K5", "team_not_completed")], "the rating wins over the answer");
    let (_, good) =
        t.post_json(&p.commune, "/api/v1/assessments", &assess(teams[1].0.clone(), answers(true).await)).await;
    assert_eq!(good["result"]["passed"], true, "{good}");
    // Unrated: the answer typed by hand holds.
    let (_, typed) =
        t.post_json(&p.commune, "/api/v1/assessments", &assess(fresh_area.clone(), answers(true).await)).await;
    assert_eq!(typed["result"]["passed"], true, "{typed}");
    let (_, st) = t.get_json(&p.province, &format!("/api/v1/stats/forces?year={y}")).await;
    assert_eq!(st["rated"], json!({"excellent": 1, "good": 5, "completed": 0, "not_completed": 1}), "{st}");
    // The commune's rating page rates several teams under one decision, the cap on the whole.
    let more: Vec<String> = {
        let mut v = Vec::new();
        for i in 8..=9 {
            let a = area(t, &p.commune, "00004", &format!("Tổ dân phố số {i}")).await;
            v.push(team(t, &p.commune, &a, &format!("Tổ bảo vệ ANTT số {i}"), "2024-07-01").await.to_string());
        }
        v
    };
    let (s, html) = t.get_text(&p.commune, &format!("/teams/ratings?year={y}")).await;
    assert_eq!(s, 200);
    assert!(
        html.contains(&format!("name=\"level_{}\"", more[0])) && html.contains("Chưa đủ 9 tháng"),
        "rateable and too new shown"
    );
    let form = |a: &str, b: &str| {
        vec![
            ("year".to_string(), y.to_string()),
            (format!("level_{}", more[0]), a.to_string()),
            (format!("level_{}", more[1]), b.to_string()),
            ("decision_number".into(), "30/QĐ-UBND".into()),
            ("decision_date".into(), store::clock::today().format("%d/%m/%Y").to_string()),
        ]
    };
    let c = &p.commune;
    let post = |f: Vec<(String, String)>| async move {
        t.http.post(t.url("/teams/ratings")).bearer_auth(c).form(&f).send().await.unwrap()
    };
    let r = post(form("excellent", "excellent")).await;
    assert_eq!(r.status().as_u16(), 422, "two more excellent with five good");
    assert!(r.text().await.unwrap().contains("20%"));
    let r = post(form("good", "completed")).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, st) = t.get_json(&p.commune, &format!("/api/v1/stats/forces?year={y}")).await;
    assert_eq!((st["rated"]["good"].as_i64(), st["rated"]["completed"].as_i64()), (Some(6), Some(1)), "{st}");
    p.t.stop().await;
}

/// Every answerable criterion of the residential area's safe-unit set met (or not).
async fn all_answers(t: &TestApp, met: bool) -> Value {
    let (_, b) = t.get_json("", "/api/v1/criteria-sets?instrument=safe_unit&subject=residential_area").await;
    let set = &b["items"][0];
    assert_eq!(set["version"], "2022.3", "the set in force computes K5: {}", set["version"]);
    let answers: Vec<Value> = set["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| !c["computed"].is_string() || c["computed"] == "team_rated")
        .map(|c| json!({"criterion": c["code"], "met": met}))
        .collect();
    Value::from(answers)
}

async fn training_and_funding(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let y = p.year;
    let a = area(t, &p.commune, "00004", "Tổ dân phố số 1").await;
    let one = team(t, &p.commune, &a, "Tổ bảo vệ ANTT số 1", "2024-07-01").await;
    let (_, m) = t
        .post_json(&p.commune, &format!("/api/v1/teams/{one}/members"), &member("Nguyễn Văn An", 1975, "leader"))
        .await;
    let (_, m2) =
        t.post_json(&p.commune, &format!("/api/v1/teams/{one}/members"), &member("Lê Văn Bình", 1985, "member")).await;
    let (mid, mid2) = (m["id"].as_i64().unwrap(), m2["id"].as_i64().unwrap());
    // A course with one member by name and a headcount; the other commune's member is refused.
    let day = store::clock::today_iso();
    let course = |members: Value| json!({"unit_code": "00004", "topic": "Kỹ năng tuần tra, nắm tình hình", "level": "commune", "starts_on": day, "ends_on": day, "organiser": "Công an phường Ba Đình", "hours": 8, "member_ids": members, "headcount": 40});
    let (s, b) = t.post_json(&p.other, "/api/v1/trainings", &json!({"unit_code": "00008", "topic": "X", "level": "commune", "starts_on": day, "ends_on": day, "organiser": "Công an phường Ngọc Hà", "hours": 4, "member_ids": [mid]})).await;
    assert_eq!((s, code(&b)), (422, Some("forces.member_unknown")), "{b}");
    assert_eq!(t.post_json(&p.commune, "/api/v1/trainings", &course(json!([mid]))).await.0, 201);
    let (_, st) = t.get_json(&p.province, &format!("/api/v1/stats/forces?year={y}")).await;
    assert_eq!(
        (st["trained_members"].as_i64(), st["members"].as_i64(), st["trained_headcount"].as_i64()),
        (Some(1), Some(2), Some(40)),
        "{st}"
    );
    let (_, v) = t.get_json(&p.commune, &format!("/api/v1/teams/{one}")).await;
    assert_eq!(v["hours"], json!([[mid, 8]]), "hours per member this year: {v}");
    let _ = mid2;
    // Funding: a line, bad lines refused, the totals by category.
    let line = |category: &str, budget: i64, spent: i64| json!({"unit_code": "00004", "year": y, "category": category, "source": "state_budget", "budget": budget, "spent": spent});
    assert_eq!(t.post_json(&p.commune, "/api/v1/funding", &line("training", 20_000_000, 15_000_000)).await.0, 201);
    for (body, expect) in
        [(line("fireworks", 1, 1), "funding.category_unknown"), (line("equipment", -5, 0), "funding.amount_negative")]
    {
        let (s, b) = t.post_json(&p.commune, "/api/v1/funding", &body).await;
        assert_eq!((s, code(&b)), (422, Some(expect)), "{b}");
    }
    assert_eq!(t.post_json(&p.commune, "/api/v1/funding", &line("training", 1, 1)).await.0, 409);
    let mut outside = line("equipment", 1, 1);
    outside["unit_code"] = json!("00008");
    let (s, b) = t.post_json(&p.commune, "/api/v1/funding", &outside).await;
    assert_eq!((s, code(&b)), (422, Some("funding.unit_unknown")), "{b}");
    // Import: a file with a wrong row imports nothing, each wrong row named; a good one all.
    let bad = format!("unit_code,year,category,source,budget,spent\n00004,{y},equipment,state_budget,5000000,4000000\n00004,{y},fireworks,state_budget,1,1\n00004,{y},rewards,socialisation,-1,0\n");
    let (s, b) = t.post_raw(&p.commune, "/api/v1/funding/import", "text/csv", bad.into_bytes()).await;
    assert_eq!(s, 422, "{b}");
    let rows: Vec<(i64, &str)> = b["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["row"].as_i64().unwrap(), r["code"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, vec![(3, "funding.category_unknown"), (4, "funding.amount_negative")], "{b}");
    let (_, st) = t.get_json(&p.commune, &format!("/api/v1/stats/funding?year={y}")).await;
    assert_eq!(st["items"].as_array().unwrap().len(), 1, "nothing of the rejected file: {st}");
    let good = format!("unit_code,year,category,source,budget,spent\n00004,{y},equipment,state_budget,5.000.000,4.000.000\n00004,{y},ngay_hoi,socialisation,3000000,3000000\n");
    let (s, b) = t.post_raw(&p.commune, "/api/v1/funding/import", "text/csv", good.into_bytes()).await;
    assert_eq!((s, b["imported"].as_i64()), (201, Some(2)), "{b}");
    let (_, st) = t.get_json(&p.province, &format!("/api/v1/stats/funding?year={y}&unit=00004")).await;
    assert_eq!((st["budget"].as_i64(), st["spent"].as_i64()), (Some(28_000_000), Some(22_000_000)), "{st}");
    let equipment = st["items"].as_array().unwrap().iter().find(|i| i["category"] == "equipment").cloned();
    assert_eq!(equipment, Some(json!({"category": "equipment", "budget": 5_000_000, "spent": 4_000_000})));
    assert_eq!(st["per_area"], 22_000_000, "one area: {st}");
    assert_eq!(st["allowance_due"], Value::Null, "Hà Nội has no rate in the data: not guessed");
    assert_eq!(t.get_json(&p.other, &format!("/api/v1/stats/funding?year={y}&unit=00004")).await.0, 404);
    // The point map coloured by the spending per residential area: Ba Đình 22 million, green.
    let (_, map) =
        t.get_text(&p.province, &format!("/movement/points?year={y}&unit=01&indicator=funding_per_area")).await;
    assert!(
        map.contains("fill=\"#137333\" stroke=\"#fff\" stroke-width=\"1\"><title>Phường Ba Đình: 22.000.000"),
        "the funding indicator"
    );
    // The movement dashboard carries the forces and the spending per area.
    let (_, dash) = t.get_text(&p.commune, &format!("/movement?year={y}")).await;
    let fig = dash.split("id=\"forces-progress\"").nth(1).unwrap_or_default();
    assert!(
        fig.contains("<b>1</b>") && fig.contains("22.000.000") && fig.contains("11.000.000"),
        "per area and per member: {}",
        &fig[..fig.len().min(500)]
    );
    // The pages in every state they reach.
    for path in [
        "/teams",
        "/trainings",
        &format!("/funding?year={y}"),
        &format!("/teams/{one}"),
        &format!("/teams/ratings?year={y}"),
    ] {
        for tok in [&p.commune, &p.province, &p.other] {
            let (s, _) = t.get_text(tok, path).await;
            assert!(s == 200 || (s == 404 && path.starts_with("/teams/") && tok == &p.other), "{path}: {s}");
        }
    }
    p.t.stop().await;
}
