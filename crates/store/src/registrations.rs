//! Registrations (đăng ký phấn đấu): one per subject and year, and who in a commune
//! has registered — a subject assessed for the year counts as registered.

use domain::Scope;
use serde::Serialize;

use crate::db::{bind_all, int_at};
use crate::decode::Cols;
use crate::scope_sql::{clause, organisations_in_commune, Table};
use crate::{now_ms, Arg, Result, Store, Tx};

/// A registration as stored, with its subject's name.
#[derive(Debug, Clone, Serialize)]
pub struct RegistrationRecord {
    /// Id.
    pub id: i64,
    /// Year registered for.
    pub year: i64,
    /// residential_area | commune | agency | enterprise | school
    pub subject: String,
    /// The unit registered, if a unit.
    pub unit_code: Option<String>,
    /// The organisation registered, if an organisation.
    pub organisation_id: Option<i64>,
    /// The subject's name.
    pub subject_name: String,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: Option<String>,
    /// Day registered (YYYY-MM-DD).
    pub registered_on: String,
    /// Note.
    pub note: Option<String>,
}

/// A new registration.
#[derive(Debug, Clone)]
pub struct NewRegistration {
    /// Year.
    pub year: i64,
    /// Subject kind.
    pub subject: String,
    /// `u:CODE` or `o:ID`.
    pub subject_key: String,
    /// Unit registered.
    pub unit_code: Option<String>,
    /// Organisation registered.
    pub organisation_id: Option<i64>,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: Option<String>,
    /// Day (YYYY-MM-DD).
    pub registered_on: String,
    /// Note.
    pub note: Option<String>,
}

/// One subject of a commune and whether it has registered for the year.
#[derive(Debug, Clone, Serialize)]
pub struct RegistrationState {
    /// residential_area | agency | enterprise | school
    pub subject: String,
    /// The unit, if a residential area.
    pub unit_code: Option<String>,
    /// The organisation, if one.
    pub organisation_id: Option<i64>,
    /// Its name.
    pub name: String,
    /// `registration` (a registration row), `assessment` (assessed without one:
    /// counts as registered) or none.
    pub registered_by: Option<String>,
    /// The registration row, if any (its file is attached to it).
    pub registration_id: Option<i64>,
    /// The files of its registration: (file id, file name).
    pub files: Vec<(i64, String)>,
}

const SELECT: &str = "SELECT rg.id, rg.year, rg.subject, rg.unit_code, rg.organisation_id, COALESCE(su.name, so.name, '') AS subject_name, rg.province_code, rg.commune_code, rg.registered_on, rg.note FROM registrations rg LEFT JOIN units su ON su.code = rg.unit_code LEFT JOIN organisations so ON so.id = rg.organisation_id";

fn map(r: sqlx::any::AnyRow) -> Result<RegistrationRecord> {
    let c = Cols::new("registrations", &r);
    Ok(RegistrationRecord {
        id: c.int("id")?,
        year: c.int("year")?,
        subject: c.text("subject")?,
        unit_code: c.opt_text("unit_code")?,
        organisation_id: c.opt_int("organisation_id")?,
        subject_name: c.text("subject_name")?,
        province_code: c.text("province_code")?,
        commune_code: c.opt_text("commune_code")?,
        registered_on: c.text("registered_on")?,
        note: c.opt_text("note")?,
    })
}

impl Store {
    /// Registrations of a year in scope (and under `unit`, a commune or province
    /// code, when given), by commune then name.
    pub async fn list_registrations(
        &self,
        scope: &Scope,
        year: i64,
        unit: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<RegistrationRecord>, i64)> {
        let mut args = vec![Arg::I(year)];
        let mut conds = vec!["rg.year = $1".to_string(), clause(scope, Table::Registrations, &mut args)];
        if let Some(u) = unit.filter(|u| !u.is_empty()) {
            args.push(u.into());
            let n = args.len();
            conds.push(format!("(rg.province_code = ${n} OR rg.commune_code = ${n} OR rg.unit_code = ${n})"));
        }
        let wh = conds.join(" AND ");
        let count = format!("SELECT COUNT(*) FROM registrations rg WHERE {wh}");
        let rows = format!("{SELECT} WHERE {wh} ORDER BY rg.commune_code, subject_name, rg.id");
        self.count_and_page(&count, &rows, args, limit, offset, map).await
    }

    /// One registration by id (as just stored).
    pub async fn registration(&self, id: i64) -> Result<RegistrationRecord> {
        let sql = format!("{SELECT} WHERE rg.id = $1");
        map(sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?.ok_or(crate::StoreError::NotFound)?)
    }

    /// One registration by id, when it lies in `scope`.
    pub async fn registration_in(&self, scope: &Scope, id: i64) -> Result<RegistrationRecord> {
        let mut args = vec![Arg::I(id)];
        let c = clause(scope, Table::Registrations, &mut args);
        let sql = format!("{SELECT} WHERE rg.id = $1 AND {c}");
        map(bind_all(sqlx::query(&sql), &args).fetch_optional(self.pool()).await?.ok_or(crate::StoreError::NotFound)?)
    }

    /// (registered, to register) in a scope for a year, over every residential area
    /// and every organisation that must register (exempt ones left out): registered
    /// by a registration, or by an assessment of the year (which counts) — the
    /// dashboard's registration progress.
    pub async fn registration_progress(&self, scope: &Scope, year: i64) -> Result<(i64, i64)> {
        // Each subject that must register, and whether it did (through the unique
        // keys: registrations (year, subject_key), assessments (year, instrument,
        // subject_key)).
        let did = |key: &str| {
            format!(
                "CASE WHEN EXISTS (SELECT 1 FROM registrations r WHERE r.year = $1 AND r.subject_key = {key}) OR EXISTS (SELECT 1 FROM assessments a WHERE a.year = $1 AND a.instrument = 'safe_unit' AND a.subject_key = {key}) THEN 1 ELSE 0 END"
            )
        };
        let mut args = vec![Arg::I(year)];
        let cu = clause(scope, Table::Units, &mut args);
        let co = clause(scope, Table::Organisations, &mut args);
        let sql = format!(
            "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(did), 0) AS BIGINT) FROM (SELECT {} AS did FROM units u WHERE u.level = 'area' AND u.valid_to IS NULL AND {cu} UNION ALL SELECT {} AS did FROM organisations o WHERE o.kind IN ('agency','enterprise','school') AND NOT EXISTS (SELECT 1 FROM organisation_exemptions x WHERE x.organisation_id = o.id) AND {co}) s",
            did("'u:' || u.code"),
            did("'o:' || CAST(o.id AS TEXT)")
        );
        let row = bind_all(sqlx::query(&sql), &args).fetch_one(self.pool()).await?;
        Ok((int_at(&row, 1)?, int_at(&row, 0)?))
    }

    /// Every residential area and every organisation a commune must have registered
    /// (TT 124/2021 Điều 5 khoản 4: those it manages, exempt organisations left out),
    /// with how each registered for `year`, if it did.
    pub async fn commune_registrations(&self, commune: &str, year: i64) -> Result<Vec<RegistrationState>> {
        let sql = format!(
            "SELECT 'residential_area' AS subject, u.code AS unit_code, NULL AS organisation_id, u.name AS name,
                    CASE WHEN EXISTS (SELECT 1 FROM registrations r WHERE r.year = $2 AND r.unit_code = u.code) THEN 'registration'
                         WHEN EXISTS (SELECT 1 FROM assessments a WHERE a.year = $2 AND a.instrument = 'safe_unit' AND a.unit_code = u.code) THEN 'assessment' END AS registered_by,
                    (SELECT r.id FROM registrations r WHERE r.year = $2 AND r.unit_code = u.code) AS registration_id
               FROM units u WHERE u.commune_code = $1 AND u.level = 'area' AND u.valid_to IS NULL
             UNION ALL
             SELECT o.kind AS subject, NULL AS unit_code, o.id AS organisation_id, o.name AS name,
                    CASE WHEN EXISTS (SELECT 1 FROM registrations r WHERE r.year = $2 AND r.organisation_id = o.id) THEN 'registration'
                         WHEN EXISTS (SELECT 1 FROM assessments a WHERE a.year = $2 AND a.instrument = 'safe_unit' AND a.organisation_id = o.id) THEN 'assessment' END AS registered_by,
                    (SELECT r.id FROM registrations r WHERE r.year = $2 AND r.organisation_id = o.id) AS registration_id
               FROM organisations o WHERE {} AND o.kind IN ('agency','enterprise','school')
                AND NOT EXISTS (SELECT 1 FROM organisation_exemptions x WHERE x.organisation_id = o.id)
             ORDER BY subject, name",
            organisations_in_commune("$1")
        );
        let rows = sqlx::query(&sql).bind(commune.to_string()).bind(year).fetch_all(self.pool()).await?;
        // The files of the commune's registrations of the year, in one query.
        let files: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT f.id, f.filename, f.registration_id FROM working_year_files f JOIN registrations r ON r.id = f.registration_id WHERE r.year = $1 AND r.commune_code = $2 ORDER BY f.id",
        )
        .bind(year)
        .bind(commune.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new("registrations", r);
                let registration_id = c.opt_int("registration_id")?;
                Ok(RegistrationState {
                    subject: c.text("subject")?,
                    unit_code: c.opt_text("unit_code")?,
                    organisation_id: c.opt_int("organisation_id")?,
                    name: c.text("name")?,
                    registered_by: c.opt_text("registered_by")?,
                    files: files
                        .iter()
                        .filter(|f| Some(f.2) == registration_id)
                        .map(|(id, name, _)| (*id, name.clone()))
                        .collect(),
                    registration_id,
                })
            })
            .collect()
    }

    /// (registered, to register) in a commune for a year: the numbers of the
    /// "100 % đăng ký" rule.
    pub async fn commune_registration_counts(&self, commune: &str, year: i64) -> Result<(i64, i64)> {
        let all = self.commune_registrations(commune, year).await?;
        let registered = all.iter().filter(|s| s.registered_by.is_some()).count();
        Ok((registered as i64, all.len() as i64))
    }
}

impl Tx {
    /// Inserts a registration; a second one for the subject and year is
    /// [`crate::StoreError::Conflict`].
    pub async fn insert_registration(&mut self, r: &NewRegistration, by: i64) -> Result<i64> {
        let row = bind_all(
            sqlx::query("INSERT INTO registrations (year, subject, subject_key, unit_code, organisation_id, province_code, commune_code, registered_on, note, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id"),
            &[
                Arg::I(r.year),
                r.subject.as_str().into(),
                r.subject_key.as_str().into(),
                r.unit_code.clone().into(),
                r.organisation_id.into(),
                r.province_code.as_str().into(),
                r.commune_code.clone().into(),
                r.registered_on.as_str().into(),
                r.note.clone().into(),
                Arg::I(by),
                Arg::I(now_ms()),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| crate::db::conflict_as(e, "registration"))?;
        int_at(&row, 0)
    }
}
