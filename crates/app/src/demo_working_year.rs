//! The labelled demo's working year: a ministry directive asking the provinces for
//! plans (Hà Nội's recorded), Hà Nội's directive asking its communes, key tasks of
//! the ministry and of Hà Nội (one passed on to the demo wards, one overdue),
//! progress, a proposal answered and one waiting, an inspection with a follow-up,
//! and a ward's submitted monthly report. Every title carries the demo label. Made
//! through the use cases, as the people they stand for would; `app::demo` says
//! which units (`DemoUnits`).

use crate::directives::{DirectiveInput, PlanInput};
use crate::error::AppResult;
use crate::inspections::{FindingInput, InspectionInput};
use crate::proposals::{About, ProposalInput};
use crate::reports::{ReportInput, Section, SectionsInput};
use crate::tasks::{IndicatorInput, ProgressInput, TaskInput};
use crate::{Actor, App};

async fn actor(app: &App, username: &str) -> AppResult<Actor> {
    let user = app.store.user_by_username(username).await?;
    app.actor_for(&user, String::new(), "demo".into()).await
}

fn day(offset: i64) -> String {
    (store::clock::today() + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string()
}

/// The demo's label and units: Hà Nội and two of its wards.
#[derive(Debug, Clone, Copy)]
pub struct DemoUnits<'a> {
    /// The label every demo title starts with.
    pub label: &'a str,
    /// The province.
    pub province: &'a str,
    /// The first ward (its officer is `demo.commune`).
    pub ward: &'a str,
    /// A second ward.
    pub ward2: &'a str,
}

fn task(label: &str, title: &str, due: i64, assignees: &[&str], parent: Option<i64>) -> TaskInput {
    TaskInput {
        title: format!("{label} {title}"),
        due: day(due),
        assignees: assignees.iter().map(|a| a.to_string()).collect(),
        directive_id: None,
        parent_id: parent,
        indicator: None,
        issued_on: Some(day(-45)),
        year: Some(store::clock::current_year()),
    }
}

fn progress(percent: i64, note: &str) -> ProgressInput {
    ProgressInput { unit_code: None, percent, value: None, note: Some(note.into()) }
}

/// Loads the demo's working year (after the demo accounts exist).
pub async fn load_demo_working_year(app: &App, u: DemoUnits<'_>) -> AppResult<()> {
    let label = u.label;
    let (ministry, province) = (actor(app, "demo.ministry").await?, actor(app, "demo.province").await?);
    let ward = actor(app, "demo.commune").await?;
    let directive = DirectiveInput {
        kind: "directive".into(),
        number: "07/CT-BCA".into(),
        issued_on: day(-60),
        title: format!("{label} Chỉ thị về tăng cường phong trào trong cơ quan, doanh nghiệp, nhà trường"),
        summary: Some("Các địa phương ban hành kế hoạch triển khai.".into()),
        partners: None,
        unit_code: None,
        plans_due: Some(day(-30)),
        plans_from: Some("province".into()),
    };
    let d = app.create_directive(&ministry, &directive).await?;
    let plan = PlanInput {
        number: "15/KH-CAHN".into(),
        issued_on: day(-35),
        title: format!("{label} Kế hoạch thực hiện Chỉ thị"),
    };
    app.record_plan(&province, d, &plan).await?;
    let local = DirectiveInput {
        kind: "plan".into(),
        number: "20/KH-CAHN".into(),
        issued_on: day(-20),
        title: format!("{label} Kế hoạch phong trào năm của Công an Thành phố"),
        plans_due: Some(day(10)),
        plans_from: Some("commune".into()),
        ..directive
    };
    app.create_directive(&province, &local).await?;
    let models = app
        .create_task(&ministry, &task(label, "Xây dựng mô hình “Camera an ninh”", 40, &[u.province, "79"], None))
        .await?;
    let review =
        app.create_task(&ministry, &task(label, "Sơ kết 5 năm Chỉ thị 09", -3, &[u.province, "79"], None)).await?;
    let mut sub = task(label, "Lắp camera an ninh ở khu dân cư", 30, &[u.ward, u.ward2], Some(models));
    sub.indicator = Some(IndicatorInput { name: "Camera lắp mới".into(), target: 40.0 });
    let sub = app.create_task(&province, &sub).await?;
    app.report_progress(&ward, sub, &ProgressInput { value: Some(12.0), ..progress(60, "Đã lắp 12 camera") }).await?;
    app.report_progress(&province, review, &progress(40, "Đang tổng hợp báo cáo của các xã")).await?;
    let asked = app
        .send_proposal(
            &province,
            About::Task(models),
            &ProposalInput { body: "Đề nghị Cục hướng dẫn tiêu chí đánh giá mô hình.".into() },
        )
        .await?;
    app.answer_proposal(&ministry, asked, &ProposalInput { body: "Thực hiện theo hướng dẫn của Cục.".into() }).await?;
    app.send_proposal(&ward, About::Task(sub), &ProposalInput { body: "Đề nghị bổ sung kinh phí lắp camera.".into() })
        .await?;
    // One organisation of the ward is inspected too (when the demo has one).
    let in_ward = store::organisations::OrgFilter { unit: Some(u.ward.into()), limit: 1, ..Default::default() };
    let organisations: Vec<i64> =
        app.list_organisations(&province, &in_ward).await?.items.into_iter().map(|o| o.id).collect();
    let inspection = InspectionInput {
        title: format!("{label} Kiểm tra phong trào tại các phường"),
        targets: vec![u.ward.into()],
        organisations: organisations.clone(),
        from: day(-15),
        to: day(-14),
    };
    let i = app.create_inspection(&province, &inspection).await?;
    let finding = FindingInput {
        unit_code: u.ward.into(),
        organisation_id: None,
        text: "Chưa kiện toàn tổ bảo vệ an ninh trật tự ở một khu phố.".into(),
        recommendation: "Kiện toàn tổ bảo vệ an ninh trật tự".into(),
        follow_up_due: day(15),
    };
    app.record_finding(&province, i, &finding).await?;
    if let Some(org) = organisations.first() {
        let finding = FindingInput {
            unit_code: String::new(),
            organisation_id: Some(*org),
            text: "Chưa xây dựng phương án phòng cháy, chữa cháy và bảo vệ cơ quan.".into(),
            recommendation: "Xây dựng phương án bảo vệ cơ quan".into(),
            follow_up_due: day(30),
        };
        app.record_finding(&province, i, &finding).await?;
    }
    let month = store::clock::today().format("%Y-%m").to_string();
    let (r, _) = app
        .create_report(
            &ward,
            &ReportInput { template: "month".into(), period: month, unit_code: None, directive_id: None },
        )
        .await?;
    let sections = domain::report::SECTIONS
        .iter()
        .zip([
            "Tình hình an ninh trật tự trên địa bàn ổn định.",
            "Tổ chức 3 buổi tuyên truyền.",
            "",
            "Đề nghị bổ sung kinh phí.",
        ])
        .map(|(h, t)| Section { heading: (*h).into(), text: format!("{label} {t}").trim().to_string() })
        .collect();
    app.edit_report(&ward, r, &SectionsInput { sections }).await?;
    app.submit_report(&ward, r).await?;
    Ok(())
}
