//! The point map's communes with their figure for one indicator, in the actor's
//! scope (or a province inside it), kept in the figures memo like the dashboard's.

use domain::map_indicator::{Figure, MapIndicator};
use domain::Level;

use crate::error::AppResult;
use crate::{Actor, App};

/// One commune on the map: code, name and figure.
pub type CommuneFigure = (String, String, Figure);

impl App {
    /// Every commune of the actor's scope narrowed to `unit` (the nation's or one
    /// province's) with its figure for `indicator` in `year`; none for a narrower scope.
    pub async fn commune_map(
        &self,
        actor: &Actor,
        year: i64,
        unit: Option<&str>,
        indicator: MapIndicator,
    ) -> AppResult<Vec<CommuneFigure>> {
        let scope = self.narrowed_scope(actor, unit).await?;
        let parent = match &scope {
            domain::Scope::Nation => None,
            domain::Scope::Province(p) => Some(p.clone()),
            _ => return Ok(Vec::new()),
        };
        let today = store::clock::today_iso();
        let rows = self
            .memo(format!("commune_map|{}|{scope:?}|{year}|{today}", indicator.as_str()), || async {
                let figures = self.store.map_figures(&scope, indicator, year, &today).await?;
                let f =
                    store::units::UnitFilter { level: Some(Level::Commune), parent, limit: 5000, ..Default::default() };
                let (units, _) = self.store.list_units(&f).await?;
                Ok(units
                    .into_iter()
                    .map(|u| {
                        let figure = figures.get(&u.code).cloned().unwrap_or(match indicator {
                            MapIndicator::Recognition | MapIndicator::NgayHoi | MapIndicator::Teams => {
                                Figure::Ratio(0, 0)
                            }
                            MapIndicator::Classification => Figure::Level(None),
                            MapIndicator::KeyArea => Figure::Flag(Some(false)),
                            MapIndicator::Criterion19 => Figure::Flag(None),
                            MapIndicator::CasesOverdue | MapIndicator::TasksOverdue => Figure::Count(0),
                            MapIndicator::FundingPerArea => Figure::Amount(None),
                        });
                        (u.code, u.name, figure)
                    })
                    .collect::<Vec<_>>())
            })
            .await?;
        Ok((*rows).clone())
    }
}
