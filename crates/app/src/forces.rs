//! The grassroots forces (Luật 30/2023/QH15): security teams over one or several
//! residential areas and their members — the few fields the commune police need to
//! run and pay them, the phone sealed at rest and revealed with a reason, audited.
//! Members are listed only inside the team's commune; above it a team shows counts.
//! The rules (ages, norms, rates, the rating guide) are data:
//! `data/forces/rules.toml`.

use chrono::NaiveDate;
use domain::forces::{self, ForcesRules, Joining, TeamRole};
use domain::{Level, Scope, ValidationError};
use serde::{Deserialize, Serialize};
use store::audit::AuditEntry;
use store::forces::{ForcesStats, MemberRecord, NewMember, NewTeam, RatingRecord, TeamRecord};
use store::StoreError;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

const RULES: &str = include_str!("../../../data/forces/rules.toml");

static SHIPPED: std::sync::LazyLock<Result<ForcesRules, String>> =
    std::sync::LazyLock::new(|| toml::from_str(RULES).map_err(|e| format!("data/forces/rules.toml: {e}")));

/// The forces' rules as shipped.
pub fn rules() -> AppResult<ForcesRules> {
    SHIPPED.clone().map_err(AppError::Internal)
}

/// Body of `POST /api/v1/teams`.
#[derive(Debug, Clone, Deserialize)]
pub struct TeamInput {
    /// A residential area.
    pub unit_code: String,
    /// Name.
    pub name: String,
    /// Established on (YYYY-MM-DD).
    pub established_on: String,
    /// Every area it covers (default: `unit_code`).
    #[serde(default)]
    pub areas: Option<Vec<String>>,
    /// The commune chair's decision establishing it.
    #[serde(default)]
    pub decision: Option<String>,
}

/// Body of `POST /api/v1/teams/{id}/members`.
#[derive(Debug, Clone, Deserialize)]
pub struct MemberInput {
    /// Full name.
    pub name: String,
    /// Year of birth.
    pub birth_year: i64,
    /// male | female.
    pub sex: String,
    /// leader | deputy | member.
    pub role: String,
    /// Joined on.
    pub joined_on: String,
    /// Left on.
    #[serde(default)]
    pub left_on: Option<String>,
    /// Phone (sealed at rest).
    #[serde(default)]
    pub phone: Option<String>,
    /// Above 70: the commune chair decided (Luật 30/2023 Điều 13 khoản 1).
    #[serde(default)]
    pub over_age_decision: bool,
}

/// Body of `POST /api/v1/teams/{id}/equipment`.
#[derive(Debug, Clone, Deserialize)]
pub struct EquipmentInput {
    /// What (áo, mũ, gậy, đèn pin…).
    pub kind: String,
    /// How many.
    pub quantity: i64,
    /// Issued on.
    pub issued_on: String,
}

/// A team as its reader may see it: members listed only inside its commune.
#[derive(Debug, Clone, Serialize)]
pub struct TeamView {
    /// The team.
    #[serde(flatten)]
    pub team: TeamRecord,
    /// The areas it covers: (code, name).
    pub areas: Vec<(String, String)>,
    /// Its members (inside the commune only; never the phone).
    pub members: Option<Vec<MemberRecord>>,
    /// Members by role serving today: leader, deputy, member.
    pub by_role: [i64; 3],
    /// Its ratings.
    pub ratings: Vec<RatingRecord>,
    /// Equipment issued: (kind, quantity).
    pub equipment: Vec<(String, i64)>,
    /// Hours of training this year per member: (member, hours) — inside the commune.
    pub hours: Vec<(i64, i64)>,
}

/// The forces of a scope, with the vacancies against the norm.
#[derive(Debug, Clone, Serialize)]
pub struct ForcesFigures {
    /// The counts.
    #[serde(flatten)]
    pub stats: ForcesStats,
    /// Members wanted by the norm less those serving.
    pub vacancies: i64,
    /// The norm used (members per team).
    pub norm_members_per_team: i64,
}

fn day(s: &str) -> Option<NaiveDate> {
    domain::unit::parse_day(s.trim())
}

/// A phone as typed: digits, spaces, dots, dashes, an optional leading "+"; 8 to 15
/// digits.
fn clean_phone(p: &str) -> Option<String> {
    let p = p.trim();
    let digits: String = p.chars().filter(char::is_ascii_digit).collect();
    let allowed = p.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || " .-".contains(c) || (i == 0 && c == '+'));
    (allowed && (8..=15).contains(&digits.len()))
        .then(|| if p.starts_with('+') { format!("+{digits}") } else { digits })
}

impl App {
    /// Whether the actor works inside the team's commune (its police): members are
    /// listed and written only there.
    fn inside_commune(actor: &Actor, team: &TeamRecord) -> bool {
        matches!(&actor.scope, Scope::Commune(c) if *c == team.commune_code)
    }

    /// Establishes a team over residential areas of one commune in scope.
    pub async fn create_team(&self, actor: &Actor, input: &TeamInput) -> AppResult<TeamRecord> {
        actor.require_police_write()?;
        let mut err = ValidationError::default();
        let name = input.name.trim();
        if !(2..=200).contains(&name.chars().count()) {
            err.push("name", "forces.team_name_invalid");
        }
        let established = day(&input.established_on);
        if established.is_none_or(|d| d > store::clock::today()) {
            err.push("established_on", "forces.date_invalid");
        }
        let decision = input.decision.as_deref().map(str::trim).filter(|d| !d.is_empty());
        if decision.is_some_and(|d| d.chars().count() > 200) {
            err.push("decision", "forces.decision_too_long");
        }
        let first = input.unit_code.trim().to_string();
        let mut codes: Vec<String> = input.areas.clone().unwrap_or_else(|| vec![first.clone()]);
        codes.iter_mut().for_each(|c| *c = c.trim().to_string());
        if !codes.contains(&first) {
            codes.insert(0, first.clone());
        }
        codes.dedup();
        if codes.len() > 20 {
            err.push("areas", "forces.too_many_areas");
        }
        // Every area: a residential area in force in the caller's scope, all of one
        // commune, none covered by another team.
        let mut commune: Option<(String, String)> = None;
        for (i, code) in codes.iter().enumerate() {
            let field = if i == 0 { "unit_code".to_string() } else { format!("areas[{}]", i - 1) };
            match self.store.unit(code).await {
                Ok(u) if u.valid_to.is_none() && u.level == Level::Area && actor.scope.contains(&u.place()) => {
                    let here =
                        (u.commune_code.clone().unwrap_or_default(), u.province_code.clone().unwrap_or_default());
                    match &commune {
                        None => commune = Some(here),
                        Some(c) if *c != here => err.push(&field, "forces.areas_of_one_commune"),
                        Some(_) => {}
                    }
                    if self.store.team_covering(code).await?.is_some() {
                        err.push(&field, "forces.area_has_team");
                    }
                }
                Ok(_) | Err(StoreError::NotFound) => err.push(&field, "forces.area_unknown"),
                Err(e) => return Err(e.into()),
            }
        }
        err.into_result()?;
        let (Some((commune, province)), Some(established)) = (commune, established) else {
            return Err(AppError::Internal("validated team".into()));
        };
        let new = NewTeam {
            name: name.to_string(),
            place: (first.clone(), commune, province),
            established_on: established.to_string(),
            decision: decision.map(str::to_string),
        };
        let mut tx = self.store.begin_write().await?;
        let id = tx.insert_team(&new, &codes, actor.user_id).await?;
        let after =
            serde_json::json!({"name": name, "areas": codes, "established_on": established, "decision": decision});
        AuditEntry::new(Some(actor.user_id), "team.create", "team", id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(self.store.team(&actor.scope, id).await?)
    }

    /// One team in scope: members listed only inside its commune.
    pub async fn team_view(&self, actor: &Actor, id: i64) -> AppResult<TeamView> {
        let team = self.store.team(&actor.scope, id).await?;
        let all = self.store.team_members(id).await?;
        let today = store::clock::today_iso();
        let serving: Vec<&MemberRecord> =
            all.iter().filter(|m| m.left_on.as_deref().is_none_or(|l| l >= today.as_str())).collect();
        let count = |r: &str| serving.iter().filter(|m| m.role == r).count() as i64;
        let by_role = [count("leader"), count("deputy"), count("member")];
        let inside = Self::inside_commune(actor, &team);
        let hours = if inside { self.store.member_hours(id, store::clock::current_year()).await? } else { Vec::new() };
        Ok(TeamView {
            areas: self.store.team_areas(id).await?,
            members: inside.then_some(all),
            by_role,
            ratings: self.store.team_ratings(id).await?,
            equipment: self.store.team_equipment(id).await?,
            hours,
            team,
        })
    }

    /// Teams in scope.
    pub async fn teams(&self, actor: &Actor, limit: i64, offset: i64) -> AppResult<(Vec<TeamRecord>, i64)> {
        Ok(self.store.list_teams(&actor.scope, limit, offset).await?)
    }

    /// Adds a member to a team of the caller's commune; the phone sealed.
    pub async fn add_member(&self, actor: &Actor, team_id: i64, input: &MemberInput) -> AppResult<MemberRecord> {
        actor.require_police_write()?;
        let team = self.store.team(&actor.scope, team_id).await?;
        if !Self::inside_commune(actor, &team) {
            return Err(AppError::Forbidden("forces.commune_only"));
        }
        if team.status != "active" {
            return Err(AppError::Conflict("forces.team_dissolved"));
        }
        let rules = rules()?;
        let today = store::clock::today();
        let mut err = ValidationError::default();
        let name = input.name.trim();
        if !(2..=120).contains(&name.chars().count()) || !domain::text::is_clean_line(name) {
            err.push("name", "forces.member_name_invalid");
        }
        let sex = input.sex.trim();
        if !matches!(sex, "male" | "female") {
            err.push("sex", "nomination.sex_invalid");
        }
        let role = TeamRole::parse(input.role.trim());
        if role.is_none() {
            err.push("role", "forces.role_unknown");
        }
        let joined = day(&input.joined_on);
        if joined.is_none() {
            err.push("joined_on", "forces.date_invalid");
        }
        let left = match input.left_on.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
            None => None,
            Some(l) => match day(l) {
                Some(d) => Some(d),
                None => {
                    err.push("left_on", "forces.date_invalid");
                    None
                }
            },
        };
        let phone = match input.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            None => None,
            Some(p) => match clean_phone(p) {
                Some(p) => Some(p),
                None => {
                    err.push("phone", "forces.phone_invalid");
                    None
                }
            },
        };
        if let Some(joined) = joined {
            let birth_year = i32::try_from(input.birth_year).unwrap_or(i32::MAX);
            let j =
                Joining { birth_year, joined_on: joined, left_on: left, over_age_decision: input.over_age_decision };
            if let Err(e) = forces::check_member(&j, &rules.members, today) {
                err.errors.extend(e.errors);
            }
        }
        err.into_result()?;
        let (Some(role), Some(joined)) = (role, joined) else {
            return Err(AppError::Internal("validated member".into()));
        };
        // One person, one team at a time (same name, year of birth and sex in the commune).
        let fold = domain::text::fold(name);
        for (_, j, l) in self.store.same_person_in_commune(&team.commune_code, &fold, input.birth_year, sex).await? {
            if let Some(j) = day(&j) {
                if forces::periods_overlap((j, l.as_deref().and_then(day)), (joined, left)) {
                    return Err(AppError::Conflict("forces.member_in_other_team"));
                }
            }
        }
        // One leader serving at a time.
        if role == TeamRole::Leader && left.is_none() {
            let today_iso = today.to_string();
            let members = self.store.team_members(team_id).await?;
            if members
                .iter()
                .any(|m| m.role == "leader" && m.left_on.as_deref().is_none_or(|l| l >= today_iso.as_str()))
            {
                return Err(AppError::Conflict("forces.one_leader"));
            }
        }
        let sealed = match &phone {
            Some(p) => Some(self.sealer.seal("member_phone", p.as_bytes())?),
            None => None,
        };
        let new = NewMember {
            team_id,
            name: name.to_string(),
            birth_year: input.birth_year,
            sex: sex.to_string(),
            role: role.as_str().to_string(),
            joined_on: joined.to_string(),
            left_on: left.map(|l| l.to_string()),
            phone: sealed,
            place: (team.commune_code.clone(), team.province_code.clone()),
        };
        let mut tx = self.store.begin_write().await?;
        let id = tx.insert_member(&new, actor.user_id).await?;
        // The audit names the membership, not the person's details.
        let after =
            serde_json::json!({"member": id, "role": role.as_str(), "joined_on": joined, "phone": phone.is_some()});
        AuditEntry::new(Some(actor.user_id), "team.member_add", "team", team_id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        self.store.team_members(team_id).await?.into_iter().find(|m| m.id == id).ok_or(AppError::NotFound)
    }

    /// Dissolves a team of the caller's commune (the chair's decision recorded):
    /// its members leave that day, its areas may get a new team. Audited.
    pub async fn dissolve_team(&self, actor: &Actor, team_id: i64, on: &str, decision: &str) -> AppResult<TeamRecord> {
        actor.require_police_write()?;
        let team = self.store.team(&actor.scope, team_id).await?;
        if !Self::inside_commune(actor, &team) {
            return Err(AppError::Forbidden("forces.commune_only"));
        }
        let mut err = ValidationError::default();
        let day_on = day(on);
        if day_on.is_none_or(|d| d > store::clock::today() || day(&team.established_on).is_some_and(|e| d < e)) {
            err.push("on", "forces.date_invalid");
        }
        err.check_line("decision", decision, 200, "forces.decision_required", "forces.decision_too_long");
        err.into_result()?;
        let on = day_on.map(|d| d.to_string()).unwrap_or_default();
        let mut tx = self.store.begin_write().await?;
        if tx.dissolve_team(team_id).await? == 0 {
            return Err(AppError::Conflict("forces.team_dissolved"));
        }
        for m in self.store.team_members(team_id).await? {
            if m.left_on.as_deref().is_none_or(|l| l > on.as_str()) {
                tx.set_member_left(team_id, m.id, &on).await?;
            }
        }
        let after = serde_json::json!({"status": "dissolved", "on": on, "decision": decision.trim()});
        AuditEntry::new(Some(actor.user_id), "team.dissolve", "team", team_id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(self.store.team(&actor.scope, team_id).await?)
    }

    /// Records that a member left the team (the commune's police): not before they
    /// joined, not after today.
    pub async fn member_leaves(
        &self,
        actor: &Actor,
        team_id: i64,
        member: i64,
        left_on: &str,
    ) -> AppResult<MemberRecord> {
        actor.require_police_write()?;
        let team = self.store.team(&actor.scope, team_id).await?;
        if !Self::inside_commune(actor, &team) {
            return Err(AppError::Forbidden("forces.commune_only"));
        }
        let m =
            self.store.team_members(team_id).await?.into_iter().find(|m| m.id == member).ok_or(AppError::NotFound)?;
        let left = day(left_on).ok_or_else(|| ValidationError::one("left_on", "forces.date_invalid"))?;
        if left > store::clock::today() {
            return Err(ValidationError::one("left_on", "forces.left_in_future").into());
        }
        if day(&m.joined_on).is_some_and(|j| left < j) {
            return Err(ValidationError::one("left_on", "forces.left_before_joined").into());
        }
        let mut tx = self.store.begin_write().await?;
        tx.set_member_left(team_id, member, &left.to_string()).await?;
        let after = serde_json::json!({"member": member, "left_on": left});
        let before = serde_json::json!({"member": member, "left_on": m.left_on});
        AuditEntry::new(Some(actor.user_id), "team.member_left", "team", team_id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        self.store.team_members(team_id).await?.into_iter().find(|m| m.id == member).ok_or(AppError::NotFound)
    }

    /// Reveals a member's phone to the commune's police, for a reason, audited.
    pub async fn reveal_member_phone(
        &self,
        actor: &Actor,
        team_id: i64,
        member: i64,
        reason: &str,
    ) -> AppResult<Option<String>> {
        actor.require_police_write()?;
        let team = self.store.team(&actor.scope, team_id).await?;
        if !Self::inside_commune(actor, &team) {
            return Err(AppError::Forbidden("forces.commune_only"));
        }
        let reason = reason.trim();
        if reason.chars().count() < 5 || reason.chars().count() > 500 {
            return Err(ValidationError::one("reason", "forces.reason_required").into());
        }
        let sealed = self.store.member_phone_sealed(team_id, member).await?;
        let phone = match sealed {
            Some(s) => Some(
                String::from_utf8(self.sealer.open("member_phone", &s)?)
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            ),
            None => None,
        };
        let mut tx = self.store.begin_write().await?;
        AuditEntry::new(Some(actor.user_id), "team.reveal_phone", "team", team_id)
            .after(&serde_json::json!({"member": member, "reason": reason}))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(phone)
    }

    /// Records equipment issued to a team of the caller's commune.
    pub async fn issue_equipment(&self, actor: &Actor, team_id: i64, input: &EquipmentInput) -> AppResult<()> {
        actor.require_police_write()?;
        let team = self.store.team(&actor.scope, team_id).await?;
        if !Self::inside_commune(actor, &team) {
            return Err(AppError::Forbidden("forces.commune_only"));
        }
        if team.status != "active" {
            return Err(AppError::Conflict("forces.team_dissolved"));
        }
        let mut err = ValidationError::default();
        let kind = input.kind.trim();
        err.check_line("kind", kind, 100, "forces.kind_invalid", "forces.kind_invalid");
        if !(1..=10_000).contains(&input.quantity) {
            err.push("quantity", "forces.quantity_invalid");
        }
        let issued = day(&input.issued_on);
        if issued.is_none_or(|d| d > store::clock::today()) {
            err.push("issued_on", "forces.date_invalid");
        }
        err.into_result()?;
        let issued = issued.map(|d| d.to_string()).unwrap_or_default();
        let mut tx = self.store.begin_write().await?;
        tx.insert_equipment(team_id, kind, input.quantity, &issued, actor.user_id).await?;
        let after = serde_json::json!({"kind": kind, "quantity": input.quantity, "issued_on": issued});
        AuditEntry::new(Some(actor.user_id), "team.equipment", "team", team_id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A scope's forces counts, kept until a write (the figures, the funding's per
    /// area and per member).
    pub(crate) async fn forces_stats_of(&self, scope: &Scope, year: i64) -> AppResult<std::sync::Arc<ForcesStats>> {
        self.memo(format!("forces|{scope:?}|{year}"), || async { Ok(self.store.forces_stats(scope, year).await?) })
            .await
    }

    /// A year's ratings of the teams in scope.
    pub async fn ratings_of_year(&self, actor: &Actor, year: i64) -> AppResult<Vec<RatingRecord>> {
        Ok(self.store.ratings_of_year(&actor.scope, year).await?)
    }

    /// The forces one level down (the nation's provinces, a province's communes).
    pub async fn forces_by_place(&self, actor: &Actor, year: i64) -> AppResult<Vec<store::forces::PlaceForces>> {
        let rows = self
            .memo(format!("forces_by_place|{:?}|{year}", actor.scope), || async {
                Ok(self.store.forces_by_place(&actor.scope, year).await?)
            })
            .await?;
        Ok((*rows).clone())
    }

    /// The forces of the actor's scope (or a unit in it) in a year.
    pub async fn forces_figures(&self, actor: &Actor, year: i64, unit: Option<&str>) -> AppResult<ForcesFigures> {
        let scope = self.narrowed_scope(actor, unit).await?;
        let stats = self.forces_stats_of(&scope, year).await?;
        let norms = rules()?.norms;
        // Team by team, against each team's province's norm.
        let sizes =
            self.memo(format!("team_sizes|{scope:?}"), || async { Ok(self.store.team_sizes(&scope).await?) }).await?;
        let vacancies = forces::vacancies(&sizes, &norms);
        let norm = match &scope {
            Scope::Province(p) => norms.per_team(p),
            Scope::Commune(c) | Scope::Area(c) => {
                norms.per_team(self.kept_unit(c).await?.province_code.as_deref().unwrap_or_default())
            }
            Scope::Nation | Scope::Organisation(_) => norms.default_members_per_team,
        };
        Ok(ForcesFigures { vacancies, norm_members_per_team: norm, stats: (*stats).clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_as_typed() {
        assert_eq!(clean_phone("0912 345 678"), Some("0912345678".into()));
        assert_eq!(clean_phone("+84 912.345.678"), Some("+84912345678".into()));
        assert_eq!(clean_phone("12345"), None);
        assert_eq!(clean_phone("0912x45678"), None);
    }

    #[test]
    fn the_shipped_rules_read() {
        let r = rules().expect("rules");
        assert_eq!((r.members.min_age, r.members.max_age), (18, 70));
        assert_eq!(r.rating.excellent_share_of_good_percent, 20);
        assert!(r.funding.categories.contains(&"ngay_hoi".to_string()));
    }
}
