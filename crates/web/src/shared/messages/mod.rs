//! Every user-facing message, Vietnamese and English, one file per feature. Keys
//! are stable; codes in API errors are these keys.

use std::collections::HashMap;
use std::sync::LazyLock;

mod accounts;
mod awards;
mod cases;
mod common;
mod forces;
mod movement;
mod units;
mod working_year;

/// Every room's messages.
const ROOMS: [&[(&str, &str, &str)]; 8] = [
    common::MESSAGES,
    accounts::MESSAGES,
    units::MESSAGES,
    movement::MESSAGES,
    cases::MESSAGES,
    working_year::MESSAGES,
    awards::MESSAGES,
    forces::MESSAGES,
];

/// Every message: (key, Vietnamese, English).
pub fn all() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    ROOMS.into_iter().flatten()
}

/// Key → (Vietnamese, English), built once: a page looks up dozens of keys.
static INDEX: LazyLock<HashMap<&'static str, (&'static str, &'static str)>> =
    LazyLock::new(|| all().map(|(k, vi, en)| (*k, (*vi, *en))).collect());

/// Looks up a key: (Vietnamese, English).
pub fn lookup(key: &str) -> Option<(&'static str, &'static str)> {
    INDEX.get(key).copied()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_key_is_defined_once() {
        let mut seen = std::collections::HashSet::new();
        for (k, _, _) in super::all() {
            assert!(seen.insert(*k), "{k} defined twice");
        }
        assert_eq!(seen.len(), super::INDEX.len());
    }
}
