//! Page smoke test on SQLite and PostgreSQL: every server-rendered page (HTML, not
//! `/api/v1`) for every role (and anonymous, and an account that still owes TOTP)
//! over the states records can be in — an empty database first, then cases
//! received, accepted, extended, transferred, overdue, escalated, refused, closed,
//! rated, reopened, merged, purged; assessments draft, submitted, reviewed, returned
//! with reasons, approved, published, returned after publication, late, with
//! evidence, refused by the rules; models active, consolidated, replicated,
//! dissolved and evaluated; key areas; criterion 19; import jobs in every state;
//! organisations exempt and not; units retired with a successor — never answers
//! 5xx and never an empty body. The forms the rules refuse are posted too: they
//! must come back with their reasons, not a server error. Every failure is
//! collected, so one run lists every broken page. `PAGE_STATES_TRACE=1` (with
//! `--nocapture`) prints the status of every page visited.
#![allow(clippy::unwrap_used)]

use chrono::Datelike;
use domain::import_job::ImportStatus;
use serde_json::{json, Value};
use testkit::{both_databases, TestApp, TestDb, PASSWORD};

both_databases! {
    every_page_answers_for_every_role_in_every_state => every_page;
}

const BA_DINH: &str = "00004";
const NGOC_HA: &str = "00008";

/// Someone looking at the pages: a browser with its own cookie session.
#[derive(Clone)]
struct Who {
    label: &'static str,
    client: reqwest::Client,
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Logs in through the login form (its CSRF cookie and token), as a browser does.
async fn browser_login(t: &TestApp, username: &str, totp_secret: Option<&str>) -> reqwest::Client {
    let c = browser();
    let page = c.get(t.url("/login")).send().await.unwrap().text().await.unwrap();
    let marker = "name=\"csrf\" value=\"";
    let i = page.find(marker).unwrap() + marker.len();
    let csrf = page[i..].split('"').next().unwrap().to_string();
    let mut form = vec![("username", username.to_string()), ("password", PASSWORD.to_string()), ("csrf", csrf)];
    if let Some(secret) = totp_secret {
        form.push(("totp", app::auth::totp_at(secret, username, 1).unwrap()));
    }
    let r = c.post(t.url("/login")).form(&form).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303, "login {username}: {}", r.text().await.unwrap_or_default());
    c
}

async fn exec(url: &str, sql: &str) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    sqlx::query(sql).execute(&pool).await.unwrap();
    pool.close().await;
}

/// Set-up calls must work: the states under test depend on them.
fn ok(what: &str, (s, b): (u16, Value), expected: u16) -> Value {
    assert_eq!(s, expected, "set-up step {what}: {b}");
    b
}

/// The typed criteria of the first set of an instrument and subject.
async fn criteria(t: &TestApp, instrument: &str, subject: &str) -> Vec<(String, Option<u64>)> {
    let b = ok(
        "criteria",
        t.get_json("", &format!("/api/v1/criteria-sets?instrument={instrument}&subject={subject}")).await,
        200,
    );
    b["items"][0]["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| !c["computed"].is_string() || c["computed"] == "team_rated")
        .map(|c| (c["code"].as_str().unwrap().to_string(), c["points"].as_u64()))
        .collect()
}

/// Safe-unit answers: every typed criterion met, or the first one not met.
async fn safe_answers(t: &TestApp, subject: &str, all_met: bool) -> Value {
    let codes = criteria(t, "safe_unit", subject).await;
    Value::from(
        codes
            .iter()
            .enumerate()
            .map(|(i, (code, _))| json!({"criterion": code, "met": all_met || i > 0, "note": "Đã kiểm tra"}))
            .collect::<Vec<_>>(),
    )
}

/// Movement answers: full points, or points for the first half only.
async fn movement_answers(t: &TestApp, subject: &str, full: bool) -> Value {
    let codes = criteria(t, "movement", subject).await;
    let n = if full { codes.len() } else { codes.len() / 2 };
    Value::from(
        codes.iter().take(n).map(|(code, p)| json!({"criterion": code, "points": p.unwrap_or(0)})).collect::<Vec<_>>(),
    )
}

async fn new_assessment(t: &TestApp, tok: &str, body: Value) -> i64 {
    ok(&format!("assessment {body}"), t.post_json(tok, "/api/v1/assessments", &body).await, 201)["id"].as_i64().unwrap()
}

async fn step(t: &TestApp, tok: &str, id: i64, body: Value) {
    let what = format!("assessment {id} → {}", body["to"]);
    ok(&what, t.post_json(tok, &format!("/api/v1/assessments/{id}/transition"), &body).await, 200);
}

fn approve(day: &str) -> Value {
    json!({"to": "approved", "decision_number": "15/QĐ-UBND", "decision_date": day})
}

async fn new_area(t: &TestApp, tok: &str, name: &str) -> String {
    let body = json!({"parent_code": BA_DINH, "name": name, "division_type": "tổ dân phố"});
    ok("area", t.post_json(tok, "/api/v1/units", &body).await, 201)["code"].as_str().unwrap().to_string()
}

async fn new_org(t: &TestApp, tok: &str, body: Value) -> i64 {
    ok("organisation", t.post_json(tok, "/api/v1/organisations", &body).await, 201)["id"].as_i64().unwrap()
}

/// A citizen's case as filed: its id, receipt code and secret.
#[derive(Clone)]
struct Filed {
    id: i64,
    code: String,
    secret: String,
}

fn case_body(kind: &str, unit: &str, text: &str) -> Value {
    json!({"kind": kind, "unit_code": unit, "description": text, "anonymous": false,
        "contact": {"name": "Trần Thị Bình", "phone": "0912 345 678", "email": "binh@example.vn"}})
}

/// Files a case (publicly with `tok == ""`, else as staff) and finds its id as the admin.
async fn file_case(t: &TestApp, tok: &str, admin: &str, body: Value) -> Filed {
    let path = if tok.is_empty() { "/api/v1/public/cases" } else { "/api/v1/cases" };
    let r = ok("case", t.post_json(tok, path, &body).await, 201);
    let code = r["receipt_code"].as_str().unwrap().to_string();
    let l = ok("case list", t.get_json(admin, &format!("/api/v1/cases?q={code}")).await, 200);
    let id = l["items"][0]["id"].as_i64().unwrap_or_else(|| panic!("case {code} not found: {l}"));
    Filed { id, code, secret: r["secret"].as_str().unwrap().to_string() }
}

async fn act(t: &TestApp, tok: &str, id: i64, body: Value) {
    let what = format!("case {id} {}", body["action"]);
    ok(&what, t.post_json(tok, &format!("/api/v1/cases/{id}/actions"), &body).await, 200);
}

/// What the pages are asked about: the ids of the records made.
#[derive(Default)]
struct Ids {
    cases: Vec<i64>,
    receipts: Vec<Filed>,
    assessments: Vec<i64>,
    models: Vec<i64>,
    orgs: Vec<i64>,
    jobs: Vec<i64>,
    units: Vec<String>,
    criteria_sets: Vec<i64>,
    directives: Vec<i64>,
    tasks: Vec<i64>,
    inspections: Vec<i64>,
    reports: Vec<i64>,
    nominations: Vec<i64>,
    events: Vec<i64>,
    teams: Vec<i64>,
}

/// Every GET page route, with the ids filled in, plus filters and odd queries.
fn page_paths(ids: &Ids, year: i64) -> Vec<String> {
    let y = year;
    let mut p: Vec<String> = [
        "/",
        "/login",
        "/login?next=/cases",
        "/account",
        "/units",
        "/units?q=ba%20dinh",
        "/units?q=00004",
        "/units?level=province",
        "/units?level=commune&page=2",
        "/units?level=area",
        "/units?level=nowhere&page=-3",
        "/units/VN",
        "/units/01",
        "/units/79",
        "/units/00004",
        "/units/00004?page=2",
        "/units/01?page=2",
        "/units/VN?page=9",
        "/units/00008",
        "/units/99999",
        "/organisations",
        "/organisations?q=tr%C6%B0%E1%BB%9Dng",
        "/organisations?kind=school",
        "/organisations?unit=00004",
        "/organisations?unit=00008&page=9",
        "/organisations?kind=bank",
        "/organisations/new",
        "/organisations/export?format=csv",
        "/organisations/export?format=xlsx",
        "/organisations/import",
        "/organisations/999999",
        "/organisations/abc",
        "/organisations/999999/edit",
        "/users",
        "/users?page=3",
        "/users/new",
        "/audit",
        "/audit?page=2",
        "/imports/999999",
        "/imports/abc",
        "/movement",
        "/nominations",
        "/nominations?year=1999",
        "/nominations/999999",
        "/nominations/abc",
        "/events",
        "/events?year=2024",
        "/teams",
        "/teams?year=1999",
        "/teams/ratings",
        "/teams/ratings?year=2024",
        "/teams/999999",
        "/teams/abc",
        "/trainings",
        "/trainings?year=abc",
        "/funding",
        "/funding?year=1999",
        "/award-types",
        "/award-types?year=1999",
        "/award-types?year=abc",
        "/dan-van-kheo",
        "/dan-van-kheo?year=1999",
        "/vinh-danh",
        "/vinh-danh?year=1999",
        "/events/999999",
        "/events/abc",
        "/movement/points",
        "/movement/points?unit=01",
        "/movement/points?unit=79&year=2025",
        "/movement?year=1999",
        "/movement?year=abc",
        "/movement?unit=01",
        "/movement?unit=79",
        "/movement?unit=00004",
        "/movement?unit=00008",
        "/movement?unit=99999",
        "/campaigns",
        "/campaigns?year=1900",
        "/campaigns?year=99999",
        "/key-areas",
        "/key-areas?unit=00004",
        "/registrations",
        "/registrations?unit=00004",
        "/registrations?unit=00008&year=2025",
        "/registrations?unit=01",
        "/registrations?unit=99999",
        "/key-areas?unit=79",
        "/criterion19",
        "/criterion19?met=true",
        "/criterion19?met=false&unit=00004",
        "/criterion19?met=maybe",
        "/criteria-sets",
        "/criteria-sets?template=999999",
        "/models",
        "/models?verdict=great",
        "/models?status=dissolved",
        "/models?status=replicated",
        "/models?type=camera_an_ninh",
        "/models?unit=00004",
        "/models?unit=79",
        "/models/999999",
        "/assessments",
        "/assessments?stage=flying",
        "/assessments?unit=79",
        "/assessments/999999",
        "/assessments/abc",
        "/cases",
        "/cases?due=overdue",
        "/cases?due=soon",
        "/cases?assigned=me",
        "/cases?q=x%C3%A9t",
        "/cases?status=lost",
        "/cases?page=99",
        "/cases/new",
        "/cases/999999",
        "/cases/abc",
        "/calendar",
        "/calendar?year=1900",
        "/calendar?year=2100",
        "/calendar?year=99999",
        "/calendar?year=-5",
        "/case-routes",
        "/public/cases/new",
        "/public/cases/new?province=01",
        "/public/cases/new?province=01&q=ba%20dinh",
        "/public/cases/new?province=01&commune=00004",
        "/public/cases/new?province=99&q=x",
        "/public/cases/new?kind=complaint",
        "/public/cases/new?kind=rumour&province=79",
        "/public/cases/lookup",
        "/public/stats",
        "/directives",
        "/directives?page=9",
        "/directives/999999",
        "/directives/abc",
        "/programme",
        "/programme?unit=VN",
        "/programme?unit=01",
        "/programme?unit=79",
        "/programme?unit=00004",
        "/programme?unit=99999",
        "/programme?year=abc",
        "/programme?unit=VN&year=1900",
        "/tasks/999999",
        "/tasks/abc",
        "/offline",
        "/verify/0000000000",
        "/verify/%3Cb%3E",
        "/inspections",
        "/inspections?year=1900",
        "/inspections?year=abc",
        "/inspections/999999",
        "/inspections/abc",
        "/reports",
        "/reports?template=month&period=2026-12",
        "/reports?template=weekly&period=%3Cb%3E",
        "/reports/999999",
        "/reports/abc",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for yy in [y - 1, y, y + 1] {
        p.push(format!("/movement?year={yy}"));
        p.push(format!("/campaigns?year={yy}"));
        p.push(format!("/key-areas?year={yy}"));
        p.push(format!("/criterion19?year={yy}"));
        p.push(format!("/assessments?year={yy}"));
        p.push(format!("/models?verdict=effective&year={yy}"));
        p.push(format!("/models?verdict=formal&year={yy}"));
        p.push(format!("/calendar?year={yy}"));
    }
    for ind in app::statistics::MAP_INDICATORS {
        p.push(format!("/movement?year={y}&indicator={ind}"));
    }
    p.push(format!("/movement?year={y}&indicator=nonsense"));
    for unit in ["01", "00004"] {
        p.push(format!("/movement?year={y}&unit={unit}&indicator=approved"));
        p.push(format!("/key-areas?year={y}&unit={unit}"));
        p.push(format!("/criterion19?year={y}&unit={unit}&met=true"));
    }
    for stage in ["draft", "submitted", "reviewed", "approved", "published", "sent", "decided"] {
        p.push(format!("/assessments?year={y}&stage={stage}"));
    }
    for subject in ["residential_area", "commune", "agency", "enterprise", "school"] {
        p.push(format!("/assessments?year={y}&subject={subject}&instrument=safe_unit&unit=00004"));
    }
    for level in ["excellent", "good", "average", "weak"] {
        p.push(format!("/assessments?year={y}&instrument=movement&stage=decided&level={level}"));
    }
    p.push(format!("/assessments?year={y}&late=true"));
    p.push(format!("/assessments?year={y}&late=false&passed=true"));
    p.push(format!("/assessments?year={y}&passed=false&unit=00004"));
    for status in ["received", "accepted", "refused", "closed", "merged"] {
        p.push(format!("/cases?status={status}"));
    }
    for kind in ["feedback", "petition", "complaint", "denunciation", "crime_report"] {
        p.push(format!("/cases?kind={kind}&due=overdue"));
    }
    for u in &ids.units {
        p.push(format!("/units/{u}"));
        p.push(format!("/movement?year={y}&unit={u}"));
        p.push(format!("/assessments?year={y}&unit={u}"));
        p.push(format!("/models?unit={u}"));
    }
    for id in &ids.orgs {
        p.push(format!("/organisations/{id}"));
        p.push(format!("/organisations/{id}/edit"));
    }
    for id in &ids.jobs {
        p.push(format!("/imports/{id}"));
    }
    for id in &ids.criteria_sets {
        p.push(format!("/criteria-sets?template={id}"));
    }
    for id in &ids.models {
        p.push(format!("/models/{id}"));
    }
    for id in &ids.assessments {
        p.push(format!("/assessments/{id}"));
    }
    for id in &ids.cases {
        p.push(format!("/cases/{id}"));
    }
    for f in &ids.receipts {
        p.push(format!("/cases?q={}", f.code));
    }
    for id in &ids.directives {
        p.push(format!("/directives/{id}"));
    }
    for id in &ids.tasks {
        p.push(format!("/tasks/{id}"));
    }
    for id in &ids.inspections {
        p.push(format!("/inspections/{id}"));
    }
    for id in &ids.reports {
        p.push(format!("/reports/{id}"));
    }
    for id in &ids.nominations {
        p.push(format!("/nominations/{id}"));
    }
    for id in &ids.events {
        p.push(format!("/events/{id}"));
    }
    for id in &ids.teams {
        p.push(format!("/teams/{id}"));
    }
    for unit in ["VN", "01", "00004"] {
        p.push(format!("/programme?unit={unit}&year={y}"));
        p.push(format!("/programme?unit={unit}&year={}", y + 1));
    }
    p
}

/// One request's outcome: a failure line, or `None`.
async fn judge(label: &str, what: &str, r: Result<reqwest::Response, reqwest::Error>) -> Option<String> {
    let r = match r {
        Ok(r) => r,
        Err(e) => return Some(format!("{label} {what}: no answer ({e})")),
    };
    let status = r.status().as_u16();
    let body = match r.bytes().await {
        Ok(b) => b,
        Err(e) => return Some(format!("{label} {what}: {status}, body unreadable ({e})")),
    };
    if status >= 500 {
        // The error page's message (or the start of the body), on one line.
        let text = String::from_utf8_lossy(&body);
        let text = text.split("role=\"alert\">").nth(1).unwrap_or(&text);
        let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(120).collect();
        return Some(format!("{label} {what}: {status} {text}"));
    }
    if body.is_empty() && !(300..400).contains(&status) {
        return Some(format!("{label} {what}: {status} with an empty body"));
    }
    None
}

/// Requests every path as one person, in one language; returns the failures.
async fn visit(base: String, who: Who, lang: &'static str, paths: Vec<String>, phase: &'static str) -> Vec<String> {
    let mut failures = Vec::new();
    for path in paths {
        let r = who.client.get(format!("{base}{path}")).header("accept-language", lang).send().await;
        let label = format!("[{phase} {} {lang}]", who.label);
        if std::env::var("PAGE_STATES_TRACE").is_ok() {
            if let Ok(r) = &r {
                eprintln!("TRACE {label} {} {path}", r.status().as_u16());
            }
        }
        if let Some(f) = judge(&label, &format!("GET {path}"), r).await {
            failures.push(f);
        }
    }
    failures
}

/// Every person over every path, each person on a task of their own.
async fn visit_all(
    t: &TestApp,
    people: &[Who],
    langs: &[&'static str],
    paths: &[String],
    phase: &'static str,
) -> Vec<String> {
    let mut set = tokio::task::JoinSet::new();
    for who in people {
        for lang in langs {
            set.spawn(visit(t.base.clone(), who.clone(), lang, paths.to_vec(), phase));
        }
    }
    let mut failures = Vec::new();
    while let Some(r) = set.join_next().await {
        failures.extend(r.unwrap());
    }
    failures
}

/// A form post (bearer, so no CSRF) that the rules refuse: the page comes back, never 5xx.
async fn post_form(t: &TestApp, who: &str, tok: &str, path: &str, form: &[(&str, String)]) -> Option<String> {
    let r = t.http.post(t.url(path)).bearer_auth(tok).form(form).send().await;
    judge(&format!("[forms {who}]"), &format!("POST {path} {form:?}"), r).await
}

struct Tokens {
    admin: String,
    ministry: String,
    province: String,
    commune: String,
    commune8: String,
    viewer: String,
    org_school: String,
}

async fn every_page(db: &TestDb) {
    let _ = tracing_subscriber::fmt().with_max_level(tracing::Level::ERROR).with_test_writer().try_init();
    let config = app::AppConfig { public_submissions_per_minute: 0, ..Default::default() };
    let t = TestApp::start_with(db, config).await;
    let year = store::clock::current_year();
    let today = store::clock::today_iso();

    // Accounts of every role; the privileged ones enrol TOTP (one does not, yet).
    t.user("root", "admin", Some("VN"), None).await;
    t.user("bo.v05", "ministry", Some("VN"), None).await;
    t.user("tinh.hanoi", "province", Some("01"), None).await;
    t.user("tinh.hcm", "province", Some("79"), None).await;
    t.user("tinh.chuatotp", "province", Some("01"), None).await;
    let commune_id = t.user("xa.badinh", "commune", Some(BA_DINH), None).await;
    t.user("xa.ngocha", "commune", Some(NGOC_HA), None).await;
    t.user("xem.hanoi", "viewer", Some("01"), None).await;
    t.user("xem.toanquoc", "viewer", Some("VN"), None).await;
    t.user("xem.badinh", "viewer", Some(BA_DINH), None).await;
    let (admin, admin_secret) = t.token_with_totp("root").await;
    let (ministry, ministry_secret) = t.token_with_totp("bo.v05").await;
    let (province, province_secret) = t.token_with_totp("tinh.hanoi").await;
    let (_, hcm_secret) = t.token_with_totp("tinh.hcm").await;
    let commune = t.token("xa.badinh").await;
    let commune8 = t.token("xa.ngocha").await;
    let viewer = t.token("xem.hanoi").await;
    // Organisation accounts need their organisation.
    let school = new_org(
        &t,
        &commune,
        json!({"name": "Trường THCS Nguyễn Trãi", "kind": "school", "unit_code": BA_DINH, "tax_code": "0101234567", "address": "Số 1 phố Nguyễn Trãi"}),
    )
    .await;
    let tailor =
        new_org(&t, &commune, json!({"name": "Tiệm may Hồng", "kind": "enterprise", "unit_code": BA_DINH})).await;
    t.user("lienhe.nguyentrai", "organisation", None, Some(school)).await;
    t.user("lienhe.tiemmay", "organisation", None, Some(tailor)).await;
    let org_school = t.token("lienhe.nguyentrai").await;
    let tok = Tokens {
        admin: admin.clone(),
        ministry: ministry.clone(),
        province: province.clone(),
        commune: commune.clone(),
        commune8: commune8.clone(),
        viewer: viewer.clone(),
        org_school: org_school.clone(),
    };

    let people = vec![
        Who { label: "anonymous", client: browser() },
        Who { label: "admin", client: browser_login(&t, "root", Some(&admin_secret)).await },
        Who { label: "ministry", client: browser_login(&t, "bo.v05", Some(&ministry_secret)).await },
        Who { label: "province", client: browser_login(&t, "tinh.hanoi", Some(&province_secret)).await },
        Who { label: "province-79", client: browser_login(&t, "tinh.hcm", Some(&hcm_secret)).await },
        Who { label: "province-owing-totp", client: browser_login(&t, "tinh.chuatotp", None).await },
        Who { label: "commune", client: browser_login(&t, "xa.badinh", None).await },
        Who { label: "commune-00008", client: browser_login(&t, "xa.ngocha", None).await },
        Who { label: "viewer", client: browser_login(&t, "xem.hanoi", None).await },
        Who { label: "viewer-nation", client: browser_login(&t, "xem.toanquoc", None).await },
        Who { label: "viewer-commune", client: browser_login(&t, "xem.badinh", None).await },
        Who { label: "organisation", client: browser_login(&t, "lienhe.nguyentrai", None).await },
        Who { label: "organisation-exempt", client: browser_login(&t, "lienhe.tiemmay", None).await },
    ];

    let mut failures = Vec::new();
    // The language switch is not a page of its own: it sets a cookie and goes back.
    for lang in ["en", "vi", "xx"] {
        let r = t.http.get(t.url(&format!("/lang/{lang}"))).header("referer", t.url("/units?q=a")).send().await;
        failures.extend(judge("[lang]", &format!("GET /lang/{lang}"), r).await);
    }

    // 1. An empty database: accounts, the two organisations they need, nothing else.
    let empty = Ids { orgs: vec![school, tailor], ..Default::default() };
    failures.extend(visit_all(&t, &people, &["vi"], &page_paths(&empty, year), "empty").await);

    // 2. Records in every state.
    let ids = populate(&t, db, &tok, year, &today, school, tailor, commune_id).await;
    let paths = page_paths(&ids, year);
    // A viewer of one residential area (there is one now).
    let mut people = people;
    t.user("xem.to1", "viewer", Some(&ids.units[0]), None).await;
    people.push(Who { label: "viewer-area", client: browser_login(&t, "xem.to1", None).await });
    t.user("xem.thondong", "viewer", Some(&ids.units[3]), None).await;
    people.push(Who { label: "viewer-retired-area", client: browser_login(&t, "xem.thondong", None).await });
    failures.extend(visit_all(&t, &people, &["vi", "en"], &paths, "full").await);
    failures.extend(public_case_pages(&t, &ids).await);
    // Last, as some of these forms are accepted for some roles and change records.
    failures.extend(refused_forms(&t, &tok, &ids, year).await);
    failures.extend(uploads_and_accounts(&t, &tok, &ids, &people).await);

    failures.sort();
    failures.dedup();
    assert!(failures.is_empty(), "{} page(s) failed:\n{}", failures.len(), failures.join("\n"));
    t.stop().await;
}

/// Makes records in every state the pages show; returns their ids.
#[allow(clippy::too_many_arguments)]
async fn populate(
    t: &TestApp,
    db: &TestDb,
    tok: &Tokens,
    year: i64,
    today: &str,
    school: i64,
    tailor: i64,
    commune_id: i64,
) -> Ids {
    let (c, c8, p, m, a) = (&tok.commune, &tok.commune8, &tok.province, &tok.ministry, &tok.admin);
    let mut ids = Ids::default();

    // The campaign: residential areas still on time, communes and organisations late.
    let campaign = json!({"residential_area_deadline": format!("{}-03-30", year + 1),
        "commune_deadline": format!("{}-11-02", year - 1), "province_summary_deadline": format!("{}-03-31", year + 1),
        "target_percent": 90, "commune_approver": "province"});
    ok("campaign", t.put_json(m, &format!("/api/v1/campaigns/{year}"), &campaign).await, 200);

    // Units: residential areas, one retired with a successor.
    let published = new_area(t, c, "Tổ dân phố số 1").await;
    let republished = new_area(t, c, "Tổ dân phố số 2").await;
    let returned = new_area(t, c, "Tổ dân phố số 3").await;
    let submitted = new_area(t, c, "Tổ dân phố số 4").await;
    let reviewed = new_area(t, c, "Tổ dân phố số 5").await;
    let evidenced = new_area(t, c, "Tổ dân phố số 6").await;
    let retired = new_area(t, c, "Thôn Đông").await;
    ids.units.extend([published.clone(), republished.clone(), returned.clone(), retired.clone()]);

    // Organisations: exempt and not, of every kind, one managed by the province.
    ok(
        "exemption",
        t.put_json(c, &format!("/api/v1/organisations/{tailor}/exemption"), &json!({"reason": "small_enterprise"}))
            .await,
        200,
    );
    let agency = new_org(
        t,
        c,
        json!({"name": "UBND phường Ba Đình", "kind": "agency", "unit_code": BA_DINH, "managed_by_province": true, "address": "Số 2 Điện Biên Phủ"}),
    )
    .await;
    let market = new_org(t, c, json!({"name": "Chợ Ngọc Hà", "kind": "other", "unit_code": BA_DINH})).await;
    let primary =
        new_org(t, c, json!({"name": "Trường Tiểu học Kim Đồng", "kind": "school", "unit_code": BA_DINH})).await;
    ok(
        "exemption",
        t.put_json(
            c,
            &format!("/api/v1/organisations/{primary}/exemption"),
            &json!({"reason": "primary_or_preschool"}),
        )
        .await,
        200,
    );
    let elsewhere =
        new_org(t, c8, json!({"name": "Công ty Ngọc Hà", "kind": "enterprise", "unit_code": NGOC_HA})).await;
    ids.orgs.extend([school, tailor, agency, market, primary, elsewhere]);

    // Assessments in every step of the workflow.
    let safe = |unit: &str, answers: Value| json!({"year": year, "instrument": "safe_unit", "unit_code": unit, "answers": answers});
    let area_met = safe_answers(t, "residential_area", true).await;
    let area_unmet = safe_answers(t, "residential_area", false).await;
    let a1 = new_assessment(t, c, safe(&published, area_met.clone())).await;
    for to in ["submitted", "reviewed"] {
        step(t, c, a1, json!({"to": to})).await;
    }
    step(t, c, a1, approve(today)).await;
    step(t, c, a1, json!({"to": "published"})).await;
    let a2 = new_assessment(t, c, safe(&republished, area_met.clone())).await;
    for to in ["submitted", "reviewed"] {
        step(t, c, a2, json!({"to": to})).await;
    }
    step(t, c, a2, approve(today)).await;
    step(t, c, a2, json!({"to": "published"})).await;
    step(t, c, a2, json!({"to": "returned", "reason": "Phát hiện sai sót sau công bố"})).await;
    let a3 = new_assessment(t, c, safe(&returned, area_unmet.clone())).await;
    step(t, c, a3, json!({"to": "submitted"})).await;
    step(t, c, a3, json!({"to": "returned", "reason": "Thiếu minh chứng"})).await;
    let a4 = new_assessment(t, c, safe(&submitted, area_unmet.clone())).await;
    step(t, c, a4, json!({"to": "submitted"})).await;
    let a5 = new_assessment(t, c, safe(&reviewed, area_met.clone())).await;
    for to in ["submitted", "reviewed"] {
        step(t, c, a5, json!({"to": to})).await;
    }
    // A draft with no answers, with evidence for the whole and for one criterion.
    let a6 = new_assessment(t, c, json!({"year": year, "instrument": "safe_unit", "unit_code": evidenced})).await;
    let pdf = b"%PDF-1.4\n% bien ban\n".to_vec();
    let path = format!("/api/v1/assessments/{a6}/attachments?filename=bien-ban.pdf");
    ok("evidence", t.post_raw(c, &path, "application/pdf", pdf.clone()).await, 201);
    let first = criteria(t, "safe_unit", "residential_area").await[0].0.clone();
    let path = format!("/api/v1/assessments/{a6}/attachments?filename=anh.jpg&criterion={first}");
    let jpeg = b"\xFF\xD8\xFF\xE0\x00\x06JFIF\xFF\xDA\x00\x04\x01\x02pixels\xFF\xD9".to_vec();
    ok("evidence", t.post_raw(c, &path, "image/jpeg", jpeg).await, 201);
    // The area retired after its assessment began.
    let a7 = new_assessment(t, c, safe(&retired, area_met.clone())).await;
    // A model and a citizen's case there too, then the area is merged into another.
    let there = json!({"type_code": "to_tuan_tra_nhan_dan", "name": "Tổ tuần tra thôn Đông", "unit_code": retired, "started_on": format!("{}-05-01", year - 1)});
    let m0 = ok("model", t.post_json(c, "/api/v1/models", &there).await, 201)["id"].as_i64().unwrap();
    ids.models.push(m0);
    let at_retired = file_case(t, "", a, case_body("petition", &retired, "Đề nghị sửa cổng làng.")).await;
    ids.cases.push(at_retired.id);
    ids.receipts.push(at_retired);
    let retire = json!({"valid_to": today, "successor_code": republished});
    ok("retire", t.post_json(c, &format!("/api/v1/units/{retired}/retire"), &retire).await, 200);
    // Movement classification: full marks submitted, half marks in draft.
    let full = movement_answers(t, "residential_area", true).await;
    let half = movement_answers(t, "commune", false).await;
    let a8 =
        new_assessment(t, c, json!({"year": year, "instrument": "movement", "unit_code": published, "answers": full}))
            .await;
    for to in ["submitted", "reviewed"] {
        step(t, c, a8, json!({"to": to})).await;
    }
    step(t, c, a8, approve(today)).await;
    let a9 =
        new_assessment(t, c, json!({"year": year, "instrument": "movement", "unit_code": BA_DINH, "answers": half}))
            .await;
    // The commune: late (its deadline has passed), reviewed and approved by the province.
    let a10 = new_assessment(t, c, safe(BA_DINH, safe_answers(t, "commune", true).await)).await;
    step(t, c, a10, json!({"to": "submitted"})).await;
    step(t, p, a10, json!({"to": "reviewed"})).await;
    step(t, p, a10, approve(today)).await;
    // An organisation's own, late, approved by the commune; another in draft.
    let a11 = new_assessment(
        t,
        &tok.org_school,
        json!({"year": year, "instrument": "safe_unit", "organisation_id": school, "answers": safe_answers(t, "school", true).await}),
    )
    .await;
    step(t, &tok.org_school, a11, json!({"to": "submitted"})).await;
    step(t, c, a11, json!({"to": "reviewed"})).await;
    step(t, c, a11, approve(today)).await;
    let a12 = new_assessment(t, p, json!({"year": year, "instrument": "safe_unit", "organisation_id": agency})).await;
    // The agency is exempted (armed forces) after its draft began.
    let armed = json!({"reason": "armed_forces"});
    ok("exemption", t.put_json(c, &format!("/api/v1/organisations/{agency}/exemption"), &armed).await, 200);
    // Another commune's, and last year's (late under the default campaign).
    let a13 = new_assessment(t, c8, json!({"year": year, "instrument": "safe_unit", "unit_code": NGOC_HA})).await;
    let a14 = new_assessment(
        t,
        c,
        json!({"year": year - 1, "instrument": "safe_unit", "unit_code": published, "answers": area_met.clone()}),
    )
    .await;
    step(t, c, a14, json!({"to": "submitted"})).await;
    ids.assessments.extend([a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14]);

    // Models: active, replicated, consolidated, dissolved, evaluated both ways.
    let model = |name: &str, unit: &str, extra: Value| {
        let mut b = json!({"type_code": "camera_an_ninh", "name": name, "unit_code": unit, "started_on": format!("{}-01-10", year - 2)});
        if let (Some(b), Some(e)) = (b.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        b
    };
    let mid = |b: Value| b["id"].as_i64().unwrap();
    let m1 = mid(ok(
        "model",
        t.post_json(
            c,
            "/api/v1/models",
            &model("Camera an ninh tổ 1", &published, json!({"partners": "Hội Phụ nữ", "dan_van_kheo": true})),
        )
        .await,
        201,
    ));
    let m2 = mid(ok(
        "model",
        t.post_json(c, "/api/v1/models", &model("Camera an ninh phường", BA_DINH, json!({"replicates_id": m1}))).await,
        201,
    ));
    let m3 = mid(ok(
        "model",
        t.post_json(c, "/api/v1/models", &model("Tổ tuần tra đã giải thể", &republished, json!({}))).await,
        201,
    ));
    let m4 =
        mid(ok("model", t.post_json(c8, "/api/v1/models", &model("Camera Ngọc Hà", NGOC_HA, json!({}))).await, 201));
    let m5 = mid(ok(
        "model",
        t.post_json(
            c,
            "/api/v1/models",
            &model("Camera nhân rộng từ Ngọc Hà", &returned, json!({"replicates_id": m4})),
        )
        .await,
        201,
    ));
    let eval = |verdict: &str| json!({"year": year, "verdict": verdict, "note": "Đánh giá cuối năm"});
    ok("evaluation", t.post_json(c, &format!("/api/v1/models/{m1}/evaluations"), &eval("formal")).await, 201);
    ok("evaluation", t.post_json(p, &format!("/api/v1/models/{m2}/evaluations"), &eval("effective")).await, 201);
    let prev = json!({"year": year - 1, "verdict": "effective"});
    ok("evaluation", t.post_json(p, &format!("/api/v1/models/{m2}/evaluations"), &prev).await, 201);
    let upd = json!({"status": "replicated", "outcomes": "Lắp 24 camera; phát hiện 3 vụ trộm", "dan_van_kheo": true});
    ok("model update", t.put_json(c, &format!("/api/v1/models/{m1}"), &upd).await, 200);
    ok("model update", t.put_json(c, &format!("/api/v1/models/{m3}"), &json!({"status": "dissolved"})).await, 200);
    ok("model update", t.put_json(c, &format!("/api/v1/models/{m5}"), &json!({"status": "consolidated"})).await, 200);
    ok(
        "model type",
        t.post_json(m, "/api/v1/model-types", &json!({"code": "bon_khong", "name": "Khu dân cư “4 không”"})).await,
        201,
    );
    ids.models.extend([m1, m2, m3, m4, m5]);

    // Key areas designated, removed, designated again; criterion 19 met and not met.
    let ka = |action: &str, day: String| json!({"unit_code": BA_DINH, "action": action, "decision_number": "12/QĐ-CAT", "decision_date": day});
    ok("key area", t.post_json(p, "/api/v1/key-areas", &ka("designate", format!("{}-03-01", year - 1))).await, 201);
    ok("key area", t.post_json(p, "/api/v1/key-areas", &ka("remove", format!("{}-10-01", year - 1))).await, 201);
    ok("key area", t.post_json(p, "/api/v1/key-areas", &ka("designate", format!("{year}-01-01"))).await, 201);
    let ka8 = json!({"unit_code": NGOC_HA, "action": "designate", "decision_number": "13/QĐ-CAT", "decision_date": format!("{year}-01-01")});
    ok("key area", t.post_json(p, "/api/v1/key-areas", &ka8).await, 201);
    ok(
        "c19",
        t.put_json(p, "/api/v1/criterion19", &json!({"unit_code": BA_DINH, "year": year, "met": true})).await,
        200,
    );
    ok(
        "c19",
        t.put_json(p, "/api/v1/criterion19", &json!({"unit_code": NGOC_HA, "year": year, "met": false})).await,
        200,
    );

    // Cases in every status and on every side of their deadline.
    let received = file_case(t, "", a, case_body("feedback", BA_DINH, "Đèn đường hỏng nhiều ngày ở ngõ 5.")).await;
    let accepted = file_case(t, "", a, case_body("complaint", BA_DINH, "Quyết định xử phạt không đúng người.")).await;
    act(t, c, accepted.id, json!({"action": "accept", "remote_area": true})).await;
    act(t, c, accepted.id, json!({"action": "extend", "reason": "Cần xác minh nhiều nơi"})).await;
    ok(
        "reply",
        t.post_json(
            c,
            &format!("/api/v1/cases/{}/replies", accepted.id),
            &json!({"body": "Đã nhận, đang xác minh.", "public": true}),
        )
        .await,
        201,
    );
    ok(
        "note",
        t.post_json(
            c,
            &format!("/api/v1/cases/{}/replies", accepted.id),
            &json!({"body": "Ghi chú nội bộ", "public": false}),
        )
        .await,
        201,
    );
    let transferred = file_case(t, "", a, case_body("feedback", BA_DINH, "Tụ tập gây ồn ào ban đêm.")).await;
    act(
        t,
        c,
        transferred.id,
        json!({"action": "transfer", "unit_code": NGOC_HA, "reason": "Địa điểm thuộc phường Ngọc Hà"}),
    )
    .await;
    let escalated = file_case(t, c, a, case_body("petition", BA_DINH, "Đề nghị lắp đèn ở ngã ba.")).await;
    exec(&db.url, &format!("UPDATE cases SET due_date = '2020-01-10' WHERE id = {}", escalated.id)).await;
    let now = store::clock::now_ms();
    assert!(t.app.schedule_escalations(now).await.unwrap() >= 1);
    t.app.run_due_jobs(now).await.unwrap();
    let overdue = file_case(t, "", a, case_body("complaint", BA_DINH, "Khiếu nại quá hạn chưa giải quyết.")).await;
    act(t, c, overdue.id, json!({"action": "accept"})).await;
    exec(&db.url, &format!("UPDATE cases SET due_date = '{}-01-02' WHERE id = {}", year - 1, overdue.id)).await;
    let overdue_received = file_case(t, "", a, case_body("feedback", BA_DINH, "Rác thải đổ trộm.")).await;
    exec(&db.url, &format!("UPDATE cases SET due_date = '2021-05-05' WHERE id = {}", overdue_received.id)).await;
    let soon = file_case(t, "", a, case_body("petition", BA_DINH, "Đề nghị sửa biển báo.")).await;
    let due_soon = (store::clock::today() + chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    exec(&db.url, &format!("UPDATE cases SET due_date = '{due_soon}' WHERE id = {}", soon.id)).await;
    let due_today = file_case(t, "", a, case_body("petition", BA_DINH, "Đề nghị phát quang cây xanh.")).await;
    exec(&db.url, &format!("UPDATE cases SET due_date = '{today}' WHERE id = {}", due_today.id)).await;
    let closed = file_case(t, "", a, case_body("feedback", BA_DINH, "Ổ gà lớn giữa đường.")).await;
    act(t, c, closed.id, json!({"action": "close", "outcome": "Đã vá đường."})).await;
    let rate = json!({"receipt_code": closed.code, "secret": closed.secret, "rating": 4});
    ok("rating", t.post_json("", "/api/v1/public/cases/rating", &rate).await, 200);
    let reopened = file_case(t, "", a, case_body("feedback", BA_DINH, "Nước ngập sau mưa.")).await;
    act(t, c, reopened.id, json!({"action": "close", "outcome": "Đã thông cống."})).await;
    let reopen = json!({"receipt_code": reopened.code, "secret": reopened.secret, "reason": "Vẫn còn ngập"});
    ok("reopen", t.post_json("", "/api/v1/public/cases/reopen", &reopen).await, 200);
    let merged = file_case(t, "", a, case_body("feedback", BA_DINH, "Đèn đường hỏng (gửi lại).")).await;
    act(t, c, merged.id, json!({"action": "merge", "into_id": received.id})).await;
    let refused = file_case(t, "", a, case_body("complaint", BA_DINH, "Khiếu nại việc của nhà hàng xóm.")).await;
    act(t, c, refused.id, json!({"action": "refuse", "reason": "Không thuộc thẩm quyền giải quyết"})).await;
    let purged = file_case(t, c, a, case_body("petition", BA_DINH, "Đề nghị cấp lại giấy tờ.")).await;
    act(t, c, purged.id, json!({"action": "close", "outcome": "Đã cấp lại."})).await;
    exec(&db.url, &format!("UPDATE cases SET closed_at = 1000 WHERE id = {}", purged.id)).await;
    assert!(t.app.purge_expired_personal_data(store::clock::now_ms()).await.unwrap() >= 1);
    // A denunciation whose contact was revealed: the handler's copy and the redacted one.
    let denunciation = file_case(
        t,
        "",
        a,
        json!({"kind": "denunciation", "unit_code": BA_DINH, "anonymous": false,
            "description": "Tôi là Lê Văn Cường (0987 654 321), tố cáo cán bộ địa chính nhận tiền.",
            "contact": {"name": "Lê Văn Cường", "phone": "0987654321"}}),
    )
    .await;
    // Revealing never assigns: the case is assigned first.
    act(t, c, denunciation.id, json!({"action": "assign", "user_id": commune_id})).await;
    let reveal = json!({"reason": "Cần gặp người tố cáo"});
    ok("reveal", t.post_json(c, &format!("/api/v1/cases/{}/reveal-contact", denunciation.id), &reveal).await, 200);
    // Anonymous with a photo; a crime report handled by the province; a case at an area.
    let mp = reqwest::multipart::Form::new()
        .text("kind", "feedback")
        .text("unit_code", BA_DINH)
        .text("description", "Có ảnh kèm theo")
        .text("anonymous", "true")
        .part(
            "files",
            reqwest::multipart::Part::bytes(b"\xFF\xD8\xFF\xE0\x00\x06JFIF\xFF\xD9".to_vec()).file_name("anh.jpg"),
        );
    let r = t.http.post(t.url("/api/v1/public/cases")).multipart(mp).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let r: Value = r.json().await.unwrap();
    let code = r["receipt_code"].as_str().unwrap().to_string();
    let l = ok("case list", t.get_json(a, &format!("/api/v1/cases?q={code}")).await, 200);
    let anonymous =
        Filed { id: l["items"][0]["id"].as_i64().unwrap(), code, secret: r["secret"].as_str().unwrap().into() };
    let crime = file_case(
        t,
        "",
        a,
        json!({"kind": "crime_report", "unit_code": NGOC_HA, "description": "Có người mua bán ma túy ở ngõ 5.", "anonymous": true}),
    )
    .await;
    // Overdue at the province: escalated to the ministry; another answered late.
    exec(&db.url, &format!("UPDATE cases SET due_date = '2022-02-02' WHERE id = {}", crime.id)).await;
    let late = file_case(t, "", a, case_body("feedback", BA_DINH, "Biển quảng cáo lấn chiếm vỉa hè.")).await;
    exec(&db.url, &format!("UPDATE cases SET due_date = '2023-03-03' WHERE id = {}", late.id)).await;
    act(t, c, late.id, json!({"action": "close", "outcome": "Đã tháo dỡ, trả lời muộn."})).await;
    let now = store::clock::now_ms();
    assert!(t.app.schedule_escalations(now).await.unwrap() >= 1);
    t.app.run_due_jobs(now).await.unwrap();
    // The citizen writes back with a file.
    let mp = reqwest::multipart::Form::new()
        .text("receipt_code", accepted.code.clone())
        .text("secret", accepted.secret.clone())
        .text("body", "Tôi gửi thêm biên bản.")
        .part("files", reqwest::multipart::Part::bytes(b"%PDF-1.4 bien ban".to_vec()).file_name("bien-ban.pdf"));
    let r = t.http.post(t.url("/public/cases/message")).multipart(mp).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap_or_default());
    let mut at_area = case_body("petition", &published, "Đề nghị lắp gương cầu lồi.");
    at_area["address"] = json!("Ngõ 12");
    let at_area = file_case(t, "", a, at_area).await;
    let cases = [
        received,
        accepted,
        transferred,
        escalated,
        overdue,
        overdue_received,
        soon,
        due_today,
        closed,
        reopened,
        merged,
        refused,
        purged,
        denunciation,
        anonymous,
        crime,
        late,
        at_area,
    ];
    ids.cases.extend(cases.iter().map(|f| f.id));
    ids.receipts.extend(cases);
    // Routing and the calendar changed by their owners.
    ok("route", t.put_json(m, "/api/v1/case-routes", &json!({"kind": "complaint", "target": "province"})).await, 200);
    for (day, kind) in [(format!("{year}-12-31"), "day_off"), (format!("{year}-12-26"), "working_day")] {
        let e = json!({"day": day, "kind": kind, "name_vi": "Theo quyết định của Chính phủ", "name_en": "By decree"});
        ok("calendar", t.post_json(a, "/api/v1/calendar/entries", &e).await, 201);
    }

    // Import jobs: real ones (done, rejected), and every stored state for each account.
    let csv =
        format!("name,kind,unit_code\nHộ kinh doanh A,enterprise,{BA_DINH}\nHộ kinh doanh B,enterprise,{BA_DINH}\n");
    let bad = format!("name,kind,unit_code\nHộ kinh doanh C,bank,{BA_DINH}\n,enterprise,{NGOC_HA}\n");
    for body in [csv, bad] {
        let b = ok(
            "import",
            t.post_raw(c, "/api/v1/organisations/import?async=true", "text/csv", body.into_bytes()).await,
            202,
        );
        let id = b["job"].as_i64().unwrap();
        let job = ok("job", t.get_json(c, &format!("/api/v1/imports/{id}?wait=60")).await, 200);
        assert!(job["status"] == "done" || job["status"] == "rejected", "{job}");
        ids.jobs.push(id);
    }
    // An organisation's contact may try a background import: whatever the rules say
    // about it, the job page shows it.
    let csv = format!("name,kind,unit_code\nX,enterprise,{BA_DINH}\n");
    let b = t.post_raw(&tok.org_school, "/api/v1/organisations/import?async=true", "text/csv", csv.into_bytes()).await;
    if b.0 == 202 {
        let id = b.1["job"].as_i64().unwrap();
        ok("job", t.get_json(&tok.org_school, &format!("/api/v1/imports/{id}?wait=60")).await, 200);
        ids.jobs.push(id);
    }
    let (users, _) = t.app.store.list_users(&domain::Scope::Nation, 100, 0).await.unwrap();
    let store = &t.app.store;
    for u in &users {
        let interrupted = store.create_import_job(u.id, "organisations", 10).await.unwrap();
        store.interrupt_running_jobs().await.unwrap();
        let checking = store.create_import_job(u.id, "organisations", 0).await.unwrap();
        let writing = store.create_import_job(u.id, "organisations", 10).await.unwrap();
        store.update_import_job(writing, ImportStatus::Writing, 5).await.unwrap();
        let done = store.create_import_job(u.id, "organisations", 3).await.unwrap();
        store.finish_import_job(done, ImportStatus::Done, r#"{"imported":3}"#).await.unwrap();
        let rejected = store.create_import_job(u.id, "organisations", 3).await.unwrap();
        let rows = r#"{"rows":[{"row":2,"column":"kind","code":"org.kind_invalid"},{"row":3,"column":"unit_code","code":"no.such.key"}]}"#;
        store.finish_import_job(rejected, ImportStatus::Rejected, rows).await.unwrap();
        let failed = store.create_import_job(u.id, "organisations", 3).await.unwrap();
        store
            .finish_import_job(failed, ImportStatus::Failed, r#"{"codes":["internal","auth.not_allowed"]}"#)
            .await
            .unwrap();
        let garbled = store.create_import_job(u.id, "organisations", 3).await.unwrap();
        store.finish_import_job(garbled, ImportStatus::Failed, "not json").await.unwrap();
        ids.jobs.extend([interrupted, checking, writing, done, rejected, failed, garbled]);
    }

    // A new criteria set version, not yet verified, for next year.
    let sets = ok("sets", t.get_json("", "/api/v1/criteria-sets?instrument=movement&subject=school").await, 200);
    let mut set = sets["items"][0].clone();
    if let Some(o) = set.as_object_mut() {
        o.remove("id");
    }
    set["version"] = json!(format!("{}-thu-nghiem", year + 1));
    set["effective_from_year"] = json!(year + 1);
    set["verified"] = json!(false);
    ok("criteria set", t.post_json(m, "/api/v1/criteria-sets", &set).await, 201);
    let all = ok("sets", t.get_json("", "/api/v1/criteria-sets").await, 200);
    ids.criteria_sets.extend(all["items"].as_array().unwrap().iter().filter_map(|s| s["id"].as_i64()));
    working_year(t, tok, &mut ids).await;
    awards_and_events(t, tok, &published, &mut ids).await;
    forces(t, tok, &mut ids).await;
    ids
}

/// Teams in every state a page shows: with members (a leader with a phone, one who
/// left), rated excellent, good and not completed, too new to rate, with equipment;
/// a course attended and one counted; funding lines.
async fn forces(t: &TestApp, tok: &Tokens, ids: &mut Ids) {
    let c = &tok.commune;
    let year = store::clock::current_year();
    let today = store::clock::today_iso();
    let mut made = Vec::new();
    for (i, established) in
        ["2024-07-01", "2024-07-01", "2024-07-01", "2024-07-01", "2024-07-01", "2024-07-01", "2024-07-01", &today]
            .iter()
            .enumerate()
    {
        let area = new_area(t, c, &format!("Tổ dân phố lực lượng {i}")).await;
        let body = json!({"unit_code": area, "name": format!("Tổ bảo vệ ANTT {i}"), "established_on": established});
        made.push(ok("team", t.post_json(c, "/api/v1/teams", &body).await, 201)["id"].as_i64().unwrap());
    }
    let member = |name: &str, role: &str, left: Option<&str>| json!({"name": name, "birth_year": 1970, "sex": "female", "role": role, "joined_on": "2024-07-01", "left_on": left, "phone": "0987654321"});
    let first = ok(
        "member",
        t.post_json(c, &format!("/api/v1/teams/{}/members", made[0]), &member("Thành Viên Một", "leader", None)).await,
        201,
    );
    ok(
        "member",
        t.post_json(
            c,
            &format!("/api/v1/teams/{}/members", made[0]),
            &member("Thành Viên Hai", "member", Some("2025-06-30")),
        )
        .await,
        201,
    );
    let rate = |team: i64, level: &str| json!({"team_id": team, "year": year, "level": level, "decision_number": "5/QĐ-UBND", "decision_date": today});
    for (team, level) in [
        (made[1], "good"),
        (made[2], "good"),
        (made[3], "good"),
        (made[4], "good"),
        (made[5], "good"),
        (made[0], "excellent"),
        (made[6], "not_completed"),
    ] {
        ok("rating", t.post_json(c, "/api/v1/team-ratings", &rate(team, level)).await, 201);
    }
    let eq = json!({"kind": "Đèn pin", "quantity": 3, "issued_on": "2025-01-10"});
    assert_eq!(t.post_json(c, &format!("/api/v1/teams/{}/equipment", made[0]), &eq).await.0, 201);
    let course = json!({"unit_code": BA_DINH, "topic": "Tập huấn nghiệp vụ", "level": "commune", "starts_on": today, "ends_on": today, "organiser": "Công an phường", "hours": 4, "member_ids": [first["id"]], "headcount": 25});
    ok("training", t.post_json(c, "/api/v1/trainings", &course).await, 201);
    let line = json!({"unit_code": BA_DINH, "year": year, "category": "allowances", "source": "state_budget", "budget": 120_000_000, "spent": 90_000_000});
    ok("funding", t.post_json(c, "/api/v1/funding", &line).await, 201);
    // A team dissolved (its members left that day).
    let area = new_area(t, c, "Tổ dân phố lực lượng giải thể").await;
    let body = json!({"unit_code": area, "name": "Tổ bảo vệ ANTT đã giải thể", "established_on": "2024-07-01"});
    let gone = ok("team", t.post_json(c, "/api/v1/teams", &body).await, 201)["id"].as_i64().unwrap();
    ok(
        "member",
        t.post_json(c, &format!("/api/v1/teams/{gone}/members"), &member("Thành Viên Ba", "leader", None)).await,
        201,
    );
    let end = json!({"on": today, "decision": "9/QĐ-UBND"});
    ok("dissolve", t.post_json(c, &format!("/api/v1/teams/{gone}/dissolve"), &end).await, 200);
    made.push(gone);
    ids.teams.extend(made);
}

/// Nominations proposed, verified, decided and returned — a person eligible, not
/// yet, excluded, and a collective — and events planned, held, reported with
/// opinions.
async fn awards_and_events(t: &TestApp, tok: &Tokens, area: &str, ids: &mut Ids) {
    let (c, p, m) = (&tok.commune, &tok.province, &tok.ministry);
    let person = |name: &str, from: &str, excluded: bool| {
        json!({"award_type": "kyniemchuong_bvantq", "year": 2026,
            "individual": {"name": name, "birth_year": 1970, "sex": "female", "position": "Tổ viên", "unit_code": "00004",
                "service": [{"from": from, "to": null, "role": "team_member", "difficult_area": false}]},
            "achievements": "Tham gia tuần tra.", "confirmed": {"prosecuted": excluded}})
    };
    let mut made = Vec::new();
    for (name, from, excluded) in [
        ("Người Một", "2010-01-01", false),
        ("Người Hai", "2022-01-01", false),
        ("Người Ba", "2000-01-01", true),
        ("Người Bốn", "2005-01-01", false),
    ] {
        let n = ok("nomination", t.post_json(c, "/api/v1/nominations", &person(name, from, excluded)).await, 201);
        made.push(n["id"].as_i64().unwrap());
    }
    let collective = json!({"award_type": "giay_khen_ubnd_xa", "year": 2026, "collective": {"unit_code": area}, "achievements": "Khu dân cư tiêu biểu"});
    made.push(ok("collective", t.post_json(c, "/api/v1/nominations", &collective).await, 201)["id"].as_i64().unwrap());
    let go = |id: i64, body: Value| async move { (id, body) };
    for (tokn, (id, body)) in [
        (p, go(made[0], json!({"to": "verified"})).await),
        (
            m,
            go(
                made[0],
                json!({"to": "decided", "decision_number": "9/QĐ-BCA", "decision_date": "2026-08-15", "public": true}),
            )
            .await,
        ),
        (p, go(made[1], json!({"to": "returned", "reason": "Chưa đủ thời gian"})).await),
        (p, go(made[3], json!({"to": "verified"})).await),
    ] {
        ok("nomination step", t.post_json(tokn, &format!("/api/v1/nominations/{id}/transition"), &body).await, 200);
    }
    ids.nominations.extend(made);
    // Events: planned for later, held but not reported, reported with opinions.
    let day = |d: i64| (store::clock::today() + chrono::Duration::days(d)).to_string();
    let event = |kind: &str, date: String| json!({"kind": kind, "title": "Sự kiện", "unit_code": area, "date": date});
    let later = ok(
        "event",
        t.post_json(
            p,
            "/api/v1/events",
            &json!({"kind": "ngay_hoi", "title": "Ngày hội", "unit_code": area, "date": day(5), "pilot": true}),
        )
        .await,
        201,
    );
    let held = ok("event", t.post_json(c, "/api/v1/events", &event("forum", day(0))).await, 201);
    let reported = ok("event", t.post_json(c, "/api/v1/events", &event("ngay_hoi", day(0))).await, 201);
    let rid = reported["id"].as_i64().unwrap();
    let result = json!({"participants": 90, "opinions": [{"text": "Đề nghị sửa đèn đường.", "kind": "petition"}]});
    ok("event result", t.post_json(c, &format!("/api/v1/events/{rid}/results"), &result).await, 201);
    ids.events.extend([later["id"].as_i64().unwrap(), held["id"].as_i64().unwrap(), rid]);
    // The held event's document.
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let path = format!("/api/v1/events/{}/files?filename=Bien-ban.pdf", held["id"]);
    assert_eq!(t.post_raw(c, &path, "application/pdf", pdf).await.0, 201, "event file");
    // The catalogue: a version the ministry published for this year.
    let year = store::clock::current_year();
    let (_, shipped) = t.get_json("", "/api/v1/award-types").await;
    ok("catalogue", t.put_json(m, "/api/v1/award-types", &json!({"year": year, "items": shipped["items"]})).await, 200);
    // "Dân vận khéo": one model registered, one returned, one recognised (public).
    let mut entries = Vec::new();
    for name in ["Dân vận khéo một", "Dân vận khéo hai", "Dân vận khéo ba"] {
        let body = json!({"type_code": "camera_an_ninh", "name": name, "unit_code": area, "started_on": "2024-01-10"});
        let model = ok("dvk model", t.post_json(c, "/api/v1/models", &body).await, 201)["id"].as_i64().unwrap();
        let reg = json!({"model_id": model, "year": year});
        entries.push(ok("dvk", t.post_json(c, "/api/v1/dan-van-kheo", &reg).await, 201)["id"].as_i64().unwrap());
    }
    let returned = json!({"to": "returned", "reason": "Bổ sung hồ sơ"});
    ok("dvk return", t.post_json(p, &format!("/api/v1/dan-van-kheo/{}/decision", entries[1]), &returned).await, 200);
    let recognised = json!({"to": "recognised", "decision_number": "7/QĐ-CAT", "decision_date": store::clock::today_iso(), "public": true});
    ok(
        "dvk recognise",
        t.post_json(p, &format!("/api/v1/dan-van-kheo/{}/decision", entries[2]), &recognised).await,
        200,
    );
}

/// Directives with plans issued, missing and late; tasks done, on track, overdue,
/// split into sub-tasks, with and without an indicator; proposals answered and not.
async fn working_year(t: &TestApp, tok: &Tokens, ids: &mut Ids) {
    let (c, p, m) = (&tok.commune, &tok.province, &tok.ministry);
    let day = |offset: i64| (store::clock::today() + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string();
    let directive = |plans_due: String, from: &str| json!({"kind": "directive", "number": "07/CT-BCA", "issued_on": day(-60), "title": "Chỉ thị về phong trào", "plans_due": plans_due, "plans_from": from});
    let late = ok("directive", t.post_json(m, "/api/v1/directives", &directive(day(-30), "province")).await, 201);
    let open = ok("directive", t.post_json(p, "/api/v1/directives", &directive(day(30), "commune")).await, 201);
    let plain = json!({"kind": "coordination", "number": "01/CTPH", "issued_on": day(-1), "title": "Chương trình phối hợp với Mặt trận", "partners": "Ủy ban MTTQ Việt Nam"});
    let plain = ok("directive", t.post_json(m, "/api/v1/directives", &plain).await, 201);
    let plan = json!({"number": "12/KH-CAT", "issued_on": day(-10), "title": "Kế hoạch triển khai"});
    ok("plan", t.post_json(p, &format!("/api/v1/directives/{}/plans", late["id"]), &plan).await, 201);
    ok("plan", t.post_json(c, &format!("/api/v1/directives/{}/plans", open["id"]), &plan).await, 201);
    ids.directives.extend([late["id"].as_i64().unwrap(), open["id"].as_i64().unwrap(), plain["id"].as_i64().unwrap()]);

    let task = |title: &str, due: String, assignees: Value, extra: Value| {
        let mut b = json!({"title": title, "due": due, "assignees": assignees, "issued_on": day(-90)});
        if let (Some(o), Some(e)) = (b.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        b
    };
    let indicator = json!({"indicator": {"name": "Mô hình mới", "target": 50}, "directive_id": late["id"]});
    let big = ok(
        "task",
        t.post_json(m, "/api/v1/tasks", &task("Xây dựng mô hình", day(60), json!(["01", "79"]), indicator)).await,
        201,
    );
    let overdue = ok(
        "task",
        t.post_json(m, "/api/v1/tasks", &task("Sơ kết Chỉ thị", day(-5), json!(["01"]), json!({}))).await,
        201,
    );
    let sub = task(
        "Xây dựng mô hình ở xã",
        day(45),
        json!(["00004", "00008"]),
        json!({"parent_id": big["id"], "indicator": {"name": "Mô hình mới", "target": 10}}),
    );
    let sub = ok("sub-task", t.post_json(p, "/api/v1/tasks", &sub).await, 201);
    let done =
        ok("task", t.post_json(p, "/api/v1/tasks", &task("Tập huấn", day(-2), json!(["00004"]), json!({}))).await, 201);
    let progress = |unit: &str, percent: i64, value: Value| json!({"unit_code": unit, "percent": percent, "value": value, "note": "Đã triển khai"});
    ok(
        "progress",
        t.post_json(c, &format!("/api/v1/tasks/{}/progress", sub["id"]), &progress("00004", 100, json!(4))).await,
        201,
    );
    ok(
        "progress",
        t.post_json(c, &format!("/api/v1/tasks/{}/progress", done["id"]), &progress("00004", 100, Value::Null)).await,
        201,
    );
    ok(
        "progress",
        t.post_json(p, &format!("/api/v1/tasks/{}/progress", overdue["id"]), &progress("01", 30, Value::Null)).await,
        201,
    );
    let asked = ok(
        "proposal",
        t.post_json(
            p,
            &format!("/api/v1/tasks/{}/proposals", big["id"]),
            &json!({"body": "Đề nghị hướng dẫn tiêu chí mô hình"}),
        )
        .await,
        201,
    );
    ok(
        "proposal",
        t.post_json(p, &format!("/api/v1/tasks/{}/proposals", overdue["id"]), &json!({"body": "Xin lùi hạn"})).await,
        201,
    );
    ok(
        "proposal",
        t.post_json(
            c,
            &format!("/api/v1/directives/{}/proposals", open["id"]),
            &json!({"body": "Kiến nghị về kinh phí"}),
        )
        .await,
        201,
    );
    ok(
        "answer",
        t.post_json(m, &format!("/api/v1/proposals/{}/answer", asked["id"]), &json!({"body": "Theo Hướng dẫn 01"}))
            .await,
        200,
    );
    let pdf = b"%PDF-1.4\n%%EOF\n".to_vec();
    ok(
        "file",
        t.post_raw(
            m,
            &format!("/api/v1/directives/{}/files?filename=chi-thi.pdf", late["id"]),
            "application/pdf",
            pdf.clone(),
        )
        .await,
        201,
    );
    ok(
        "file",
        t.post_raw(p, &format!("/api/v1/tasks/{}/files?filename=bien-ban.pdf", big["id"]), "application/pdf", pdf)
            .await,
        201,
    );
    for x in [&big, &overdue, &sub, &done] {
        ids.tasks.push(x["id"].as_i64().unwrap());
    }
    // Inspections planned, under way, with a follow-up open, closed.
    let inspection = |from: i64, to: i64| json!({"title": "Kiểm tra phong trào", "targets": ["01", "79"], "from": day(from), "to": day(to)});
    for (from, to) in [(10, 12), (-1, 1), (-20, -18), (-40, -38)] {
        let i = ok("inspection", t.post_json(m, "/api/v1/inspections", &inspection(from, to)).await, 201);
        ids.inspections.push(i["id"].as_i64().unwrap());
    }
    let finding = json!({"unit_code": "01", "text": "Chưa ban hành kế hoạch", "recommendation": "Ban hành kế hoạch", "follow_up_due": day(5)});
    for i in &ids.inspections[2..] {
        let f = ok("finding", t.post_json(m, &format!("/api/v1/inspections/{i}/findings"), &finding).await, 201);
        ids.tasks.push(f["task_id"].as_i64().unwrap());
    }
    let closed = ids.tasks.last().copied().unwrap();
    ok(
        "progress",
        t.post_json(p, &format!("/api/v1/tasks/{closed}/progress"), &progress("01", 100, Value::Null)).await,
        201,
    );
    // An inspection of an organisation, with a finding followed up by its ward.
    let shop = new_org(t, c, json!({"name": "Xưởng in Ba Đình", "kind": "enterprise", "unit_code": BA_DINH})).await;
    let body = json!({"title": "Kiểm tra doanh nghiệp", "targets": [BA_DINH], "organisations": [shop], "from": day(-3), "to": day(-2)});
    let i = ok("inspection", t.post_json(p, "/api/v1/inspections", &body).await, 201)["id"].as_i64().unwrap();
    ids.inspections.push(i);
    let finding = json!({"organisation_id": shop, "text": "Chưa có phương án bảo vệ", "recommendation": "Xây dựng phương án", "follow_up_due": day(10)});
    let f = ok("finding", t.post_json(p, &format!("/api/v1/inspections/{i}/findings"), &finding).await, 201);
    ids.tasks.push(f["task_id"].as_i64().unwrap());
    // Reports in every state: a ward's accepted, another's returned, one submitted,
    // a draft; the province's compiled draft and its five-year review; the nation's.
    let last_month =
        (store::clock::today().with_day(1).unwrap() - chrono::Duration::days(1)).format("%Y-%m").to_string();
    let month = json!({"template": "month", "period": last_month});
    let report = |v: Value| v["id"].as_i64().unwrap();
    let accepted = report(ok("report", t.post_json(c, "/api/v1/reports", &month).await, 201));
    let returned = report(ok("report", t.post_json(&tok.commune8, "/api/v1/reports", &month).await, 201));
    for (who, id) in [(c, accepted), (&tok.commune8, returned)] {
        ok("submit", t.post_json(who, &format!("/api/v1/reports/{id}/submit"), &json!({})).await, 200);
    }
    ok("accept", t.post_json(p, &format!("/api/v1/reports/{accepted}/accept"), &json!({})).await, 200);
    ok(
        "return",
        t.post_json(
            p,
            &format!("/api/v1/reports/{returned}/return"),
            &json!({"reason": "Bổ sung số liệu <b>mô hình</b>"}),
        )
        .await,
        200,
    );
    let year = store::clock::current_year();
    let half = json!({"template": "half_year", "period": format!("{year}-H{}", if store::clock::today().month() <= 6 { 1 } else { 2 })});
    let submitted = report(ok("report", t.post_json(c, "/api/v1/reports", &half).await, 201));
    ok("submit", t.post_json(c, &format!("/api/v1/reports/{submitted}/submit"), &json!({})).await, 200);
    let draft = report(ok(
        "report",
        t.post_json(c, "/api/v1/reports", &json!({"template": "year", "period": year.to_string()})).await,
        201,
    ));
    let compiled = report(ok("report", t.post_json(p, "/api/v1/reports", &month).await, 201));
    let first = year - (year - 1).rem_euclid(5);
    let review =
        json!({"template": "five_year", "period": format!("{first}-{}", first + 4), "directive_id": late["id"]});
    let review = report(ok("review", t.post_json(p, "/api/v1/reports", &review).await, 201));
    let nation = report(ok("report", t.post_json(m, "/api/v1/reports", &month).await, 201));
    ids.reports.extend([accepted, returned, submitted, draft, compiled, review, nation]);
}

/// The citizen's case page (reached by posting code and secret) for every case.
async fn public_case_pages(t: &TestApp, ids: &Ids) -> Vec<String> {
    let mut failures = Vec::new();
    for lang in ["vi", "en"] {
        for f in &ids.receipts {
            let form = [("receipt_code", f.code.as_str()), ("secret", f.secret.as_str())];
            let r = t.http.post(t.url("/public/cases/lookup")).header("accept-language", lang).form(&form).send().await;
            failures
                .extend(judge(&format!("[public {lang}]"), &format!("POST /public/cases/lookup {}", f.code), r).await);
            // Rating or reopening what cannot be: the page with the reason.
            for op in ["rate", "reopen"] {
                let form = [
                    ("receipt_code", f.code.as_str()),
                    ("secret", f.secret.as_str()),
                    ("op", op),
                    ("rating", "9"),
                    ("reason", ""),
                ];
                let r =
                    t.http.post(t.url("/public/cases/lookup")).header("accept-language", lang).form(&form).send().await;
                failures.extend(
                    judge(&format!("[public {lang}]"), &format!("POST /public/cases/lookup op={op} {}", f.code), r)
                        .await,
                );
            }
            // An empty message: refused, the case page with the reason.
            let mp = reqwest::multipart::Form::new()
                .text("receipt_code", f.code.clone())
                .text("secret", f.secret.clone())
                .text("body", "");
            let r =
                t.http.post(t.url("/public/cases/message")).header("accept-language", lang).multipart(mp).send().await;
            failures
                .extend(judge(&format!("[public {lang}]"), &format!("POST /public/cases/message {}", f.code), r).await);
        }
    }
    // A wrong secret, a malformed code, a message without a code, a bad report.
    let r = t
        .http
        .post(t.url("/public/cases/lookup"))
        .form(&[("receipt_code", "ACD-EFG-HJK"), ("secret", "X")])
        .send()
        .await;
    failures.extend(judge("[public]", "POST /public/cases/lookup wrong", r).await);
    let r = t.http.post(t.url("/public/cases/lookup")).form(&[("receipt_code", "??"), ("secret", "")]).send().await;
    failures.extend(judge("[public]", "POST /public/cases/lookup malformed", r).await);
    let mp = reqwest::multipart::Form::new().text("body", "Xin chào");
    let r = t.http.post(t.url("/public/cases/message")).multipart(mp).send().await;
    failures.extend(judge("[public]", "POST /public/cases/message without code", r).await);
    for (kind, unit, anonymous) in [("complaint", BA_DINH, "true"), ("rumour", "99999", ""), ("feedback", "01", "")] {
        let mp = reqwest::multipart::Form::new()
            .text("province", "01")
            .text("kind", kind)
            .text("unit_code", unit)
            .text("description", "")
            .text("anonymous", anonymous);
        let r = t.http.post(t.url("/public/cases")).multipart(mp).send().await;
        failures.extend(judge("[public]", &format!("POST /public/cases {kind} {unit}"), r).await);
    }
    let mp = reqwest::multipart::Form::new()
        .text("kind", "feedback")
        .text("unit_code", BA_DINH)
        .text("description", "Quảng cáo")
        .text("website", "http://spam.example");
    let r = t.http.post(t.url("/public/cases")).multipart(mp).send().await;
    failures.extend(judge("[public]", "POST /public/cases honeypot", r).await);
    failures
}

/// Forms the rules refuse, posted by each role that might: the form again with the
/// reasons (4xx), never a server error.
async fn refused_forms(t: &TestApp, tok: &Tokens, ids: &Ids, year: i64) -> Vec<String> {
    let s = |v: &str| v.to_string();
    let y = year.to_string();
    let mut failures = Vec::new();
    let people = [
        ("admin", &tok.admin),
        ("ministry", &tok.ministry),
        ("province", &tok.province),
        ("commune", &tok.commune),
        ("commune-00008", &tok.commune8),
        ("viewer", &tok.viewer),
        ("organisation", &tok.org_school),
    ];
    let mut forms: Vec<(String, Vec<(&str, String)>)> = vec![
        // New assessments the rules refuse: exempt, not assessable, unknown, another
        // commune, a bad year, a bad instrument, a duplicate.
        (
            s("/assessments"),
            vec![
                ("year", y.clone()),
                ("instrument", s("safe_unit")),
                ("organisation_id", ids.orgs.get(1).map(|i| i.to_string()).unwrap_or_default()),
            ],
        ),
        (
            s("/assessments"),
            vec![
                ("year", y.clone()),
                ("instrument", s("safe_unit")),
                ("organisation_id", ids.orgs.get(3).map(|i| i.to_string()).unwrap_or_default()),
            ],
        ),
        (s("/assessments"), vec![("year", y.clone()), ("instrument", s("safe_unit")), ("organisation_id", s("abc"))]),
        (s("/assessments"), vec![("year", y.clone()), ("instrument", s("safe_unit")), ("unit_code", s(NGOC_HA))]),
        (s("/assessments"), vec![("year", s("1999")), ("instrument", s("safe_unit")), ("unit_code", s(BA_DINH))]),
        (s("/assessments"), vec![("year", y.clone()), ("instrument", s("grading")), ("unit_code", s(BA_DINH))]),
        (s("/assessments"), vec![("year", y.clone()), ("instrument", s("safe_unit"))]),
        (s("/assessments"), vec![("year", y.clone()), ("instrument", s("safe_unit")), ("unit_code", s("01"))]),
        (
            s("/models"),
            vec![
                ("type_code", s("no_such_type")),
                ("name", s("")),
                ("unit_code", s("99999")),
                ("started_on", s("2099-01-01")),
            ],
        ),
        (s("/cases/new"), vec![("kind", s("complaint")), ("unit_code", s(BA_DINH)), ("description", s("x"))]),
        (s("/cases/new"), vec![("kind", s("rumour")), ("unit_code", s("99999")), ("description", s(""))]),
        (
            s("/campaigns"),
            vec![
                ("year", y.clone()),
                ("residential_area_deadline", s("30/11")),
                ("commune_deadline", s("2001-01-01")),
                ("province_summary_deadline", s("")),
                ("target_percent", s("abc")),
                ("commune_approver", s("district")),
            ],
        ),
        (s("/calendar"), vec![("op", s("add")), ("day", s("2026-02-30")), ("kind", s("holiday")), ("name_vi", s(""))]),
        (s("/calendar"), vec![("op", s("delete")), ("day", s("not-a-day"))]),
        (s("/case-routes"), vec![("kind", s("crime_report")), ("target", s("district"))]),
        (s("/criteria-sets"), vec![("toml", s("instrument = 1"))]),
        (
            s("/users"),
            vec![("username", s("")), ("password", s("short")), ("role", s("emperor")), ("organisation_id", s("abc"))],
        ),
        (
            s("/users"),
            vec![
                ("username", s("x.moi")),
                ("password", s("Mat-khau-du-dai-2025")),
                ("role", s("admin")),
                ("unit_code", s("VN")),
            ],
        ),
        (
            s("/units/00004/key-area"),
            vec![("action", s("designate")), ("decision_number", s("1/QĐ")), ("decision_date", s("2099-01-01"))],
        ),
        (
            s("/units/00004/key-area"),
            vec![("action", s("remove")), ("decision_number", s("")), ("decision_date", s("x"))],
        ),
        (s("/units/00004/areas"), vec![("name", s("")), ("division_type", s("lâu đài"))]),
        (s("/units/99999/areas"), vec![("name", s("Tổ 9")), ("division_type", s("tổ dân phố"))]),
        (s("/organisations"), vec![("name", s("")), ("kind", s("bank")), ("unit_code", s("99999"))]),
        // Registrations the rules refuse: out of scope, a bad year, no subject, twice.
        (s("/registrations"), vec![("year", y.clone()), ("commune", s(NGOC_HA)), ("unit_code", s(NGOC_HA))]),
        (s("/registrations"), vec![("year", s("1999")), ("commune", s(BA_DINH)), ("unit_code", s(BA_DINH))]),
        (s("/registrations"), vec![("year", y.clone()), ("commune", s(BA_DINH))]),
        (s("/registrations"), vec![("year", y.clone()), ("commune", s(BA_DINH)), ("unit_code", s(BA_DINH))]),
        (s("/registrations"), vec![("year", y.clone()), ("commune", s(BA_DINH)), ("unit_code", s(BA_DINH))]),
    ];
    for id in &ids.assessments {
        forms.push((format!("/assessments/{id}/transition"), vec![("to", s("approved"))]));
        forms.push((format!("/assessments/{id}/transition"), vec![("to", s("returned")), ("reason", s(""))]));
        forms.push((format!("/assessments/{id}/transition"), vec![("to", s("flying"))]));
        forms.push((format!("/assessments/{id}/answers"), vec![("points_XX", s("abc"))]));
        // Saved on an old version (a draft kept offline): the conflict page.
        forms.push((format!("/assessments/{id}/answers"), vec![("base_version", s("1")), ("points_M1", s("1,5"))]));
    }
    for id in &ids.models {
        forms.push((format!("/models/{id}"), vec![("status", s("sleeping"))]));
        forms.push((format!("/models/{id}/evaluations"), vec![("year", y.clone()), ("verdict", s("great"))]));
    }
    for id in &ids.cases {
        forms.push((format!("/cases/{id}"), vec![("action", s("explode"))]));
        forms.push((format!("/cases/{id}"), vec![("action", s("accept"))]));
        forms.push((format!("/cases/{id}"), vec![("action", s("extend")), ("reason", s(""))]));
        forms.push((format!("/cases/{id}"), vec![("action", s("reveal")), ("reason", s(""))]));
        forms.push((format!("/cases/{id}"), vec![("action", s("merge")), ("into_id", s("abc"))]));
    }
    for id in &ids.orgs {
        forms.push((format!("/organisations/{id}/exemption"), vec![("reason", s("large"))]));
        forms.push((format!("/organisations/{id}"), vec![("name", s("")), ("kind", s("bank")), ("unit_code", s(""))]));
    }
    for (who, token) in people {
        for (path, form) in &forms {
            failures.extend(post_form(t, who, token, path, form).await);
        }
    }
    failures
}

/// A multipart upload of one file to a page, as `who` (bearer, so no CSRF).
async fn upload(t: &TestApp, who: &str, tok: &str, path: &str, name: &str, mime: &str, bytes: &[u8]) -> Option<String> {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()).mime_str(mime).unwrap();
    let form = reqwest::multipart::Form::new().text("criterion", "").part("file", part);
    let r = t.http.post(t.url(path)).bearer_auth(tok).multipart(form).send().await;
    judge(&format!("[uploads {who}]"), &format!("POST {path} {name}"), r).await
}

/// The upload pages with files the rules refuse (and some they accept), the login
/// form's errors, the account page's forms, and the receipts of new cases.
async fn uploads_and_accounts(t: &TestApp, tok: &Tokens, ids: &Ids, people: &[Who]) -> Vec<String> {
    let mut failures = Vec::new();
    let people_tok = [
        ("admin", &tok.admin),
        ("province", &tok.province),
        ("commune", &tok.commune),
        ("commune-00008", &tok.commune8),
        ("viewer", &tok.viewer),
        ("organisation", &tok.org_school),
    ];
    let bad_orgs = format!("name,kind,unit_code\nHộ A,bank,{BA_DINH}\n,enterprise,99999\n");
    let good_orgs = format!("name,kind,unit_code\nHộ kinh doanh mới,enterprise,{BA_DINH}\n");
    let school = ids.orgs.first().copied().unwrap_or(0);
    let bad_exempt = format!("organisation_id,reason\n{school},small_enterprise\n999999,x\nabc,\n");
    let good_exempt = format!("organisation_id,reason\n{school},\n");
    let bad_areas = "name,division_type\nThôn Tây,lâu đài\n,thôn\n";
    let good_areas = "name,division_type\nThôn Bắc,thôn\n";
    let exe = b"MZ\x90\x00 this program cannot be run in DOS mode";
    let pdf = b"%PDF-1.4\n% bien ban\n";
    let sheet = "code,answer,note\nKHONG_CO,Đạt,\nX,có lẽ,\n";
    for (who, token) in people_tok {
        for (path, name, mime, bytes) in [
            ("/organisations/import", "dn.csv", "text/csv", bad_orgs.as_bytes()),
            ("/organisations/import", "dn.png", "image/png", pdf.as_slice()),
            (
                "/organisations/import",
                "dn.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                b"PK not a zip".as_slice(),
            ),
            ("/organisations/import", "dn.csv", "text/csv", good_orgs.as_bytes()),
            ("/organisations/exemptions", "mt.csv", "text/csv", bad_exempt.as_bytes()),
            ("/organisations/exemptions", "mt.csv", "text/csv", b"".as_slice()),
            ("/organisations/exemptions", "mt.csv", "text/csv", good_exempt.as_bytes()),
            ("/units/00004/areas/import", "kdc.csv", "text/csv", bad_areas.as_bytes()),
            ("/units/99999/areas/import", "kdc.csv", "text/csv", good_areas.as_bytes()),
            ("/units/00004/areas/import", "kdc.csv", "text/csv", good_areas.as_bytes()),
        ] {
            failures.extend(upload(t, who, token, path, name, mime, bytes).await);
        }
        for id in &ids.assessments {
            let evidence = format!("/assessments/{id}/evidence");
            failures.extend(upload(t, who, token, &evidence, "anh.jpg", "image/jpeg", exe).await);
            failures.extend(upload(t, who, token, &evidence, "bien-ban.pdf", "application/pdf", pdf).await);
            let sheet_path = format!("/assessments/{id}/sheet");
            failures.extend(upload(t, who, token, &sheet_path, "phieu.csv", "text/csv", sheet.as_bytes()).await);
            failures.extend(upload(t, who, token, &sheet_path, "phieu.png", "image/png", pdf).await);
        }
        // A form with no file at all.
        let r = t
            .http
            .post(t.url("/organisations/import"))
            .bearer_auth(token)
            .multipart(reqwest::multipart::Form::new().text("x", "y"))
            .send()
            .await;
        failures.extend(judge(&format!("[uploads {who}]"), "POST /organisations/import without a file", r).await);
    }

    // The login form's refusals: a forged token, a wrong password, a missing code.
    let c = browser();
    let r = c
        .post(t.url("/login"))
        .form(&[("username", "xa.badinh"), ("password", PASSWORD), ("csrf", "forged")])
        .send()
        .await;
    failures.extend(judge("[login]", "POST /login forged", r).await);
    for (user, password) in [("xa.badinh", "wrong-password-1"), ("root", PASSWORD), ("nobody", "x")] {
        let page = c.get(t.url("/login")).send().await.unwrap().text().await.unwrap();
        let marker = "name=\"csrf\" value=\"";
        let i = page.find(marker).unwrap() + marker.len();
        let csrf = page[i..].split('"').next().unwrap().to_string();
        let r = c
            .post(t.url("/login"))
            .form(&[("username", user), ("password", password), ("csrf", csrf.as_str()), ("next", "//evil.example")])
            .send()
            .await;
        failures.extend(judge("[login]", &format!("POST /login {user}"), r).await);
    }

    // The account page's forms, through the cookie session of each person (with its CSRF).
    for who in people.iter().filter(|w| w.label != "anonymous") {
        let page = match who.client.get(t.url("/account")).send().await {
            Ok(r) => r.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        let marker = "name=\"csrf\" value=\"";
        let Some(i) = page.find(marker).map(|i| i + marker.len()) else { continue };
        let csrf = page[i..].split('"').next().unwrap().to_string();
        for (path, form) in [
            ("/account/password", vec![("current_password", "wrong"), ("new_password", "short")]),
            ("/account/totp/enrol", vec![]),
            ("/account/totp/confirm", vec![("code", "000000")]),
        ] {
            let mut form: Vec<(&str, &str)> = form;
            form.push(("csrf", csrf.as_str()));
            let r = who.client.post(t.url(path)).form(&form).send().await;
            failures.extend(judge(&format!("[account {}]", who.label), &format!("POST {path}"), r).await);
        }
    }

    // The contact revealed, with a reason: the case page shows it (or its absence, once purged).
    for id in &ids.cases {
        let form = [("action", "reveal"), ("reason", "Cần liên hệ lại với người gửi")];
        for (who, token) in [("commune", &tok.commune), ("province", &tok.province)] {
            let r = t.http.post(t.url(&format!("/cases/{id}"))).bearer_auth(token).form(&form).send().await;
            failures.extend(judge(&format!("[forms {who}]"), &format!("POST /cases/{id} reveal"), r).await);
        }
    }
    // New cases that are accepted: the receipt pages, the citizen's and the staff's.
    let mp = reqwest::multipart::Form::new()
        .text("province", "01")
        .text("unit_code", BA_DINH)
        .text("kind", "feedback")
        .text("description", "Nhóm thanh niên đua xe mỗi tối.")
        .text("anonymous", "on");
    let r = t.http.post(t.url("/public/cases")).multipart(mp).send().await;
    failures.extend(judge("[public]", "POST /public/cases", r).await);
    for (who, token) in [("commune", &tok.commune), ("province", &tok.province), ("admin", &tok.admin)] {
        let form = [
            ("kind", "petition"),
            ("unit_code", BA_DINH),
            ("description", "Người dân đến trình báo mất xe đạp."),
            ("contact_name", "Đỗ Văn Em"),
        ];
        let r = t.http.post(t.url("/cases/new")).bearer_auth(token).form(&form).send().await;
        failures.extend(judge(&format!("[forms {who}]"), "POST /cases/new", r).await);
    }
    failures
}
