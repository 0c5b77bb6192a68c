//! Security teams (Tổ bảo vệ an ninh, trật tự) over residential areas, their
//! members, equipment and yearly ratings, and the forces' counts of a scope. A
//! member's phone is stored sealed and never read here except by
//! [`Store::member_phone_sealed`]; member rows are read by team, and the app shows
//! them only inside the team's commune.

use domain::forces::rating::RatingLevel;
use domain::Scope;
use serde::Serialize;

use crate::db::{bind_all, int_at};
use crate::decode::Cols;
use crate::scope_sql::{clause, Table};
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// A team as stored.
#[derive(Debug, Clone, Serialize)]
pub struct TeamRecord {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Its (first) residential area.
    pub unit_code: String,
    /// That area's name.
    pub unit_name: String,
    /// Commune.
    pub commune_code: String,
    /// Province.
    pub province_code: String,
    /// Established on.
    pub established_on: String,
    /// The establishing decision.
    pub decision: Option<String>,
    /// active | dissolved.
    pub status: String,
    /// Members serving today.
    pub members: i64,
}

/// A member as the commune police see them (never the phone).
#[derive(Debug, Clone, Serialize)]
pub struct MemberRecord {
    /// Id.
    pub id: i64,
    /// Team.
    pub team_id: i64,
    /// Name.
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
    pub left_on: Option<String>,
    /// A phone is on file (sealed; revealed with a reason).
    pub has_phone: bool,
}

/// A rating as stored.
#[derive(Debug, Clone, Serialize)]
pub struct RatingRecord {
    /// Id.
    pub id: i64,
    /// Team.
    pub team_id: i64,
    /// Year.
    pub year: i64,
    /// Level.
    pub level: RatingLevel,
    /// Decision number.
    pub decision_number: String,
    /// Decision date.
    pub decision_date: String,
}

/// A scope's forces in a year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ForcesStats {
    /// Active teams.
    pub teams: i64,
    /// Members serving today in active teams.
    pub members: i64,
    /// Residential areas in force.
    pub areas: i64,
    /// Those no active team covers.
    pub areas_without_team: i64,
    /// Ratings of the year by level.
    pub rated: RatedCounts,
    /// Members who attended a course of the year (named attendance).
    pub trained_members: i64,
    /// People counted at large courses without names.
    pub trained_headcount: i64,
}

/// Ratings by level.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RatedCounts {
    /// Hoàn thành xuất sắc.
    pub excellent: i64,
    /// Hoàn thành tốt.
    pub good: i64,
    /// Hoàn thành.
    pub completed: i64,
    /// Không hoàn thành.
    pub not_completed: i64,
}

/// The forces of one place one level down.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceForces {
    /// Province or commune code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Active teams.
    pub teams: i64,
    /// Members serving.
    pub members: i64,
    /// Residential areas.
    pub areas: i64,
    /// Areas without a team.
    pub areas_without_team: i64,
    /// Members trained in the year.
    pub trained_members: i64,
}

/// A new team.
#[derive(Debug, Clone)]
pub struct NewTeam {
    /// Name.
    pub name: String,
    /// First area, commune, province.
    pub place: (String, String, String),
    /// Established on.
    pub established_on: String,
    /// Decision.
    pub decision: Option<String>,
}

/// A new member (the phone already sealed).
#[derive(Debug, Clone)]
pub struct NewMember {
    /// Team.
    pub team_id: i64,
    /// Name.
    pub name: String,
    /// Year of birth.
    pub birth_year: i64,
    /// Sex.
    pub sex: String,
    /// Role.
    pub role: String,
    /// Joined on.
    pub joined_on: String,
    /// Left on.
    pub left_on: Option<String>,
    /// The sealed phone.
    pub phone: Option<Vec<u8>>,
    /// Commune, province.
    pub place: (String, String),
}

/// The teams' select with the members serving today counted (today is the
/// server's own ISO day, never user input, so it is written into the SQL).
fn team_select() -> String {
    let today = crate::clock::today_iso();
    format!("SELECT tm.id, tm.name, tm.unit_code, u.name AS unit_name, tm.commune_code, tm.province_code, tm.established_on, tm.decision, tm.status, (SELECT COUNT(*) FROM team_members mb WHERE mb.team_id = tm.id AND (mb.left_on IS NULL OR mb.left_on >= '{today}')) AS members FROM teams tm JOIN units u ON u.code = tm.unit_code")
}

fn team_row(r: sqlx::any::AnyRow) -> Result<TeamRecord> {
    let c = Cols::new("teams", &r);
    Ok(TeamRecord {
        id: c.int("id")?,
        name: c.text("name")?,
        unit_code: c.text("unit_code")?,
        unit_name: c.text("unit_name")?,
        commune_code: c.text("commune_code")?,
        province_code: c.text("province_code")?,
        established_on: c.text("established_on")?,
        decision: c.opt_text("decision")?,
        status: c.text("status")?,
        members: c.int("members")?,
    })
}

fn rating_row(r: &sqlx::any::AnyRow) -> Result<RatingRecord> {
    let c = Cols::new("team_ratings", r);
    Ok(RatingRecord {
        id: c.int("id")?,
        team_id: c.int("team_id")?,
        year: c.int("year")?,
        level: c.parse("level", RatingLevel::parse)?,
        decision_number: c.text("decision_number")?,
        decision_date: c.text("decision_date")?,
    })
}

impl Store {
    /// One team in scope.
    pub async fn team(&self, scope: &Scope, id: i64) -> Result<TeamRecord> {
        let mut args = vec![Arg::I(id)];
        let c = clause(scope, Table::Teams, &mut args);
        let sql = format!("{} WHERE tm.id = $1 AND {c}", team_select());
        team_row(bind_all(sqlx::query(&sql), &args).fetch_optional(self.pool()).await?.ok_or(StoreError::NotFound)?)
    }

    /// Teams in scope, by commune then name.
    pub async fn list_teams(&self, scope: &Scope, limit: i64, offset: i64) -> Result<(Vec<TeamRecord>, i64)> {
        let mut args = Vec::new();
        let c = clause(scope, Table::Teams, &mut args);
        let count = format!("SELECT COUNT(*) FROM teams tm WHERE {c}");
        let rows = format!("{} WHERE {c} ORDER BY tm.commune_code, tm.name, tm.id", team_select());
        self.count_and_page(&count, &rows, args, limit, offset, team_row).await
    }

    /// The residential areas a team covers: (code, name).
    pub async fn team_areas(&self, team: i64) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT a.area_code, u.name FROM team_areas a JOIN units u ON u.code = a.area_code WHERE a.team_id = $1 ORDER BY a.area_code")
            .bind(team)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| Ok((Cols::new("team_areas", r).text("area_code")?, Cols::new("units", r).text("name")?)))
            .collect()
    }

    /// The active team covering an area, if any.
    pub async fn team_covering(&self, area: &str) -> Result<Option<i64>> {
        let r = sqlx::query("SELECT a.team_id FROM team_areas a JOIN teams t ON t.id = a.team_id WHERE a.area_code = $1 AND t.status = 'active' LIMIT 1")
            .bind(area.to_string())
            .fetch_optional(self.pool())
            .await?;
        r.map(|r| int_at(&r, 0)).transpose()
    }

    /// A team's members, leaders first.
    pub async fn team_members(&self, team: i64) -> Result<Vec<MemberRecord>> {
        let rows = sqlx::query("SELECT id, team_id, name, birth_year, sex, role, joined_on, left_on, CASE WHEN phone IS NULL THEN 0 ELSE 1 END AS has_phone FROM team_members WHERE team_id = $1 ORDER BY CASE role WHEN 'leader' THEN 0 WHEN 'deputy' THEN 1 ELSE 2 END, name_fold, id")
            .bind(team)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new("team_members", r);
                Ok(MemberRecord {
                    id: c.int("id")?,
                    team_id: c.int("team_id")?,
                    name: c.text("name")?,
                    birth_year: c.int("birth_year")?,
                    sex: c.text("sex")?,
                    role: c.text("role")?,
                    joined_on: c.text("joined_on")?,
                    left_on: c.opt_text("left_on")?,
                    has_phone: c.flag("has_phone")?,
                })
            })
            .collect()
    }

    /// A member's sealed phone (the app opens it for a reason, audited).
    pub async fn member_phone_sealed(&self, team: i64, member: i64) -> Result<Option<Vec<u8>>> {
        let row: Option<(Option<Vec<u8>>,)> =
            sqlx::query_as("SELECT phone FROM team_members WHERE id = $1 AND team_id = $2")
                .bind(member)
                .bind(team)
                .fetch_optional(self.pool())
                .await?;
        row.map(|r| r.0).ok_or(StoreError::NotFound)
    }

    /// The same person (folded name, year of birth, sex) in the commune's teams:
    /// (team, joined on, left on) of each membership.
    pub async fn same_person_in_commune(
        &self,
        commune: &str,
        name_fold: &str,
        birth_year: i64,
        sex: &str,
    ) -> Result<Vec<(i64, String, Option<String>)>> {
        let rows = sqlx::query("SELECT team_id, joined_on, left_on FROM team_members WHERE commune_code = $1 AND name_fold = $2 AND birth_year = $3 AND sex = $4")
            .bind(commune.to_string())
            .bind(name_fold.to_string())
            .bind(birth_year)
            .bind(sex.to_string())
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new("team_members", r);
                Ok((c.int("team_id")?, c.text("joined_on")?, c.opt_text("left_on")?))
            })
            .collect()
    }

    /// A team's ratings, latest first.
    pub async fn team_ratings(&self, team: i64) -> Result<Vec<RatingRecord>> {
        let rows = sqlx::query("SELECT id, team_id, year, level, decision_number, decision_date FROM team_ratings WHERE team_id = $1 ORDER BY year DESC")
            .bind(team)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(rating_row).collect()
    }

    /// A year's ratings of the teams in scope.
    pub async fn ratings_of_year(&self, scope: &Scope, year: i64) -> Result<Vec<RatingRecord>> {
        let mut args = vec![Arg::I(year)];
        let c = clause(scope, Table::Teams, &mut args);
        let sql = format!("SELECT r.id, r.team_id, r.year, r.level, r.decision_number, r.decision_date FROM team_ratings r JOIN teams tm ON tm.id = r.team_id WHERE r.year = $1 AND {c}");
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.iter().map(rating_row).collect()
    }

    /// The rating of the team covering a residential area in a year.
    pub async fn area_team_rating(&self, area: &str, year: i64) -> Result<Option<RatingLevel>> {
        let r = sqlx::query("SELECT r.level FROM team_ratings r JOIN team_areas a ON a.team_id = r.team_id WHERE a.area_code = $1 AND r.year = $2 ORDER BY r.id DESC LIMIT 1")
            .bind(area.to_string())
            .bind(year)
            .fetch_optional(self.pool())
            .await?;
        r.map(|r| Cols::new("team_ratings", &r).parse("level", RatingLevel::parse)).transpose()
    }

    /// The equipment issued to a team: (kind, total quantity).
    pub async fn team_equipment(&self, team: i64) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query("SELECT kind, CAST(SUM(quantity) AS BIGINT) AS n FROM team_equipment WHERE team_id = $1 GROUP BY kind ORDER BY kind")
            .bind(team)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Ok((Cols::new("team_equipment", r).text("kind")?, int_at(r, 1)?))).collect()
    }

    /// Hours of training per member of a team in a year: (member, hours).
    pub async fn member_hours(&self, team: i64, year: i64) -> Result<Vec<(i64, i64)>> {
        let rows = sqlx::query("SELECT a.member_id, CAST(SUM(t.hours) AS BIGINT) FROM training_attendance a JOIN trainings t ON t.id = a.training_id JOIN team_members mb ON mb.id = a.member_id WHERE mb.team_id = $1 AND t.year = $2 GROUP BY a.member_id")
            .bind(team)
            .bind(year)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Ok((int_at(r, 0)?, int_at(r, 1)?))).collect()
    }

    /// The forces of a scope in a year.
    pub async fn forces_stats(&self, scope: &Scope, year: i64) -> Result<ForcesStats> {
        let today = crate::clock::today_iso();
        let one = |sql: String, mut args: Vec<Arg>, table: Table| {
            let c = clause(scope, table, &mut args);
            (sql.replace("{c}", &c), args)
        };
        let mut out = ForcesStats::default();
        let queries = [
            one("SELECT COUNT(*) FROM teams tm WHERE tm.status = 'active' AND {c}".into(), vec![], Table::Teams),
            one(
                "SELECT COUNT(*) FROM team_members mb JOIN teams tm ON tm.id = mb.team_id WHERE tm.status = 'active' AND (mb.left_on IS NULL OR mb.left_on >= $1) AND {c}".into(),
                vec![today.as_str().into()],
                Table::Teams,
            ),
            one("SELECT COUNT(*) FROM units u WHERE u.level = 'area' AND u.valid_to IS NULL AND {c}".into(), vec![], Table::Units),
            one(
                "SELECT COUNT(*) FROM units u WHERE u.level = 'area' AND u.valid_to IS NULL AND NOT EXISTS (SELECT 1 FROM team_areas ta JOIN teams t2 ON t2.id = ta.team_id WHERE ta.area_code = u.code AND t2.status = 'active') AND {c}".into(),
                vec![],
                Table::Units,
            ),
            one(
                "SELECT COUNT(DISTINCT a.member_id) FROM training_attendance a JOIN trainings t ON t.id = a.training_id JOIN team_members mb ON mb.id = a.member_id JOIN teams tm ON tm.id = mb.team_id WHERE t.year = $1 AND {c}".into(),
                vec![Arg::I(year)],
                Table::Teams,
            ),
            one(
                "SELECT CAST(COALESCE(SUM(tr.headcount), 0) AS BIGINT) FROM trainings tr WHERE tr.year = $1 AND {c}".into(),
                vec![Arg::I(year)],
                Table::Trainings,
            ),
        ];
        let mut counts = Vec::new();
        for (sql, args) in &queries {
            counts.push(int_at(&bind_all(sqlx::query(sql), args).fetch_one(self.pool()).await?, 0)?);
        }
        if let [teams, members, areas, without, trained, headcount] = counts[..] {
            (out.teams, out.members, out.areas, out.areas_without_team) = (teams, members, areas, without);
            (out.trained_members, out.trained_headcount) = (trained, headcount);
        }
        let (sql, args) = one(
            "SELECT r.level, COUNT(*) FROM team_ratings r JOIN teams tm ON tm.id = r.team_id WHERE r.year = $1 AND {c} GROUP BY r.level".into(),
            vec![Arg::I(year)],
            Table::Teams,
        );
        for r in bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await? {
            let n = int_at(&r, 1)?;
            match Cols::new("team_ratings", &r).parse("level", RatingLevel::parse)? {
                RatingLevel::Excellent => out.rated.excellent = n,
                RatingLevel::Good => out.rated.good = n,
                RatingLevel::Completed => out.rated.completed = n,
                RatingLevel::NotCompleted => out.rated.not_completed = n,
            }
        }
        Ok(out)
    }

    /// The forces one level down — the nation's provinces, a province's communes —
    /// as (code, name, teams, members, areas, areas without a team, members trained
    /// in `year`), by code; none below a province.
    pub async fn forces_by_place(&self, scope: &Scope, year: i64) -> Result<Vec<PlaceForces>> {
        let col = match scope {
            Scope::Nation => "province_code",
            Scope::Province(_) => "commune_code",
            _ => return Ok(Vec::new()),
        };
        let today = crate::clock::today_iso();
        let grouped = |sql: &str, table: Table, first: Vec<Arg>| {
            let mut args = first;
            let c = clause(scope, table, &mut args);
            (sql.replace("{c}", &c).replace("{col}", col), args)
        };
        let queries = [
            grouped("SELECT tm.{col} AS code, COUNT(*) FROM teams tm WHERE tm.status = 'active' AND {c} GROUP BY tm.{col}", Table::Teams, vec![]),
            grouped(
                "SELECT tm.{col} AS code, COUNT(*) FROM team_members mb JOIN teams tm ON tm.id = mb.team_id WHERE tm.status = 'active' AND (mb.left_on IS NULL OR mb.left_on >= $1) AND {c} GROUP BY tm.{col}",
                Table::Teams,
                vec![today.as_str().into()],
            ),
            grouped("SELECT u.{col} AS code, COUNT(*) FROM units u WHERE u.level = 'area' AND u.valid_to IS NULL AND {c} GROUP BY u.{col}", Table::Units, vec![]),
            grouped(
                "SELECT u.{col} AS code, COUNT(*) FROM units u WHERE u.level = 'area' AND u.valid_to IS NULL AND NOT EXISTS (SELECT 1 FROM team_areas ta JOIN teams t2 ON t2.id = ta.team_id WHERE ta.area_code = u.code AND t2.status = 'active') AND {c} GROUP BY u.{col}",
                Table::Units,
                vec![],
            ),
            grouped(
                "SELECT tm.{col} AS code, COUNT(DISTINCT a.member_id) FROM training_attendance a JOIN trainings t ON t.id = a.training_id JOIN team_members mb ON mb.id = a.member_id JOIN teams tm ON tm.id = mb.team_id WHERE t.year = $1 AND {c} GROUP BY tm.{col}",
                Table::Teams,
                vec![Arg::I(year)],
            ),
        ];
        let mut by: std::collections::BTreeMap<String, [i64; 5]> = Default::default();
        for (k, (sql, args)) in queries.iter().enumerate() {
            for r in bind_all(sqlx::query(sql), args).fetch_all(self.pool()).await? {
                let Some(code) = Cols::new("forces", &r).opt_text("code")? else { continue };
                by.entry(code).or_default()[k] = int_at(&r, 1)?;
            }
        }
        let mut out = Vec::new();
        for (code, [teams, members, areas, without, trained]) in by {
            let name = match self.unit(&code).await {
                Ok(u) => u.name,
                Err(_) => code.clone(),
            };
            out.push(PlaceForces {
                code,
                name,
                teams,
                members,
                areas,
                areas_without_team: without,
                trained_members: trained,
            });
        }
        Ok(out)
    }

    /// The active teams of a scope by size: (province, members serving, teams).
    pub async fn team_sizes(&self, scope: &Scope) -> Result<Vec<(String, i64, i64)>> {
        let today = crate::clock::today_iso();
        let mut args = vec![Arg::S(today)];
        let c = clause(scope, Table::Teams, &mut args);
        let sql = format!("SELECT s.province_code, s.n, CAST(COUNT(*) AS BIGINT) FROM (SELECT tm.province_code, COALESCE(c.n, 0) AS n FROM teams tm LEFT JOIN (SELECT mb.team_id, COUNT(*) AS n FROM team_members mb WHERE mb.left_on IS NULL OR mb.left_on >= $1 GROUP BY mb.team_id) c ON c.team_id = tm.id WHERE tm.status = 'active' AND {c}) s GROUP BY s.province_code, s.n");
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok((Cols::new("teams", r).text("province_code")?, int_at(r, 1)?, int_at(r, 2)?))).collect()
    }

    /// Every residential area in force: (code, commune, province), by code.
    pub async fn areas_in_force(&self) -> Result<Vec<(String, String, String)>> {
        let rows = sqlx::query("SELECT code, commune_code, province_code FROM units WHERE level = 'area' AND valid_to IS NULL AND commune_code IS NOT NULL ORDER BY code")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new("units", r);
                Ok((c.text("code")?, c.text("commune_code")?, c.text("province_code")?))
            })
            .collect()
    }

    /// The members' service of a scope for the allowance: (province, role, joined,
    /// left) of every member of an active team.
    pub async fn members_service(&self, scope: &Scope) -> Result<Vec<(String, String, String, Option<String>)>> {
        let mut args = Vec::new();
        let c = clause(scope, Table::Teams, &mut args);
        let sql = format!("SELECT mb.province_code, mb.role, mb.joined_on, mb.left_on FROM team_members mb JOIN teams tm ON tm.id = mb.team_id WHERE tm.status = 'active' AND {c}");
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new("team_members", r);
                Ok((c.text("province_code")?, c.text("role")?, c.text("joined_on")?, c.opt_text("left_on")?))
            })
            .collect()
    }
}

impl Tx {
    /// Stores a team and the areas it covers; returns its id.
    pub async fn insert_team(&mut self, t: &NewTeam, areas: &[String], by: i64) -> Result<i64> {
        let now = now_ms();
        let r = bind_all(
            sqlx::query("INSERT INTO teams (name, unit_code, commune_code, province_code, established_on, decision, created_by, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8) RETURNING id"),
            &[
                t.name.as_str().into(),
                t.place.0.as_str().into(),
                t.place.1.as_str().into(),
                t.place.2.as_str().into(),
                t.established_on.as_str().into(),
                t.decision.clone().into(),
                Arg::I(by),
                Arg::I(now),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        let id = int_at(&r, 0)?;
        for a in areas {
            self.exec("INSERT INTO team_areas (team_id, area_code) VALUES ($1, $2)", &[Arg::I(id), a.as_str().into()])
                .await?;
        }
        Ok(id)
    }

    /// Stores a member; returns the id.
    pub async fn insert_member(&mut self, m: &NewMember, by: i64) -> Result<i64> {
        let r = bind_all(
            sqlx::query("INSERT INTO team_members (team_id, name, name_fold, birth_year, sex, role, joined_on, left_on, phone, commune_code, province_code, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id"),
            &[
                Arg::I(m.team_id),
                m.name.as_str().into(),
                domain::text::fold(&m.name).into(),
                Arg::I(m.birth_year),
                m.sex.as_str().into(),
                m.role.as_str().into(),
                m.joined_on.as_str().into(),
                m.left_on.clone().into(),
                m.phone.clone().map_or(Arg::NullB, Arg::B),
                m.place.0.as_str().into(),
                m.place.1.as_str().into(),
                Arg::I(by),
                Arg::I(now_ms()),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        int_at(&r, 0)
    }

    /// The commune's ratings of a year: (excellent, good), read inside the write so
    /// the cap holds against a rating written meanwhile.
    pub async fn commune_rating_counts(&mut self, commune: &str, year: i64) -> Result<(i64, i64)> {
        let r = bind_all(
            sqlx::query("SELECT CAST(COALESCE(SUM(CASE WHEN level = 'excellent' THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN level = 'good' THEN 1 ELSE 0 END), 0) AS BIGINT) FROM team_ratings WHERE commune_code = $1 AND year = $2"),
            &[commune.into(), Arg::I(year)],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        Ok((int_at(&r, 0)?, int_at(&r, 1)?))
    }

    /// Stores a rating; `Conflict` when the team is rated for the year already.
    pub async fn insert_rating(
        &mut self,
        team: &TeamRecord,
        year: i64,
        level: RatingLevel,
        decision: (&str, &str),
        by: i64,
    ) -> Result<i64> {
        let place = (team.commune_code.as_str(), team.province_code.as_str());
        self.insert_rating_of(team.id, place, year, level, decision, by).await
    }

    /// Stores a rating of the team `team` of (commune, province).
    pub async fn insert_rating_of(
        &mut self,
        team: i64,
        place: (&str, &str),
        year: i64,
        level: RatingLevel,
        decision: (&str, &str),
        by: i64,
    ) -> Result<i64> {
        let r = bind_all(
            sqlx::query("INSERT INTO team_ratings (team_id, year, level, decision_number, decision_date, commune_code, province_code, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (team_id, year) DO NOTHING RETURNING id"),
            &[
                Arg::I(team),
                Arg::I(year),
                level.as_str().into(),
                decision.0.into(),
                decision.1.into(),
                place.0.into(),
                place.1.into(),
                Arg::I(by),
                Arg::I(now_ms()),
            ],
        )
        .fetch_optional(&mut *self.tx)
        .await?;
        r.map(|r| int_at(&r, 0)).transpose()?.ok_or(StoreError::Conflict("team_rating"))
    }

    /// Dissolves a team (0 rows when dissolved already): its areas are free again.
    pub async fn dissolve_team(&mut self, team: i64) -> Result<u64> {
        self.exec(
            "UPDATE teams SET status = 'dissolved', updated_at = $1 WHERE id = $2 AND status = 'active'",
            &[Arg::I(now_ms()), Arg::I(team)],
        )
        .await
    }

    /// Records the day a member left (0 rows when no such member in the team).
    pub async fn set_member_left(&mut self, team: i64, member: i64, left_on: &str) -> Result<u64> {
        self.exec(
            "UPDATE team_members SET left_on = $1 WHERE id = $2 AND team_id = $3",
            &[left_on.into(), Arg::I(member), Arg::I(team)],
        )
        .await
    }

    /// Records equipment issued to a team.
    pub async fn insert_equipment(
        &mut self,
        team: i64,
        kind: &str,
        quantity: i64,
        issued_on: &str,
        by: i64,
    ) -> Result<()> {
        self.exec(
            "INSERT INTO team_equipment (team_id, kind, quantity, issued_on, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6)",
            &[Arg::I(team), kind.into(), Arg::I(quantity), issued_on.into(), Arg::I(by), Arg::I(now_ms())],
        )
        .await?;
        Ok(())
    }
}
