//! Organisations: scoped reads, writes and search.

use domain::organisation::Exemption;
use domain::text::fold;
use domain::{NewOrganisation, OrgKind, Scope};
use serde::Serialize;

use crate::db::bind_all;
use crate::decode::Cols;
use crate::scope_sql::{clause, Table};
use crate::{now_ms, Arg, Result, Store, StoreError, Tx};

/// An organisation as stored, with its commune's and province's names.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OrganisationRecord {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Agency, enterprise, school or other.
    pub kind: OrgKind,
    /// Tax / registration code.
    pub tax_code: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Commune code.
    pub unit_code: String,
    /// Commune name.
    pub unit_name: String,
    /// Province code.
    pub province_code: String,
    /// Province name.
    pub province_name: String,
    /// Managed by the province rather than the commune (0/1 on the wire).
    #[serde(serialize_with = "crate::decode::as_int_flag")]
    pub managed_by_province: bool,
    /// The Ministry department that follows it, if one does (TT 124/2021 Điều 10
    /// khoản 4: the Ministry then decides its recognition).
    pub followed_by: Option<String>,
    /// Created (Unix ms).
    pub created_at: i64,
    /// Last changed (Unix ms).
    pub updated_at: i64,
}

/// Decodes one row of [`SELECT`].
fn org_row(r: sqlx::any::AnyRow) -> Result<OrganisationRecord> {
    let c = Cols::new("organisations", &r);
    Ok(OrganisationRecord {
        id: c.int("id")?,
        name: c.text("name")?,
        kind: c.parse("kind", OrgKind::parse)?,
        tax_code: c.opt_text("tax_code")?,
        address: c.opt_text("address")?,
        unit_code: c.text("unit_code")?,
        unit_name: c.text("unit_name")?,
        province_code: c.text("province_code")?,
        province_name: c.text("province_name")?,
        managed_by_province: c.flag("managed_by_province")?,
        followed_by: c.opt_text("followed_by")?,
        created_at: c.int("created_at")?,
        updated_at: c.int("updated_at")?,
    })
}

const SELECT: &str = "SELECT o.id, o.name, o.kind, o.tax_code, o.address, o.unit_code, cu.name AS unit_name, o.province_code, pu.name AS province_name, o.managed_by_province, fw.department AS followed_by, o.created_at, o.updated_at FROM organisations o JOIN units cu ON cu.code = o.unit_code JOIN units pu ON pu.code = o.province_code LEFT JOIN organisation_followers fw ON fw.organisation_id = o.id";

/// The order of every organisation list: province, commune, name — the order of the
/// one organisations index, so a page is read off it without sorting. Within a
/// commune (the list an officer works from) this is name order.
const ORG_ORDER: &str = "o.province_code, o.unit_code, o.name_fold, o.id";

/// Filter for listing organisations (always inside a scope).
#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    /// Diacritic-insensitive substring of the name, or a tax code prefix.
    pub q: Option<String>,
    /// Only this commune or province (code).
    pub unit: Option<String>,
    /// Only this kind.
    pub kind: Option<String>,
    /// Page size.
    pub limit: i64,
    /// Rows to skip.
    pub offset: i64,
}

impl OrgFilter {
    /// Builds the WHERE clause (scope first) and its arguments.
    fn where_clause(&self, scope: &Scope) -> (String, Vec<Arg>) {
        let mut args = Vec::new();
        let mut conds = vec![clause(scope, Table::Organisations, &mut args)];
        if let Some(c) = crate::search_sql::text_condition(self.q.as_deref(), "o.name_fold", "o.tax_code", &mut args) {
            conds.push(c);
        }
        if let Some(u) = self.unit.as_deref().filter(|u| !u.is_empty()) {
            args.push(u.into());
            let param = format!("${}", args.len());
            conds.push(if u.len() == 2 {
                format!("o.province_code = {param}")
            } else {
                crate::scope_sql::organisations_in_commune(&param)
            });
        }
        if let Some(k) = self.kind.as_deref().filter(|k| !k.is_empty()) {
            args.push(k.into());
            conds.push(format!("o.kind = ${}", args.len()));
        }
        (conds.join(" AND "), args)
    }
}

impl Store {
    /// One organisation, if it lies in `scope`; otherwise [`StoreError::NotFound`].
    pub async fn organisation(&self, scope: &Scope, id: i64) -> Result<OrganisationRecord> {
        let mut args = vec![Arg::I(id)];
        let c = clause(scope, Table::Organisations, &mut args);
        let sql = format!("{SELECT} WHERE o.id = $1 AND {c}");
        bind_all(sqlx::query(&sql), &args)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)
            .and_then(org_row)
    }

    /// A page of organisations in `scope` matching `f`, and the total.
    pub async fn list_organisations(&self, scope: &Scope, f: &OrgFilter) -> Result<(Vec<OrganisationRecord>, i64)> {
        let (wh, args) = f.where_clause(scope);
        let count = format!("SELECT COUNT(*) FROM organisations o WHERE {wh}");
        let rows = format!("{SELECT} WHERE {wh} ORDER BY {ORG_ORDER}");
        self.count_and_page(&count, &rows, args, f.limit, f.offset, org_row).await
    }

    /// Every organisation in `scope` matching `f` (for export), in list order.
    pub async fn all_organisations(&self, scope: &Scope, f: &OrgFilter) -> Result<Vec<OrganisationRecord>> {
        let (wh, args) = f.where_clause(scope);
        let sql = format!("{SELECT} WHERE {wh} ORDER BY {ORG_ORDER}");
        let rows = bind_all(sqlx::query(&sql), &args).fetch_all(self.pool()).await?;
        rows.into_iter().map(org_row).collect()
    }

    /// Number of organisations in `scope`.
    pub async fn count_organisations(&self, scope: &Scope) -> Result<i64> {
        let (_, total) = self.list_organisations(scope, &OrgFilter { limit: 0, ..Default::default() }).await?;
        Ok(total)
    }
}

impl Tx {
    /// Inserts an organisation (commune already checked to exist and be in scope).
    pub async fn insert_organisation(&mut self, o: &NewOrganisation, province_code: &str) -> Result<i64> {
        let now = now_ms();
        let args = org_args(o, province_code, now);
        let sql = "INSERT INTO organisations (name, name_fold, kind, tax_code, address, unit_code, province_code, managed_by_province, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9) RETURNING id";
        let row = bind_all(sqlx::query(sql), &args).fetch_one(&mut *self.tx).await?;
        crate::db::int_at(&row, 0)
    }

    /// Replaces an organisation's fields (the caller checked scope on both the old
    /// and the new commune).
    pub async fn update_organisation(&mut self, id: i64, o: &NewOrganisation, province_code: &str) -> Result<()> {
        let mut args = org_args(o, province_code, now_ms());
        args.push(Arg::I(id));
        let n = self
            .exec(
                "UPDATE organisations SET name=$1, name_fold=$2, kind=$3, tax_code=$4, address=$5, unit_code=$6, province_code=$7, managed_by_province=$8, updated_at=$9 WHERE id=$10",
                &args,
            )
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Reads one organisation inside the transaction, scoped.
    pub async fn organisation(&mut self, scope: &Scope, id: i64) -> Result<OrganisationRecord> {
        let mut args = vec![Arg::I(id)];
        let c = clause(scope, Table::Organisations, &mut args);
        let sql = format!("{SELECT} WHERE o.id = $1 AND {c}");
        bind_all(sqlx::query(&sql), &args)
            .fetch_optional(&mut *self.tx)
            .await?
            .ok_or(StoreError::NotFound)
            .and_then(org_row)
    }
}

fn org_args(o: &NewOrganisation, province_code: &str, now: i64) -> Vec<Arg> {
    vec![
        o.name.as_str().into(),
        Arg::S(fold(&o.name)),
        o.kind.as_str().into(),
        o.tax_code.clone().into(),
        o.address.clone().into(),
        o.unit_code.as_str().into(),
        province_code.into(),
        Arg::I(o.managed_by_province as i64),
        Arg::I(now),
    ]
}

impl Store {
    /// Every organisation's (id, kind, commune, province), for synthetic data.
    pub async fn organisation_keys(&self) -> Result<Vec<(i64, OrgKind, String, String)>> {
        let rows: Vec<(i64, String, String, String)> =
            sqlx::query_as("SELECT id, kind, unit_code, province_code FROM organisations ORDER BY id")
                .fetch_all(self.pool())
                .await?;
        rows.into_iter()
            .map(|(id, kind, unit, province)| {
                Ok((id, crate::decode::parsed("organisations", "kind", &kind, OrgKind::parse)?, unit, province))
            })
            .collect()
    }
}

/// An organisation's exemption from the safe-unit standard, as recorded.
#[derive(Debug, Clone, Serialize)]
pub struct ExemptionRecord {
    /// Why the organisation is outside the standard.
    pub reason: Exemption,
    /// Who recorded it.
    pub decided_by: Option<i64>,
    /// When (Unix ms).
    pub decided_at: i64,
}

impl Store {
    /// The ids of every organisation recorded as exempt (for synthetic data).
    pub async fn exempt_organisation_ids(&self) -> Result<std::collections::HashSet<i64>> {
        let rows: Vec<(i64,)> =
            sqlx::query_as("SELECT organisation_id FROM organisation_exemptions").fetch_all(self.pool()).await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// The organisation's exemption, if one is recorded (the caller checked scope).
    pub async fn organisation_exemption(&self, id: i64) -> Result<Option<ExemptionRecord>> {
        let row = sqlx::query(
            "SELECT reason, decided_by, decided_at FROM organisation_exemptions WHERE organisation_id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            let c = Cols::new("organisation_exemptions", &r);
            Ok(ExemptionRecord {
                reason: c.parse("reason", Exemption::parse)?,
                decided_by: c.opt_int("decided_by")?,
                decided_at: c.int("decided_at")?,
            })
        })
        .transpose()
    }
}

impl Tx {
    /// Records (or, with `None`, lifts) an organisation's exemption.
    pub async fn set_organisation_exemption(&mut self, id: i64, reason: Option<&str>, by: i64) -> Result<()> {
        self.exec("DELETE FROM organisation_exemptions WHERE organisation_id = $1", &[Arg::I(id)]).await?;
        if let Some(r) = reason {
            self.exec(
                "INSERT INTO organisation_exemptions (organisation_id, reason, decided_by, decided_at) VALUES ($1,$2,$3,$4)",
                &[Arg::I(id), r.into(), Arg::I(by), Arg::I(now_ms())],
            )
            .await?;
        }
        Ok(())
    }
}

impl Tx {
    /// Records (or, with `None`, lifts) that a Ministry department follows an
    /// organisation.
    pub async fn set_organisation_follower(&mut self, id: i64, department: Option<&str>, by: i64) -> Result<()> {
        match department {
            Some(d) => {
                self.exec(
                    "INSERT INTO organisation_followers (organisation_id, department, created_by, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (organisation_id) DO UPDATE SET department = excluded.department, created_by = excluded.created_by, created_at = excluded.created_at",
                    &[Arg::I(id), d.into(), Arg::I(by), Arg::I(now_ms())],
                )
                .await?;
            }
            None => {
                self.exec("DELETE FROM organisation_followers WHERE organisation_id = $1", &[Arg::I(id)]).await?;
            }
        }
        Ok(())
    }
}
