//! The shipped safe-unit criteria (version 2022.2) against the text of Thông tư
//! 124/2021/TT-BCA Điều 4–7 (`data/legal/tt-124-2021.md`): every khoản and every
//! lettered điểm has a criterion citing it, and no criterion says a word the
//! circular does not — each is a clause, a part of one (where a computed part is
//! split off), or a clause's lead-in followed by one of its points.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use app::criteria_sets::{parse_set, SHIPPED_SETS};

const LEGAL: &str = include_str!("../../../data/legal/tt-124-2021.md");

/// One article's clauses: khoản number → (text, [(letter, text)]).
type Clauses = BTreeMap<String, (String, Vec<(String, String)>)>;

fn article(n: u32) -> Clauses {
    let start = LEGAL.find(&format!("Điều 1.6.TT.20.{n}. ")).expect("article start");
    let end = LEGAL.find(&format!("Điều 1.6.TT.20.{}. ", n + 1)).expect("article end");
    let mut out = Clauses::new();
    let mut last = String::new();
    for line in LEGAL[start..end].lines().map(str::trim).filter(|l| !l.is_empty()).skip(3) {
        if let Some((k, text)) = line.split_once(". ").filter(|(k, _)| k.chars().all(|c| c.is_ascii_digit())) {
            last = k.to_string();
            out.insert(last.clone(), (text.to_string(), Vec::new()));
        } else if let Some((letter, text)) = line.split_once(") ").filter(|(l, _)| l.chars().count() == 1) {
            out.get_mut(&last).expect("a point after a clause").1.push((letter.to_string(), text.to_string()));
        }
    }
    out
}

/// "Điều 4, khoản 3, điểm a" → (4, "3", Some("a")); a school's "(Điều 6, khoản 3,
/// điểm a)" reference → the referenced point as well.
/// What a criterion cites: article, khoản, điểm, and a referenced (article, khoản, điểm).
type Cited = (u32, String, Option<String>, Option<(u32, String, String)>);

fn cited(source: &str) -> Cited {
    let num =
        |s: &str, after: &str| s.split(after).nth(1).map(|r| r.split([',', ' ', ')']).next().unwrap().to_string());
    let (main, reference) = match source.split_once(" (") {
        Some((m, r)) => (m, Some(r.trim_end_matches(')'))),
        None => (source, None),
    };
    let art: u32 = num(main, "Điều ").unwrap().parse().unwrap();
    let k = num(main, "khoản ").unwrap();
    let point = num(main, "điểm ");
    let reference = reference
        .map(|r| (num(r, "Điều ").unwrap().parse().unwrap(), num(r, "khoản ").unwrap(), num(r, "điểm ").unwrap()));
    (art, k, point, reference)
}

/// Without a trailing stop (a part cut from a sentence loses its ";" or ".").
fn trimmed(s: &str) -> &str {
    s.trim_end_matches(['.', ';', ':'])
}

#[test]
fn every_clause_is_quoted_word_for_word_and_none_is_invented() {
    let subjects = [("residential_area", 4), ("commune", 5), ("agency", 6), ("enterprise", 6), ("school", 7)];
    for (subject, n) in subjects {
        let name = format!("safe_unit-{subject}-2022.2");
        let text = SHIPPED_SETS.iter().find(|(f, _)| *f == name).map(|(_, t)| *t).expect("shipped");
        let set = parse_set(text).unwrap();
        assert!(set.verified, "{name} is marked verified");
        assert_eq!(set.version, "2022.2");
        let clauses = article(n);
        let mut covered: BTreeSet<(String, Option<String>)> = BTreeSet::new();
        for c in &set.criteria {
            let (art, k, point, reference) = cited(&c.source);
            assert_eq!(art, n, "{name} {}: cites Điều {art}", c.code);
            let (clause, points) = clauses.get(&k).unwrap_or_else(|| panic!("{name} {}: no khoản {k}", c.code));
            match (&point, &reference) {
                (Some(l), None) => {
                    let (_, pt) =
                        points.iter().find(|(x, _)| x == l).unwrap_or_else(|| panic!("{name} {}: no điểm {l}", c.code));
                    assert_eq!(c.text, format!("{clause} {l}) {pt}"), "{name} {}", c.code);
                }
                (None, Some((ra, rk, rl))) => {
                    let (_, rpoints) = &article(*ra)[rk];
                    let (_, pt) = rpoints.iter().find(|(x, _)| x == rl).unwrap();
                    assert_eq!(c.text, format!("{}: {rl}) {pt}", trimmed(clause)), "{name} {}", c.code);
                    assert!(
                        clause.contains(&format!("khoản {rk} Điều {ra}")),
                        "{name} {}: the clause names the reference",
                        c.code
                    );
                }
                (None, None) => {
                    assert!(points.is_empty(), "{name} {}: khoản {k} has points; cite one", c.code);
                    assert!(clause.contains(trimmed(&c.text)), "{name} {}: not in khoản {k}:\n{}", c.code, c.text);
                }
                (Some(_), Some(_)) => panic!("{name} {}: both a point and a reference", c.code),
            }
            covered.insert((k.clone(), point.or(reference.map(|r| r.2))));
        }
        // Every khoản, and every point of it, is present.
        for (k, (clause, points)) in &clauses {
            if points.is_empty() && !clause.contains("điểm a, b") {
                assert!(covered.contains(&(k.clone(), None)), "{name}: khoản {k} missing");
                // Split clauses are whole again when their parts are put together.
                let parts: Vec<&str> =
                    set.criteria.iter().filter(|c| cited(&c.source).1 == *k).map(|c| trimmed(&c.text)).collect();
                let rest = parts.iter().fold(trimmed(clause).to_string(), |r, p| r.replacen(p, "", 1));
                assert!(rest.chars().all(|ch| !ch.is_alphanumeric()), "{name}: words of khoản {k} left out: {rest:?}");
            }
            for (l, _) in points {
                assert!(covered.contains(&(k.clone(), Some(l.clone()))), "{name}: khoản {k} điểm {l} missing");
            }
            // A clause naming points of another article: each named point present.
            if let Some(named) = clause.split("điểm ").nth(1).filter(|_| points.is_empty()) {
                let named = named.split(" khoản").next().unwrap_or_default();
                for l in named.split([',', ' ']).filter(|l| l.chars().count() == 1) {
                    assert!(
                        covered.contains(&(k.clone(), Some(l.to_string()))),
                        "{name}: khoản {k} điểm {l} (referenced) missing"
                    );
                }
            }
        }
    }
}

#[test]
fn the_residential_area_set_quotes_the_circular_as_the_outside_check_reads_it() {
    let text = SHIPPED_SETS.iter().find(|(f, _)| *f == "safe_unit-residential_area-2022.2").unwrap().1;
    let set = parse_set(text).unwrap();
    assert!(set.criteria.iter().any(|c| c.text.contains("Quý I hằng năm, chi bộ")));
    assert!(set.criteria.iter().all(|c| c.source.starts_with("Điều 4, khoản ")));
}
