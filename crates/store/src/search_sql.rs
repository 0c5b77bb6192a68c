//! The one text-search condition: diacritic-insensitive substring of a folded name
//! column, and a prefix of a code column only when the query looks like a code (so
//! a name search can use a covering index instead of visiting every row).

use domain::text::{fold, is_code_like, like_escape};

use crate::Arg;

/// SQL condition for search text `q` over `name_fold_col` (and `code_col` when `q`
/// looks like a code), pushing its arguments; `None` when `q` is blank.
pub fn text_condition(q: Option<&str>, name_fold_col: &str, code_col: &str, args: &mut Vec<Arg>) -> Option<String> {
    let q = fold(q?);
    if q.is_empty() {
        return None;
    }
    args.push(Arg::S(format!("%{}%", like_escape(&q))));
    let name = format!("{name_fold_col} LIKE ${} ESCAPE '\\'", args.len());
    if !is_code_like(&q) {
        return Some(name);
    }
    args.push(Arg::S(format!("{}%", like_escape(&q))));
    Some(format!("({name} OR {code_col} LIKE ${} ESCAPE '\\')", args.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_alone_unless_the_query_looks_like_a_code() {
        let mut args = Vec::new();
        assert_eq!(text_condition(Some("Hà Nội"), "n", "c", &mut args).as_deref(), Some("n LIKE $1 ESCAPE '\\'"));
        assert_eq!(args, vec![Arg::S("%ha noi%".into())]);
        let c = text_condition(Some("0101"), "n", "c", &mut args).unwrap_or_default();
        assert_eq!(c, "(n LIKE $2 ESCAPE '\\' OR c LIKE $3 ESCAPE '\\')");
        assert_eq!(text_condition(Some("  "), "n", "c", &mut args), None);
    }
}
