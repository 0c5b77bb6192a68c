//! Assessments: one per subject, instrument and year.

use domain::assessment::{Answer, AssessmentResult, Status};
use domain::criteria::{Instrument, Subject};
use domain::Scope;
use serde::Serialize;

use crate::db::bind_all;
use crate::decode::Cols;
use crate::scope_sql::{clause, Table};
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// An assessment as stored. On the wire (JSON, audit entries) it reads as before:
/// codes as strings, flags as 0/1, the answers and the result as JSON text.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentRecord {
    /// Id.
    pub id: i64,
    /// Year.
    pub year: i64,
    /// Safe unit or movement.
    pub instrument: Instrument,
    /// Subject kind.
    pub subject: Subject,
    /// The unit assessed (residential area or commune).
    pub unit_code: Option<String>,
    /// The organisation assessed.
    pub organisation_id: Option<i64>,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: Option<String>,
    /// The organisation is managed by the province.
    #[serde(serialize_with = "crate::decode::as_int_flag")]
    pub managed_by_province: bool,
    /// A Ministry department followed the organisation when it was assessed
    /// (the Ministry decides, TT 124/2021 Điều 10 khoản 4).
    pub followed_by_ministry: bool,
    /// The criteria set version used.
    pub criteria_set_id: i64,
    /// Workflow status.
    pub status: Status,
    /// Answers (`answers_json` on the wire).
    #[serde(rename = "answers_json", serialize_with = "as_json_text")]
    pub answers: Vec<Answer>,
    /// Result (`result_json` on the wire).
    #[serde(rename = "result_json", serialize_with = "as_json_text")]
    pub result: AssessmentResult,
    /// Passed (safe-unit results).
    #[serde(serialize_with = "crate::decode::as_opt_int_flag")]
    pub passed: Option<bool>,
    /// Total points for movement results (kept in tenths as `total_tenths`).
    pub total_points: Option<domain::assessment::Points>,
    /// Level code for movement results: text, since the criteria sets define the
    /// levels as data.
    pub level: Option<String>,
    /// Approval decision number.
    pub decision_number: Option<String>,
    /// Approval decision date.
    pub decision_date: Option<chrono::NaiveDate>,
    /// When it was (last) submitted (Unix ms).
    pub submitted_at: Option<i64>,
    /// Submitted after the deadline.
    #[serde(serialize_with = "crate::decode::as_int_flag")]
    pub late: bool,
    /// Reason given when last returned.
    pub return_reason: Option<String>,
    /// The assessed unit's or organisation's name.
    pub subject_name: String,
    /// The code on its recognition certificate, checked by anyone at
    /// `/verify/{code}` (a passed safe-unit assessment, from its approval).
    pub certificate_code: Option<String>,
    /// Created (Unix ms).
    pub created_at: i64,
    /// Updated (Unix ms).
    pub updated_at: i64,
}

/// Serialises a value as its JSON text (a string holding JSON), as the columns hold it.
fn as_json_text<T: Serialize, S: serde::Serializer>(v: &T, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&serde_json::to_string(v).map_err(serde::ser::Error::custom)?)
}

const SELECT: &str = "SELECT a.id, a.year, a.instrument, a.subject, a.unit_code, a.organisation_id, a.province_code, a.commune_code, a.managed_by_province, a.followed_by_ministry, a.criteria_set_id, a.status, a.answers_json, a.result_json, a.passed, a.total_tenths, a.level, a.decision_number, a.decision_date, a.submitted_at, a.late, a.return_reason, a.certificate_code, a.created_at, a.updated_at, COALESCE(su.name, so.name) AS subject_name FROM assessments a LEFT JOIN units su ON su.code = a.unit_code LEFT JOIN organisations so ON so.id = a.organisation_id";

/// A new assessment.
#[derive(Debug, Clone)]
pub struct NewAssessment {
    /// Year.
    pub year: i64,
    /// Instrument.
    pub instrument: String,
    /// Subject kind.
    pub subject: String,
    /// Unit assessed.
    pub unit_code: Option<String>,
    /// Organisation assessed.
    pub organisation_id: Option<i64>,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: Option<String>,
    /// Managed by the province.
    pub managed_by_province: bool,
    /// Followed by a Ministry department.
    pub followed_by_ministry: bool,
    /// Criteria set.
    pub criteria_set_id: i64,
    /// Answers JSON.
    pub answers_json: String,
    /// Result JSON and its columns.
    pub result: ResultColumns,
}

/// The result in JSON and in queryable columns.
#[derive(Debug, Clone, Default)]
pub struct ResultColumns {
    /// Full JSON.
    pub json: String,
    /// Passed (safe unit).
    pub passed: Option<bool>,
    /// Total (movement).
    pub total: Option<domain::assessment::Points>,
    /// Level (movement).
    pub level: Option<String>,
}

impl ResultColumns {
    /// The total as stored: tenths of a point.
    pub fn tenths(&self) -> Option<i64> {
        self.total.map(|p| i64::from(p.tenths()))
    }
}

fn map(r: sqlx::any::AnyRow) -> Result<AssessmentRecord> {
    let c = Cols::new("assessments", &r);
    Ok(AssessmentRecord {
        id: c.int("id")?,
        year: c.int("year")?,
        instrument: c.parse("instrument", Instrument::parse)?,
        subject: c.parse("subject", Subject::parse)?,
        unit_code: c.opt_text("unit_code")?,
        organisation_id: c.opt_int("organisation_id")?,
        province_code: c.text("province_code")?,
        commune_code: c.opt_text("commune_code")?,
        managed_by_province: c.flag("managed_by_province")?,
        followed_by_ministry: c.flag("followed_by_ministry")?,
        criteria_set_id: c.int("criteria_set_id")?,
        status: c.parse("status", Status::parse)?,
        answers: c.json("answers_json")?,
        result: c.json("result_json")?,
        passed: c.opt_flag("passed")?,
        total_points: c
            .opt_int("total_tenths")?
            .map(|t| {
                u32::try_from(t)
                    .map(domain::assessment::Points::from_tenths)
                    .map_err(|_| crate::decode::bad("assessments", "total_tenths", t))
            })
            .transpose()?,
        level: c.opt_text("level")?,
        decision_number: c.opt_text("decision_number")?,
        decision_date: c.opt_date("decision_date")?,
        submitted_at: c.opt_int("submitted_at")?,
        late: c.flag("late")?,
        return_reason: c.opt_text("return_reason")?,
        certificate_code: c.opt_text("certificate_code")?,
        subject_name: c.opt_text("subject_name")?.unwrap_or_default(),
        created_at: c.int("created_at")?,
        updated_at: c.int("updated_at")?,
    })
}

/// What an assessment list shows: a year, and optionally a subject kind, an
/// instrument, a stage (`draft` … `published`, `sent` = past draft, `decided` =
/// approved or published), a level, passed or not, late or not.
#[derive(Debug, Clone, Default)]
pub struct AssessmentFilter {
    /// Year.
    pub year: i64,
    /// Subject kind.
    pub subject: Option<String>,
    /// `safe_unit` or `movement`.
    pub instrument: Option<String>,
    /// Status or stage.
    pub stage: Option<String>,
    /// Level code (movement).
    pub level: Option<String>,
    /// Passed (safe unit).
    pub passed: Option<bool>,
    /// Submitted late.
    pub late: Option<bool>,
}

impl Store {
    /// One assessment in scope.
    pub async fn assessment(&self, scope: &Scope, id: i64) -> Result<AssessmentRecord> {
        let mut args = vec![Arg::I(id)];
        let c = clause(scope, Table::Assessments, &mut args);
        let sql = format!("{SELECT} WHERE a.id = $1 AND {c}");
        map(bind_all(sqlx::query(&sql), &args).fetch_optional(self.pool()).await?.ok_or(StoreError::NotFound)?)
    }

    /// Assessments in scope for a year (optionally one subject kind), newest first.
    pub async fn list_assessments(
        &self,
        scope: &Scope,
        f: &AssessmentFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AssessmentRecord>, i64)> {
        let mut args = vec![Arg::I(f.year)];
        let mut conds = vec!["a.year = $1".to_string(), clause(scope, Table::Assessments, &mut args)];
        let mut eq = |col: &str, v: &Option<String>, args: &mut Vec<Arg>| {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                args.push(v.into());
                conds.push(format!("{col} = ${}", args.len()));
            }
        };
        eq("a.subject", &f.subject, &mut args);
        eq("a.instrument", &f.instrument, &mut args);
        eq("a.level", &f.level, &mut args);
        match f.stage.as_deref() {
            Some("sent") => conds.push("a.status <> 'draft'".into()),
            Some("decided") => conds.push("a.status IN ('approved','published')".into()),
            Some(st @ ("draft" | "submitted" | "reviewed" | "approved" | "published")) => {
                args.push(st.into());
                conds.push(format!("a.status = ${}", args.len()));
            }
            _ => {}
        }
        if let Some(p) = f.passed {
            conds.push(format!("a.passed = {}", i64::from(p)));
        }
        if let Some(l) = f.late {
            conds.push(format!("a.late = {}", i64::from(l)));
        }
        let wh = conds.join(" AND ");
        let count = format!("SELECT COUNT(*) FROM assessments a WHERE {wh}");
        let rows = format!("{SELECT} WHERE {wh} ORDER BY a.id DESC");
        self.count_and_page(&count, &rows, args, limit, offset, map).await
    }

    /// Counts of approved-and-passed safe-unit assessments among a commune's
    /// residential areas and organisations for a year, and how many such subjects
    /// exist, organisations exempt from the standard left out of both (one exempted
    /// after its assessment no longer counts) — the 70 % rule's numbers:
    /// (recognised, assessable).
    pub async fn commune_recognition(&self, commune: &str, year: i64) -> Result<(i64, i64)> {
        let sql = format!(
            "SELECT (SELECT COUNT(*) FROM assessments a WHERE a.year = $2 AND a.instrument = 'safe_unit' AND a.commune_code = $1 AND a.subject <> 'commune' AND a.status IN ('approved','published') AND a.passed = 1 AND NOT EXISTS (SELECT 1 FROM organisation_exemptions x WHERE x.organisation_id = a.organisation_id)),
                    (SELECT COUNT(*) FROM units u WHERE u.commune_code = $1 AND u.level = 'area' AND u.valid_to IS NULL)
                  + (SELECT COUNT(*) FROM organisations o WHERE {} AND o.kind IN ('agency','enterprise','school') AND NOT EXISTS (SELECT 1 FROM organisation_exemptions x WHERE x.organisation_id = o.id))",
            crate::scope_sql::organisations_in_commune("$1")
        );
        let row = sqlx::query(&sql).bind(commune.to_string()).bind(year).fetch_one(self.pool()).await?;
        Ok((crate::db::int_at(&row, 0)?, crate::db::int_at(&row, 1)?))
    }
}

/// The key that makes one assessment per subject, instrument and year: `o:ID` for an
/// organisation, `u:CODE` for a unit; none without a subject.
pub fn subject_key(unit: Option<&str>, organisation: Option<i64>) -> Option<String> {
    match (unit, organisation) {
        (_, Some(o)) => Some(format!("o:{o}")),
        (Some(u), None) => Some(format!("u:{u}")),
        (None, None) => None,
    }
}

/// The tally key of an assessment row.
fn tally_args(a: &AssessmentRecord, delta: i64) -> Vec<Arg> {
    vec![
        Arg::I(a.year),
        a.instrument.as_str().into(),
        a.subject.as_str().into(),
        a.province_code.as_str().into(),
        Arg::S(a.commune_code.clone().unwrap_or_default()),
        a.status.as_str().into(),
        // The tallies' encoding of "no result" (as `COALESCE(passed, -1)` in SQL).
        Arg::I(a.passed.map_or(-1, i64::from)),
        Arg::S(a.level.clone().unwrap_or_default()),
        Arg::I(i64::from(a.late)),
        Arg::I(delta),
    ]
}

impl Tx {
    /// Moves an assessment's contribution to the maintained tallies (per commune
    /// and per province) by `delta`.
    async fn tally(&mut self, a: &AssessmentRecord, delta: i64) -> Result<()> {
        let mut args = tally_args(a, delta);
        self.exec(
            "INSERT INTO assessment_tallies (year, instrument, subject, province_code, commune_code, status, passed, level, late, n) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (year, instrument, subject, province_code, commune_code, status, passed, level, late) DO UPDATE SET n = assessment_tallies.n + excluded.n",
            &args,
        )
        .await?;
        args.remove(4);
        self.exec(
            "INSERT INTO assessment_tallies_province (year, instrument, subject, province_code, status, passed, level, late, n) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (year, instrument, subject, province_code, status, passed, level, late) DO UPDATE SET n = assessment_tallies_province.n + excluded.n",
            &args,
        )
        .await?;
        Ok(())
    }

    /// Inserts a draft; a second assessment for the same subject, instrument and year
    /// is [`StoreError::Conflict`].
    pub async fn insert_assessment(&mut self, a: &NewAssessment, created_by: i64) -> Result<i64> {
        let now = now_ms();
        let key = subject_key(a.unit_code.as_deref(), a.organisation_id).ok_or(StoreError::NotFound)?;
        let row = bind_all(
            sqlx::query("INSERT INTO assessments (year, instrument, subject, subject_key, unit_code, organisation_id, province_code, commune_code, managed_by_province, criteria_set_id, status, answers_json, result_json, passed, total_tenths, level, created_by, created_at, updated_at, followed_by_ministry) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,'draft',$11,$12,$13,$14,$15,$16,$17,$17,$18) RETURNING id"),
            &[
                Arg::I(a.year),
                a.instrument.as_str().into(),
                a.subject.as_str().into(),
                key.into(),
                a.unit_code.clone().into(),
                a.organisation_id.into(),
                a.province_code.as_str().into(),
                a.commune_code.clone().into(),
                Arg::I(i64::from(a.managed_by_province)),
                Arg::I(a.criteria_set_id),
                a.answers_json.as_str().into(),
                a.result.json.as_str().into(),
                a.result.passed.map(i64::from).into(),
                a.result.tenths().into(),
                a.result.level.clone().into(),
                Arg::I(created_by),
                Arg::I(now),
                Arg::I(i64::from(a.followed_by_ministry)),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| crate::db::conflict_as(e, "assessment"))?;
        let id = crate::db::int_at(&row, 0)?;
        let rec = self.assessment(id).await?;
        self.tally(&rec, 1).await?;
        Ok(id)
    }

    /// Replaces the answers and the (recomputed) result.
    pub async fn update_assessment_answers(
        &mut self,
        id: i64,
        answers_json: &str,
        result: &ResultColumns,
    ) -> Result<()> {
        let before = self.assessment(id).await?;
        self.exec(
            "UPDATE assessments SET answers_json = $1, result_json = $2, passed = $3, total_tenths = $4, level = $5, updated_at = $6 WHERE id = $7",
            &[
                answers_json.into(),
                result.json.as_str().into(),
                result.passed.map(i64::from).into(),
                result.tenths().into(),
                result.level.clone().into(),
                Arg::I(now_ms()),
                Arg::I(id),
            ],
        )
        .await?;
        self.retally(&before).await
    }

    /// Moves an open assessment of a residential area or organisation to the commune
    /// that succeeded its own (a merger), its tallies with it.
    pub async fn move_assessment_place(&mut self, id: i64, commune: &str, province: &str) -> Result<()> {
        let before = self.assessment(id).await?;
        self.exec(
            // `updated_at` stays: the place is not the content (a draft kept offline
            // on a phone must not meet a conflict for it).
            "UPDATE assessments SET commune_code = $1, province_code = $2 WHERE id = $3",
            &[commune.into(), province.into(), Arg::I(id)],
        )
        .await?;
        self.retally(&before).await
    }

    /// Replaces `before`'s contribution to the tallies with the row's current one.
    async fn retally(&mut self, before: &AssessmentRecord) -> Result<()> {
        let after = self.assessment(before.id).await?;
        self.tally(before, -1).await?;
        self.tally(&after, 1).await
    }

    /// Moves the workflow; the caller has checked the step is allowed.
    #[allow(clippy::too_many_arguments)]
    /// Gives an assessment the code of its recognition certificate.
    pub async fn set_certificate_code(&mut self, id: i64, code: &str) -> Result<()> {
        self.exec("UPDATE assessments SET certificate_code = $1 WHERE id = $2", &[code.into(), Arg::I(id)]).await?;
        Ok(())
    }

    pub async fn set_assessment_status(
        &mut self,
        id: i64,
        from: &str,
        to: &str,
        decision: Option<(&str, &str)>,
        return_reason: Option<&str>,
        submitted: Option<(i64, bool)>,
    ) -> Result<()> {
        let before = self.assessment(id).await?;
        let (dn, dd) = decision.map(|(n, d)| (Some(n.to_string()), Some(d.to_string()))).unwrap_or((None, None));
        let n = self
            .exec(
                "UPDATE assessments SET status = $1, decision_number = CASE WHEN $1 = 'draft' THEN NULL ELSE COALESCE($2, decision_number) END, decision_date = CASE WHEN $1 = 'draft' THEN NULL ELSE COALESCE($3, decision_date) END, return_reason = $4, submitted_at = COALESCE($5, submitted_at), late = COALESCE($6, late), updated_at = $7 WHERE id = $8 AND status = $9",
                &[
                    to.into(),
                    dn.into(),
                    dd.into(),
                    return_reason.map(str::to_string).into(),
                    submitted.map(|s| s.0).into(),
                    submitted.map(|s| i64::from(s.1)).into(),
                    Arg::I(now_ms()),
                    Arg::I(id),
                    from.into(),
                ],
            )
            .await?;
        if n == 0 {
            return Err(StoreError::Conflict("status"));
        }
        self.retally(&before).await
    }

    /// Reads one assessment inside the transaction (unscoped: callers checked scope).
    pub async fn assessment(&mut self, id: i64) -> Result<AssessmentRecord> {
        let sql = format!("{SELECT} WHERE a.id = $1");
        map(sqlx::query(&sql).bind(id).fetch_optional(&mut *self.tx).await?.ok_or(StoreError::NotFound)?)
    }
}

/// One synthetic assessment for bulk generation (national-scale data).
#[derive(Debug, Clone)]
pub struct BulkAssessment {
    /// Year.
    pub year: i64,
    /// `safe_unit` or `movement`.
    pub instrument: &'static str,
    /// Subject kind.
    pub subject: &'static str,
    /// Unit assessed.
    pub unit_code: Option<String>,
    /// Organisation assessed.
    pub organisation_id: Option<i64>,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: String,
    /// Criteria set.
    pub criteria_set_id: i64,
    /// Workflow status.
    pub status: &'static str,
    /// The computed result (scored by the domain rules from generated answers).
    pub result: ResultColumns,
    /// Generated answers as JSON.
    pub answers_json: String,
    /// Submitted late.
    pub late: bool,
}

impl Tx {
    /// Bulk-inserts generated assessments (synthetic national data); the caller
    /// rebuilds the tallies afterwards.
    pub async fn insert_assessments_bulk(&mut self, rows: &[BulkAssessment]) -> Result<()> {
        const COLS: usize = 19;
        let now = now_ms();
        let mut args = Vec::with_capacity(rows.len() * COLS);
        for a in rows {
            let key = subject_key(a.unit_code.as_deref(), a.organisation_id).unwrap_or_default();
            args.extend([
                Arg::I(a.year),
                Arg::S(a.subject.to_string()),
                Arg::S(key),
                a.unit_code.clone().into(),
                a.organisation_id.into(),
                a.province_code.as_str().into(),
                a.commune_code.as_str().into(),
                Arg::I(a.criteria_set_id),
                Arg::S(a.status.to_string()),
                Arg::S(a.result.json.clone()),
                a.result.passed.map(i64::from).into(),
                a.result.tenths().into(),
                a.result.level.clone().into(),
                Arg::I(i64::from(a.late)),
                Arg::I(now),
                Arg::I(now),
                Arg::S(a.instrument.to_string()),
                Arg::I(0),
                Arg::S(a.answers_json.clone()),
            ]);
        }
        self.insert_rows(
            "assessments (year, subject, subject_key, unit_code, organisation_id, province_code, commune_code, criteria_set_id, status, result_json, passed, total_tenths, level, late, created_at, updated_at, instrument, managed_by_province, answers_json)",
            COLS,
            &args,
        )
        .await
    }
}

impl Store {
    /// The subject keys (`u:CODE`, `o:ID`) already assessed with an instrument in a year.
    pub async fn assessed_subject_keys(
        &self,
        year: i64,
        instrument: &str,
    ) -> Result<std::collections::HashSet<String>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT subject_key FROM assessments WHERE year = $1 AND instrument = $2")
                .bind(year)
                .bind(instrument.to_string())
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }
}

/// What the public verification page says of a certificate: who was recognised,
/// for which year, by which decision — nothing more.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateFacts {
    /// The code.
    pub code: String,
    /// Year recognised.
    pub year: i64,
    /// residential_area | commune | agency | enterprise | school (the subject).
    pub subject: String,
    /// The unit's or organisation's name.
    pub name: String,
    /// Its commune, if any.
    pub commune_name: Option<String>,
    /// Its province.
    pub province_name: String,
    /// Decision number.
    pub decision_number: Option<String>,
    /// Decision date.
    pub decision_date: Option<chrono::NaiveDate>,
    /// The body that decided (TT 124/2021 Điều 10), when recorded.
    pub deciding_body: Option<String>,
}

impl Store {
    /// The certificate with this code, if it exists and still stands (approved or
    /// published, passed).
    pub async fn certificate_facts(&self, code: &str) -> Result<Option<CertificateFacts>> {
        let row = sqlx::query(
            "SELECT a.certificate_code, a.year, a.subject, COALESCE(u.name, o.name) AS name, cu.name AS commune_name, \
             pu.name AS province_name, a.decision_number, a.decision_date, rr.deciding_body FROM assessments a \
             LEFT JOIN recognition_records rr ON rr.assessment_id = a.id \
             LEFT JOIN units u ON u.code = a.unit_code LEFT JOIN organisations o ON o.id = a.organisation_id \
             JOIN units pu ON pu.code = a.province_code LEFT JOIN units cu ON cu.code = a.commune_code \
             WHERE a.certificate_code = $1 AND a.status IN ('approved','published') AND a.passed = 1",
        )
        .bind(code.to_string())
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            let c = Cols::new("assessments", &r);
            Ok(CertificateFacts {
                code: c.text("certificate_code")?,
                year: c.int("year")?,
                subject: c.text("subject")?,
                name: c.opt_text("name")?.unwrap_or_default(),
                commune_name: c.opt_text("commune_name")?,
                province_name: c.text("province_name")?,
                decision_number: c.opt_text("decision_number")?,
                decision_date: c.opt_date("decision_date")?,
                deciding_body: c.opt_text("deciding_body")?,
            })
        })
        .transpose()
    }

    /// Gives every passed, approved safe-unit assessment without a certificate code
    /// one (generated data loaded in bulk); returns how many.
    pub async fn mint_missing_certificate_codes(&self) -> Result<u64> {
        let code = match self.backend() {
            crate::Backend::Sqlite => "upper(hex(randomblob(5)))",
            crate::Backend::Postgres => "upper(substr(md5(random()::text || id::text), 1, 10))",
        };
        let sql = format!(
            "UPDATE assessments SET certificate_code = {code} WHERE certificate_code IS NULL \
             AND instrument = 'safe_unit' AND passed = 1 AND status IN ('approved','published')"
        );
        Ok(sqlx::query(&sql).execute(self.pool()).await?.rows_affected())
    }
}
