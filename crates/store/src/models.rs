//! Models (mô hình tự quản, tự phòng): the type catalogue, the models, and their
//! yearly evaluations.

use chrono::NaiveDate;
use domain::model::{ModelStatus, Verdict};
use domain::Scope;
use serde::Serialize;

use crate::db::{bind_all, int_at};
use crate::decode::{parsed, Cols};
use crate::scope_sql::{clause, Table};
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// A model type of the catalogue.
#[derive(Debug, Clone, Serialize)]
pub struct ModelType {
    /// Code.
    pub code: String,
    /// Name in Vietnamese.
    pub name: String,
    /// Offered for new models (0/1 on the wire).
    #[serde(serialize_with = "crate::decode::as_int_flag")]
    pub active: bool,
}

/// A model as stored, with its latest verdict.
#[derive(Debug, Clone, Serialize)]
pub struct ModelRecord {
    /// Id.
    pub id: i64,
    /// Type code.
    pub type_code: String,
    /// Name.
    pub name: String,
    /// Host unit (commune or residential area; an organisation's commune).
    pub unit_code: String,
    /// Host organisation (an agency, enterprise or school), if any.
    pub organisation_id: Option<i64>,
    /// Its name.
    pub organisation_name: Option<String>,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: Option<String>,
    /// Start date.
    pub started_on: NaiveDate,
    /// Partners.
    pub partners: Option<String>,
    /// Active, consolidated, replicated or dissolved.
    pub status: ModelStatus,
    /// The model this one copies.
    pub replicates_id: Option<i64>,
    /// Recognised "Dân vận khéo" in some year (0/1 on the wire; `dvk_entries`).
    #[serde(serialize_with = "crate::decode::as_int_flag")]
    pub dan_van_kheo: bool,
    /// Latest evaluation's verdict.
    pub latest_verdict: Option<Verdict>,
    /// Aggregate outcomes (free text: e.g. cases solved, cameras installed).
    pub outcomes: Option<String>,
}

const MODEL_SELECT: &str = "SELECT m.id, m.type_code, m.name, m.unit_code, m.organisation_id, (SELECT o.name FROM organisations o WHERE o.id = m.organisation_id) AS organisation_name, m.province_code, m.commune_code, m.started_on, m.partners, m.status, m.replicates_id, CASE WHEN EXISTS (SELECT 1 FROM dvk_entries dv WHERE dv.model_id = m.id AND dv.status = 'recognised') THEN 1 ELSE 0 END AS dan_van_kheo, (SELECT e.verdict FROM model_evaluations e WHERE e.model_id = m.id ORDER BY e.year DESC LIMIT 1) AS latest_verdict, m.outcomes FROM models m";

/// A new model.
#[derive(Debug, Clone)]
pub struct NewModel {
    /// Type code.
    pub type_code: String,
    /// Name.
    pub name: String,
    /// Host unit.
    pub unit_code: String,
    /// Host organisation, if any.
    pub organisation_id: Option<i64>,
    /// Province.
    pub province_code: String,
    /// Commune.
    pub commune_code: Option<String>,
    /// Start date.
    pub started_on: String,
    /// Partners.
    pub partners: Option<String>,
    /// Copied model.
    pub replicates_id: Option<i64>,
}

/// Which models a list shows.
#[derive(Debug, Clone, Default)]
pub struct ModelFilter {
    /// Model type code.
    pub type_code: Option<String>,
    /// With this verdict in `year` (`effective` or `formal`).
    pub verdict: Option<String>,
    /// The year of `verdict`.
    pub year: Option<i64>,
    /// Status (`active`, …); dissolved models are listed only when asked for.
    pub status: Option<String>,
    /// Only those marked "Dân vận khéo" (true) or not (false).
    pub dan_van_kheo: Option<bool>,
    /// Only those hosted by this organisation.
    pub organisation_id: Option<i64>,
}

fn map_model(r: sqlx::any::AnyRow) -> Result<ModelRecord> {
    let c = Cols::new("models", &r);
    Ok(ModelRecord {
        id: c.int("id")?,
        type_code: c.text("type_code")?,
        name: c.text("name")?,
        unit_code: c.text("unit_code")?,
        organisation_id: c.opt_int("organisation_id")?,
        organisation_name: c.opt_text("organisation_name")?,
        province_code: c.text("province_code")?,
        commune_code: c.opt_text("commune_code")?,
        started_on: c.date("started_on")?,
        partners: c.opt_text("partners")?,
        status: c.parse("status", ModelStatus::parse)?,
        replicates_id: c.opt_int("replicates_id")?,
        dan_van_kheo: c.flag("dan_van_kheo")?,
        latest_verdict: c.opt_parse("latest_verdict", Verdict::parse)?,
        outcomes: c.opt_text("outcomes")?,
    })
}

impl Store {
    /// The number of models stored (all scopes).
    pub async fn count_models(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM models").fetch_one(self.pool()).await?;
        Ok(n)
    }

    /// The model type catalogue.
    pub async fn model_types(&self) -> Result<Vec<ModelType>> {
        let rows =
            sqlx::query("SELECT code, name, active FROM model_types ORDER BY name").fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                let c = Cols::new("model_types", r);
                Ok(ModelType { code: c.text("code")?, name: c.text("name")?, active: c.flag("active")? })
            })
            .collect()
    }

    /// One model in scope.
    pub async fn model(&self, scope: &Scope, id: i64) -> Result<ModelRecord> {
        let mut args = vec![Arg::I(id)];
        let c = clause(scope, Table::Models, &mut args);
        let sql = format!("{MODEL_SELECT} WHERE m.id = $1 AND {c}");
        map_model(bind_all(sqlx::query(&sql), &args).fetch_optional(self.pool()).await?.ok_or(StoreError::NotFound)?)
    }

    /// Models in scope.
    pub async fn list_models(&self, scope: &Scope, limit: i64, offset: i64) -> Result<(Vec<ModelRecord>, i64)> {
        let mut args = Vec::new();
        let c = clause(scope, Table::Models, &mut args);
        let count = format!("SELECT COUNT(*) FROM models m WHERE {c}");
        let rows = format!("{MODEL_SELECT} WHERE {c} ORDER BY m.id DESC");
        self.count_and_page(&count, &rows, args, limit, offset, map_model).await
    }

    /// Models in scope matching a filter, newest first.
    pub async fn list_models_filtered(
        &self,
        scope: &Scope,
        f: &ModelFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<ModelRecord>, i64)> {
        let mut args = Vec::new();
        let mut conds = vec![clause(scope, Table::Models, &mut args)];
        if let Some(t) = f.type_code.as_deref().filter(|t| !t.is_empty()) {
            args.push(t.into());
            conds.push(format!("m.type_code = ${}", args.len()));
        }
        match f.status.as_deref().filter(|t| !t.is_empty()) {
            Some(st) => {
                args.push(st.into());
                conds.push(format!("m.status = ${}", args.len()));
            }
            None if f.verdict.is_some() => conds.push("m.status <> 'dissolved'".into()),
            None => {}
        }
        if let Some(d) = f.dan_van_kheo {
            let not = if d { "" } else { "NOT " };
            conds.push(format!(
                "{not}EXISTS (SELECT 1 FROM dvk_entries dv WHERE dv.model_id = m.id AND dv.status = 'recognised')"
            ));
        }
        if let Some(o) = f.organisation_id {
            args.push(Arg::I(o));
            conds.push(format!("m.organisation_id = ${}", args.len()));
        }
        if let (Some(v), Some(y)) = (f.verdict.as_deref().filter(|t| !t.is_empty()), f.year) {
            args.push(v.into());
            args.push(Arg::I(y));
            conds.push(format!(
                "EXISTS (SELECT 1 FROM model_evaluations e WHERE e.model_id = m.id AND e.verdict = ${} AND e.year = ${})",
                args.len() - 1,
                args.len()
            ));
        }
        let wh = conds.join(" AND ");
        let count = format!("SELECT COUNT(*) FROM models m WHERE {wh}");
        let rows = format!("{MODEL_SELECT} WHERE {wh} ORDER BY m.id DESC");
        self.count_and_page(&count, &rows, args, limit, offset, map_model).await
    }

    /// Models hosted in a commune (or its areas) whose latest evaluation up to `year`
    /// says "effective".
    pub async fn working_models(&self, commune: &str, year: i64) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM models m WHERE m.commune_code = $1 AND m.status <> 'dissolved' AND (SELECT e.verdict FROM model_evaluations e WHERE e.model_id = m.id AND e.year <= $2 ORDER BY e.year DESC LIMIT 1) = 'effective'",
        )
        .bind(commune.to_string())
        .bind(year)
        .fetch_one(self.pool())
        .await?;
        int_at(&row, 0)
    }

    /// Models hosted by an organisation whose latest evaluation up to `year` says
    /// "effective" (TT 124/2021 Điều 6 khoản 1, Điều 7 khoản 1).
    pub async fn working_models_of_organisation(&self, organisation_id: i64, year: i64) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) FROM models m WHERE m.organisation_id = $1 AND m.status <> 'dissolved' AND (SELECT e.verdict FROM model_evaluations e WHERE e.model_id = m.id AND e.year <= $2 ORDER BY e.year DESC LIMIT 1) = 'effective'",
        )
        .bind(organisation_id)
        .bind(year)
        .fetch_one(self.pool())
        .await?;
        int_at(&row, 0)
    }

    /// The models in scope that copy model `id` (its replicas), newest first.
    pub async fn model_replicas(&self, scope: &Scope, id: i64) -> Result<Vec<ModelRecord>> {
        let mut args = vec![Arg::I(id)];
        let c = clause(scope, Table::Models, &mut args);
        let sql = format!("{MODEL_SELECT} WHERE m.replicates_id = $1 AND {c} ORDER BY m.id DESC LIMIT 200");
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.into_iter().map(map_model).collect()
    }

    /// Whether a model exists (anywhere; for replication links).
    pub async fn model_exists(&self, id: i64) -> Result<bool> {
        let r: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM models WHERE id = $1").bind(id).fetch_optional(self.pool()).await?;
        Ok(r.is_some())
    }

    /// A model's evaluations, newest year first: (year, verdict, note).
    pub async fn model_evaluations(&self, model_id: i64) -> Result<Vec<(i64, Verdict, Option<String>)>> {
        let rows: Vec<(i64, String, Option<String>)> =
            sqlx::query_as("SELECT year, verdict, note FROM model_evaluations WHERE model_id = $1 ORDER BY year DESC")
                .bind(model_id)
                .fetch_all(self.pool())
                .await?;
        rows.into_iter()
            .map(|(year, verdict, note)| {
                Ok((year, parsed("model_evaluations", "verdict", &verdict, Verdict::parse)?, note))
            })
            .collect()
    }
}

impl Tx {
    /// Inserts a model.
    pub async fn insert_model(&mut self, m: &NewModel) -> Result<i64> {
        let now = now_ms();
        let row = bind_all(
            sqlx::query("INSERT INTO models (type_code, name, unit_code, province_code, commune_code, started_on, partners, replicates_id, created_at, updated_at, organisation_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9,$10) RETURNING id"),
            &[
                m.type_code.as_str().into(),
                m.name.as_str().into(),
                m.unit_code.as_str().into(),
                m.province_code.as_str().into(),
                m.commune_code.clone().into(),
                m.started_on.as_str().into(),
                m.partners.clone().into(),
                m.replicates_id.into(),
                Arg::I(now),
                m.organisation_id.into(),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        int_at(&row, 0)
    }

    /// A model's evaluation of one year: (id, verdict, note, who gave it).
    pub async fn model_evaluation_of_year(
        &mut self,
        model_id: i64,
        year: i64,
    ) -> Result<Option<(i64, Verdict, Option<String>, Option<i64>)>> {
        let row: Option<(i64, String, Option<String>, Option<i64>)> = sqlx::query_as(
            "SELECT id, verdict, note, created_by FROM model_evaluations WHERE model_id = $1 AND year = $2",
        )
        .bind(model_id)
        .bind(year)
        .fetch_optional(&mut *self.tx)
        .await?;
        row.map(|(id, v, note, by)| Ok((id, parsed("model_evaluations", "verdict", &v, Verdict::parse)?, note, by)))
            .transpose()
    }

    /// Corrects an evaluation's verdict and note.
    pub async fn correct_model_evaluation(&mut self, id: i64, verdict: Verdict, note: Option<&str>) -> Result<()> {
        sqlx::query("UPDATE model_evaluations SET verdict = $1, note = $2 WHERE id = $3")
            .bind(verdict.as_str().to_string())
            .bind(note.map(str::to_string))
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Records a model's evaluation for a year (one per year).
    pub async fn insert_model_evaluation(
        &mut self,
        model_id: i64,
        year: i64,
        verdict: Verdict,
        note: Option<&str>,
        by: Option<i64>,
    ) -> Result<i64> {
        let row = bind_all(
            sqlx::query("INSERT INTO model_evaluations (model_id, year, verdict, note, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id"),
            &[Arg::I(model_id), Arg::I(year), verdict.as_str().into(), note.map(str::to_string).into(), by.into(), Arg::I(now_ms())],
        )
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| crate::db::conflict_as(e, "evaluation"))?;
        int_at(&row, 0)
    }

    /// Updates what may change on a model: status, partners, outcomes.
    pub async fn update_model(
        &mut self,
        id: i64,
        status: ModelStatus,
        partners: Option<&str>,
        outcomes: Option<&str>,
    ) -> Result<()> {
        self.exec(
            "UPDATE models SET status = $1, partners = $2, outcomes = $3, updated_at = $4 WHERE id = $5",
            &[
                status.as_str().into(),
                partners.map(str::to_string).into(),
                outcomes.map(str::to_string).into(),
                Arg::I(now_ms()),
                Arg::I(id),
            ],
        )
        .await?;
        Ok(())
    }

    /// Adds or renames a model type of the catalogue, or withdraws it from new models.
    pub async fn put_model_type(&mut self, code: &str, name: &str, active: bool) -> Result<()> {
        let n = self
            .exec(
                "UPDATE model_types SET name = $1, active = $2 WHERE code = $3",
                &[name.into(), Arg::I(i64::from(active)), code.into()],
            )
            .await?;
        if n == 0 {
            self.exec(
                "INSERT INTO model_types (code, name, active) VALUES ($1, $2, $3)",
                &[code.into(), name.into(), Arg::I(i64::from(active))],
            )
            .await?;
        }
        Ok(())
    }
}
