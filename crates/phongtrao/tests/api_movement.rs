//! The movement over HTTP on SQLite and PostgreSQL: criteria sets, the assessment
//! workflow with the right person at each step, computed criteria, models, key
//! areas, statistics, and each bad input.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};
use testkit::{both_databases, TestApp, TestDb};

both_databases! {
    criteria_sets_are_served => criteria_sets;
    residential_area_workflow => area_workflow;
    commune_needs_a_working_model_and_70_percent => commune_computed;
    bad_assessment_input => bad_input;
    movement_scores_and_levels => movement_scores;
    key_areas_and_statistics => key_areas_stats;
    models_page_registers_and_evaluates => models_page;
    score_sheets_round_trip => score_sheets;
    key_area_page => key_area_page;
    evidence_has_type_and_size_limits => evidence;
    campaign_deadlines_target_and_approver => campaign;
    dashboard_figures_link_to_their_rows => dashboard_links;
    models_register_changes_and_catalogue => models_register;
    organisation_contact_drafts_its_own => organisation_contact;
    exempt_organisations_are_not_assessed => exemptions;
    organisations_host_models_and_pass_on_them => organisation_models;
    registration_for_the_year_and_the_100_percent_rule => registrations;
    a_province_adds_criteria_of_its_own => province_criteria;
    the_point_map_shows_each_indicator => point_map_indicators;
    an_organisation_a_ministry_department_follows_is_decided_by_the_ministry => ministry_followed;
}

const YEAR: i64 = 2026;

/// A page's HTML with `/` unescaped (the templates escape it as `&#x2f;`).
async fn page_text(t: &TestApp, token: &str, path: &str) -> String {
    t.http.get(t.url(path)).bearer_auth(token).send().await.unwrap().text().await.unwrap().replace("&#x2f;", "/")
}

/// The cells of the first sheet of an XLSX download, as text.
async fn xlsx_cells(t: &TestApp, token: &str, path: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let r = t.http.get(t.url(path)).bearer_auth(token).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "{path}");
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    range.rows().map(|row| row.iter().map(|c| c.to_string()).collect()).collect()
}

/// The non-zero tally rows, per commune then per province, sorted.
async fn tallies(url: &str) -> Vec<String> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    // One text per row keeps both backends' types out of the way.
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT CAST(year AS TEXT) || '|' || subject || '|' || province_code || '|' || commune_code || '|' || status || '|' || CAST(passed AS TEXT) || '|' || level || '|' || CAST(late AS TEXT) || '|' || CAST(n AS TEXT) FROM assessment_tallies WHERE n <> 0 ORDER BY 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let province: Vec<(String,)> = sqlx::query_as(
        "SELECT 'province|' || CAST(year AS TEXT) || '|' || subject || '|' || province_code || '|' || status || '|' || CAST(passed AS TEXT) || '|' || level || '|' || CAST(late AS TEXT) || '|' || CAST(n AS TEXT) FROM assessment_tallies_province WHERE n <> 0 ORDER BY 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    assert!(rows.is_empty() == province.is_empty(), "both levels of tallies are kept");
    rows.into_iter().chain(province).map(|r| r.0).collect()
}

/// What pdftoppm (poppler-utils) prints for a PDF with `args`; `None` with a visible
/// line when the tool is missing outside CI (under CI=true it must be there).
fn pdftoppm(pdf: &[u8], args: &[&str]) -> Option<Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    match std::process::Command::new("pdftoppm").args(args).arg(&path).output() {
        Ok(out) if out.status.success() => Some(out.stdout),
        other => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("pdftoppm (poppler-utils) is required under CI=true: {other:?}");
            }
            eprintln!("SKIPPED PDF drawing check: pdftoppm not available");
            None
        }
    }
}

/// A binary PNM (P5 grey, P6 colour): its kind, width, height and pixel bytes.
fn pnm(out: &[u8]) -> (String, usize, usize, &[u8]) {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while out[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !out[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&out[start..at]).into_owned());
    }
    (fields[0].clone(), fields[1].parse().unwrap(), fields[2].parse().unwrap(), &out[at + 1..])
}

/// Page `page` of a PDF drawn in colour at 100 dpi: (width, height, RGB bytes); a
/// PNG of it kept as `artifacts/screenshots/{name}.png` to look at.
fn pdf_page_rgb(pdf: &[u8], page: u32, name: &str) -> Option<(usize, usize, Vec<u8>)> {
    let p = page.to_string();
    let out = pdftoppm(pdf, &["-r", "100", "-f", &p, "-l", &p])?;
    let shots = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../artifacts/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    if let Some(png) = pdftoppm(pdf, &["-png", "-r", "100", "-f", &p, "-l", &p]) {
        std::fs::write(shots.join(format!("{name}.png")), png).unwrap();
    }
    let (kind, w, h, pixels) = pnm(&out);
    assert_eq!(kind, "P6");
    Some((w, h, pixels.to_vec()))
}

/// The text of the QR code on the PDF's first page: the page drawn in grey by
/// pdftoppm, read by rqrr.
fn pdf_qr(pdf: &[u8]) -> Option<String> {
    let out = pdftoppm(pdf, &["-gray", "-r", "150", "-f", "1", "-l", "1"])?;
    let (_, w, h, pixels) = pnm(&out);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the certificate");
    Some(grids[0].decode().unwrap().1)
}

async fn set_codes(t: &TestApp, instrument: &str, subject: &str) -> Vec<(String, bool)> {
    let (s, b) = t.get_json("", &format!("/api/v1/criteria-sets?instrument={instrument}&subject={subject}")).await;
    assert_eq!(s, 200, "{b}");
    b["items"][0]["criteria"]
        .as_array()
        .unwrap()
        .iter()
        // Computed criteria take no answer — except the team's rating, answered until it exists.
        .map(|c| (c["code"].as_str().unwrap().to_string(), c["computed"].is_string() && c["computed"] != "team_rated"))
        .collect()
}

/// Answers every typed criterion of a safe-unit set with `met`.
async fn all_met(t: &TestApp, subject: &str, met: bool) -> Value {
    let answers: Vec<Value> = set_codes(t, "safe_unit", subject)
        .await
        .into_iter()
        .filter(|(_, computed)| !computed)
        .map(|(code, _)| json!({"criterion": code, "met": met, "note": "Đã kiểm tra"}))
        .collect();
    Value::from(answers)
}

async fn setup(t: &TestApp) -> (String, String, String) {
    t.user("xa.badinh", "commune", Some("00004"), None).await;
    t.user("xa.ngocha", "commune", Some("00008"), None).await;
    t.user("tinh.hanoi", "province", Some("01"), None).await;
    let c = t.token("xa.badinh").await;
    let other = t.token("xa.ngocha").await;
    let (p, _) = t.token_with_totp("tinh.hanoi").await;
    (c, other, p)
}

async fn area(t: &TestApp, tok: &str, name: &str) -> String {
    let (s, b) = t
        .post_json(tok, "/api/v1/units", &json!({"parent_code": "00004", "name": name, "division_type": "tổ dân phố"}))
        .await;
    assert_eq!(s, 201, "{b}");
    b["code"].as_str().unwrap().to_string()
}

/// A model hosted by the organisation, judged effective by the commune police: the
/// organisation's own working model (TT 124/2021 Điều 6, 7 khoản 1).
async fn org_working_model(t: &TestApp, police: &str, org: i64) {
    let body = json!({"type_code": "khac", "name": format!("Mô hình của đơn vị {org}"), "organisation_id": org, "started_on": "2024-01-01"});
    let (s, m) = t.post_json(police, "/api/v1/models", &body).await;
    assert_eq!(s, 201, "{m}");
    let path = format!("/api/v1/models/{}/evaluations", m["id"]);
    assert_eq!(t.post_json(police, &path, &json!({"year": YEAR, "verdict": "effective"})).await.0, 201);
}

async fn step(t: &TestApp, tok: &str, id: i64, body: Value) -> (u16, Value) {
    t.post_json(tok, &format!("/api/v1/assessments/{id}/transition"), &body).await
}

async fn criteria_sets(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (s, b) = t.get_json("", "/api/v1/criteria-sets").await;
    assert_eq!(s, 200);
    assert_eq!(
        b["items"].as_array().unwrap().len(),
        16,
        "ten sets of 2022.1, five safe-unit sets of 2022.2, the residential area's 2022.3"
    );
    // The safe-unit sets in force quote TT 124/2021 word for word and cite Điều and khoản.
    let (_, ra) = t.get_json("", "/api/v1/criteria-sets?instrument=safe_unit&subject=residential_area").await;
    let in_force = &ra["items"][0];
    assert_eq!((in_force["version"].as_str(), in_force["verified"].as_bool()), (Some("2022.3"), Some(true)));
    let k5 = in_force["criteria"].as_array().unwrap().iter().find(|c| c["code"] == "K5").cloned().unwrap_or_default();
    assert_eq!(k5["computed"], "team_rated", "khoản 5 follows the team's rating once it exists");
    let crits = in_force["criteria"].as_array().unwrap();
    assert!(crits.iter().any(|c| c["text"].as_str().unwrap().contains("Quý I hằng năm, chi bộ")));
    assert!(crits.iter().all(|c| c["source"].as_str().unwrap().starts_with("Điều 4, khoản ")));
    assert!(crits.iter().any(|c| c["source"] == "Điều 4, khoản 3, điểm đ"), "lettered points kept");
    let commune = set_codes(&t, "safe_unit", "commune").await;
    assert_eq!(commune.iter().filter(|(_, c)| *c).count(), 3, "three computed criteria: {commune:?}");
    let (_, m) = t.get_json("", "/api/v1/criteria-sets?instrument=movement&subject=school").await;
    let total: u64 = m["items"][0]["criteria"].as_array().unwrap().iter().map(|c| c["points"].as_u64().unwrap()).sum();
    assert_eq!(total, 100);
    assert!(!m["items"][0]["levels"].as_array().unwrap().is_empty());
    let (s, _) = t.get_json("", "/api/v1/criteria-sets?instrument=bogus").await;
    assert_eq!(s, 400);

    // The ministry adds a new version from the page, starting from a shipped set.
    let school_id = m["items"][0]["id"].as_i64().unwrap();
    t.user("bo.v05", "ministry", Some("VN"), None).await;
    t.user("xa.only", "commune", Some("00004"), None).await;
    let (ministry, _) = t.token_with_totp("bo.v05").await;
    let commune = t.token("xa.only").await;
    let page =
        t.http.get(t.url(&format!("/criteria-sets?template={school_id}"))).bearer_auth(&ministry).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap().replace("&quot;", "\"").replace("&#x2f;", "/");
    let toml_text =
        html.split("spellcheck=\"false\" class=\"code\">").nth(1).unwrap().split("</textarea>").next().unwrap();
    assert!(toml_text.contains("instrument = \"movement\""), "{toml_text}");
    let new_version = toml_text
        .replace("effective_from_year = 2022", "effective_from_year = 2027")
        .replace("version = \"", "version = \"2027-");
    let decoded = new_version.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&#x27;", "'");
    let r = t
        .http
        .post(t.url("/criteria-sets"))
        .bearer_auth(&ministry)
        .form(&[("toml", decoded.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let (_, m2) = t.get_json("", "/api/v1/criteria-sets?instrument=movement&subject=school").await;
    assert_eq!(m2["items"].as_array().unwrap().len(), 2, "a new version next to the old one");
    let r = t
        .http
        .post(t.url("/criteria-sets"))
        .bearer_auth(&ministry)
        .form(&[("toml", "instrument = 1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Bộ tiêu chí không hợp lệ"));
    let r = t
        .http
        .post(t.url("/criteria-sets"))
        .bearer_auth(&commune)
        .form(&[("toml", decoded.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let html = t.http.get(t.url("/criteria-sets")).bearer_auth(&commune).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("name=\"toml\""), "no form for a commune");

    // An assessment keeps the version it was made with; a newer version is said,
    // not applied to it, and new assessments take the newer one.
    let code = area(&t, &commune, "Tổ dân phố số 9").await;
    let answers = all_met(&t, "residential_area", true).await;
    let (s, a) = t
        .post_json(
            &commune,
            "/api/v1/assessments",
            &json!({"year": YEAR, "instrument": "safe_unit", "unit_code": code, "answers": answers}),
        )
        .await;
    assert_eq!(s, 201, "{a}");
    let id = a["id"].as_i64().unwrap();
    let (_, got) = t.get_json(&commune, &format!("/api/v1/assessments/{id}")).await;
    assert!(got["criteria_superseded_by"].is_null(), "{got}");
    let mut next = in_force.clone();
    next["version"] = json!("2022.4");
    next.as_object_mut().unwrap().remove("id");
    let (s, b) = t.post_json(&ministry, "/api/v1/criteria-sets", &next).await;
    assert_eq!(s, 201, "{b}");
    let (_, got) = t.get_json(&commune, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(got["criteria_superseded_by"], "2022.4");
    assert_eq!(
        (got["criteria_set_id"].clone(), got["result"]["passed"].clone()),
        (a["criteria_set_id"].clone(), json!(true))
    );
    let page = t.http.get(t.url(&format!("/assessments/{id}"))).bearer_auth(&commune).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("id=\"earlier-version\""));
    let code2 = area(&t, &commune, "Tổ dân phố số 10").await;
    let (_, a2) = t
        .post_json(
            &commune,
            "/api/v1/assessments",
            &json!({"year": YEAR, "instrument": "safe_unit", "unit_code": code2}),
        )
        .await;
    assert_ne!(a2["criteria_set_id"], a["criteria_set_id"], "a new assessment takes the version in force");
    t.stop().await;
}

async fn area_workflow(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, other, p) = setup(&t).await;
    let code = area(&t, &c, "Tổ dân phố số 5").await;
    let (s, a) = t.post_json(&c, "/api/v1/assessments", &json!({"year": YEAR, "instrument": "safe_unit", "unit_code": code, "answers": all_met(&t, "residential_area", true).await})).await;
    assert_eq!(s, 201, "{a}");
    assert_eq!(a["status"], "draft");
    assert_eq!(a["result"]["passed"], true);
    let id = a["id"].as_i64().unwrap();
    // Out of order, wrong person, out of scope.
    assert_eq!(
        step(&t, &c, id, json!({"to": "approved", "decision_number": "1/QĐ", "decision_date": "2026-11-01"})).await.0,
        409
    );
    assert_eq!(step(&t, &other, id, json!({"to": "submitted"})).await.0, 404);
    let pdf_url = t.url(&format!("/api/v1/assessments/{id}/certificate.pdf"));
    let r = t.http.get(&pdf_url).bearer_auth(&c).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 409, "no certificate before approval");
    assert_eq!(step(&t, &c, id, json!({"to": "submitted"})).await.0, 200);
    // Answers are frozen once submitted.
    let (s, _) = t.put_json(&c, &format!("/api/v1/assessments/{id}"), &json!({"answers": []})).await;
    assert_eq!(s, 409);
    // A residential area is reviewed by the commune, not the province.
    let (s, b) = step(&t, &p, id, json!({"to": "reviewed"})).await;
    assert_eq!(s, 403, "{b}");
    // Returned with reasons, fixed, resubmitted.
    assert_eq!(step(&t, &c, id, json!({"to": "returned"})).await.0, 422);
    let (s, b) = step(&t, &c, id, json!({"to": "returned", "reason": "Thiếu minh chứng"})).await;
    assert_eq!((s, b["status"].as_str(), b["return_reason"].as_str()), (200, Some("draft"), Some("Thiếu minh chứng")));
    assert_eq!(step(&t, &c, id, json!({"to": "submitted"})).await.0, 200);
    // The commune police verify (thẩm định), with remarks.
    let (s, _) = step(&t, &c, id, json!({"to": "reviewed", "remarks": "Hồ sơ đủ, đúng tiêu chí"})).await;
    assert_eq!(s, 200);
    let (s, _) =
        step(&t, &c, id, json!({"to": "approved", "decision_number": "15/QĐ-UBND", "decision_date": "2099-01-01"}))
            .await;
    assert_eq!(s, 422, "a decision date in the future");
    // Before the period it judges (from 16/11 of the year before), or a signer
    // without a title: refused, nothing stored.
    let approve = |date: &str, signer: Value| {
        let mut b = json!({"to": "approved", "decision_number": "15/QĐ-UBND", "decision_date": date});
        b.as_object_mut().unwrap().extend(signer.as_object().unwrap().clone());
        b
    };
    let (s, b) = step(&t, &c, id, approve(&format!("{}-11-15", YEAR - 1), json!({}))).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("recognition.decision_before_period")), "{b}");
    let (s, b) = step(&t, &c, id, approve("2026-11-20", json!({"signer_name": "Nguyễn Văn An"}))).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("recognition.signer_title_missing")), "{b}");
    let (_, still) = t.get_json(&c, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(still["status"], "reviewed");
    let (s, b) =
        step(&t, &c, id, approve("2026-11-20", json!({"signer_name": "Nguyễn Văn An", "signer_title": "Chủ tịch"})))
            .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["decision_number"], "15/QĐ-UBND");
    // The commune's People's Committee decided (Điều 10 khoản 1); who verified is kept.
    let (_, got) = t.get_json(&c, &format!("/api/v1/assessments/{id}")).await;
    let rec = &got["recognition"];
    assert_eq!(rec["deciding_body"], "Ủy ban nhân dân Phường Ba Đình", "{got}");
    assert_eq!((rec["signer_name"].as_str(), rec["signer_title"].as_str()), (Some("Nguyễn Văn An"), Some("Chủ tịch")));
    assert_eq!(
        (rec["verified_by_name"].as_str(), rec["remarks"].as_str()),
        (Some("xa.badinh"), Some("Hồ sơ đủ, đúng tiêu chí"))
    );
    assert!(rec["verified_at"].as_i64().is_some());
    // Approved and passed: a certificate code anyone can check at /verify/{code}.
    let (_, got) = t.get_json(&c, &format!("/api/v1/assessments/{id}")).await;
    let cert = got["certificate_code"].as_str().unwrap().to_string();
    assert_eq!(cert.len(), 10, "{got}");
    for asked in [cert.clone(), format!("{}-{}", &cert[..5], &cert[5..]).to_lowercase()] {
        let r = t.http.get(t.url(&format!("/verify/{asked}"))).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "{asked}");
        let page = r.text().await.unwrap();
        // (HTML escapes the slash of the number.)
        for want in [
            "Tổ dân phố số 5",
            "15&#x2f;QĐ-UBND",
            &YEAR.to_string(),
            "20&#x2f;11&#x2f;2026",
            "Ủy ban nhân dân Phường Ba Đình",
        ] {
            assert!(page.contains(want), "the verification page names {want:?}");
        }
        assert!(!page.contains("Thiếu minh chứng"), "nothing more than the recognition");
    }
    for unknown in ["0000000000", "not-a-code", "%3Cscript%3E"] {
        let r = t.http.get(t.url(&format!("/verify/{unknown}"))).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 404, "{unknown}");
    }
    let r = t.http.get(&pdf_url).bearer_auth(&c).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    // Only the glyphs used are embedded: light enough for a phone.
    assert!(pdf.len() <= 150_000, "certificate of {} bytes", pdf.len());
    eprintln!("certificate PDF: {} bytes", pdf.len());
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("Giay cong nhan An toan ve an ninh, trat tu - To dan pho so 5"), "a readable title");
    let verify_url = format!("http://127.0.0.1:8080/verify/{cert}");
    if let Some(found) = pdf_qr(&pdf) {
        assert_eq!(found, verify_url, "the QR code leads to the public check");
    }
    let text = testkit::pdf_text(&pdf);
    if let Some(text) = text {
        for expected in [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "GIẤY CÔNG NHẬN",
            "ĐẠT TIÊU CHUẨN “AN TOÀN VỀ AN NINH, TRẬT TỰ”",
            verify_url.as_str(),
            "Mã kiểm tra:",
            "Nguyễn Văn An",
            "Tổ dân phố số 5",
            "PHƯỜNG BA ĐÌNH",
            "15/QĐ-UBND",
            "ngày 20 tháng 11 năm 2026",
        ] {
            assert!(text.contains(expected), "{expected} missing from the PDF text:\n{text}");
        }
    }
    assert_eq!(t.http.get(&pdf_url).bearer_auth(&other).send().await.unwrap().status().as_u16(), 404);
    assert_eq!(step(&t, &c, id, json!({"to": "published"})).await.0, 200);
    assert_eq!(step(&t, &c, id, json!({"to": "published"})).await.0, 409, "published twice");
    // Returned with reasons even after publication: the decision goes, so does the certificate.
    let (s, b) = step(&t, &c, id, json!({"to": "returned", "reason": "Phát hiện sai sót sau công bố"})).await;
    assert_eq!((s, b["status"].as_str()), (200, Some("draft")), "{b}");
    assert!(b["decision_number"].is_null() && b["decision_date"].is_null(), "{b}");
    let (_, got) = t.get_json(&c, &format!("/api/v1/assessments/{id}")).await;
    assert!(got["recognition"].is_null(), "the decision and its verification go with it: {got}");
    assert_eq!(t.http.get(&pdf_url).bearer_auth(&c).send().await.unwrap().status().as_u16(), 409);
    // Resubmitted after a return, it keeps the lateness of its first submission.
    let first_late = b["late"].as_bool();
    let (s, b) = step(&t, &c, id, json!({"to": "submitted"})).await;
    assert_eq!((s, b["late"].as_bool()), (200, first_late), "{b}");
    // Every transition is audited.
    let (rows, _) = t.app.store.list_audit(&domain::Scope::Nation, 200, 0).await.unwrap();
    assert_eq!(rows.iter().filter(|r| r.action == "assessment.transition").count(), 8);
    // The maintained tallies equal a rebuild from the assessments.
    let maintained = tallies(&db.url).await;
    assert!(!maintained.is_empty());
    t.app.store.rebuild_tallies().await.unwrap();
    assert_eq!(tallies(&db.url).await, maintained);
    t.stop().await;
}

async fn commune_computed(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, _, p) = setup(&t).await;
    let code = area(&t, &c, "Tổ dân phố số 1").await;
    let (_, a) = t.post_json(&c, "/api/v1/assessments", &json!({"year": YEAR, "instrument": "safe_unit", "unit_code": "00004", "answers": all_met(&t, "commune", true).await})).await;
    let id = a["id"].as_i64().unwrap();
    let reasons = |a: &Value| {
        a["result"]["unmet"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["reason_code"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(a["result"]["passed"], false);
    // No model, the only area neither registered nor assessed, none recognised.
    assert_eq!(reasons(&a), vec!["no_working_model", "not_all_registered", "share_below_70"]);
    // Typing a computed criterion is refused.
    let computed: Vec<String> =
        set_codes(&t, "safe_unit", "commune").await.into_iter().filter(|(_, c)| *c).map(|(c, _)| c).collect();
    let (s, _) = t
        .put_json(
            &c,
            &format!("/api/v1/assessments/{id}"),
            &json!({"answers": [{"criterion": computed[0], "met": true}]}),
        )
        .await;
    assert_eq!(s, 422);
    // A model that works, and the only residential area recognised: the commune passes.
    let (s, m) = t.post_json(&c, "/api/v1/models", &json!({"type_code": "camera_an_ninh", "name": "Camera an ninh tổ 1", "unit_code": code, "started_on": "2024-03-01"})).await;
    assert_eq!(s, 201, "{m}");
    let mid = m["id"].as_i64().unwrap();
    let (s, _) = t
        .post_json(&c, &format!("/api/v1/models/{mid}/evaluations"), &json!({"year": YEAR, "verdict": "formal"}))
        .await;
    assert_eq!(s, 201);
    let (_, a) = t.get_json(&c, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(
        reasons(&a),
        vec!["no_working_model", "not_all_registered", "share_below_70"],
        "a model on paper only does not count"
    );
    // A verdict given is corrected only with a reason.
    assert_eq!(
        t.post_json(&c, &format!("/api/v1/models/{mid}/evaluations"), &json!({"year": YEAR, "verdict": "effective"}))
            .await
            .0,
        422
    );
    let (_, m2) = t.post_json(&c, "/api/v1/models", &json!({"type_code": "to_tuan_tra_nhan_dan", "name": "Tổ tuần tra", "unit_code": "00004", "started_on": "2023-01-01"})).await;
    // The commune cannot judge its own model (it is a condition of its own recognition).
    let (s, b) = t
        .post_json(
            &c,
            &format!("/api/v1/models/{}/evaluations", m2["id"]),
            &json!({"year": YEAR, "verdict": "effective"}),
        )
        .await;
    assert_eq!((s, b["error"]["code"].as_str()), (403, Some("movement.evaluator_not_above")), "{b}");
    let (s, _) = t
        .post_json(
            &p,
            &format!("/api/v1/models/{}/evaluations", m2["id"]),
            &json!({"year": YEAR, "verdict": "effective", "note": "Tuần tra đều đặn"}),
        )
        .await;
    assert_eq!(s, 201);
    let (_, ra) = t.post_json(&c, "/api/v1/assessments", &json!({"year": YEAR, "instrument": "safe_unit", "unit_code": code, "answers": all_met(&t, "residential_area", true).await})).await;
    let rid = ra["id"].as_i64().unwrap();
    for to in ["submitted", "reviewed"] {
        step(&t, &c, rid, json!({"to": to})).await;
    }
    assert_eq!(
        step(&t, &c, rid, json!({"to": "approved", "decision_number": "3/QĐ", "decision_date": "2026-11-20"})).await.0,
        200
    );
    let (_, a) = t.get_json(&c, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(a["result"]["passed"], true, "{a}");
    // The commune submits; only the province approves it.
    assert_eq!(step(&t, &c, id, json!({"to": "submitted"})).await.0, 200);
    assert_eq!(step(&t, &c, id, json!({"to": "reviewed"})).await.0, 403);
    assert_eq!(step(&t, &p, id, json!({"to": "reviewed"})).await.0, 200);
    let (s, a) =
        step(&t, &p, id, json!({"to": "approved", "decision_number": "99/QĐ-CAT", "decision_date": "2026-11-25"}))
            .await;
    assert_eq!((s, &a["result"]["passed"]), (200, &json!(true)));
    // A commune is recognised by the province's People's Committee (configuration in
    // place of the abolished district, TT 124/2021 Điều 10 khoản 2).
    let (_, got) = t.get_json(&c, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(got["recognition"]["deciding_body"], "Ủy ban nhân dân Thành phố Hà Nội", "{got}");
    // Frozen at approval: the working model dissolved afterwards changes nothing.
    assert_eq!(t.put_json(&c, &format!("/api/v1/models/{}", m2["id"]), &json!({"status": "dissolved"})).await.0, 200);
    let (_, a) = t.get_json(&c, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(a["result"]["passed"], true, "frozen: {a}");
    t.stop().await;
}

async fn bad_input(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, other, _) = setup(&t).await;
    let post = |body: Value| {
        let t = &t;
        let c = c.clone();
        async move { t.post_json(&c, "/api/v1/assessments", &body).await }
    };
    let (s, b) = post(json!({"year": YEAR, "instrument": "safe_unit", "unit_code": "00004", "answers": [{"criterion": "NOPE", "met": true}]})).await;
    assert_eq!(s, 422);
    assert_eq!(b["error"]["fields"][0]["code"], "assessment.criterion_unknown");
    assert_eq!(post(json!({"year": YEAR, "instrument": "safe_unit", "unit_code": "99999"})).await.0, 404);
    assert_eq!(post(json!({"year": YEAR, "instrument": "safe_unit", "organisation_id": 424242})).await.0, 404);
    assert_eq!(
        post(json!({"year": YEAR, "instrument": "safe_unit", "unit_code": "00008"})).await.0,
        404,
        "another commune"
    );
    assert_eq!(
        post(json!({"year": YEAR, "instrument": "safe_unit", "unit_code": "01"})).await.0,
        404,
        "above one's scope"
    );
    let (_, market) =
        t.post_json(&c, "/api/v1/organisations", &json!({"name": "Chợ", "kind": "other", "unit_code": "00004"})).await;
    let (s, b) = post(json!({"year": YEAR, "instrument": "safe_unit", "organisation_id": market["id"]})).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("assessment.not_assessable")));
    assert_eq!(post(json!({"year": YEAR, "instrument": "grading", "unit_code": "00004"})).await.0, 422);
    assert_eq!(post(json!({"year": 1999, "instrument": "safe_unit", "unit_code": "00004"})).await.0, 422);
    assert_eq!(post(json!({"year": YEAR, "instrument": "safe_unit", "unit_code": "00004"})).await.0, 201);
    assert_eq!(
        post(json!({"year": YEAR, "instrument": "safe_unit", "unit_code": "00004"})).await.0,
        409,
        "a second assessment"
    );
    let (_, list) = t.get_json(&c, &format!("/api/v1/assessments?year={YEAR}")).await;
    let id = list["items"][0]["id"].as_i64().unwrap();
    assert_eq!(t.get_json(&other, &format!("/api/v1/assessments/{id}")).await.0, 404);
    assert_eq!(step(&t, &c, id, json!({"to": "flying"})).await.0, 422);
    assert_eq!(list["total"], 1);
    t.stop().await;
}

async fn movement_scores(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, _, _) = setup(&t).await;
    let (_, sets) = t.get_json("", "/api/v1/criteria-sets?instrument=movement&subject=commune").await;
    let crits = sets["items"][0]["criteria"].as_array().unwrap().clone();
    let full: Vec<Value> = crits.iter().map(|k| json!({"criterion": k["code"], "points": k["points"]})).collect();
    let (s, a) = t
        .post_json(
            &c,
            "/api/v1/assessments",
            &json!({"year": YEAR, "instrument": "movement", "unit_code": "00004", "answers": full}),
        )
        .await;
    assert_eq!(s, 201, "{a}");
    assert_eq!(a["result"]["total"], 100);
    assert_eq!(a["result"]["level"], "excellent");
    let over: Vec<Value> =
        crits.iter().map(|k| json!({"criterion": k["code"], "points": k["points"].as_u64().unwrap() + 1})).collect();
    let id = a["id"].as_i64().unwrap();
    assert_eq!(t.put_json(&c, &format!("/api/v1/assessments/{id}"), &json!({"answers": over})).await.0, 422);
    let none: Vec<Value> = crits.iter().map(|k| json!({"criterion": k["code"], "points": 0})).collect();
    let (_, a) = t.put_json(&c, &format!("/api/v1/assessments/{id}"), &json!({"answers": none})).await;
    assert_eq!((a["result"]["total"].as_u64(), a["result"]["level"].as_str()), (Some(0), Some("weak")));
    // Half points add up exactly and travel as plain numbers; a second decimal is refused.
    let halves: Vec<Value> = crits.iter().take(2).map(|k| json!({"criterion": k["code"], "points": 0.5})).collect();
    let (s, a) = t.put_json(&c, &format!("/api/v1/assessments/{id}"), &json!({"answers": halves})).await;
    assert_eq!(s, 200, "{a}");
    assert_eq!(a["result"]["total"], json!(1));
    assert_eq!(a["answers"][0]["points"], json!(0.5));
    let one: Vec<Value> = crits.iter().take(1).map(|k| json!({"criterion": k["code"], "points": 2.5})).collect();
    let (_, a) = t.put_json(&c, &format!("/api/v1/assessments/{id}"), &json!({"answers": one})).await;
    assert_eq!(a["result"]["total"], json!(2.5));
    let (_, again) = t.get_json(&c, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(again["result"]["total"], json!(2.5), "{again}");
    let fine: Vec<Value> = crits.iter().take(1).map(|k| json!({"criterion": k["code"], "points": 2.25})).collect();
    let (s, b) = t.put_json(&c, &format!("/api/v1/assessments/{id}"), &json!({"answers": fine})).await;
    assert_eq!(s, 422, "{b}");
    let (_, again) = t.get_json(&c, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(again["result"]["total"], json!(2.5), "nothing stored");
    t.stop().await;
}

async fn key_areas_stats(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, _, p) = setup(&t).await;
    let ka = |action: &str, date: &str| json!({"unit_code": "00004", "action": action, "decision_number": "12/QĐ-CAT", "decision_date": date});
    assert_eq!(
        t.post_json(&c, "/api/v1/key-areas", &ka("designate", "2026-02-01")).await.0,
        403,
        "the commune cannot designate itself"
    );
    assert_eq!(t.post_json(&p, "/api/v1/key-areas", &ka("designate", "2099-02-01")).await.0, 422);
    assert_eq!(t.post_json(&p, "/api/v1/key-areas", &ka("remove", "2026-02-01")).await.0, 409);
    assert_eq!(t.post_json(&p, "/api/v1/key-areas", &ka("designate", "2026-02-01")).await.0, 201);
    assert_eq!(t.post_json(&p, "/api/v1/key-areas", &ka("designate", "2026-03-01")).await.0, 409);
    assert_eq!(t.post_json(&p, "/api/v1/key-areas", &ka("remove", "2026-10-01")).await.0, 201);
    let (s, _) = t.put_json(&p, "/api/v1/criterion19", &json!({"unit_code": "00004", "year": YEAR, "met": true})).await;
    assert_eq!(s, 200);
    let code = area(&t, &c, "Thôn Một").await;
    let (_, ra) = t.post_json(&c, "/api/v1/assessments", &json!({"year": YEAR, "instrument": "safe_unit", "unit_code": code, "answers": all_met(&t, "residential_area", true).await})).await;
    step(&t, &c, ra["id"].as_i64().unwrap(), json!({"to": "submitted"})).await;
    let (s, st) = t.get_json(&p, &format!("/api/v1/stats/movement?year={YEAR}")).await;
    assert_eq!(s, 200, "{st}");
    assert_eq!(st["safe_unit"]["residential_area"]["assessed"], 1);
    assert_eq!(st["safe_unit"]["residential_area"]["recognised"], 0);
    assert_eq!(st["key_areas"]["designated"], 1);
    assert_eq!(st["key_areas"]["removed"], 1);
    assert_eq!(st["criterion19"]["met"], 1);
    assert_eq!(st["progress"]["submitted"], 1);
    // A commune sees its own figures; another province's unit is out of reach.
    let (_, mine) = t.get_json(&c, &format!("/api/v1/stats/movement?year={YEAR}")).await;
    assert_eq!(mine["safe_unit"]["residential_area"]["assessed"], 1);
    assert_eq!(t.get_json(&c, &format!("/api/v1/stats/movement?year={YEAR}&unit=01")).await.0, 404);
    assert_eq!(t.get_json(&p, &format!("/api/v1/stats/movement?year={YEAR}&unit=79")).await.0, 404);
    // The province's summary report and the spreadsheet.
    let r = t
        .http
        .get(t.url(&format!("/api/v1/reports/province-summary.pdf?year={YEAR}")))
        .bearer_auth(&p)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let pdf = r.bytes().await.unwrap();
    if let Some(text) = testkit::pdf_text(&pdf) {
        assert!(
            text.contains("BÁO CÁO") && text.contains("CÔNG AN THÀNH PHỐ HÀ NỘI") && text.contains("Khu dân cư"),
            "{text}"
        );
        assert!(text.contains("PHỤ LỤC: BẢN ĐỒ CÁC XÃ, PHƯỜNG, ĐẶC KHU"), "the map's page: {text}");
    }
    // The appendix map: Ba Đình (assessed, none recognised) red among Hà Nội's grey communes.
    if let Some((w, h, rgb)) = pdf_page_rgb(&pdf, 2, "31-summary-map") {
        let count = |c: (u8, u8, u8)| rgb.chunks(3).filter(|p| p[0] == c.0 && p[1] == c.1 && p[2] == c.2).count();
        let (red, grey) = (count((0xd9, 0x30, 0x25)), count((0xda, 0xdc, 0xe0)));
        assert!(red > 20 && grey > red * 20, "red {red}, grey {grey} of {w}×{h}");
    }
    let r = t
        .http
        .get(t.url(&format!("/api/v1/reports/province-summary.pdf?year={YEAR}&unit=79")))
        .bearer_auth(&p)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let r =
        t.http.get(t.url(&format!("/api/v1/stats/movement.xlsx?year={YEAR}"))).bearer_auth(&p).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
    t.stop().await;
}

async fn models_page(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, other, _) = setup(&t).await;
    let village = area(&t, &c, "Tổ dân phố số 2").await;
    let form = [
        ("type_code", "to_tuan_tra_nhan_dan"),
        ("name", "Tổ tuần tra nhân dân số 1"),
        ("unit_code", village.as_str()),
        ("started_on", "2025-05-01"),
    ];
    let r = t.http.post(t.url("/models")).bearer_auth(&c).form(&form).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let bad = [("type_code", "no_such_type"), ("name", "X"), ("unit_code", "00004"), ("started_on", "2099-01-01")];
    let r = t.http.post(t.url("/models")).bearer_auth(&c).form(&bad).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Loại mô hình không có trong danh mục") && html.contains("tương lai"), "{html}");
    let (_, list) = t.get_json(&c, "/api/v1/models").await;
    let id = list["items"][0]["id"].as_i64().unwrap();
    let r = t
        .http
        .post(t.url(&format!("/models/{id}/evaluations")))
        .bearer_auth(&c)
        .form(&[("year", "2026"), ("verdict", "effective")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let html = t.http.get(t.url("/models")).bearer_auth(&c).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Tổ tuần tra nhân dân số 1") && html.contains("Thực chất, hiệu quả"));
    // The register exports to Excel within scope.
    assert_eq!(xlsx_cells(&t, &c, "/api/v1/models/export.xlsx").await[1][1], "Tổ tuần tra nhân dân số 1");
    assert_eq!(xlsx_cells(&t, &c, "/api/v1/models/export.xlsx").await[1][7], "effective");
    assert_eq!(xlsx_cells(&t, &other, "/api/v1/models/export.xlsx").await.len(), 1, "header only outside scope");
    let head = xlsx_cells(&t, &c, &format!("/api/v1/assessments/export.xlsx?year={YEAR}")).await;
    assert_eq!(head[0][0], "id");
    let r = t.http.get(t.url("/api/v1/assessments/export.xlsx?subject=planet")).bearer_auth(&c).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    // Another commune neither sees it nor evaluates it.
    let html = t.http.get(t.url("/models")).bearer_auth(&other).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("Tổ tuần tra nhân dân số 1"));
    let r = t
        .http
        .post(t.url(&format!("/models/{id}/evaluations")))
        .bearer_auth(&other)
        .form(&[("year", "2025"), ("verdict", "formal")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    t.stop().await;
}

async fn score_sheets(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, other, _) = setup(&t).await;
    let code = area(&t, &c, "Tổ dân phố số 8").await;
    let (_, a) = t
        .post_json(&c, "/api/v1/assessments", &json!({"year": YEAR, "instrument": "safe_unit", "unit_code": code}))
        .await;
    let id = a["id"].as_i64().unwrap();
    let r = t.http.get(t.url(&format!("/api/v1/assessments/{id}/sheet.xlsx"))).bearer_auth(&c).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
    assert_eq!(
        t.http
            .get(t.url(&format!("/api/v1/assessments/{id}/sheet.xlsx")))
            .bearer_auth(&other)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        404
    );
    let codes: Vec<String> = set_codes(&t, "safe_unit", "residential_area").await.into_iter().map(|(c, _)| c).collect();
    // One bad row: the whole sheet is refused and the draft unchanged.
    let mut csv = String::from("code,answer,note\n");
    for k in &codes {
        csv.push_str(&format!("{k},Đạt,Đã kiểm tra\n"));
    }
    csv.push_str("KHONG_CO,Đạt,\n");
    let path = format!("/api/v1/assessments/{id}/sheet");
    let (s, b) = t.post_raw(&c, &path, "text/csv", csv.clone().into_bytes()).await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["rows"][0]["row"].as_u64(), Some(codes.len() as u64 + 2));
    let (_, still) = t.get_json(&c, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(still["answers"].as_array().unwrap().len(), 0);
    // The good sheet passes the area.
    let good: String = csv.lines().filter(|l| !l.starts_with("KHONG_CO")).map(|l| format!("{l}\n")).collect();
    let (s, b) = t.post_raw(&c, &path, "text/csv", good.into_bytes()).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["assessment"]["result"]["passed"], true);
    assert_eq!(t.post_raw(&c, &path, "image/png", b"x".to_vec()).await.0, 415);

    // The XLSX itself: download the sheet (pre-filled), mark the first criterion
    // "Chưa đạt" in the spreadsheet and import the file back.
    let cells = xlsx_cells(&t, &c, &format!("/api/v1/assessments/{id}/sheet.xlsx")).await;
    assert_eq!(cells[0], ["code", "criterion", "source", "max_points", "answer", "note"]);
    assert_eq!(cells.len(), codes.len() + 1);
    assert!(cells[1..].iter().all(|r| r[4] == "Đạt"), "pre-filled with the stored answers: {cells:?}");
    let first = cells[1][0].clone();
    let mut edited = cells.clone();
    edited[1][4] = "Chưa đạt".into();
    edited[1][5] = "Camera cổng chính hỏng".into();
    let xlsx = |rows: &[Vec<String>]| {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (col, v) in row.iter().enumerate() {
                ws.write_string(r as u32, col as u16, v).unwrap();
            }
        }
        wb.save_to_buffer().unwrap()
    };
    const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let (s, b) = t.post_raw(&c, &path, XLSX, xlsx(&edited)).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["imported"].as_u64(), Some(codes.len() as u64));
    assert_eq!(b["assessment"]["result"]["passed"], false);
    assert_eq!(b["assessment"]["result"]["unmet"][0]["code"], first.as_str());
    let (_, now) = t.get_json(&c, &format!("/api/v1/assessments/{id}")).await;
    let note =
        now["answers"].as_array().unwrap().iter().find(|a| a["criterion"] == first.as_str()).unwrap()["note"].clone();
    assert_eq!(note, "Camera cổng chính hỏng");
    // A spreadsheet with an unreadable answer and an unknown code: a row report, nothing changed.
    let mut bad = cells.clone();
    bad[2][4] = "có lẽ".into();
    bad.push(vec!["X9".into(), String::new(), String::new(), String::new(), "Đạt".into(), String::new()]);
    let (s, b) = t.post_raw(&c, &path, XLSX, xlsx(&bad)).await;
    assert_eq!(s, 422, "{b}");
    let rows: Vec<(u64, String, String)> = b["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["row"].as_u64().unwrap(), r["column"].as_str().unwrap().into(), r["code"].as_str().unwrap().into()))
        .collect();
    assert_eq!(
        rows,
        [
            (3, "answer".to_string(), "assessment.answer_met_expected".to_string()),
            (codes.len() as u64 + 2, "code".to_string(), "assessment.criterion_unknown".to_string())
        ]
    );
    let (_, after) = t.get_json(&c, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(after["answers"], now["answers"], "a refused sheet changes nothing");

    // The page's upload form does the same: the row report on the page, then success.
    let upload = |bytes: Vec<u8>| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("phieu-cham.xlsx").mime_str(XLSX).unwrap();
        reqwest::multipart::Form::new().part("file", part)
    };
    let page = format!("/assessments/{id}/sheet");
    let r = t.http.post(t.url(&page)).bearer_auth(&c).multipart(upload(xlsx(&bad))).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Dòng 3, Cột answer") && html.contains("Không nhập dữ liệu nào"), "{html}");
    let r = t.http.post(t.url(&page)).bearer_auth(&c).multipart(upload(xlsx(&cells))).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let (_, back) = t.get_json(&c, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(back["result"]["passed"], true);
    // Another commune cannot import into it.
    let r = t.http.post(t.url(&page)).bearer_auth(&other).multipart(upload(xlsx(&cells))).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
    t.stop().await;
}

async fn key_area_page(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, _, p) = setup(&t).await;
    let form = [("action", "designate"), ("decision_number", "45/QĐ-CAT"), ("decision_date", "2026-03-02")];
    let r = t.http.post(t.url("/units/00004/key-area")).bearer_auth(&p).form(&form).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let r = t.http.post(t.url("/units/00004/key-area")).bearer_auth(&p).form(&form).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 409, "already designated");
    let r = t
        .http
        .post(t.url("/units/00004/criterion19"))
        .bearer_auth(&p)
        .form(&[("year", "2026"), ("met", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let html = page_text(&t, &p, "/units/00004").await;
    assert!(
        html.contains("Đưa vào diện trọng điểm") && html.contains("45/QĐ-CAT") && html.contains("02/03/2026"),
        "{html}"
    );
    // The commune sees its history but no decision form; it cannot decide by posting either.
    let html = page_text(&t, &c, "/units/00004").await;
    assert!(html.contains("45/QĐ-CAT") && !html.contains("/units/00004/key-area"));
    let r = t
        .http
        .post(t.url("/units/00004/key-area"))
        .bearer_auth(&c)
        .form(&[("action", "remove"), ("decision_number", "1"), ("decision_date", "2026-04-01")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let (_, st) = t.get_json(&p, "/api/v1/stats/movement?year=2026").await;
    assert_eq!((st["key_areas"]["designated"].as_i64(), st["criterion19"]["met"].as_i64()), (Some(1), Some(1)));
    t.stop().await;
}

async fn evidence(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, other, _) = setup(&t).await;
    let code = area(&t, &c, "Tổ dân phố số 9").await;
    let (_, a) = t
        .post_json(&c, "/api/v1/assessments", &json!({"year": YEAR, "instrument": "safe_unit", "unit_code": code}))
        .await;
    let id = a["id"].as_i64().unwrap();
    let path = format!("/api/v1/assessments/{id}/attachments?filename=bien-ban.pdf");
    let pdf = b"%PDF-1.4\n% bien ban hop to dan pho\n".to_vec();
    let (s, b) = t.post_raw(&c, &path, "application/pdf", pdf.clone()).await;
    assert_eq!(s, 201, "{b}");
    let att = b["id"].as_i64().unwrap();
    // An executable renamed .jpg, a lie about the type, a 11 MB file: refused, nothing stored.
    let exe = b"MZ\x90\x00\x03 this program cannot be run in DOS mode".to_vec();
    assert_eq!(
        t.post_raw(&c, &format!("/api/v1/assessments/{id}/attachments?filename=anh.jpg"), "image/jpeg", exe).await.0,
        415
    );
    assert_eq!(t.post_raw(&c, &path, "image/png", pdf.clone()).await.0, 415);
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(11 * 1024 * 1024, b'x');
    assert_eq!(t.post_raw(&c, &path, "application/pdf", big).await.0, 413);
    let (_, list) = t.get_json(&c, &format!("/api/v1/assessments/{id}/attachments")).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["filename"], "bien-ban.pdf");
    // The bytes come back; another commune cannot see them.
    let r =
        t.http.get(t.url(&format!("/api/v1/assessments/{id}/attachments/{att}"))).bearer_auth(&c).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf);
    assert_eq!(t.get_json(&other, &format!("/api/v1/assessments/{id}/attachments")).await.0, 404);
    let r = t
        .http
        .get(t.url(&format!("/api/v1/assessments/{id}/attachments/{att}")))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);

    // Evidence for one criterion's answer; an unknown criterion is refused.
    let codes: Vec<String> = set_codes(&t, "safe_unit", "residential_area").await.into_iter().map(|(c, _)| c).collect();
    let for_c1 = format!("/api/v1/assessments/{id}/attachments?filename=anh-camera.jpg&criterion={}", codes[0]);
    // A photo with a location in its EXIF block: stored without it.
    let exif: &[u8] = b"\xFF\xE1\x00\x10Exif\x00\x00GPS-HERE";
    let scan: &[u8] = b"\xFF\xDA\x00\x04\x01\x02pixels\xFF\xD9";
    let photo = [b"\xFF\xD8".as_slice(), exif, scan].concat();
    let (s, b) = t.post_raw(&c, &for_c1, "image/jpeg", photo.clone()).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["criterion"], codes[0].as_str());
    assert_eq!(b["size_bytes"].as_u64(), Some((photo.len() - exif.len()) as u64));
    let r = t
        .http
        .get(t.url(&format!("/api/v1/assessments/{id}/attachments/{}", b["id"])))
        .bearer_auth(&c)
        .send()
        .await
        .unwrap();
    let stored = r.bytes().await.unwrap().to_vec();
    assert!(!stored.windows(3).any(|w| w == b"GPS"), "location stripped");
    let (s, b) = t
        .post_raw(
            &c,
            &format!("/api/v1/assessments/{id}/attachments?filename=a.pdf&criterion=KHONG_CO"),
            "application/pdf",
            pdf.clone(),
        )
        .await;
    assert_eq!((s, b["error"]["code"].as_str()), (422, Some("validation")), "{b}");
    // A computed criterion has no typed answer to support (the commune's C1.MH here
    // would be; a residential area's set has none, so use a commune assessment).
    let computed: Vec<String> =
        set_codes(&t, "safe_unit", "commune").await.into_iter().filter(|(_, c)| *c).map(|(c, _)| c).collect();
    let (s, ca) = t
        .post_json(&c, "/api/v1/assessments", &json!({"year": YEAR, "instrument": "safe_unit", "unit_code": "00004"}))
        .await;
    assert_eq!(s, 201, "{ca}");
    let (s, b) = t
        .post_raw(
            &c,
            &format!("/api/v1/assessments/{}/attachments?filename=a.pdf&criterion={}", ca["id"], computed[0]),
            "application/pdf",
            pdf.clone(),
        )
        .await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("assessment.criterion_computed")), "{b}");
    // The page lists the photo under its criterion.
    let html = page_text(&t, &c, &format!("/assessments/{id}")).await;
    assert!(html.contains("anh-camera.jpg") && html.contains("evidence-upload"), "{html}");
    // At most 30 files per assessment: the 31st is refused with 409 and not stored.
    for k in 2..30 {
        let (s, _) = t
            .post_raw(
                &c,
                &format!("/api/v1/assessments/{id}/attachments?filename=p{k}.pdf"),
                "application/pdf",
                pdf.clone(),
            )
            .await;
        assert_eq!(s, 201);
    }
    let (s, b) = t.post_raw(&c, &path, "application/pdf", pdf.clone()).await;
    assert_eq!((s, b["error"]["code"].as_str()), (409, Some("evidence.too_many")), "{b}");
    let (_, list) = t.get_json(&c, &format!("/api/v1/assessments/{id}/attachments")).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 30);
    let html = page_text(&t, &c, &format!("/assessments/{id}")).await;
    assert!(!html.contains("evidence-upload") && html.contains("30 tệp"), "no upload form once full");
    t.stop().await;
}

async fn ministry(t: &TestApp) -> String {
    t.user("bo.cuc.v05", "ministry", Some("VN"), None).await;
    t.token_with_totp("bo.cuc.v05").await.0
}

async fn campaign(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, _, p) = setup(&t).await;
    let m = ministry(&t).await;
    let (s, d) = t.get_json(&c, &format!("/api/v1/campaigns/{YEAR}")).await;
    assert_eq!(s, 200);
    assert_eq!(
        (d["commune_deadline"].as_str(), d["target_percent"].as_u64(), d["adjusted"].as_bool()),
        (Some("2026-11-30"), Some(95), Some(false))
    );
    let body = |commune: &str, target: u32, approver: &str| json!({"residential_area_deadline": "2026-11-20", "commune_deadline": commune, "province_summary_deadline": "2026-12-15", "target_percent": target, "commune_approver": approver});
    let path = format!("/api/v1/campaigns/{YEAR}");
    assert_eq!(t.put_json(&c, &path, &body("2026-11-30", 90, "province")).await.0, 403);
    assert_eq!(t.put_json(&p, &path, &body("2026-11-30", 90, "province")).await.0, 403);
    let (s, b) = t.put_json(&m, &path, &body("30/11/2026", 0, "district")).await;
    assert_eq!(s, 422, "{b}");
    let codes: Vec<&str> =
        b["error"]["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, vec!["movement.date_invalid", "campaign.approver_unknown"]);
    assert_eq!(t.put_json(&m, &path, &body("2025-01-01", 90, "province")).await.0, 422, "before the period");
    assert_eq!(t.get_json(&c, &path).await.1["adjusted"], false, "nothing stored");
    // The communes' deadline moved into the past, the target to 90 %, communes approved by the ministry.
    let (s, b) = t.put_json(&m, &path, &body("2026-01-15", 90, "ministry")).await;
    assert_eq!(s, 200, "{b}");
    let (_, html) = (0, page_text(&t, &c, &format!("/campaigns?year={YEAR}")).await);
    assert!(html.contains("15/01/2026") && html.contains("Bộ Công an (Cục Xây dựng phong trào)"), "{html}");
    let (_, a) = t
        .post_json(&c, "/api/v1/assessments", &json!({"year": YEAR, "instrument": "safe_unit", "unit_code": "00004"}))
        .await;
    let id = a["id"].as_i64().unwrap();
    let (s, b) = step(&t, &c, id, json!({"to": "submitted"})).await;
    assert_eq!((s, b["late"].as_bool()), (200, Some(true)), "late but accepted: {b}");
    // A residential area's deadline (20/11) is still ahead.
    let code = area(&t, &c, "Thôn Hai").await;
    let (_, ra) = t
        .post_json(&c, "/api/v1/assessments", &json!({"year": YEAR, "instrument": "safe_unit", "unit_code": code}))
        .await;
    let (_, b) = step(&t, &c, ra["id"].as_i64().unwrap(), json!({"to": "submitted"})).await;
    let today = chrono::Utc::now().date_naive();
    assert_eq!(b["late"].as_bool(), Some(today > chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()));
    // The ministry, not the province, reviews the commune this year.
    assert_eq!(step(&t, &p, id, json!({"to": "reviewed"})).await.0, 403);
    assert_eq!(step(&t, &m, id, json!({"to": "reviewed"})).await.0, 200);
    let (_, st) = t.get_json(&m, &format!("/api/v1/stats/movement?year={YEAR}")).await;
    assert_eq!(st["target_rate"].as_f64(), Some(0.9));
    let groups = st["progress"]["by_deadline"].as_array().unwrap();
    assert_eq!(
        (groups[1]["group"].as_str(), groups[1]["deadline"].as_str()),
        (Some("commune_and_organisation"), Some("2026-01-15"))
    );
    assert_eq!((groups[1]["submitted"].as_i64(), groups[1]["late"].as_i64()), (Some(1), Some(1)));
    assert_eq!((groups[0]["submitted"].as_i64(), groups[0]["made"].as_i64()), (Some(1), Some(1)));
    // The late rows behind the figure.
    let area_late = today > chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let (_, late) = t.get_json(&m, &format!("/api/v1/assessments?year={YEAR}&late=true&subject=commune")).await;
    assert_eq!(late["total"], 1);
    assert_eq!(late["items"][0]["id"].as_i64(), Some(id));
    let (_, late) = t.get_json(&m, &format!("/api/v1/assessments?year={YEAR}&late=true")).await;
    assert_eq!(late["total"].as_i64(), Some(1 + i64::from(area_late)));
    // Audited with before and after.
    let (rows, _) = t.app.store.list_audit(&domain::Scope::Nation, 200, 0).await.unwrap();
    assert_eq!(rows.iter().filter(|r| r.action == "campaign.set").count(), 1);
    t.stop().await;
}

async fn dashboard_links(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, other, p) = setup(&t).await;
    let m = ministry(&t).await;
    let code = area(&t, &c, "Tổ dân phố số 9").await;
    let (_, ra) = t.post_json(&c, "/api/v1/assessments", &json!({"year": YEAR, "instrument": "safe_unit", "unit_code": code, "answers": all_met(&t, "residential_area", true).await})).await;
    let rid = ra["id"].as_i64().unwrap();
    for to in ["submitted", "reviewed"] {
        step(&t, &c, rid, json!({"to": to})).await;
    }
    step(&t, &c, rid, json!({"to": "approved", "decision_number": "7/QĐ", "decision_date": "2026-11-20"})).await;
    let ka = json!({"unit_code": "00004", "action": "designate", "decision_number": "5/QĐ-CAT", "decision_date": "2026-03-01"});
    assert_eq!(t.post_json(&p, "/api/v1/key-areas", &ka).await.0, 201);
    let early =
        json!({"unit_code": "00004", "action": "remove", "decision_number": "6/QĐ-CAT", "decision_date": "2026-02-01"});
    let (s, b) = t.post_json(&p, "/api/v1/key-areas", &early).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("movement.decision_before_last")));
    // Criterion 19 is recorded by the level above, never by the commune itself.
    let c19 = json!({"unit_code": "00004", "year": YEAR, "met": true});
    assert_eq!(t.put_json(&c, "/api/v1/criterion19", &c19).await.0, 403);
    assert_eq!(
        t.put_json(&p, "/api/v1/criterion19", &json!({"unit_code": "00004", "year": 1900, "met": true})).await.0,
        422
    );
    assert_eq!(t.put_json(&p, "/api/v1/criterion19", &c19).await.0, 200);
    // The stats in the interface's shape, at the nation's scope.
    let (_, st) = t.get_json(&m, &format!("/api/v1/stats/movement?year={YEAR}")).await;
    for subject in ["residential_area", "commune", "agency", "enterprise", "school"] {
        for k in ["assessed", "recognised", "rate"] {
            assert!(st["safe_unit"][subject][k].is_number(), "{subject}.{k}: {st}");
        }
    }
    assert_eq!(st["safe_unit"]["residential_area"]["rate"].as_f64(), Some(1.0));
    assert!(st["movement"]["by_level"].is_object() && st["models"]["by_type"].is_object());
    assert_eq!((st["criterion19"]["met"].as_i64(), st["criterion19"]["communes"].as_i64()), (Some(1), Some(3321)));
    assert_eq!((st["key_areas"]["designated"].as_i64(), st["key_areas"]["removed"].as_i64()), (Some(1), Some(0)));
    for k in ["submitted", "approved", "late"] {
        assert!(st["progress"][k].is_number(), "{k}");
    }
    assert!(st["models"]["effective"].is_number() && st["models"]["formal"].is_number());
    // The rows behind each figure.
    let (_, rows) = t
        .get_json(
            &p,
            &format!("/api/v1/assessments?year={YEAR}&instrument=safe_unit&stage=decided&passed=true&unit=00004"),
        )
        .await;
    assert_eq!(rows["total"], 1);
    assert_eq!(t.get_json(&p, &format!("/api/v1/assessments?year={YEAR}&stage=draft")).await.1["total"], 0);
    assert_eq!(t.get_json(&p, &format!("/api/v1/assessments?year={YEAR}&stage=flying")).await.0, 400);
    assert_eq!(t.get_json(&other, &format!("/api/v1/assessments?year={YEAR}&unit=00004")).await.0, 404);
    let (_, kas) = t.get_json(&m, &format!("/api/v1/key-areas?year={YEAR}")).await;
    assert_eq!((kas["total"].as_i64(), kas["items"][0]["decision_number"].as_str()), (Some(1), Some("5/QĐ-CAT")));
    let (_, met) = t.get_json(&p, &format!("/api/v1/criterion19?year={YEAR}&met=true")).await;
    assert_eq!((met["total"].as_i64(), met["items"][0]["unit_code"].as_str()), (Some(1), Some("00004")));
    let (_, all) = t.get_json(&p, &format!("/api/v1/criterion19?year={YEAR}&size=5")).await;
    assert!(all["total"].as_i64().unwrap() > 100, "every commune of the province is listed");
    assert_eq!(t.get_json(&p, &format!("/api/v1/criterion19?year={YEAR}&met=maybe")).await.0, 400);
    let cells = xlsx_cells(&t, &p, &format!("/api/v1/key-areas/export.xlsx?year={YEAR}")).await;
    assert_eq!((cells.len(), cells[1][3].as_str()), (2, "5/QĐ-CAT"));
    let cells = xlsx_cells(&t, &p, &format!("/api/v1/criterion19/export.xlsx?year={YEAR}&met=true")).await;
    assert_eq!((cells.len(), cells[1][3].as_str()), (2, "Đạt"));
    // The dashboard of one commune, opened from the province, and its links.
    let html = page_text(&t, &p, &format!("/movement?year={YEAR}&unit=00004")).await.replace("&amp;", "&");
    assert!(html.contains("Phường Ba Đình"), "scope shown");
    for link in [
        "/key-areas?year=2026&unit=00004",
        "/criterion19?year=2026&unit=00004",
        "/assessments?year=2026&late=true&unit=00004",
        "/assessments?year=2026&instrument=safe_unit&subject=residential_area&unit=00004",
        "/models?verdict=effective&year=2026&unit=00004",
    ] {
        assert!(html.contains(link), "{link} missing");
    }
    assert_eq!(t.http.get(t.url("/movement?unit=79")).bearer_auth(&p).send().await.unwrap().status().as_u16(), 404);
    // The nation's map, coloured by another indicator.
    let html = page_text(&t, &m, &format!("/movement?year={YEAR}&indicator=criterion19")).await;
    assert!(
        html.contains("Tỷ lệ xã đạt tiêu chí 19") && html.contains("data-code=\"01\""),
        "map with the chosen indicator"
    );
    let page = page_text(&t, &p, &format!("/key-areas?year={YEAR}")).await;
    assert!(page.contains("5/QĐ-CAT") && page.contains("01/03/2026"));
    let page = page_text(&t, &p, &format!("/criterion19?year={YEAR}&met=true")).await;
    assert!(page.contains("Phường Ba Đình"));
    let page = page_text(&t, &p, &format!("/assessments?year={YEAR}&stage=decided&unit=00004")).await;
    assert!(page.contains("id=\"assessment-total\">1<"), "filtered list");
    // The map's grouped figures equal each province's own statistics.
    let user = t.app.store.user_by_username("bo.cuc.v05").await.unwrap();
    let actor = t.app.actor_for(&user, String::new(), "test".into()).await.unwrap();
    let grouped = t.app.movement_stats_by_province(&actor, YEAR, None).await.unwrap();
    assert!(grouped.contains_key("01"), "{:?}", grouped.keys());
    // Row order within a group is the database's; compare sorted.
    let norm = |mut st: store::statistics::MovementStats| {
        st.safe_unit.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        st.by_level.sort();
        st.progress_by_subject.sort_by_key(|p| (p.0.as_str(), p.1, p.2, p.3, p.4));
        format!("{st:?}")
    };
    for (code, st) in grouped {
        let one = t.app.movement_stats(&actor, YEAR, Some(&code)).await.unwrap();
        assert_eq!(norm(st), norm(one), "province {code}");
    }
    t.stop().await;
}

async fn models_register(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, other, p) = setup(&t).await;
    let m = ministry(&t).await;
    let village = area(&t, &c, "Thôn Ba").await;
    let (_, a) = t.post_json(&c, "/api/v1/models", &json!({"type_code": "camera_an_ninh", "name": "Camera an ninh thôn Ba", "unit_code": village, "started_on": "2024-01-10", "partners": "Hội Phụ nữ", "dan_van_kheo": true})).await;
    let aid = a["id"].as_i64().unwrap();
    let (s, b) = t.post_json(&c, "/api/v1/models", &json!({"type_code": "camera_an_ninh", "name": "Camera an ninh phường", "unit_code": "00004", "started_on": "2025-01-10", "replicates_id": aid})).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["replicates_id"].as_i64(), Some(aid));
    let bid = b["id"].as_i64().unwrap();
    assert_eq!(t.post_json(&c, "/api/v1/models", &json!({"type_code": "camera_an_ninh", "name": "X", "unit_code": "00004", "started_on": "2025-01-10", "replicates_id": 999999})).await.0, 422);
    // Changes: status, partners, outcomes, the mark — audited; bad status refused; out of scope 404.
    let upd = json!({"status": "replicated", "partners": "Hội Phụ nữ, Đoàn Thanh niên", "dan_van_kheo": true, "outcomes": "Lắp 24 camera; phát hiện 3 vụ trộm"});
    let (s, b) = t.put_json(&c, &format!("/api/v1/models/{aid}"), &upd).await;
    assert_eq!(
        (s, b["status"].as_str(), b["outcomes"].as_str()),
        (200, Some("replicated"), Some("Lắp 24 camera; phát hiện 3 vụ trộm"))
    );
    assert_eq!(t.put_json(&c, &format!("/api/v1/models/{aid}"), &json!({"status": "sleeping"})).await.0, 422);
    assert_eq!(t.put_json(&other, &format!("/api/v1/models/{aid}"), &upd).await.0, 404);
    // The province judges the commune's model; a dissolved model leaves the counts.
    assert_eq!(
        t.post_json(
            &p,
            &format!("/api/v1/models/{bid}/evaluations"),
            &json!({"year": YEAR, "verdict": "effective", "note": "Hiệu quả"})
        )
        .await
        .0,
        201
    );
    let (_, evs) = t.get_json(&c, &format!("/api/v1/models/{bid}/evaluations")).await;
    assert_eq!(
        (evs["items"][0]["verdict"].as_str(), evs["items"][0]["note"].as_str()),
        (Some("effective"), Some("Hiệu quả"))
    );
    let (_, st) = t.get_json(&p, &format!("/api/v1/stats/movement?year={YEAR}")).await;
    assert_eq!(st["models"]["by_type"]["camera_an_ninh"], 2);
    assert_eq!(st["models"]["by_type_verdict"]["camera_an_ninh"]["effective"], 1);
    let (_, eff) = t.get_json(&p, &format!("/api/v1/models?verdict=effective&year={YEAR}")).await;
    assert_eq!((eff["total"].as_i64(), eff["items"][0]["id"].as_i64()), (Some(1), Some(bid)));
    assert_eq!(t.get_json(&p, "/api/v1/models?verdict=great").await.0, 400);
    assert_eq!(t.put_json(&c, &format!("/api/v1/models/{bid}"), &json!({"status": "dissolved"})).await.0, 200);
    let (_, st) = t.get_json(&p, &format!("/api/v1/stats/movement?year={YEAR}")).await;
    assert_eq!(st["models"]["by_type"]["camera_an_ninh"], 1);
    // The model page shows the link, the evaluations and the outcomes.
    let html = page_text(&t, &c, &format!("/models/{bid}")).await;
    assert!(
        html.contains("Camera an ninh thôn Ba") && html.contains("Hiệu quả") && html.contains("Đã giải thể"),
        "{html}"
    );
    let r = t
        .http
        .post(t.url(&format!("/models/{aid}")))
        .bearer_auth(&c)
        .form(&[("status", "consolidated"), ("outcomes", "Củng cố năm 2026")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(t.get_json(&c, &format!("/api/v1/models/{aid}")).await.1["dan_van_kheo"], 0, "no recognition, no mark");
    // The catalogue: the ministry adds a type, others may not.
    let ty = json!({"code": "bon_khong", "name": "Khu dân cư “4 không”"});
    assert_eq!(t.post_json(&c, "/api/v1/model-types", &ty).await.0, 403);
    assert_eq!(t.post_json(&m, "/api/v1/model-types", &json!({"code": "Bad Code", "name": "x"})).await.0, 422);
    assert_eq!(t.post_json(&m, "/api/v1/model-types", &ty).await.0, 201);
    let (_, types) = t.get_json("", "/api/v1/model-types").await;
    assert!(types["items"].as_array().unwrap().iter().any(|x| x["code"] == "bon_khong"));
    t.stop().await;
}

/// An organisation's contact drafts, evidences and submits its own assessment; the
/// commune police review and approve it; the contact can neither approve it nor
/// reach a neighbour's; the recognition counts on the commune's dashboard.
async fn organisation_contact(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, other, _) = setup(&t).await;
    let org = |name: &'static str| {
        let (t, c) = (&t, &c);
        async move {
            let (s, b) = t
                .post_json(c, "/api/v1/organisations", &json!({"name": name, "kind": "school", "unit_code": "00004"}))
                .await;
            assert_eq!(s, 201, "{b}");
            b["id"].as_i64().unwrap()
        }
    };
    let own = org("Trường THCS Nguyễn Trãi").await;
    let neighbour = org("Trường Tiểu học Ba Đình").await;
    t.user("lienhe.nguyentrai", "organisation", None, Some(own)).await;
    let contact = t.token("lienhe.nguyentrai").await;
    let answers = all_met(&t, "school", true).await;
    org_working_model(&t, &c, own).await;
    // Not for the neighbour, nor for a unit.
    for body in [
        json!({"year": YEAR, "instrument": "safe_unit", "organisation_id": neighbour, "answers": answers}),
        json!({"year": YEAR, "instrument": "safe_unit", "unit_code": "00004", "answers": answers}),
    ] {
        let (s, b) = t.post_json(&contact, "/api/v1/assessments", &body).await;
        assert!(s == 404 || s == 403, "{s} {b}");
    }
    let (s, a) = t
        .post_json(
            &contact,
            "/api/v1/assessments",
            &json!({"year": YEAR, "instrument": "safe_unit", "organisation_id": own, "answers": answers}),
        )
        .await;
    assert_eq!(s, 201, "{a}");
    assert_eq!((a["status"].as_str(), a["result"]["passed"].as_bool()), (Some("draft"), Some(true)));
    let id = a["id"].as_i64().unwrap();
    // The commune police may help with the draft of an organisation they manage (DESIGN §2);
    // a neighbouring commune cannot reach it.
    assert_eq!(t.put_json(&c, &format!("/api/v1/assessments/{id}"), &json!({"answers": answers})).await.0, 200);
    assert_eq!(t.put_json(&other, &format!("/api/v1/assessments/{id}"), &json!({"answers": answers})).await.0, 404);
    let (s, b) = t
        .post_raw(
            &contact,
            &format!("/api/v1/assessments/{id}/attachments?filename=bien-ban.pdf"),
            "application/pdf",
            b"%PDF-1.4\n".to_vec(),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(step(&t, &contact, id, json!({"to": "submitted"})).await.0, 200);
    // The contact may not review or approve its own; the neighbouring commune cannot even see it.
    assert_eq!(step(&t, &contact, id, json!({"to": "reviewed"})).await.0, 403);
    assert_eq!(step(&t, &other, id, json!({"to": "reviewed"})).await.0, 404);
    assert_eq!(step(&t, &c, id, json!({"to": "reviewed"})).await.0, 200);
    let approve = json!({"to": "approved", "decision_number": "12/QĐ-CAP", "decision_date": "2026-11-02"});
    assert_eq!(step(&t, &contact, id, approve.clone()).await.0, 403);
    let (s, b) = step(&t, &c, id, approve).await;
    assert_eq!((s, b["status"].as_str()), (200, Some("approved")), "{b}");
    // The contact sees the outcome and downloads its certificate.
    let (_, mine) = t.get_json(&contact, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(mine["decision_number"], "12/QĐ-CAP");
    let r = t
        .http
        .get(t.url(&format!("/api/v1/assessments/{id}/certificate.pdf")))
        .bearer_auth(&contact)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let (_, list) = t.get_json(&contact, &format!("/api/v1/assessments?year={YEAR}")).await;
    assert_eq!(list["total"], 1, "{list}");
    let (_, st) = t.get_json(&c, &format!("/api/v1/stats/movement?year={YEAR}")).await;
    assert_eq!(
        (st["safe_unit"]["school"]["assessed"].as_i64(), st["safe_unit"]["school"]["recognised"].as_i64()),
        (Some(1), Some(1))
    );
    t.stop().await;
}

/// TT 124/2021 Điều 1 khoản 2 điểm b: small enterprises, primary schools and armed-forces units are
/// outside the standard. The commune police record it (not the organisation); the
/// reason must fit the kind; such an organisation cannot be assessed and leaves the
/// commune's 70 % denominator; lifting it restores both.
async fn exemptions(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, other, _) = setup(&t).await;
    let (s, e) = t
        .post_json(
            &c,
            "/api/v1/organisations",
            &json!({"name": "Tiệm may Hồng", "kind": "enterprise", "unit_code": "00004"}),
        )
        .await;
    assert_eq!(s, 201, "{e}");
    let id = e["id"].as_i64().unwrap();
    t.user("lienhe.tiemmay", "organisation", None, Some(id)).await;
    let contact = t.token("lienhe.tiemmay").await;
    let path = format!("/api/v1/organisations/{id}/exemption");
    let (before_recognised, before_assessable) = t.app.store.commune_recognition("00004", YEAR).await.unwrap();
    assert_eq!(t.put_json(&contact, &path, &json!({"reason": "small_enterprise"})).await.0, 403);
    assert_eq!(t.put_json(&other, &path, &json!({"reason": "small_enterprise"})).await.0, 404);
    let (s, b) = t.put_json(&c, &path, &json!({"reason": "primary_or_preschool"})).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("org.exempt_kind")), "{b}");
    let (s, b) = t.put_json(&c, &path, &json!({"reason": "large"})).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("org.exempt_unknown")), "{b}");
    let (_, o) = t.get_json(&c, &format!("/api/v1/organisations/{id}")).await;
    assert!(o["exemption"].is_null(), "nothing stored by the refused requests: {o}");
    let (s, b) = t.put_json(&c, &path, &json!({"reason": "small_enterprise"})).await;
    assert_eq!((s, b["exemption"]["reason"].as_str()), (200, Some("small_enterprise")), "{b}");
    let (_, o) = t.get_json(&contact, &format!("/api/v1/organisations/{id}")).await;
    assert_eq!(o["exemption"]["reason"], "small_enterprise");
    assert_eq!(
        t.app.store.commune_recognition("00004", YEAR).await.unwrap(),
        (before_recognised, before_assessable - 1),
        "out of the 70 % denominator"
    );
    let body = json!({"year": YEAR, "instrument": "safe_unit", "organisation_id": id, "answers": all_met(&t, "enterprise", true).await});
    for tok in [&c, &contact] {
        let (s, b) = t.post_json(tok, "/api/v1/assessments", &body).await;
        assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("assessment.exempt")), "{b}");
    }
    let html = page_text(&t, &c, &format!("/organisations/{id}")).await;
    assert!(html.contains("Không xét: doanh nghiệp nhỏ, siêu nhỏ") && html.contains("exemption-lift"), "{html}");
    // Lifted from the page form: assessable again.
    let r = t
        .http
        .post(t.url(&format!("/organisations/{id}/exemption")))
        .bearer_auth(&c)
        .form(&[("reason", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let (_, o) = t.get_json(&c, &format!("/api/v1/organisations/{id}")).await;
    assert!(o["exemption"].is_null(), "{o}");
    org_working_model(&t, &c, id).await;
    let (s, a) = t.post_json(&c, "/api/v1/assessments", &body).await;
    assert_eq!(s, 201, "{a}");
    let aid = a["id"].as_i64().unwrap();
    for to in ["submitted", "reviewed"] {
        assert_eq!(step(&t, &c, aid, json!({"to": to})).await.0, 200);
    }
    let approve = json!({"to": "approved", "decision_number": "7/QĐ-CAP", "decision_date": "2026-11-02"});
    assert_eq!(step(&t, &c, aid, approve).await.0, 200);
    let recognised = t.app.store.commune_recognition("00004", YEAR).await.unwrap();
    assert_eq!(recognised, (before_recognised + 1, before_assessable));
    // Exempted after its recognition: it leaves both numbers of the 70 % rule.
    assert_eq!(t.put_json(&c, &path, &json!({"reason": "small_enterprise"})).await.0, 200);
    assert_eq!(
        t.app.store.commune_recognition("00004", YEAR).await.unwrap(),
        (before_recognised, before_assessable - 1)
    );
    let (rows, _) = t.app.store.list_audit(&domain::Scope::Nation, 200, 0).await.unwrap();
    assert_eq!(rows.iter().filter(|r| r.action == "organisation.exemption").count(), 3);

    // Many at once from a file, all or nothing: a school that fits, the enterprise lifted,
    // and three bad rows (a wrong reason for the kind, an organisation out of reach, a repeat).
    let (_, sch) = t
        .post_json(
            &c,
            "/api/v1/organisations",
            &json!({"name": "Trường Tiểu học Kim Đồng", "kind": "school", "unit_code": "00004"}),
        )
        .await;
    let school = sch["id"].as_i64().unwrap();
    let bad = format!("organisation_id,reason\n{school},small_enterprise\n999999,small_enterprise\n{id},\n{id},small_enterprise\nabc,\n");
    let (s, b) = t.post_raw(&c, "/api/v1/organisations/exemptions", "text/csv", bad.into_bytes()).await;
    assert_eq!(s, 422, "{b}");
    let report: Vec<(u64, &str)> = b["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["row"].as_u64().unwrap(), r["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        report,
        [(2, "org.exempt_kind"), (3, "not_found"), (5, "import.duplicate_row"), (6, "import.id_invalid")]
    );
    let (_, o) = t.get_json(&c, &format!("/api/v1/organisations/{id}")).await;
    assert_eq!(o["exemption"]["reason"], "small_enterprise", "nothing written");
    let good = format!("organisation_id,reason\n{school},primary_or_preschool\n{id},\n");
    assert_eq!(
        t.post_raw(&contact, "/api/v1/organisations/exemptions", "text/csv", good.clone().into_bytes()).await.0,
        403
    );
    let (s, b) = t.post_raw(&c, "/api/v1/organisations/exemptions", "text/csv", good.into_bytes()).await;
    assert_eq!((s, b["applied"].as_u64()), (200, Some(2)), "{b}");
    let (_, o) = t.get_json(&c, &format!("/api/v1/organisations/{school}")).await;
    assert_eq!(o["exemption"]["reason"], "primary_or_preschool");
    let (_, o) = t.get_json(&c, &format!("/api/v1/organisations/{id}")).await;
    assert!(o["exemption"].is_null());
    // By name as an officer writes it (no diacritics, Vietnamese headers) or by tax
    // code, instead of the internal id; an unknown name is reported on its row.
    let by_name = "Tên,Lý do\ntruong tieu hoc kim dong,\nTrường Không Có,primary_or_preschool\n";
    let (s, b) = t.post_raw(&c, "/api/v1/organisations/exemptions", "text/csv", by_name.as_bytes().to_vec()).await;
    assert_eq!((s, b["rows"][0]["row"].as_u64(), b["rows"][0]["column"].as_str()), (422, Some(3), Some("name")), "{b}");
    let (_, o) = t.get_json(&c, &format!("/api/v1/organisations/{school}")).await;
    assert_eq!(o["exemption"]["reason"], "primary_or_preschool", "nothing written");
    let by_name = "Tên,Lý do\ntruong tieu hoc kim dong,\n";
    let (s, b) = t.post_raw(&c, "/api/v1/organisations/exemptions", "text/csv", by_name.as_bytes().to_vec()).await;
    assert_eq!((s, b["applied"].as_u64()), (200, Some(1)), "{b}");
    let (_, o) = t.get_json(&c, &format!("/api/v1/organisations/{school}")).await;
    assert!(o["exemption"].is_null(), "lifted by name: {o}");
    let by_name = "Tên,Lý do\nTrường Tiểu học Kim Đồng,primary_or_preschool\n";
    let (s, _) = t.post_raw(&c, "/api/v1/organisations/exemptions", "text/csv", by_name.as_bytes().to_vec()).await;
    assert_eq!(s, 200);
    // The same through the page's form.
    let part = reqwest::multipart::Part::bytes(format!("organisation_id,reason\n{school},\n").into_bytes())
        .file_name("mien-tru.csv")
        .mime_str("text/csv")
        .unwrap();
    let r = t
        .http
        .post(t.url("/organisations/exemptions"))
        .bearer_auth(&c)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.text().await.unwrap().contains("id=\"exempt-ok\""));
    let (_, o) = t.get_json(&c, &format!("/api/v1/organisations/{school}")).await;
    assert!(o["exemption"].is_null());
    t.stop().await;
}

/// TT 124/2021 Điều 6, 7 khoản 1: an agency, enterprise or school passes only with a
/// working model of its own; models are hosted by organisations, listed on their
/// pages, filtered by "Dân vận khéo", and a verdict is corrected by whoever gave it.
async fn organisation_models(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, other, p) = setup(&t).await;
    let (s, org) = t
        .post_json(
            &c,
            "/api/v1/organisations",
            &json!({"name": "Công ty May Ba Đình", "kind": "enterprise", "unit_code": "00004"}),
        )
        .await;
    assert_eq!(s, 201, "{org}");
    let org = org["id"].as_i64().unwrap();
    // Every typed criterion met, yet not passed: no model of its own.
    let (s, a) = t
        .post_json(&c, "/api/v1/assessments", &json!({"year": YEAR, "instrument": "safe_unit", "organisation_id": org, "answers": all_met(&t, "enterprise", true).await}))
        .await;
    assert_eq!(s, 201, "{a}");
    let aid = a["id"].as_i64().unwrap();
    assert_eq!(a["result"]["passed"], false);
    assert_eq!(a["result"]["unmet"][0]["reason_code"], "no_working_model", "{a}");
    // A commune's own model does not count for the enterprise.
    let model = |host: Value, name: &str| {
        let mut b = json!({"type_code": "to_cong_nhan_tu_quan", "name": name, "started_on": "2025-03-01", "dan_van_kheo": true});
        b.as_object_mut().unwrap().extend(host.as_object().unwrap().clone());
        b
    };
    let (s, _) = t.post_json(&c, "/api/v1/models", &model(json!({"unit_code": "00004"}), "Tổ tự quản phường")).await;
    assert_eq!(s, 201);
    // Bad hosts: both, neither, an organisation out of scope.
    let both = model(json!({"unit_code": "00004", "organisation_id": org}), "Hai nơi");
    assert_eq!(t.post_json(&c, "/api/v1/models", &both).await.0, 422);
    let neither = model(json!({}), "Không nơi nào");
    assert_eq!(t.post_json(&c, "/api/v1/models", &neither).await.0, 422);
    let (s, b) = t.post_json(&other, "/api/v1/models", &model(json!({"organisation_id": org}), "Ngoài phạm vi")).await;
    assert_eq!((s, b["error"]["fields"][0]["field"].as_str()), (422, Some("organisation_id")), "{b}");
    let (_, before) = t.get_json(&c, "/api/v1/models").await;
    // The enterprise's own workers' team, judged effective by the commune police.
    let (s, m) =
        t.post_json(&c, "/api/v1/models", &model(json!({"organisation_id": org}), "Tổ công nhân tự quản")).await;
    assert_eq!(s, 201, "{m}");
    assert_eq!((m["organisation_id"].as_i64(), m["unit_code"].as_str()), (Some(org), Some("00004")));
    assert_eq!(m["organisation_name"], "Công ty May Ba Đình");
    let mid = m["id"].as_i64().unwrap();
    let (_, after) = t.get_json(&c, "/api/v1/models").await;
    assert_eq!(after["total"].as_i64().unwrap(), before["total"].as_i64().unwrap() + 1);
    let evaluate =
        |verdict: &str, reason: Option<&str>| json!({"year": YEAR, "verdict": verdict, "correction_reason": reason});
    let (s, b) = t.post_json(&c, &format!("/api/v1/models/{mid}/evaluations"), &evaluate("formal", None)).await;
    assert_eq!(s, 201, "{b}");
    // On paper only: still not passed. Corrected by whoever gave it, with a reason.
    let (_, a) = t
        .put_json(&c, &format!("/api/v1/assessments/{aid}"), &json!({"answers": all_met(&t, "enterprise", true).await}))
        .await;
    assert_eq!(a["result"]["passed"], false);
    let (s, b) = t.post_json(&c, &format!("/api/v1/models/{mid}/evaluations"), &evaluate("effective", None)).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("movement.correction_reason")), "{b}");
    let (s, _) = t
        .post_json(&p, &format!("/api/v1/models/{mid}/evaluations"), &evaluate("effective", Some("Kiểm tra lại")))
        .await;
    assert_eq!(s, 409, "someone else cannot overwrite the verdict");
    let (s, b) = t
        .post_json(
            &c,
            &format!("/api/v1/models/{mid}/evaluations"),
            &evaluate("effective", Some("Kiểm tra lại thực tế")),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let (rows, _) = t.app.store.list_audit(&domain::Scope::Nation, 50, 0).await.unwrap();
    assert!(rows.iter().any(|r| r.action == "model.evaluation_correct"), "the correction is audited");
    // Now the enterprise passes: its model is computed, not typed.
    let (_, a) = t
        .put_json(&c, &format!("/api/v1/assessments/{aid}"), &json!({"answers": all_met(&t, "enterprise", true).await}))
        .await;
    assert_eq!(a["result"]["passed"], true, "{a}");
    // Listed on the organisation's page and filtered in the register.
    let page =
        t.http.get(t.url(&format!("/organisations/{org}"))).bearer_auth(&c).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Tổ công nhân tự quản"), "the organisation lists its model");
    let (_, l) = t.get_json(&c, &format!("/api/v1/models?organisation_id={org}")).await;
    assert_eq!(l["total"], 1);
    // "Dân vận khéo" is a recognition by the level above, not a box the unit ticks:
    // the old field sent on creation marks nothing.
    let (_, l) = t.get_json(&c, "/api/v1/models?dan_van_kheo=true").await;
    assert_eq!(l["total"], 0);
    let (_, l) = t.get_json(&c, "/api/v1/models?dan_van_kheo=false").await;
    assert_eq!(l["total"], 2);
    assert_eq!(t.get_json(&c, "/api/v1/models?dan_van_kheo=maybe").await.0, 400);
    // A replica is listed on the original's page.
    let mut copy = model(json!({"unit_code": "00004"}), "Tổ tự quản nhân rộng");
    copy["replicates_id"] = json!(mid);
    assert_eq!(t.post_json(&c, "/api/v1/models", &copy).await.0, 201);
    let page = t.http.get(t.url(&format!("/models/{mid}"))).bearer_auth(&c).send().await.unwrap().text().await.unwrap();
    let replicas = page.split("id=\"model-replicas\">").nth(1).unwrap().split("</td>").next().unwrap();
    assert!(replicas.contains("Tổ tự quản nhân rộng"), "{replicas}");
    t.stop().await;
}

/// Đăng ký phấn đấu: subjects register once a year in scope; the commune sees who
/// has not; an assessed subject counts as registered; the commune's "100 % đăng ký"
/// criterion (TT 124/2021 Điều 5 khoản 4) is computed at its edge.
async fn registrations(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, other, p) = setup(&t).await;
    let a1 = area(&t, &c, "Tổ dân phố số 1").await;
    let a2 = area(&t, &c, "Tổ dân phố số 2").await;
    let (_, school) = t
        .post_json(
            &c,
            "/api/v1/organisations",
            &json!({"name": "Trường THCS Ba Đình", "kind": "school", "unit_code": "00004"}),
        )
        .await;
    let school = school["id"].as_i64().unwrap();
    let (_, kinder) = t
        .post_json(
            &c,
            "/api/v1/organisations",
            &json!({"name": "Trường Mầm non Hoa Sen", "kind": "school", "unit_code": "00004"}),
        )
        .await;
    let kinder = kinder["id"].as_i64().unwrap();
    assert_eq!(
        t.put_json(
            &c,
            &format!("/api/v1/organisations/{kinder}/exemption"),
            &json!({"reason": "primary_or_preschool"})
        )
        .await
        .0,
        200
    );
    let progress =
        || async { t.get_json(&c, &format!("/api/v1/registrations/progress?unit=00004&year={YEAR}")).await.1 };
    let p0 = progress().await;
    assert_eq!(
        (p0["registered"].as_u64(), p0["total"].as_u64()),
        (Some(0), Some(3)),
        "two areas and a school; the exempt kindergarten left out: {p0}"
    );
    // Registered once, in scope; refused with the reason otherwise, nothing stored.
    let (s, r) = t
        .post_json(
            &c,
            "/api/v1/registrations",
            &json!({"year": YEAR, "unit_code": a1, "note": "Nghị quyết chi bộ, kế hoạch, bản đăng ký"}),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    let rid = r["id"].as_i64().unwrap();
    assert_eq!(
        (r["subject"].as_str(), r["subject_name"].as_str()),
        (Some("residential_area"), Some("Tổ dân phố số 1"))
    );
    assert_eq!(t.post_json(&c, "/api/v1/registrations", &json!({"year": YEAR, "unit_code": a1})).await.0, 409);
    assert_eq!(t.post_json(&other, "/api/v1/registrations", &json!({"year": YEAR, "unit_code": a2})).await.0, 404);
    assert_eq!(t.post_json(&c, "/api/v1/registrations", &json!({"year": 1999, "unit_code": a2})).await.0, 422);
    assert_eq!(
        t.post_json(&c, "/api/v1/registrations", &json!({"year": YEAR, "organisation_id": kinder})).await.0,
        422
    );
    assert_eq!(t.post_json(&c, "/api/v1/registrations", &json!({"year": YEAR})).await.0, 422);
    let (_, l) = t.get_json(&p, &format!("/api/v1/registrations?year={YEAR}&unit=01")).await;
    assert_eq!(l["total"], 1, "the province sees its communes' registrations: {l}");
    let (_, l) = t.get_json(&other, &format!("/api/v1/registrations?year={YEAR}")).await;
    assert_eq!(l["total"], 0, "another commune sees none");
    assert_eq!(t.get_json(&other, &format!("/api/v1/registrations/progress?unit=00004&year={YEAR}")).await.0, 404);
    // The school is assessed without registering: it counts as registered.
    let (s, _) = t
        .post_json(
            &c,
            "/api/v1/assessments",
            &json!({"year": YEAR, "instrument": "safe_unit", "organisation_id": school}),
        )
        .await;
    assert_eq!(s, 201);
    let p1 = progress().await;
    assert_eq!(p1["registered"], 2, "{p1}");
    let by: Vec<Option<&str>> = p1["items"].as_array().unwrap().iter().map(|i| i["registered_by"].as_str()).collect();
    assert!(by.contains(&Some("assessment")) && by.contains(&Some("registration")) && by.contains(&None), "{by:?}");
    // The commune's own K4, computed: one area short of 100 %, then all.
    let (s, ca) = t
        .post_json(&c, "/api/v1/assessments", &json!({"year": YEAR, "instrument": "safe_unit", "unit_code": "00004", "answers": all_met(&t, "commune", true).await}))
        .await;
    assert_eq!(s, 201, "{ca}");
    let reasons = |a: &Value| -> Vec<String> {
        a["result"]["unmet"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["reason_code"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(reasons(&ca).contains(&"not_all_registered".to_string()), "{ca}");
    let page =
        t.http.get(t.url("/registrations?unit=00004")).bearer_auth(&c).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(">2/3</b>") && page.contains("Tổ dân phố số 2"), "the page lists who has not");
    let r = t
        .http
        .post(t.url("/registrations"))
        .bearer_auth(&c)
        .form(&[("year", YEAR.to_string()), ("commune", "00004".into()), ("unit_code", a2.clone())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303, "registered from the page");
    let ca_id = ca["id"].as_i64().unwrap();
    let (_, ca) = t
        .put_json(&c, &format!("/api/v1/assessments/{ca_id}"), &json!({"answers": all_met(&t, "commune", true).await}))
        .await;
    assert!(!reasons(&ca).contains(&"not_all_registered".to_string()), "{ca}");
    assert_eq!(progress().await["registered"], 3);
    // The registration's file (resolution, plan, form) as evidence: rights first —
    // another commune cannot even find it — then the bytes told by their content.
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let path = format!("/api/v1/registrations/{rid}/files?filename=Ngh%E1%BB%8B%20quy%E1%BA%BFt.pdf");
    assert_eq!(t.post_raw(&other, &path, "application/pdf", pdf.clone()).await.0, 404, "out of scope");
    let (s, b) = t.post_raw(&c, &path, "application/pdf", b"MZ\x90\x00 not a pdf".to_vec()).await;
    assert_eq!(s, 415, "{b}");
    let (s, f) = t.post_raw(&c, &path, "application/pdf", pdf.clone()).await;
    assert_eq!(
        (s, f["filename"].as_str(), f["registration_id"].as_i64()),
        (201, Some("Nghị quyết.pdf"), Some(rid)),
        "{f}"
    );
    let (_, files) = t.get_json(&p, &format!("/api/v1/registrations/{rid}/files")).await;
    assert_eq!(files["items"].as_array().unwrap().len(), 1, "the province sees it: {files}");
    assert_eq!(t.get_json(&other, &format!("/api/v1/registrations/{rid}/files")).await.0, 404);
    let fid = f["id"].as_i64().unwrap();
    let got = t.http.get(t.url(&format!("/api/v1/files/{fid}"))).bearer_auth(&c).send().await.unwrap();
    assert_eq!(got.status().as_u16(), 200);
    assert_eq!(got.bytes().await.unwrap().to_vec(), pdf);
    assert_eq!(
        t.http.get(t.url(&format!("/api/v1/files/{fid}"))).bearer_auth(&other).send().await.unwrap().status().as_u16(),
        404
    );
    let page =
        t.http.get(t.url("/registrations?unit=00004")).bearer_auth(&c).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains(&format!("href=\"&#x2f;api&#x2f;v1&#x2f;files&#x2f;{fid}\""))
            || page.contains(&format!("/api/v1/files/{fid}")),
        "listed on the page"
    );
    // The dashboard's figure: 3 of 3 in the commune; the province counts its communes'.
    let dash = t
        .http
        .get(t.url(&format!("/movement?year={YEAR}")))
        .bearer_auth(&c)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let fig = dash.split("id=\"registration-progress\"").nth(1).unwrap_or_default();
    assert!(fig.contains("<b>3/3</b>") && fig.contains("100"), "{}", &fig[..fig.len().min(300)]);
    let dash = t
        .http
        .get(t.url(&format!("/movement?year={YEAR}")))
        .bearer_auth(&p)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let fig = dash.split("id=\"registration-progress\"").nth(1).unwrap_or_default();
    assert!(fig.contains("<b>3/3</b>"), "{}", &fig[..fig.len().min(300)]);
    t.stop().await;
}

/// TT 124/2021 Điều 8 khoản 1: a province adds criteria of its own for its territory
/// and a year; its subjects are assessed on the national set plus these, other
/// provinces' are not; the ministry sees which provinces added what.
async fn province_criteria(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, _, p) = setup(&t).await;
    t.user("tinh.hcm", "province", Some("79"), None).await;
    t.user("bo.v05b", "ministry", Some("VN"), None).await;
    let (other_province, _) = t.token_with_totp("tinh.hcm").await;
    let (ministry, _) = t.token_with_totp("bo.v05b").await;
    let extra = json!({"year": YEAR, "subject": "residential_area", "code": "HN1", "text": "100% hộ gia đình lắp camera an ninh ở cổng ngõ.", "source": "Kế hoạch 12/KH-UBND tỉnh"});
    // Not a commune's to add; not for another province; a code already in the set.
    assert_eq!(t.post_json(&c, "/api/v1/province-criteria", &extra).await.0, 403);
    let mut elsewhere = extra.clone();
    elsewhere["province_code"] = json!("79");
    assert_eq!(t.post_json(&p, "/api/v1/province-criteria", &elsewhere).await.0, 404);
    let mut taken = extra.clone();
    taken["code"] = json!("K1");
    let (s, b) = t.post_json(&p, "/api/v1/province-criteria", &taken).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("criteria.code_duplicate")), "{b}");
    let (s, b) = t.post_json(&p, "/api/v1/province-criteria", &extra).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!((b["province_code"].as_str(), b["province_name"].as_str()), (Some("01"), Some("Thành phố Hà Nội")));
    assert_eq!(t.post_json(&p, "/api/v1/province-criteria", &extra).await.0, 422, "twice");
    // A Hà Nội residential area is assessed on the national set plus HN1.
    let code = area(&t, &c, "Tổ dân phố số 7").await;
    let (s, a) = t
        .post_json(&c, "/api/v1/assessments", &json!({"year": YEAR, "instrument": "safe_unit", "unit_code": code, "answers": all_met(&t, "residential_area", true).await}))
        .await;
    assert_eq!(s, 201, "{a}");
    assert_eq!(a["result"]["passed"], false, "the province's criterion is not answered yet");
    assert_eq!(a["result"]["unmet"][0]["code"], "HN1");
    let mut answers = all_met(&t, "residential_area", true).await;
    answers.as_array_mut().unwrap().push(json!({"criterion": "HN1", "met": true}));
    let id = a["id"].as_i64().unwrap();
    let (s, a) = t.put_json(&c, &format!("/api/v1/assessments/{id}"), &json!({"answers": answers})).await;
    assert_eq!((s, a["result"]["passed"].as_bool()), (200, Some(true)), "{a}");
    let page =
        t.http.get(t.url(&format!("/assessments/{id}"))).bearer_auth(&c).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("Kế hoạch 12&#x2f;KH-UBND tỉnh (Thành phố Hà Nội)"),
        "the added criterion shows with its source"
    );
    // The ministry sees who added what; another province sees none of Hà Nội's.
    let (_, all) = t.get_json(&ministry, &format!("/api/v1/province-criteria?year={YEAR}")).await;
    assert_eq!((all["total"].as_u64(), all["items"][0]["code"].as_str()), (Some(1), Some("HN1")), "{all}");
    let (_, theirs) = t.get_json(&other_province, &format!("/api/v1/province-criteria?year={YEAR}")).await;
    assert_eq!(theirs["total"], 0);
    assert_eq!(t.get_json(&other_province, &format!("/api/v1/province-criteria?year={YEAR}&province=01")).await.0, 404);
    t.stop().await;
}

/// Issue 17 point 10: the point map coloured by each indicator — classification,
/// key area, criterion 19, overdue cases and tasks — each commune's figure on hover;
/// printable on its own page.
async fn point_map_indicators(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, _, p) = setup(&t).await;
    // Ba Đình: a key area, classified "Khá", one overdue case, one overdue task;
    // Ngọc Hà: criterion 19 not met.
    let ka = json!({"unit_code": "00004", "action": "designate", "decision_number": "12/QĐ-CAT", "decision_date": "2026-02-01"});
    assert_eq!(t.post_json(&p, "/api/v1/key-areas", &ka).await.0, 201);
    let c19 = json!({"unit_code": "00008", "year": YEAR, "met": false});
    assert_eq!(t.put_json(&p, "/api/v1/criterion19", &c19).await.0, 200);
    let mv = json!({"year": YEAR, "instrument": "movement", "unit_code": "00004", "answers": []});
    let (s, a) = t.post_json(&c, "/api/v1/assessments", &mv).await;
    assert_eq!(s, 201, "{a}");
    let id = a["id"].as_i64().unwrap();
    // Approved "good" (the workflow is tested elsewhere; here only the figure matters).
    t.app
        .store
        .execute_one("UPDATE assessments SET status = 'approved', level = 'good' WHERE id = $1", &[id.into()])
        .await
        .unwrap();
    let case = json!({"kind": "petition", "unit_code": "00004", "description": "Đề nghị sửa đèn đường ngõ 5.", "anonymous": true});
    assert_eq!(t.post_json("", "/api/v1/public/cases", &case).await.0, 201);
    t.app.store.execute_one("UPDATE cases SET due_date = '2020-01-01'", &[]).await.unwrap();
    let due = (store::clock::today() + chrono::Duration::days(20)).to_string();
    let task = json!({"title": "Rà soát camera", "due": due, "assignees": ["00004"]});
    assert_eq!(t.post_json(&p, "/api/v1/tasks", &task).await.0, 201);
    t.app.store.execute_one("UPDATE tasks SET due = '2020-01-01'", &[]).await.unwrap();
    let map = |indicator: &str| {
        let (t, p) = (&t, p.clone());
        let path = format!("/movement/points?year={YEAR}&unit=01&indicator={indicator}");
        async move {
            let r = t.http.get(t.url(&path)).bearer_auth(&p).send().await.unwrap();
            assert_eq!(r.status().as_u16(), 200, "{path}");
            r.text().await.unwrap()
        }
    };
    let dot =
        |fill: &str, title: &str| format!("fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"1\"><title>{title}</title>");
    for (indicator, fill, title) in [
        ("classification", "#34a853", "Phường Ba Đình: Khá"),
        ("key_area", "#d93025", "Phường Ba Đình: Có"),
        ("key_area", "#137333", "Phường Ngọc Hà: Không"),
        ("criterion19", "#d93025", "Phường Ngọc Hà: Không"),
        ("criterion19", "#dadce0", "Phường Ba Đình: Chưa có số liệu"),
        ("cases_overdue", "#fbbc04", "Phường Ba Đình: 1"),
        ("cases_overdue", "#137333", "Phường Ngọc Hà: 0"),
        ("tasks_overdue", "#fbbc04", "Phường Ba Đình: 1"),
        ("recognition", "#dadce0", "Phường Ba Đình: —"),
    ] {
        let html = map(indicator).await;
        assert!(html.contains(&dot(fill, title)), "{indicator}: {title} in {fill}");
        assert!(html.contains(&format!("data-indicator=\"{indicator}\"")) && html.contains("id=\"point-map-legend\""));
    }
    // An unknown indicator is refused by name; the printable page stands alone.
    let r = t.http.get(t.url("/movement/points?unit=01&indicator=bogus")).bearer_auth(&p).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let r = t
        .http
        .get(t.url(&format!("/movement/points?year={YEAR}&unit=01&indicator=key_area&print=1")))
        .bearer_auth(&p)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"map-print-title\"") && html.contains("<html"), "a whole page");
    // Another province's map is out of reach.
    let r = t.http.get(t.url("/movement/points?unit=79&indicator=key_area")).bearer_auth(&p).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
    t.stop().await;
}

/// TT 124/2021 Điều 10 khoản 4: the Ministry verifies and decides for an
/// organisation one of its departments follows; the certificate is issued in its
/// name; the decision's due day (Điều 9: 20/11) and its lateness are shown.
async fn ministry_followed(db: &TestDb) {
    let t = TestApp::start(db).await;
    let (c, _, p) = setup(&t).await;
    t.user("bo.v05c", "ministry", Some("VN"), None).await;
    let (m, _) = t.token_with_totp("bo.v05c").await;
    let (s, o) = t
        .post_json(
            &c,
            "/api/v1/organisations",
            &json!({"name": "Tổng công ty Điện lực", "kind": "enterprise", "unit_code": "00004"}),
        )
        .await;
    assert_eq!(s, 201, "{o}");
    let org = o["id"].as_i64().unwrap();
    let path = format!("/api/v1/organisations/{org}/ministry-follower");
    let dept = json!({"department": "Cục An ninh kinh tế"});
    assert_eq!(t.put_json(&p, &path, &dept).await.0, 403, "only the Ministry says so");
    let (s, b) = t.put_json(&m, &path, &json!({"department": "x"})).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("org.department_invalid")), "{b}");
    let (s, o) = t.put_json(&m, &path, &dept).await;
    assert_eq!((s, o["followed_by"].as_str()), (200, Some("Cục An ninh kinh tế")), "{o}");
    // Its own working model (the condition of Điều 6 khoản 1), judged by the province.
    let (s, model) = t
        .post_json(&c, "/api/v1/models", &json!({"type_code": "camera_an_ninh", "name": "Camera an ninh trạm điện", "organisation_id": org, "started_on": "2024-03-01"}))
        .await;
    assert_eq!(s, 201, "{model}");
    let ev = json!({"year": YEAR, "verdict": "effective"});
    assert_eq!(t.post_json(&p, &format!("/api/v1/models/{}/evaluations", model["id"]), &ev).await.0, 201);
    // The commune no longer owns its assessment; the province drafts it, the
    // Ministry verifies and decides.
    let body = json!({"year": YEAR, "instrument": "safe_unit", "organisation_id": org, "answers": all_met(&t, "enterprise", true).await});
    assert_eq!(t.post_json(&c, "/api/v1/assessments", &body).await.0, 403);
    let (s, a) = t.post_json(&p, "/api/v1/assessments", &body).await;
    assert_eq!(s, 201, "{a}");
    let id = a["id"].as_i64().unwrap();
    assert_eq!(step(&t, &p, id, json!({"to": "submitted"})).await.0, 200);
    assert_eq!(step(&t, &p, id, json!({"to": "reviewed"})).await.0, 403, "the province does not verify it");
    assert_eq!(step(&t, &m, id, json!({"to": "reviewed", "remarks": "Đã thẩm định"})).await.0, 200);
    let decision = json!({"to": "approved", "decision_number": "120/QĐ-BCA", "decision_date": "2026-11-25", "signer_name": "Nguyễn Văn A", "signer_title": "Thứ trưởng"});
    let (s, a) = step(&t, &m, id, decision).await;
    assert_eq!((s, &a["result"]["passed"]), (200, &json!(true)), "{a}");
    let (_, got) = t.get_json(&m, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(
        (got["recognition"]["deciding_body"].as_str(), got["recognition"]["authority"].as_str()),
        (Some("Bộ Công an"), Some("ministry")),
        "{got}"
    );
    // The page shows the due day (20/11) and five days late.
    let html =
        t.http.get(t.url(&format!("/assessments/{id}"))).bearer_auth(&m).send().await.unwrap().text().await.unwrap();
    let due = html.split("id=\"decision-due\"").nth(1).unwrap_or_default();
    assert!(due.contains("20&#x2f;11&#x2f;2026") || due.contains("20/11/2026"), "{}", &due[..due.len().min(200)]);
    assert!(due.contains("5 ngày"), "{}", &due[..due.len().min(300)]);
    // The certificate in the Ministry's name.
    let r =
        t.http.get(t.url(&format!("/api/v1/assessments/{id}/certificate.pdf"))).bearer_auth(&m).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    if let Some(text) = testkit::pdf_text(&r.bytes().await.unwrap()) {
        assert!(text.contains("BỘ CÔNG AN") && !text.contains("ỦY BAN NHÂN DÂN"), "{text}");
    }
    // The organisation's page names the department.
    let html =
        t.http.get(t.url(&format!("/organisations/{org}"))).bearer_auth(&m).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("id=\"followed-by\"") && html.contains("Cục An ninh kinh tế"));
    t.stop().await;
}
