//! Browser tests in headless Chromium (Debian's `chromium` + `chromedriver`) on a
//! phone-sized screen: log in, find a commune, create an organisation, import a
//! CSV with an error and read the report. Screenshots go to `artifacts/screenshots/`.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use fantoccini::{Client, ClientBuilder, Locator};
use testkit::{TestApp, TestDb, PASSWORD};

struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts chromedriver and waits for its "started successfully" line.
fn start_driver() -> Option<Driver> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromedriver"].iter().all(|p| std::path::Path::new(p).exists());
    if !found {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("chromium and chromedriver are required under CI=true (apt-get install chromium chromium-driver)");
        }
        eprintln!("SKIPPED browser test: chromium/chromedriver not installed");
        return None;
    }
    let port = free_port();
    let mut child = Command::new("/usr/bin/chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let mut lines = BufReader::new(out).lines();
    for line in lines.by_ref() {
        if line.unwrap().contains("started successfully") {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    Some(Driver { child, port, _profile: tempfile::tempdir().unwrap() })
}

async fn browser(d: &Driver) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--no-first-run", "--disable-sync", "--disable-quic", "--lang=vi", "--window-size=390,844",
                     format!("--user-data-dir={}", d._profile.path().display())],
            "prefs": {"intl.accept_languages": "vi"}
        }),
    );
    ClientBuilder::rustls().unwrap().capabilities(caps).connect(&format!("http://127.0.0.1:{}", d.port)).await.unwrap()
}

fn artifacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../artifacts/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(artifacts().join(format!("{name}.png")), png).unwrap();
}

/// The text of the first element matching `css`. htmx swaps pages in place, so an
/// element found just before a swap can go stale: find it again when that happens.
async fn text_of(c: &Client, css: &str) -> String {
    let mut last = None;
    for _ in 0..100 {
        let found = c.wait().for_element(Locator::Css(css)).await.unwrap();
        match found.text().await {
            Ok(t) => return t,
            Err(e) => {
                last = Some(e);
                tokio::task::yield_now().await;
            }
        }
    }
    panic!("{css} kept going stale: {last:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commune_officer_on_a_phone() {
    let Some(driver) = start_driver() else { return };
    let db = TestDb::sqlite().await;
    let t = TestApp::start(&db).await;
    t.user("canbo.badinh", "commune", Some("00004"), None).await;
    let c = browser(&driver).await;

    // Log in.
    c.goto(&t.url("/login")).await.unwrap();
    shot(&c, "01-login").await;
    c.find(Locator::Css("input[name=username]")).await.unwrap().send_keys("canbo.badinh").await.unwrap();
    c.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(".tiles")).await.unwrap();
    assert!(text_of(&c, "h1").await.contains("Tổng quan"));
    shot(&c, "02-dashboard").await;

    // Find a commune without diacritics.
    c.goto(&t.url("/units?q=dong+tam")).await.unwrap();
    let results = text_of(&c, "#unit-results").await;
    assert!(results.contains("Xã Đồng Tâm"), "{results}");
    assert!(results.contains("25390"));
    shot(&c, "03-find-commune").await;

    // Create an organisation.
    c.goto(&t.url("/organisations/new")).await.unwrap();
    c.find(Locator::Css("input[name=name]")).await.unwrap().send_keys("Trường THCS Thử Nghiệm").await.unwrap();
    c.find(Locator::Css("select[name=kind] option[value=school]")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("input[name=tax_code]")).await.unwrap().send_keys("0101234567").await.unwrap();
    shot(&c, "04-new-organisation").await;
    c.find(Locator::Css("form.card button.primary")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("dl.facts")).await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "Trường THCS Thử Nghiệm");
    shot(&c, "05-organisation-created").await;
    assert_eq!(t.count_all_organisations().await, 1);

    // Import a CSV with one bad row: the report names it and nothing is written.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("to-chuc.csv");
    std::fs::write(
        &csv,
        "name,kind,unit_code\nCông ty Một,enterprise,00004\nCông ty Hai,ngân hàng,00004\nCông ty Ba,enterprise,00004\n",
    )
    .unwrap();
    c.goto(&t.url("/organisations/import")).await.unwrap();
    c.find(Locator::Css("input[type=file]")).await.unwrap().send_keys(csv.to_str().unwrap()).await.unwrap();
    c.find(Locator::Css("#import-submit")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#import-report")).await.unwrap();
    let report = text_of(&c, "#import-report").await;
    assert!(report.contains('3') && report.contains("kind") && report.contains("Loại hình"), "{report}");
    assert!(text_of(&c, "#import-error").await.contains("Không nhập dữ liệu nào"));
    shot(&c, "06-import-report").await;
    assert_eq!(t.count_all_organisations().await, 1);

    // The list shows the new organisation; search ignores diacritics.
    c.goto(&t.url("/organisations?q=thu+nghiem")).await.unwrap();
    assert!(text_of(&c, "#org-results").await.contains("Trường THCS Thử Nghiệm"));
    // A filter left blank stays blank (no "None" in the field).
    let unit = c.find(Locator::Css("input[name=unit]")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(unit.as_deref(), Some(""));
    shot(&c, "07-organisation-list").await;

    // A kindergarten lies outside the "safe" standard: the officer records it on its page.
    let tok = t.token("canbo.badinh").await;
    let (s, k) = t
        .post_json(
            &tok,
            "/api/v1/organisations",
            &serde_json::json!({"name": "Trường Mầm non Hoa Mai", "kind": "school", "unit_code": "00004"}),
        )
        .await;
    assert_eq!(s, 201, "{k}");
    c.goto(&t.url(&format!("/organisations/{}", k["id"]))).await.unwrap();
    assert!(text_of(&c, "#exemption").await.contains("Thuộc đối tượng xét công nhận"));
    c.find(Locator::Css("#exemption-set")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#exemption-lift")).await.unwrap();
    let e = text_of(&c, "#exemption").await;
    assert!(e.contains("Không xét: cơ sở giáo dục tiểu học, mầm non, nhà trẻ"), "{e}");
    c.execute("document.querySelector('#exemption').scrollIntoView()", vec![]).await.unwrap();
    shot(&c, "08-organisation-exempt").await;

    c.close().await.unwrap();
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn province_officer_enrols_totp_and_switches_language() {
    let Some(driver) = start_driver() else { return };
    let db = TestDb::sqlite().await;
    let t = TestApp::start(&db).await;
    t.user("phong.xdpt.hn", "province", Some("01"), None).await;
    let c = browser(&driver).await;

    // A wrong password first: a clear Vietnamese message.
    c.goto(&t.url("/login")).await.unwrap();
    c.find(Locator::Css("input[name=username]")).await.unwrap().send_keys("phong.xdpt.hn").await.unwrap();
    c.find(Locator::Css("input[name=password]")).await.unwrap().send_keys("sai-mat-khau-1").await.unwrap();
    c.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("p.error")).await.unwrap();
    assert_eq!(text_of(&c, "p.error").await, "Tên đăng nhập, mật khẩu hoặc mã xác thực (TOTP) không đúng.");
    shot(&c, "11-login-wrong-password").await;

    // The right password: sent straight to TOTP enrolment.
    c.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("p.warn")).await.unwrap();
    shot(&c, "12-totp-required").await;
    // Any other page sends the officer back here.
    c.goto(&t.url("/organisations")).await.unwrap();
    c.wait().for_element(Locator::Css("p.warn")).await.unwrap();
    c.find(Locator::Css("form[action='/account/totp/enrol'] button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#totp-qr svg")).await.unwrap();
    let secret = text_of(&c, "#totp-secret").await;
    shot(&c, "13-totp-secret").await;
    // A mistyped code: the same secret and QR code again, with the reason.
    c.find(Locator::Css("input[name=code]")).await.unwrap().send_keys("000000").await.unwrap();
    c.find(Locator::Css("form[action='/account/totp/confirm'] button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("p.error")).await.unwrap();
    assert_eq!(text_of(&c, "#totp-secret").await, secret, "the secret survives a wrong code");
    assert!(c.find(Locator::Css("#totp-qr svg")).await.is_ok());
    shot(&c, "13b-totp-wrong-code").await;
    let code = app::auth::current_totp(&secret, "phong.xdpt.hn").unwrap();
    c.find(Locator::Css("input[name=code]")).await.unwrap().send_keys(&code).await.unwrap();
    c.find(Locator::Css("form[action='/account/totp/confirm'] button")).await.unwrap().click().await.unwrap();
    // The recovery codes, shown this once, then on.
    c.wait().for_element(Locator::Css("#recovery-codes")).await.unwrap();
    assert_eq!(c.find_all(Locator::Css("#recovery-codes li")).await.unwrap().len(), 8);
    shot(&c, "13c-recovery-codes").await;
    c.find(Locator::Css("#recovery-codes a.button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(".tiles")).await.unwrap();
    let dash = text_of(&c, "main").await;
    assert!(dash.contains("Thành phố Hà Nội") && dash.contains("126"), "{dash}");
    shot(&c, "14-province-dashboard").await;

    // Switch to English and back.
    c.find(Locator::Css("a.lang")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::XPath("//h1[contains(., 'Overview')]")).await.unwrap();
    shot(&c, "15-dashboard-english").await;
    c.find(Locator::Css("a.lang")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::XPath("//h1[contains(., 'Tổng quan')]")).await.unwrap();

    c.close().await.unwrap();
    t.stop().await;
}

async fn login(c: &Client, t: &TestApp, username: &str, totp: Option<&str>) {
    c.goto(&t.url("/login")).await.unwrap();
    c.find(Locator::Css("input[name=username]")).await.unwrap().send_keys(username).await.unwrap();
    c.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    if let Some(code) = totp {
        c.find(Locator::Css("input[name=totp]")).await.unwrap().send_keys(code).await.unwrap();
    }
    c.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(".tiles")).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commune_fills_an_assessment_and_the_province_approves_it() {
    let Some(driver) = start_driver() else { return };
    let db = TestDb::sqlite().await;
    let t = TestApp::start(&db).await;
    t.user("cand.badinh", "commune", Some("00004"), None).await;
    t.user("tinh.hn", "province", Some("01"), None).await;
    let (_, secret) = t.token_with_totp("tinh.hn").await;
    let c = browser(&driver).await;

    login(&c, &t, "cand.badinh", None).await;
    c.goto(&t.url("/assessments")).await.unwrap();
    c.find(Locator::Css("details.card summary")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("input[name=unit_code]")).await.unwrap().clear().await.unwrap();
    c.find(Locator::Css("input[name=unit_code]")).await.unwrap().send_keys("00004").await.unwrap();
    shot(&c, "21-new-assessment").await;
    c.find(Locator::Css("#create-assessment")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#answers")).await.unwrap();
    // Tick "Đạt" for every typed criterion and write one note.
    // (Each brought to the middle of the screen first, as a thumb would: the save
    // bar stays over the bottom edge.)
    for radio in c.find_all(Locator::Css("input[type=radio][value='1']")).await.unwrap() {
        let at = serde_json::to_value(&radio).unwrap();
        c.execute("arguments[0].scrollIntoView({block: 'center'})", vec![at]).await.unwrap();
        radio.click().await.unwrap();
    }
    c.find(Locator::Css("input[name^=note_]"))
        .await
        .unwrap()
        .send_keys("Không xảy ra trọng án trong năm")
        .await
        .unwrap();
    shot(&c, "22-assessment-filled").await;
    c.find(Locator::Css("#save-answers")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#step-submitted")).await.unwrap();
    // The computed criteria are named: no working model, no recognised areas yet.
    let result = text_of(&c, "#result").await;
    assert!(result.contains("Chưa đạt") && result.contains("mô hình"), "{result}");
    shot(&c, "23-assessment-saved").await;
    // A photo as evidence for one criterion, chosen in the upload form.
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("bien-ban-kiem-tra.png");
    std::fs::write(&png, tiny_png()).unwrap();
    let first_code = c
        .find(Locator::Css("#evidence-upload select[name=criterion] option:nth-child(2)"))
        .await
        .unwrap()
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    c.find(Locator::Css("#evidence-upload select[name=criterion] option:nth-child(2)"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("#evidence-upload input[type=file]"))
        .await
        .unwrap()
        .send_keys(png.to_str().unwrap())
        .await
        .unwrap();
    c.find(Locator::Css("#evidence-upload button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("p.files a")).await.unwrap();
    let files = text_of(&c, "p.files").await;
    assert!(files.contains("bien-ban-kiem-tra.png"), "{files}");
    let legend = c.find(Locator::XPath("//p[@class='files']/../legend")).await.unwrap().text().await.unwrap();
    assert!(legend.contains(&first_code), "{legend} / {first_code}");
    c.execute("document.querySelector('p.files').scrollIntoView()", vec![]).await.unwrap();
    shot(&c, "23b-evidence-for-a-criterion").await;
    c.execute("document.querySelector('#sheet-upload').scrollIntoView()", vec![]).await.unwrap();
    shot(&c, "23c-score-sheet-upload").await;
    c.find(Locator::Css("#step-submitted")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::XPath("//span[@id='status' and contains(., 'Đã gửi')]")).await.unwrap();
    // The commune cannot review its own assessment: no button for it.
    assert!(c.find(Locator::Css("#step-reviewed")).await.is_err());
    shot(&c, "24-assessment-submitted").await;
    // On a phone the menu opens first (one button, no script).
    c.find(Locator::Css("details.nav-menu summary")).await.unwrap().click().await.unwrap();
    shot(&c, "24b-phone-menu-open").await;
    c.find(Locator::Css("details.nav-menu form[action='/logout'] button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("input[name=username]")).await.unwrap();

    let code = app::auth::totp_at(&secret, "tinh.hn", 1).unwrap();
    login(&c, &t, "tinh.hn", Some(&code)).await;
    c.goto(&t.url("/assessments")).await.unwrap();
    c.find(Locator::Css("table.list a")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#step-reviewed")).await.unwrap();
    c.find(Locator::Css("#step-reviewed")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#step-approved")).await.unwrap();
    c.find(Locator::Css("input[name=decision_number]")).await.unwrap().send_keys("125/QĐ-CAT-PV05").await.unwrap();
    shot(&c, "25-province-approves").await;
    c.find(Locator::Css("#step-approved")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::XPath("//span[@id='status' and contains(., 'Đã phê duyệt')]")).await.unwrap();
    assert!(text_of(&c, "#result").await.contains("125/QĐ-CAT-PV05"));
    shot(&c, "26-approved").await;

    c.close().await.unwrap();
    t.stop().await;
}

/// A commune officer `user` of Ba Đình with a draft movement score sheet, open on
/// the phone: (the officer's token, the assessment's id, the browser).
async fn movement_draft_open(driver: &Driver, t: &TestApp, user: &str) -> (String, i64, Client) {
    t.user(user, "commune", Some("00004"), None).await;
    let tok = t.token(user).await;
    let year = store::clock::current_year();
    let body = serde_json::json!({"year": year, "instrument": "movement", "unit_code": "00004", "answers": []});
    let (s, a) = t.post_json(&tok, "/api/v1/assessments", &body).await;
    assert_eq!(s, 201, "{a}");
    let id = a["id"].as_i64().unwrap();
    let c = browser(driver).await;
    login(&c, t, user, None).await;
    c.goto(&t.url(&format!("/assessments/{id}"))).await.unwrap();
    c.wait().for_element(Locator::Css("#save-bar")).await.unwrap();
    (tok, id, c)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn score_sheet_keeps_work_on_a_phone() {
    let Some(driver) = start_driver() else { return };
    let db = TestDb::sqlite().await;
    let t = TestApp::start(&db).await;
    let (_, _, c) = movement_draft_open(&driver, &t, "cham.diem").await;
    let inputs = c.find_all(Locator::Css("input[name^=points_]")).await.unwrap();
    assert!(inputs.len() >= 3);
    let name_of = |i: usize| {
        let input = inputs[i].clone();
        async move { input.attr("name").await.unwrap().unwrap() }
    };
    let (first, second, third) = (name_of(0).await, name_of(1).await, name_of(2).await);
    // A half point with a decimal comma, a mistake, a plain number; the total
    // follows as they are typed.
    inputs[0].send_keys("0,5").await.unwrap();
    inputs[1].send_keys("abc").await.unwrap();
    inputs[2].send_keys("1").await.unwrap();
    c.find(Locator::Css("input[name^=note_]")).await.unwrap().send_keys("Họp dân 4 lần").await.unwrap();
    assert_eq!(text_of(&c, "#running-points").await, "1,5", "the running total");
    shot(&c, "50-score-sheet-typing").await;
    c.find(Locator::Css("#save-answers")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("p.field-error")).await.unwrap();
    // Refused: the mistake named beside its criterion, every other answer kept.
    let value = |n: String| {
        let c = c.clone();
        async move {
            c.find(Locator::Css(&format!("input[name='{n}']"))).await.unwrap().prop("value").await.unwrap().unwrap()
        }
    };
    assert_eq!(value(first.clone()).await, "0,5");
    assert_eq!(value(second.clone()).await, "abc");
    assert_eq!(value(third.clone()).await, "1");
    let note = c.find(Locator::Css("input[name^=note_]")).await.unwrap().prop("value").await.unwrap().unwrap();
    assert_eq!(note, "Họp dân 4 lần");
    assert_eq!(text_of(&c, "#running-points").await, "1,5", "the total of what was typed");
    let err = text_of(&c, "p.field-error").await;
    assert!(err.starts_with("Tiêu chí ") && err.contains("số điểm"), "{err}");
    c.execute("document.querySelector('p.field-error').scrollIntoView({block: 'center'})", vec![]).await.unwrap();
    shot(&c, "51-score-sheet-error-kept").await;
    // Mended and saved: the page says when.
    let bad = c.find(Locator::Css(&format!("input[name='{second}']"))).await.unwrap();
    bad.clear().await.unwrap();
    bad.send_keys("1").await.unwrap();
    c.find(Locator::Css("#save-answers")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#saved-at")).await.unwrap();
    assert!(text_of(&c, "#saved-at").await.starts_with("✓ Đã lưu lúc "));
    assert_eq!(text_of(&c, "#running-points").await, "2,5", "saved and scored by the server, the half kept");
    assert_eq!(value(first).await, "0,5");
    c.execute("document.querySelector('input[name^=points_]').scrollIntoView({block: 'center'})", vec![])
        .await
        .unwrap();
    shot(&c, "52-score-sheet-saved").await;
    c.close().await.unwrap();
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn movement_dashboards_with_chart_and_map() {
    let Some(driver) = start_driver() else { return };
    let db = TestDb::sqlite().await;
    let t = TestApp::start(&db).await;
    t.user("xa.bd", "commune", Some("00004"), None).await;
    t.user("cuc.xdpt", "ministry", Some("VN"), None).await;
    let c = t.token("xa.bd").await;
    let year = 2026;
    // Three residential areas: two recognised, one not.
    let (_, sets) = t.get_json("", "/api/v1/criteria-sets?instrument=safe_unit&subject=residential_area").await;
    let codes: Vec<String> = sets["items"][0]["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["code"].as_str().unwrap().to_string())
        .collect();
    for (i, pass) in [true, true, false].iter().enumerate() {
        let (_, u) = t
            .post_json(
                &c,
                "/api/v1/units",
                &serde_json::json!({"parent_code": "00004", "name": format!("Tổ {i}"), "division_type": "tổ dân phố"}),
            )
            .await;
        let answers: Vec<_> = codes.iter().map(|k| serde_json::json!({"criterion": k, "met": pass})).collect();
        let (_, a) = t.post_json(&c, "/api/v1/assessments", &serde_json::json!({"year": year, "instrument": "safe_unit", "unit_code": u["code"], "answers": answers})).await;
        let id = a["id"].as_i64().unwrap();
        for body in [
            serde_json::json!({"to": "submitted"}),
            serde_json::json!({"to": "reviewed"}),
            serde_json::json!({"to": "approved", "decision_number": format!("{i}/QĐ"), "decision_date": "2026-11-20"}),
        ] {
            let (s, b) = t.post_json(&c, &format!("/api/v1/assessments/{id}/transition"), &body).await;
            assert_eq!(s, 200, "{b}");
        }
    }
    let (secret_token, secret) = t.token_with_totp("cuc.xdpt").await;
    let _ = secret_token;
    let b = browser(&driver).await;
    let code = app::auth::totp_at(&secret, "cuc.xdpt", 1).unwrap();
    login(&b, &t, "cuc.xdpt", Some(&code)).await;
    b.goto(&t.url(&format!("/movement?year={year}"))).await.unwrap();
    b.wait().for_element(Locator::Css("svg.map")).await.unwrap();
    let page = text_of(&b, "main").await;
    assert!(page.contains("66,7 %"), "2 of 3 residential areas: {page}");
    // Hà Nội's tile is coloured (it has figures); a province without any stays grey.
    let hn = b.find(Locator::Css("svg.map rect[data-code='01']")).await.unwrap().attr("fill").await.unwrap();
    let cm = b.find(Locator::Css("svg.map rect[data-code='96']")).await.unwrap().attr("fill").await.unwrap();
    assert_eq!(hn.as_deref(), Some("#fa7b17"));
    assert_eq!(cm.as_deref(), Some("#dadce0"));
    shot(&b, "31-movement-nation").await;
    let map = b.find(Locator::Css("svg.map")).await.unwrap();
    b.execute("arguments[0].scrollIntoView();", vec![serde_json::to_value(&map).unwrap()]).await.unwrap();
    shot(&b, "32-movement-map").await;
    // The map drawn from the points: every commune of the country a dot, loaded when
    // opened; Ba Đình coloured by its 2 of 3, a commune without figures grey.
    b.find(Locator::Css("#point-map summary")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css("#point-map svg.point-map")).await.unwrap();
    let dots = b.find(Locator::Css("#point-map svg.point-map")).await.unwrap().attr("data-dots").await.unwrap();
    assert_eq!(dots.as_deref(), Some("3321"), "every commune placed");
    let coloured = b
        .execute(
            "var p = document.querySelector('#point-map path[data-colour=\"#fa7b17\"]'); return p ? p.getAttribute('d').split('M').length - 1 : 0",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(coloured, serde_json::json!(1), "one commune with figures, at 66,7 %");
    let point_map = b.find(Locator::Css("#point-map")).await.unwrap();
    b.execute("arguments[0].scrollIntoView();", vec![serde_json::to_value(&point_map).unwrap()]).await.unwrap();
    shot(&b, "33-point-map-nation").await;
    // Zoomed to Hà Nội: its communes, each named on hover and linked.
    b.goto(&t.url(&format!("/movement?year={year}&unit=01"))).await.unwrap();
    b.wait().for_element(Locator::Css("#point-map svg.point-map a")).await.unwrap();
    let titles = b
        .execute("return Array.from(document.querySelectorAll('#point-map svg title')).map(t => t.textContent)", vec![])
        .await
        .unwrap();
    let titles: Vec<String> = serde_json::from_value(titles).unwrap();
    assert!(titles.len() > 100 && titles.iter().any(|t| t.starts_with("Phường Ba Đình: 2/3")), "{:?}", &titles[..3]);
    let point_map = b.find(Locator::Css("#point-map")).await.unwrap();
    b.execute("arguments[0].scrollIntoView();", vec![serde_json::to_value(&point_map).unwrap()]).await.unwrap();
    shot(&b, "34-point-map-ha-noi").await;
    // Another indicator chosen on the phone: the map redrawn with its own legend.
    b.execute(
        "var s = document.getElementById('map-indicator'); s.value = 'key_area'; s.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![],
    )
    .await
    .unwrap();
    b.wait().for_element(Locator::Css("#point-map-body[data-indicator='key_area'] svg.point-map a")).await.unwrap();
    let legend = b.find(Locator::Css("#point-map-legend")).await.unwrap().text().await.unwrap();
    assert!(legend.contains("Địa bàn trọng điểm"), "{legend}");
    let point_map = b.find(Locator::Css("#point-map")).await.unwrap();
    b.execute("arguments[0].scrollIntoView();", vec![serde_json::to_value(&point_map).unwrap()]).await.unwrap();
    shot(&b, "35-point-map-key-areas").await;
    b.close().await.unwrap();
    t.stop().await;
}

/// A tiny valid PNG (1×1) with a text chunk that must be stripped.
fn tiny_png() -> Vec<u8> {
    fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
        [&(data.len() as u32).to_be_bytes()[..], kind, data, &[0, 0, 0, 0]].concat()
    }
    [
        b"\x89PNG\r\n\x1a\n".to_vec(),
        chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]),
        chunk(b"tEXt", b"GPS\x0021.0285,105.8542"),
        chunk(b"IDAT", &[0x78, 0x9c, 0x63, 0xf8, 0x0f, 0x00, 0x01, 0x01, 0x01, 0x00]),
        chunk(b"IEND", b""),
    ]
    .concat()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn citizen_reports_on_a_phone_and_the_officer_answers() {
    let Some(driver) = start_driver() else { return };
    let db = TestDb::sqlite().await;
    let t = TestApp::start(&db).await;
    t.user("congan.badinh", "commune", Some("00004"), None).await;
    let c = browser(&driver).await;

    // The citizen picks the province, then finds the commune without diacritics.
    c.goto(&t.url("/public/cases/new")).await.unwrap();
    c.find(Locator::Css("select[name=province] option[value='01']")).await.unwrap().click().await.unwrap();
    shot(&c, "30-public-form-province").await;
    c.find(Locator::Css("#place button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("input[name=q]")).await.unwrap().send_keys("ba dinh").await.unwrap();
    c.find(Locator::Css("#place button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("select[name=unit_code] option[value='00004']")).await.unwrap();
    // Nothing is chosen for the citizen (a pre-selected commune misroutes reports).
    let chosen = c.execute("return document.querySelector('select[name=unit_code]').value", vec![]).await.unwrap();
    assert_eq!(chosen, serde_json::json!(""), "no commune pre-selected");
    // (The search swaps the form in place: an option found just before a swap goes
    // stale, so it is found again.)
    let mut picked = false;
    for _ in 0..5 {
        if let Ok(o) = c.find(Locator::Css("select[name=unit_code] option[value='00004']")).await {
            if o.click().await.is_ok() {
                picked = true;
                break;
            }
        }
    }
    assert!(picked, "the commune can be chosen");
    shot(&c, "31-public-form-commune").await;

    // Kind, description, a photo, anonymous.
    c.find(Locator::Css("input[name=kind][value=feedback]")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("textarea[name=description]"))
        .await
        .unwrap()
        .send_keys("Đèn đường ngõ 12 phố Đội Cấn hỏng ba tuần, ban đêm có người lạ tụ tập.")
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("anh-hien-truong.png");
    std::fs::write(&png, tiny_png()).unwrap();
    c.find(Locator::Css("#report input[type=file]")).await.unwrap().send_keys(png.to_str().unwrap()).await.unwrap();
    c.find(Locator::Css("input[name=anonymous]")).await.unwrap().click().await.unwrap();
    shot(&c, "32-public-form-filled").await;
    c.find(Locator::Css("#report button.primary")).await.unwrap().click().await.unwrap();
    let code = text_of(&c, "#receipt-code").await;
    let secret = text_of(&c, "#receipt-secret").await;
    assert_eq!(code.len(), 11, "{code}");
    // One line each (never broken at the hyphens), with copy and print buttons.
    let lines = c
        .execute("var e = document.getElementById('receipt-code'); return Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight));", vec![])
        .await
        .unwrap();
    assert_eq!(lines, serde_json::json!(1), "the code on one line");
    let copy = c.find(Locator::Css("button[data-copy='receipt-code']")).await.unwrap();
    assert!(copy.is_displayed().await.unwrap(), "copy button shown");
    assert!(c.find(Locator::Css("#receipt-print")).await.unwrap().is_displayed().await.unwrap());
    shot(&c, "33-receipt").await;
    c.goto(&t.url("/public/stats")).await.unwrap();
    assert!(text_of(&c, ".tiles").await.contains('1'));
    shot(&c, "33b-public-statistics").await;

    // The officer's inbox on a phone: the case with its legal clock; a public reply.
    login(&c, &t, "congan.badinh", None).await;
    c.goto(&t.url("/cases")).await.unwrap();
    let inbox = text_of(&c, "table.cases").await;
    assert!(inbox.contains(&code) && inbox.contains("Còn"), "{inbox}");
    shot(&c, "34-officer-inbox").await;
    c.find(Locator::LinkText(&code)).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(".clockbar")).await.unwrap();
    assert!(text_of(&c, ".card p.pre").await.contains("Đội Cấn"));
    c.find(Locator::Css("textarea[name=body]"))
        .await
        .unwrap()
        .send_keys("Công an phường đã báo điện lực sửa đèn và tăng tuần tra ban đêm.")
        .await
        .unwrap();
    shot(&c, "35-officer-case").await;
    c.find(Locator::XPath("//form[.//textarea[@name='body']]//button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::XPath("//li[contains(@class,'officer')]")).await.unwrap();
    assert_eq!(text_of(&c, "p.flash").await, "Đã gửi tin nhắn.", "every act says it was done");
    // Closing asks for a confirmation first: without the box ticked nothing is sent.
    let outcome = "Điện lực đã thay đèn ngõ 12; công an phường tăng tuần tra ban đêm.";
    c.find(Locator::Css("#case-close textarea[name=outcome]")).await.unwrap().send_keys(outcome).await.unwrap();
    c.find(Locator::Css("#case-close button")).await.unwrap().click().await.unwrap();
    assert!(c.find(Locator::Css("#case-close input[name=confirm]:invalid")).await.is_ok(), "the box is asked for");
    assert_eq!(text_of(&c, "p.flash").await, "Đã gửi tin nhắn.", "still open, nothing done");
    c.find(Locator::Css("#case-close input[name=confirm]")).await.unwrap().click().await.unwrap();
    shot(&c, "35b-officer-confirms-closing").await;
    c.find(Locator::Css("#case-close button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::XPath("//p[@class='flash' and contains(., 'Đã kết thúc hồ sơ')]")).await.unwrap();
    shot(&c, "35c-officer-case-closed").await;
    // The officer's other pages on the phone: filing for a walk-in citizen, the calendar.
    c.goto(&t.url("/cases/new")).await.unwrap();
    c.wait().for_element(Locator::Css("form.card textarea[name=description]")).await.unwrap();
    shot(&c, "38-staff-files-a-case").await;
    c.goto(&t.url("/calendar?year=2026")).await.unwrap();
    assert!(text_of(&c, "#holidays").await.contains("Giỗ Tổ Hùng Vương"));
    shot(&c, "39-working-calendar").await;
    let cookies = c.get_all_cookies().await.unwrap();
    assert!(!cookies.is_empty());
    c.delete_all_cookies().await.unwrap();

    // The citizen follows the case with code and secret and reads the answer.
    c.goto(&t.url("/public/cases/lookup")).await.unwrap();
    c.find(Locator::Css("input[name=receipt_code]")).await.unwrap().send_keys(&code.to_lowercase()).await.unwrap();
    c.find(Locator::Css("input[name=secret]")).await.unwrap().send_keys(&secret).await.unwrap();
    c.find(Locator::Css("form.card button.primary")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("ol.thread")).await.unwrap();
    let thread = text_of(&c, "ol.thread").await;
    assert!(thread.contains("tăng tuần tra"), "{thread}");
    shot(&c, "36-citizen-follows").await;

    // The same form in English.
    c.goto(&t.url("/lang/en")).await.unwrap();
    c.goto(&t.url("/public/cases/new?province=01&q=ngoc+ha")).await.unwrap();
    assert!(text_of(&c, "h1").await.contains("Report a problem"));
    assert!(text_of(&c, "select[name=unit_code]").await.contains("Ngọc Hà"));
    shot(&c, "37-public-form-english").await;

    c.close().await.unwrap();
    t.stop().await;
}

/// A date `offset` days from today in Vietnam.
fn day(offset: i64) -> String {
    (store::clock::today() + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn working_year_programme_and_todo_on_a_phone() {
    let Some(driver) = start_driver() else { return };
    let db = TestDb::sqlite().await;
    let t = TestApp::start(&db).await;
    t.user("cuc.kh", "ministry", Some("VN"), None).await;
    t.user("tinh.hn", "province", Some("01"), None).await;
    t.user("xa.badinh", "commune", Some("00004"), None).await;
    let (m, secret) = t.token_with_totp("cuc.kh").await;
    let (p, _) = t.token_with_totp("tinh.hn").await;
    let x = t.token("xa.badinh").await;
    let (_, d) = t.post_json(&p, "/api/v1/directives", &serde_json::json!({"kind": "plan", "number": "20/KH-CAHN", "issued_on": day(-20), "title": "Kế hoạch triển khai phong trào năm", "plans_due": day(-2), "plans_from": "commune"})).await;
    assert!(d["id"].is_i64(), "{d}");
    let mut tasks = Vec::new();
    for (title, due, provinces) in [
        ("Xây dựng mô hình “Camera an ninh”", day(40), serde_json::json!(["01", "79", "48"])),
        ("Sơ kết 5 năm Chỉ thị 09", day(-3), serde_json::json!(["01", "79"])),
        ("Tập huấn lực lượng bảo vệ ANTT ở cơ sở", day(90), serde_json::json!(["01"])),
    ] {
        let (s, b) = t
            .post_json(
                &m,
                "/api/v1/tasks",
                &serde_json::json!({"title": title, "due": due, "issued_on": day(-30), "year": store::clock::current_year(), "assignees": provinces}),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        tasks.push(b["id"].as_i64().unwrap());
    }
    let (s, sub) = t.post_json(&p, "/api/v1/tasks", &serde_json::json!({"title": "Camera an ninh ở phường", "due": day(30), "assignees": ["00004", "00008"], "parent_id": tasks[0]})).await;
    assert_eq!(s, 201, "{sub}");
    let sub = sub["id"].as_i64().unwrap();
    let (s, _) = t
        .post_json(
            &p,
            &format!("/api/v1/tasks/{}/progress", tasks[1]),
            &serde_json::json!({"percent": 40, "note": "Đang tổng hợp"}),
        )
        .await;
    assert_eq!(s, 201);
    let (s, _) = t
        .post_json(
            &x,
            &format!("/api/v1/tasks/{sub}/progress"),
            &serde_json::json!({"percent": 80, "note": "Đã lắp 12 camera"}),
        )
        .await;
    assert_eq!(s, 201);

    // The commune officer's home on a phone: the to-do list first, overdue first.
    let c = browser(&driver).await;
    login(&c, &t, "xa.badinh", None).await;
    let todo = text_of(&c, "#todo").await;
    assert!(todo.contains("Việc cần làm"), "{todo}");
    let plan_at = todo.find("Kế hoạch triển khai phong trào năm").unwrap();
    let task_at = todo.find("Camera an ninh ở phường").unwrap();
    assert!(plan_at < task_at, "the overdue plan comes first: {todo}");
    assert!(todo.contains("quá hạn"), "{todo}");
    shot(&c, "40-commune-todo").await;
    // Report progress from the list, through the task page's form.
    c.find(Locator::Css(&format!("#todo a[href='/tasks/{sub}']"))).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#progress-new")).await.unwrap();
    let percent = c.find(Locator::Css("#progress-new input[name=percent]")).await.unwrap();
    percent.clear().await.unwrap();
    percent.send_keys("100").await.unwrap();
    c.find(Locator::Css("#progress-new textarea[name=note]"))
        .await
        .unwrap()
        .send_keys("Hoàn thành lắp đặt")
        .await
        .unwrap();
    c.find(Locator::Css("#progress-new button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#assignees progress[value='100']")).await.unwrap();
    let rows = text_of(&c, "#assignees").await;
    assert!(rows.contains("100 %") && rows.contains("Hoàn thành"), "{rows}");
    shot(&c, "41-commune-task").await;
    c.close().await.unwrap();

    // The ministry's programme: one row per task with its progress, overdue marked
    // (a browser of its own: a fresh profile, no cookie of the ward's officer).
    let Some(driver) = start_driver() else { return };
    let b = browser(&driver).await;
    let code = app::auth::totp_at(&secret, "cuc.kh", 1).unwrap();
    login(&b, &t, "cuc.kh", Some(&code)).await;
    b.goto(&t.url("/programme")).await.unwrap();
    let page = text_of(&b, "main").await;
    assert!(page.contains("Công tác trọng tâm của Việt Nam") || page.contains("Công tác trọng tâm của"), "{page}");
    assert!(page.contains("Sơ kết 5 năm Chỉ thị 09") && page.contains("Tập huấn lực lượng"), "{page}");
    let summary = text_of(&b, "#programme-summary").await;
    assert!(summary.contains("3") && summary.contains("1 nhiệm vụ có đơn vị quá hạn"), "{summary}");
    shot(&b, "42-ministry-programme").await;
    b.goto(&t.url(&format!("/tasks/{}", tasks[0]))).await.unwrap();
    let rows = text_of(&b, "#assignees").await;
    // Hà Nội's figure is its two wards' roll-up: (100 + 0) / 2.
    assert!(rows.contains("50 %"), "{rows}");
    shot(&b, "43-ministry-task").await;
    b.close().await.unwrap();
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn province_reads_plans_inspections_and_reports() {
    let Some(driver) = start_driver() else { return };
    let db = TestDb::sqlite().await;
    let t = TestApp::start(&db).await;
    t.user("tinh.hn", "province", Some("01"), None).await;
    t.user("xa.badinh", "commune", Some("00004"), None).await;
    let (p, secret) = t.token_with_totp("tinh.hn").await;
    let x = t.token("xa.badinh").await;
    let json = |v: serde_json::Value| v;
    let (s, d) = t.post_json(&p, "/api/v1/directives", &json(serde_json::json!({"kind": "plan", "number": "20/KH-CAHN", "issued_on": day(-20), "title": "Kế hoạch triển khai phong trào năm", "plans_due": day(-2), "plans_from": "commune"}))).await;
    assert_eq!(s, 201, "{d}");
    let plan = serde_json::json!({"number": "03/KH-CAP", "issued_on": day(-3), "title": "Kế hoạch của phường"});
    assert_eq!(t.post_json(&x, &format!("/api/v1/directives/{}/plans", d["id"]), &plan).await.0, 201);
    let (s, i) = t.post_json(&p, "/api/v1/inspections", &serde_json::json!({"title": "Kiểm tra phong trào tại phường", "targets": ["00004", "00008"], "from": day(-12), "to": day(-10)})).await;
    assert_eq!(s, 201, "{i}");
    let finding = serde_json::json!({"unit_code": "00004", "text": "Chưa kiện toàn tổ bảo vệ an ninh trật tự ở khu phố 3.", "recommendation": "Kiện toàn tổ bảo vệ an ninh trật tự", "follow_up_due": day(10)});
    assert_eq!(t.post_json(&p, &format!("/api/v1/inspections/{}/findings", i["id"]), &finding).await.0, 201);
    let month = store::clock::today().format("%Y-%m").to_string();
    let (s, r) = t.post_json(&x, "/api/v1/reports", &serde_json::json!({"template": "month", "period": month})).await;
    assert_eq!(s, 201, "{r}");
    let text = serde_json::json!({"sections": [
        {"heading": "Tình hình chung", "text": "Tình hình an ninh trật tự trên địa bàn phường ổn định."},
        {"heading": "Kết quả thực hiện", "text": "Tổ chức 3 buổi tuyên truyền."},
        {"heading": "Khó khăn, vướng mắc", "text": ""},
        {"heading": "Phương hướng, nhiệm vụ kỳ tới; đề xuất, kiến nghị", "text": "Đề nghị bổ sung kinh phí."}]});
    assert_eq!(t.put_json(&x, &format!("/api/v1/reports/{}", r["id"]), &text).await.0, 200);
    assert_eq!(t.post_json(&x, &format!("/api/v1/reports/{}/submit", r["id"]), &serde_json::json!({})).await.0, 200);

    let b = browser(&driver).await;
    let code = app::auth::totp_at(&secret, "tinh.hn", 1).unwrap();
    login(&b, &t, "tinh.hn", Some(&code)).await;
    b.goto(&t.url(&format!("/directives/{}", d["id"]))).await.unwrap();
    let share = text_of(&b, "#plans-share").await;
    assert!(share.starts_with("1/"), "{share}");
    // The issuer attaches the plan's document from the page.
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("ke-hoach-20.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").unwrap();
    b.find(Locator::Css("#file-upload input[type=file]"))
        .await
        .unwrap()
        .send_keys(&pdf.display().to_string())
        .await
        .unwrap();
    b.find(Locator::Css("#file-upload button")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css("#files a")).await.unwrap();
    assert_eq!(text_of(&b, "#files a").await, "ke-hoach-20.pdf");
    shot(&b, "44-province-directive-plans").await;
    b.goto(&t.url(&format!("/inspections/{}", i["id"]))).await.unwrap();
    let findings = text_of(&b, "#findings").await;
    assert!(findings.contains("Kiện toàn tổ bảo vệ") && findings.contains("0 %"), "{findings}");
    shot(&b, "45-province-inspection").await;
    // Hà Nội drafts its own report of the month: the ward's text is gathered.
    b.goto(&t.url("/reports")).await.unwrap();
    b.find(Locator::Css("#report-new input[name=period]")).await.unwrap().send_keys(&month).await.unwrap();
    b.find(Locator::Css("#report-new select[name=template] option[value=month]")).await.unwrap().click().await.unwrap();
    b.find(Locator::Css("#report-new button")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css("#children")).await.unwrap();
    let children = text_of(&b, "#children").await;
    assert!(children.contains("Phường Ba Đình") && children.contains("Đã gửi"), "{children}");
    let texts =
        b.find(Locator::Css("#report-text textarea")).await.unwrap().prop("value").await.unwrap().unwrap_or_default();
    assert!(texts.contains("Phường Ba Đình: Tình hình an ninh trật tự"), "{texts}");
    shot(&b, "46-province-report").await;
    b.goto(&t.url("/directives")).await.unwrap();
    assert!(text_of(&b, "main").await.contains("20/KH-CAHN"));
    shot(&b, "47-province-directives").await;
    b.goto(&t.url("/reports")).await.unwrap();
    assert!(text_of(&b, "main").await.contains("Đang soạn"), "Hà Nội's own draft is listed");
    shot(&b, "48-province-reports").await;
    b.goto(&t.url("/inspections")).await.unwrap();
    assert!(text_of(&b, "#inspection-figures").await.contains("1/1"), "one inspection, over");
    shot(&b, "49-province-inspections").await;
    b.close().await.unwrap();
    t.stop().await;
}

/// axe-core (vendored from the npm registry, `tests/assets/PROVENANCE.md`), run in
/// the page: the serious and critical WCAG 2.1 A/AA violations, one line each.
async fn axe_violations(c: &Client) -> Vec<String> {
    const AXE: &str = include_str!("assets/axe.min.js");
    c.execute(AXE, vec![]).await.unwrap();
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
               .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn main_pages_pass_axe_core_on_a_phone() {
    let Some(driver) = start_driver() else { return };
    let db = TestDb::sqlite().await;
    let t = TestApp::start(&db).await;
    t.user("truc.ban", "commune", Some("00004"), None).await;
    let tok = t.token("truc.ban").await;
    // A record of each kind, so the pages have rows, forms and actions to check.
    let year = store::clock::current_year();
    let body = serde_json::json!({"year": year, "instrument": "movement", "unit_code": "00004", "answers": []});
    let (s, a) = t.post_json(&tok, "/api/v1/assessments", &body).await;
    assert_eq!(s, 201, "{a}");
    let assessment = a["id"].as_i64().unwrap();
    let case = serde_json::json!({"kind": "feedback", "unit_code": "00004", "description": "Đèn đường ngõ 12 hỏng.", "anonymous": true});
    let (s, r) = t.post_json("", "/api/v1/public/cases", &case).await;
    assert_eq!(s, 201, "{r}");
    let (_, l) = t.get_json(&tok, "/api/v1/cases").await;
    let case_id = l["items"][0]["id"].as_i64().unwrap();
    let org = serde_json::json!({"name": "Trường THCS Thử", "kind": "school", "unit_code": "00004"});
    assert_eq!(t.post_json(&tok, "/api/v1/organisations", &org).await.0, 201);

    let c = browser(&driver).await;
    let mut report = Vec::new();
    let mut check = |path: String, found: Vec<String>| {
        for f in found {
            report.push(format!("{path}: {f}"));
        }
    };
    // The checker itself works: an image without a text alternative is reported.
    c.goto(&t.url("/login")).await.unwrap();
    c.execute(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/static/icon.svg\">')",
        vec![],
    )
    .await
    .unwrap();
    let planted = axe_violations(&c).await;
    assert!(planted.iter().any(|v| v.contains("image-alt")), "{planted:?}");
    for path in ["/login", "/public/cases/new", "/public/cases/lookup", "/public/stats", "/verify/KHONG-CO"] {
        c.goto(&t.url(path)).await.unwrap();
        check(path.to_string(), axe_violations(&c).await);
    }
    login(&c, &t, "truc.ban", None).await;
    let pages = [
        "/".to_string(),
        "/assessments".into(),
        format!("/assessments/{assessment}"),
        "/cases".into(),
        format!("/cases/{case_id}"),
        "/organisations".into(),
        "/units/00004".into(),
        "/movement".into(),
        "/reports".into(),
        "/directives".into(),
        "/models".into(),
        "/registrations".into(),
        "/programme".into(),
        "/inspections".into(),
        "/account".into(),
    ];
    for path in pages {
        c.goto(&t.url(&path)).await.unwrap();
        c.wait().for_element(Locator::Css("main")).await.unwrap();
        check(path, axe_violations(&c).await);
    }
    shot(&c, "80-axe-last-page").await;
    c.close().await.unwrap();
    t.stop().await;
    assert!(report.is_empty(), "axe-core found serious or critical problems:\n{}", report.join("\n"));
}

/// Cuts or restores the browser's network (Chromium's network emulation, through
/// chromedriver): the server keeps running, the page cannot reach it.
async fn network(d: &Driver, c: &Client, online: bool) {
    let sid = c.session_id().await.unwrap().unwrap();
    let conditions = if online {
        serde_json::json!({"offline": false, "latency": 0, "download_throughput": 100_000_000, "upload_throughput": 100_000_000})
    } else {
        serde_json::json!({"offline": true, "latency": 0, "download_throughput": 0, "upload_throughput": 0})
    };
    let r = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{}/session/{sid}/chromium/network_conditions", d.port))
        .json(&serde_json::json!({ "network_conditions": conditions }))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_drafts_of_a_score_sheet_and_a_case_note() {
    let Some(driver) = start_driver() else { return };
    let db = TestDb::sqlite().await;
    let t = TestApp::start(&db).await;
    let (tok, id, c) = movement_draft_open(&driver, &t, "ngoai.tuyen").await;
    let input = c.find(Locator::Css("input[name^=points_]")).await.unwrap();
    let criterion = input.attr("name").await.unwrap().unwrap().trim_start_matches("points_").to_string();

    // The network is cut: the score sheet is kept on the phone, marked unsent.
    network(&driver, &c, false).await;
    input.send_keys("2,5").await.unwrap();
    c.find(Locator::Css("#save-answers")).await.unwrap().click().await.unwrap();
    let state = text_of(&c, "#answers .draft-state").await;
    assert!(state.starts_with("Chưa gửi"), "{state}");
    assert_eq!(text_of(&c, "#running-points").await, "2,5");
    let kept = c
        .execute(
            "return localStorage.getItem('phongtrao-draft:/assessments/' + arguments[0] + '/answers')",
            vec![serde_json::json!(id)],
        )
        .await
        .unwrap();
    assert!(kept.as_str().is_some_and(|k| k.contains("2,5")), "{kept}");
    let (_, now) = t.get_json(&tok, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(now["answers"], serde_json::json!([]), "nothing reached the server");
    c.execute("document.getElementById('save-bar').scrollIntoView()", vec![]).await.unwrap();
    shot(&c, "60-offline-draft-unsent").await;

    // The network returns: the draft is sent by itself and the page says it is saved.
    network(&driver, &c, true).await;
    c.execute("window.dispatchEvent(new Event('online'))", vec![]).await.unwrap();
    c.wait().for_element(Locator::Css("#saved-at")).await.unwrap();
    let (_, now) = t.get_json(&tok, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(now["answers"][0]["criterion"], serde_json::json!(criterion));
    assert_eq!(now["answers"][0]["points"], serde_json::json!(2.5), "{now}");
    let left = c
        .execute("return Object.keys(localStorage).filter(k => k.startsWith('phongtrao-draft:')).length", vec![])
        .await
        .unwrap();
    assert_eq!(left, serde_json::json!(0), "the draft is gone once sent");
    shot(&c, "61-offline-draft-arrived").await;

    // A conflict: offline again, while someone saves another value on the server.
    // On reconnection nothing is overwritten; both versions are shown.
    network(&driver, &c, false).await;
    let input = c.find(Locator::Css(&format!("input[name='points_{criterion}']"))).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys("1").await.unwrap();
    c.find(Locator::Css("#save-answers")).await.unwrap().click().await.unwrap();
    assert!(text_of(&c, "#answers .draft-state").await.starts_with("Chưa gửi"));
    let other = serde_json::json!({"answers": [{"criterion": criterion, "points": 3}]});
    assert_eq!(t.put_json(&tok, &format!("/api/v1/assessments/{id}"), &other).await.0, 200);
    network(&driver, &c, true).await;
    c.execute("window.dispatchEvent(new Event('online'))", vec![]).await.unwrap();
    let conflict = text_of(&c, "#conflict").await;
    assert!(conflict.contains(&criterion) && conflict.contains('3') && conflict.contains('1'), "{conflict}");
    let (_, now) = t.get_json(&tok, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(now["answers"][0]["points"], serde_json::json!(3), "the server's version is not overwritten");
    let typed = c
        .find(Locator::Css(&format!("input[name='points_{criterion}']")))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(typed, "1", "the phone's version is still in the form");
    shot(&c, "62-offline-draft-conflict").await;
    // Saving now is a choice, made knowingly.
    c.find(Locator::Css("#save-answers")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#saved-at")).await.unwrap();
    let (_, now) = t.get_json(&tok, &format!("/api/v1/assessments/{id}")).await;
    assert_eq!(now["answers"][0]["points"], serde_json::json!(1));

    // A case note written offline is kept, then arrives.
    let case = serde_json::json!({"kind": "feedback", "unit_code": "00004", "description": "Cổng trường hỏng khóa.", "anonymous": true});
    assert_eq!(t.post_json("", "/api/v1/public/cases", &case).await.0, 201);
    let (_, l) = t.get_json(&tok, "/api/v1/cases").await;
    let case_id = l["items"][0]["id"].as_i64().unwrap();
    c.goto(&t.url(&format!("/cases/{case_id}"))).await.unwrap();
    c.wait().for_element(Locator::Css("#case-reply")).await.unwrap();
    network(&driver, &c, false).await;
    c.find(Locator::Css("#case-reply textarea[name=body]"))
        .await
        .unwrap()
        .send_keys("Đã xác minh tại chỗ, báo nhà trường sửa.")
        .await
        .unwrap();
    c.find(Locator::Css("#case-reply input[name=public]")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#case-reply button.primary")).await.unwrap().click().await.unwrap();
    assert!(text_of(&c, "#case-reply .draft-state").await.starts_with("Chưa gửi"));
    c.execute("document.getElementById('case-reply').scrollIntoView()", vec![]).await.unwrap();
    shot(&c, "63-offline-case-note-unsent").await;
    network(&driver, &c, true).await;
    c.execute("window.dispatchEvent(new Event('online'))", vec![]).await.unwrap();
    c.wait().for_element(Locator::XPath("//p[contains(., 'Đã xác minh tại chỗ')]")).await.unwrap();
    let (_, v) = t.get_json(&tok, &format!("/api/v1/cases/{case_id}")).await;
    let notes: Vec<&serde_json::Value> = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["body"].as_str().is_some_and(|b| b.contains("Đã xác minh")))
        .collect();
    assert_eq!(notes.len(), 1, "sent once: {v}");
    assert_eq!(notes[0]["public"], serde_json::json!(0), "the unticked box was kept (an internal note)");
    c.close().await.unwrap();
    t.stop().await;
}

/// Issue 18: a commune officer on a phone proposes a Kỷ niệm chương for a team
/// leader (the time rule's verdict shown), then plans and reports a residential
/// area's Ngày hội with an opinion that becomes a case.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nomination_and_ngay_hoi_on_a_phone() {
    let Some(driver) = start_driver() else { return };
    let db = TestDb::sqlite().await;
    let t = TestApp::start(&db).await;
    t.user("xa.khen", "commune", Some("00004"), None).await;
    let c = t.token("xa.khen").await;
    let (_, area) = t
        .post_json(
            &c,
            "/api/v1/units",
            &serde_json::json!({"parent_code": "00004", "name": "Tổ dân phố số 7", "division_type": "tổ dân phố"}),
        )
        .await;
    let area = area["code"].as_str().unwrap().to_string();
    let b = browser(&driver).await;
    login(&b, &t, "xa.khen", None).await;
    // The nomination form: a man with sixteen years in the team.
    b.goto(&t.url("/nominations")).await.unwrap();
    let fill = |css: &'static str, text: &'static str| {
        let b = b.clone();
        async move {
            let e = b.find(Locator::Css(css)).await.unwrap();
            e.clear().await.unwrap();
            e.send_keys(text).await.unwrap();
        }
    };
    b.execute("document.querySelector('#nom-form select[name=award_type]').value = 'kyniemchuong_bvantq';", vec![])
        .await
        .unwrap();
    fill("input[name=name]", "Nguyễn Văn Bình").await;
    fill("input[name=birth_year]", "1968").await;
    fill("input[name=position]", "Tổ trưởng Tổ bảo vệ an ninh, trật tự").await;
    fill("input[name=start_1_on]", "01/01/2010").await;
    fill("textarea[name=achievements]", "Mười sáu năm tuần tra, vận động nhân dân.").await;
    b.find(Locator::Css("input[name=completed_tasks_well]")).await.unwrap().click().await.unwrap();
    let form = b.find(Locator::Css("#nom-form")).await.unwrap();
    b.execute("arguments[0].scrollIntoView();", vec![serde_json::to_value(&form).unwrap()]).await.unwrap();
    shot(&b, "90-nomination-form").await;
    b.find(Locator::Css("#nom-form button.primary")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css("#nom-eligibility")).await.unwrap();
    let verdict = text_of(&b, "#nom-eligibility").await;
    assert!(verdict.contains("Đủ điều kiện") && verdict.contains("16 năm"), "{verdict}");
    shot(&b, "91-nomination-eligible").await;
    // The Ngày hội: planned for today at the area, then its result with an opinion.
    b.goto(&t.url("/events")).await.unwrap();
    let today = store::clock::today().format("%d/%m/%Y").to_string();
    let e = b.find(Locator::Css("input[name=unit_code]")).await.unwrap();
    e.send_keys(&area).await.unwrap();
    b.find(Locator::Css("input[name=held_on]")).await.unwrap().send_keys(&today).await.unwrap();
    b.find(Locator::Css("#ev-form button.primary")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css("#ev-report")).await.unwrap();
    fill("input[name=participants]", "1.250").await;
    fill("input[name=households]", "310").await;
    fill("textarea[name=opinion_1]", "Đề nghị lắp camera ở ngã ba chợ.").await;
    let report = b.find(Locator::Css("#ev-report")).await.unwrap();
    b.execute("arguments[0].scrollIntoView();", vec![serde_json::to_value(&report).unwrap()]).await.unwrap();
    shot(&b, "92-ngay-hoi-report").await;
    b.find(Locator::Css("#ev-report button.primary")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css("#ev-opinions")).await.unwrap();
    let result = text_of(&b, "#ev-result").await;
    assert!(result.contains("1.250"), "{result}");
    let opinions = text_of(&b, "#ev-opinions").await;
    assert!(opinions.contains("Kiến nghị") && opinions.contains("Đã tiếp nhận"), "{opinions}");
    shot(&b, "93-ngay-hoi-reported").await;
    // A photo of the day, as evidence: shown beside its name (metadata stripped).
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("ngay-hoi.png");
    std::fs::write(&png, include_bytes!("assets/ngay-hoi.png")).unwrap();
    b.find(Locator::Css("#ev-upload input[type=file]")).await.unwrap().send_keys(png.to_str().unwrap()).await.unwrap();
    b.find(Locator::Css("#ev-upload button")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css("#files img.thumb")).await.unwrap();
    assert!(text_of(&b, "#files").await.contains("ngay-hoi.png"));
    let drawn = b.execute("return document.querySelector('#files img.thumb').naturalWidth;", vec![]).await.unwrap();
    assert_eq!(drawn, serde_json::json!(64), "the photo is shown, not a broken icon");
    shot(&b, "94-ngay-hoi-photo").await;
    b.goto(&t.url("/events")).await.unwrap();
    let coverage = text_of(&b, "#ngay-hoi-coverage").await;
    assert!(coverage.contains("1/1"), "{coverage}");
    // "Dân vận khéo": the commune registers its model for the year on the phone;
    // the province recognises it and the public honour roll shows it.
    let body = serde_json::json!({"type_code": "camera_an_ninh", "name": "Camera an ninh tổ dân phố số 7", "unit_code": area, "started_on": "2024-03-01"});
    let (s, _) = t.post_json(&c, "/api/v1/models", &body).await;
    assert_eq!(s, 201);
    b.goto(&t.url("/dan-van-kheo")).await.unwrap();
    b.find(Locator::Css("#dvk-register button.primary")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css("#dvk-list")).await.unwrap();
    assert!(text_of(&b, "#dvk-list").await.contains("chờ công nhận"));
    shot(&b, "95-dan-van-kheo-registered").await;
    t.user("tinh.khen", "province", Some("01"), None).await;
    let (p, secret) = t.token_with_totp("tinh.khen").await;
    let (_, l) = t.get_json(&p, "/api/v1/dan-van-kheo").await;
    let id = l["items"][0]["id"].as_i64().unwrap();
    let decision = serde_json::json!({"to": "recognised", "decision_number": "15/QĐ-CAT", "decision_date": store::clock::today_iso(), "public": true});
    assert_eq!(t.post_json(&p, &format!("/api/v1/dan-van-kheo/{id}/decision"), &decision).await.0, 200);
    b.goto(&t.url("/vinh-danh")).await.unwrap();
    let roll = text_of(&b, "#honour-01").await;
    assert!(roll.contains("Camera an ninh tổ dân phố số 7") && roll.contains("Dân vận khéo"), "{roll}");
    shot(&b, "96-honour-roll").await;
    // The province's view: a tile per commune coloured by the share that held it.
    b.delete_all_cookies().await.unwrap();
    let code = app::auth::totp_at(&secret, "tinh.khen", 1).unwrap();
    login(&b, &t, "tinh.khen", Some(&code)).await;
    b.goto(&t.url("/events")).await.unwrap();
    let tiles = text_of(&b, "#ngay-hoi-places").await;
    assert!(tiles.contains("Phường Ba Đình") && tiles.contains("100 %"), "{tiles}");
    shot(&b, "97-ngay-hoi-by-commune").await;
    b.close().await.unwrap();
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commune_rates_its_teams_on_a_phone() {
    let Some(driver) = start_driver() else { return };
    let db = TestDb::sqlite().await;
    let t = TestApp::start(&db).await;
    t.user("xa.to", "commune", Some("00004"), None).await;
    let c = t.token("xa.to").await;
    let mut teams = Vec::new();
    for i in 1..=7 {
        let body = serde_json::json!({"parent_code": "00004", "name": format!("Tổ dân phố số {i}"), "division_type": "tổ dân phố"});
        let (_, a) = t.post_json(&c, "/api/v1/units", &body).await;
        let team = serde_json::json!({"unit_code": a["code"], "name": format!("Tổ bảo vệ ANTT số {i}"), "established_on": "2024-07-01"});
        let (s, tm) = t.post_json(&c, "/api/v1/teams", &team).await;
        assert_eq!(s, 201, "{tm}");
        teams.push(tm["id"].as_i64().unwrap());
    }
    let b = browser(&driver).await;
    login(&b, &t, "xa.to", None).await;
    // A member added on the phone: the form, then the team with its list.
    b.goto(&t.url(&format!("/teams/{}", teams[0]))).await.unwrap();
    for (css, text) in [
        ("input[name=name]", "Nguyễn Văn An"),
        ("input[name=birth_year]", "1975"),
        ("input[name=phone]", "0912 345 678"),
    ] {
        b.find(Locator::Css(&format!("#member-form {css}"))).await.unwrap().send_keys(text).await.unwrap();
    }
    b.execute("document.querySelector('#member-form select[name=role]').value = 'leader';", vec![]).await.unwrap();
    shot(&b, "98-team-member-form").await;
    b.find(Locator::Css("#member-form button.primary")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css("#members table")).await.unwrap();
    let list = text_of(&b, "#members").await;
    assert!(list.contains("Nguyễn Văn An") && list.contains("Tổ trưởng") && !list.contains("0912"), "{list}");
    shot(&b, "99-team-members").await;
    // The rating form: five "tốt" and two "xuất sắc" is over the cap; one is not.
    b.goto(&t.url("/teams/ratings")).await.unwrap();
    let set = |levels: Vec<(i64, &'static str)>| {
        let b = b.clone();
        async move {
            for (id, level) in levels {
                b.execute(&format!("document.querySelector('select[name=level_{id}]').value = '{level}';"), vec![])
                    .await
                    .unwrap();
            }
        }
    };
    let mut levels: Vec<(i64, &'static str)> = teams[..5].iter().map(|id| (*id, "good")).collect();
    levels.extend([(teams[5], "excellent"), (teams[6], "excellent")]);
    set(levels).await;
    b.find(Locator::Css("input[name=decision_number]")).await.unwrap().send_keys("25/QĐ-UBND").await.unwrap();
    b.find(Locator::Css("#rating-form button.primary")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css("#rating-errors")).await.unwrap();
    let refusal = text_of(&b, "#rating-errors").await;
    assert!(refusal.contains("20%"), "{refusal}");
    let kept = b
        .execute(&format!("return document.querySelector('select[name=level_{}]').value;", teams[0]), vec![])
        .await
        .unwrap();
    assert_eq!(kept, serde_json::json!("good"), "the levels chosen are kept on the refused form");
    shot(&b, "100-rating-over-the-cap").await;
    let mut levels: Vec<(i64, &'static str)> = teams[..5].iter().map(|id| (*id, "good")).collect();
    levels.extend([(teams[5], "excellent"), (teams[6], "completed")]);
    set(levels).await;
    let number = b.find(Locator::Css("input[name=decision_number]")).await.unwrap();
    number.clear().await.unwrap();
    number.send_keys("25/QĐ-UBND").await.unwrap();
    b.find(Locator::Css("#rating-form button.primary")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css(&format!("#rate-{} b", teams[6]))).await.unwrap();
    let counts = text_of(&b, "#ratings-counts").await;
    assert!(counts.contains("Hoàn thành xuất sắc 1") && counts.contains("Hoàn thành tốt 5"), "{counts}");
    shot(&b, "101-ratings-saved").await;
    b.close().await.unwrap();
    t.stop().await;
}
