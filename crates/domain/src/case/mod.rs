//! Citizens' cases (DESIGN §2): kinds, statuses, who may stay anonymous, receipt
//! codes and secrets, which deadline rule applies when, and the denouncer-redacted
//! copy. Pure: randomness comes in as bytes from the caller. The lifecycle (which
//! act leads from which status to which) is in [`lifecycle`].

pub mod escalation;
pub mod lifecycle;

use serde::{Deserialize, Serialize};

use crate::deadline::Rule;

/// What the citizen is filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// Phản ánh — telling the authorities about a problem.
    Feedback,
    /// Kiến nghị — proposing a change.
    Petition,
    /// Khiếu nại — complaining about a decision or act that affects oneself.
    Complaint,
    /// Tố cáo — denouncing a violation by an official or agency.
    Denunciation,
    /// Tố giác, tin báo về tội phạm — reporting a crime.
    CrimeReport,
}

impl CaseKind {
    /// Every kind, in the order forms list them.
    pub const ALL: [CaseKind; 5] =
        [CaseKind::Feedback, CaseKind::Petition, CaseKind::Complaint, CaseKind::Denunciation, CaseKind::CrimeReport];

    /// Stable code used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::Feedback => "feedback",
            CaseKind::Petition => "petition",
            CaseKind::Complaint => "complaint",
            CaseKind::Denunciation => "denunciation",
            CaseKind::CrimeReport => "crime_report",
        }
    }

    /// Parses a stable code.
    pub fn parse(s: &str) -> Option<CaseKind> {
        CaseKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the sender may stay anonymous. A complaint needs an identified
    /// complainant (Luật Khiếu nại 2011 Điều 8); an anonymous denunciation is taken as
    /// information to verify (Luật Tố cáo 2018 Điều 25); crime reports may be anonymous
    /// (BLTTHS 2015 Điều 144).
    pub fn allows_anonymous(self) -> bool {
        !matches!(self, CaseKind::Complaint)
    }

    /// Whether the unit may refuse to receive it: crime reports must be received
    /// and forwarded when the unit is not competent (BLTTHS 2015 Điều 145).
    pub fn may_be_refused(self) -> bool {
        !matches!(self, CaseKind::CrimeReport)
    }

    /// Whether the sender's identity is secret from verifiers (Luật Tố cáo 2018 Điều 9, 56).
    pub fn identity_is_secret(self) -> bool {
        matches!(self, CaseKind::Denunciation | CaseKind::CrimeReport)
    }
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Received, waiting to be sorted (tiếp nhận, phân loại).
    Received,
    /// Accepted for settlement (thụ lý).
    Accepted,
    /// Refused with reasons (không thụ lý).
    Refused,
    /// Closed with an outcome.
    Closed,
    /// Merged into another case (a duplicate).
    Merged,
}

impl CaseStatus {
    /// Every status.
    pub const ALL: [CaseStatus; 5] =
        [CaseStatus::Received, CaseStatus::Accepted, CaseStatus::Refused, CaseStatus::Closed, CaseStatus::Merged];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Received => "received",
            CaseStatus::Accepted => "accepted",
            CaseStatus::Refused => "refused",
            CaseStatus::Closed => "closed",
            CaseStatus::Merged => "merged",
        }
    }

    /// Parses a stable code.
    pub fn parse(s: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether work on the case is finished (no legal clock runs).
    pub fn is_final(self) -> bool {
        matches!(self, CaseStatus::Refused | CaseStatus::Closed | CaseStatus::Merged)
    }

    /// Whether the citizen may still add messages.
    pub fn accepts_messages(self) -> bool {
        matches!(self, CaseStatus::Received | CaseStatus::Accepted)
    }
}

/// How hard a case is, which picks the longer statutory period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Complexity {
    /// The normal period.
    #[default]
    Normal,
    /// Complex (phức tạp): the first extension.
    Complex,
    /// Very complex (đặc biệt phức tạp): the second extension.
    VeryComplex,
}

impl Complexity {
    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Complexity::Normal => "normal",
            Complexity::Complex => "complex",
            Complexity::VeryComplex => "very_complex",
        }
    }

    /// Parses a stable code.
    pub fn parse(s: &str) -> Option<Complexity> {
        [Complexity::Normal, Complexity::Complex, Complexity::VeryComplex].into_iter().find(|c| c.as_str() == s)
    }

    /// The next step of extension, if the law allows one for `kind`.
    pub fn extended(self, kind: CaseKind) -> Option<Complexity> {
        match (kind, self) {
            (_, Complexity::Normal) => Some(Complexity::Complex),
            // Tố cáo: +30 days twice for very complex cases (Luật Tố cáo 2018 Điều 30);
            // crime reports: +2 months once by the procuracy (BLTTHS 2015 Điều 147 khoản 3).
            (CaseKind::Denunciation | CaseKind::CrimeReport, Complexity::Complex) => Some(Complexity::VeryComplex),
            _ => None,
        }
    }
}

/// The rule that sets a case's legal deadline, and whether it counts from receipt
/// (`false`) or from acceptance (`true`).
///
/// Before acceptance every letter must be sorted and answered or forwarded within
/// the sorting period (Thông tư 05/2021/TT-TTCP), a denunciation gets its initial
/// handling period (Luật Tố cáo 2018 Điều 24) and a crime report runs its 20-day
/// clock from receipt (BLTTHS 2015 Điều 147). After acceptance complaints and
/// denunciations run their settlement periods from the day of acceptance; feedback
/// and petitions have no settlement period in law, so the sorting period stays.
pub fn deadline_rule(kind: CaseKind, accepted: bool, complexity: Complexity, remote: bool) -> (Rule, bool) {
    match (kind, accepted) {
        (CaseKind::CrimeReport, _) => (
            match complexity {
                Complexity::Normal => Rule::CrimeReportSettle,
                Complexity::Complex => Rule::CrimeReportSettleComplex,
                Complexity::VeryComplex => Rule::CrimeReportSettleExtended,
            },
            false,
        ),
        (CaseKind::Denunciation, false) => (
            if complexity == Complexity::Normal {
                Rule::DenunciationInitial
            } else {
                Rule::DenunciationInitialExtended
            },
            false,
        ),
        (CaseKind::Denunciation, true) => (
            match complexity {
                Complexity::Normal => Rule::DenunciationSettle,
                Complexity::Complex => Rule::DenunciationSettleComplex,
                Complexity::VeryComplex => Rule::DenunciationSettleVeryComplex,
            },
            true,
        ),
        (CaseKind::Complaint, true) => (
            match (remote, complexity) {
                (false, Complexity::Normal) => Rule::ComplaintFirst,
                (false, _) => Rule::ComplaintFirstComplex,
                (true, Complexity::Normal) => Rule::ComplaintFirstRemote,
                (true, _) => Rule::ComplaintFirstRemoteComplex,
            },
            true,
        ),
        // A complaint not yet accepted: the period to accept it (or refuse it).
        (CaseKind::Complaint, false) => (Rule::ComplaintAccept, false),
        _ => (Rule::LetterSort, false),
    }
}

/// Letters of receipt codes: no 0/O, 1/I/L, 5/S, 8/B, 2/Z, U/V — easy to read aloud.
pub const CODE_ALPHABET: &[u8] = b"ACDEFGHJKMNPQRTWXY3479";
/// Characters in a receipt code (without separators).
pub const CODE_LEN: usize = 9;
/// Characters in a secret (without separators).
pub const SECRET_LEN: usize = 20;
/// Letters of secrets: Crockford base32 (no I, L, O, U).
const SECRET_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Builds a receipt code such as `K7M-4QX-9AP` from random bytes (one per letter).
pub fn receipt_code_from(random: &[u8; CODE_LEN]) -> String {
    let letters: Vec<char> = random.iter().map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char).collect();
    group(&letters, 3)
}

/// Reads a receipt code as a citizen may type it (lower case, spaces, missing or
/// extra dashes) and returns its canonical grouped form, or `None` when it cannot
/// be one of ours.
pub fn parse_receipt_code(s: &str) -> Option<String> {
    let letters: Vec<char> =
        s.chars().filter(|c| !matches!(c, '-' | ' ' | '.' | '\u{2013}')).map(|c| c.to_ascii_uppercase()).collect();
    (letters.len() == CODE_LEN && letters.iter().all(|c| CODE_ALPHABET.contains(&(*c as u8)) && c.is_ascii()))
        .then(|| group(&letters, 3))
}

/// Builds a secret (about 100 bits) such as `7K2QM-…` from 20 random bytes.
pub fn secret_from(random: &[u8; SECRET_LEN]) -> String {
    let letters: Vec<char> = random.iter().map(|b| SECRET_ALPHABET[(*b & 31) as usize] as char).collect();
    group(&letters, 5)
}

/// The canonical form of a typed secret (upper case, no separators, Crockford
/// look-alikes mapped), which is what gets hashed.
pub fn normalise_secret(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '-' | ' ' | '.'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

fn group(letters: &[char], size: usize) -> String {
    letters.chunks(size).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// Longest description accepted, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;
/// Longest message accepted, in characters.
pub const MAX_MESSAGE_CHARS: usize = 5_000;
/// Attachments per submission or message.
pub const MAX_ATTACHMENTS: usize = 5;

/// The verifiers' copy of a text: every occurrence of the sender's identifying
/// details (name, phone, e-mail) replaced by a mark (Luật Tố cáo 2018 Điều 56:
/// the denouncer's name, address and other details are kept secret). Phone numbers
/// are matched on their digits, so "0912 345 678" is removed as well.
pub fn redact(text: &str, identifiers: &[&str], mark: &str) -> String {
    let mut out = text.to_string();
    for id in identifiers.iter().map(|s| s.trim()).filter(|s| s.chars().count() >= 3) {
        out = replace_case_insensitive(&out, id, mark);
        let digits: String = id.chars().filter(|c| c.is_ascii_digit()).collect();
        if digits.len() >= 6 && digits.len() * 2 > id.len() {
            out = replace_digit_run(&out, &digits, mark);
        }
    }
    out
}

/// A text with personal data removed for the retention purge: the citizen's own
/// identifiers (as [`redact`]), and anything that looks like a phone number (a run
/// of 8 or more digits, spaces, dots or dashes between them allowed, an optional
/// leading `+`) or an e-mail address, whoever it belongs to.
pub fn scrub_personal(text: &str, identifiers: &[&str], mark: &str) -> String {
    let text = redact(text, identifiers, mark);
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.contains('@') && word.split('@').nth(1).is_some_and(|d| d.contains('.')) {
            out.push_str(mark);
        } else {
            out.push_str(word);
        }
    }
    // Phone-like digit runs.
    let chars: Vec<char> = out.chars().collect();
    let mut result = String::with_capacity(out.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let mut j = i + 1;
            let mut digits = usize::from(chars[i].is_ascii_digit());
            while j < chars.len() {
                let c = chars[j];
                let sep = matches!(c, ' ' | '.' | '-') && chars.get(j + 1).is_some_and(char::is_ascii_digit);
                if c.is_ascii_digit() {
                    digits += 1;
                } else if !sep {
                    break;
                }
                j += 1;
            }
            if digits >= 8 {
                result.push_str(mark);
            } else {
                result.extend(&chars[i..j]);
            }
            i = j;
        } else {
            result.push(chars[i]);
            i += 1;
        }
    }
    result
}

fn replace_case_insensitive(text: &str, needle: &str, mark: &str) -> String {
    let lower_needle = needle.to_lowercase();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let n = lower_needle.chars().count();
    while i < chars.len() {
        if i + n <= chars.len() {
            let end = if i + n < chars.len() { chars[i + n].0 } else { text.len() };
            if text[chars[i].0..end].to_lowercase() == lower_needle {
                out.push_str(mark);
                i += n;
                continue;
            }
        }
        out.push(chars[i].1);
        i += 1;
    }
    out
}

/// Replaces a run of characters whose digits (ignoring spaces, dots and dashes in
/// between) spell `digits`.
fn replace_digit_run(text: &str, digits: &str, mark: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let want: Vec<char> = digits.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == want[0] {
            let (mut j, mut k) = (i, 0);
            while j < chars.len() && k < want.len() {
                if chars[j] == want[k] {
                    k += 1;
                } else if !matches!(chars[j], ' ' | '.' | '-') {
                    break;
                }
                j += 1;
            }
            if k == want.len() {
                out.push_str(mark);
                i = j;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

crate::codes::codes! {
    /// Who wrote a message on a case.
    MessageAuthor {
        /// The citizen.
        Citizen => "citizen",
        /// An officer.
        Officer => "officer",
        /// The system, recording an officer's act (acceptance, extension, transfer).
        System => "system",
    }
}

/// Where a case goes by default (DESIGN §2 routing): the commune police of the
/// place, or for a kind routed upwards, the province's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteTarget {
    /// The commune where it happened.
    Commune,
    /// That commune's province (e.g. its investigation police for crime reports).
    Province,
}

impl RouteTarget {
    /// Stable code, as routing rules store it.
    pub fn as_str(self) -> &'static str {
        match self {
            RouteTarget::Commune => "commune",
            RouteTarget::Province => "province",
        }
    }

    /// Parses a stable code.
    pub fn parse(s: &str) -> Option<RouteTarget> {
        [RouteTarget::Commune, RouteTarget::Province].into_iter().find(|t| t.as_str() == s)
    }
}

/// One routing rule: cases of `kind` go to `target`. Rules are data; these are the
/// defaults (crime reports to the province's investigation unit, the rest to the commune).
pub fn default_route(kind: CaseKind) -> RouteTarget {
    match kind {
        CaseKind::CrimeReport => RouteTarget::Province,
        _ => RouteTarget::Commune,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_statuses_round_trip() {
        for k in CaseKind::ALL {
            assert_eq!(CaseKind::parse(k.as_str()), Some(k));
        }
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(CaseKind::parse("rumour"), None);
        for t in [RouteTarget::Commune, RouteTarget::Province] {
            assert_eq!(RouteTarget::parse(t.as_str()), Some(t));
        }
        assert_eq!(RouteTarget::parse("district"), None);
    }

    #[test]
    fn complaints_cannot_be_anonymous_but_crime_reports_can() {
        assert!(!CaseKind::Complaint.allows_anonymous());
        assert!(CaseKind::Denunciation.allows_anonymous());
        assert!(CaseKind::CrimeReport.allows_anonymous());
        assert!(!CaseKind::CrimeReport.may_be_refused());
    }

    #[test]
    fn receipt_codes_are_grouped_and_forgiving() {
        let code = receipt_code_from(&[0, 1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(code, "ACD-EFG-HJK");
        assert_eq!(parse_receipt_code("acd efg hjk").as_deref(), Some("ACD-EFG-HJK"));
        assert_eq!(parse_receipt_code("ACDEFGHJK").as_deref(), Some("ACD-EFG-HJK"));
        assert_eq!(parse_receipt_code("ACD-EFG-HJ"), None, "too short");
        assert_eq!(parse_receipt_code("ACD-EFG-HJ0"), None, "0 is not in the alphabet");
        assert_eq!(parse_receipt_code("ÀCD-EFG-HJK"), None);
        for b in 0..=255u8 {
            let c = receipt_code_from(&[b; CODE_LEN]);
            assert_eq!(parse_receipt_code(&c), Some(c.clone()));
        }
    }

    #[test]
    fn secrets_normalise_look_alikes() {
        let s = secret_from(&[7; SECRET_LEN]);
        assert_eq!(s.len(), SECRET_LEN + 3);
        assert_eq!(normalise_secret(&s.to_lowercase()), s.replace('-', ""));
        assert_eq!(normalise_secret("oil-0 1"), "01101");
    }

    #[test]
    fn deadline_rules_follow_kind_and_stage() {
        use Complexity::*;
        assert_eq!(deadline_rule(CaseKind::Feedback, false, Normal, false), (Rule::LetterSort, false));
        assert_eq!(deadline_rule(CaseKind::Complaint, false, Normal, false), (Rule::ComplaintAccept, false));
        assert_eq!(deadline_rule(CaseKind::Complaint, true, Normal, false), (Rule::ComplaintFirst, true));
        assert_eq!(deadline_rule(CaseKind::Complaint, true, Complex, true), (Rule::ComplaintFirstRemoteComplex, true));
        assert_eq!(deadline_rule(CaseKind::Denunciation, false, Normal, false), (Rule::DenunciationInitial, false));
        assert_eq!(
            deadline_rule(CaseKind::Denunciation, true, VeryComplex, false),
            (Rule::DenunciationSettleVeryComplex, true)
        );
        assert_eq!(deadline_rule(CaseKind::CrimeReport, true, Complex, false), (Rule::CrimeReportSettleComplex, false));
        assert_eq!(Normal.extended(CaseKind::Complaint), Some(Complex));
        assert_eq!(Complex.extended(CaseKind::Complaint), None, "a complaint is extended once");
        assert_eq!(Complex.extended(CaseKind::Denunciation), Some(VeryComplex));
        assert_eq!(VeryComplex.extended(CaseKind::Denunciation), None);
    }

    #[test]
    fn verifiers_copy_hides_the_denouncer() {
        let text = "Tôi là Nguyễn Văn An, số 0912 345 678, email an@example.vn. NGUYỄN VĂN AN thấy cán bộ X nhận tiền.";
        let r = redact(text, &["Nguyễn Văn An", "0912345678", "an@example.vn"], "[đã che]");
        assert!(!r.to_lowercase().contains("nguyễn văn an"), "{r}");
        assert!(!r.contains("345"), "{r}");
        assert!(!r.contains("an@example.vn"), "{r}");
        assert!(r.contains("cán bộ X nhận tiền"));
        assert_eq!(redact("abc", &["", "x"], "#"), "abc", "too-short identifiers are ignored");
    }

    #[test]
    fn the_purge_scrubs_personal_data() {
        let t = "Tôi là Nguyễn Văn An, số 0912 345 678, thư an@example.vn; nhà số 12 ngõ 5, năm 2025.";
        let out = scrub_personal(t, &["Nguyễn Văn An"], "[x]");
        assert_eq!(out, "Tôi là [x], số [x], thư [x] nhà số 12 ngõ 5, năm 2025.");
        assert_eq!(scrub_personal("Gọi +84 912.345.678 nhé", &[], "[x]"), "Gọi [x] nhé");
        assert_eq!(scrub_personal("Mã 123-456 và 2025", &[], "[x]"), "Mã 123-456 và 2025");
    }
}
