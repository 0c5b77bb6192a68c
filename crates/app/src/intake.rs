//! Group commit of new cases. Submissions queue on a channel; one writer task takes
//! whatever has queued (up to [`MAX_BATCH`]), writes it in one transaction with one
//! commit — one fsync for many cases — and only then answers each submitter. A case
//! is acknowledged only once it is on disk. If a batch fails, its cases are retried
//! one by one so that one bad case cannot sink the others.

use std::sync::OnceLock;

use store::cases::{NewCase, NewCaseAttachment};
use store::Store;
use tokio::sync::{mpsc, oneshot};

use crate::error::AppResult;
use crate::AppError;

/// Most cases written in one transaction.
pub const MAX_BATCH: usize = 256;

/// A case waiting to be written.
pub struct Pending {
    /// The case row.
    pub case: NewCase,
    /// Its first message's attachments.
    pub attachments: Vec<NewCaseAttachment>,
    /// Who filed it for the citizen, when staff did.
    pub actor: Option<i64>,
    reply: oneshot::Sender<AppResult<(i64, String)>>,
}

/// The queue in front of the writer task (started on first use).
#[derive(Default)]
pub struct Intake {
    tx: OnceLock<mpsc::Sender<Pending>>,
}

impl Intake {
    /// Queues a case and waits until it is committed; returns its id and receipt code
    /// (a new code if the proposed one was taken meanwhile).
    pub async fn submit(
        &self,
        store: &Store,
        case: NewCase,
        attachments: Vec<NewCaseAttachment>,
        actor: Option<i64>,
    ) -> AppResult<(i64, String)> {
        let sender = self.tx.get_or_init(|| {
            let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
            tokio::spawn(writer(store.clone(), rx));
            tx
        });
        let (reply, answer) = oneshot::channel();
        sender
            .send(Pending { case, attachments, actor, reply })
            .await
            .map_err(|_| AppError::Internal("intake writer stopped".into()))?;
        answer.await.map_err(|_| AppError::Internal("intake writer dropped a case".into()))?
    }
}

async fn writer(store: Store, mut rx: mpsc::Receiver<Pending>) {
    let mut batch: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = rx.recv().await {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let mut items = std::mem::take(&mut batch);
        match write_batch(&store, &items).await {
            Ok(ids) => {
                for (p, id) in items.into_iter().zip(ids) {
                    let code = p.case.receipt_code.clone();
                    let _ = p.reply.send(Ok((id, code)));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, cases = items.len(), "group commit failed; writing one by one");
                for p in items.iter_mut() {
                    let r = write_alone(&store, p).await;
                    let (tx, _) = oneshot::channel();
                    let reply = std::mem::replace(&mut p.reply, tx);
                    let _ = reply.send(r.map(|id| (id, p.case.receipt_code.clone())));
                }
            }
        }
    }
}

/// Writes one case; a taken receipt code is replaced by a fresh one (a few times).
async fn write_alone(store: &Store, p: &mut Pending) -> AppResult<i64> {
    for _ in 0..5 {
        match write_batch(store, std::slice::from_ref(p)).await {
            Ok(ids) => return Ok(ids[0]),
            Err(AppError::Conflict(_)) => p.case.receipt_code = crate::cases::new_receipt_code(),
            Err(e) => return Err(e),
        }
    }
    Err(AppError::Internal("no free receipt code".into()))
}

/// One transaction: the cases (multi-row), their attachments, and one audit entry per
/// acting account (none for the public) naming every case of the batch.
async fn write_batch(store: &Store, items: &[Pending]) -> AppResult<Vec<i64>> {
    let mut tx = store.begin_write().await?;
    let cases: Vec<&NewCase> = items.iter().map(|p| &p.case).collect();
    let ids = tx.insert_cases(&cases).await?;
    for (p, id) in items.iter().zip(&ids) {
        for a in &p.attachments {
            tx.insert_case_attachment(*id, None, a).await?;
        }
    }
    let mut actors: Vec<Option<i64>> = items.iter().map(|p| p.actor).collect();
    actors.sort();
    actors.dedup();
    for actor in actors {
        let mine: Vec<serde_json::Value> = items
            .iter()
            .zip(&ids)
            .filter(|(p, _)| p.actor == actor)
            .map(|(p, id)| serde_json::json!({"id": id, "kind": p.case.kind, "unit": p.case.unit_code, "source": p.case.source, "attachments": p.attachments.len()}))
            .collect();
        let entity: Vec<String> = mine.iter().map(|m| m["id"].to_string()).collect();
        tx.audit(
            actor,
            "case.submit",
            "case",
            &entity.join(","),
            None,
            Some(&serde_json::json!({ "cases": mine }).to_string()),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ids)
}
