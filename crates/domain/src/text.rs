//! Text folding for diacritic-insensitive search: "Hà Nội" and "ha noi" fold alike.

/// Text without its Vietnamese diacritics, case kept ("Giấy chứng nhận — Phường
/// Ba Đình" → "Giay chung nhan - Phuong Ba Dinh"): for the few places that take
/// plain ASCII only, such as a PDF's document title.
pub fn ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'đ' => out.push('d'),
            'Đ' => out.push('D'),
            '\u{2013}' | '\u{2014}' => out.push('-'),
            '\u{201c}' | '\u{201d}' => out.push('"'),
            _ if c.is_ascii() => out.push(c),
            _ => unicode_normalization::char::decompose_canonical(c, |d| {
                if d.is_ascii() {
                    out.push(d);
                }
            }),
        }
    }
    out
}

/// Folds text for search: lower case, Vietnamese diacritics removed (đ → d),
/// runs of whitespace collapsed to one space, trimmed.
///
/// Defined as the canonical decomposition (NFD) with the combining marks of
/// [`is_combining_mark`] dropped. Each character is decomposed on its own and
/// ASCII not at all, which gives the same result as long as no mark that is kept
/// would be reordered by NFD; text with such a mark (none in Vietnamese) takes the
/// whole-string road.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    let mut kept_mark = false;
    let mut push = |c: char| {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            return;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
        last_space = false;
    };
    for c in s.chars() {
        match c {
            'đ' | 'Đ' => push('d'),
            _ if c.is_ascii() => push(c),
            _ => unicode_normalization::char::decompose_canonical(c, |d| {
                if is_combining_mark(d) {
                    return;
                }
                kept_mark |= unicode_normalization::char::canonical_combining_class(d) != 0;
                push(d)
            }),
        }
    }
    if kept_mark {
        return fold_whole(s);
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// [`fold`] by its definition: whole-string NFD, marks dropped.
fn fold_whole(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.nfd() {
        let c = if matches!(c, 'đ' | 'Đ') { 'd' } else { c };
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        out.extend(c.to_lowercase());
        last_space = false;
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Whether search text looks like a code (unit code, tax code): digits, `-` and `.` only.
pub fn is_code_like(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'-' || b == b'.')
}

/// Escapes `%`, `_` and `\` so that user text can sit inside a SQL `LIKE` pattern
/// written with `ESCAPE '\'`.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `c` is a control character no text field may hold: every C0 control but
/// tab, line feed and carriage return, DEL, and the C1 controls.
pub fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}'
}

/// Whether a text (description, note, address) holds only allowed characters: no
/// NUL or other control characters, tab and line breaks allowed.
pub fn is_clean_text(s: &str) -> bool {
    !s.chars().any(is_forbidden_control)
}

/// Whether a single-line field (a name, a code) holds no control character at all,
/// tab and line breaks included.
pub fn is_clean_line(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

/// A CSV cell that a spreadsheet will not run as a formula: a cell starting with
/// `=`, `+`, `-`, `@`, tab or carriage return gets a leading apostrophe (OWASP's
/// advice against CSV injection); any other cell is unchanged.
pub fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => std::borrow::Cow::Owned(format!("'{cell}")),
        _ => std::borrow::Cow::Borrowed(cell),
    }
}

/// Formats an integer with Vietnamese thousands separators: 1234567 → "1.234.567".
pub fn format_number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod ascii_tests {
    #[test]
    fn ascii_keeps_case_and_drops_marks() {
        assert_eq!(
            super::ascii("Giấy chứng nhận “An toàn” — Phường Ba Đình"),
            "Giay chung nhan \"An toan\" - Phuong Ba Dinh"
        );
        assert!(super::ascii("Tỉnh Đắk Lắk, Huế, Quảng Ngãi").is_ascii());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Thành phố Hà Nội"), "thanh pho ha noi");
        assert_eq!(fold("Xã Đồng Tâm"), "xa dong tam");
        assert_eq!(fold("  Đặc   khu Phú Quốc "), "dac khu phu quoc");
        assert_eq!(fold("NGUYỄN ỨNG"), "nguyen ung");
    }

    #[test]
    fn precomposed_and_decomposed_fold_alike() {
        let decomposed: String = "Hà Nội".nfd().collect();
        assert_eq!(fold(&decomposed), fold("Hà Nội"));
    }

    #[test]
    fn escapes_like_metacharacters() {
        assert_eq!(like_escape("50%_a\\b"), "50\\%\\_a\\\\b");
    }

    proptest::proptest! {
        #[test]
        fn fold_agrees_with_its_definition(s in "\\PC*") {
            proptest::prop_assert_eq!(fold(&s), fold_whole(&s));
        }

        #[test]
        fn fold_agrees_on_vietnamese(s in "[a-zA-Z0-9 ạảãàáâậầấẩẫăắằặẳẵóòọõỏôộổỗồốơờớợởỡéèẻẹẽêếềệểễúùụủũưựữửừứíìịỉĩýỳỷỵỹđĐ\\u{0300}\\u{0301}\\u{0323}]{0,40}") {
            proptest::prop_assert_eq!(fold(&s), fold_whole(&s));
        }

        #[test]
        fn fold_is_idempotent(s in "\\PC*") {
            let once = fold(&s);
            proptest::prop_assert_eq!(fold(&once), once.clone());
        }
    }

    #[test]
    fn control_characters_and_formulas() {
        assert!(is_clean_text("Dòng 1\nDòng 2\tcột"));
        assert!(!is_clean_text("a\u{0}b"));
        assert!(!is_clean_text("a\u{1b}[31m"));
        assert!(!is_clean_text("a\u{85}"));
        assert!(!is_clean_text("a\u{7f}"));
        assert!(is_clean_line("Trường THCS Ba Đình"));
        assert!(!is_clean_line("Tên\nhai dòng"));
        assert!(!is_clean_line("a\tb"));
        assert_eq!(csv_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_safe("+84 912"), "'+84 912");
        assert_eq!(csv_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_safe("-1"), "'-1");
        assert_eq!(csv_safe("Công ty A"), "Công ty A");
        assert_eq!(csv_safe(""), "");
    }
}
