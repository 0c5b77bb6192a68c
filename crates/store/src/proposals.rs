//! Difficulties and proposals (khó khăn, vướng mắc, đề xuất, kiến nghị) that a unit
//! sends up about a task or a directive, and the answers of the unit addressed.
//! A proposal is seen by the sender's scope and by the unit it is addressed to.

use domain::unit::UnitPlace;
use domain::Scope;
use serde::Serialize;

use crate::db::{bind_all, int_at};
use crate::scope_sql::{clause, Table};
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// A proposal as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ProposalRecord {
    /// Id.
    pub id: i64,
    /// Task it is about.
    pub task_id: Option<i64>,
    /// Directive it is about.
    pub directive_id: Option<i64>,
    /// Sending unit.
    pub unit_code: String,
    /// Its name.
    pub unit_name: String,
    /// Unit addressed (the level above).
    pub to_code: String,
    /// What is proposed.
    pub body: String,
    /// Sent (Unix ms).
    pub created_at: i64,
    /// The answer.
    pub answer: Option<String>,
    /// Who answered (user id).
    pub answered_by: Option<i64>,
    /// When (Unix ms).
    pub answered_at: Option<i64>,
}

const SELECT: &str = "SELECT p.id, p.task_id, p.directive_id, p.unit_code, u.name AS unit_name, p.to_code, p.body, p.created_at, p.answer, p.answered_by, p.answered_at FROM proposals p JOIN units u ON u.code = p.unit_code";

/// "Sent from inside `scope`, or addressed to `unit`".
fn proposal_seen(scope: &Scope, unit: Option<&str>, args: &mut Vec<Arg>) -> String {
    let own = clause(scope, Table::Proposals, args);
    match unit {
        Some(u) => {
            args.push(u.into());
            format!("({own} OR p.to_code = ${})", args.len())
        }
        None => own,
    }
}

impl Tx {
    /// Records a proposal from `from` to `to`; returns its id.
    pub async fn insert_proposal(
        &mut self,
        about: (Option<i64>, Option<i64>),
        from: &UnitPlace,
        to: &str,
        body: &str,
        by: i64,
    ) -> Result<i64> {
        let row = bind_all(
            sqlx::query("INSERT INTO proposals (task_id, directive_id, unit_code, province_code, commune_code, to_code, body, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id"),
            &[
                about.0.into(), about.1.into(), from.code.as_str().into(), from.province_code.clone().into(),
                from.commune_code.clone().into(), to.into(), body.into(), Arg::I(by), Arg::I(now_ms()),
            ],
        )
        .fetch_one(&mut *self.tx)
        .await?;
        int_at(&row, 0)
    }

    /// Answers a proposal addressed to `to`: `NotFound` when it is not addressed
    /// there, `Conflict` when already answered.
    pub async fn answer_proposal(&mut self, id: i64, to: &str, answer: &str, by: i64) -> Result<()> {
        let row = bind_all(
            sqlx::query("SELECT answered_at FROM proposals WHERE id = $1 AND to_code = $2"),
            &[Arg::I(id), to.into()],
        )
        .fetch_optional(&mut *self.tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let answered: Option<i64> = sqlx::Row::try_get(&row, 0)?;
        if answered.is_some() {
            return Err(StoreError::Conflict("proposal"));
        }
        self.exec(
            "UPDATE proposals SET answer = $1, answered_by = $2, answered_at = $3 WHERE id = $4",
            &[answer.into(), Arg::I(by), Arg::I(now_ms()), Arg::I(id)],
        )
        .await?;
        Ok(())
    }
}

impl Store {
    /// A proposal the caller sees (`unit`: the caller's own unit).
    pub async fn proposal(&self, scope: &Scope, unit: Option<&str>, id: i64) -> Result<ProposalRecord> {
        let mut args = vec![Arg::I(id)];
        let c = proposal_seen(scope, unit, &mut args);
        let sql = format!("{SELECT} WHERE p.id = $1 AND {c}");
        let row = bind_all(sqlx::query(&sql), &args).fetch_optional(self.pool()).await?;
        row.map(|r| <ProposalRecord as sqlx::FromRow<_>>::from_row(&r)).transpose()?.ok_or(StoreError::NotFound)
    }

    /// The proposals about a task or a directive that the caller sees, oldest first.
    pub async fn proposals_about(
        &self,
        scope: &Scope,
        unit: Option<&str>,
        task: Option<i64>,
        directive: Option<i64>,
    ) -> Result<Vec<ProposalRecord>> {
        let (about, id) = match (task, directive) {
            (Some(t), _) => ("p.task_id", t),
            (None, Some(d)) => ("p.directive_id", d),
            (None, None) => return Ok(Vec::new()),
        };
        let mut args = vec![Arg::I(id)];
        let c = proposal_seen(scope, unit, &mut args);
        let sql = format!("{SELECT} WHERE {about} = $1 AND {c} ORDER BY p.created_at, p.id LIMIT 500");
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok(<ProposalRecord as sqlx::FromRow<_>>::from_row(r)?)).collect()
    }

    /// Proposals not answered and sent before `sent_before` (Unix ms), oldest first.
    pub async fn unanswered_since(&self, sent_before: i64) -> Result<Vec<ProposalRecord>> {
        let sql = format!(
            "{SELECT} WHERE p.answered_at IS NULL AND p.created_at < $1 ORDER BY p.created_at, p.id LIMIT 10000"
        );
        let rows = bind_all(sqlx::query(&sql), &[Arg::I(sent_before)]).fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok(<ProposalRecord as sqlx::FromRow<_>>::from_row(r)?)).collect()
    }

    /// Proposals addressed to `unit` and not yet answered, oldest first.
    pub async fn unanswered_to(&self, unit: &str) -> Result<Vec<ProposalRecord>> {
        let sql =
            format!("{SELECT} WHERE p.to_code = $1 AND p.answered_at IS NULL ORDER BY p.created_at, p.id LIMIT 200");
        let rows = bind_all(sqlx::query(&sql), &[unit.into()]).fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok(<ProposalRecord as sqlx::FromRow<_>>::from_row(r)?)).collect()
    }
}
