//! Files a unit attaches to its records: the issuing unit attaches a directive's
//! document; an assigned unit attaches files to its assignment (minutes, photos,
//! reports); a registration for the year carries its file (the resolution, plan and
//! registration form of TT 124/2021 Điều 4–7 khoản 1), attached by whoever writes
//! for the registered subject; an event (a Ngày hội, a conference, a forum) carries
//! its documents and photos as evidence, attached by the police in scope.
//! Rights and the target are checked before any byte is looked at; then the type
//! is told by the content (JPEG, PNG or PDF), the size bounded, image metadata
//! (location, camera, time) stripped. A file is read by whoever sees the
//! directive, or the task and that assignment. Audited.

use store::audit::AuditEntry;
use store::working_year_files::{FileInfo, Owner};

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// Most files on one directive or one assignment.
pub const MAX_FILES: i64 = 20;

/// An uploaded file.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    /// File name as sent.
    pub filename: &'a str,
    /// Content type as declared.
    pub declared_type: &'a str,
    /// The bytes.
    pub bytes: &'a [u8],
}

/// What a file is attached to, from the caller's side.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// A directive the caller's unit issued.
    Directive(i64),
    /// The caller's unit's assignment of a task.
    Task(i64),
    /// A registration for the year in the caller's scope.
    Registration(i64),
    /// An event in the caller's scope (its documents and photos).
    Event(i64),
}

impl App {
    /// Checks the caller may attach to `target` and returns the owner row: a
    /// directive or an assignment of the caller's own unit (the police), or a
    /// registration in scope (whoever writes for its subject, an organisation's own
    /// contact too).
    async fn file_owner(&self, actor: &Actor, target: Target) -> AppResult<(Owner, String)> {
        // The police's own unit, for its directives and assignments.
        let own = || -> AppResult<String> {
            actor.require_police_write()?;
            actor.unit_code.clone().ok_or(AppError::NotFound)
        };
        match target {
            Target::Directive(id) => {
                let own = own()?;
                let line = self.actor_line(actor).await?;
                let d = self.store.directive(&actor.scope, &line, id).await?;
                if d.unit_code != own {
                    return Err(AppError::Forbidden("auth.not_allowed"));
                }
                Ok((Owner::Directive(id), own))
            }
            Target::Task(id) => {
                let own = own()?;
                self.store.task(&actor.scope, id).await?;
                let rows = self.store.task_assignments(id, Some(&actor.scope)).await?;
                let a = rows.iter().find(|a| a.unit_code == own).ok_or(AppError::NotFound)?;
                Ok((Owner::Assignment(a.id), own))
            }
            Target::Registration(id) => {
                actor.require_write()?;
                let r = self.store.registration_in(&actor.scope, id).await?;
                // Recorded at the registered subject's commune (an organisation's
                // contact has no police unit of its own).
                let unit = r.unit_code.or(r.commune_code).unwrap_or(r.province_code);
                Ok((Owner::Registration(id), unit))
            }
            Target::Event(id) => {
                actor.require_police_write()?;
                let ev = self.store.event(&actor.scope, id).await?;
                Ok((Owner::Event(id), ev.unit_code))
            }
        }
    }

    /// Attaches a file; returns its description.
    pub async fn attach_file(&self, actor: &Actor, target: Target, file: &Upload<'_>) -> AppResult<FileInfo> {
        let (owner, unit) = self.file_owner(actor, target).await?;
        let checked = crate::uploads::checked_file(file.filename, file.declared_type, file.bytes).await?;
        let (detected, clean, name, sha) = (checked.content_type, checked.bytes, checked.name, checked.sha256);
        let mut tx = self.store.begin_write().await?;
        if tx.file_count(owner).await? >= MAX_FILES {
            return Err(AppError::Conflict("evidence.too_many"));
        }
        let id = tx.insert_file(owner, &unit, &name, detected, &sha, &clean, actor.user_id).await?;
        let (entity, of) = match owner {
            Owner::Directive(d) => ("directive", d),
            Owner::Assignment(a) => ("task_assignment", a),
            Owner::Registration(r) => ("registration", r),
            Owner::Event(e) => ("event", e),
        };
        let after = serde_json::json!({"file": id, "filename": name, "sha256": sha, "bytes": clean.len()});
        AuditEntry::new(Some(actor.user_id), "file.attach", entity, of).after(&after).write(&mut tx).await?;
        tx.commit().await?;
        let (info, _) = self.store.file(id).await?;
        Ok(info)
    }

    /// The files the caller sees on a directive.
    pub async fn directive_files(&self, actor: &Actor, id: i64) -> AppResult<Vec<FileInfo>> {
        let line = self.actor_line(actor).await?;
        self.store.directive(&actor.scope, &line, id).await?;
        Ok(self.store.files_of(&[Owner::Directive(id)]).await?)
    }

    /// The files the caller sees on a task: those of the assignments it sees.
    pub async fn task_files(&self, actor: &Actor, id: i64) -> AppResult<Vec<FileInfo>> {
        self.store.task(&actor.scope, id).await?;
        let issues = self.store.task_issued_in(&actor.scope, id).await?;
        let rows = self.store.task_assignments(id, (!issues).then_some(&actor.scope)).await?;
        let owners: Vec<Owner> = rows.iter().map(|a| Owner::Assignment(a.id)).collect();
        Ok(self.store.files_of(&owners).await?)
    }

    /// The files of a registration the caller sees.
    pub async fn registration_files(&self, actor: &Actor, id: i64) -> AppResult<Vec<FileInfo>> {
        self.store.registration_in(&actor.scope, id).await?;
        Ok(self.store.files_of(&[Owner::Registration(id)]).await?)
    }

    /// The files of an event the caller sees (documents, photos).
    pub async fn event_files(&self, actor: &Actor, id: i64) -> AppResult<Vec<FileInfo>> {
        self.store.event(&actor.scope, id).await?;
        Ok(self.store.files_of(&[Owner::Event(id)]).await?)
    }

    /// One file, when the caller sees what it belongs to (else "not found").
    pub async fn working_year_file(&self, actor: &Actor, id: i64) -> AppResult<(FileInfo, Vec<u8>)> {
        let (info, bytes) = self.store.file(id).await?;
        let seen = match (info.directive_id, info.assignment_id, info.registration_id, info.event_id) {
            (Some(d), ..) => self.directive_files(actor, d).await?,
            (None, Some(a), ..) => self.task_files(actor, self.store.assignment_task(a).await?).await?,
            (None, None, Some(r), _) => self.registration_files(actor, r).await?,
            (None, None, None, Some(e)) => self.event_files(actor, e).await?,
            (None, None, None, None) => Vec::new(),
        };
        if !seen.iter().any(|f| f.id == id) {
            return Err(AppError::NotFound);
        }
        Ok((info, bytes))
    }
}
