//! The national-scale synthetic movement data (`phongtrao demo --scale national` and
//! the benchmark): two years of assessments for every commune, residential area and
//! organisation, the communes' and residential areas' movement classifications,
//! self-management models with their yearly evaluations, key-area decisions and
//! criterion-19 records. Deterministic for a seed; every result is scored by the
//! domain rules from generated answers, so a generated row reads like a real one.

use domain::assessment::{score, Answer, ComputedFacts, Points};
use domain::criteria::{CriteriaSet, Instrument};
use domain::model::KeyAreaAction::{Designate, Remove};
use domain::model::Verdict;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use store::assessments::{BulkAssessment, ResultColumns};
use store::audit::AuditEntry;
use store::models::NewModel;

use crate::assessments::result_columns;
use crate::demo::{commune_list, DEMO_LABEL};
use crate::error::AppResult;
use crate::App;

/// One prepared way of filling a criteria set: its answers as JSON and the result.
#[derive(Clone)]
struct Variant {
    answers_json: String,
    result: ResultColumns,
}

/// The prepared variants of one criteria set (scored once, reused for every row).
struct SetVariants {
    set_id: i64,
    /// Safe unit: index 0 passes, the others miss one criterion each. Movement: from
    /// the highest total down.
    variants: Vec<Variant>,
}

fn variant(set: &CriteriaSet, answers: Vec<Answer>, facts: &ComputedFacts) -> Variant {
    let result = result_columns(&score(set, &answers, facts));
    Variant { answers_json: serde_json::to_string(&answers).unwrap_or_else(|_| "[]".into()), result }
}

/// Scores the variants of a set: all met and each answered criterion missed once
/// (safe unit), or points at several shares of each maximum (movement).
fn prepare(id: i64, set: &CriteriaSet) -> SetVariants {
    let answered: Vec<_> = set.criteria.iter().filter(|c| c.answerable()).collect();
    // A commune's computed criteria hold in the generated data (a working model,
    // nine in ten of its areas and units recognised).
    let facts = ComputedFacts {
        working_models: 1,
        recognised: 9,
        assessable: 10,
        registered: 10,
        to_register: 10,
        team_rated: None,
    };
    let variants = match set.instrument {
        Instrument::SafeUnit => {
            let fill = |miss: Option<usize>| -> Vec<Answer> {
                answered
                    .iter()
                    .enumerate()
                    .map(|(i, c)| Answer {
                        criterion: c.code.clone(),
                        met: Some(miss != Some(i)),
                        points: None,
                        note: None,
                    })
                    .collect()
            };
            std::iter::once(None)
                .chain((0..answered.len()).map(Some))
                .map(|miss| variant(set, fill(miss), &facts))
                .collect()
        }
        Instrument::Movement => [100u32, 95, 88, 80, 74, 62, 45]
            .iter()
            .map(|share| {
                let answers = answered
                    .iter()
                    .map(|c| Answer {
                        criterion: c.code.clone(),
                        met: None,
                        // Down to the half point, as scorers give them.
                        points: Some(Points::from_tenths(c.points.unwrap_or(0) * share / 10 / 5 * 5)),
                        note: None,
                    })
                    .collect();
                variant(set, answers, &facts)
            })
            .collect(),
    };
    SetVariants { set_id: id, variants }
}

/// The generated subjects of one kind: (unit, organisation, province, commune).
type Subjects = Vec<(Option<String>, Option<i64>, String, String)>;

/// Generates two years of safe-unit assessments for every commune, residential area
/// and assessable organisation, the movement classification of every commune and
/// residential area, models with evaluations, key-area decisions and criterion 19
/// (deterministic), then rebuilds the tallies. Subjects already assessed in a year
/// are left as they are. Returns the number of assessments written.
pub async fn load_national_assessments(
    app: &App,
    years: &[i64],
    seed: u64,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> AppResult<u64> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
    let sets = app.store.criteria_sets().await?;
    let variants_for = |instrument: &str, subject: &str| {
        sets.iter()
            .filter(|s| s.set.instrument.as_str() == instrument && s.set.subject.as_str() == subject)
            .max_by_key(|s| s.id)
            .map(|s| prepare(s.id, &s.set))
    };
    let communes = commune_list(app).await?;
    let areas = app.store.area_keys().await?;
    // Organisations the police recorded as outside the standard are not assessed.
    let exempt = app.store.exempt_organisation_ids().await?;
    let orgs: Vec<_> =
        app.store.organisation_keys().await?.into_iter().filter(|(id, _, _, _)| !exempt.contains(id)).collect();
    let commune_rows: Subjects = communes.iter().map(|(c, p)| (Some(c.clone()), None, p.clone(), c.clone())).collect();
    let area_rows: Subjects = areas.iter().map(|(a, c, p)| (Some(a.clone()), None, p.clone(), c.clone())).collect();
    let org_rows: Vec<(&'static str, Subjects)> = ["agency", "enterprise", "school"]
        .into_iter()
        .map(|subject| {
            let rows = orgs
                .iter()
                .filter(|(_, kind, _, _)| kind.as_str() == subject)
                .map(|(id, _, c, p)| (None, Some(*id), p.clone(), c.clone()))
                .collect();
            (subject, rows)
        })
        .collect();
    // (instrument, subject, its rows, its set's prepared variants) — scored once.
    let mut by_kind: Vec<(&'static str, &'static str, &Subjects)> =
        vec![("safe_unit", "commune", &commune_rows), ("safe_unit", "residential_area", &area_rows)];
    by_kind.extend(org_rows.iter().map(|(subject, rows)| ("safe_unit", *subject, rows)));
    by_kind.push(("movement", "commune", &commune_rows));
    by_kind.push(("movement", "residential_area", &area_rows));
    let by_kind: Vec<_> = by_kind
        .into_iter()
        .filter_map(|(instrument, subject, rows)| Some((instrument, subject, rows, variants_for(instrument, subject)?)))
        .collect();

    let total = years.len() as u64 * by_kind.iter().map(|(_, _, v, _)| v.len() as u64).sum::<u64>();
    let mut done = 0u64;
    let mut batch: Vec<BulkAssessment> = Vec::with_capacity(20_000);
    for &year in years {
        for instrument in ["safe_unit", "movement"] {
            let existing = app.store.assessed_subject_keys(year, instrument).await?;
            for &(_, subject, rows, ref sv) in by_kind.iter().filter(|(i, _, _, _)| *i == instrument) {
                for (unit, org, province, commune) in rows {
                    let Some(key) = store::assessments::subject_key(unit.as_deref(), *org) else { continue };
                    let status = pick_status(&mut rng);
                    let v = pick_variant(&mut rng, instrument, sv.variants.len());
                    let late = rng.gen_range(0..100) < 4;
                    if existing.contains(&key) {
                        continue;
                    }
                    let Some(v) = sv.variants.get(v) else { continue };
                    batch.push(BulkAssessment {
                        year,
                        instrument,
                        subject,
                        unit_code: unit.clone(),
                        organisation_id: *org,
                        province_code: province.clone(),
                        commune_code: commune.clone(),
                        criteria_set_id: sv.set_id,
                        status,
                        result: v.result.clone(),
                        answers_json: v.answers_json.clone(),
                        late,
                    });
                    if batch.len() == 20_000 {
                        let mut tx = app.store.begin_write().await?;
                        tx.insert_assessments_bulk(&batch).await?;
                        tx.commit().await?;
                        done += batch.len() as u64;
                        batch.clear();
                        progress(done, total);
                        if done.is_multiple_of(500_000) {
                            app.store.checkpoint().await?;
                        }
                    }
                }
            }
        }
    }
    let mut tx = app.store.begin_write().await?;
    tx.insert_assessments_bulk(&batch).await?;
    AuditEntry::new(None, "demo.national_assessments", "assessment", "*")
        .after(&serde_json::json!({"years": years}))
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    done += batch.len() as u64;
    // The tallies first: the assessments are committed, so the dashboards must
    // count them even if what follows fails.
    app.store.rebuild_tallies().await?;
    // Every certificate of the generated approvals can be checked at /verify.
    app.store.mint_missing_certificate_codes().await?;
    load_national_movement_records(app, years, &mut rng).await?;
    progress(done, done);
    Ok(done)
}

/// 80 % approved, 10 % published, 6 % submitted, 4 % draft.
fn pick_status(rng: &mut StdRng) -> &'static str {
    match rng.gen_range(0..100u32) {
        0..=79 => "approved",
        80..=89 => "published",
        90..=95 => "submitted",
        _ => "draft",
    }
}

/// Safe unit: 96 % pass (variant 0), the rest miss one criterion. Movement: a mix
/// weighted towards the upper levels.
fn pick_variant(rng: &mut StdRng, instrument: &str, n: usize) -> usize {
    if n < 2 {
        return 0;
    }
    if instrument == "safe_unit" {
        return if rng.gen_range(0..100) < 96 { 0 } else { rng.gen_range(1..n) };
    }
    const WEIGHTS: [u32; 7] = [5, 20, 30, 20, 13, 8, 4];
    let mut r = rng.gen_range(0..WEIGHTS.iter().sum::<u32>());
    for (i, w) in WEIGHTS.iter().enumerate().take(n) {
        if r < *w {
            return i;
        }
        r -= w;
    }
    n - 1
}

/// Models (one to three per commune, hosted by the commune or one of its areas,
/// some copying a neighbour's), their evaluation each year (about 85 % effective),
/// key-area decisions (about 6 % of communes designated the year before, two in
/// five of them removed in the last year, 1 % newly designated) and criterion 19
/// for every rural commune (`xã`) each year (about 92 % met). Skipped when the
/// database already holds models (a second run adds nothing).
async fn load_national_movement_records(app: &App, years: &[i64], rng: &mut StdRng) -> AppResult<()> {
    let (Some(&first), Some(&last)) = (years.first(), years.last()) else { return Ok(()) };
    if app.store.count_models().await? > 0 {
        return Ok(());
    }
    let types: Vec<String> = app.store.model_types().await?.into_iter().filter(|t| t.active).map(|t| t.code).collect();
    if types.is_empty() {
        return Ok(());
    }
    let communes = app.store.commune_kinds().await?;
    let areas = app.store.area_keys().await?;
    let mut areas_of: std::collections::HashMap<&str, Vec<&str>> = std::collections::HashMap::new();
    for (a, c, _) in &areas {
        areas_of.entry(c.as_str()).or_default().push(a.as_str());
    }
    let today = store::clock::today();
    // A day of `year`, or today when that day is still to come.
    let on = |year: i64, (month, day): (u32, u32)| -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(year as i32, month, day).filter(|d| *d <= today).unwrap_or(today)
    };
    let mut tx = app.store.begin_write().await?;
    let mut previous: Option<i64> = None;
    for (n, (code, province, division)) in communes.iter().enumerate() {
        for k in 0..rng.gen_range(1..=3u32) {
            let hosts = areas_of.get(code.as_str());
            let unit = match hosts {
                Some(h) if k > 0 && !h.is_empty() => h[rng.gen_range(0..h.len())].to_string(),
                _ => code.clone(),
            };
            let type_code = types[rng.gen_range(0..types.len())].clone();
            let model = NewModel {
                name: format!("{DEMO_LABEL} Mô hình {} số {}", type_code.replace('_', " "), n * 3 + k as usize + 1),
                type_code,
                unit_code: unit,
                organisation_id: None,
                province_code: province.clone(),
                commune_code: Some(code.clone()),
                started_on: format!("{}-{:02}-15", first - rng.gen_range(1..6), rng.gen_range(1..=12)),
                partners: (rng.gen_range(0..3) == 0).then(|| "Mặt trận Tổ quốc, Đoàn Thanh niên".to_string()),
                replicates_id: previous.filter(|_| rng.gen_range(0..10) == 0),
            };
            // One model in eight is registered "Dân vận khéo" for the last year;
            // the province recognised most (a commune's model, the level above).
            let dvk = rng.gen_range(0..8) == 0;
            let id = tx.insert_model(&model).await?;
            if dvk {
                let entry = store::dan_van_kheo::NewDvk {
                    model_id: id,
                    year: last,
                    holder_level: "commune".into(),
                    place: (province.clone(), Some(code.clone())),
                };
                let e = tx.insert_dvk(&entry, 0).await?;
                if id % 4 != 0 {
                    let day = on(last, (8, 19)).to_string();
                    let step = store::dan_van_kheo::DvkStep {
                        from: domain::dan_van_kheo::DvkStatus::Registered,
                        to: domain::dan_van_kheo::DvkStatus::Recognised,
                        decision: Some(("[Demo] 19/QĐ-CAT", day.as_str())),
                        reason: None,
                        public: false,
                    };
                    tx.move_dvk(e, &step, 0).await?;
                }
            }
            previous = Some(id);
            for &year in years {
                let effective = rng.gen_range(0..100) < 85;
                let (verdict, note) = if effective {
                    (Verdict::Effective, "Hoạt động thực chất, hiệu quả")
                } else {
                    (Verdict::Formal, "Còn hình thức, cần củng cố")
                };
                tx.insert_model_evaluation(id, year, verdict, Some(note), None).await?;
            }
        }
        let r = rng.gen_range(0..1000u32);
        if r < 60 {
            let number = format!("{}/QĐ-UBND", 100 + n % 900);
            tx.insert_key_area_event(code, province, Some(code), Designate, &number, on(first, (3, 15)), None).await?;
            if r < 24 && last > first {
                let number = format!("{}/QĐ-UBND", 200 + n % 800);
                tx.insert_key_area_event(code, province, Some(code), Remove, &number, on(last, (9, 30)), None).await?;
            }
        } else if r < 70 && last > first {
            let number = format!("{}/QĐ-UBND", 300 + n % 700);
            tx.insert_key_area_event(code, province, Some(code), Designate, &number, on(last, (4, 10)), None).await?;
        }
        if division == "xã" {
            for &year in years {
                tx.set_criterion19(code, province, year, rng.gen_range(0..100) < 92).await?;
            }
        }
    }
    AuditEntry::new(None, "demo.national_movement", "model", "*")
        .after(&serde_json::json!({"years": years}))
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria_sets::{parse_set, SHIPPED_SETS};

    fn shipped(name: &str) -> CriteriaSet {
        let text = SHIPPED_SETS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t).unwrap_or_default();
        parse_set(text).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    #[test]
    fn safe_unit_variants_pass_first_then_miss_one_criterion_each() {
        for name in ["safe_unit-agency", "safe_unit-commune", "safe_unit-residential_area"] {
            let set = shipped(name);
            let answered = set.criteria.iter().filter(|c| c.answerable()).count();
            let v = prepare(7, &set);
            assert_eq!(v.set_id, 7);
            assert_eq!(v.variants.len(), answered + 1, "{name}");
            assert_eq!(v.variants[0].result.passed, Some(true), "{name}: {}", v.variants[0].result.json);
            for (i, x) in v.variants[1..].iter().enumerate() {
                assert_eq!(x.result.passed, Some(false));
                let code = &set.criteria.iter().filter(|c| c.answerable()).nth(i).map(|c| c.code.clone());
                assert!(
                    x.result.json.contains(&format!("\"{}\"", code.clone().unwrap_or_default())),
                    "{}",
                    x.result.json
                );
            }
        }
    }

    #[test]
    fn movement_variants_descend_through_the_levels() {
        let set = shipped("movement-commune");
        let v = prepare(1, &set);
        let totals: Vec<Points> = v.variants.iter().filter_map(|x| x.result.total).collect();
        assert_eq!(totals.len(), 7);
        assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");
        assert!(v.variants.iter().all(|x| x.result.level.is_some()));
        let levels: std::collections::HashSet<_> = v.variants.iter().filter_map(|x| x.result.level.clone()).collect();
        assert!(levels.len() >= 3, "{levels:?}");
    }

    #[test]
    fn picks_stay_in_range() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..1000 {
            assert!(pick_variant(&mut rng, "movement", 7) < 7);
            assert!(pick_variant(&mut rng, "safe_unit", 4) < 4);
            assert!(["approved", "published", "submitted", "draft"].contains(&pick_status(&mut rng)));
        }
        assert_eq!(pick_variant(&mut rng, "movement", 1), 0);
    }
}
