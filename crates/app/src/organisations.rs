//! Organisation use cases.

use domain::organisation::OrganisationInput;
use domain::Role;
use store::audit::AuditEntry;
use store::organisations::{OrgFilter, OrganisationRecord};

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// A page of organisations.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OrgPage {
    /// Rows on this page.
    pub items: Vec<OrganisationRecord>,
    /// Rows matching in all (within scope).
    pub total: i64,
}

impl App {
    /// One organisation in the actor's scope (404 outside it).
    pub async fn organisation(&self, actor: &Actor, id: i64) -> AppResult<OrganisationRecord> {
        Ok(self.store.organisation(&actor.scope, id).await?)
    }

    /// Organisations in the actor's scope named by tax code or by number ("#12"),
    /// in order; a key that names none (or several) fails as `field`[i].
    pub async fn organisations_by_keys(&self, actor: &Actor, keys: &[String], field: &str) -> AppResult<Vec<i64>> {
        let mut out = Vec::with_capacity(keys.len());
        for (i, key) in keys.iter().enumerate() {
            let unknown = || domain::ValidationError::one(&format!("{field}[{i}]"), "inspection.organisation_unknown");
            let key = key.trim();
            let id = match key.strip_prefix('#').map(str::parse::<i64>) {
                Some(Ok(id)) => match self.store.organisation(&actor.scope, id).await {
                    Ok(o) => o.id,
                    Err(store::StoreError::NotFound) => return Err(unknown().into()),
                    Err(e) => return Err(e.into()),
                },
                Some(Err(_)) => return Err(unknown().into()),
                None => {
                    let f = OrgFilter { q: Some(key.to_string()), limit: 2, ..Default::default() };
                    let (found, _) = self.store.list_organisations(&actor.scope, &f).await?;
                    let exact: Vec<&OrganisationRecord> =
                        found.iter().filter(|o| o.tax_code.as_deref() == Some(key)).collect();
                    match exact.as_slice() {
                        [one] => one.id,
                        _ => return Err(unknown().into()),
                    }
                }
            };
            out.push(id);
        }
        Ok(out)
    }

    /// Organisations in the actor's scope matching a filter.
    pub async fn list_organisations(&self, actor: &Actor, f: &OrgFilter) -> AppResult<OrgPage> {
        let (items, total) = self.store.list_organisations(&actor.scope, f).await?;
        Ok(OrgPage { items, total })
    }

    /// Registers an organisation in a commune of the actor's scope.
    pub async fn create_organisation(&self, actor: &Actor, input: &OrganisationInput) -> AppResult<OrganisationRecord> {
        actor.require_police_write()?;
        let o = input.validate()?;
        let commune = self.writable_commune(actor, &o.unit_code, "unit_code", "org.unit_unknown").await?;
        let province = commune.province_code.clone().unwrap_or_default();
        let mut tx = self.store.begin_write().await?;
        let id = tx.insert_organisation(&o, &province).await?;
        let rec = tx.organisation(&actor.scope, id).await?;
        AuditEntry::new(Some(actor.user_id), "organisation.create", "organisation", id)
            .after(&rec)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(rec)
    }

    /// Edits an organisation in scope; a move to another commune must stay in scope.
    pub async fn update_organisation(
        &self,
        actor: &Actor,
        id: i64,
        input: &OrganisationInput,
    ) -> AppResult<OrganisationRecord> {
        actor.require_write()?;
        self.store.organisation(&actor.scope, id).await?;
        let o = input.validate()?;
        let commune = match actor.role {
            // An organisation contact edits its own record but cannot move it.
            Role::Organisation => self.store.unit(&o.unit_code).await?,
            _ => self.writable_commune(actor, &o.unit_code, "unit_code", "org.unit_unknown").await?,
        };
        let mut tx = self.store.begin_write().await?;
        let before = tx.organisation(&actor.scope, id).await?;
        if actor.role == Role::Organisation && before.unit_code != o.unit_code {
            return Err(AppError::Forbidden("auth.not_allowed"));
        }
        tx.update_organisation(id, &o, commune.province_code.as_deref().unwrap_or_default()).await?;
        let after = tx.organisation(&domain::Scope::Nation, id).await?;
        AuditEntry::new(Some(actor.user_id), "organisation.update", "organisation", id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(after)
    }
}

impl App {
    /// The organisation's exemption from the safe-unit standard, if recorded.
    pub async fn organisation_exemption(
        &self,
        actor: &Actor,
        id: i64,
    ) -> AppResult<Option<store::organisations::ExemptionRecord>> {
        self.store.organisation(&actor.scope, id).await?;
        Ok(self.store.organisation_exemption(id).await?)
    }

    /// Records that an organisation in scope lies outside the safe-unit standard
    /// (Thông tư 124/2021/TT-BCA Điều 1 khoản 2 điểm b), or lifts that with `None`: the police of
    /// its commune or above decide (not the organisation itself); the reason must
    /// fit its kind; a subject with an assessment that year is still listed with it.
    /// Audited with before and after.
    pub async fn set_organisation_exemption(
        &self,
        actor: &Actor,
        id: i64,
        reason: Option<&str>,
    ) -> AppResult<Option<store::organisations::ExemptionRecord>> {
        actor.require_police_write()?;
        let org = self.store.organisation(&actor.scope, id).await?;
        let reason = exemption_for(&org, reason)?;
        let before = self.store.organisation_exemption(id).await?;
        let mut tx = self.store.begin_write().await?;
        tx.set_organisation_exemption(id, reason.map(|r| r.as_str()), actor.user_id).await?;
        let before = serde_json::json!({"exemption": before.map(|b| b.reason)});
        let after = serde_json::json!({"exemption": reason.map(|r| r.as_str())});
        AuditEntry::new(Some(actor.user_id), "organisation.exemption", "organisation", id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(self.store.organisation_exemption(id).await?)
    }
}

impl App {
    /// Records that a department of the Ministry follows an organisation (TT
    /// 124/2021 Điều 10 khoản 4: the Ministry then verifies and decides its
    /// recognition), or lifts that with `None`. Only the Ministry (or an
    /// administrator) says so; the department is named (2–200 characters).
    /// Assessments made afterwards go up to the Ministry; earlier ones keep their
    /// path. Audited with before and after.
    pub async fn set_organisation_follower(
        &self,
        actor: &Actor,
        id: i64,
        department: Option<&str>,
    ) -> AppResult<store::organisations::OrganisationRecord> {
        actor.require_write()?;
        if !matches!(actor.role, domain::Role::Ministry | domain::Role::Admin) {
            return Err(AppError::Forbidden("auth.not_allowed"));
        }
        let org = self.store.organisation(&actor.scope, id).await?;
        let department = department.map(str::trim);
        if department.is_some_and(|d| !(2..=200).contains(&d.chars().count())) {
            return Err(domain::ValidationError::one("department", "org.department_invalid").into());
        }
        let mut tx = self.store.begin_write().await?;
        tx.set_organisation_follower(id, department, actor.user_id).await?;
        AuditEntry::new(Some(actor.user_id), "organisation.followed_by_ministry", "organisation", id)
            .before(&serde_json::json!({"followed_by": org.followed_by}))
            .after(&serde_json::json!({"followed_by": department}))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(self.store.organisation(&actor.scope, id).await?)
    }
}

/// The exemption a requested reason stands for on this organisation: none for an
/// empty reason (lifting it), else the reason checked against the organisation's kind.
fn exemption_for(
    org: &OrganisationRecord,
    reason: Option<&str>,
) -> Result<Option<domain::organisation::Exemption>, domain::ValidationError> {
    let kind = org.kind;
    reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| domain::organisation::Exemption::for_kind(r, kind))
        .transpose()
}

impl App {
    /// The organisation in `scope` an officer means by `text`: its tax code, or its
    /// name typed without minding diacritics or case, when one organisation in scope
    /// has it. The inner `Err` is the message key: `not_found`, or
    /// `import.name_ambiguous` when several bear the name (use the tax code).
    pub(crate) async fn organisation_by_text(
        &self,
        scope: &domain::Scope,
        text: &str,
    ) -> AppResult<Result<i64, &'static str>> {
        // Bounded: a name is matched among the first 500 whose name holds it.
        let f = store::organisations::OrgFilter { q: Some(text.to_string()), limit: 500, ..Default::default() };
        let (found, _) = self.store.list_organisations(scope, &f).await?;
        if let Some(o) = found.iter().find(|o| o.tax_code.as_deref() == Some(text)) {
            return Ok(Ok(o.id));
        }
        let folded = domain::text::fold(text);
        let named: Vec<i64> = found.iter().filter(|o| domain::text::fold(&o.name) == folded).map(|o| o.id).collect();
        Ok(match named.as_slice() {
            [id] => Ok(*id),
            [] => Err("not_found"),
            _ => Err("import.name_ambiguous"),
        })
    }
}

/// Most rows of one exemptions file.
pub const MAX_EXEMPTION_ROWS: usize = 10_000;

impl App {
    /// Records or lifts many exemptions from a table with the columns
    /// `organisation_id` and `reason` (empty: lift), all or nothing: every row is
    /// checked first (a number, an organisation in the caller's scope, listed once,
    /// a reason that fits its kind) and any error returns the per-row report with
    /// nothing written. One audit entry lists what changed. Returns the rows applied.
    pub async fn import_exemptions(&self, actor: &Actor, table: &crate::import::Table) -> AppResult<usize> {
        use crate::RowError;
        actor.require_police_write()?;
        if table.len() > MAX_EXEMPTION_ROWS {
            return Err(domain::ValidationError::one("file", "import.too_many_rows").into());
        }
        if table.is_empty() {
            return Err(domain::ValidationError::one("file", "import.empty").into());
        }
        // The organisation by its internal id, its tax code or its name ("Tên"),
        // whichever columns the file has.
        let (id_col, tax_col, name_col) =
            (table.column("organisation_id"), table.column("tax_code"), table.column("name"));
        let reason_col = table.column("reason");
        let Some(reason_col) = reason_col.filter(|_| id_col.is_some() || tax_col.is_some() || name_col.is_some())
        else {
            let mut missing = Vec::new();
            if id_col.is_none() && tax_col.is_none() && name_col.is_none() {
                missing.push("organisation_id");
            }
            if reason_col.is_none() {
                missing.push("reason");
            }
            return Err(AppError::Rows(
                missing
                    .into_iter()
                    .map(|c| RowError { row: 1, column: c.into(), code: "import.column_missing".into() })
                    .collect(),
            ));
        };
        let mut errors = Vec::new();
        let mut changes: Vec<(i64, Option<&'static str>)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, r) in table.rows().enumerate() {
            let row = i + 2;
            let err = |column: &str, code: &str| RowError { row, column: column.into(), code: code.into() };
            let cell = |c: Option<usize>| c.and_then(|c| r.get(c)).map(str::trim).filter(|v| !v.is_empty());
            let id = match (cell(id_col), cell(tax_col), cell(name_col)) {
                (Some(v), _, _) => match v.parse::<i64>() {
                    Ok(id) => id,
                    Err(_) => {
                        errors.push(err("organisation_id", "import.id_invalid"));
                        continue;
                    }
                },
                (None, Some(v), _) | (None, None, Some(v)) => {
                    let column = if cell(tax_col).is_some() { "tax_code" } else { "name" };
                    match self.organisation_by_text(&actor.scope, v).await? {
                        Ok(id) => id,
                        Err(code) => {
                            errors.push(err(column, code));
                            continue;
                        }
                    }
                }
                (None, None, None) => {
                    errors.push(err("organisation_id", "import.id_invalid"));
                    continue;
                }
            };
            if !seen.insert(id) {
                errors.push(err("organisation_id", "import.duplicate_row"));
                continue;
            }
            let org = match self.store.organisation(&actor.scope, id).await {
                Ok(o) => o,
                Err(store::StoreError::NotFound) => {
                    errors.push(err("organisation_id", "not_found"));
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            match exemption_for(&org, r.get(reason_col)) {
                Ok(e) => changes.push((id, e.map(|e| e.as_str()))),
                Err(v) => errors.extend(v.errors.iter().map(|f| err("reason", f.code))),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Rows(errors));
        }
        let mut tx = self.store.begin_write().await?;
        for (id, reason) in &changes {
            tx.set_organisation_exemption(*id, *reason, actor.user_id).await?;
        }
        let after: Vec<_> =
            changes.iter().map(|(id, r)| serde_json::json!({"organisation": id, "exemption": r})).collect();
        AuditEntry::new(Some(actor.user_id), "organisation.exemption_import", "organisation", "*")
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(changes.len())
    }
}
