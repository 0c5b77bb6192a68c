//! The one place where a [`Scope`] becomes SQL. Every scoped table carries
//! `province_code` and `commune_code` columns (denormalised at write time) so that
//! the clause is a plain indexed equality.

use domain::Scope;

use crate::Arg;

/// Which table the clause filters; each names its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// `units` (alias `u`).
    Units,
    /// `organisations` (alias `o`): `unit_code` is its commune.
    Organisations,
    /// `users` (alias `s`).
    Users,
    /// `assessments` (alias `a`).
    Assessments,
    /// `models` (alias `m`).
    Models,
    /// `key_area_events` (alias `k`).
    KeyAreas,
    /// `criterion19` (alias `c`).
    Criterion19,
    /// `assessment_tallies` (alias `a`): per-commune counts.
    Tallies,
    /// `cases` (alias `cs`): citizens' cases, handled by a commune or a province.
    Cases,
    /// `directives` (alias `d`): by the issuing unit.
    Directives,
    /// `directive_plans` (alias `dp`): by the unit that owes the plan.
    DirectivePlans,
    /// `tasks` (alias `t`): by the issuing unit.
    Tasks,
    /// `task_assignments` (alias `ta`): by the assigned unit.
    TaskAssignments,
    /// `proposals` (alias `p`): by the unit that sent it.
    Proposals,
    /// `inspections` (alias `i`): by the team's unit.
    Inspections,
    /// `inspection_targets` (alias `it`): by the inspected unit.
    InspectionTargets,
    /// `inspection_findings` (alias `f`): by the inspected unit.
    InspectionFindings,
    /// `reports` (alias `r`): by the reporting unit.
    Reports,
    /// `registrations` (alias `rg`): by the registered subject.
    Registrations,
    /// `nominations` (alias `nm`): by the place of the proposal; police scopes only
    /// (a person's details stay with those who handle the file).
    Nominations,
    /// `events` (alias `ev`): by the unit that holds it.
    Events,
    /// `dvk_entries` (alias `dv`): a "Dân vận khéo" entry, by its model's place.
    DanVanKheo,
    /// `teams` (alias `tm`): a security team, by its commune; police scopes only.
    Teams,
    /// `trainings` (alias `tr`): a course, by the unit that holds it.
    Trainings,
    /// `funding` (alias `fu`): a funding line, by its unit.
    Funding,
}

/// The columns a table offers to the scope rule.
struct Cols {
    alias: &'static str,
    commune: &'static str,
    /// Column holding the row's own unit (for a residential-area scope).
    unit: Option<&'static str>,
    /// Column holding the row's organisation (for an organisation scope).
    organisation: Option<&'static str>,
}

fn cols(table: Table) -> Cols {
    match table {
        Table::Units => Cols { alias: "u", commune: "commune_code", unit: Some("code"), organisation: None },
        Table::Organisations => Cols { alias: "o", commune: "unit_code", unit: None, organisation: Some("id") },
        Table::Users => {
            Cols { alias: "s", commune: "commune_code", unit: Some("unit_code"), organisation: Some("organisation_id") }
        }
        Table::Assessments => {
            Cols { alias: "a", commune: "commune_code", unit: Some("unit_code"), organisation: Some("organisation_id") }
        }
        Table::Models => {
            Cols { alias: "m", commune: "commune_code", unit: Some("unit_code"), organisation: Some("organisation_id") }
        }
        Table::KeyAreas => Cols { alias: "k", commune: "commune_code", unit: Some("unit_code"), organisation: None },
        Table::Criterion19 => Cols { alias: "c", commune: "commune_code", unit: Some("unit_code"), organisation: None },
        Table::Tallies => Cols { alias: "a", commune: "commune_code", unit: None, organisation: None },
        Table::Cases => Cols { alias: "cs", commune: "commune_code", unit: None, organisation: None },
        Table::Directives => Cols { alias: "d", commune: "commune_code", unit: Some("unit_code"), organisation: None },
        Table::DirectivePlans => {
            Cols { alias: "dp", commune: "commune_code", unit: Some("unit_code"), organisation: None }
        }
        Table::Tasks => Cols { alias: "t", commune: "commune_code", unit: Some("unit_code"), organisation: None },
        Table::TaskAssignments => {
            Cols { alias: "ta", commune: "commune_code", unit: Some("unit_code"), organisation: None }
        }
        Table::Proposals => Cols { alias: "p", commune: "commune_code", unit: Some("unit_code"), organisation: None },
        Table::Inspections => Cols { alias: "i", commune: "commune_code", unit: Some("unit_code"), organisation: None },
        Table::Registrations => Cols {
            alias: "rg",
            commune: "commune_code",
            unit: Some("unit_code"),
            organisation: Some("organisation_id"),
        },
        Table::InspectionTargets => {
            Cols { alias: "it", commune: "commune_code", unit: Some("unit_code"), organisation: None }
        }
        Table::InspectionFindings => {
            Cols { alias: "f", commune: "commune_code", unit: Some("unit_code"), organisation: None }
        }
        Table::Reports => Cols { alias: "r", commune: "commune_code", unit: Some("unit_code"), organisation: None },
        Table::Nominations => Cols { alias: "nm", commune: "commune_code", unit: None, organisation: None },
        Table::Events => Cols { alias: "ev", commune: "commune_code", unit: Some("unit_code"), organisation: None },
        Table::DanVanKheo => Cols { alias: "dv", commune: "commune_code", unit: None, organisation: None },
        // An area sees the teams whose first area it is.
        Table::Teams => Cols { alias: "tm", commune: "commune_code", unit: Some("unit_code"), organisation: None },
        Table::Trainings => Cols { alias: "tr", commune: "commune_code", unit: None, organisation: None },
        Table::Funding => Cols { alias: "fu", commune: "commune_code", unit: None, organisation: None },
    }
}

/// Returns a SQL condition limiting `table` to `scope`, pushing its arguments onto
/// `args` and numbering placeholders after those already there.
pub fn clause(scope: &Scope, table: Table, args: &mut Vec<Arg>) -> String {
    let c = cols(table);
    let alias = c.alias;
    let mut push = |a: Arg| {
        args.push(a);
        format!("${}", args.len())
    };
    match scope {
        Scope::Nation => "1=1".to_string(),
        Scope::Province(p) => format!("{alias}.province_code = {}", push(p.as_str().into())),
        Scope::Commune(code) if table == Table::Organisations => organisations_in_commune(&push(code.as_str().into())),
        Scope::Commune(code) => format!("{alias}.{} = {}", c.commune, push(code.as_str().into())),
        Scope::Area(a) => match c.unit {
            Some(col) => format!("{alias}.{col} = {}", push(a.as_str().into())),
            None => "1=0".to_string(),
        },
        Scope::Organisation(id) => match (c.organisation, table) {
            (Some(col), _) => format!("{alias}.{col} = {}", push(Arg::I(*id))),
            (None, Table::Units) => {
                format!("u.code = (SELECT unit_code FROM organisations WHERE id = {})", push(Arg::I(*id)))
            }
            (None, _) => "1=0".to_string(),
        },
    }
}

/// The condition of the units before 1 July 2025 a scope sees (`l` is
/// `legacy_units`): the nation all, a province the old units its territory took
/// in, a commune its own predecessors; `None` when it sees none. Pushes its
/// arguments like [`clause`].
pub fn legacy_clause(scope: &Scope, args: &mut Vec<Arg>) -> Option<String> {
    match scope {
        Scope::Nation => Some("1=1".into()),
        Scope::Province(p) => {
            args.push(p.as_str().into());
            Some(format!(
                "EXISTS (SELECT 1 FROM legacy_successors s WHERE s.legacy_level = 'province' AND s.legacy_code = l.province_code AND s.code = ${})",
                args.len()
            ))
        }
        Scope::Commune(c) => {
            args.push(c.as_str().into());
            Some(format!(
                "l.level = 'commune' AND EXISTS (SELECT 1 FROM legacy_successors s WHERE s.legacy_level = 'commune' AND s.legacy_code = l.code AND s.code = ${})",
                args.len()
            ))
        }
        _ => None,
    }
}

/// Organisations (alias `o`) of the commune whose code is the parameter `param`.
/// The commune's province is named too, so the one organisations index
/// (province, commune, folded name) serves the lookup and its name order.
pub fn organisations_in_commune(param: &str) -> String {
    format!(
        "(o.province_code = (SELECT sc.province_code FROM units sc WHERE sc.code = {param}) AND o.unit_code = {param})"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_continue_numbering() {
        let mut args = vec![Arg::S("x".into())];
        let c = clause(&Scope::Province("01".into()), Table::Organisations, &mut args);
        assert_eq!(c, "o.province_code = $2");
        assert_eq!(args.len(), 2);
    }

    #[test]
    fn nation_adds_no_argument() {
        let mut args = vec![];
        assert_eq!(clause(&Scope::Nation, Table::Units, &mut args), "1=1");
        assert!(args.is_empty());
    }

    #[test]
    fn commune_scope_uses_the_tables_commune_column() {
        let mut args = vec![];
        assert_eq!(
            clause(&Scope::Commune("00004".into()), Table::Organisations, &mut args),
            "(o.province_code = (SELECT sc.province_code FROM units sc WHERE sc.code = $1) AND o.unit_code = $1)"
        );
        assert_eq!(clause(&Scope::Commune("00004".into()), Table::Users, &mut args), "s.commune_code = $2");
        assert_eq!(clause(&Scope::Commune("00004".into()), Table::Assessments, &mut args), "a.commune_code = $3");
    }

    #[test]
    fn organisation_and_area_scopes() {
        let mut args = vec![];
        assert_eq!(clause(&Scope::Organisation(7), Table::Organisations, &mut args), "o.id = $1");
        assert_eq!(clause(&Scope::Organisation(7), Table::Assessments, &mut args), "a.organisation_id = $2");
        assert_eq!(clause(&Scope::Organisation(7), Table::KeyAreas, &mut args), "1=0");
        assert_eq!(clause(&Scope::Area("00004.001".into()), Table::Organisations, &mut args), "1=0");
        assert_eq!(clause(&Scope::Area("00004.001".into()), Table::Units, &mut args), "u.code = $3");
    }
}
