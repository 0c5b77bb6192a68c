//! The life of a case (DESIGN §2) as a pure table: which act may be taken from which
//! status and the status it leaves, which kinds may be refused, how far a deadline
//! may be extended, and which acts need a reason.
//!
//! ```text
//!              accept                 close                reopen (citizen, in time)
//! received ──────────▶ accepted ──────────────▶ closed ──────────▶ accepted
//!    │ refuse (never a crime report) ▶ refused               └───▶ received (never accepted)
//!    │ close ▶ closed
//!    └ merge (received or accepted) ▶ merged
//! transfer, extend: received or accepted, status kept; assign: any status.
//! rate (citizen): closed or refused, status kept.
//! ```
//!
//! The refusals carry the message keys the use cases answer with; the checks the
//! table cannot make (the target unit of a transfer, the case merged into, the
//! reopening period, a rating already given) stay with the caller.

use super::{CaseKind, CaseStatus, Complexity};

/// Something done to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseAct {
    /// Accept for settlement (thụ lý).
    Accept,
    /// Refuse to accept, with reasons.
    Refuse,
    /// Send to another unit, with reasons.
    Transfer,
    /// Give to an officer.
    Assign,
    /// Extend the deadline one step (complex, very complex), with reasons.
    Extend,
    /// Close with an outcome.
    Close,
    /// Merge into another case (a duplicate).
    Merge,
    /// The citizen reopens a closed case: it goes back to accepted when it had been
    /// accepted, else to received.
    Reopen {
        /// Whether the case had been accepted before it was closed.
        was_accepted: bool,
    },
    /// The citizen rates the handling.
    Rate,
}

impl CaseAct {
    /// Every act (reopening both ways).
    pub const ALL: [CaseAct; 10] = [
        CaseAct::Accept,
        CaseAct::Refuse,
        CaseAct::Transfer,
        CaseAct::Assign,
        CaseAct::Extend,
        CaseAct::Close,
        CaseAct::Merge,
        CaseAct::Reopen { was_accepted: false },
        CaseAct::Reopen { was_accepted: true },
        CaseAct::Rate,
    ];

    /// Whether and how the act needs a reason (for closing: the outcome).
    pub fn reason_rule(self) -> ReasonRule {
        match self {
            CaseAct::Refuse | CaseAct::Transfer | CaseAct::Extend | CaseAct::Close => ReasonRule::Required,
            CaseAct::Merge => ReasonRule::Optional,
            CaseAct::Reopen { .. } => ReasonRule::NotEmpty,
            CaseAct::Accept | CaseAct::Assign | CaseAct::Rate => ReasonRule::None,
        }
    }
}

/// Whether an act needs a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonRule {
    /// No reason is asked.
    None,
    /// A reason may be given.
    Optional,
    /// An officer's reason: at least [`MIN_REASON_CHARS`] characters, kept up to
    /// [`MAX_REASON_CHARS`].
    Required,
    /// The citizen's reason: anything not blank.
    NotEmpty,
}

/// Shortest reason an officer may give, in characters (after trimming).
pub const MIN_REASON_CHARS: usize = 5;
/// Longest required reason kept, in characters (the rest is cut).
pub const MAX_REASON_CHARS: usize = 2000;

/// Why an act is not allowed; each is one message key, answered either as a
/// conflict with the case's state or as a problem with one input field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseRefusal {
    /// The case's status does not allow the act.
    WrongStatus,
    /// The kind may not be refused: it must be received (crime reports).
    MustBeReceived,
    /// The case cannot be merged (finished, itself, or into a merged case).
    MergeInvalid,
    /// The deadline cannot be extended further for this kind.
    NoExtension,
    /// The case is not closed, or the reopening period is over.
    CannotReopen,
    /// The case is not finished, or it was rated already.
    CannotRate,
    /// A reason is missing or too short.
    ReasonRequired,
}

impl CaseRefusal {
    /// Stable message key.
    pub fn code(self) -> &'static str {
        match self {
            CaseRefusal::WrongStatus => "case.wrong_status",
            CaseRefusal::MustBeReceived => "case.must_be_received",
            CaseRefusal::MergeInvalid => "case.merge_invalid",
            CaseRefusal::NoExtension => "case.no_extension",
            CaseRefusal::CannotReopen => "case.cannot_reopen",
            CaseRefusal::CannotRate => "case.cannot_rate",
            CaseRefusal::ReasonRequired => "case.reason_required",
        }
    }

    /// The input field a refusal is about, or `None` when it is a conflict with the
    /// case's state.
    pub fn field(self) -> Option<&'static str> {
        match self {
            CaseRefusal::MustBeReceived | CaseRefusal::NoExtension => Some("action"),
            CaseRefusal::MergeInvalid => Some("into_id"),
            CaseRefusal::ReasonRequired => Some("reason"),
            CaseRefusal::WrongStatus | CaseRefusal::CannotReopen | CaseRefusal::CannotRate => None,
        }
    }
}

/// The status a case of `kind` has after `act` from `status`, or why the act is not
/// allowed. The status is checked before the kind: a crime report already accepted
/// is refused for its status.
pub fn next_status(kind: CaseKind, status: CaseStatus, act: CaseAct) -> Result<CaseStatus, CaseRefusal> {
    use CaseStatus::*;
    match (act, status) {
        (CaseAct::Accept, Received) => Ok(Accepted),
        (CaseAct::Refuse, Received) if kind.may_be_refused() => Ok(Refused),
        (CaseAct::Refuse, Received) => Err(CaseRefusal::MustBeReceived),
        (CaseAct::Accept | CaseAct::Refuse, _) => Err(CaseRefusal::WrongStatus),
        (CaseAct::Assign, s) => Ok(s),
        (CaseAct::Transfer | CaseAct::Extend, s) if !s.is_final() => Ok(s),
        (CaseAct::Close, s) if !s.is_final() => Ok(Closed),
        (CaseAct::Transfer | CaseAct::Extend | CaseAct::Close, _) => Err(CaseRefusal::WrongStatus),
        (CaseAct::Merge, s) if !s.is_final() => Ok(Merged),
        (CaseAct::Merge, _) => Err(CaseRefusal::MergeInvalid),
        (CaseAct::Reopen { was_accepted: true }, Closed) => Ok(Accepted),
        (CaseAct::Reopen { was_accepted: false }, Closed) => Ok(Received),
        (CaseAct::Reopen { .. }, _) => Err(CaseRefusal::CannotReopen),
        (CaseAct::Rate, Closed | Refused) => Ok(status),
        (CaseAct::Rate, _) => Err(CaseRefusal::CannotRate),
    }
}

/// Whether another case may be merged into a case with status `into`: not into one
/// that is itself merged (a finished case may take duplicates).
pub fn may_merge_into(into: CaseStatus) -> bool {
    into != CaseStatus::Merged
}

/// The complexity after extending a case of `kind` one step (see
/// [`Complexity::extended`]).
pub fn next_complexity(kind: CaseKind, complexity: Complexity) -> Result<Complexity, CaseRefusal> {
    complexity.extended(kind).ok_or(CaseRefusal::NoExtension)
}

/// An officer's reason: trimmed, at least [`MIN_REASON_CHARS`] characters (not cut).
pub fn required_reason(text: &str) -> Result<&str, CaseRefusal> {
    let text = text.trim();
    if text.chars().count() < MIN_REASON_CHARS {
        Err(CaseRefusal::ReasonRequired)
    } else {
        Ok(text)
    }
}

/// The reason given for `act` as it is kept, by [`CaseAct::reason_rule`]: trimmed, a
/// required one cut to [`MAX_REASON_CHARS`]; empty when none is asked or none was
/// given where it is optional.
pub fn reason(act: CaseAct, text: &str) -> Result<String, CaseRefusal> {
    match act.reason_rule() {
        ReasonRule::None => Ok(String::new()),
        ReasonRule::Optional => Ok(text.trim().to_string()),
        ReasonRule::Required => Ok(required_reason(text)?.chars().take(MAX_REASON_CHARS).collect()),
        ReasonRule::NotEmpty if text.trim().is_empty() => Err(CaseRefusal::ReasonRequired),
        ReasonRule::NotEmpty => Ok(text.trim().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lifecycle as a table, one row per act, one column per status in
    /// [`CaseStatus::ALL`] order (received, accepted, refused, closed, merged): the
    /// status after the act, or `!` and the refusal's message key. Kinds other than a
    /// crime report; the crime report differs in one cell, checked below.
    const TABLE: [(CaseAct, [&str; 5]); 10] = [
        (
            CaseAct::Accept,
            ["accepted", "!case.wrong_status", "!case.wrong_status", "!case.wrong_status", "!case.wrong_status"],
        ),
        (
            CaseAct::Refuse,
            ["refused", "!case.wrong_status", "!case.wrong_status", "!case.wrong_status", "!case.wrong_status"],
        ),
        (CaseAct::Transfer, ["received", "accepted", "!case.wrong_status", "!case.wrong_status", "!case.wrong_status"]),
        (CaseAct::Assign, ["received", "accepted", "refused", "closed", "merged"]),
        (CaseAct::Extend, ["received", "accepted", "!case.wrong_status", "!case.wrong_status", "!case.wrong_status"]),
        (CaseAct::Close, ["closed", "closed", "!case.wrong_status", "!case.wrong_status", "!case.wrong_status"]),
        (CaseAct::Merge, ["merged", "merged", "!case.merge_invalid", "!case.merge_invalid", "!case.merge_invalid"]),
        (
            CaseAct::Reopen { was_accepted: false },
            ["!case.cannot_reopen", "!case.cannot_reopen", "!case.cannot_reopen", "received", "!case.cannot_reopen"],
        ),
        (
            CaseAct::Reopen { was_accepted: true },
            ["!case.cannot_reopen", "!case.cannot_reopen", "!case.cannot_reopen", "accepted", "!case.cannot_reopen"],
        ),
        (CaseAct::Rate, ["!case.cannot_rate", "!case.cannot_rate", "refused", "closed", "!case.cannot_rate"]),
    ];

    fn shown(r: Result<CaseStatus, CaseRefusal>) -> String {
        match r {
            Ok(s) => s.as_str().to_string(),
            Err(e) => format!("!{}", e.code()),
        }
    }

    #[test]
    fn every_kind_status_and_act_follows_the_table() {
        assert_eq!(CaseStatus::ALL.map(CaseStatus::as_str), ["received", "accepted", "refused", "closed", "merged"]);
        let mut checked = 0;
        for act in CaseAct::ALL {
            let row = TABLE.iter().find(|(a, _)| *a == act).unwrap_or_else(|| panic!("no row for {act:?}")).1;
            for kind in CaseKind::ALL {
                for (i, status) in CaseStatus::ALL.into_iter().enumerate() {
                    let want =
                        if kind == CaseKind::CrimeReport && act == CaseAct::Refuse && status == CaseStatus::Received {
                            "!case.must_be_received"
                        } else {
                            row[i]
                        };
                    assert_eq!(shown(next_status(kind, status, act)), want, "{kind:?} {status:?} {act:?}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 10 * 5 * 5);
        assert_eq!(TABLE.len(), CaseAct::ALL.len());
    }

    #[test]
    fn only_crime_reports_may_not_be_refused() {
        for kind in CaseKind::ALL {
            let r = next_status(kind, CaseStatus::Received, CaseAct::Refuse);
            if kind == CaseKind::CrimeReport {
                assert_eq!(r, Err(CaseRefusal::MustBeReceived));
            } else {
                assert_eq!(r, Ok(CaseStatus::Refused), "{kind:?}");
            }
        }
    }

    #[test]
    fn finished_cases_take_no_officer_act_but_assignment() {
        for kind in CaseKind::ALL {
            for status in CaseStatus::ALL.into_iter().filter(|s| s.is_final()) {
                for act in [CaseAct::Accept, CaseAct::Refuse, CaseAct::Transfer, CaseAct::Extend, CaseAct::Close] {
                    assert_eq!(next_status(kind, status, act), Err(CaseRefusal::WrongStatus));
                }
                assert_eq!(next_status(kind, status, CaseAct::Merge), Err(CaseRefusal::MergeInvalid));
                assert_eq!(next_status(kind, status, CaseAct::Assign), Ok(status));
            }
        }
    }

    #[test]
    fn merging_into_a_merged_case_is_refused() {
        for into in CaseStatus::ALL {
            assert_eq!(may_merge_into(into), into != CaseStatus::Merged, "{into:?}");
        }
    }

    #[test]
    fn extensions_follow_the_kind() {
        use Complexity::*;
        for kind in CaseKind::ALL {
            let twice = matches!(kind, CaseKind::Denunciation | CaseKind::CrimeReport);
            assert_eq!(next_complexity(kind, Normal), Ok(Complex), "{kind:?}");
            assert_eq!(
                next_complexity(kind, Complex),
                if twice { Ok(VeryComplex) } else { Err(CaseRefusal::NoExtension) },
                "{kind:?}"
            );
            assert_eq!(next_complexity(kind, VeryComplex), Err(CaseRefusal::NoExtension), "{kind:?}");
        }
    }

    #[test]
    fn which_acts_need_a_reason() {
        for act in CaseAct::ALL {
            let rule = act.reason_rule();
            let want = match act {
                CaseAct::Refuse | CaseAct::Transfer | CaseAct::Extend | CaseAct::Close => ReasonRule::Required,
                CaseAct::Merge => ReasonRule::Optional,
                CaseAct::Reopen { .. } => ReasonRule::NotEmpty,
                CaseAct::Accept | CaseAct::Assign | CaseAct::Rate => ReasonRule::None,
            };
            assert_eq!(rule, want, "{act:?}");
            let (blank, short, ok) = (reason(act, "   "), reason(act, " abcd "), reason(act, "  abcde  "));
            match rule {
                ReasonRule::None => {
                    assert_eq!((blank, short, ok), (Ok(String::new()), Ok(String::new()), Ok(String::new())))
                }
                ReasonRule::Optional => {
                    assert_eq!((blank, short, ok), (Ok(String::new()), Ok("abcd".into()), Ok("abcde".into())))
                }
                ReasonRule::Required => assert_eq!(
                    (blank, short, ok),
                    (Err(CaseRefusal::ReasonRequired), Err(CaseRefusal::ReasonRequired), Ok("abcde".into()))
                ),
                ReasonRule::NotEmpty => {
                    assert_eq!(
                        (blank, short, ok),
                        (Err(CaseRefusal::ReasonRequired), Ok("abcd".into()), Ok("abcde".into()))
                    )
                }
            }
        }
        // Characters, not bytes; a required reason is cut, an optional one is not.
        assert_eq!(reason(CaseAct::Close, "Đã xử"), Ok("Đã xử".to_string()));
        assert_eq!(required_reason(" Đã x "), Err(CaseRefusal::ReasonRequired));
        let long = "ư".repeat(MAX_REASON_CHARS + 10);
        assert_eq!(reason(CaseAct::Refuse, &long).map(|r| r.chars().count()), Ok(MAX_REASON_CHARS));
        assert_eq!(required_reason(&long).map(|r| r.chars().count()), Ok(MAX_REASON_CHARS + 10));
        assert_eq!(reason(CaseAct::Merge, &long).map(|r| r.chars().count()), Ok(MAX_REASON_CHARS + 10));
        assert_eq!(
            reason(CaseAct::Reopen { was_accepted: true }, &long).map(|r| r.chars().count()),
            Ok(MAX_REASON_CHARS + 10)
        );
    }

    #[test]
    fn refusals_keep_their_keys_and_fields() {
        let all = [
            (CaseRefusal::WrongStatus, "case.wrong_status", None),
            (CaseRefusal::MustBeReceived, "case.must_be_received", Some("action")),
            (CaseRefusal::MergeInvalid, "case.merge_invalid", Some("into_id")),
            (CaseRefusal::NoExtension, "case.no_extension", Some("action")),
            (CaseRefusal::CannotReopen, "case.cannot_reopen", None),
            (CaseRefusal::CannotRate, "case.cannot_rate", None),
            (CaseRefusal::ReasonRequired, "case.reason_required", Some("reason")),
        ];
        for (r, code, field) in all {
            assert_eq!((r.code(), r.field()), (code, field), "{r:?}");
        }
    }
}
