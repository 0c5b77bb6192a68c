//! Checks `domain::lunar` against an independent reference table of Vietnamese lunar month boundaries,
//! 1968–2100 (every first day of a lunar month, leap months included, and the day before it).
//! Provenance of the table: `tests/data/README.md`.

use chrono::NaiveDate;
use domain::lunar::{lunar_to_solar, solar_to_lunar, tet, LunarDate};

const TABLE: &str = include_str!("data/vn_lunar_months_1968_2100.csv");

/// Months where the reference differs from the algorithm by one day because the new moon falls within two
/// minutes of local midnight, beyond the precision of the simplified astronomical series (the reference
/// tables were computed with a more precise method). Each entry: solar date, the reference's lunar date,
/// and this crate's.
/// Lunar year, month, day of a non-leap month.
type Ymd = (i32, u32, u32);

const KNOWN_DIFFERENCES: [(&str, Ymd, Ymd); 6] = [
    ("2054-05-07", (2054, 4, 1), (2054, 3, 30)), // new moon 08/05/2054 00:02 UTC+7 by the series
    ("2054-06-05", (2054, 4, 30), (2054, 4, 29)),
    ("2072-12-09", (2072, 11, 1), (2072, 10, 30)), // new moon 10/12/2072 00:00 UTC+7 by the series
    ("2073-01-07", (2072, 11, 30), (2072, 11, 29)),
    ("2077-11-15", (2077, 10, 1), (2077, 9, 30)), // new moon 16/11/2077 00:00 UTC+7 by the series
    ("2077-12-14", (2077, 10, 30), (2077, 10, 29)),
];

struct Row {
    line: usize,
    solar: NaiveDate,
    lunar: LunarDate,
}

fn parse_table() -> Vec<Row> {
    let mut lines = TABLE.lines().enumerate();
    let (_, header) = lines.next().expect("header line");
    assert_eq!(header.trim(), "solar_date,lunar_year,lunar_month,lunar_day,leap");
    lines
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let f: Vec<&str> = l.trim().split(',').collect();
            assert_eq!(f.len(), 5, "line {}: {l}", i + 1);
            let num = |s: &str| s.parse::<i64>().unwrap_or_else(|e| panic!("line {}: {s}: {e}", i + 1));
            Row {
                line: i + 1,
                solar: NaiveDate::parse_from_str(f[0], "%Y-%m-%d").unwrap_or_else(|e| panic!("line {}: {e}", i + 1)),
                lunar: LunarDate {
                    year: num(f[1]) as i32,
                    month: num(f[2]) as u32,
                    day: num(f[3]) as u32,
                    leap: match f[4] {
                        "0" => false,
                        "1" => true,
                        other => panic!("line {}: leap flag {other}", i + 1),
                    },
                },
            }
        })
        .collect()
}

fn fmt(l: LunarDate) -> String {
    format!("{}/{}{}/{}", l.day, l.month, if l.leap { " nhuận" } else { "" }, l.year)
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("valid date")
}

#[test]
fn table_covers_every_month_1968_2100() {
    let rows = parse_table();
    let starts: Vec<&Row> = rows.iter().filter(|r| r.lunar.day == 1).collect();
    assert!(starts.first().expect("rows").solar <= date("1968-02-01"));
    assert!(starts.last().expect("rows").solar >= date("2100-12-01"));
    for w in starts.windows(2) {
        let gap = (w[1].solar - w[0].solar).num_days();
        assert!(gap == 29 || gap == 30, "lines {}–{}: {gap} days between month starts", w[0].line, w[1].line);
    }
    // 1968–2100 spans 133 lunar years: at least 133 × 12 month starts, leap months included.
    assert!(starts.len() >= 133 * 12, "{} month starts", starts.len());
    assert!(starts.iter().filter(|r| r.lunar.leap).count() >= 45);
}

#[test]
fn conversion_matches_reference_table() {
    let rows = parse_table();
    let known: Vec<(NaiveDate, LunarDate, LunarDate)> = KNOWN_DIFFERENCES
        .iter()
        .map(|&(s, (ry, rm, rd), (oy, om, od))| {
            (
                date(s),
                LunarDate { year: ry, month: rm, day: rd, leap: false },
                LunarDate { year: oy, month: om, day: od, leap: false },
            )
        })
        .collect();
    let mut mismatches = Vec::new();
    let mut known_seen = 0;
    for row in &rows {
        let ours = solar_to_lunar(row.solar);
        if let Some(&(_, reference, expected_ours)) = known.iter().find(|(d, _, _)| *d == row.solar) {
            assert_eq!(row.lunar, reference, "line {}: known difference no longer matches the table", row.line);
            assert_eq!(ours, expected_ours, "line {}: known difference changed", row.line);
            known_seen += 1;
            continue;
        }
        if ours != row.lunar {
            mismatches.push(format!(
                "line {}: {} → expected {}, got {}",
                row.line,
                row.solar,
                fmt(row.lunar),
                fmt(ours)
            ));
        }
        let back = lunar_to_solar(row.lunar);
        if back != Some(row.solar) {
            mismatches.push(format!("line {}: {} → {:?}, expected {}", row.line, fmt(row.lunar), back, row.solar));
        }
        if row.lunar.month == 1 && row.lunar.day == 1 && !row.lunar.leap && tet(row.lunar.year) != row.solar {
            mismatches.push(format!(
                "line {}: tet({}) = {}, expected {}",
                row.line,
                row.lunar.year,
                tet(row.lunar.year),
                row.solar
            ));
        }
    }
    assert_eq!(known_seen, KNOWN_DIFFERENCES.len(), "every known difference must be in the table");
    assert!(
        mismatches.is_empty(),
        "{} mismatches against the reference table; first ones:\n{}",
        mismatches.len(),
        mismatches.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn no_differences_between_1990_and_2050() {
    // The range the project relies on agrees with the reference without exception.
    for (s, _, _) in KNOWN_DIFFERENCES {
        assert!(date(s) > date("2050-12-31"), "{s}");
    }
    let rows = parse_table();
    let in_range = rows.iter().filter(|r| r.solar >= date("1990-01-01") && r.solar <= date("2050-12-31"));
    let mut n = 0;
    for row in in_range {
        assert_eq!(solar_to_lunar(row.solar), row.lunar, "line {}", row.line);
        n += 1;
    }
    assert!(n > 1500, "{n} rows 1990–2050");
}

#[test]
fn tet_1990_2050_from_reference() {
    let rows = parse_table();
    for year in 1990..=2050 {
        let row = rows
            .iter()
            .find(|r| r.lunar.year == year && r.lunar.month == 1 && r.lunar.day == 1 && !r.lunar.leap)
            .unwrap_or_else(|| panic!("no Tết {year} in the table"));
        assert_eq!(tet(year), row.solar, "Tết {year}");
    }
}
