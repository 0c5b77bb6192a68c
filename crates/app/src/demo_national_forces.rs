//! The grassroots forces of the national-scale synthetic dataset (for benchmarks):
//! three residential areas in four get a security team of three members (leader,
//! deputy, member), and this year's ratings — about four in ten "tốt", half
//! "hoàn thành", one in ten "không hoàn thành", "xuất sắc" within the cap of each
//! commune. Deterministic for a seed; written directly, in one transaction.

use domain::forces::rating::RatingLevel;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use store::forces::{NewMember, NewTeam};

use crate::demo::DEMO_LABEL;
use crate::error::AppResult;
use crate::App;

/// Generates the forces over every residential area in force; returns (teams, members).
pub async fn load_national_forces(app: &App, year: i64, seed: u64) -> AppResult<(u64, u64)> {
    let areas = app.store.areas_in_force().await?;
    let guide = crate::forces::rules()?.rating;
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut teams, mut members) = (0u64, 0u64);
    let mut tx = app.store.begin_write().await?;
    let mut commune = String::new();
    let (mut good, mut excellent) = (0i64, 0i64);
    for (code, commune_code, province) in &areas {
        if *commune_code != commune {
            commune.clone_from(commune_code);
            (good, excellent) = (0, 0);
        }
        if rng.gen_range(0..4) == 0 {
            continue;
        }
        let team = NewTeam {
            name: format!("{DEMO_LABEL} Tổ bảo vệ ANTT {code}"),
            place: (code.clone(), commune_code.clone(), province.clone()),
            established_on: "2024-07-01".into(),
            decision: None,
        };
        let id = tx.insert_team(&team, std::slice::from_ref(code), 0).await?;
        teams += 1;
        for (k, role) in ["leader", "deputy", "member"].iter().enumerate() {
            let m = NewMember {
                team_id: id,
                name: format!("{DEMO_LABEL} Thành viên {k} {code}"),
                birth_year: rng.gen_range(1960..2000),
                sex: if rng.gen_range(0..3) == 0 { "female".into() } else { "male".into() },
                role: (*role).to_string(),
                joined_on: "2024-07-01".into(),
                left_on: None,
                phone: None,
                place: (commune_code.clone(), province.clone()),
            };
            tx.insert_member(&m, 0).await?;
            members += 1;
        }
        let roll = rng.gen_range(0..100);
        let level = if roll < 10 {
            RatingLevel::NotCompleted
        } else if roll < 50 {
            RatingLevel::Completed
        } else if guide.within_cap(excellent + 1, good) && roll >= 95 {
            RatingLevel::Excellent
        } else {
            RatingLevel::Good
        };
        excellent += i64::from(level == RatingLevel::Excellent);
        good += i64::from(level == RatingLevel::Good);
        let day = format!("{year}-11-20").min(store::clock::today_iso());
        tx.insert_rating_of(id, (commune_code, province), year, level, ("[Demo] 1/QĐ-UBND", &day), 0).await?;
    }
    tx.commit().await?;
    Ok((teams, members))
}
