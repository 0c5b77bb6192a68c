//! Emulation and awards: the award catalogue's types (who may propose, who decides,
//! for collectives and/or individuals), a nomination's way up (proposed → verified
//! by the police of the level above → decided by the authority; returned with a
//! reason at any step), and in `medal` the Kỷ niệm chương "Bảo vệ an ninh Tổ quốc"
//! rule in its dated versions.

pub mod catalogue;
pub mod medal;

use serde::{Deserialize, Serialize};

use crate::codes::codes;
use crate::unit::Level;

codes! {
    /// Who an award is for.
    Recipient {
        /// A unit, an organisation, a model or a team.
        Collective => "collective",
        /// A person.
        Individual => "individual",
    }
}

codes! {
    /// Where a nomination stands.
    NominationStatus {
        /// Proposed by a unit, waiting for the level above's verification.
        Proposed => "proposed",
        /// Verified, waiting for the authority's decision.
        Verified => "verified",
        /// Decided (a decision number and date).
        Decided => "decided",
        /// Returned with reasons; the proposer may send it again.
        Returned => "returned",
    }
}

/// One form of award in the catalogue (shipped as data, `data/awards/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardType {
    /// Stable code (`kyniemchuong_bvantq`, …).
    pub code: String,
    /// Its name as written on the decision.
    pub name: String,
    /// For collectives and/or individuals.
    #[serde(rename = "for")]
    pub recipients: Vec<Recipient>,
    /// The levels whose police may propose it.
    pub proposers: Vec<Level>,
    /// The level of the authority that decides.
    pub decider: Level,
    /// The deciding body as the decision names it.
    pub decider_name: String,
    /// Legal basis.
    pub basis: String,
    /// An eligibility rule computed by the system (`kyniemchuong`), if any.
    #[serde(default)]
    pub rule: Option<String>,
    /// Not yet checked against the text.
    #[serde(default)]
    pub to_confirm: bool,
    /// First year the entry applies to.
    pub from_year: i64,
}

/// The level above (the ministry above a province, a province above a commune).
pub fn level_above(l: Level) -> Level {
    match l {
        Level::Area => Level::Commune,
        Level::Commune => Level::Province,
        Level::Province | Level::Nation => Level::Nation,
    }
}

/// The level whose police verify a nomination proposed at `proposer` for an award
/// decided at `decider`: the level above the proposer, never above the decider.
pub fn verifier_level(proposer: Level, decider: Level) -> Level {
    let above = level_above(proposer);
    if rank(above) > rank(decider) {
        decider
    } else {
        above
    }
}

fn rank(l: Level) -> u8 {
    match l {
        Level::Area => 0,
        Level::Commune => 1,
        Level::Province => 2,
        Level::Nation => 3,
    }
}

/// The way up: the next status when the level `acting` takes a step on a
/// nomination proposed at `proposer` for an award decided at `decider`, or the
/// message key of the refusal.
pub fn next_status(
    status: NominationStatus,
    to: NominationStatus,
    acting: Level,
    proposer: Level,
    decider: Level,
) -> Result<NominationStatus, &'static str> {
    use NominationStatus as S;
    let verifier = verifier_level(proposer, decider);
    match (status, to) {
        (S::Proposed, S::Verified) if acting == verifier => Ok(S::Verified),
        (S::Verified, S::Decided) if acting == decider => Ok(S::Decided),
        (S::Proposed, S::Returned) if acting == verifier => Ok(S::Returned),
        (S::Verified, S::Returned) if acting == decider => Ok(S::Returned),
        (S::Returned, S::Proposed) if acting == proposer => Ok(S::Proposed),
        (S::Proposed, S::Verified) | (S::Verified, S::Decided) | (S::Proposed | S::Verified, S::Returned) => {
            Err("nomination.not_your_step")
        }
        (S::Returned, S::Proposed) => Err("nomination.not_your_step"),
        _ => Err("nomination.step_invalid"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_way_up() {
        use NominationStatus as S;
        // A commune proposes the medal; the province verifies; the ministry decides.
        let (c, p, n) = (Level::Commune, Level::Province, Level::Nation);
        assert_eq!(verifier_level(c, n), p);
        assert_eq!(verifier_level(c, c), c, "a commune's own award: verified at the commune");
        assert_eq!(next_status(S::Proposed, S::Verified, p, c, n), Ok(S::Verified));
        assert_eq!(next_status(S::Proposed, S::Verified, c, c, n), Err("nomination.not_your_step"));
        assert_eq!(next_status(S::Verified, S::Decided, p, c, n), Err("nomination.not_your_step"));
        assert_eq!(next_status(S::Verified, S::Decided, n, c, n), Ok(S::Decided));
        assert_eq!(next_status(S::Verified, S::Returned, n, c, n), Ok(S::Returned));
        assert_eq!(next_status(S::Returned, S::Proposed, c, c, n), Ok(S::Proposed));
        assert_eq!(next_status(S::Decided, S::Returned, n, c, n), Err("nomination.step_invalid"));
        assert_eq!(next_status(S::Proposed, S::Decided, n, c, n), Err("nomination.step_invalid"));
    }
}
