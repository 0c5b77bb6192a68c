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
    reply: oneshot::Sender<AppResult<i64>>,
}

/// The queue in front of the writer task (started on first use).
#[derive(Default)]
pub struct Intake {
    tx: OnceLock<mpsc::Sender<Pending>>,
}

impl Intake {
    /// Queues a case and waits until it is committed; returns its id.
    pub async fn submit(
        &self,
        store: &Store,
        case: NewCase,
        attachments: Vec<NewCaseAttachment>,
        actor: Option<i64>,
    ) -> AppResult<i64> {
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
        let items = std::mem::take(&mut batch);
        match write_batch(&store, &items).await {
            Ok(ids) => {
                for (p, id) in items.into_iter().zip(ids) {
                    let _ = p.reply.send(Ok(id));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, cases = items.len(), "group commit failed; writing one by one");
                for p in items {
                    let r = write_batch(&store, std::slice::from_ref(&p)).await.map(|ids| ids[0]);
                    let _ = p.reply.send(r);
                }
            }
        }
    }
}

async fn write_batch(store: &Store, items: &[Pending]) -> AppResult<Vec<i64>> {
    let mut tx = store.begin_write().await?;
    let mut ids = Vec::with_capacity(items.len());
    for p in items {
        let id = tx.insert_case(&p.case).await?;
        let msg = tx.insert_case_message(id, "citizen", None, &p.case.description, true).await?;
        for a in &p.attachments {
            tx.insert_case_attachment(id, Some(msg), a).await?;
        }
        tx.audit(
            p.actor,
            "case.submit",
            "case",
            &id.to_string(),
            None,
            Some(
                &serde_json::json!({"kind": p.case.kind, "unit": p.case.unit_code, "source": p.case.source, "attachments": p.attachments.len()})
                    .to_string(),
            ),
        )
        .await?;
        ids.push(id);
    }
    tx.commit().await?;
    Ok(ids)
}
