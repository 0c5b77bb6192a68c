//! What colours a commune on the point map: the indicator chosen (recognition,
//! classification, key area, criterion 19, overdue cases, overdue tasks), each
//! commune's figure for it, and the shade in 0..=1 the map draws (1 the best, none
//! for no figure), with the legend that explains the colours.

use crate::codes::codes;

codes! {
    /// The figures the point map can show.
    MapIndicator {
        /// Share of the commune's assessed subjects recognised "An toàn về ANTT".
        Recognition => "recognition",
        /// The commune's approved movement classification.
        Classification => "classification",
        /// Whether the commune is a key area (địa bàn trọng điểm) now.
        KeyArea => "key_area",
        /// Criterion 19 (quốc phòng, an ninh) of the year: met or not.
        Criterion19 => "criterion19",
        /// Citizens' cases past their deadline, still open.
        CasesOverdue => "cases_overdue",
        /// Task assignments past their due day, not finished.
        TasksOverdue => "tasks_overdue",
        /// Share of the commune's residential areas that held the year's Ngày hội.
        NgayHoi => "ngay_hoi",
        /// Share of the commune's residential areas covered by a security team.
        Teams => "teams",
        /// What the commune's units spent on the movement and the forces in the
        /// year, per residential area (đồng).
        FundingPerArea => "funding_per_area",
    }
}

/// A commune's figure for one indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Figure {
    /// (assessed, recognised).
    Ratio(i64, i64),
    /// A movement level code (`excellent`, `good`, `average`, `weak`), if classified.
    Level(Option<String>),
    /// Yes or no, if recorded.
    Flag(Option<bool>),
    /// How many.
    Count(i64),
    /// An amount of đồng, if any (none: no residential area to divide by).
    Amount(Option<i64>),
}

/// The steps of the spending-per-area scale (đồng per residential area) and their
/// shades: phongtrao's own scale to tell communes apart, not a norm of any text.
pub const PER_AREA_STEPS: [(i64, f64); 4] = [(20_000_000, 1.0), (10_000_000, 0.85), (5_000_000, 0.7), (1_000_000, 0.5)];

/// The shade of a figure: 1 the best, 0 the worst, `None` for no figure.
pub fn shade(indicator: MapIndicator, f: &Figure) -> Option<f64> {
    match (indicator, f) {
        (_, Figure::Ratio(assessed, recognised)) => (*assessed > 0).then(|| *recognised as f64 / *assessed as f64),
        (_, Figure::Level(level)) => match level.as_deref()? {
            "excellent" => Some(1.0),
            "good" => Some(0.9),
            "average" => Some(0.6),
            "weak" => Some(0.1),
            _ => None,
        },
        // A key area needs attention: drawn as the worst shade; the others as the best.
        (MapIndicator::KeyArea, Figure::Flag(flag)) => flag.map(|k| if k { 0.0 } else { 1.0 }),
        (_, Figure::Flag(flag)) => flag.map(|met| if met { 1.0 } else { 0.0 }),
        (_, Figure::Amount(a)) => {
            a.map(|a| PER_AREA_STEPS.iter().find(|(step, _)| a >= *step).map_or(0.0, |(_, shade)| *shade))
        }
        (_, Figure::Count(n)) => Some(match n {
            0 => 1.0,
            1 => 0.75,
            2..=4 => 0.6,
            _ => 0.0,
        }),
    }
}

/// Colour of a shade on a red → amber → green scale; grey when there is no figure.
pub fn colour(v: Option<f64>) -> &'static str {
    match v {
        None => "#dadce0",
        Some(v) if v >= 0.95 => "#137333",
        Some(v) if v >= 0.85 => "#34a853",
        Some(v) if v >= 0.70 => "#fbbc04",
        Some(v) if v >= 0.50 => "#fa7b17",
        Some(_) => "#d93025",
    }
}

/// The same colour as red, green and blue in 0..=1 (for PDF drawing).
pub fn colour_rgb(v: Option<f64>) -> (f32, f32, f32) {
    let hex = colour(v).trim_start_matches('#');
    let part = |i: usize| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(0) as f32 / 255.0;
    (part(0), part(2), part(4))
}

/// The legend of an indicator: (a shade it draws, the message key of what it means),
/// best first.
pub fn legend(indicator: MapIndicator) -> &'static [(f64, &'static str)] {
    match indicator {
        MapIndicator::Recognition | MapIndicator::NgayHoi | MapIndicator::Teams => &[
            (1.0, "map.legend.ge95"),
            (0.85, "map.legend.ge85"),
            (0.7, "map.legend.ge70"),
            (0.5, "map.legend.ge50"),
            (0.0, "map.legend.lt50"),
        ],
        MapIndicator::Classification => &[
            (1.0, "map.legend.excellent"),
            (0.9, "map.legend.good"),
            (0.6, "map.legend.average"),
            (0.1, "map.legend.weak"),
        ],
        MapIndicator::KeyArea => &[(1.0, "map.legend.not_key_area"), (0.0, "map.legend.key_area")],
        MapIndicator::FundingPerArea => &[
            (1.0, "map.legend.per_area_ge20"),
            (0.85, "map.legend.per_area_ge10"),
            (0.7, "map.legend.per_area_ge5"),
            (0.5, "map.legend.per_area_ge1"),
            (0.0, "map.legend.per_area_lt1"),
        ],
        MapIndicator::Criterion19 => &[(1.0, "map.legend.met"), (0.0, "map.legend.not_met")],
        MapIndicator::CasesOverdue | MapIndicator::TasksOverdue => &[
            (1.0, "map.legend.none_overdue"),
            (0.75, "map.legend.one_overdue"),
            (0.6, "map.legend.few_overdue"),
            (0.0, "map.legend.many_overdue"),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_become_shades() {
        use MapIndicator as M;
        assert_eq!(shade(M::Recognition, &Figure::Ratio(4, 3)), Some(0.75));
        assert_eq!(shade(M::Recognition, &Figure::Ratio(0, 0)), None, "nothing assessed");
        assert_eq!(shade(M::Classification, &Figure::Level(Some("excellent".into()))), Some(1.0));
        assert_eq!(shade(M::Classification, &Figure::Level(None)), None);
        assert_eq!(shade(M::KeyArea, &Figure::Flag(Some(true))), Some(0.0), "a key area needs attention");
        assert_eq!(shade(M::Criterion19, &Figure::Flag(Some(true))), Some(1.0));
        assert_eq!(shade(M::Criterion19, &Figure::Flag(None)), None, "not reported");
        assert_eq!(shade(M::CasesOverdue, &Figure::Count(0)), Some(1.0));
        assert_eq!(shade(M::TasksOverdue, &Figure::Count(7)), Some(0.0));
        assert_eq!(shade(M::FundingPerArea, &Figure::Amount(Some(20_000_000))), Some(1.0), "at the step");
        assert_eq!(shade(M::FundingPerArea, &Figure::Amount(Some(19_999_999))), Some(0.85));
        assert_eq!(shade(M::FundingPerArea, &Figure::Amount(Some(0))), Some(0.0));
        assert_eq!(shade(M::FundingPerArea, &Figure::Amount(None)), None, "no area");
    }

    #[test]
    fn each_legend_shade_has_its_own_colour() {
        for i in MapIndicator::ALL {
            let colours: Vec<&str> = legend(*i).iter().map(|(v, _)| colour(Some(*v))).collect();
            let mut unique = colours.clone();
            unique.dedup();
            assert_eq!(unique, colours, "{i:?}");
        }
        assert_eq!(colour_rgb(Some(1.0)), (0x13 as f32 / 255.0, 0x73 as f32 / 255.0, 0x33 as f32 / 255.0));
    }

    #[test]
    fn every_indicator_has_a_legend_best_first() {
        for i in MapIndicator::ALL {
            let l = legend(*i);
            assert!(l.len() >= 2, "{i:?}");
            assert!(l.windows(2).all(|w| w[0].0 > w[1].0), "{i:?}");
            assert_eq!(MapIndicator::parse(i.as_str()), Some(*i));
        }
    }
}
