//! Units through time on SQLite and PostgreSQL: the units before 1 July 2025 with
//! their successors, searched by the names earlier reports use, and a 2025 unit's
//! predecessors — their reused codes never confused with today's.
#![allow(clippy::unwrap_used)]

use testkit::{both_databases, TestApp, TestDb};

both_databases! {
    old_units_are_found_with_their_successors => history;
}

async fn history(db: &TestDb) {
    let t = TestApp::start(db).await;
    assert!(t.app.store.load_unit_history().await.unwrap() > 10_000, "63 + 696 + 10,035 old units");
    assert_eq!(t.app.store.load_unit_history().await.unwrap(), 0, "loaded once");
    // "Tiền Giang" (no diacritics needed): the old province, until 30/06/2025, into Đồng Tháp.
    let (s, b) = t.get_json("", "/api/v1/units?q=tien%20giang&include_past=true").await;
    assert_eq!(s, 200, "{b}");
    let items = b["items"].as_array().unwrap();
    let old = items.iter().find(|i| i["name"] == "Tỉnh Tiền Giang").unwrap_or_else(|| panic!("{b}"));
    assert_eq!((old["valid_to"].as_str(), old["level"].as_str()), (Some("2025-06-30"), Some("province")));
    let succ: Vec<&str> = old["successors"].as_array().unwrap().iter().map(|s| s["code"].as_str().unwrap()).collect();
    assert_eq!(succ, vec!["82"], "{old}");
    assert_eq!(old["successors"][0]["name"], "Đồng Tháp");
    // Without asking for the past, only today's units.
    let (_, b) = t.get_json("", "/api/v1/units?q=tien%20giang").await;
    assert!(b["items"].as_array().unwrap().iter().all(|i| i["valid_to"].is_null()), "{b}");
    // Today's 82 is Đồng Tháp, not the old Tiền Giang that had the same code.
    let (_, u) = t.get_json("", "/api/v1/units/82").await;
    assert_eq!(u["name"], "Đồng Tháp");
    let from: Vec<&str> = u["predecessors"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert!(from.contains(&"Tỉnh Tiền Giang") && from.contains(&"Tỉnh Đồng Tháp"), "{from:?}");
    // A merged commune lists the old communes it took in; new 00004 kept old 00004's code.
    let (_, u) = t.get_json("", "/api/v1/units/00004").await;
    let preds = u["predecessors"].as_array().unwrap();
    assert!(preds.len() >= 2, "{u}");
    assert!(preds.iter().any(|p| p["name"] == "Phường Trúc Bạch"), "{u}");
    // An old district (huyện) is found, with its province's successor.
    let (_, b) = t.get_json("", "/api/v1/units?q=hai%20duong&include_past=true").await;
    let levels: Vec<&str> = b["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["valid_to"] == "2025-06-30")
        .map(|i| i["level"].as_str().unwrap())
        .collect();
    assert!(levels.contains(&"province") && levels.contains(&"district"), "{levels:?}");
    // The pages: the search shows the old unit and links its successor; the unit page its predecessors.
    let html = t.http.get(t.url("/units?q=Ti%E1%BB%81n%20Giang")).send().await.unwrap().text().await.unwrap();
    let past = html.split("id=\"past-units\"").nth(1).unwrap_or_else(|| panic!("no past units section"));
    assert!(past.contains("Tỉnh Tiền Giang") && past.contains("href=\"/units/82\""), "{past}");
    let html = t.http.get(t.url("/units/00004")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("id=\"predecessors\"") && html.contains("Phường Trúc Bạch"));
    t.stop().await;
}
