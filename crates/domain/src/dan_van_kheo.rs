//! "Dân vận khéo" as an emulation, not a flag: a unit registers a self-management
//! model for the year; the level above recognises it by decision (or returns it
//! with a reason, and the unit may register it again); a recognised model carries
//! the mark for that year. A commune's models are recognised by the province, a
//! province's own by the ministry.

use crate::codes::codes;
use crate::unit::Level;

codes! {
    /// Where a year's "Dân vận khéo" entry stands.
    DvkStatus {
        /// Registered by the unit, waiting for the level above.
        Registered => "registered",
        /// Recognised by decision: the model carries the mark for the year.
        Recognised => "recognised",
        /// Returned with a reason.
        Returned => "returned",
    }
}

/// The level that recognises a model held at `holder` (a residential area's or a
/// commune's model: the province; a province's: the ministry).
pub fn recogniser(holder: Level) -> Level {
    match holder {
        Level::Area | Level::Commune => Level::Province,
        Level::Province | Level::Nation => Level::Nation,
    }
}

/// The level that registers a model held at `holder` (its commune's police for a
/// residential area's model).
pub fn registrar(holder: Level) -> Level {
    match holder {
        Level::Area | Level::Commune => Level::Commune,
        Level::Province | Level::Nation => Level::Province,
    }
}

/// The next status when the level `acting` decides on an entry of a model held at
/// `holder`, or the message key of the refusal.
pub fn decide(status: DvkStatus, to: DvkStatus, acting: Level, holder: Level) -> Result<DvkStatus, &'static str> {
    use DvkStatus as S;
    match (status, to) {
        (S::Registered, S::Recognised | S::Returned) if acting == recogniser(holder) => Ok(to),
        (S::Registered, S::Recognised | S::Returned) => Err("dvk.not_your_step"),
        (S::Returned, S::Registered) if acting == registrar(holder) => Ok(S::Registered),
        (S::Returned, S::Registered) => Err("dvk.not_your_step"),
        _ => Err("dvk.step_invalid"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_level_above_recognises() {
        use DvkStatus as S;
        assert_eq!(recogniser(Level::Area), Level::Province);
        assert_eq!(recogniser(Level::Commune), Level::Province);
        assert_eq!(recogniser(Level::Province), Level::Nation);
        assert_eq!(registrar(Level::Area), Level::Commune);
        let (c, p, n) = (Level::Commune, Level::Province, Level::Nation);
        assert_eq!(decide(S::Registered, S::Recognised, p, c), Ok(S::Recognised));
        assert_eq!(decide(S::Registered, S::Recognised, c, c), Err("dvk.not_your_step"), "not its own");
        assert_eq!(decide(S::Registered, S::Recognised, n, c), Err("dvk.not_your_step"));
        assert_eq!(decide(S::Registered, S::Recognised, n, p), Ok(S::Recognised));
        assert_eq!(decide(S::Registered, S::Returned, p, Level::Area), Ok(S::Returned));
        assert_eq!(decide(S::Returned, S::Registered, c, Level::Area), Ok(S::Registered));
        assert_eq!(decide(S::Recognised, S::Returned, p, c), Err("dvk.step_invalid"), "a decision stands");
        assert_eq!(decide(S::Recognised, S::Registered, c, c), Err("dvk.step_invalid"));
    }
}
