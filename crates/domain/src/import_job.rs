//! Where a background import job stands, as stored and sent (snake_case codes).

use crate::codes::codes;

codes! {
    /// Where a background import job stands.
    ImportStatus {
        /// Checking the rows.
        Checking => "checking",
        /// Writing them.
        Writing => "writing",
        /// Every row imported.
        Done => "done",
        /// Rows refused; nothing imported.
        Rejected => "rejected",
        /// Refused as a whole or broken; nothing imported.
        Failed => "failed",
        /// The process stopped while it ran; nothing imported.
        Interrupted => "interrupted",
    }
}

impl ImportStatus {
    /// Whether the job has ended.
    pub fn is_final(self) -> bool {
        !matches!(self, ImportStatus::Checking | ImportStatus::Writing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_end() {
        for s in ImportStatus::ALL {
            assert_eq!(ImportStatus::parse(s.as_str()), Some(*s));
            assert_eq!(serde_json::to_value(s).ok(), Some(serde_json::Value::from(s.as_str())));
        }
        assert!(ImportStatus::Interrupted.is_final() && !ImportStatus::Writing.is_final());
    }
}
