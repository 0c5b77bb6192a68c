//! The closed sets of the movement's records: a model's status, the verdict of its
//! yearly evaluation, and what a key-area decision does. Stored and sent as their
//! snake_case codes.

use crate::codes::codes;

codes! {
    /// Where a model (mô hình tự quản, tự phòng) stands.
    ModelStatus {
        /// Working.
        Active => "active",
        /// Consolidated (củng cố).
        Consolidated => "consolidated",
        /// Copied elsewhere (nhân rộng).
        Replicated => "replicated",
        /// No longer exists.
        Dissolved => "dissolved",
    }
}

codes! {
    /// The verdict of a model's yearly evaluation.
    Verdict {
        /// Thực chất, hiệu quả.
        Effective => "effective",
        /// Hình thức: on paper only.
        Formal => "formal",
    }
}

codes! {
    /// What a key-area decision does to a commune.
    KeyAreaAction {
        /// Puts the commune on the list of key areas.
        Designate => "designate",
        /// Takes it off.
        Remove => "remove",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for s in ModelStatus::ALL {
            assert_eq!(ModelStatus::parse(s.as_str()), Some(*s));
            assert_eq!(serde_json::to_value(s).ok(), Some(serde_json::Value::from(s.as_str())));
        }
        for v in Verdict::ALL {
            assert_eq!(Verdict::parse(v.as_str()), Some(*v));
            assert_eq!(serde_json::to_value(v).ok(), Some(serde_json::Value::from(v.as_str())));
        }
        for a in KeyAreaAction::ALL {
            assert_eq!(KeyAreaAction::parse(a.as_str()), Some(*a));
            assert_eq!(serde_json::to_value(a).ok(), Some(serde_json::Value::from(a.as_str())));
        }
        assert_eq!(ModelStatus::parse("closed"), None);
    }
}
