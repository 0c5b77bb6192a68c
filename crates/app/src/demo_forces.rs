//! The demo's grassroots forces in Phường Ba Đình (clearly labelled): two security
//! teams over its residential areas with their members, equipment, this year's
//! ratings under one decision, a course and two funding lines.

use crate::error::AppResult;
use crate::forces::{EquipmentInput, MemberInput, TeamInput};
use crate::funding::FundingInput;
use crate::team_ratings::RatingInput;
use crate::trainings::TrainingInput;
use crate::App;

/// Loads the forces of `commune` as its police (`username`).
pub(crate) async fn load_demo_forces(app: &App, label: &str, commune: &str, username: &str) -> AppResult<()> {
    let user = app.store.user_by_username(username).await?;
    let actor = app.actor_for(&user, String::new(), "demo".into()).await?;
    let f = store::units::UnitFilter { parent: Some(commune.into()), limit: 10, ..Default::default() };
    let areas: Vec<String> = app.store.list_units(&f).await?.0.into_iter().map(|u| u.code).collect();
    let (Some(first), Some(rest)) = (areas.first(), areas.get(1..)) else { return Ok(()) };
    let today = store::clock::today_iso();
    let year = store::clock::current_year();
    let one = TeamInput {
        unit_code: first.clone(),
        name: format!("{label} Tổ bảo vệ an ninh, trật tự Tổ dân phố số 1"),
        established_on: "2024-07-01".into(),
        areas: None,
        decision: Some(format!("{label} 120/QĐ-UBND ngày 01/7/2024")),
    };
    let two = TeamInput {
        unit_code: rest.first().cloned().unwrap_or_default(),
        name: format!("{label} Tổ bảo vệ an ninh, trật tự liên tổ dân phố"),
        established_on: "2024-07-01".into(),
        areas: Some(rest.to_vec()),
        decision: Some(format!("{label} 121/QĐ-UBND ngày 01/7/2024")),
    };
    let mut teams = Vec::new();
    for t in [one, two] {
        teams.push(app.create_team(&actor, &t).await?.id);
    }
    let member = |name: &str, birth_year: i64, sex: &str, role: &str, phone: Option<&str>| MemberInput {
        name: format!("{label} {name}"),
        birth_year,
        sex: sex.into(),
        role: role.into(),
        joined_on: "2024-07-01".into(),
        left_on: None,
        phone: phone.map(str::to_string),
        over_age_decision: false,
    };
    let mut attended = Vec::new();
    for (team, m) in [
        (teams[0], member("Nguyễn Văn Hùng", 1972, "male", "leader", Some("0912000001"))),
        (teams[0], member("Trần Thị Lan", 1980, "female", "deputy", Some("0912000002"))),
        (teams[0], member("Lê Văn Minh", 1990, "male", "member", None)),
        (teams[1], member("Phạm Văn Sơn", 1968, "male", "leader", Some("0912000003"))),
        (teams[1], member("Đỗ Thị Hoa", 1985, "female", "member", None)),
    ] {
        let rec = app.add_member(&actor, team, &m).await?;
        if team == teams[0] {
            attended.push(rec.id);
        }
    }
    let kit = EquipmentInput { kind: "Áo phản quang".into(), quantity: 3, issued_on: "2024-08-01".into() };
    app.issue_equipment(&actor, teams[0], &kit).await?;
    let rate = |team: i64, level: &str| RatingInput {
        team_id: team,
        year,
        level: level.into(),
        decision_number: format!("{label} 30/QĐ-UBND"),
        decision_date: today.clone(),
    };
    app.rate_teams(&actor, &[rate(teams[0], "good"), rate(teams[1], "completed")]).await?;
    let course = TrainingInput {
        unit_code: commune.into(),
        topic: format!("{label} Kỹ năng nắm tình hình, tuần tra bảo đảm an ninh, trật tự"),
        level: "commune".into(),
        starts_on: today.clone(),
        ends_on: today.clone(),
        organiser: "Công an phường".into(),
        hours: 8,
        member_ids: attended,
        headcount: 20,
    };
    app.create_training(&actor, &course).await?;
    for (category, source, budget, spent) in [
        ("allowances", "state_budget", 180_000_000, 150_000_000),
        ("ngay_hoi", "socialisation", 20_000_000, 18_500_000),
    ] {
        let line = FundingInput {
            unit_code: commune.into(),
            year,
            category: category.into(),
            source: source.into(),
            budget,
            spent,
        };
        app.add_funding(&actor, &line).await?;
    }
    Ok(())
}
