//! Units through time on SQLite and PostgreSQL (issue 17 point 9): a commune retired
//! into its successor with its open records moved in one audited step after a
//! preview (the tallies following the assessments), a rename that keeps the old
//! name with its days, a rename and a retirement from a future day, and the tree
//! `?on=` a day — before 1 July 2025 the old provinces and districts — and the
//! figures of earlier years kept under that year's units.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};
use testkit::{both_databases, TestApp, TestDb};

both_databases! {
    a_merged_commune_hands_its_open_records_to_its_successor => succession;
    renames_keep_the_old_name_and_the_tree_is_shown_as_of_a_day => names_and_days;
    figures_of_earlier_years_are_kept_under_that_years_units => past_figures;
}

const BA_DINH: &str = "00004";
const NGOC_HA: &str = "00008";

fn code(what: &str, (s, b): (u16, Value)) -> String {
    assert_eq!(s, 201, "{what}: {b}");
    b["code"].as_str().map(str::to_string).unwrap_or_else(|| b["id"].to_string())
}

async fn tally(t: &TestApp, commune: &str) -> i64 {
    let sql =
        format!("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM assessment_tallies WHERE commune_code = '{commune}'");
    t.app.store.scalar_i64(&sql).await.unwrap()
}

async fn succession(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("bo", "ministry", Some("VN"), None).await;
    t.user("hanoi", "province", Some("01"), None).await;
    t.user("badinh", "commune", Some(BA_DINH), None).await;
    t.user("ngocha", "commune", Some(NGOC_HA), None).await;
    let (ministry, _) = t.token_with_totp("bo").await;
    let (hanoi, _) = t.token_with_totp("hanoi").await;
    let ba_dinh = t.token("badinh").await;
    let ngoc_ha = t.token("ngocha").await;
    let year = store::clock::current_year();

    // Ba Đình's open records: two areas, an organisation, a draft assessment, a
    // model, a registration, a citizen's case, a task of its own and one shared.
    let area = |name: &str| json!({"parent_code": BA_DINH, "name": name, "division_type": "tổ dân phố"});
    let a1 = code("area", t.post_json(&ba_dinh, "/api/v1/units", &area("Tổ dân phố số 1")).await);
    let a2 = code("area", t.post_json(&ba_dinh, "/api/v1/units", &area("Tổ dân phố số 2")).await);
    let org = json!({"name": "Trường Tiểu học Ba Đình", "kind": "school", "unit_code": BA_DINH});
    let org = code("organisation", t.post_json(&ba_dinh, "/api/v1/organisations", &org).await);
    let draft = json!({"year": year, "instrument": "safe_unit", "unit_code": a1, "answers": []});
    let assessment = code("assessment", t.post_json(&ba_dinh, "/api/v1/assessments", &draft).await);
    let model = json!({"type_code": "camera_an_ninh", "name": "Camera an ninh tổ 1", "unit_code": a1, "started_on": format!("{}-03-01", year - 1)});
    let model = code("model", t.post_json(&ba_dinh, "/api/v1/models", &model).await);
    let reg = json!({"year": year, "unit_code": a2});
    assert_eq!(t.post_json(&ba_dinh, "/api/v1/registrations", &reg).await.0, 201);
    let case = json!({"kind": "petition", "unit_code": BA_DINH, "description": "Đề nghị lắp đèn chiếu sáng ngõ 12.", "anonymous": true});
    let (s, c) = t.post_json("", "/api/v1/public/cases", &case).await;
    assert_eq!(s, 201, "{c}");
    let receipt = c["receipt_code"].as_str().unwrap().to_string();
    let due = (store::clock::today() + chrono::Duration::days(30)).to_string();
    let own = json!({"title": "Rà soát camera ngõ phố", "due": due, "assignees": [BA_DINH]});
    let own = code("task", t.post_json(&hanoi, "/api/v1/tasks", &own).await);
    let shared = json!({"title": "Tuyên truyền phòng cháy", "due": due, "assignees": [BA_DINH, NGOC_HA]});
    let shared = code("task", t.post_json(&hanoi, "/api/v1/tasks", &shared).await);
    // Ba Đình's own task to its area, and an account of that area.
    let to_area = json!({"title": "Kiểm tra hộ kinh doanh", "due": due, "assignees": [a1.clone()]});
    let to_area = code("task", t.post_json(&ba_dinh, "/api/v1/tasks", &to_area).await);
    t.user("to1", "viewer", Some(a1.as_str()), None).await;
    assert_eq!(tally(&t, BA_DINH).await, 1);

    // The preview: the ministry (not the commune) sees what would move.
    let path = format!("/api/v1/units/{BA_DINH}/succession?successor={NGOC_HA}");
    assert_eq!(t.get_json(&ba_dinh, &path).await.0, 403, "a commune does not merge itself");
    let (s, p) = t.get_json(&ministry, &path).await;
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["areas"].as_array().unwrap().len(), 2, "{p}");
    for (k, n) in [
        ("organisations", 1),
        ("assessments", 1),
        ("cases", 1),
        ("task_assignments", 2),
        ("task_assignments_kept", 1),
        ("tasks_issued", 1),
        ("accounts", 1),
        ("models", 1),
        ("registrations", 1),
    ] {
        assert_eq!(p[k], n, "{k}: {p}");
    }
    assert_eq!(p["total"], 11, "{p}");
    // The preview page shows the same.
    let page = t.http.get(t.url(&format!("/units/{BA_DINH}/retire"))).bearer_auth(&ministry).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    assert_eq!(
        t.http
            .get(t.url(&format!("/units/{BA_DINH}/retire")))
            .bearer_auth(&ba_dinh)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        403
    );

    // Bad input: nothing stored.
    let retire = |body: Value| {
        let t = &t;
        let ministry = ministry.clone();
        async move { t.post_json(&ministry, &format!("/api/v1/units/{BA_DINH}/retire"), &body).await }
    };
    let today = store::clock::today_iso();
    let (s, b) = retire(json!({"valid_to": "2020-01-01", "successor_code": NGOC_HA})).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("unit.date_before_start")), "{b}");
    let (s, b) = retire(json!({"valid_to": today, "successor_code": a1})).await;
    assert_eq!(
        (s, b["error"]["fields"][0]["code"].as_str()),
        (422, Some("unit.successor_invalid")),
        "another level: {b}"
    );
    let (s, b) = retire(json!({"valid_to": today, "move_records": true})).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("unit.move_needs_successor")), "{b}");
    let (s, _) = t
        .post_json(
            &ba_dinh,
            &format!("/api/v1/units/{a2}/retire"),
            &json!({"valid_to": today, "move_records": true, "successor_code": a1}),
        )
        .await;
    assert_eq!(s, 422, "only a commune's records move");
    // A successor itself retired.
    let gone = code(
        "area",
        t.post_json(
            &ngoc_ha,
            "/api/v1/units",
            &json!({"parent_code": NGOC_HA, "name": "Tổ dân phố cũ", "division_type": "tổ dân phố"}),
        )
        .await,
    );
    assert_eq!(
        t.post_json(&ngoc_ha, &format!("/api/v1/units/{gone}/retire"), &json!({"valid_to": today})).await.0,
        200
    );
    let (s, b) = t
        .post_json(&ba_dinh, &format!("/api/v1/units/{a2}/retire"), &json!({"valid_to": today, "successor_code": gone}))
        .await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("unit.successor_invalid")), "{b}");
    let (_, u) = t.get_json("", &format!("/api/v1/units/{BA_DINH}")).await;
    assert!(u["valid_to"].is_null() && u["retires_on"].is_null(), "nothing stored: {u}");
    // A unit another waits to merge into stays until that merger is done.
    let later = json!({"valid_to": "2099-01-01", "successor_code": NGOC_HA});
    assert_eq!(t.post_json(&ministry, "/api/v1/units/00025/retire", &later).await.0, 200);
    let (s, b) = t
        .post_json(
            &ministry,
            &format!("/api/v1/units/{NGOC_HA}/retire"),
            &json!({"valid_to": "2098-01-01", "successor_code": "00073"}),
        )
        .await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("unit.awaited_successor")), "{b}");

    // The merger, today, moving the records.
    let (s, u) = retire(json!({"valid_to": today, "successor_code": NGOC_HA, "move_records": true})).await;
    assert_eq!(s, 200, "{u}");
    assert_eq!((u["valid_to"].as_str(), u["successor_code"].as_str()), (Some(today.as_str()), Some(NGOC_HA)));
    // Everything open is Ngọc Hà's now.
    let (_, area1) = t.get_json("", &format!("/api/v1/units/{a1}")).await;
    assert_eq!((area1["parent_code"].as_str(), area1["commune_code"].as_str()), (Some(NGOC_HA), Some(NGOC_HA)));
    assert_eq!(area1["code"], a1.as_str(), "an area keeps its code");
    let (_, areas) = t.get_json("", &format!("/api/v1/units?parent={NGOC_HA}")).await;
    assert!(areas["items"].as_array().unwrap().iter().any(|i| i["code"] == a2.as_str()), "{areas}");
    let (s, o) = t.get_json(&ngoc_ha, &format!("/api/v1/organisations/{org}")).await;
    assert_eq!((s, o["unit_code"].as_str()), (200, Some(NGOC_HA)), "{o}");
    let (s, a) = t.get_json(&ngoc_ha, &format!("/api/v1/assessments/{assessment}")).await;
    assert_eq!((s, a["commune_code"].as_str()), (200, Some(NGOC_HA)), "{a}");
    assert_eq!(t.get_json(&ba_dinh, &format!("/api/v1/assessments/{assessment}")).await.0, 404, "out of the old scope");
    assert_eq!((tally(&t, BA_DINH).await, tally(&t, NGOC_HA).await), (0, 1), "the tallies follow");
    let (s, m) = t.get_json(&ngoc_ha, &format!("/api/v1/models/{model}")).await;
    assert_eq!(s, 200, "{m}");
    let (_, regs) = t.get_json(&ngoc_ha, &format!("/api/v1/registrations?year={year}&unit={NGOC_HA}")).await;
    assert_eq!(regs["total"], 1, "{regs}");
    let (_, cases) = t.get_json(&ngoc_ha, "/api/v1/cases").await;
    assert!(cases["items"].as_array().unwrap().iter().any(|c| c["receipt_code"] == receipt.as_str()), "{cases}");
    let (_, task) = t.get_json(&hanoi, &format!("/api/v1/tasks/{own}")).await;
    assert_eq!(task["assignees"][0]["unit_code"], NGOC_HA, "{task}");
    let (s, task) = t.get_json(&ngoc_ha, &format!("/api/v1/tasks/{to_area}")).await;
    assert_eq!((s, task["unit_code"].as_str()), (200, Some(NGOC_HA)), "the task it issued: {task}");
    assert_eq!(task["assignees"][0]["unit_code"], a1.as_str(), "its area's assignment, now Ngọc Hà's: {task}");
    let (_, users) = t.get_json(&ngoc_ha, "/api/v1/users").await;
    assert!(users["items"].as_array().unwrap().iter().any(|u| u["username"] == "to1"), "the area's account: {users}");
    let (_, task) = t.get_json(&hanoi, &format!("/api/v1/tasks/{shared}")).await;
    let units: Vec<&str> =
        task["assignees"].as_array().unwrap().iter().map(|a| a["unit_code"].as_str().unwrap()).collect();
    assert!(units.contains(&BA_DINH) && units.contains(&NGOC_HA), "the shared task stays twice: {units:?}");
    // One audited step naming what moved.
    let after = t
        .app
        .store
        .scalar_text(&format!(
            "SELECT after_json FROM audit_log WHERE action = 'unit.retire' AND entity_id = '{BA_DINH}'"
        ))
        .await
        .unwrap();
    let after: Value = serde_json::from_str(&after).unwrap();
    assert_eq!(
        (after["moved"]["assessments"].as_i64(), after["moved"]["cases"].as_i64()),
        (Some(1), Some(1)),
        "{after}"
    );
    // The merged commune's page still answers, with its successor.
    let html = t.http.get(t.url(&format!("/units/{BA_DINH}"))).bearer_auth(&ministry).send().await.unwrap();
    assert_eq!(html.status().as_u16(), 200);
    assert!(html.text().await.unwrap().contains(&format!("href=\"/units/{NGOC_HA}\"")));

    // From a future day: nothing moves until the worker applies it on that day.
    let later = json!({"valid_to": "2099-01-01", "successor_code": NGOC_HA, "move_records": true});
    let (s, u) = t.post_json(&ministry, "/api/v1/units/00070/retire", &later).await;
    assert_eq!((s, u["retires_moving"].as_bool()), (200, Some(true)), "{u}");
    t.user("hoankiem", "commune", Some("00070"), None).await;
    let hk = t.token("hoankiem").await;
    let hk_area = code(
        "area",
        t.post_json(
            &hk,
            "/api/v1/units",
            &json!({"parent_code": "00070", "name": "Tổ dân phố số 5", "division_type": "tổ dân phố"}),
        )
        .await,
    );
    assert_eq!(t.app.apply_due_unit_retirements().await.unwrap(), 0);
    t.app
        .store
        .execute_one("UPDATE units SET retires_on = $1 WHERE code = '00070'", &[today.as_str().into()])
        .await
        .unwrap();
    assert_eq!(t.app.apply_due_unit_retirements().await.unwrap(), 1);
    let (_, moved) = t.get_json("", &format!("/api/v1/units/{hk_area}")).await;
    assert_eq!(moved["parent_code"], NGOC_HA, "moved on the day: {moved}");
    t.stop().await;
}

async fn names_and_days(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("bo", "ministry", Some("VN"), None).await;
    t.user("hanoi", "province", Some("01"), None).await;
    let (ministry, _) = t.token_with_totp("bo").await;
    let (hanoi, _) = t.token_with_totp("hanoi").await;
    t.app.store.load_unit_history().await.unwrap();
    let today = store::clock::today();
    let path = format!("/api/v1/units/{NGOC_HA}/rename");
    // A province does not rename a commune (a State decision entered centrally).
    assert_eq!(t.post_json(&hanoi, &path, &json!({"name": "Phường Ngọc Hà Mới"})).await.0, 403);
    // Same name, a day before the current name began, a bad day: refused by name.
    let (_, now) = t.get_json("", &format!("/api/v1/units/{NGOC_HA}")).await;
    let old_name = now["name"].as_str().unwrap().to_string();
    assert_eq!(old_name, "Phường Ngọc Hà");
    let (s, b) = t.post_json(&ministry, &path, &json!({"name": old_name})).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("unit.rename_same")), "{b}");
    let (s, b) =
        t.post_json(&ministry, &path, &json!({"name": "Phường Ngọc Hà Mới", "valid_from": "2025-07-01"})).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("unit.rename_too_early")), "{b}");
    let (s, _) =
        t.post_json(&ministry, &path, &json!({"name": "Phường Ngọc Hà Mới", "valid_from": "2026-13-01"})).await;
    assert_eq!(s, 422);
    // Renamed from 01/9/2025: the old name kept with its days.
    let (s, u) =
        t.post_json(&ministry, &path, &json!({"name": "Phường Ngọc Hà Mới", "valid_from": "2025-09-01"})).await;
    assert_eq!(s, 200, "{u}");
    assert_eq!((u["name"].as_str(), u["name_from"].as_str()), (Some("Phường Ngọc Hà Mới"), Some("2025-09-01")));
    assert_eq!(u["former_names"], json!([{"name": old_name, "valid_from": "2025-07-01", "valid_to": "2025-09-01"}]));
    // The tree as of a day shows the name of that day; a search by the old name finds it.
    let (_, b) = t.get_json("", &format!("/api/v1/units?on=2025-08-01&parent=01&q={NGOC_HA}")).await;
    assert_eq!(b["items"][0]["name"], old_name.as_str(), "{b}");
    let (_, b) = t.get_json("", &format!("/api/v1/units?on={today}&parent=01&q={NGOC_HA}")).await;
    assert_eq!(b["items"][0]["name"], "Phường Ngọc Hà Mới", "{b}");
    let (_, b) = t.get_json("", "/api/v1/units?q=ngoc%20ha&level=commune").await;
    assert!(b["items"].as_array().unwrap().iter().any(|i| i["code"] == NGOC_HA), "found by its old name too: {b}");
    // A rename from a future day waits; the tree after that day already shows it.
    let (s, u) =
        t.post_json(&ministry, &path, &json!({"name": "Phường Ngọc Hà Tương Lai", "valid_from": "2099-01-01"})).await;
    assert_eq!(
        (s, u["name"].as_str(), u["renames_on"].as_str()),
        (200, Some("Phường Ngọc Hà Mới"), Some("2099-01-01")),
        "{u}"
    );
    let (_, b) = t.get_json("", &format!("/api/v1/units?on=2099-02-01&parent=01&q={NGOC_HA}")).await;
    assert_eq!(b["items"][0]["name"], "Phường Ngọc Hà Tương Lai", "{b}");
    assert_eq!(t.app.apply_due_unit_retirements().await.unwrap(), 0, "its day has not come");
    // A unit retired from a future day is in the tree until that day, not after.
    let later = json!({"valid_to": "2099-01-01", "successor_code": BA_DINH});
    assert_eq!(t.post_json(&ministry, "/api/v1/units/00070/retire", &later).await.0, 200);
    let (_, before) = t.get_json("", "/api/v1/units?on=2098-12-31&parent=01&q=00070").await;
    let (_, after) = t.get_json("", "/api/v1/units?on=2099-01-01&parent=01&q=00070").await;
    assert_eq!((before["total"].as_i64(), after["total"].as_i64()), (Some(1), Some(0)), "{before} {after}");
    // Before 1 July 2025: 63 provinces; Hà Nội's districts; 34 provinces after.
    let (_, b) = t.get_json("", "/api/v1/units?on=2024-06-01&level=province&size=100").await;
    assert_eq!(b["total"], 63, "{}", b["total"]);
    assert!(b["items"].as_array().unwrap().iter().all(|i| i["valid_to"] == "2025-06-30"));
    let (_, b) = t.get_json("", "/api/v1/units?on=2024-06-01&level=district&parent=01&size=100").await;
    assert_eq!(b["total"], 30, "Hà Nội had 30 districts: {}", b["total"]);
    let (_, b) = t.get_json("", "/api/v1/units?on=2025-08-01&level=province").await;
    assert_eq!(b["total"], 34);
    assert_eq!(t.get_json("", "/api/v1/units?on=yesterday").await.0, 400);
    assert_eq!(t.get_json("", "/api/v1/units?on=2025-08-01&level=district").await.0, 400, "no districts after 2025");
    // The pages: former names on the unit's page, the old tree by a day.
    let html = t.http.get(t.url(&format!("/units/{NGOC_HA}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("id=\"former-names\"") && html.contains("id=\"renames-on\""), "unit page");
    let html = t.http.get(t.url("/units?on=01%2F06%2F2024")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Tỉnh An Giang") && html.contains("id=\"as-of\""), "the old tree");
    let r = t.http.get(t.url("/units?on=31%2F02%2F2024")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    t.stop().await;
}

async fn past_figures(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.app.store.load_unit_history().await.unwrap();
    t.user("bo", "ministry", Some("VN"), None).await;
    t.user("ninhbinh", "province", Some("37"), None).await;
    t.user("hanoi", "province", Some("01"), None).await;
    let (ministry, _) = t.token_with_totp("bo").await;
    let (ninh_binh, _) = t.token_with_totp("ninhbinh").await;
    let (hanoi, _) = t.token_with_totp("hanoi").await;
    let head = "year,level,code,indicator,recognised,assessed,source\n";
    // A file with faults: every wrong row named, nothing stored.
    let bad = format!(
        "{head}2024,province,37,recognition.commune,113,119,BC 15/BC-CAT\n2025,province,37,recognition.commune,1,2,BC 1\n2024,province,99,recognition.commune,1,2,BC 2\n2024,district,372,recognition.residential_area,90,80,BC 3\n"
    );
    let (s, b) = t.post_raw(&ministry, "/api/v1/past-figures/import", "text/csv", bad.into_bytes()).await;
    assert_eq!(s, 422, "{b}");
    let rows: Vec<(i64, &str)> = b["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("{b}"))
        .iter()
        .map(|r| (r["row"].as_i64().unwrap(), r["code"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, vec![(3, "past.year_invalid"), (4, "past.unit_unknown"), (5, "past.more_than_assessed")], "{b}");
    let (_, l) = t.get_json(&ministry, "/api/v1/past-figures?year=2024").await;
    assert_eq!(l["items"].as_array().unwrap().len(), 0, "nothing stored");
    // A province cannot import; the ministry's good file is kept.
    let good = format!(
        "{head}2024,province,37,recognition.commune,113,119,Báo cáo 15/BC-CAT ngày 10/12/2024\n2024,province,35,recognition.commune,98,98,Báo cáo 20/BC-CAT\n2024,district,372,recognition.residential_area,80,90,Báo cáo 15/BC-CAT\n2024,province,01,recognition.commune,500,579,Báo cáo 9/BC-CAT\n"
    );
    assert_eq!(
        t.post_raw(&ninh_binh, "/api/v1/past-figures/import", "text/csv", good.clone().into_bytes()).await.0,
        403
    );
    let (s, b) = t.post_raw(&ministry, "/api/v1/past-figures/import", "text/csv", good.into_bytes()).await;
    assert_eq!((s, b["imported"].as_i64()), (201, Some(4)), "{b}");
    // Today's Ninh Bình sees the old provinces it took in (Hà Nam, Ninh Bình), not Hà Nội.
    let (_, l) = t.get_json(&ninh_binh, "/api/v1/past-figures?year=2024&level=province").await;
    let names: Vec<&str> = l["items"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Tỉnh Hà Nam", "Tỉnh Ninh Bình"], "{l}");
    assert_eq!(l["items"][1]["recognised"], 113);
    assert_eq!(l["items"][1]["successors"][0]["code"], "37");
    let (_, l) = t.get_json(&ninh_binh, "/api/v1/past-figures?year=2024&level=district&parent=37").await;
    assert_eq!(l["items"][0]["name"], "Huyện Nho Quan", "{l}");
    let (_, l) = t.get_json(&hanoi, "/api/v1/past-figures?year=2024&level=province").await;
    assert_eq!(l["items"].as_array().unwrap().len(), 1, "Hà Nội sees its own: {l}");
    assert_eq!(t.get_json(&hanoi, "/api/v1/past-figures?level=huyen").await.0, 400);
    // The dashboard of 2024 shows them under 2024's units.
    let html =
        t.http.get(t.url("/movement?year=2024")).bearer_auth(&ninh_binh).send().await.unwrap().text().await.unwrap();
    let past = html.split("id=\"past-figures\"").nth(1).unwrap_or_else(|| panic!("no past figures"));
    assert!(
        past.contains("Tỉnh Hà Nam") && past.contains("113/119") && past.contains("href=\"/units/37\""),
        "{}",
        &past[..past.len().min(800)]
    );
    let html = t
        .http
        .get(t.url("/movement?year=2024&past_level=district&past_parent=37"))
        .bearer_auth(&ninh_binh)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Huyện Nho Quan") && html.contains("80/90"));
    t.stop().await;
}
