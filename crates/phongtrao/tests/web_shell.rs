//! The shell a phone keeps: compressed answers, the web app manifest, the service
//! worker and the offline page.
#![allow(clippy::unwrap_used)]

use testkit::{both_databases, TestApp, TestDb};

both_databases! {
    pages_and_assets_are_compressed_when_asked => compressed;
    the_manifest_and_the_service_worker_are_served => installable;
    each_officer_starts_at_their_own_unit => own_unit_first;
    dates_are_typed_day_first => day_first;
    the_audit_log_reads_as_sentences => audit_sentences;
    forms_and_lists_speak_in_names => names_not_codes;
    the_dashboard_ranks_the_units_below => ranked_table;
}

async fn ranked_table(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("bo", "ministry", Some("VN"), None).await;
    let (bo, _) = t.token_with_totp("bo").await;
    let page = |sort: &'static str| {
        let (t, bo) = (&t, bo.clone());
        async move {
            let url = t.url(&format!("/movement?year=2026&sort={sort}"));
            let html = t.http.get(url).bearer_auth(&bo).send().await.unwrap().text().await.unwrap();
            html.split("id=\"by-unit\"").nth(1).unwrap_or_default().to_string()
        }
    };
    // Beside the map, every province in a table, with last year's rate and the change.
    let table = page("rate").await;
    assert_eq!(table.matches("<tr><td data-label=\"#\">").count(), 34, "34 provinces ranked");
    assert!(table.contains("2025") && table.contains("Thay đổi"));
    let by_name = page("name").await;
    let (_, units) = t.get_json("", "/api/v1/units?level=province&size=100").await;
    let mut names: Vec<String> =
        units["items"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap().to_string()).collect();
    names.sort_by_key(|n| domain::text::fold(n));
    let at: Vec<usize> = names.iter().map(|n| by_name.find(&format!(">{n}</a>")).unwrap_or(usize::MAX)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "sorted by name, diacritics ignored: {names:?}");
    t.stop().await;
}

async fn names_not_codes(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("xa", "commune", Some("00004"), None).await;
    let commune = t.token("xa").await;
    let org = serde_json::json!({"name": "Trường Tiểu học Ba Đình", "kind": "school", "unit_code": "00004"});
    let (s, o) = t.post_json(&commune, "/api/v1/organisations", &org).await;
    assert_eq!(s, 201, "{o}");
    let body = serde_json::json!({"year": 2026, "instrument": "safe_unit", "organisation_id": o["id"], "answers": []});
    let (s, a) = t.post_json(&commune, "/api/v1/assessments", &body).await;
    assert_eq!((s, a["subject_name"].as_str()), (201, Some("Trường Tiểu học Ba Đình")), "{a}");
    let page =
        t.http.get(t.url("/assessments?year=2026")).bearer_auth(&commune).send().await.unwrap().text().await.unwrap();
    // The list names the school, and the form offers units and organisations by name.
    assert!(page.contains(">Trường Tiểu học Ba Đình</a>"), "the list shows the name");
    assert!(page.contains("<option value=\"00004\">Phường Ba Đình</option>"));
    assert!(page.contains(&format!("<option value=\"{}\">Trường Tiểu học Ba Đình</option>", o["id"])));
    let (_, todo) = t.get_json(&commune, "/api/v1/me/todo").await;
    assert!(todo.to_string().contains("Trường Tiểu học Ba Đình"), "the to-do names it too: {todo}");
    t.stop().await;
}

async fn audit_sentences(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("xa", "commune", Some("00004"), None).await;
    let commune = t.token("xa").await;
    let area = serde_json::json!({"parent_code": "00004", "name": "Tổ dân phố số 7", "division_type": "tổ dân phố"});
    assert_eq!(t.post_json(&commune, "/api/v1/units", &area).await.0, 201);
    let page = t.http.get(t.url("/audit")).bearer_auth(&commune).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("xa — thêm đơn vị (đơn vị #"), "a sentence per entry");
    assert!(page.contains("Tổ dân phố số 7"), "the change's values in a table");
    assert!(!page.contains("<pre>{"), "no raw JSON");
    t.stop().await;
}

async fn day_first(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("xa", "commune", Some("00004"), None).await;
    let commune = t.token("xa").await;
    // The page's date field is text typed dd/mm/yyyy, whatever the phone's language.
    let page = t.http.get(t.url("/directives")).bearer_auth(&commune).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("name=\"issued_on\"") && page.contains("placeholder=\"dd/mm/yyyy\""));
    assert!(!page.contains("type=\"date\""), "no field left to the phone's locale");
    let form = [("kind", "plan"), ("number", "12/KH-CAX"), ("issued_on", "01/12/2026"), ("title", "Kế hoạch tháng 12")];
    let r = t.http.post(t.url("/directives")).bearer_auth(&commune).form(&form).send().await.unwrap();
    assert!(r.status().is_success() || r.status().is_redirection(), "{}", r.status());
    let (_, l) = t.get_json(&commune, "/api/v1/directives").await;
    let d = l["items"].as_array().unwrap().iter().find(|d| d["number"] == "12/KH-CAX").cloned().unwrap_or_default();
    assert_eq!(d["issued_on"], "2026-12-01", "read day first: {l}");
    // A date that does not exist is refused with the field named, nothing stored.
    let form = [("kind", "plan"), ("number", "13/KH-CAX"), ("issued_on", "31/02/2026"), ("title", "Sai ngày")];
    let r = t.http.post(t.url("/directives")).bearer_auth(&commune).form(&form).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let (_, l) = t.get_json(&commune, "/api/v1/directives").await;
    assert!(!l.to_string().contains("13/KH-CAX"));
    t.stop().await;
}

async fn own_unit_first(db: &TestDb) {
    let t = TestApp::start(db).await;
    t.user("xa", "commune", Some("00004"), None).await;
    let commune = t.token("xa").await;
    let no_redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = no_redirect.get(t.url("/units")).bearer_auth(&commune).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/units/00004", "a commune officer opens on their commune");
    // Browsing the country stays one click away, and anyone else starts there.
    let r = no_redirect.get(t.url("/units?level=province")).bearer_auth(&commune).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let r = no_redirect.get(t.url("/units")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.text().await.unwrap().contains("Thành phố Hà Nội"));
    let page = t.http.get(t.url("/units/00004")).bearer_auth(&commune).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("href=\"/units?level=province\""));
    t.stop().await;
}

async fn compressed(db: &TestDb) {
    let t = TestApp::start(db).await;
    for path in ["/public/cases/new", "/static/htmx.min.js", "/static/app.css", "/api/v1/units?level=province"] {
        for (asked, answered) in [("gzip", "gzip"), ("br", "br"), ("br, gzip", "br")] {
            let r = t.http.get(t.url(path)).header("accept-encoding", asked).send().await.unwrap();
            assert_eq!(r.status().as_u16(), 200, "{path}");
            let enc = r.headers().get("content-encoding").map(|v| v.to_str().unwrap().to_string());
            assert_eq!(enc.as_deref(), Some(answered), "{path} with {asked}");
            let full = r.bytes().await.unwrap().len();
            assert!(full > 0);
        }
        // Not asked: sent as it is.
        let r = t.http.get(t.url(path)).send().await.unwrap();
        assert!(r.headers().get("content-encoding").is_none(), "{path}");
    }
    // htmx (52 KB) travels in about a third of its size.
    let r = t.http.get(t.url("/static/htmx.min.js")).header("accept-encoding", "br").send().await.unwrap();
    let n = r.bytes().await.unwrap().len();
    assert!(n < 21_000, "htmx compressed to {n} bytes");
    t.stop().await;
}

async fn installable(db: &TestDb) {
    let t = TestApp::start(db).await;
    let r = t.http.get(t.url("/manifest.webmanifest")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().contains("manifest+json"));
    let m: serde_json::Value = r.json().await.unwrap();
    assert_eq!(m["start_url"], "/");
    assert!(m["name"].as_str().unwrap().contains("phongtrao"));
    let icon = m["icons"][0]["src"].as_str().unwrap().to_string();
    assert_eq!(t.http.get(t.url(&icon)).send().await.unwrap().status().as_u16(), 200, "{icon}");
    let r = t.http.get(t.url("/sw.js")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    let sw = r.text().await.unwrap();
    // Everything the worker keeps is served, and no page with personal data is kept.
    for kept in ["/static/app.css", "/static/app.js", "/static/htmx.min.js", "/static/icon.svg", "/offline"] {
        assert!(sw.contains(&format!("\"{kept}\"")), "{kept}");
        assert_eq!(t.http.get(t.url(kept)).send().await.unwrap().status().as_u16(), 200, "{kept}");
    }
    let page = t.http.get(t.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("rel=\"manifest\" href=\"/manifest.webmanifest\""));
    t.stop().await;
}
