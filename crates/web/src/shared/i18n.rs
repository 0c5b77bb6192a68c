//! Languages, translated messages and Vietnamese formatting of numbers and dates.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::TimeZone;

/// A UI language. Vietnamese first, English second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Tiếng Việt.
    Vi,
    /// English.
    En,
}

impl Lang {
    /// The language's tag.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Chooses a language from the `lang` cookie, else `Accept-Language`, else Vietnamese.
    pub fn from_headers(headers: &axum::http::HeaderMap) -> Lang {
        if let Some(c) = crate::shared::cookies::cookie(headers, "lang") {
            return if c == "en" { Lang::En } else { Lang::Vi };
        }
        let accept = headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let mut best: Option<(Lang, f32)> = None;
        for part in accept.split(',') {
            let mut it = part.trim().split(';');
            let tag = it.next().unwrap_or("").trim().to_lowercase();
            let q = it.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
            let lang = if tag.starts_with("vi") {
                Lang::Vi
            } else if tag.starts_with("en") {
                Lang::En
            } else {
                continue;
            };
            if best.is_none_or(|(_, bq)| q > bq) {
                best = Some((lang, q));
            }
        }
        best.map(|b| b.0).unwrap_or(Lang::Vi)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang::from_headers(&parts.headers))
    }
}

/// Translates a message key; unknown keys come back as themselves.
pub fn t(lang: Lang, key: &str) -> String {
    crate::shared::messages::lookup(key)
        .map(|(vi, en)| if lang == Lang::Vi { vi } else { en })
        .unwrap_or(key)
        .to_string()
}

pub use domain::text::format_number;

/// Formats Unix milliseconds as dd/mm/yyyy HH:MM in Asia/Ho_Chi_Minh.
pub fn format_datetime(ms: i64) -> String {
    match chrono_tz::Asia::Ho_Chi_Minh.timestamp_millis_opt(ms) {
        chrono::LocalResult::Single(t) => t.format("%d/%m/%Y %H:%M").to_string(),
        _ => String::new(),
    }
}

/// Formats an ISO date (YYYY-MM-DD) as dd/mm/yyyy.
pub fn format_date(iso: &str) -> String {
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) => d.format("%d/%m/%Y").to_string(),
        Err(_) => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_dots() {
        assert_eq!(format_number(0), "0");
        assert_eq!(format_number(999), "999");
        assert_eq!(format_number(1000), "1.000");
        assert_eq!(format_number(3321), "3.321");
        assert_eq!(format_number(1_000_000), "1.000.000");
        assert_eq!(format_number(-12345), "-12.345");
    }

    #[test]
    fn dates_are_day_first_in_vietnam_time() {
        // 2025-06-30T17:30:00Z is 01/07/2025 00:30 in Hà Nội.
        assert_eq!(format_datetime(1_751_304_600_000), "01/07/2025 00:30");
        assert_eq!(format_date("2025-07-01"), "01/07/2025");
    }

    #[test]
    fn accept_language_picks_the_best() {
        let mut h = axum::http::HeaderMap::new();
        assert_eq!(Lang::from_headers(&h), Lang::Vi);
        h.insert("accept-language", "en-US,en;q=0.9,vi;q=0.8".parse().expect("header"));
        assert_eq!(Lang::from_headers(&h), Lang::En);
        h.insert("cookie", "lang=vi".parse().expect("header"));
        assert_eq!(Lang::from_headers(&h), Lang::Vi);
    }

    #[test]
    fn every_message_has_both_languages() {
        for (k, vi, en) in crate::shared::messages::all() {
            assert!(!vi.is_empty() && !en.is_empty(), "{k}");
        }
    }
}
