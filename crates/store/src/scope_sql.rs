//! The one place where a [`Scope`] becomes SQL. Every scoped table carries
//! `province_code` and `commune_code` columns (denormalised at write time) so that
//! the clause is a plain indexed equality.

use domain::Scope;

use crate::Arg;

/// Which table the clause filters; each names its columns.
#[derive(Debug, Clone, Copy)]
pub enum Table {
    /// `units` (alias `u`).
    Units,
    /// `organisations` (alias `o`): `unit_code` is its commune.
    Organisations,
    /// `users` (alias `s`).
    Users,
}

/// Returns a SQL condition limiting `table` to `scope`, pushing its arguments onto
/// `args` and numbering placeholders after those already there.
pub fn clause(scope: &Scope, table: Table, args: &mut Vec<Arg>) -> String {
    let (alias, commune_col) = match table {
        Table::Units => ("u", "commune_code"),
        Table::Organisations => ("o", "unit_code"),
        Table::Users => ("s", "commune_code"),
    };
    let mut push = |a: Arg| {
        args.push(a);
        format!("${}", args.len())
    };
    match (scope, table) {
        (Scope::Nation, _) => "1=1".to_string(),
        (Scope::Province(p), _) => format!("{alias}.province_code = {}", push(p.as_str().into())),
        (Scope::Commune(c), _) => format!("{alias}.{commune_col} = {}", push(c.as_str().into())),
        (Scope::Area(a), Table::Units) => format!("u.code = {}", push(a.as_str().into())),
        (Scope::Area(a), Table::Users) => format!("s.unit_code = {}", push(a.as_str().into())),
        (Scope::Area(_), Table::Organisations) => "1=0".to_string(),
        (Scope::Organisation(id), Table::Organisations) => format!("o.id = {}", push(Arg::I(*id))),
        (Scope::Organisation(id), Table::Users) => {
            format!("s.organisation_id = {}", push(Arg::I(*id)))
        }
        (Scope::Organisation(id), Table::Units) => {
            format!("u.code = (SELECT unit_code FROM organisations WHERE id = {})", push(Arg::I(*id)))
        }
    }
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
        assert_eq!(clause(&Scope::Commune("00004".into()), Table::Organisations, &mut args), "o.unit_code = $1");
        assert_eq!(clause(&Scope::Commune("00004".into()), Table::Users, &mut args), "s.commune_code = $2");
    }
}
