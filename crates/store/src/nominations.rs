//! Nominations for awards: stored with the place of the proposal (province,
//! commune) so every read goes through the scope rule; the way up in `status`; a
//! person's few fields only. A likely duplicate of a person (same award, folded
//! name, year of birth) is looked up by its own index.

use domain::awards::{NominationStatus, Recipient};
use domain::Scope;
use serde::Serialize;

use crate::db::{bind_all, int_at};
use crate::decode::Cols;
use crate::scope_sql::{clause, Table};
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// A nomination as stored.
#[derive(Debug, Clone, Serialize)]
pub struct NominationRecord {
    /// Id.
    pub id: i64,
    /// Year of the achievements.
    pub year: i64,
    /// Award type code.
    pub award_type: String,
    /// Collective or individual.
    pub recipient: Recipient,
    /// The collective's unit, or the person's unit.
    pub unit_code: String,
    /// The unit's name.
    pub unit_name: String,
    /// The collective organisation, if one.
    pub organisation_id: Option<i64>,
    /// The person's name.
    pub person_name: Option<String>,
    /// Year of birth.
    pub birth_year: Option<i64>,
    /// male | female.
    pub sex: Option<String>,
    /// Position.
    pub position: Option<String>,
    /// Service periods (JSON).
    pub service: Option<serde_json::Value>,
    /// The computed eligibility at proposal (JSON).
    pub eligibility: Option<serde_json::Value>,
    /// What the proposer confirmed (JSON), shown to the verifier.
    pub confirmed: Option<serde_json::Value>,
    /// Achievements.
    pub achievements: String,
    /// Where it stands.
    pub status: NominationStatus,
    /// The proposing unit.
    pub proposer_unit: String,
    /// Its level.
    pub proposer_level: String,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: Option<String>,
    /// Decision number.
    pub decision_number: Option<String>,
    /// Decision date.
    pub decision_date: Option<String>,
    /// Why it was returned.
    pub return_reason: Option<String>,
    /// The decision lets the public honour roll show it.
    pub public: bool,
    /// Created (Unix ms).
    pub created_at: i64,
}

/// Filter of the nominations' list (the register).
#[derive(Debug, Clone, Default)]
pub struct NominationFilter {
    /// Year of the achievements.
    pub year: Option<i64>,
    /// Award type.
    pub award_type: Option<String>,
    /// Where it stands (decided: the register of awards).
    pub status: Option<NominationStatus>,
    /// A person's name (diacritics ignored) or a unit code.
    pub q: Option<String>,
    /// A unit: its own awards and those of the units under it (a province, a
    /// commune or a residential area), within the caller's scope.
    pub unit: Option<String>,
}

/// A nomination to store (checked by the app).
#[derive(Debug, Clone)]
pub struct NewNomination {
    /// Year.
    pub year: i64,
    /// Award type.
    pub award_type: String,
    /// Collective or individual.
    pub recipient: Recipient,
    /// Unit.
    pub unit_code: String,
    /// Organisation.
    pub organisation_id: Option<i64>,
    /// (name, birth year, sex, position) of a person.
    pub person: Option<(String, i64, String, String)>,
    /// Service JSON.
    pub service_json: Option<String>,
    /// Eligibility JSON.
    pub eligibility_json: Option<String>,
    /// Confirmations JSON.
    pub confirmed_json: Option<String>,
    /// Achievements.
    pub achievements: String,
    /// Proposing unit and its level.
    pub proposer: (String, String),
    /// Province and commune of the proposal.
    pub place: (String, Option<String>),
}

const SELECT: &str = "SELECT nm.id, nm.year, nm.award_type, nm.recipient, nm.unit_code, u.name AS unit_name, nm.organisation_id, nm.person_name, nm.birth_year, nm.sex, nm.position, nm.service_json, nm.eligibility_json, nm.confirmed_json, nm.achievements, nm.status, nm.proposer_unit, nm.proposer_level, nm.province_code, nm.commune_code, nm.decision_number, nm.decision_date, nm.return_reason, nm.public, nm.created_at FROM nominations nm JOIN units u ON u.code = nm.unit_code";

fn row(r: sqlx::any::AnyRow) -> Result<NominationRecord> {
    let c = Cols::new("nominations", &r);
    let json = |col: &'static str| -> Result<Option<serde_json::Value>> {
        Ok(c.opt_text(col)?.and_then(|t| serde_json::from_str(&t).ok()))
    };
    Ok(NominationRecord {
        id: c.int("id")?,
        year: c.int("year")?,
        award_type: c.text("award_type")?,
        recipient: c.parse("recipient", Recipient::parse)?,
        unit_code: c.text("unit_code")?,
        unit_name: c.text("unit_name")?,
        organisation_id: c.opt_int("organisation_id")?,
        person_name: c.opt_text("person_name")?,
        birth_year: c.opt_int("birth_year")?,
        sex: c.opt_text("sex")?,
        position: c.opt_text("position")?,
        service: json("service_json")?,
        eligibility: json("eligibility_json")?,
        confirmed: json("confirmed_json")?,
        achievements: c.text("achievements")?,
        status: c.parse("status", NominationStatus::parse)?,
        proposer_unit: c.text("proposer_unit")?,
        proposer_level: c.text("proposer_level")?,
        province_code: c.text("province_code")?,
        commune_code: c.opt_text("commune_code")?,
        decision_number: c.opt_text("decision_number")?,
        decision_date: c.opt_text("decision_date")?,
        return_reason: c.opt_text("return_reason")?,
        public: c.flag("public")?,
        created_at: c.int("created_at")?,
    })
}

impl Store {
    /// One nomination in scope.
    pub async fn nomination(&self, scope: &Scope, id: i64) -> Result<NominationRecord> {
        let mut args = vec![Arg::I(id)];
        let c = clause(scope, Table::Nominations, &mut args);
        let sql = format!("{SELECT} WHERE nm.id = $1 AND {c}");
        row(bind_all(sqlx::query(&sql), &args).fetch_optional(self.pool()).await?.ok_or(StoreError::NotFound)?)
    }

    /// Nominations in scope matching a filter, newest first.
    pub async fn list_nominations(
        &self,
        scope: &Scope,
        f: &NominationFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<NominationRecord>, i64)> {
        let mut args = Vec::new();
        let mut conds = vec![clause(scope, Table::Nominations, &mut args)];
        if let Some(y) = f.year {
            args.push(Arg::I(y));
            conds.push(format!("nm.year = ${}", args.len()));
        }
        if let Some(a) = f.award_type.as_deref() {
            args.push(a.into());
            conds.push(format!("nm.award_type = ${}", args.len()));
        }
        if let Some(st) = f.status {
            args.push(st.as_str().into());
            conds.push(format!("nm.status = ${}", args.len()));
        }
        if let Some(u) = f.unit.as_deref() {
            args.push(u.into());
            let n = args.len();
            conds.push(format!("(nm.unit_code = ${n} OR nm.commune_code = ${n} OR nm.province_code = ${n})"));
        }
        // A person's name, diacritics ignored (or the unit's code).
        if let Some(c) = crate::search_sql::text_condition(f.q.as_deref(), "nm.person_fold", "nm.unit_code", &mut args)
        {
            conds.push(c);
        }
        let wh = conds.join(" AND ");
        let count = format!("SELECT COUNT(*) FROM nominations nm WHERE {wh}");
        let rows = format!("{SELECT} WHERE {wh} ORDER BY nm.id DESC");
        self.count_and_page(&count, &rows, args, limit, offset, row).await
    }

    /// A person with the same folded name, year of birth and unit already nominated
    /// for `award_type` (not returned), anywhere: the id and status of the first.
    pub async fn likely_same_person(
        &self,
        award_type: &str,
        name_fold: &str,
        birth_year: i64,
        unit: &str,
    ) -> Result<Option<(i64, String)>> {
        let row = sqlx::query(
            "SELECT id, status FROM nominations WHERE award_type = $1 AND person_fold = $2 AND birth_year = $3 AND unit_code = $4 AND status <> 'returned' ORDER BY id LIMIT 1",
        )
        .bind(award_type.to_string())
        .bind(name_fold.to_string())
        .bind(birth_year)
        .bind(unit.to_string())
        .fetch_optional(self.pool())
        .await?;
        match row {
            Some(r) => Ok(Some((int_at(&r, 0)?, sqlx::Row::try_get(&r, 1)?))),
            None => Ok(None),
        }
    }
}

impl Tx {
    /// Stores a proposed nomination; returns its id.
    pub async fn insert_nomination(&mut self, n: &NewNomination, by: i64) -> Result<i64> {
        let now = now_ms();
        let (name, fold, birth, sex, position) = match &n.person {
            Some((name, birth, sex, position)) => (
                Arg::S(name.clone()),
                Arg::S(domain::text::fold(name)),
                Arg::I(*birth),
                Arg::S(sex.clone()),
                Arg::S(position.clone()),
            ),
            None => (Arg::NullS, Arg::NullS, Arg::NullI, Arg::NullS, Arg::NullS),
        };
        let row = bind_all(
            sqlx::query("INSERT INTO nominations (year, award_type, recipient, unit_code, organisation_id, person_name, person_fold, birth_year, sex, position, service_json, eligibility_json, confirmed_json, achievements, status, proposer_unit, proposer_level, province_code, commune_code, created_by, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,'proposed',$15,$16,$17,$18,$19,$20,$20) RETURNING id"),
            &[
                Arg::I(n.year),
                n.award_type.as_str().into(),
                n.recipient.as_str().into(),
                n.unit_code.as_str().into(),
                n.organisation_id.into(),
                name,
                fold,
                birth,
                sex,
                position,
                n.service_json.clone().into(),
                n.eligibility_json.clone().into(),
                n.confirmed_json.clone().into(),
                n.achievements.as_str().into(),
                n.proposer.0.as_str().into(),
                n.proposer.1.as_str().into(),
                n.place.0.as_str().into(),
                n.place.1.clone().into(),
                Arg::I(by),
                Arg::I(now),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        int_at(&row, 0)
    }

    /// Moves a nomination from `from` to `to` (0 rows when someone moved it first).
    pub async fn move_nomination(
        &mut self,
        id: i64,
        from: NominationStatus,
        to: NominationStatus,
        decision: Option<(&str, &str)>,
        reason: Option<&str>,
        public: bool,
    ) -> Result<u64> {
        self.exec(
            "UPDATE nominations SET status = $1, decision_number = COALESCE($2, decision_number), decision_date = COALESCE($3, decision_date), return_reason = $4, updated_at = $5, public = $8 WHERE id = $6 AND status = $7",
            &[
                to.as_str().into(),
                decision.map(|d| d.0.to_string()).into(),
                decision.map(|d| d.1.to_string()).into(),
                reason.map(str::to_string).into(),
                Arg::I(now_ms()),
                Arg::I(id),
                from.as_str().into(),
                Arg::I(i64::from(public)),
            ],
        )
        .await
    }
}
