//! The dashboard's charts: recognition per subject against the year's target,
//! the classification mix, and (for the nation) the province map of a chosen
//! indicator. Drawn once per scope, year, unit, indicator and language and kept
//! with the figures they show (until the next write, see `app::figures`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use app::statistics::{indicator_value, working_year_value, WORKING_YEAR_INDICATORS};
use app::{Actor, AppError};
use domain::campaign::Campaign;
use domain::criteria::Subject;
use domain::Scope;
use store::statistics::MovementStats;

use crate::shared::charts::{bars, province_map, Bar};
use crate::shared::i18n::{format_number, t, Lang};
use crate::AppState;

/// "96,0 %" — a share with a Vietnamese decimal comma.
pub fn percent(v: f64) -> String {
    format!("{:.1} %", v * 100.0).replace('.', ",")
}

/// `recognised / assessed`, none when nothing was assessed.
pub fn share(recognised: i64, assessed: i64) -> Option<f64> {
    (assessed > 0).then(|| recognised as f64 / assessed as f64)
}

/// The three SVGs of the dashboard (the map only for the nation).
#[derive(Clone)]
pub struct Charts {
    /// Recognition per subject, with the target line.
    pub recognition: String,
    /// Classification mix.
    pub levels: String,
    /// Province map of the chosen indicator.
    pub map: Option<String>,
}

/// What the charts are drawn from.
pub struct ChartInput<'a> {
    /// The scope shown.
    pub scope: &'a Scope,
    /// Year.
    pub year: i64,
    /// `&unit=…` kept in every link (empty for the user's own scope).
    pub unit_link: &'a str,
    /// Map indicator (one of `MAP_INDICATORS`).
    pub indicator: &'a str,
    /// Language.
    pub lang: Lang,
    /// The scope's figures.
    pub stats: &'a MovementStats,
    /// The year's campaign.
    pub campaign: &'a Campaign,
    /// (code, name, assessed, recognised) per unit one level down.
    pub children: &'a [(String, String, i64, i64)],
}

/// The charts of `input`, drawn or kept.
pub async fn charts(s: &AppState, actor: &Actor, input: ChartInput<'_>) -> Result<Arc<Charts>, AppError> {
    let key = format!(
        "dashboard_svgs|{:?}|{}|{}|{}|{:?}",
        input.scope, input.year, input.unit_link, input.indicator, input.lang
    );
    s.app
        .memo(key, || async {
            // The map of another indicator than recognition needs each province's figures.
            let nation = matches!(input.scope, Scope::Nation);
            let per_province = if nation && input.indicator != "recognition" && !working_year(input.indicator) {
                Some(s.app.movement_stats_by_province(actor, input.year, None).await?)
            } else {
                None
            };
            let mut charts = draw(&input, per_province.as_ref());
            if nation && working_year(input.indicator) {
                let by = s.app.year_by_province(actor, input.year).await?;
                let values = by
                    .iter()
                    .filter_map(|(code, y)| Some((code.clone(), working_year_value(y, input.indicator)?)))
                    .collect();
                charts.map = Some(map_of(&input, values));
            }
            Ok(charts)
        })
        .await
}

/// Draws the charts (pure).
pub fn draw(input: &ChartInput<'_>, per_province: Option<&BTreeMap<String, MovementStats>>) -> Charts {
    let (lang, year, u) = (input.lang, input.year, input.unit_link);
    let st = input.stats;
    let recognition: Vec<Bar> = Subject::ALL
        .iter()
        .map(|subject| {
            let f = st.safe_unit.iter().find(|(x, _)| x == subject).map(|(_, f)| *f).unwrap_or_default();
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
    let target_label = format!("{} {} %", t(lang, "dash.target"), input.campaign.target_percent);
    Charts {
        recognition: bars(&recognition, Some(input.campaign.target_rate()), &target_label),
        levels: bars(&levels, None, ""),
        map: matches!(input.scope, Scope::Nation).then(|| map(input, per_province)),
    }
}

/// Whether the indicator comes from the working year (tasks, plans).
fn working_year(indicator: &str) -> bool {
    WORKING_YEAR_INDICATORS.contains(&indicator)
}

/// The province map of the chosen indicator.
fn map(input: &ChartInput<'_>, per_province: Option<&BTreeMap<String, MovementStats>>) -> String {
    // (share, numerator, denominator) per province of the chosen indicator.
    let mut values: HashMap<String, (f64, i64, i64)> = HashMap::new();
    match per_province {
        None => {
            for (code, _, a, r) in input.children {
                if let Some(v) = share(*r, *a) {
                    values.insert(code.clone(), (v, *r, *a));
                }
            }
        }
        Some(per_province) => {
            for (code, pst) in per_province {
                if let Some(v) = indicator_value(pst, input.indicator) {
                    values.insert(code.clone(), v);
                }
            }
        }
    }
    map_of(input, values)
}

/// The province map of (share, numerator, denominator) per province.
fn map_of(input: &ChartInput<'_>, values: HashMap<String, (f64, i64, i64)>) -> String {
    let (lang, year, indicator) = (input.lang, input.year, input.indicator);
    let names: HashMap<&str, &str> = input.children.iter().map(|(c, n, _, _)| (c.as_str(), n.as_str())).collect();
    province_map(
        &|code| values.get(code).map(|v| v.0),
        &|code| names.get(code).map(|n| n.to_string()).unwrap_or_default(),
        &|code| match values.get(code) {
            Some((v, n, d)) => format!("{} ({}/{})", percent(*v), format_number(*n), format_number(*d)),
            None => t(lang, "common.none"),
        },
        &|code| format!("/movement?year={year}&unit={code}&indicator={indicator}"),
    )
}
