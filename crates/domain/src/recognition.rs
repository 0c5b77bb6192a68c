//! Who recognises a safe unit, and by when (Thông tư 124/2021/TT-BCA Điều 9, 10):
//! the police *verify* (thẩm định); a People's Committee — or the Ministry for the
//! organisations its own departments follow — *decides* and issues the "Giấy công
//! nhận". Since 1 July 2025 there is no district level, so who recognises a commune
//! is configuration (`CommuneApprover`, default the province). Pure rules.

use chrono::NaiveDate;
use serde::Serialize;

use crate::assessment::{CommuneApprover, Manager};
use crate::criteria::Subject;

/// The body that decides and issues the certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Authority {
    /// Ủy ban nhân dân cấp xã (Điều 10 khoản 1).
    CommunePeoplesCommittee,
    /// Ủy ban nhân dân cấp tỉnh (Điều 10 khoản 3; a commune by configuration, in
    /// place of the district of Điều 10 khoản 2).
    ProvincePeoplesCommittee,
    /// Bộ Công an (Điều 10 khoản 4).
    Ministry,
}

impl Authority {
    /// Stable name (stored with the decision).
    pub fn as_str(self) -> &'static str {
        match self {
            Authority::CommunePeoplesCommittee => "commune_peoples_committee",
            Authority::ProvincePeoplesCommittee => "province_peoples_committee",
            Authority::Ministry => "ministry",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Authority> {
        [Authority::CommunePeoplesCommittee, Authority::ProvincePeoplesCommittee, Authority::Ministry]
            .into_iter()
            .find(|a| a.as_str() == s)
    }
}

/// Who decides for a subject: residential areas and the organisations a commune
/// manages, the commune's People's Committee; the organisations a province manages,
/// the province's; those a Ministry department follows, the Ministry (khoản 4); a
/// commune, the body the campaign configures.
pub fn authority(subject: Subject, manager: Manager, commune_approver: CommuneApprover) -> Authority {
    match subject {
        Subject::ResidentialArea => Authority::CommunePeoplesCommittee,
        Subject::Commune => match commune_approver {
            CommuneApprover::Province => Authority::ProvincePeoplesCommittee,
            CommuneApprover::Ministry => Authority::Ministry,
        },
        _ => match manager {
            Manager::Commune => Authority::CommunePeoplesCommittee,
            Manager::Province => Authority::ProvincePeoplesCommittee,
            Manager::Ministry => Authority::Ministry,
        },
    }
}

/// The clause that gives the authority.
pub fn source(a: Authority, subject: Subject) -> &'static str {
    match (a, subject) {
        (Authority::CommunePeoplesCommittee, _) => "Thông tư 124/2021/TT-BCA, Điều 10 khoản 1",
        (_, Subject::Commune) => {
            "Thông tư 124/2021/TT-BCA, Điều 10 khoản 2 (cấp huyện không còn từ 01/7/2025: cơ quan quyết định theo cấu hình)"
        }
        (Authority::ProvincePeoplesCommittee, _) => "Thông tư 124/2021/TT-BCA, Điều 10 khoản 3",
        (Authority::Ministry, _) => "Thông tư 124/2021/TT-BCA, Điều 10 khoản 4",
    }
}

/// The deciding body's name as the document writes it: "Ủy ban nhân dân Phường Ba
/// Đình", "Ủy ban nhân dân Thành phố Hà Nội", "Bộ Công an".
pub fn body_name(a: Authority, commune_name: &str, province_name: &str) -> String {
    match a {
        Authority::CommunePeoplesCommittee => format!("Ủy ban nhân dân {commune_name}"),
        Authority::ProvincePeoplesCommittee => format!("Ủy ban nhân dân {province_name}"),
        Authority::Ministry => "Bộ Công an".to_string(),
    }
}

/// How many days after its due day (Điều 9 khoản 1) a decision of `year` made on
/// `decided` came: 0 when on time.
pub fn days_late(subject: Subject, year: i32, decided: NaiveDate) -> i64 {
    decision_due(subject, year).map_or(0, |due| (decided - due).num_days().max(0))
}

/// The day by which the decision is due (Điều 9 khoản 1): 15 November for a
/// residential area, 20 November for a commune or an organisation.
pub fn decision_due(subject: Subject, year: i32) -> Option<NaiveDate> {
    let day = if subject == Subject::ResidentialArea { 15 } else { 20 };
    NaiveDate::from_ymd_opt(year, 11, day)
}

/// The first day of the period a year's recognition judges: 16 November of the
/// year before (Điều 8 khoản 2 điểm b); a decision cannot come before it.
pub fn period_start(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year - 1, 11, 16)
}

/// The problems of a decision's signer as given: a name without a title or a title
/// without a name (message keys), none when both or neither are given.
pub fn signer_problem(name: Option<&str>, title: Option<&str>) -> Option<(&'static str, &'static str)> {
    let given = |s: Option<&str>| s.is_some_and(|s| !s.trim().is_empty());
    match (given(name), given(title)) {
        (true, false) => Some(("signer_title", "recognition.signer_title_missing")),
        (false, true) => Some(("signer_name", "recognition.signer_name_missing")),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_peoples_committee_decides_and_the_commune_is_configuration() {
        let p = CommuneApprover::Province;
        assert_eq!(authority(Subject::ResidentialArea, Manager::Commune, p), Authority::CommunePeoplesCommittee);
        assert_eq!(authority(Subject::School, Manager::Commune, p), Authority::CommunePeoplesCommittee);
        assert_eq!(authority(Subject::Enterprise, Manager::Province, p), Authority::ProvincePeoplesCommittee);
        assert_eq!(authority(Subject::Commune, Manager::Commune, p), Authority::ProvincePeoplesCommittee);
        assert_eq!(authority(Subject::School, Manager::Ministry, p), Authority::Ministry, "Điều 10 khoản 4");
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default();
        assert_eq!(days_late(Subject::ResidentialArea, 2026, d(11, 15)), 0, "on the day");
        assert_eq!(days_late(Subject::ResidentialArea, 2026, d(11, 18)), 3);
        assert_eq!(days_late(Subject::Commune, 2026, d(11, 18)), 0, "communes have until 20/11");
        assert_eq!(days_late(Subject::School, 2026, d(12, 1)), 11);
        for a in [Authority::CommunePeoplesCommittee, Authority::ProvincePeoplesCommittee, Authority::Ministry] {
            assert_eq!(Authority::parse(a.as_str()), Some(a));
        }
        assert_eq!(authority(Subject::Commune, Manager::Commune, CommuneApprover::Ministry), Authority::Ministry);
        assert_eq!(
            body_name(Authority::CommunePeoplesCommittee, "Phường Ba Đình", "Thành phố Hà Nội"),
            "Ủy ban nhân dân Phường Ba Đình"
        );
        assert!(source(Authority::ProvincePeoplesCommittee, Subject::Commune).contains("khoản 2"));
        assert!(source(Authority::ProvincePeoplesCommittee, Subject::Agency).contains("khoản 3"));
    }

    #[test]
    fn deadlines_and_the_period_follow_articles_8_and_9() {
        assert_eq!(decision_due(Subject::ResidentialArea, 2026), NaiveDate::from_ymd_opt(2026, 11, 15));
        assert_eq!(decision_due(Subject::Commune, 2026), NaiveDate::from_ymd_opt(2026, 11, 20));
        assert_eq!(decision_due(Subject::School, 2026), NaiveDate::from_ymd_opt(2026, 11, 20));
        assert_eq!(period_start(2026), NaiveDate::from_ymd_opt(2025, 11, 16));
    }

    #[test]
    fn a_signer_needs_a_name_and_a_title() {
        assert_eq!(
            signer_problem(Some("Nguyễn Văn A"), None),
            Some(("signer_title", "recognition.signer_title_missing"))
        );
        assert_eq!(signer_problem(None, Some("Chủ tịch")), Some(("signer_name", "recognition.signer_name_missing")));
        assert_eq!(
            signer_problem(Some("Nguyễn Văn A"), Some(" ")),
            Some(("signer_title", "recognition.signer_title_missing"))
        );
        assert_eq!(signer_problem(Some("Nguyễn Văn A"), Some("Chủ tịch")), None);
        assert_eq!(signer_problem(None, None), None);
    }
}
