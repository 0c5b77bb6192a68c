//! Paging of lists (API and pages) and the query strings of list links.

use minijinja::{context, Value};

/// Page number (1-based) and page size from query parameters.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// 1-based page.
    pub page: i64,
    /// Rows per page.
    pub size: i64,
}

impl Paging {
    /// Clamps raw values: page ≥ 1, 1 ≤ size ≤ 200 (default 50).
    pub fn new(page: Option<i64>, size: Option<i64>) -> Paging {
        Paging { page: page.unwrap_or(1).max(1), size: size.unwrap_or(50).clamp(1, 200) }
    }

    /// Rows to skip.
    pub fn offset(&self) -> i64 {
        (self.page - 1).saturating_mul(self.size)
    }
}

/// The paging parameters of a list in the API (`?page=&size=`).
#[derive(serde::Deserialize, Default)]
pub struct PageQuery {
    /// Page.
    pub page: Option<i64>,
    /// Size.
    pub size: Option<i64>,
}

/// The page number of a list page (`?page=`; the size is fixed).
#[derive(serde::Deserialize, Default)]
pub struct PageNumber {
    /// Page.
    pub page: Option<i64>,
}

/// Pager values for a list page.
pub(crate) fn pager(total: i64, p: Paging, query: String) -> Value {
    let pages = ((total + p.size - 1) / p.size).max(1);
    context! { total, page => p.page, pages, query }
}

/// Encodes query pairs, skipping empty values.
pub(crate) fn query_string(pairs: &[(&str, Option<&str>)]) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            ser.append_pair(k, v);
        }
    }
    ser.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_clamps() {
        let p = Paging::new(Some(0), Some(10_000));
        assert_eq!((p.page, p.size, p.offset()), (1, 200, 0));
        assert_eq!(Paging::new(Some(3), None).offset(), 100);
    }
}
