//! The movement dashboard of a scope: recognition against the 95 % target,
//! classification mix, key areas, criterion 19, models, submission progress, and a
//! map (nation) or table (province) of the units below. Every figure links to rows.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::criteria::Subject;
use minijinja::context;
use serde::Deserialize;

use super::{base_ctx, error_page, render, with};
use crate::auth::Authed;
use crate::charts::{bars, province_map, Bar};
use crate::i18n::{format_number, t, Lang};
use crate::AppState;

/// Query of the dashboard.
#[derive(Deserialize, Default)]
pub struct DashQuery {
    year: Option<i64>,
}

/// "96,0 %" — a share with a Vietnamese decimal comma.
pub fn percent(v: f64) -> String {
    format!("{:.1} %", v * 100.0).replace('.', ",")
}

fn share(recognised: i64, assessed: i64) -> Option<f64> {
    (assessed > 0).then(|| recognised as f64 / assessed as f64)
}

pub(super) async fn dashboard(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<DashQuery>,
) -> Response {
    let year = q.year.unwrap_or_else(store::units::current_year);
    let st = match s.app.movement_stats(&sess.actor, year, None).await {
        Ok(st) => st,
        Err(e) => return error_page(&s, lang, Some(&sess), e),
    };
    let children = match s.app.recognition_by_child(&sess.actor, year).await {
        Ok(c) => c,
        Err(e) => return error_page(&s, lang, Some(&sess), e),
    };
    let recognition: Vec<Bar> = Subject::ALL
        .iter()
        .map(|subject| {
            let f = st.safe_unit.iter().find(|(x, _)| x == subject.as_str()).map(|(_, f)| *f).unwrap_or_default();
            let v = share(f.recognised, f.assessed);
            Bar {
                label: t(lang, &format!("subject.{}", subject.as_str())),
                value: v.unwrap_or(0.0),
                caption: match v {
                    Some(v) => {
                        format!("{} ({}/{})", percent(v), format_number(f.recognised), format_number(f.assessed))
                    }
                    None => "—".into(),
                },
                href: format!("/assessments?year={year}&subject={}", subject.as_str()),
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
                href: format!("/assessments?year={year}&subject="),
            }
        })
        .collect();
    let recognition_svg = bars(&recognition, Some(0.95), &t(lang, "dash.target"));
    let levels_svg = bars(&levels, None, "");
    let by_code: HashMap<String, (String, i64, i64)> =
        children.iter().map(|(c, n, a, r)| (c.clone(), (n.clone(), *a, *r))).collect();
    let map_svg = matches!(sess.actor.scope, domain::Scope::Nation).then(|| {
        province_map(
            &|code| by_code.get(code).and_then(|(_, a, r)| share(*r, *a)),
            &|code| by_code.get(code).map(|(n, _, _)| n.clone()).unwrap_or_default(),
            &|code| match by_code.get(code) {
                Some((_, a, r)) if *a > 0 => format!("{} ({}/{})", percent(*r as f64 / *a as f64), r, a),
                _ => t(lang, "common.none"),
            },
            &|code| format!("/units/{code}"),
        )
    });
    let rows: Vec<_> = children
        .iter()
        .map(|(code, name, a, r)| context! { code, name, assessed => a, recognised => r, rate => share(*r, *a).map(percent) })
        .collect();
    let types: HashMap<String, String> =
        s.app.model_types().await.map(|v| v.into_iter().map(|m| (m.code, m.name)).collect()).unwrap_or_default();
    let by_type: Vec<_> = st
        .models_by_type
        .iter()
        .map(|(c, n)| context! { name => types.get(c).cloned().unwrap_or(c.clone()), n })
        .collect();
    let ctx = context! {
        year, st => minijinja::Value::from_serialize(&st), recognition_svg, levels_svg, map_svg, rows, by_type,
        scope_name => sess.actor.unit_name.clone().unwrap_or_else(|| "Việt Nam".into()),
    };
    render(&s, "movement.html", StatusCode::OK, with(base_ctx(lang, Some(&sess), "movement"), ctx))
}
