//! The movement dashboard of a scope (the user's, or any unit inside it with
//! `?unit=`): recognition against the year's target, classification mix, key
//! areas, criterion 19, models by type and verdict, submission progress against
//! each deadline, and a map (nation) coloured by a chosen indicator or a table
//! (province) of the units below. Every figure links to the rows behind it.

use std::collections::HashMap;

use crate::shared::extract::Query;
use app::movement::{indicator_value, MAP_INDICATORS};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::criteria::Subject;
use minijinja::context;
use serde::Deserialize;

use super::api::progress_of;
use crate::shared::auth::Authed;
use crate::shared::charts::{bars, province_map, Bar};
use crate::shared::i18n::{format_number, t, Lang};
use crate::shared::page::{base_ctx, error_page, render, with};
use crate::AppState;

/// Query of the dashboard.
#[derive(Deserialize, Default)]
pub struct DashQuery {
    year: Option<i64>,
    unit: Option<String>,
    indicator: Option<String>,
}

/// "96,0 %" — a share with a Vietnamese decimal comma.
pub fn percent(v: f64) -> String {
    format!("{:.1} %", v * 100.0).replace('.', ",")
}

fn share(recognised: i64, assessed: i64) -> Option<f64> {
    (assessed > 0).then(|| recognised as f64 / assessed as f64)
}

pub(crate) async fn dashboard(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<DashQuery>,
) -> Response {
    let year = q.year.unwrap_or_else(store::units::current_year);
    let unit = q.unit.clone().filter(|u| !u.trim().is_empty());
    let scope = match s.app.narrowed_scope(&sess.actor, unit.as_deref()).await {
        Ok(sc) => sc,
        Err(e) => return error_page(&s, lang, Some(&sess), e),
    };
    let st = match s.app.movement_stats(&sess.actor, year, unit.as_deref()).await {
        Ok(st) => st,
        Err(e) => return error_page(&s, lang, Some(&sess), e),
    };
    let campaign = match s.app.campaign(year).await {
        Ok(c) => c,
        Err(e) => return error_page(&s, lang, Some(&sess), e),
    };
    let children = match s.app.recognition_by_child(&sess.actor, year, unit.as_deref()).await {
        Ok(c) => c,
        Err(e) => return error_page(&s, lang, Some(&sess), e),
    };
    // Every link keeps the year and the unit shown.
    let u = unit.as_deref().map(|u| format!("&unit={u}")).unwrap_or_default();
    let indicator = q.indicator.as_deref().filter(|i| MAP_INDICATORS.contains(i)).unwrap_or("recognition").to_string();
    // The charts are drawn once per scope, year, unit, indicator and language, and kept
    // with the figures they show (until the next write).
    let key = format!("dashboard_svgs|{scope:?}|{year}|{unit:?}|{indicator}|{lang:?}");
    let svgs = s
        .app
        .memo(key, || async {
            let recognition: Vec<Bar> = Subject::ALL
                .iter()
                .map(|subject| {
                    let f =
                        st.safe_unit.iter().find(|(x, _)| x == subject.as_str()).map(|(_, f)| *f).unwrap_or_default();
                    let v = share(f.recognised, f.assessed);
                    Bar {
                        label: t(lang, &format!("subject.{}", subject.as_str())),
                        value: v.unwrap_or(0.0),
                        caption: match v {
                            Some(v) => {
                                format!(
                                    "{} ({}/{})",
                                    percent(v),
                                    format_number(f.recognised),
                                    format_number(f.assessed)
                                )
                            }
                            None => "—".into(),
                        },
                        href: format!("/assessments?year={year}&instrument=safe_unit&subject={}{u}", subject.as_str()),
                    }
                })
                .collect();
            let classified: i64 = st.by_level.iter().map(|(_, n)| n).sum();
            let levels: Vec<Bar> = ["excellent", "good", "average", "weak"]
                .iter()
                .map(|code| {
                    let n = st.by_level.iter().find(|(l, _)| l == code).map(|(_, n)| *n).unwrap_or(0);
                    Bar {
                        label: t(lang, &format!("level_name.{code}")),
                        value: share(n, classified).unwrap_or(0.0),
                        caption: format_number(n),
                        href: format!("/assessments?year={year}&instrument=movement&stage=decided&level={code}{u}"),
                    }
                })
                .collect();
            let target = campaign.target_rate();
            let target_label = format!("{} {} %", t(lang, "dash.target"), campaign.target_percent);
            let recognition_svg = bars(&recognition, Some(target), &target_label);
            let levels_svg = bars(&levels, None, "");
            let map_svg = if matches!(scope, domain::Scope::Nation) {
                let names: HashMap<String, String> =
                    children.iter().map(|(c, n, _, _)| (c.clone(), n.clone())).collect();
                // (share, numerator, denominator) per province of the chosen indicator.
                let mut values: HashMap<String, (f64, i64, i64)> = HashMap::new();
                if indicator == "recognition" {
                    for (code, _, a, r) in &children {
                        if let Some(v) = share(*r, *a) {
                            values.insert(code.clone(), (v, *r, *a));
                        }
                    }
                } else {
                    let per_province = s.app.movement_stats_by_province(&sess.actor, year, None).await?;
                    for (code, pst) in &per_province {
                        if let Some(v) = indicator_value(pst, &indicator) {
                            values.insert(code.clone(), v);
                        }
                    }
                }
                let ind = indicator.clone();
                Some(province_map(
                    &|code| values.get(code).map(|v| v.0),
                    &|code| names.get(code).cloned().unwrap_or_default(),
                    &|code| match values.get(code) {
                        Some((v, n, d)) => format!("{} ({}/{})", percent(*v), format_number(*n), format_number(*d)),
                        None => t(lang, "common.none"),
                    },
                    &|code| format!("/movement?year={year}&unit={code}&indicator={ind}"),
                ))
            } else {
                None
            };
            Ok((recognition_svg, levels_svg, map_svg))
        })
        .await;
    let (recognition_svg, levels_svg, map_svg) = match svgs {
        Ok(v) => (*v).clone(),
        Err(e) => return error_page(&s, lang, Some(&sess), e),
    };
    let indicators: Vec<_> = MAP_INDICATORS
        .iter()
        .map(|i| context! { code => i, label => t(lang, &format!("mv.ind.{i}")), selected => *i == indicator })
        .collect();
    let rows: Vec<_> = children
        .iter()
        .map(|(code, name, a, r)| context! { code, name, assessed => a, recognised => r, rate => share(*r, *a).map(percent) })
        .collect();
    let types: HashMap<String, String> =
        s.app.model_types().await.map(|v| v.into_iter().map(|m| (m.code, m.name)).collect()).unwrap_or_default();
    let by_type: Vec<_> = st
        .models_by_type
        .iter()
        .zip(&st.models_by_type_verdict)
        .map(|((c, n), (_, e, f))| context! { code => c, name => types.get(c).cloned().unwrap_or(c.clone()), n, effective => e, formal => f })
        .collect();
    let progress: Vec<_> = [
        ("residential_area", true, campaign.residential_area_deadline, "&subject=residential_area"),
        ("commune_and_organisation", false, campaign.commune_deadline, ""),
    ]
    .iter()
    .map(|(group, residential, deadline, subject)| {
        let (made, submitted, approved, late) = progress_of(&st, *residential);
        context! { group, deadline => deadline.format("%Y-%m-%d").to_string(), made, submitted, approved, late, subject }
    })
    .collect();
    let scope_name = match &unit {
        Some(code) => s.app.unit(code).await.map(|x| x.name).unwrap_or_else(|_| code.clone()),
        None => sess.actor.unit_name.clone().unwrap_or_else(|| "Việt Nam".into()),
    };
    let ctx = context! {
        year, st => minijinja::Value::from_serialize(&st), recognition_svg, levels_svg, map_svg, rows, by_type,
        progress, indicators, indicator, u, unit, scope_name,
        target_percent => campaign.target_percent,
        summary_deadline => campaign.province_summary_deadline.format("%Y-%m-%d").to_string(),
    };
    render(&s, "movement.html", StatusCode::OK, with(base_ctx(lang, Some(&sess), "movement"), ctx))
}
