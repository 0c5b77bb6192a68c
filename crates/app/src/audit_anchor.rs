//! Anchors of the audit chain kept outside the database. Whoever can write the
//! database file can rewrite the whole chain consistently (recompute every later
//! hash, move the head); a copy of the head taken earlier and kept where that
//! writer cannot reach exposes it (`phongtrao audit verify --anchor ID:HASH`).
//! The server publishes the head once a day: appended to a file (make it
//! append-only — `chattr +a` — or put it on another machine's mount) and/or mailed
//! to a recipient outside the system.

use std::io::Write;

use domain::audit::Anchor;

use crate::error::AppResult;
use crate::{App, AppError};

/// Where the daily anchor goes.
#[derive(Debug, Clone, Default)]
pub struct AnchorTargets {
    /// A file the anchor line is appended to.
    pub file: Option<std::path::PathBuf>,
    /// A recipient of the anchor by e-mail (needs the SMTP relay).
    pub email: Option<String>,
}

impl AnchorTargets {
    /// Whether any target is configured.
    pub fn any(&self) -> bool {
        self.file.is_some() || self.email.is_some()
    }
}

/// The line appended to the anchor file: time (UTC, RFC 3339) and `ID:HASH`.
pub fn anchor_line(at: chrono::DateTime<chrono::Utc>, anchor: &Anchor) -> String {
    format!("{} {anchor}\n", at.format("%Y-%m-%dT%H:%M:%SZ"))
}

impl App {
    /// The chain's head as an anchor.
    pub async fn audit_anchor(&self) -> AppResult<Anchor> {
        let (id, hash) = self.store.audit_head().await?;
        Ok(Anchor { id, hash })
    }

    /// Publishes the current head to the configured targets.
    pub async fn publish_audit_anchor(&self, targets: &AnchorTargets) -> AppResult<Anchor> {
        let anchor = self.audit_anchor().await?;
        if let Some(path) = &targets.file {
            let line = anchor_line(store::clock::now_utc(), &anchor);
            let path = path.clone();
            tokio::task::spawn_blocking(move || -> std::io::Result<()> {
                let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&path)?;
                f.write_all(line.as_bytes())?;
                f.sync_all()
            })
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(|e| AppError::Internal(format!("audit anchor file: {e}")))?;
        }
        if let (Some(to), Some(url)) = (&targets.email, self.config.smtp_url.as_deref()) {
            let body = format!(
                "Mốc nhật ký kiểm toán phongtrao / phongtrao audit log anchor:\n\n{anchor}\n\nKiểm tra / verify: phongtrao audit verify --anchor {anchor}\n"
            );
            self.send_mail(url, to, &format!("phongtrao audit anchor #{}", anchor.id), &body).await?;
        }
        Ok(anchor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_lines_end_with_the_anchor() {
        let a = Anchor { id: 7, hash: "0a".repeat(32) };
        let at = chrono::DateTime::from_timestamp(1_764_547_200, 0).unwrap_or_default();
        let line = anchor_line(at, &a);
        assert_eq!(line, format!("2025-12-01T00:00:00Z 7:{}\n", "0a".repeat(32)));
        assert_eq!(Anchor::parse(line.split_whitespace().last().unwrap_or("")), Some(a));
    }
}
