//! Bad input over HTTP, on SQLite and PostgreSQL: precise statuses, translated
//! messages, nothing written. Also diacritic-insensitive search.
#![allow(clippy::unwrap_used)]

use serde_json::json;
use testkit::{both_databases, TestApp, TestDb};

both_databases! {
    malformed_and_mistyped_json => bad_json;
    unknown_units => unknown_units;
    oversized_bodies => oversized;
    csv_with_one_bad_row_writes_nothing => csv_bad_row;
    xlsx_that_is_not_a_spreadsheet => not_xlsx;
    import_csv_and_xlsx_round_trip => import_round_trip;
    search_ignores_diacritics => diacritics;
    residential_areas => areas;
    large_imports_run_as_jobs_with_progress => import_jobs;
    merged_units_stay_readable => merged_units;
    smaller_holes_are_closed => smaller_holes;
}

async fn commune(t: &TestApp) -> String {
    t.user("c1", "commune", Some("00004"), None).await;
    t.token("c1").await
}

async fn bad_json(db: &TestDb) {
    let t = TestApp::start(db).await;
    let tok = commune(&t).await;
    let r = t
        .http
        .post(t.url("/api/v1/organisations"))
        .bearer_auth(&tok)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let b: serde_json::Value = r.json().await.unwrap();
    assert_eq!(b["error"]["code"], "bad_json");
    assert_eq!(b["error"]["message"], "Nội dung JSON không đúng cú pháp.");
    let (s, b) =
        t.post_json(&tok, "/api/v1/organisations", &json!({"name": 5, "kind": "school", "unit_code": "00004"})).await;
    assert_eq!(s, 422);
    assert_eq!(b["error"]["code"], "json_type");
    let r = t
        .http
        .post(t.url("/api/v1/organisations"))
        .bearer_auth(&tok)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 415);
    // English when asked.
    let r = t
        .http
        .post(t.url("/api/v1/organisations"))
        .bearer_auth(&tok)
        .header("accept-language", "en")
        .json(&json!({"name": "", "kind": "school", "unit_code": "00004"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let b: serde_json::Value = r.json().await.unwrap();
    assert_eq!(b["error"]["fields"][0]["message"], "The name must not be empty.");
    assert_eq!(t.count_all_organisations().await, 0);
    t.stop().await;
}

async fn unknown_units(db: &TestDb) {
    let t = TestApp::start(db).await;
    let tok = commune(&t).await;
    let (s, b) =
        t.post_json(&tok, "/api/v1/organisations", &json!({"name": "A", "kind": "school", "unit_code": "99999"})).await;
    assert_eq!(s, 422);
    assert_eq!(b["error"]["fields"][0]["field"], "unit_code");
    let (s, _) = t.get_json(&tok, "/api/v1/units/99999").await;
    assert_eq!(s, 404);
    let (s, _) = t.get_json(&tok, "/api/v1/organisations/999999").await;
    assert_eq!(s, 404);
    let (s, b) = t.get_json(&tok, "/api/v1/organisations/abc").await;
    assert_eq!(s, 404);
    assert_eq!(b["error"]["code"], "not_found", "{b}");
    // Pages too: an id that is not a number is the not-found page, not a crash or a 400.
    for page in ["/organisations/abc", "/assessments/x1", "/models/1e9", "/cases/-", "/organisations/abc/edit"] {
        let r = t.http.get(t.url(page)).bearer_auth(&tok).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 404, "{page}");
        assert!(r.text().await.unwrap().contains("Không tìm thấy"), "{page}");
    }
    // An id that is not a number is the same 404, in the request's language, and
    // authentication is still checked first.
    let r = t
        .http
        .get(t.url("/api/v1/assessments/x1"))
        .bearer_auth(&tok)
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let b: serde_json::Value = r.json().await.unwrap();
    let message = b["error"]["message"].as_str().unwrap_or_default().to_string();
    assert!(!message.is_empty() && message.is_ascii(), "{b}");
    let r = t.http.get(t.url("/api/v1/assessments/x1")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let (s, _) = t.get_json(&tok, "/api/v1/units?level=district").await;
    assert_eq!(s, 400);
    assert_eq!(t.count_all_organisations().await, 0);
    t.stop().await;
}

async fn oversized(db: &TestDb) {
    let t = TestApp::start(db).await;
    let tok = commune(&t).await;
    let huge = format!("{{\"name\":\"{}\",\"kind\":\"school\",\"unit_code\":\"00004\"}}", "a".repeat(2 * 1024 * 1024));
    let r = t
        .http
        .post(t.url("/api/v1/organisations"))
        .bearer_auth(&tok)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 413);
    let b: serde_json::Value = r.json().await.unwrap();
    assert_eq!(b["error"]["code"], "too_large");
    assert_eq!(t.count_all_organisations().await, 0);
    t.stop().await;
}

async fn csv_bad_row(db: &TestDb) {
    let t = TestApp::start(db).await;
    let tok = commune(&t).await;
    let csv =
        "name,kind,unit_code\nTrường A,school,00004\nCông ty B,bank,00004\nCơ quan C,agency,00004\n,other,00004\n";
    let (s, b) = t.post_raw(&tok, "/api/v1/organisations/import", "text/csv", csv.as_bytes().to_vec()).await;
    assert_eq!(s, 422, "{b}");
    let rows = b["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["row"], 3);
    assert_eq!(rows[0]["column"], "kind");
    assert_eq!(rows[1]["row"], 5);
    assert_eq!(rows[1]["column"], "name");
    assert!(rows[0]["message"].as_str().unwrap().contains("Loại hình"));
    assert_eq!(t.count_all_organisations().await, 0);
    // A missing column is reported against the header row.
    let (s, b) =
        t.post_raw(&tok, "/api/v1/organisations/import", "text/csv", b"name,unit_code\nA,00004\n".to_vec()).await;
    assert_eq!(s, 422);
    assert_eq!(b["rows"][0]["row"], 1);
    assert_eq!(b["rows"][0]["column"], "kind");
    // Non-UTF-8 text is refused as a media problem.
    let (s, _) = t
        .post_raw(
            &tok,
            "/api/v1/organisations/import",
            "text/csv",
            b"name,kind,unit_code\n\xff\xfe,school,00004\n".to_vec(),
        )
        .await;
    assert_eq!(s, 415);
    assert_eq!(t.count_all_organisations().await, 0);
    t.stop().await;
}

async fn not_xlsx(db: &TestDb) {
    let t = TestApp::start(db).await;
    let tok = commune(&t).await;
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let (s, b) = t.post_raw(&tok, "/api/v1/organisations/import", xlsx, b"this is not a spreadsheet".to_vec()).await;
    assert_eq!(s, 415, "{b}");
    assert_eq!(b["error"]["code"], "import.not_spreadsheet");
    let (s, _) = t.post_raw(&tok, "/api/v1/organisations/import", "image/png", b"\x89PNG".to_vec()).await;
    assert_eq!(s, 415);
    assert_eq!(t.count_all_organisations().await, 0);
    t.stop().await;
}

async fn import_round_trip(db: &TestDb) {
    let t = TestApp::start(db).await;
    let tok = commune(&t).await;
    let (s, b) = t.post_raw(&tok, "/api/v1/organisations/import", "text/csv", "name,kind,unit_code,tax_code\nTrường Tiểu học Ba Đình,school,00004,\nCông ty Điện lực,enterprise,00004,0101234567\n".as_bytes().to_vec()).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["imported"], 2);
    // The same with the headers and kinds an officer writes in Vietnamese.
    let vi = "Tên,Loại,Mã xã,Mã số thuế,Địa chỉ\nTrường Mầm non Hoa Sen,Nhà trường,00004,,Số 3 phố Đội Cấn\nCông ty May Đội Cấn,doanh nghiệp,00004,0101234568,\n";
    let (s, b) = t.post_raw(&tok, "/api/v1/organisations/import", "text/csv", vi.as_bytes().to_vec()).await;
    assert_eq!((s, b["imported"].as_i64()), (201, Some(2)), "{b}");
    let (_, l) = t.get_json(&tok, "/api/v1/organisations?q=hoa+sen").await;
    assert_eq!(
        (l["items"][0]["kind"].as_str(), l["items"][0]["address"].as_str()),
        (Some("school"), Some("Số 3 phố Đội Cấn")),
        "{l}"
    );
    // XLSX built with rust_xlsxwriter.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["name", "kind", "unit_code"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "Bệnh viện Đa khoa").unwrap();
    ws.write_string(1, 1, "agency").unwrap();
    ws.write_number(1, 2, 4.0).unwrap();
    ws.write_string(2, 0, "Hợp tác xã Rau sạch").unwrap();
    ws.write_string(2, 1, "other").unwrap();
    ws.write_string(2, 2, "00004").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let (s, b) = t.post_raw(&tok, "/api/v1/organisations/import", xlsx, bytes).await;
    // The number 4 is not the commune code "00004": reported, nothing written.
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["rows"][0]["row"], 2);
    assert_eq!(t.count_all_organisations().await, 4);
    // Export as XLSX and import it back.
    let r = t.http.get(t.url("/api/v1/organisations/export?format=xlsx")).bearer_auth(&tok).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let exported = r.bytes().await.unwrap().to_vec();
    assert!(exported.starts_with(b"PK"));
    let (s, b) = t.post_raw(&tok, "/api/v1/organisations/import", xlsx, exported).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(t.count_all_organisations().await, 8);
    t.stop().await;
}

async fn diacritics(db: &TestDb) {
    let t = TestApp::start(db).await;
    let r = t.http.get(t.url("/login")).send().await.unwrap();
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.headers()["x-frame-options"], "DENY");
    let (s, b) = t.get_json("", "/api/v1/units?q=dong%20tam").await;
    assert_eq!(s, 200);
    let names: Vec<&str> = b["items"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap()).collect();
    assert!(names.contains(&"01165") && names.contains(&"25390"), "{b}");
    let (_, b) = t.get_json("", "/api/v1/units?q=ha%20noi&level=province").await;
    assert_eq!(b["items"][0]["name"], "Thành phố Hà Nội");
    let (_, b) = t.get_json("", "/api/v1/units?q=H%C3%80%20N%E1%BB%98I&level=province").await;
    assert_eq!(b["total"], 1);
    let (_, b) = t.get_json("", "/api/v1/units?level=province").await;
    assert_eq!(b["total"], 34);
    let (_, b) = t.get_json("", "/api/v1/units?level=commune&size=1").await;
    assert_eq!(b["total"], 3321);
    let (_, b) = t.get_json("", "/api/v1/units?parent=01&level=commune&size=1").await;
    assert_eq!(b["total"], 126);
    let tok = commune(&t).await;
    t.post_json(
        &tok,
        "/api/v1/organisations",
        &json!({"name": "Trường THCS Đống Đa", "kind": "school", "unit_code": "00004"}),
    )
    .await;
    let (_, b) = t.get_json(&tok, "/api/v1/organisations?q=dong%20da").await;
    assert_eq!(b["total"], 1);
    let (_, b) = t.get_json(&tok, "/api/v1/organisations?q=%25").await;
    assert_eq!(b["total"], 0, "a literal % must not match everything");
    t.stop().await;
}

async fn areas(db: &TestDb) {
    let t = TestApp::start(db).await;
    let tok = commune(&t).await;
    let (s, b) = t
        .post_json(
            &tok,
            "/api/v1/units",
            &json!({"parent_code": "00004", "name": "Tổ dân phố số 1", "division_type": "tổ dân phố"}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["code"], "00004.001");
    assert_eq!(b["level"], "area");
    let (s, _) = t
        .post_json(&tok, "/api/v1/units", &json!({"parent_code": "00004", "name": "Xóm 2", "division_type": "xóm"}))
        .await;
    assert_eq!(s, 422);
    let (s, b) = t
        .post_raw(
            &tok,
            "/api/v1/units/00004/areas/import",
            "text/csv",
            "name,division_type\nThôn Đông,thôn\nKhu phố 3,khu pho\n".as_bytes().to_vec(),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let (_, b) = t.get_json(&tok, "/api/v1/units?parent=00004").await;
    assert_eq!(b["total"], 3);
    let (s, b) = t
        .post_raw(
            &tok,
            "/api/v1/units/00004/areas/import",
            "text/csv",
            "name,division_type\nThôn Tây,thôn\n,thôn\n".as_bytes().to_vec(),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    let (_, b) = t.get_json(&tok, "/api/v1/units?parent=00004").await;
    assert_eq!(b["total"], 3, "all or nothing");
    t.stop().await;
}

async fn import_jobs(db: &TestDb) {
    let t = TestApp::start(db).await;
    let tok = commune(&t).await;
    // Large enough to be checked on two threads (each half 22,500 rows).
    let rows: Vec<String> = (0..45_000).map(|i| format!("Hộ kinh doanh {i},enterprise,00004\n")).collect();
    let csv = format!("name,kind,unit_code\n{}", rows.concat());
    let (s, b) =
        t.post_raw(&tok, "/api/v1/organisations/import?async=true", "text/csv", csv.clone().into_bytes()).await;
    assert_eq!(s, 202, "{b}");
    let id = b["job"].as_i64().unwrap();
    let (s, job) = t.get_json(&tok, &format!("/api/v1/imports/{id}?wait=60")).await;
    assert_eq!(s, 200);
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(job["imported"], 45_000);
    assert_eq!(t.count_all_organisations().await, 45_000);
    // Bad rows near the start and deep in the second half: the job is rejected with
    // both rows named in file order, and nothing is written.
    let csv = format!(
        "name,kind,unit_code\n{}Dòng lỗi,bank,00004\n{}Dòng lỗi 2,bank,00004\n",
        rows[..1].concat(),
        rows[1..40_000].concat()
    );
    let (_, b) = t.post_raw(&tok, "/api/v1/organisations/import?async=true", "text/csv", csv.into_bytes()).await;
    let id2 = b["job"].as_i64().unwrap();
    let (_, job) = t.get_json(&tok, &format!("/api/v1/imports/{id2}?wait=60")).await;
    assert_eq!(job["status"], "rejected", "{job}");
    let bad: Vec<i64> = job["rows"].as_array().unwrap().iter().map(|r| r["row"].as_i64().unwrap()).collect();
    assert_eq!(bad, [3, 40_003]);
    assert_eq!(t.count_all_organisations().await, 45_000);
    // Another user's job does not exist for them.
    t.user("c2", "commune", Some("00008"), None).await;
    let other = t.token("c2").await;
    let (s, _) = t.get_json(&other, &format!("/api/v1/imports/{id}")).await;
    assert_eq!(s, 404);
    // The progress page renders the finished job.
    let page = t.http.get(t.url(&format!("/imports/{id}"))).bearer_auth(&tok).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.text().await.unwrap().contains("45.000"));
    t.stop().await;
}

async fn merged_units(db: &TestDb) {
    let t = TestApp::start(db).await;
    let tok = commune(&t).await;
    for name in ["Thôn Đông", "Thôn Tây"] {
        let (s, _) = t
            .post_json(&tok, "/api/v1/units", &json!({"parent_code": "00004", "name": name, "division_type": "thôn"}))
            .await;
        assert_eq!(s, 201);
    }
    // Retired from today: gone from the current lists at once.
    let today = store::clock::today_iso();
    let body = json!({"valid_to": today, "successor_code": "00004.002"});
    let (s, b) = t.post_json(&tok, "/api/v1/units/00004.001/retire", &body).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["valid_to"], today.as_str());
    assert_eq!(b["successor_code"], "00004.002");
    // The old name stays readable; current lists leave it out unless asked.
    let (_, old) = t.get_json(&tok, "/api/v1/units/00004.001").await;
    assert_eq!(old["name"], "Thôn Đông");
    let (_, now) = t.get_json(&tok, "/api/v1/units?parent=00004").await;
    assert_eq!(now["total"], 1);
    let (_, all) = t.get_json(&tok, "/api/v1/units?parent=00004&include_past=true").await;
    assert_eq!(all["total"], 2);
    // Twice, a bad date, a successor of another level, a commune, another commune's area.
    assert_eq!(t.post_json(&tok, "/api/v1/units/00004.001/retire", &body).await.0, 422);
    let bad = json!({"valid_to": "2099-02-30"});
    assert_eq!(t.post_json(&tok, "/api/v1/units/00004.002/retire", &bad).await.0, 422);
    let wrong = json!({"valid_to": "2099-01-01", "successor_code": "00004"});
    assert_eq!(t.post_json(&tok, "/api/v1/units/00004.002/retire", &wrong).await.0, 422);
    assert_eq!(t.post_json(&tok, "/api/v1/units/00004/retire", &json!({"valid_to": "2026-01-01"})).await.0, 403);
    assert_eq!(t.post_json(&tok, "/api/v1/units/00008/retire", &json!({"valid_to": "2026-01-01"})).await.0, 404);
    // Retired from a future day: active until then, the day and successor shown.
    let (_, third) = t
        .post_json(&tok, "/api/v1/units", &json!({"parent_code": "00004", "name": "Thôn Nam", "division_type": "thôn"}))
        .await;
    let third = third["code"].as_str().unwrap().to_string();
    let later = json!({"valid_to": "2099-01-01", "successor_code": "00004.002"});
    let (s, b) = t.post_json(&tok, &format!("/api/v1/units/{third}/retire"), &later).await;
    assert_eq!(s, 200, "{b}");
    assert!(b["valid_to"].is_null() && b["retires_on"] == "2099-01-01" && b["retires_into"] == "00004.002", "{b}");
    let (_, now) = t.get_json(&tok, "/api/v1/units?parent=00004").await;
    assert_eq!(now["total"], 2, "still active until its day");
    assert_eq!(t.post_json(&tok, &format!("/api/v1/units/{third}/retire"), &later).await.0, 422, "already waiting");
    assert_eq!(t.app.apply_due_unit_retirements().await.unwrap(), 0, "its day has not come");
    // The day comes (the waiting date moved back, as the calendar would): the worker applies it.
    t.app
        .store
        .execute_one("UPDATE units SET retires_on = '2025-12-31' WHERE code = $1", &[third.as_str().into()])
        .await
        .unwrap();
    assert_eq!(t.app.apply_due_unit_retirements().await.unwrap(), 1);
    let (_, gone) = t.get_json(&tok, &format!("/api/v1/units/{third}")).await;
    assert_eq!(
        (gone["valid_to"].as_str(), gone["successor_code"].as_str()),
        (Some("2025-12-31"), Some("00004.002")),
        "{gone}"
    );
    assert!(gone["retires_on"].is_null());
    let (_, now) = t.get_json(&tok, "/api/v1/units?parent=00004").await;
    assert_eq!(now["total"], 1);
    t.stop().await;
}

/// Issue 13 point 9: JSON bodies of public cases are small; unparsable query strings
/// and paths answer in the error shape; CSV exports carry no formulas; control
/// characters are refused; answers are not cached and carry a strict CSP; uploaded
/// file names with Vietnamese letters survive the download.
async fn smaller_holes(db: &TestDb) {
    let t = TestApp::start(db).await;
    let tok = commune(&t).await;
    // A public JSON case of 100 KB (a real one is a few KB) is refused at 64 KiB.
    let big = json!({"kind": "feedback", "unit_code": "00004", "anonymous": true, "description": "x".repeat(100_000)});
    let (s, b) = t.post_json("", "/api/v1/public/cases", &big).await;
    assert_eq!((s, b["error"]["code"].as_str()), (413, Some("too_large")), "{b}");
    // A query string that does not parse: the JSON error shape on the API ...
    for path in ["/api/v1/stats/movement?year=x", "/api/v1/organisations?page=abc", "/api/v1/cases?size=-x"] {
        let r = t.http.get(t.url(path)).bearer_auth(&tok).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 400, "{path}");
        let b: serde_json::Value = r.json().await.unwrap();
        assert_eq!(b["error"]["code"], "bad_query", "{path}: {b}");
        assert!(b["error"]["message"].as_str().unwrap().contains("không hợp lệ"));
    }
    // ... and the error page on pages, as for a path that does not decode.
    for path in ["/movement?year=x", "/units/%FF%FE"] {
        let r = t.http.get(t.url(path)).bearer_auth(&tok).send().await.unwrap();
        let status = r.status().as_u16();
        let ctype = r.headers()["content-type"].to_str().unwrap().to_string();
        let html = r.text().await.unwrap();
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(ctype.starts_with("text/html"), "{path}: {ctype}");
        assert!(html.contains("<html"), "{path}");
    }
    // Control characters: NUL in a name is refused, in any JSON text too; line breaks
    // in a one-line field are refused; a description keeps its line breaks.
    for name in ["Trường\u{0}THCS", "Công ty\nA", "Tên\u{1b}[31m"] {
        let (s, b) = t
            .post_json(&tok, "/api/v1/organisations", &json!({"name": name, "kind": "school", "unit_code": "00004"}))
            .await;
        assert_eq!(s, 422, "{name:?}: {b}");
    }
    assert_eq!(t.count_all_organisations().await, 0);
    let case =
        json!({"kind": "feedback", "unit_code": "00004", "anonymous": true, "description": "Dòng 1\nDòng 2\u{0}"});
    assert_eq!(t.post_json("", "/api/v1/public/cases", &case).await.0, 422);
    let case = json!({"kind": "feedback", "unit_code": "00004", "anonymous": true, "description": "Dòng 1\nDòng 2"});
    assert_eq!(t.post_json("", "/api/v1/public/cases", &case).await.0, 201);
    // CSV export: a cell that would start a formula is neutralised.
    for name in ["=HYPERLINK(\"http://evil.example\",\"Bấm\")", "@SUM(A1)", "+84 Công ty"] {
        let (s, b) = t
            .post_json(
                &tok,
                "/api/v1/organisations",
                &json!({"name": name, "kind": "enterprise", "unit_code": "00004"}),
            )
            .await;
        assert_eq!(s, 201, "{b}");
    }
    let csv = t.http.get(t.url("/api/v1/organisations/export")).bearer_auth(&tok).send().await.unwrap();
    assert_eq!(csv.headers()["cache-control"], "no-store");
    let csv = csv.text().await.unwrap();
    for line in csv.lines().skip(1) {
        let name = line.split(',').nth(1).unwrap_or("").trim_start_matches('"');
        assert!(!name.starts_with(['=', '+', '-', '@']), "formula cell: {line}");
    }
    assert!(csv.contains("'=HYPERLINK") && csv.contains("'@SUM") && csv.contains("'+84"), "{csv}");
    // Every dynamic answer: no-store and a strict CSP; static assets may be cached.
    for path in ["/cases", "/account", "/api/v1/me", "/organisations"] {
        let r = t.http.get(t.url(path)).bearer_auth(&tok).send().await.unwrap();
        assert_eq!(r.headers()["cache-control"], "no-store", "{path}");
        let csp = r.headers()["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
    }
    let r = t.http.get(t.url("/static/app.css")).send().await.unwrap();
    assert!(r.headers()["cache-control"].to_str().unwrap().contains("max-age"));
    // No page holds an inline script or style attribute the CSP would block.
    let html = t.http.get(t.url("/organisations/import")).bearer_auth(&tok).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains(" style=\"") && !html.contains(" onsubmit=") && !html.contains("<script>"), "{html}");
    // An evidence file named in Vietnamese comes back with filename*=UTF-8''.
    let (s, area) = t
        .post_json(
            &tok,
            "/api/v1/units",
            &json!({"parent_code": "00004", "name": "Tổ dân phố số 2", "division_type": "tổ dân phố"}),
        )
        .await;
    assert_eq!(s, 201, "{area}");
    let (_, a) = t
        .post_json(
            &tok,
            "/api/v1/assessments",
            &json!({"year": 2025, "instrument": "safe_unit", "unit_code": area["code"]}),
        )
        .await;
    let id = a["id"].as_i64().unwrap();
    let name: String = url::form_urlencoded::byte_serialize("Biên bản họp.pdf".as_bytes()).collect();
    let (s, att) = t
        .post_raw(
            &tok,
            &format!("/api/v1/assessments/{id}/attachments?filename={name}"),
            "application/pdf",
            b"%PDF-1.4\n".to_vec(),
        )
        .await;
    assert_eq!(s, 201, "{att}");
    let r = t
        .http
        .get(t.url(&format!("/api/v1/assessments/{id}/attachments/{}", att["id"])))
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    let cd = r.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(cd.contains("filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%8Dp.pdf"), "{cd}");
    assert_eq!(r.headers()["cache-control"], "no-store");
    t.stop().await;
}
