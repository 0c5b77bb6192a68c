//! The working year over HTTP on SQLite and PostgreSQL: directive → plans → tasks →
//! sub-tasks → progress → roll-up → proposals → answers → to-do list → programme,
//! the scope escapes at each step, and each bad input (precise status, message
//! key, nothing stored).
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};
use testkit::{both_databases, TestApp, TestDb};

both_databases! {
    directive_asks_plans_and_counts_them => plans;
    tasks_roll_up_through_sub_tasks => rollup;
    proposals_go_up_and_come_back_answered => proposals;
    todo_lists_what_needs_the_unit => todo;
    bad_input_stores_nothing => bad_input;
    inspections_close_when_their_follow_ups_are_done => inspections;
    organisations_are_inspected_through_their_unit => organisation_targets;
    a_directive_gets_its_five_year_review => five_year_review;
    the_level_above_accepts_a_report => accepted_reports;
    reports_climb_and_compile => reports;
    reminders_and_escalations_go_through_the_job_queue => reminders;
    report_reminders_reach_the_units_that_have_not_sent => report_reminders;
    files_are_checked_and_seen_in_scope => files;
}

/// A date `offset` days from today in Vietnam.
fn day(offset: i64) -> String {
    (store::clock::today() + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string()
}

struct People {
    t: TestApp,
    ministry: String,
    hanoi: String,
    hcm: String,
    ba_dinh: String,
    ngoc_ha: String,
    viewer: String,
}

async fn people(db: &TestDb) -> People {
    let _ = tracing_subscriber::fmt().with_max_level(tracing::Level::ERROR).with_test_writer().try_init();
    let t = TestApp::start(db).await;
    t.user("bo", "ministry", Some("VN"), None).await;
    t.user("hanoi", "province", Some("01"), None).await;
    t.user("hcm", "province", Some("79"), None).await;
    t.user("badinh", "commune", Some("00004"), None).await;
    t.user("ngocha", "commune", Some("00008"), None).await;
    t.user("xem", "viewer", Some("01"), None).await;
    let (ministry, _) = t.token_with_totp("bo").await;
    let (hanoi, _) = t.token_with_totp("hanoi").await;
    let (hcm, _) = t.token_with_totp("hcm").await;
    let ba_dinh = t.token("badinh").await;
    let ngoc_ha = t.token("ngocha").await;
    let viewer = t.token("xem").await;
    People { t, ministry, hanoi, hcm, ba_dinh, ngoc_ha, viewer }
}

fn created(what: &str, (s, b): (u16, Value)) -> i64 {
    assert_eq!(s, 201, "{what}: {b}");
    b["id"].as_i64().unwrap()
}

fn item<'a>(v: &'a Value, unit: &str) -> &'a Value {
    v["plans"]["items"].as_array().unwrap().iter().find(|i| i["unit_code"] == unit).unwrap()
}

async fn plans(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let body = json!({"kind": "directive", "number": "07/CT-BCA", "issued_on": day(-40), "title": "Chỉ thị 07 về phong trào trong cơ quan, doanh nghiệp", "plans_due": day(-10), "plans_from": "province"});
    let d = created("directive", t.post_json(&p.ministry, "/api/v1/directives", &body).await);
    // Hà Nội issues its plan late (after the date asked); Hồ Chí Minh City has none yet.
    let plan = json!({"number": "15/KH-CAHN", "issued_on": day(-5), "title": "Kế hoạch thực hiện Chỉ thị 07"});
    created("plan", t.post_json(&p.hanoi, &format!("/api/v1/directives/{d}/plans"), &plan).await);
    let (s, b) = t.post_json(&p.hanoi, &format!("/api/v1/directives/{d}/plans"), &plan).await;
    assert_eq!((s, b["error"]["code"].as_str()), (409, Some("directive.plan_recorded")), "{b}");
    // A plan dated before the directive it implements is refused.
    let early = json!({"number": "1/KH", "issued_on": day(-41), "title": "Kế hoạch"});
    let (s, b) = t.post_json(&p.hcm, &format!("/api/v1/directives/{d}/plans"), &early).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("directive.plan_before_directive")), "{b}");
    // A commune owes no plan to this directive.
    let (s, _) = t.post_json(&p.ba_dinh, &format!("/api/v1/directives/{d}/plans"), &plan).await;
    assert_eq!(s, 404);

    let (s, v) = t.get_json(&p.ministry, &format!("/api/v1/directives/{d}")).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["plans"]["expected"], 34);
    assert_eq!(v["plans"]["issued"], 1);
    assert_eq!(v["plans"]["late"], 34, "33 missing past the date and one issued late");
    assert_eq!(v["plans"]["share"], "1/34");
    assert_eq!(item(&v, "01")["status"], "late");
    assert!(item(&v, "01")["plan_id"].is_i64());
    assert_eq!(item(&v, "79")["status"], "late");
    assert!(item(&v, "79")["plan_id"].is_null());
    // A province sees the ministry's directive and its own row only.
    let (s, v) = t.get_json(&p.hcm, &format!("/api/v1/directives/{d}")).await;
    assert_eq!(s, 200);
    assert_eq!(v["plans"]["items"].as_array().unwrap().len(), 1);
    assert_eq!(v["plans"]["items"][0]["unit_code"], "79");
    assert_eq!(v["caller_owes"], true);

    // A province asks its communes: every current commune of Hà Nội, none elsewhere.
    let body = json!({"kind": "plan", "number": "20/KH-CAHN", "issued_on": day(-3), "title": "Kế hoạch năm", "plans_due": day(20), "plans_from": "commune"});
    let hd = created("province directive", t.post_json(&p.hanoi, "/api/v1/directives", &body).await);
    let (_, units) = t.get_json("", "/api/v1/units?level=commune&parent=01&size=1").await;
    let (_, v) = t.get_json(&p.hanoi, &format!("/api/v1/directives/{hd}")).await;
    assert_eq!(v["plans"]["expected"], units["total"], "{}", units["total"]);
    assert!(v["plans"]["expected"].as_i64().unwrap() > 100);
    assert_eq!(v["plans"]["late"], 0, "not due yet");
    let plan = json!({"number": "03/KH-CAP", "issued_on": day(0), "title": "Kế hoạch của phường"});
    created("commune plan", t.post_json(&p.ba_dinh, &format!("/api/v1/directives/{hd}/plans"), &plan).await);
    let (_, v) = t.get_json(&p.hanoi, &format!("/api/v1/directives/{hd}")).await;
    assert_eq!(item(&v, "00004")["status"], "issued");
    assert_eq!(v["plans"]["issued"], 1);
    // Another province cannot see it; a commune of Hà Nội sees it and its own row.
    assert_eq!(t.get_json(&p.hcm, &format!("/api/v1/directives/{hd}")).await.0, 404);
    let (s, v) = t.get_json(&p.ngoc_ha, &format!("/api/v1/directives/{hd}")).await;
    assert_eq!((s, v["plans"]["items"].as_array().unwrap().len()), (200, 1));
    let (_, list) = t.get_json(&p.hcm, "/api/v1/directives").await;
    assert_eq!(list["total"], 1, "Hồ Chí Minh City sees the ministry's directive only: {list}");
    // The plans as a workbook: the rows the caller sees, no more.
    let rows = |bytes: Vec<u8>| {
        use calamine::Reader;
        let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range_at(0).unwrap().unwrap();
        range.rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>()).collect::<Vec<_>>()
    };
    let (s, _, bytes) = get_bytes(t, &p.ministry, &format!("/api/v1/directives/{d}/plans.xlsx")).await;
    assert_eq!(s, 200);
    let sheet = rows(bytes);
    assert_eq!(sheet.len(), 35, "a header and 34 provinces");
    assert!(sheet.iter().any(|r| r[0] == "01" && r[3] == "15/KH-CAHN"), "{:?}", sheet.get(1));
    let (_, _, bytes) = get_bytes(t, &p.hcm, &format!("/api/v1/directives/{d}/plans.xlsx")).await;
    assert_eq!(rows(bytes).len(), 2, "Hồ Chí Minh City's own row only");
    let (s, _, bytes) = get_bytes(t, &p.ministry, "/api/v1/programme.xlsx?unit=VN").await;
    assert_eq!((s, rows(bytes).len()), (200, 1), "no task yet: the header only");
    // Every list exports: the directives seen, the unit's reports (and those it
    // owes), the proposals waiting for its answer.
    let (s, ct, bytes) = get_bytes(t, &p.hcm, "/api/v1/directives.xlsx").await;
    assert!(s == 200 && ct.contains("spreadsheetml"), "{ct}");
    let sheet = rows(bytes);
    assert!(sheet.iter().any(|r| r[0] == "07/CT-BCA" && !r[4].is_empty()), "{sheet:?}");
    let (s, _, bytes) = get_bytes(t, &p.ba_dinh, "/api/v1/reports.xlsx").await;
    let sheet = rows(bytes);
    assert!(s == 200 && sheet.iter().any(|r| r[2] == "chưa lập"), "what the ward owes: {sheet:?}");
    let (s, _, bytes) = get_bytes(t, &p.hanoi, "/api/v1/proposals.xlsx").await;
    assert_eq!((s, rows(bytes)[0][0].as_str()), (200, "Đơn vị gửi"));
    assert_eq!(get_bytes(t, "", "/api/v1/reports.xlsx").await.0, 401);
    // An organisation's contact in a ward sees none of the units' working year.
    let (_, org) = t
        .post_json(
            &p.ba_dinh,
            "/api/v1/organisations",
            &json!({"name": "Công ty Ba Đình", "kind": "enterprise", "unit_code": "00004"}),
        )
        .await;
    t.user("lienhe", "organisation", None, org["id"].as_i64()).await;
    let contact = t.token("lienhe").await;
    let (_, list) = t.get_json(&contact, "/api/v1/directives").await;
    assert_eq!(list["total"], 0, "{list}");
    assert_eq!(t.get_json(&contact, &format!("/api/v1/directives/{hd}")).await.0, 404);
    let (_, todo) = t.get_json(&contact, "/api/v1/me/todo").await;
    assert_eq!(todo["items"].as_array().unwrap().len(), 0, "not the ward's plan: {todo}");
    assert_eq!(t.get_json(&contact, "/api/v1/stats/working-year").await.0, 403);
    // A viewer reads but records nothing.
    assert_eq!(t.get_json(&p.viewer, &format!("/api/v1/directives/{hd}")).await.0, 200);
    assert_eq!(t.post_json(&p.viewer, "/api/v1/directives", &body).await.0, 403);
    // A province cannot issue in the ministry's name, nor ask provinces.
    let mut wrong = body.clone();
    wrong["unit_code"] = json!("VN");
    assert_eq!(t.post_json(&p.hanoi, "/api/v1/directives", &wrong).await.0, 404);
    let mut wrong = body.clone();
    wrong["plans_from"] = json!("province");
    let (s, b) = t.post_json(&p.hanoi, "/api/v1/directives", &wrong).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("directive.plans_level")), "{b}");
    p.t.stop().await;
}

async fn progress(t: &TestApp, token: &str, task: i64, unit: &str, percent: i64, value: Value) -> (u16, Value) {
    let body = json!({"unit_code": unit, "percent": percent, "value": value, "note": "Tiến độ"});
    t.post_json(token, &format!("/api/v1/tasks/{task}/progress"), &body).await
}

fn assignee<'a>(v: &'a Value, unit: &str) -> &'a Value {
    v["assignees"].as_array().unwrap().iter().find(|a| a["unit_code"] == unit).unwrap()
}

async fn rollup(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let body = json!({"title": "Xây dựng mô hình Camera an ninh", "due": day(60), "assignees": ["01", "79"], "indicator": {"name": "Camera lắp mới", "target": 100}});
    let task = created("task", t.post_json(&p.ministry, "/api/v1/tasks", &body).await);
    // Each province sees the task with its own assignment only; a commune does not see it.
    let (s, v) = t.get_json(&p.hanoi, &format!("/api/v1/tasks/{task}")).await;
    assert_eq!((s, v["assignees"].as_array().unwrap().len()), (200, 1), "{v}");
    assert_eq!(v["assignees"][0]["unit_code"], "01");
    assert_eq!(t.get_json(&p.ba_dinh, &format!("/api/v1/tasks/{task}")).await.0, 404);
    // Hà Nội passes its part to two wards.
    let sub = json!({"title": "Camera an ninh ở phường", "due": day(45), "assignees": ["00004", "00008"], "parent_id": task, "indicator": {"name": "Camera lắp mới", "target": 40}});
    let sub_id = created("sub-task", t.post_json(&p.hanoi, "/api/v1/tasks", &sub).await);
    let (s, b) = t.post_json(&p.hanoi, "/api/v1/tasks", &sub).await;
    assert_eq!((s, b["error"]["code"].as_str()), (409, Some("task.already_split")), "{b}");
    // A ward cannot split the ministry's task (not assigned to it, not even seen).
    let mut other = sub.clone();
    other["assignees"] = json!(["00004"]);
    assert_eq!(t.post_json(&p.ba_dinh, "/api/v1/tasks", &other).await.0, 404);

    assert_eq!(progress(t, &p.ba_dinh, sub_id, "00004", 100, json!(30)).await.0, 201);
    assert_eq!(progress(t, &p.ngoc_ha, sub_id, "00008", 50, json!(10)).await.0, 201);
    let (_, v) = t.get_json(&p.ministry, &format!("/api/v1/tasks/{task}")).await;
    assert_eq!(assignee(&v, "01")["percent"], 75, "Hà Nội's figure is its wards' roll-up: {v}");
    assert_eq!(assignee(&v, "01")["sub_task_id"], sub_id);
    assert_eq!(assignee(&v, "79")["percent"], 0);
    assert_eq!(v["overall_percent"], 37);
    assert_eq!(v["indicator_sum"], 40.0);
    // Hà Nội's own report does not replace its wards' roll-up.
    assert_eq!(progress(t, &p.hanoi, task, "01", 10, Value::Null).await.0, 201);
    assert_eq!(progress(t, &p.hcm, task, "79", 60, json!(25)).await.0, 201);
    let (_, v) = t.get_json(&p.ministry, &format!("/api/v1/tasks/{task}")).await;
    assert_eq!((assignee(&v, "01")["percent"].as_i64(), v["overall_percent"].as_i64()), (Some(75), Some(67)));
    // The latest report counts.
    assert_eq!(progress(t, &p.ngoc_ha, sub_id, "00008", 20, json!(2)).await.0, 201);
    let (_, v) = t.get_json(&p.ministry, &format!("/api/v1/tasks/{task}")).await;
    assert_eq!(assignee(&v, "01")["percent"], 60);
    assert_eq!(v["overall_percent"], 60);
    assert_eq!(v["indicator_sum"], 57.0);
    assert_eq!((v["done"].as_i64(), v["overdue"].as_i64()), (Some(0), Some(0)));
    let (_, v) = t.get_json(&p.hanoi, &format!("/api/v1/tasks/{sub_id}")).await;
    assert_eq!(assignee(&v, "00004")["status"], "done");
    assert_eq!((v["done"].as_i64(), v["overall_percent"].as_i64()), (Some(1), Some(60)));

    // A back-filled task, due yesterday: overdue is computed, and done clears it.
    let late = json!({"title": "Sơ kết 6 tháng", "due": day(-1), "issued_on": day(-30), "year": store::clock::current_year(), "assignees": ["01", "79"]});
    let late = created("late task", t.post_json(&p.ministry, "/api/v1/tasks", &late).await);
    let (_, v) = t.get_json(&p.ministry, &format!("/api/v1/tasks/{late}")).await;
    assert_eq!((v["overdue"].as_i64(), assignee(&v, "01")["status"].as_str()), (Some(2), Some("overdue")));
    assert_eq!(progress(t, &p.hanoi, late, "01", 100, Value::Null).await.0, 201);
    let (_, v) = t.get_json(&p.ministry, &format!("/api/v1/tasks/{late}")).await;
    assert_eq!((v["overdue"].as_i64(), v["done"].as_i64()), (Some(1), Some(1)));
    assert_eq!(assignee(&v, "01")["status"], "done");

    // The ministry's programme: both tasks, figures from the stored roll-up.
    let year = store::clock::current_year();
    let (s, prog) = t.get_json(&p.ministry, &format!("/api/v1/programme?unit=VN&year={year}")).await;
    assert_eq!(s, 200, "{prog}");
    let row = prog["tasks"].as_array().unwrap().iter().find(|r| r["id"] == task).unwrap().clone();
    assert_eq!((row["overall_percent"].as_i64(), row["assignees"].as_i64()), (Some(60), Some(2)));
    let (_, prog) = t.get_json(&p.ministry, &format!("/api/v1/programme?unit=VN&year={year}")).await;
    let late_row = prog["tasks"].as_array().unwrap().iter().find(|r| r["id"] == late).unwrap().clone();
    assert_eq!((late_row["done"].as_i64(), late_row["overdue"].as_i64()), (Some(1), Some(1)));
    // Hà Nội reads the ministry's programme through its own assignments only.
    let (s, prog) = t.get_json(&p.hanoi, &format!("/api/v1/programme?unit=VN&year={year}")).await;
    assert_eq!(s, 200, "{prog}");
    let late_row = prog["tasks"].as_array().unwrap().iter().find(|r| r["id"] == late).unwrap().clone();
    assert_eq!((late_row["assignees"].as_i64(), late_row["overall_percent"].as_i64()), (Some(1), Some(100)));
    // A year outside 2000–2100 is refused, not computed.
    assert_eq!(t.get_json(&p.ministry, "/api/v1/programme?unit=VN&year=-9223372036854775808").await.0, 422);
    assert_eq!(t.get_json(&p.ministry, "/api/v1/inspections?year=1900").await.0, 422);
    // A ward cannot read another province's programme.
    assert_eq!(t.get_json(&p.ba_dinh, &format!("/api/v1/programme?unit=79&year={year}")).await.0, 404);

    // The nation map coloured by tasks overdue: Hà Nội 0 of 4 assignments (its own
    // two and its wards' two), Hồ Chí Minh City 1 of 2.
    let html = t
        .http
        .get(t.url(&format!("/movement?year={year}&indicator=tasks_overdue")))
        .bearer_auth(&p.ministry)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Tỷ lệ lượt giao nhiệm vụ quá hạn"), "the indicator is offered");
    assert!(html.contains("(0/4)") && html.contains("(1/2)"), "per-province figures on the map");
    // The figures maintained report by report equal those rebuilt from the history.
    let mut before = Vec::new();
    for id in [task, sub_id, late] {
        before.push(t.get_json(&p.ministry, &format!("/api/v1/tasks/{id}")).await.1);
    }
    let mut tx = t.app.store.begin_write().await.unwrap();
    tx.exec("UPDATE task_assignments SET percent = NULL, effective_percent = 0, effective_value = NULL", &[])
        .await
        .unwrap();
    tx.exec("UPDATE tasks SET overall_percent = 0, indicator_sum = NULL", &[]).await.unwrap();
    for y in [year, day(60)[..4].parse().unwrap()] {
        tx.rebuild_rollups(y).await.unwrap();
    }
    tx.commit().await.unwrap();
    for (i, id) in [task, sub_id, late].into_iter().enumerate() {
        let (_, now) = t.get_json(&p.ministry, &format!("/api/v1/tasks/{id}")).await;
        assert_eq!(now, before[i], "task {id}: rebuilt figures differ");
    }
    p.t.stop().await;
}

async fn proposals(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let body = json!({"title": "Rà soát tổ tự quản", "due": day(30), "assignees": ["01", "79"]});
    let task = created("task", t.post_json(&p.ministry, "/api/v1/tasks", &body).await);
    let ask = json!({"body": "Đề nghị Cục hướng dẫn tiêu chí đánh giá tổ tự quản"});
    let id = created("proposal", t.post_json(&p.hanoi, &format!("/api/v1/tasks/{task}/proposals"), &ask).await);
    // Not assigned: no proposal; another province does not see Hà Nội's.
    assert_eq!(t.post_json(&p.ba_dinh, &format!("/api/v1/tasks/{task}/proposals"), &ask).await.0, 404);
    assert_eq!(t.get_json(&p.hcm, &format!("/api/v1/proposals/{id}")).await.0, 404);
    let (_, list) = t.get_json(&p.hcm, &format!("/api/v1/tasks/{task}/proposals")).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    // Only the unit addressed answers.
    let answer = json!({"body": "Thực hiện theo Hướng dẫn 01/HD-BCA-V05"});
    assert_eq!(t.post_json(&p.hcm, &format!("/api/v1/proposals/{id}/answer"), &answer).await.0, 404);
    assert_eq!(t.post_json(&p.hanoi, &format!("/api/v1/proposals/{id}/answer"), &answer).await.0, 404);
    let (_, todo) = t.get_json(&p.ministry, "/api/v1/me/todo").await;
    assert!(todo["items"].as_array().unwrap().iter().any(|i| i["kind"] == "proposal"), "{todo}");
    let (s, b) = t.post_json(&p.ministry, &format!("/api/v1/proposals/{id}/answer"), &answer).await;
    assert_eq!((s, b["answer"].as_str()), (200, Some("Thực hiện theo Hướng dẫn 01/HD-BCA-V05")), "{b}");
    let (s, b) = t.post_json(&p.ministry, &format!("/api/v1/proposals/{id}/answer"), &answer).await;
    assert_eq!((s, b["error"]["code"].as_str()), (409, Some("proposal.answered")));
    let (_, seen) = t.get_json(&p.hanoi, &format!("/api/v1/proposals/{id}")).await;
    assert!(seen["answered_at"].is_i64(), "{seen}");
    let (_, todo) = t.get_json(&p.ministry, "/api/v1/me/todo").await;
    assert!(!todo["items"].as_array().unwrap().iter().any(|i| i["kind"] == "proposal"), "answered: {todo}");
    // A task of one's own unit for itself: nobody above to ask.
    let own = json!({"title": "Việc nội bộ", "due": day(9), "assignees": ["01"]});
    let own = created("own task", t.post_json(&p.hanoi, "/api/v1/tasks", &own).await);
    assert_eq!(t.post_json(&p.hanoi, &format!("/api/v1/tasks/{own}/proposals"), &ask).await.0, 404);
    // On a directive: a ward sends its province a proposal; the province answers.
    let body = json!({"kind": "plan", "number": "20/KH", "issued_on": day(-3), "title": "Kế hoạch năm"});
    let d = created("directive", t.post_json(&p.hanoi, "/api/v1/directives", &body).await);
    let id = created("proposal", t.post_json(&p.ba_dinh, &format!("/api/v1/directives/{d}/proposals"), &ask).await);
    assert_eq!(
        t.post_json(&p.hanoi, &format!("/api/v1/directives/{d}/proposals"), &ask).await.0,
        404,
        "not to oneself"
    );
    assert_eq!(t.post_json(&p.hanoi, &format!("/api/v1/proposals/{id}/answer"), &answer).await.0, 200);
    p.t.stop().await;
}

async fn todo(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let body = json!({"kind": "plan", "number": "20/KH", "issued_on": day(-20), "title": "Kế hoạch năm", "plans_due": day(-2), "plans_from": "commune"});
    let d = created("directive", t.post_json(&p.hanoi, "/api/v1/directives", &body).await);
    // Every record of this test in the directive's year (the year of day(-20)).
    let y: i64 = day(-20)[..4].parse().unwrap();
    let soon = json!({"title": "Báo cáo quý", "due": day(3), "year": y, "assignees": ["00004"]});
    let soon = created("task", t.post_json(&p.hanoi, "/api/v1/tasks", &soon).await);
    let late = json!({"title": "Tập huấn tổ bảo vệ", "due": day(-1), "issued_on": day(-10), "year": y, "assignees": ["00004"]});
    let late = created("task", t.post_json(&p.hanoi, "/api/v1/tasks", &late).await);
    let done = json!({"title": "Xong rồi", "due": day(5), "year": y, "assignees": ["00004"]});
    let done = created("task", t.post_json(&p.hanoi, "/api/v1/tasks", &done).await);
    assert_eq!(progress(t, &p.ba_dinh, done, "00004", 100, Value::Null).await.0, 201);

    let (s, v) = t.get_json(&p.ba_dinh, "/api/v1/me/todo").await;
    assert_eq!(s, 200, "{v}");
    // The regular reports the ward owes now are on its list, dated, linking to the
    // draft form (at least last month's, whatever today is).
    let reports: Vec<&Value> = v["items"].as_array().unwrap().iter().filter(|i| i["kind"] == "report").collect();
    assert!(!reports.is_empty(), "{v}");
    for r in &reports {
        assert!(r["due"].is_string() && r["link"].as_str().unwrap().starts_with("/reports?template="), "{r}");
    }
    let items: Vec<&Value> = v["items"].as_array().unwrap().iter().filter(|i| i["kind"] != "report").collect();
    let links: Vec<&str> = items.iter().map(|i| i["link"].as_str().unwrap()).collect();
    // Overdue first (the plan due two days ago, then the task due yesterday), then by date.
    assert_eq!(links, [format!("/directives/{d}"), format!("/tasks/{late}"), format!("/tasks/{soon}")], "{v}");
    assert_eq!(items[0]["kind"], "plan");
    assert_eq!((items[0]["overdue"].as_bool(), items[2]["overdue"].as_bool()), (Some(true), Some(false)));
    assert_eq!(items[2]["due"], day(3));
    // Another ward's list holds the plan only (and its reports); the viewer's is empty.
    let (_, v) = t.get_json(&p.ngoc_ha, "/api/v1/me/todo").await;
    assert_eq!(v["items"].as_array().unwrap().iter().filter(|i| i["kind"] != "report").count(), 1, "{v}");
    let (_, v) = t.get_json(&p.viewer, "/api/v1/me/todo").await;
    assert_eq!(v["items"].as_array().unwrap().len(), 0, "{v}");
    // A draft assessment of the ward's own residential area is on its list too.
    let (s, area) = t
        .post_json(
            &p.ba_dinh,
            "/api/v1/units",
            &json!({"parent_code": "00004", "name": "Tổ dân phố số 9", "division_type": "tổ dân phố"}),
        )
        .await;
    assert_eq!(s, 201, "{area}");
    let body = json!({"year": store::clock::current_year(), "instrument": "safe_unit", "unit_code": area["code"], "answers": []});
    let (s, a) = t.post_json(&p.ba_dinh, "/api/v1/assessments", &body).await;
    assert_eq!(s, 201, "{a}");
    let (_, v) = t.get_json(&p.ba_dinh, "/api/v1/me/todo").await;
    let mine = v["items"].as_array().unwrap().iter().find(|i| i["kind"] == "assessment").cloned().unwrap_or_default();
    assert_eq!(mine["link"], format!("/assessments/{}", a["id"]), "{v}");
    assert!(mine["due"].is_string(), "due by the campaign's deadline: {mine}");
    // Hà Nội's year at a glance: three assignments to its wards, one done, one
    // overdue; every ward late with its plan; Hồ Chí Minh City cannot look.
    let year = y;
    let (s, f) = t.get_json(&p.hanoi, &format!("/api/v1/stats/working-year?year={year}")).await;
    assert_eq!(s, 200, "{f}");
    assert_eq!(
        (f["assignments"].as_i64(), f["done"].as_i64(), f["overdue"].as_i64()),
        (Some(3), Some(1), Some(1)),
        "{f}"
    );
    assert_eq!(f["plans"][0]["directive_id"], d);
    assert_eq!(f["plans"][0]["late"], f["plans"][0]["expected"]);
    let (_, w) = t.get_json(&p.ba_dinh, &format!("/api/v1/stats/working-year?year={year}")).await;
    assert_eq!(
        (w["assignments"].as_i64(), w["plans"][0]["expected"].as_i64()),
        (Some(3), Some(1)),
        "a ward's own: {w}"
    );
    assert_eq!(t.get_json(&p.hcm, &format!("/api/v1/stats/working-year?unit=01&year={year}")).await.0, 404);
    // The home page shows the list first.
    let page = t.http.get(t.url("/")).bearer_auth(&p.ba_dinh).send().await.unwrap().text().await.unwrap();
    let (list, tiles) = (page.find("id=\"todo\"").unwrap(), page.find("class=\"tiles\"").unwrap());
    assert!(list < tiles, "the to-do list comes before the count tiles");
    assert!(page.contains("Tập huấn tổ bảo vệ"));
    p.t.stop().await;
}

async fn bad_input(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let task = json!({"title": "Nhiệm vụ", "due": day(10), "assignees": ["01"]});
    let task = created("task", t.post_json(&p.ministry, "/api/v1/tasks", &task).await);
    let (_, before) = t.get_json(&p.ministry, &format!("/api/v1/tasks/{task}")).await;
    let code = |b: &Value| b["error"]["fields"][0]["code"].as_str().map(str::to_string);
    // (what, who, path, body, status, message key)
    type Case<'a> = (&'a str, &'a String, String, Value, u16, Option<&'a str>);
    let cases: Vec<Case> = vec![
        (
            "due before issue",
            &p.ministry,
            "/api/v1/tasks".into(),
            json!({"title": "x", "due": day(-5), "issued_on": day(-1), "assignees": ["01"]}),
            422,
            Some("task.due_before_issue"),
        ),
        (
            "no assignee",
            &p.ministry,
            "/api/v1/tasks".into(),
            json!({"title": "x", "due": day(5), "assignees": []}),
            422,
            Some("task.no_assignee"),
        ),
        (
            "commune from the ministry",
            &p.ministry,
            "/api/v1/tasks".into(),
            json!({"title": "x", "due": day(5), "assignees": ["00004"]}),
            422,
            Some("task.assignee_not_below"),
        ),
        (
            "outside scope",
            &p.hanoi,
            "/api/v1/tasks".into(),
            json!({"title": "x", "due": day(5), "assignees": ["25747"]}),
            404,
            None,
        ),
        (
            "unknown unit",
            &p.hanoi,
            "/api/v1/tasks".into(),
            json!({"title": "x", "due": day(5), "assignees": ["99999"]}),
            404,
            None,
        ),
        (
            "percent above 100",
            &p.hanoi,
            format!("/api/v1/tasks/{task}/progress"),
            json!({"percent": 101, "note": ""}),
            422,
            Some("task.percent_invalid"),
        ),
        (
            "value without indicator",
            &p.hanoi,
            format!("/api/v1/tasks/{task}/progress"),
            json!({"percent": 5, "value": 3}),
            422,
            Some("task.no_indicator"),
        ),
        (
            "another unit's assignment",
            &p.hcm,
            format!("/api/v1/tasks/{task}/progress"),
            json!({"unit_code": "01", "percent": 5}),
            404,
            None,
        ),
        ("not assigned", &p.hcm, format!("/api/v1/tasks/{task}/progress"), json!({"percent": 5}), 404, None),
        (
            "bad directive kind",
            &p.ministry,
            "/api/v1/directives".into(),
            json!({"kind": "memo", "number": "1", "issued_on": day(0), "title": "x"}),
            422,
            Some("directive.kind_unknown"),
        ),
        (
            "plans due before issue",
            &p.ministry,
            "/api/v1/directives".into(),
            json!({"kind": "plan", "number": "1", "issued_on": day(0), "title": "x", "plans_due": day(-1), "plans_from": "province"}),
            422,
            Some("directive.plans_due_before_issue"),
        ),
        (
            "line break in a title",
            &p.ministry,
            "/api/v1/directives".into(),
            json!({"kind": "plan", "number": "1", "issued_on": day(0), "title": "a\nb"}),
            422,
            Some("text.control_characters"),
        ),
        (
            "empty proposal",
            &p.hanoi,
            format!("/api/v1/tasks/{task}/proposals"),
            json!({"body": "  "}),
            422,
            Some("proposal.body_empty"),
        ),
        ("viewer reports", &p.viewer, format!("/api/v1/tasks/{task}/progress"), json!({"percent": 5}), 403, None),
    ];
    for (what, token, path, body, status, key) in cases {
        let (s, b) = t.post_json(token, &path, &body).await;
        assert_eq!(s, status, "{what}: {b}");
        if key.is_some() {
            assert_eq!(code(&b).as_deref(), key, "{what}: {b}");
        }
        assert!(b["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: a translated message: {b}");
    }
    let (_, after) = t.get_json(&p.ministry, &format!("/api/v1/tasks/{task}")).await;
    assert_eq!(before, after, "nothing stored");
    let (_, list) = t.get_json(&p.ministry, "/api/v1/directives").await;
    assert_eq!(list["total"], 0, "no directive stored");
    let (_, todo) = t.get_json(&p.ministry, "/api/v1/me/todo").await;
    assert_eq!(todo["items"].as_array().unwrap().len(), 0, "no proposal stored: {todo}");
    let (_, prog) =
        t.get_json(&p.ministry, &format!("/api/v1/programme?unit=VN&year={}", store::clock::current_year())).await;
    assert_eq!(prog["tasks"].as_array().unwrap().len(), 1, "one task only: {prog}");
    p.t.stop().await;
}

async fn inspections(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let body = json!({"title": "Kiểm tra phong trào năm", "targets": ["01", "79"], "from": day(-10), "to": day(-8)});
    let id = created("inspection", t.post_json(&p.ministry, "/api/v1/inspections", &body).await);
    let finding = |unit: &str, due: String| json!({"unit_code": unit, "text": "Chưa ban hành kế hoạch triển khai Chỉ thị 07", "recommendation": "Ban hành kế hoạch trong tháng", "follow_up_due": due});
    let (s, f) = t.post_json(&p.ministry, &format!("/api/v1/inspections/{id}/findings"), &finding("01", day(20))).await;
    assert_eq!(s, 201, "{f}");
    let task = f["task_id"].as_i64().unwrap();
    let (s, f2) =
        t.post_json(&p.ministry, &format!("/api/v1/inspections/{id}/findings"), &finding("79", day(20))).await;
    assert_eq!(s, 201, "{f2}");
    // The follow-up is a task of Hà Nội's: on its to-do list, reported like any task.
    let (_, todo) = t.get_json(&p.hanoi, "/api/v1/me/todo").await;
    assert!(todo["items"].as_array().unwrap().iter().any(|i| i["link"] == format!("/tasks/{task}")), "{todo}");
    let (_, v) = t.get_json(&p.ministry, &format!("/api/v1/inspections/{id}")).await;
    assert_eq!((v["status"].as_str(), v["items"].as_array().unwrap().len()), (Some("follow_up"), 2), "{v}");
    // A target sees its own findings only; a ward sees nothing.
    let (s, v) = t.get_json(&p.hcm, &format!("/api/v1/inspections/{id}")).await;
    assert_eq!((s, v["items"].as_array().unwrap().len(), v["targets"].as_array().unwrap().len()), (200, 1, 1), "{v}");
    assert_eq!(t.get_json(&p.ba_dinh, &format!("/api/v1/inspections/{id}")).await.0, 404);
    // Only the team records findings; a unit that is not a target is refused.
    assert_eq!(
        t.post_json(&p.hanoi, &format!("/api/v1/inspections/{id}/findings"), &finding("01", day(20))).await.0,
        404
    );
    let (s, b) = t.post_json(&p.ministry, &format!("/api/v1/inspections/{id}/findings"), &finding("48", day(20))).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("inspection.not_a_target")), "{b}");
    let (s, b) =
        t.post_json(&p.ministry, &format!("/api/v1/inspections/{id}/findings"), &finding("01", day(-30))).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("inspection.due_before_start")), "{b}");
    // Both follow-ups done: the inspection is closed.
    assert_eq!(progress(t, &p.hanoi, task, "01", 100, Value::Null).await.0, 201);
    let (_, v) = t.get_json(&p.ministry, &format!("/api/v1/inspections/{id}")).await;
    assert_eq!(v["status"], "follow_up");
    assert_eq!(progress(t, &p.hcm, f2["task_id"].as_i64().unwrap(), "79", 100, Value::Null).await.0, 201);
    let (_, v) = t.get_json(&p.ministry, &format!("/api/v1/inspections/{id}")).await;
    assert_eq!(v["status"], "closed", "{v}");
    // The year's figures: one planned for later, one done; findings all remedied.
    let later = json!({"title": "Kiểm tra chuyên đề", "targets": ["01"], "from": day(5), "to": day(6)});
    created("inspection", t.post_json(&p.ministry, "/api/v1/inspections", &later).await);
    let year = &day(-10)[..4];
    let (_, l) = t.get_json(&p.ministry, &format!("/api/v1/inspections?year={year}")).await;
    if year == &day(5)[..4] {
        assert_eq!((l["planned"].as_i64(), l["done"].as_i64()), (Some(2), Some(1)), "{l}");
    }
    assert_eq!((l["findings"].as_i64(), l["findings_open"].as_i64()), (Some(2), Some(0)), "{l}");
    // Bad input: no target, dates the wrong way round, a unit outside scope, oneself.
    for (who, body, status) in [
        (&p.ministry, json!({"title": "x", "targets": [], "from": day(0), "to": day(1)}), 422),
        (&p.ministry, json!({"title": "x", "targets": ["01"], "from": day(2), "to": day(1)}), 422),
        (&p.hanoi, json!({"title": "x", "targets": ["25747"], "from": day(0), "to": day(1)}), 404),
        (&p.hanoi, json!({"title": "x", "targets": ["01"], "from": day(0), "to": day(1)}), 422),
    ] {
        let (s, b) = t.post_json(who, "/api/v1/inspections", &body).await;
        assert_eq!(s, status, "{body}: {b}");
    }
    let (_, l) = t.get_json(&p.hanoi, &format!("/api/v1/inspections?year={}", &day(0)[..4])).await;
    assert!(l["items"].as_array().unwrap().iter().all(|i| i["unit_code"] == "VN"), "nothing of Hà Nội's stored: {l}");
    p.t.stop().await;
}

async fn organisation_targets(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let org = |name: &str, unit: &str, tax: &str| json!({"name": name, "kind": "enterprise", "unit_code": unit, "tax_code": tax});
    let ours = created(
        "org",
        t.post_json(&p.hanoi, "/api/v1/organisations", &org("Công ty May Ba Đình", "00004", "0100000001")).await,
    );
    let also = created(
        "org",
        t.post_json(&p.hanoi, "/api/v1/organisations", &org("Trường THCS Ba Đình", "00004", "0100000002")).await,
    );
    let theirs = created(
        "org",
        t.post_json(&p.hcm, "/api/v1/organisations", &org("Công ty Sài Gòn", "25747", "0300000001")).await,
    );
    // Hà Nội inspects two organisations of one ward and the ward itself.
    let body = json!({"title": "Kiểm tra cơ quan, doanh nghiệp", "targets": ["00004"], "organisations": [ours, also], "from": day(-3), "to": day(-2)});
    let id = created("inspection", t.post_json(&p.hanoi, "/api/v1/inspections", &body).await);
    let (_, v) = t.get_json(&p.hanoi, &format!("/api/v1/inspections/{id}")).await;
    let names: Vec<&str> =
        v["targets"].as_array().unwrap().iter().filter_map(|x| x["organisation_name"].as_str()).collect();
    assert_eq!(names.len(), 2, "{v}");
    assert!(names.contains(&"Công ty May Ba Đình"), "{v}");
    // A finding on the enterprise: the follow-up goes to the ward managing it.
    let finding = json!({"organisation_id": ours, "text": "Chưa có phương án bảo vệ", "recommendation": "Xây dựng phương án bảo vệ", "follow_up_due": day(20)});
    let (s, f) = t.post_json(&p.hanoi, &format!("/api/v1/inspections/{id}/findings"), &finding).await;
    assert_eq!(s, 201, "{f}");
    let task = f["task_id"].as_i64().unwrap();
    let (_, tv) = t.get_json(&p.ba_dinh, &format!("/api/v1/tasks/{task}")).await;
    assert_eq!(tv["assignees"][0]["unit_code"], "00004", "{tv}");
    assert!(tv["title"].as_str().unwrap().contains("Công ty May Ba Đình"), "{tv}");
    // The ward sees the inspection with its finding on the enterprise.
    let (s, v) = t.get_json(&p.ba_dinh, &format!("/api/v1/inspections/{id}")).await;
    assert_eq!((s, v["items"][0]["organisation_name"].as_str()), (200, Some("Công ty May Ba Đình")), "{v}");
    // An organisation not inspected (422), one outside the scope (404), named twice (422).
    let other = created(
        "org",
        t.post_json(&p.hanoi, "/api/v1/organisations", &org("Công ty Khác", "00008", "0100000003")).await,
    );
    let on = |o: i64| json!({"organisation_id": o, "text": "x", "recommendation": "y", "follow_up_due": day(20)});
    let (s, b) = t.post_json(&p.hanoi, &format!("/api/v1/inspections/{id}/findings"), &on(other)).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (422, Some("inspection.not_a_target")), "{b}");
    for (body, status) in [
        (json!({"title": "x", "organisations": [theirs], "from": day(0), "to": day(1)}), 404),
        (json!({"title": "x", "organisations": [ours, ours], "from": day(0), "to": day(1)}), 422),
        (json!({"title": "x", "organisations": [999_999], "from": day(0), "to": day(1)}), 404),
    ] {
        let (s, b) = t.post_json(&p.hanoi, "/api/v1/inspections", &body).await;
        assert_eq!(s, status, "{body}: {b}");
    }
    // A ward may inspect an enterprise of its own.
    let body = json!({"title": "Kiểm tra doanh nghiệp", "organisations": [ours], "from": day(0), "to": day(1)});
    created("inspection", t.post_json(&p.ba_dinh, "/api/v1/inspections", &body).await);
    p.t.stop().await;
}

/// The text of a DOCX's main part and its styles (the default font).
fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    for part in ["word/document.xml", "word/styles.xml"] {
        zip.by_name(part).unwrap().read_to_string(&mut xml).unwrap();
    }
    xml
}

async fn get_bytes(t: &TestApp, token: &str, path: &str) -> (u16, String, Vec<u8>) {
    let r = t.http.get(t.url(path)).bearer_auth(token).send().await.unwrap();
    let s = r.status().as_u16();
    let ct = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (s, ct, r.bytes().await.unwrap().to_vec())
}

async fn reports(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let year = store::clock::current_year();
    let quarter = format!("{year}-Q{}", (chrono::Datelike::month(&store::clock::today()) - 1) / 3 + 1);
    // Something to count: a task of the ward due in this quarter, done.
    let task = json!({"title": "Tập huấn", "due": day(0), "assignees": ["00004"]});
    let task = created("task", t.post_json(&p.hanoi, "/api/v1/tasks", &task).await);
    assert_eq!(progress(t, &p.ba_dinh, task, "00004", 100, Value::Null).await.0, 201);

    let body = json!({"template": "quarter", "period": quarter, "unit_code": "00004"});
    let (s, b) = t.post_json(&p.ba_dinh, "/api/v1/reports", &body).await;
    assert_eq!(s, 201, "{b}");
    let ward = b["id"].as_i64().unwrap();
    assert_eq!(
        (b["figures"]["tasks"]["assigned"].as_i64(), b["figures"]["tasks"]["done"].as_i64()),
        (Some(1), Some(1)),
        "{b}"
    );
    assert_eq!(b["figures"]["period"]["code"], quarter);
    let (s, b) = t.post_json(&p.ba_dinh, "/api/v1/reports", &body).await;
    assert_eq!((s, b["error"]["code"].as_str()), (409, Some("report.exists")));
    // The ward writes its text and submits; a second submit is refused.
    let text = json!({"sections": [
        {"heading": "Tình hình chung", "text": "Tình hình an ninh trật tự trên địa bàn phường ổn định."},
        {"heading": "Kết quả thực hiện", "text": "Hoàn thành tập huấn cho 12 tổ bảo vệ an ninh trật tự."},
        {"heading": "Khó khăn, vướng mắc", "text": ""},
        {"heading": "Phương hướng, nhiệm vụ kỳ tới; đề xuất, kiến nghị", "text": "Đề nghị bổ sung kinh phí."}]});
    let (s, v) = t.put_json(&p.ba_dinh, &format!("/api/v1/reports/{ward}"), &text).await;
    assert_eq!(
        (s, v["sections"][1]["text"].as_str()),
        (200, Some("Hoàn thành tập huấn cho 12 tổ bảo vệ an ninh trật tự.")),
        "{v}"
    );
    let (s, v) = t.post_json(&p.ba_dinh, &format!("/api/v1/reports/{ward}/submit"), &json!({})).await;
    assert_eq!((s, v["status"].as_str()), (200, Some("submitted")), "{v}");
    let (s, b) = t.post_json(&p.ba_dinh, &format!("/api/v1/reports/{ward}/submit"), &json!({})).await;
    assert_eq!((s, b["error"]["code"].as_str()), (409, Some("report.already_submitted")));
    assert_eq!(t.put_json(&p.ba_dinh, &format!("/api/v1/reports/{ward}"), &text).await.0, 409);
    // Hà Nội sees who has submitted, returns it with reasons; the ward submits again.
    assert_eq!(t.get_json(&p.hcm, &format!("/api/v1/reports/{ward}")).await.0, 404);
    assert_eq!(
        t.post_json(&p.ba_dinh, &format!("/api/v1/reports/{ward}/return"), &json!({"reason": "x"})).await.0,
        403
    );
    assert_eq!(t.post_json(&p.hanoi, &format!("/api/v1/reports/{ward}/return"), &json!({"reason": " "})).await.0, 422);
    let (s, v) = t
        .post_json(&p.hanoi, &format!("/api/v1/reports/{ward}/return"), &json!({"reason": "Bổ sung số liệu mô hình"}))
        .await;
    assert_eq!(
        (s, v["status"].as_str(), v["return_reason"].as_str()),
        (200, Some("returned"), Some("Bổ sung số liệu mô hình")),
        "{v}"
    );
    assert_eq!(t.post_json(&p.ba_dinh, &format!("/api/v1/reports/{ward}/submit"), &json!({})).await.0, 200);
    // Hà Nội's to-do: a report of its wards waits to be compiled.
    let (_, todo) = t.get_json(&p.hanoi, "/api/v1/me/todo").await;
    let compile = format!("/reports?template=quarter&period={quarter}");
    assert!(todo["items"].as_array().unwrap().iter().any(|i| i["link"] == compile), "{todo}");
    // Hà Nội compiles its own: its wards' texts gathered by unit, figures of its scope.
    let (s, b) = t.post_json(&p.hanoi, "/api/v1/reports", &json!({"template": "quarter", "period": quarter})).await;
    assert_eq!(s, 201, "{b}");
    let hn = b["id"].as_i64().unwrap();
    assert_eq!(b["figures"]["tasks"]["done"], 1, "the ward's task is inside Hà Nội's scope: {b}");
    let (_, v) = t.get_json(&p.hanoi, &format!("/api/v1/reports/{hn}")).await;
    let general = v["sections"][0]["text"].as_str().unwrap();
    assert!(general.contains("Phường Ba Đình: Tình hình an ninh trật tự"), "{v}");
    let (_, units) = t.get_json("", "/api/v1/units?level=commune&parent=01&size=1").await;
    assert_eq!(v["submitted_share"], format!("1/{}", units["total"]));
    let (_, todo) = t.get_json(&p.hanoi, "/api/v1/me/todo").await;
    assert!(!todo["items"].as_array().unwrap().iter().any(|i| i["link"] == compile), "compiled: {todo}");
    // The ministry gets a national report.
    let (s, b) =
        t.post_json(&p.ministry, "/api/v1/reports", &json!({"template": "year", "period": year.to_string()})).await;
    assert_eq!(s, 201, "{b}");
    let nation = b["id"].as_i64().unwrap();
    let (_, v) = t.get_json(&p.ministry, &format!("/api/v1/reports/{nation}")).await;
    assert_eq!(v["children"].as_array().unwrap().len(), 34);
    // The documents: DOCX in the administrative layout with the text and the figures; PDF.
    let (s, ct, bytes) = get_bytes(t, &p.ba_dinh, &format!("/api/v1/reports/{ward}/document.docx")).await;
    assert_eq!(s, 200);
    assert!(ct.contains("wordprocessingml"), "{ct}");
    let xml = docx_text(&bytes);
    for want in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BÁO CÁO",
        "CÔNG AN PHƯỜNG BA ĐÌNH",
        "Hoàn thành tập huấn cho 12 tổ",
        "Nhiệm vụ: hoàn thành / được giao; quá hạn",
        "1/1; 0",
        "Nơi nhận:",
        "Times New Roman",
    ] {
        assert!(xml.contains(want), "DOCX lacks {want:?}");
    }
    assert!(xml.contains("w:w=\"11906\""), "A4 width");
    let (s, ct, pdf) = get_bytes(t, &p.hanoi, &format!("/api/v1/reports/{hn}/document.pdf")).await;
    assert_eq!((s, ct.as_str()), (200, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(get_bytes(t, &p.hcm, &format!("/api/v1/reports/{hn}/document.docx")).await.0, 404);
    // Bad input: a period not begun, a period of another kind, an unknown kind, another unit.
    for (body, status, key) in [
        (json!({"template": "year", "period": (year + 1).to_string()}), 422, "report.period_not_begun"),
        (json!({"template": "quarter", "period": format!("{year}-Q5")}), 422, "report.period_invalid"),
        (json!({"template": "month", "period": format!("{year}")}), 422, "report.period_invalid"),
        (json!({"template": "weekly", "period": format!("{year}")}), 422, "report.template_unknown"),
    ] {
        let (s, b) = t.post_json(&p.hcm, "/api/v1/reports", &body).await;
        assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (status, Some(key)), "{body}: {b}");
    }
    assert_eq!(
        t.post_json(
            &p.hanoi,
            "/api/v1/reports",
            &json!({"template": "year", "period": year.to_string(), "unit_code": "00004"})
        )
        .await
        .0,
        403
    );
    assert_eq!(
        t.post_json(&p.viewer, "/api/v1/reports", &json!({"template": "year", "period": year.to_string()})).await.0,
        403
    );
    p.t.stop().await;
}

async fn five_year_review(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let body = json!({"kind": "directive", "number": "09/CT-BCA", "issued_on": "2021-03-01", "title": "Về tăng cường công tác dân vận", "plans_due": "2021-04-30", "plans_from": "province"});
    let d = created("directive", t.post_json(&p.ministry, "/api/v1/directives", &body).await);
    let review = json!({"template": "five_year", "period": "2021-2025", "directive_id": d});
    let (s, b) = t.post_json(&p.hanoi, "/api/v1/reports", &review).await;
    assert_eq!(s, 201, "{b}");
    let id = b["id"].as_i64().unwrap();
    assert_eq!(b["figures"]["by_year"].as_array().unwrap().len(), 5, "{b}");
    assert_eq!(
        (b["figures"]["directive"]["number"].as_str(), b["figures"]["period"]["from"].as_str()),
        (Some("09/CT-BCA"), Some("2021-01-01"))
    );
    let (s, b) = t.post_json(&p.hanoi, "/api/v1/reports", &review).await;
    assert_eq!((s, b["error"]["code"].as_str()), (409, Some("report.exists")), "one review per directive and period");
    // Another directive's review of the same years is another report.
    let body = json!({"kind": "directive", "number": "07/CT-BCA", "issued_on": "2021-02-01", "title": "Về cơ quan, doanh nghiệp"});
    let d7 = created("directive", t.post_json(&p.ministry, "/api/v1/directives", &body).await);
    created(
        "review",
        t.post_json(
            &p.hanoi,
            "/api/v1/reports",
            &json!({"template": "five_year", "period": "2021-2025", "directive_id": d7}),
        )
        .await,
    );
    let (_, v) = t.get_json(&p.hanoi, &format!("/api/v1/reports/{id}")).await;
    assert_eq!((v["template"].as_str(), v["directive_id"].as_i64()), (Some("five_year"), Some(d)), "{v}");
    assert_eq!(v["sections"][3]["heading"], "Bài học kinh nghiệm", "a review's own outline: {v}");
    let (s, _, bytes) = get_bytes(t, &p.hanoi, &format!("/api/v1/reports/{id}/document.docx")).await;
    assert_eq!(s, 200);
    let xml = docx_text(&bytes);
    assert!(xml.contains("Tổng kết 5 năm thực hiện 09/CT-BCA"), "the review's summary names the directive");
    assert!(xml.contains("Năm 2021: công nhận"), "figures year by year");
    // Bad input: no directive, a directive on a month report, a period not of five
    // years, a directive not seen (404), a period not begun.
    for (body, status, key) in [
        (json!({"template": "five_year", "period": "2021-2025"}), 422, Some("report.directive_required")),
        (
            json!({"template": "month", "period": "2026-01", "directive_id": d}),
            422,
            Some("report.directive_not_allowed"),
        ),
        (
            json!({"template": "five_year", "period": "2021-2024", "directive_id": d}),
            422,
            Some("report.period_invalid"),
        ),
        (
            json!({"template": "five_year", "period": "2031-2035", "directive_id": d}),
            422,
            Some("report.period_not_begun"),
        ),
        (json!({"template": "five_year", "period": "2021-2025", "directive_id": 999_999}), 404, None),
    ] {
        let (s, b) = t.post_json(&p.hcm, "/api/v1/reports", &body).await;
        assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (status, key), "{body}: {b}");
    }
    p.t.stop().await;
}

async fn accepted_reports(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let body = json!({"template": "month", "period": "2026-11"});
    let id = created("report", t.post_json(&p.ba_dinh, "/api/v1/reports", &body).await);
    let accept = format!("/api/v1/reports/{id}/accept");
    let (s, b) = t.post_json(&p.hanoi, &accept, &json!({})).await;
    assert_eq!((s, b["error"]["code"].as_str()), (409, Some("report.not_submitted")), "a draft is not accepted");
    assert_eq!(t.post_json(&p.ba_dinh, &format!("/api/v1/reports/{id}/submit"), &json!({})).await.0, 200);
    assert_eq!(t.post_json(&p.ba_dinh, &accept, &json!({})).await.0, 403, "not one's own");
    assert_eq!(t.post_json(&p.hcm, &accept, &json!({})).await.0, 404, "not another province's");
    assert_eq!(t.post_json(&p.viewer, &accept, &json!({})).await.0, 403);
    let (s, v) = t.post_json(&p.hanoi, &accept, &json!({})).await;
    assert_eq!((s, v["status"].as_str()), (200, Some("accepted")), "{v}");
    // Final: no return, no edit, no second accept.
    let (s, b) = t.post_json(&p.hanoi, &format!("/api/v1/reports/{id}/return"), &json!({"reason": "Bổ sung"})).await;
    assert_eq!((s, b["error"]["code"].as_str()), (409, Some("report.already_accepted")));
    let text = json!({"sections": [{"heading": "Tình hình chung", "text": "Sửa"}]});
    assert_eq!(t.put_json(&p.ba_dinh, &format!("/api/v1/reports/{id}"), &text).await.0, 409);
    assert_eq!(t.post_json(&p.hanoi, &accept, &json!({})).await.0, 409);
    // Accepted counts as sent: Hà Nội's compiled report gathers it, and the ward no
    // longer owes that month.
    let (_, hn) = t.post_json(&p.hanoi, "/api/v1/reports", &body).await;
    let (_, v) = t.get_json(&p.hanoi, &format!("/api/v1/reports/{}", hn["id"])).await;
    assert!(v["submitted_share"].as_str().unwrap().starts_with("1/"), "{v}");
    let (_, todo) = t.get_json(&p.ba_dinh, "/api/v1/me/todo").await;
    assert!(
        !todo["items"].as_array().unwrap().iter().any(|i| i["link"].as_str().unwrap().contains("period=2026-11")),
        "{todo}"
    );
    p.t.stop().await;
}

/// The titles of an account's latest notices.
async fn notices(t: &TestApp, token: &str) -> Vec<String> {
    let page = t.http.get(t.url("/")).bearer_auth(token).send().await.unwrap().text().await.unwrap();
    page.split("<li><b>").skip(1).map(|s| s.split("</b>").next().unwrap_or_default().to_string()).collect()
}

async fn reminders(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let soon = json!({"title": "Báo cáo quý", "due": day(2), "assignees": ["00004"]});
    let soon = created("task", t.post_json(&p.hanoi, "/api/v1/tasks", &soon).await);
    let late = json!({"title": "Tập huấn", "due": day(-1), "issued_on": day(-9), "assignees": ["00004", "00008"]});
    let late = created("task", t.post_json(&p.hanoi, "/api/v1/tasks", &late).await);
    let later = json!({"title": "Tổng kết năm", "due": day(30), "assignees": ["00004"]});
    created("task", t.post_json(&p.hanoi, "/api/v1/tasks", &later).await);
    assert_eq!(progress(t, &p.ngoc_ha, late, "00008", 100, Value::Null).await.0, 201);
    let ask = json!({"body": "Đề nghị hướng dẫn"});
    let asked = created("proposal", t.post_json(&p.ba_dinh, &format!("/api/v1/tasks/{soon}/proposals"), &ask).await);

    let now = store::clock::now_ms();
    // Two reminders for Ba Đình (due soon, overdue); Ngọc Hà's is done; the proposal is young.
    assert_eq!(t.app.schedule_task_reminders(now).await.unwrap(), 2);
    assert_eq!(t.app.schedule_proposal_escalations(now).await.unwrap(), 0);
    assert_eq!(t.app.schedule_task_reminders(now).await.unwrap(), 0, "scheduling is idempotent");
    assert!(t.app.run_due_jobs(now).await.unwrap() >= 2);
    let seen = notices(t, &p.ba_dinh).await;
    assert!(seen.iter().any(|n| n == "Sắp đến hạn: Báo cáo quý"), "{seen:?}");
    assert!(seen.iter().any(|n| n == "Quá hạn: Tập huấn"), "{seen:?}");
    assert!(notices(t, &p.ngoc_ha).await.is_empty(), "a done assignment is not reminded");
    // Sixteen days on, unanswered: Hà Nội (addressed) and the ministry (above) are told.
    let later = now + 16 * 86_400_000;
    assert!(t.app.schedule_working_year_jobs(later).await.unwrap() >= 1);
    t.app.run_due_jobs(later).await.unwrap();
    let title = "Kiến nghị chưa được trả lời: Phường Ba Đình".to_string();
    assert!(notices(t, &p.hanoi).await.contains(&title), "{:?}", notices(t, &p.hanoi).await);
    assert!(notices(t, &p.ministry).await.contains(&title));
    // Once answered, nothing more is queued for it.
    assert_eq!(t.post_json(&p.hanoi, &format!("/api/v1/proposals/{asked}/answer"), &ask).await.0, 200);
    assert_eq!(t.app.schedule_proposal_escalations(later).await.unwrap(), 0);
    p.t.stop().await;
}

/// Milliseconds at noon in Vietnam on a YYYY-MM-DD day.
fn noon_ms(day: &str) -> i64 {
    let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    domain::clock::vietnam_hour_ms(d, 12).unwrap()
}

async fn report_reminders(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    // 3 December 2026: November's month report is due on the 5th (soon) and
    // October's was due on 5 November (overdue, still owed until 6 December).
    let now = noon_ms("2026-12-03");
    assert_eq!(t.app.schedule_report_reminders(now).await.unwrap(), 2);
    assert_eq!(t.app.schedule_report_reminders(now).await.unwrap(), 0, "scheduling is idempotent");
    // Ba Đình sends November's before the reminders run: it is told about October only.
    let body = json!({"template": "month", "period": "2026-11"});
    let id = created("report", t.post_json(&p.ba_dinh, "/api/v1/reports", &body).await);
    assert_eq!(t.post_json(&p.ba_dinh, &format!("/api/v1/reports/{id}/submit"), &json!({})).await.0, 200);
    assert!(t.app.run_due_jobs(now).await.unwrap() >= 2);
    let (soon, late) = ("Sắp đến hạn gửi: Báo cáo tháng 11 năm 2026", "Quá hạn gửi: Báo cáo tháng 10 năm 2026");
    let seen = notices(t, &p.ba_dinh).await;
    assert!(seen.iter().any(|n| n == late) && !seen.iter().any(|n| n == soon), "{seen:?}");
    let seen = notices(t, &p.ngoc_ha).await;
    assert!(seen.iter().any(|n| n == late) && seen.iter().any(|n| n == soon), "{seen:?}");
    assert!(notices(t, &p.hanoi).await.iter().any(|n| n == soon), "a province reports to the ministry");
    assert!(notices(t, &p.ministry).await.is_empty(), "the ministry reports to no one above it in the system");
    // Running again tells nobody twice.
    t.app.run_due_jobs(now).await.unwrap();
    assert_eq!(notices(t, &p.ngoc_ha).await.iter().filter(|n| *n == soon).count(), 1);
    p.t.stop().await;
}

async fn files(db: &TestDb) {
    let p = people(db).await;
    let t = &p.t;
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let body = json!({"kind": "plan", "number": "20/KH", "issued_on": day(-3), "title": "Kế hoạch năm", "plans_due": day(20), "plans_from": "commune"});
    let d = created("directive", t.post_json(&p.hanoi, "/api/v1/directives", &body).await);
    // The issuer attaches the document; nobody else may.
    let (s, f) = t
        .post_raw(
            &p.hanoi,
            &format!("/api/v1/directives/{d}/files?filename=K%E1%BA%BF%20ho%E1%BA%A1ch.pdf"),
            "application/pdf",
            pdf.clone(),
        )
        .await;
    assert_eq!(s, 201, "{f}");
    assert_eq!((f["filename"].as_str(), f["content_type"].as_str()), (Some("Kế hoạch.pdf"), Some("application/pdf")));
    assert_eq!(
        t.post_raw(&p.ba_dinh, &format!("/api/v1/directives/{d}/files"), "application/pdf", pdf.clone()).await.0,
        403
    );
    assert_eq!(
        t.post_raw(&p.hcm, &format!("/api/v1/directives/{d}/files"), "application/pdf", pdf.clone()).await.0,
        404
    );
    let (s, b) = t.post_raw(&p.hanoi, &format!("/api/v1/directives/{d}/files"), "text/plain", b"hello".to_vec()).await;
    assert_eq!((s, b["error"]["code"].as_str()), (415, Some("evidence.type")), "{b}");
    // A ward below sees and downloads it; another province does not.
    let (_, list) = t.get_json(&p.ba_dinh, &format!("/api/v1/directives/{d}/files")).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    let (s, _, bytes) = get_bytes(t, &p.ba_dinh, &format!("/api/v1/files/{}", f["id"])).await;
    assert_eq!((s, bytes), (200, pdf.clone()));
    assert_eq!(get_bytes(t, &p.hcm, &format!("/api/v1/files/{}", f["id"])).await.0, 404);
    // An assignee attaches to its own assignment; the other ward sees only its own.
    let task = json!({"title": "Tập huấn", "due": day(5), "assignees": ["00004", "00008"]});
    let task = created("task", t.post_json(&p.hanoi, "/api/v1/tasks", &task).await);
    let (s, g) = t
        .post_raw(
            &p.ba_dinh,
            &format!("/api/v1/tasks/{task}/files?filename=bien-ban.pdf"),
            "application/pdf",
            pdf.clone(),
        )
        .await;
    assert_eq!(s, 201, "{g}");
    assert_eq!(t.post_raw(&p.hcm, &format!("/api/v1/tasks/{task}/files"), "application/pdf", pdf.clone()).await.0, 404);
    let (_, mine) = t.get_json(&p.hanoi, &format!("/api/v1/tasks/{task}/files")).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1, "the issuer sees every assignee's files");
    let (_, theirs) = t.get_json(&p.ngoc_ha, &format!("/api/v1/tasks/{task}/files")).await;
    assert_eq!(theirs["items"].as_array().unwrap().len(), 0, "not another ward's");
    assert_eq!(get_bytes(t, &p.ngoc_ha, &format!("/api/v1/files/{}", g["id"])).await.0, 404);
    assert_eq!(t.post_raw(&p.viewer, &format!("/api/v1/tasks/{task}/files"), "application/pdf", pdf).await.0, 403);
    // The task page lists the file for the issuer.
    let page =
        t.http.get(t.url(&format!("/tasks/{task}"))).bearer_auth(&p.hanoi).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("bien-ban.pdf"), "listed on the page");
    p.t.stop().await;
}
