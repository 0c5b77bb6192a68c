//! Organisation pages: list with filters, detail, create, edit, import, export.

use crate::shared::extract::Query;
use crate::shared::uploads::first_file_typed;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::organisation::OrganisationInput;
use domain::{OrgKind, Role, Scope};
use minijinja::{context, Value};
use serde::Deserialize;

use super::api::{export_response, OrgQuery};
use crate::shared::auth::{Authed, Session};
use crate::shared::error::{rows_json, status_and_code};
use crate::shared::extract::PageForm;
use crate::shared::i18n::{t, Lang};
use crate::shared::page::{base_ctx, field_messages, render, with, OrPage, PageId, PageResult};
use crate::shared::paging::{pager, query_string};
use crate::shared::uploads::read_upload;
use crate::AppState;
use app::uploads::UploadTarget;

/// Larger uploads run as a background job with a progress page.
pub const SYNC_IMPORT_ROWS: usize = 2_000;

fn kinds() -> Vec<&'static str> {
    OrgKind::ALL.iter().map(|k| k.as_str()).collect()
}

pub(crate) async fn list(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<OrgQuery>,
) -> PageResult {
    let (f, p) = q.filter();
    let page = s.app.list_organisations(&sess.actor, &f).await.or_page(&s, lang, Some(&sess))?;
    let query = query_string(&[("q", q.q.as_deref()), ("unit", q.unit.as_deref()), ("kind", q.kind.as_deref())]);
    let ctx = context! {
        items => page.items, q => q.q, unit => q.unit, kind => q.kind, kinds => kinds(),
        can_write => sess.actor.is_police_writer(),
        ..pager(page.total, p, query)
    };
    Ok(render(&s, "orgs.html", StatusCode::OK, with(base_ctx(lang, Some(&sess), "orgs"), ctx)))
}

pub(crate) async fn detail(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
) -> PageResult {
    org_page(&s, lang, &sess, id, StatusCode::OK, Vec::new()).await
}

/// The organisation page, with its exemption from the safe-unit standard and, for
/// the police, the form to record or lift it; `errors` above the form.
async fn org_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    id: i64,
    status: StatusCode,
    errors: Vec<String>,
) -> PageResult {
    let o = s.app.organisation(&sess.actor, id).await.or_page(s, lang, Some(sess))?;
    let exemption = s.app.organisation_exemption(&sess.actor, id).await.ok().flatten();
    // The reason that fits this kind of organisation, if the standard names one.
    let kind = o.kind;
    let exempt_option = domain::organisation::Exemption::ALL.into_iter().find(|e| e.kind() == kind).map(|e| e.as_str());
    let can_write = sess.actor.role.can_write();
    let can_exempt = can_write && sess.actor.role != Role::Organisation && exempt_option.is_some();
    // Its own models (TT 124/2021 Điều 6 khoản 1, Điều 7 khoản 1).
    let own = store::models::ModelFilter { organisation_id: Some(id), ..Default::default() };
    let models = s.app.list_models_filtered(&sess.actor, None, &own, 50, 0).await.map(|(m, _)| m).unwrap_or_default();
    let can_follow = can_write && matches!(sess.actor.role, Role::Ministry | Role::Admin);
    let ctx = context! { o, can_write, exemption, exempt_option, can_exempt, can_follow, errors, models };
    Ok(render(s, "org.html", status, with(base_ctx(lang, Some(sess), "orgs"), ctx)))
}

/// Form of the exemption: a reason, or empty to lift it.
#[derive(Deserialize)]
pub(crate) struct ExemptionForm {
    reason: Option<String>,
}

pub(crate) async fn set_exemption(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<ExemptionForm>,
) -> PageResult {
    match s.app.set_organisation_exemption(&sess.actor, id, f.reason.as_deref()).await {
        Ok(_) => Ok(Redirect::to(&format!("/organisations/{id}")).into_response()),
        Err(e @ (app::AppError::Validation(_) | app::AppError::Forbidden(_))) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            org_page(&s, lang, &sess, id, status, field_messages(lang, &e)).await
        }
        Err(e) => Err(e).or_page(&s, lang, Some(&sess)),
    }
}

/// Form of the Ministry department that follows an organisation (empty lifts it).
#[derive(Deserialize)]
pub(crate) struct FollowerForm {
    #[serde(default)]
    department: String,
}

pub(crate) async fn set_follower(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<FollowerForm>,
) -> PageResult {
    let department = Some(f.department.trim()).filter(|d| !d.is_empty());
    match s.app.set_organisation_follower(&sess.actor, id, department).await {
        Ok(_) => Ok(Redirect::to(&format!("/organisations/{id}")).into_response()),
        Err(e @ (app::AppError::Validation(_) | app::AppError::Forbidden(_))) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            org_page(&s, lang, &sess, id, status, field_messages(lang, &e)).await
        }
        Err(e) => Err(e).or_page(&s, lang, Some(&sess)),
    }
}

/// Communes offered in the form's picker: those of a province or commune scope
/// (the nation's 3,321 would be too many for a phone; there the code is typed).
async fn commune_options(s: &AppState, scope: &Scope) -> Vec<store::units::UnitRecord> {
    let parent = match scope {
        Scope::Province(p) => p.clone(),
        Scope::Commune(c) => return s.app.unit(c).await.map(|u| vec![u]).unwrap_or_default(),
        _ => return Vec::new(),
    };
    let f = store::units::UnitFilter { parent: Some(parent), limit: 500, ..Default::default() };
    s.app.list_units(&f).await.map(|p| p.items).unwrap_or_default()
}

async fn form_page(
    s: &AppState,
    lang: Lang,
    sess: &Session,
    title: String,
    action: String,
    f: Value,
    errors: Vec<String>,
) -> PageResult {
    let communes = commune_options(s, &sess.actor.scope).await;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let ctx = context! { title, action, f, errors, kinds => kinds(), communes };
    Ok(render(s, "org_form.html", status, with(base_ctx(lang, Some(sess), "orgs"), ctx)))
}

pub(crate) async fn new_form(State(s): State<AppState>, lang: Lang, Authed(sess): Authed) -> PageResult {
    let unit = match &sess.actor.scope {
        Scope::Commune(c) => Some(c.clone()),
        _ => None,
    };
    form_page(
        &s,
        lang,
        &sess,
        t(lang, "org.new"),
        "/organisations".into(),
        context! { kind => "enterprise", unit_code => unit },
        vec![],
    )
    .await
}

/// Organisation form fields.
#[derive(Deserialize, Default, serde::Serialize)]
pub struct OrgForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    unit_code: String,
    #[serde(default)]
    tax_code: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    managed_by_province: Option<String>,
}

impl OrgForm {
    fn input(&self) -> OrganisationInput {
        OrganisationInput {
            name: Some(self.name.clone()),
            kind: Some(self.kind.clone()),
            unit_code: Some(self.unit_code.clone()),
            tax_code: Some(self.tax_code.clone()),
            address: Some(self.address.clone()),
            managed_by_province: self.managed_by_province.is_some(),
        }
    }
}

pub(crate) async fn create(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageForm(f): PageForm<OrgForm>,
) -> PageResult {
    match s.app.create_organisation(&sess.actor, &f.input()).await {
        Ok(o) => Ok(Redirect::to(&format!("/organisations/{}", o.id)).into_response()),
        Err(e @ app::AppError::Validation(_)) => {
            let errors = field_messages(lang, &e);
            form_page(&s, lang, &sess, t(lang, "org.new"), "/organisations".into(), Value::from_serialize(&f), errors)
                .await
        }
        Err(e) => Err(e).or_page(&s, lang, Some(&sess)),
    }
}

pub(crate) async fn edit_form(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
) -> PageResult {
    match s.app.organisation(&sess.actor, id).await {
        Ok(o) => {
            form_page(
                &s,
                lang,
                &sess,
                o.name.clone(),
                format!("/organisations/{id}"),
                Value::from_serialize(&o),
                vec![],
            )
            .await
        }
        Err(e) => Err(e).or_page(&s, lang, Some(&sess)),
    }
}

pub(crate) async fn update(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<OrgForm>,
) -> PageResult {
    match s.app.update_organisation(&sess.actor, id, &f.input()).await {
        Ok(o) => Ok(Redirect::to(&format!("/organisations/{}", o.id)).into_response()),
        Err(e @ app::AppError::Validation(_)) => {
            let errors = field_messages(lang, &e);
            form_page(
                &s,
                lang,
                &sess,
                f.name.clone(),
                format!("/organisations/{id}"),
                Value::from_serialize(&f),
                errors,
            )
            .await
        }
        Err(e) => Err(e).or_page(&s, lang, Some(&sess)),
    }
}

pub(crate) async fn export(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    Query(q): Query<OrgQuery>,
) -> Response {
    export_response(&s, &sess.actor, &q, lang).await
}

pub(crate) async fn import_form(State(s): State<AppState>, lang: Lang, Authed(sess): Authed) -> Response {
    render(
        &s,
        "org_import.html",
        StatusCode::OK,
        with(base_ctx(lang, Some(&sess), "orgs"), context! { imported => Value::from(()) }),
    )
}

/// The import page's context after a refused import: the rejected rows with their
/// reasons, or the message of the error.
fn refusal(lang: Lang, e: &app::AppError, rows_key: &str, error_key: &str) -> Value {
    let none = Value::from(());
    match e {
        app::AppError::Rows(rows) => Value::from_iter([
            ("imported", none),
            (rows_key, Value::from_serialize(rows_json(rows, lang))),
            (error_key, Value::from(t(lang, "import.rejected"))),
        ]),
        e => Value::from_iter([("imported", none), (error_key, Value::from(field_messages(lang, e).join(" ")))]),
    }
}

pub(crate) async fn import(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    mut mp: Multipart,
) -> PageResult {
    // The right to import first: nothing is read or parsed without it.
    s.app.may_upload(&sess.actor, UploadTarget::Organisations).await.or_page(&s, lang, Some(&sess))?;
    let page = |status, ctx| render(&s, "org_import.html", status, with(base_ctx(lang, Some(&sess), "orgs"), ctx));
    let Some((ct, bytes)) = first_file_typed(&mut mp).await else {
        let ctx = context! { imported => Value::from(()), error => t(lang, "bad_request") };
        return Ok(page(StatusCode::BAD_REQUEST, ctx));
    };
    let bytes = axum::body::Bytes::from(bytes);
    let table = match read_upload(&s, &sess.actor, UploadTarget::Organisations, &ct, bytes.clone()).await {
        Ok(t) => t,
        Err(e) => {
            let ctx = context! { imported => Value::from(()), error => field_messages(lang, &e).join(" ") };
            return Ok(page(status_and_code(&e).0, ctx));
        }
    };
    if table.len() > SYNC_IMPORT_ROWS {
        let id =
            s.app.start_organisation_import(&sess.actor, table, bytes.to_vec()).await.or_page(&s, lang, Some(&sess))?;
        return Ok(Redirect::to(&format!("/imports/{id}")).into_response());
    }
    Ok(match s.app.import_organisations(&sess.actor, &table, &bytes).await {
        Ok(n) => page(StatusCode::CREATED, context! { imported => n }),
        Err(e) => page(status_and_code(&e).0, refusal(lang, &e, "rows", "error")),
    })
}

pub(crate) async fn import_job(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
) -> PageResult {
    let job = s.app.import_job(&sess.actor, id, std::time::Duration::ZERO).await.or_page(&s, lang, Some(&sess))?;
    let running = !job.status.is_final();
    let job = super::api::job_json(&job, lang);
    let ctx = with(base_ctx(lang, Some(&sess), "orgs"), context! { job, running });
    Ok(render(&s, "import_job.html", StatusCode::OK, ctx))
}

/// Records or lifts exemptions from an uploaded table (`organisation_id`, `reason`),
/// all or nothing; the import page shows the count or the rejected rows.
pub(crate) async fn import_exemptions(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    mut mp: Multipart,
) -> PageResult {
    s.app.may_upload(&sess.actor, UploadTarget::Exemptions).await.or_page(&s, lang, Some(&sess))?;
    let page = |status, ctx| render(&s, "org_import.html", status, with(base_ctx(lang, Some(&sess), "orgs"), ctx));
    let Some((ct, bytes)) = first_file_typed(&mut mp).await else {
        let ctx = context! { imported => Value::from(()), exempt_error => t(lang, "bad_request") };
        return Ok(page(StatusCode::BAD_REQUEST, ctx));
    };
    let result = match read_upload(&s, &sess.actor, UploadTarget::Exemptions, &ct, bytes.into()).await {
        Ok(table) => s.app.import_exemptions(&sess.actor, &table).await,
        Err(e) => Err(e),
    };
    Ok(match result {
        Ok(n) => page(StatusCode::OK, context! { imported => Value::from(()), exempted => n }),
        Err(e) => page(status_and_code(&e).0, refusal(lang, &e, "exempt_rows", "exempt_error")),
    })
}
