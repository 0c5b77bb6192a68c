//! Proposals sent up about a task or a directive, and their answers by the unit
//! addressed (the task's or directive's issuer).

use domain::proposal;
use serde::Deserialize;
use store::proposals::ProposalRecord;
use store::StoreError;

use store::audit::AuditEntry;

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// A proposal or an answer as submitted.
#[derive(Debug, Clone, Deserialize)]
pub struct ProposalInput {
    /// The text.
    pub body: String,
}

/// What a proposal is about.
#[derive(Debug, Clone, Copy)]
pub enum About {
    /// A task.
    Task(i64),
    /// A directive.
    Directive(i64),
}

impl App {
    /// Sends a proposal from the caller's unit to the issuer of the task (the
    /// caller's unit must be one of its assignees) or of the directive (the caller's
    /// unit must lie below its issuer); returns its id.
    pub async fn send_proposal(&self, actor: &Actor, about: About, input: &ProposalInput) -> AppResult<i64> {
        actor.require_police_write()?;
        let from = self.actor_place(actor).await?;
        let to = match about {
            About::Task(id) => {
                let t = self.store.task(&actor.scope, id).await?;
                let rows = self.store.task_assignments(id, Some(&actor.scope)).await?;
                if !rows.iter().any(|a| a.unit_code == from.code) {
                    return Err(AppError::NotFound);
                }
                t.unit_code
            }
            About::Directive(id) => {
                let line = self.actor_line(actor).await?;
                let d = self.store.directive(&actor.scope, &line, id).await?;
                if d.unit_code == from.code || !line.contains(&d.unit_code) {
                    return Err(AppError::NotFound);
                }
                d.unit_code
            }
        };
        if to == from.code {
            // A task one's own unit issued to itself: there is no level above to ask.
            return Err(AppError::NotFound);
        }
        let body = input.body.trim();
        proposal::check_body(body)?;
        let ids = match about {
            About::Task(t) => (Some(t), None),
            About::Directive(d) => (None, Some(d)),
        };
        let mut tx = self.store.begin_write().await?;
        let id = tx.insert_proposal(ids, &from, &to, body, actor.user_id).await?;
        let after = serde_json::json!({"task_id": ids.0, "directive_id": ids.1, "unit_code": from.code, "to_code": to, "body": body});
        AuditEntry::new(Some(actor.user_id), "proposal.send", "proposal", id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Answers a proposal addressed to the caller's unit.
    pub async fn answer_proposal(&self, actor: &Actor, id: i64, input: &ProposalInput) -> AppResult<ProposalRecord> {
        actor.require_police_write()?;
        let unit = actor.unit_code.clone().ok_or(AppError::NotFound)?;
        let p = self.store.proposal(&actor.scope, Some(&unit), id).await?;
        if p.to_code != unit {
            return Err(AppError::NotFound);
        }
        let body = input.body.trim();
        proposal::check_body(body)?;
        let mut tx = self.store.begin_write().await?;
        match tx.answer_proposal(id, &unit, body, actor.user_id).await {
            Err(StoreError::Conflict(_)) => return Err(AppError::Conflict("proposal.answered")),
            other => other?,
        }
        let after = serde_json::json!({"answer": body});
        AuditEntry::new(Some(actor.user_id), "proposal.answer", "proposal", id).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        Ok(self.store.proposal(&actor.scope, Some(&unit), id).await?)
    }

    /// One proposal the caller sees.
    pub async fn proposal(&self, actor: &Actor, id: i64) -> AppResult<ProposalRecord> {
        Ok(self.store.proposal(&actor.scope, actor.unit_code.as_deref(), id).await?)
    }

    /// The proposals about a task or directive that the caller sees (it must see
    /// the task or directive itself).
    pub async fn proposals_about(&self, actor: &Actor, about: About) -> AppResult<Vec<ProposalRecord>> {
        let unit = actor.unit_code.as_deref();
        let (task, directive) = match about {
            About::Task(id) => {
                self.store.task(&actor.scope, id).await?;
                (Some(id), None)
            }
            About::Directive(id) => {
                let line = self.actor_line(actor).await?;
                self.store.directive(&actor.scope, &line, id).await?;
                (None, Some(id))
            }
        };
        Ok(self.store.proposals_about(&actor.scope, unit, task, directive).await?)
    }
}
