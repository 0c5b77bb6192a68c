//! Roles of DESIGN §1 and the rules of who may grant what.

use serde::{Deserialize, Serialize};

use crate::Level;

/// A staff role. Citizens have no account and no role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị hệ thống — nation scope; users, configuration, backups.
    Admin,
    /// Cán bộ Cục XDPT — nation scope.
    Ministry,
    /// Cán bộ Phòng XDPT, Công an tỉnh — one province.
    Province,
    /// Cán bộ Công an xã/phường/đặc khu — one commune.
    Commune,
    /// Người phụ trách ANTT của một cơ quan, doanh nghiệp, nhà trường — one organisation.
    Organisation,
    /// Lãnh đạo, Mặt trận, đoàn thể — read-only over a subtree.
    Viewer,
}

impl Role {
    /// All roles, highest first.
    pub const ALL: [Role; 6] =
        [Role::Admin, Role::Ministry, Role::Province, Role::Commune, Role::Organisation, Role::Viewer];

    /// Stable name used in the CLI, database and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Ministry => "ministry",
            Role::Province => "province",
            Role::Commune => "commune",
            Role::Organisation => "organisation",
            Role::Viewer => "viewer",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Rank for "above/below" comparisons: higher is more powerful.
    pub fn rank(self) -> u8 {
        match self {
            Role::Admin => 6,
            Role::Ministry => 5,
            Role::Province => 4,
            Role::Commune => 3,
            Role::Organisation => 2,
            Role::Viewer => 1,
        }
    }

    /// The unit level a user of this role must be attached to; `None` means any
    /// level (viewer) or an organisation instead of a unit.
    pub fn unit_level(self) -> Option<Level> {
        match self {
            Role::Admin | Role::Ministry => Some(Level::Nation),
            Role::Province => Some(Level::Province),
            Role::Commune => Some(Level::Commune),
            Role::Organisation | Role::Viewer => None,
        }
    }

    /// Whether the role must enrol TOTP before doing anything else (default policy).
    pub fn requires_totp(self) -> bool {
        matches!(self, Role::Admin | Role::Ministry | Role::Province)
    }

    /// Whether the role may write at all (viewers are read-only).
    pub fn can_write(self) -> bool {
        !matches!(self, Role::Viewer)
    }

    /// Whether the role may create and manage staff accounts in its scope.
    pub fn can_manage_users(self) -> bool {
        matches!(self, Role::Admin | Role::Ministry | Role::Province | Role::Commune)
    }

    /// Whether a user of this role may grant `other`: never a role above one's own,
    /// and only admins create admins.
    pub fn may_grant(self, other: Role) -> bool {
        self.can_manage_users() && other.rank() <= self.rank() && (other != Role::Admin || self == Role::Admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nobody_grants_above_themselves() {
        assert!(Role::Admin.may_grant(Role::Admin));
        assert!(!Role::Ministry.may_grant(Role::Admin));
        assert!(Role::Ministry.may_grant(Role::Ministry));
        assert!(!Role::Province.may_grant(Role::Ministry));
        assert!(Role::Province.may_grant(Role::Commune));
        assert!(!Role::Commune.may_grant(Role::Province));
        assert!(Role::Commune.may_grant(Role::Organisation));
        assert!(Role::Commune.may_grant(Role::Viewer));
        assert!(!Role::Organisation.may_grant(Role::Viewer));
        assert!(!Role::Viewer.may_grant(Role::Viewer));
    }

    #[test]
    fn privileged_roles_need_totp() {
        let need: Vec<Role> = Role::ALL.into_iter().filter(|r| r.requires_totp()).collect();
        assert_eq!(need, vec![Role::Admin, Role::Ministry, Role::Province]);
    }

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
