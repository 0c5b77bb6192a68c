//! The movement dashboard of a scope (the user's, or any unit inside it with
//! `?unit=`): recognition against the year's target, classification mix, key
//! areas, criterion 19, models by type and verdict, submission progress against
//! each deadline, and a map (nation) coloured by a chosen indicator or a table
//! (province) of the units below. Every figure links to the rows behind it.
//! The charts are drawn in `charts.rs`.

use std::collections::HashMap;

use app::statistics::MAP_INDICATORS;
use axum::extract::State;
use axum::http::StatusCode;
use domain::campaign::Campaign;
use domain::map_indicator::{Figure, MapIndicator};
use minijinja::{context, Value};
use serde::Deserialize;
use store::statistics::MovementStats;

use super::api::progress_of;
use super::charts::{charts, percent, share, ChartInput};
use crate::shared::auth::Authed;
use crate::shared::charts::{colour, colour_class};
use crate::shared::extract::Query;
use crate::shared::i18n::{t, Lang};
use crate::shared::page::{base_ctx, no_store, render, with, OrPage, PageResult};
use crate::shared::point_map::{point_map, Dot};
use crate::AppState;

/// Query of the dashboard.
#[derive(Deserialize, Default)]
pub struct DashQuery {
    year: Option<i64>,
    unit: Option<String>,
    indicator: Option<String>,
    /// The units' table order: rate (default, highest first), name, or change.
    sort: Option<String>,
    /// The point map alone, on a page for printing.
    print: Option<String>,
    /// A year before 2025: the old units' level to list (province, district, commune).
    past_level: Option<String>,
    /// A year before 2025: the old unit whose children to list.
    past_parent: Option<String>,
}

pub(crate) async fn dashboard(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<DashQuery>,
) -> PageResult {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let unit = q.unit.clone().filter(|u| !u.trim().is_empty());
    let scope = s.app.narrowed_scope(&sess.actor, unit.as_deref()).await.or_page(&s, lang, Some(&sess))?;
    let st = s.app.movement_stats(&sess.actor, year, unit.as_deref()).await.or_page(&s, lang, Some(&sess))?;
    let campaign = s.app.campaign(year).await.or_page(&s, lang, Some(&sess))?;
    let children =
        s.app.recognition_by_child(&sess.actor, year, unit.as_deref()).await.or_page(&s, lang, Some(&sess))?;
    // Last year's, for the table's comparison (kept in the figures memo too).
    let before =
        s.app.recognition_by_child(&sess.actor, year - 1, unit.as_deref()).await.or_page(&s, lang, Some(&sess))?;
    // Every link keeps the year and the unit shown.
    let u = unit.as_deref().map(|u| format!("&unit={u}")).unwrap_or_default();
    let indicator = q.indicator.as_deref().filter(|i| MAP_INDICATORS.contains(i)).unwrap_or("recognition");
    let input = ChartInput {
        scope: &scope,
        year,
        unit_link: &u,
        indicator,
        lang,
        stats: &st,
        campaign: &campaign,
        children: &children,
    };
    let drawn = charts(&s, &sess.actor, input).await.or_page(&s, lang, Some(&sess))?;
    let types: HashMap<String, String> =
        s.app.model_types().await.map(|v| v.into_iter().map(|m| (m.code, m.name)).collect()).unwrap_or_default();
    let registration =
        s.app.registration_progress(&sess.actor, year, unit.as_deref()).await.or_page(&s, lang, Some(&sess))?;
    // Ngày hội toàn dân bảo vệ ANTQ: residential areas that held one, of all.
    let ngay_hoi = s.app.ngay_hoi_coverage(&sess.actor, year, unit.as_deref()).await.or_page(&s, lang, Some(&sess))?;
    let dvk = s.app.dvk_counts(&sess.actor, year, unit.as_deref()).await.or_page(&s, lang, Some(&sess))?;
    let forces = s.app.forces_figures(&sess.actor, year, unit.as_deref()).await.or_page(&s, lang, Some(&sess))?;
    let funding = s.app.funding_totals(&sess.actor, year, unit.as_deref()).await.or_page(&s, lang, Some(&sess))?;
    // The commune's own list of who has and has not registered.
    let registration_link = match &scope {
        domain::Scope::Commune(c) => Some(format!("/registrations?unit={c}&year={year}")),
        _ => None,
    };
    // A year before the reform: its figures under that year's units.
    let past = if year <= domain::past_figures::LAST_YEAR {
        let level = q.past_level.as_deref().filter(|l| matches!(*l, "district" | "commune")).unwrap_or("province");
        let parent = q.past_parent.as_deref().filter(|p| !p.is_empty());
        s.app.past_figures(&sess.actor, year, level, parent).await.or_page(&s, lang, Some(&sess))?
    } else {
        Vec::new()
    };
    let scope_name = match &unit {
        Some(code) => s.app.unit(code).await.map(|x| x.name).unwrap_or_else(|_| code.clone()),
        None => sess.actor.unit_name.clone().unwrap_or_else(|| "Việt Nam".into()),
    };
    let ctx = context! {
        year, st => Value::from_serialize(&st), recognition_svg => drawn.recognition, levels_svg => drawn.levels,
        map_svg => drawn.map, rows => child_rows(&children, &before, q.sort.as_deref()), sort => q.sort.clone().unwrap_or_else(|| "rate".into()), by_type => models_by_type(&st, &types),
        progress => progress(&st, &campaign), indicators => indicators(lang, indicator), indicator, u, unit, scope_name,
        target_percent => campaign.target_percent,
        registration, registration_link, registration_percent => share(registration.0, registration.1).map(percent),
        past, before_reform => year <= domain::past_figures::LAST_YEAR,
        dvk, forces, funding, ngay_hoi, ngay_hoi_percent => share(ngay_hoi.1, ngay_hoi.0).map(percent),
        summary_deadline => campaign.province_summary_deadline.format("%Y-%m-%d").to_string(),
    };
    Ok(render(&s, "movement.html", StatusCode::OK, with(base_ctx(lang, Some(&sess), "movement"), ctx)))
}

/// The map's indicator choices.
fn indicators(lang: Lang, chosen: &str) -> Vec<Value> {
    MAP_INDICATORS
        .iter()
        .map(|i| context! { code => i, label => t(lang, &format!("mv.ind.{i}")), selected => *i == chosen })
        .collect()
}

/// A unit's row before ordering: code, name, assessed, recognised, this year's
/// rate, last year's.
type RankRow<'a> = (&'a String, &'a String, i64, i64, Option<f64>, Option<f64>);

/// One row per unit one level down, ranked: assessed, recognised, rate, last
/// year's rate and the change, ordered by `sort` (rate, highest first — units with
/// nothing assessed last; name; change).
fn child_rows(
    children: &[(String, String, i64, i64)],
    before: &[(String, String, i64, i64)],
    sort: Option<&str>,
) -> Vec<Value> {
    let mut rows: Vec<RankRow> = children
        .iter()
        .map(|(code, name, a, r)| {
            let prev = before.iter().find(|b| b.0 == *code).and_then(|b| share(b.3, b.2));
            (code, name, *a, *r, share(*r, *a), prev)
        })
        .collect();
    let key = |x: Option<f64>| x.unwrap_or(f64::NEG_INFINITY);
    match sort {
        Some("name") => rows.sort_by_key(|x| domain::text::fold(x.1)),
        Some("change") => rows.sort_by(|x, y| {
            let d = |r: &RankRow| r.4.zip(r.5).map(|(a, b)| a - b);
            key(d(y)).total_cmp(&key(d(x)))
        }),
        _ => rows.sort_by(|x, y| key(y.4).total_cmp(&key(x.4))),
    }
    rows.into_iter()
        .enumerate()
        .map(|(i, (code, name, a, r, rate, prev))| {
            let change = rate.zip(prev).map(|(x, p)| {
                let pts = (x - p) * 100.0;
                format!("{}{:.1}", if pts >= 0.0 { "+" } else { "−" }, pts.abs()).replace('.', ",")
            });
            context! { rank => i + 1, code, name, assessed => a, recognised => r, rate => rate.map(percent),
            prev => prev.map(percent), change }
        })
        .collect()
}

/// Models per type with their verdicts.
fn models_by_type(st: &MovementStats, types: &HashMap<String, String>) -> Vec<Value> {
    st.models_by_type
        .iter()
        .zip(&st.models_by_type_verdict)
        .map(|((c, n), (_, e, f))| context! { code => c, name => types.get(c).cloned().unwrap_or(c.clone()), n, effective => e, formal => f })
        .collect()
}

/// Submission progress of each group against its deadline.
fn progress(st: &MovementStats, campaign: &Campaign) -> Vec<Value> {
    [
        ("residential_area", true, campaign.residential_area_deadline, "&subject=residential_area"),
        ("commune_and_organisation", false, campaign.commune_deadline, ""),
    ]
    .iter()
    .map(|(group, residential, deadline, subject)| {
        let (made, submitted, approved, late) = progress_of(st, *residential);
        context! { group, deadline => deadline.format("%Y-%m-%d").to_string(), made, submitted, approved, late, subject }
    })
    .collect()
}

/// `GET /movement/points?year=&unit=&indicator=`: the point map of the nation's (or a
/// province's) communes coloured by the chosen indicator (recognition by default),
/// loaded when the officer opens it (3,321 dots are kept off the dashboard's first
/// load). `print=1` answers the map alone on a printable page.
pub(crate) async fn points(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<DashQuery>,
) -> PageResult {
    let year = q.year.unwrap_or_else(store::clock::current_year);
    let unit = q.unit.clone().filter(|u| !u.trim().is_empty());
    let indicator = match q.indicator.as_deref().filter(|i| !i.is_empty()) {
        None => MapIndicator::Recognition,
        Some(i) => MapIndicator::parse(i)
            .ok_or_else(|| app::AppError::from(domain::ValidationError::one("indicator", "map.indicator_unknown")))
            .or_page(&s, lang, Some(&sess))?,
    };
    let (svg, count) = commune_point_map(&s, &sess, year, unit.as_deref(), indicator, lang).await?;
    let legend: Vec<(&str, String)> = domain::map_indicator::legend(indicator)
        .iter()
        .map(|(v, key)| (colour_class(Some(*v)), t(lang, key)))
        .chain(std::iter::once((colour_class(None), t(lang, "map.legend.no_figure"))))
        .collect();
    let indicators: Vec<(&str, String, bool)> = MapIndicator::ALL
        .iter()
        .map(|i| (i.as_str(), t(lang, &format!("map.indicator.{}", i.as_str())), *i == indicator))
        .collect();
    let ctx = minijinja::context! {
        svg, count, legend, indicators, year, unit, indicator => indicator.as_str(),
        indicator_label => t(lang, &format!("map.indicator.{}", indicator.as_str())),
    };
    if q.print.is_some() {
        let ctx = with(base_ctx(lang, Some(&sess), "movement"), ctx);
        return Ok(no_store(render(&s, "point_map_print.html", StatusCode::OK, ctx)));
    }
    Ok(no_store(render(&s, "point_map.html", StatusCode::OK, ctx)))
}

/// The point map's SVG for an indicator and how many communes it places.
pub(crate) async fn commune_point_map(
    s: &AppState,
    sess: &crate::shared::auth::Session,
    year: i64,
    unit: Option<&str>,
    indicator: MapIndicator,
    lang: Lang,
) -> Result<(String, usize), crate::shared::page::PageError> {
    let communes = s.app.commune_map(&sess.actor, year, unit, indicator).await.or_page(s, lang, Some(sess))?;
    let dots: Vec<Dot> = communes
        .iter()
        .map(|(code, name, figure)| Dot {
            code: code.clone(),
            name: format!("{name}: {}", figure_text(lang, figure)),
            value: domain::map_indicator::shade(indicator, figure),
            href: Some(format!("/units/{code}")),
        })
        .collect();
    // On the nation's map, the provinces' names link to their own maps.
    let labels: Vec<(String, String, String)> = if unit.is_none() && matches!(sess.actor.scope, domain::Scope::Nation) {
        crate::shared::page::province_names(s)
            .await
            .into_iter()
            .map(|(code, name)| {
                let short = name.trim_start_matches("Thành phố ").trim_start_matches("Tỉnh ").to_string();
                let href = format!("/movement?year={year}&unit={code}#point-map");
                (code, short, href)
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok((point_map(&dots, &labels, 360.0, &colour), dots.len()))
}

/// What a commune's dot says on hover.
fn figure_text(lang: Lang, f: &Figure) -> String {
    match f {
        Figure::Ratio(0, _) => "—".into(),
        Figure::Ratio(assessed, recognised) => format!("{recognised}/{assessed}"),
        Figure::Level(Some(level)) => t(lang, &format!("map.legend.{level}")),
        Figure::Level(None) => t(lang, "map.legend.no_figure"),
        Figure::Flag(None) => t(lang, "map.legend.no_figure"),
        Figure::Flag(Some(true)) => t(lang, "map.yes"),
        Figure::Flag(Some(false)) => t(lang, "map.no"),
        Figure::Count(n) => format!("{n}"),
        Figure::Amount(None) => t(lang, "map.legend.no_figure"),
        Figure::Amount(Some(a)) => format!("{} {}", domain::text::format_number(*a), t(lang, "funding.per_area")),
    }
}
