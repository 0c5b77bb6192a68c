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
use crate::shared::error::rows_json;
use crate::shared::extract::PageForm;
use crate::shared::i18n::{t, Lang};
use crate::shared::page::{base_ctx, error_page, field_messages, render, with, PageId};
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
) -> Response {
    let (f, p) = q.filter();
    let page = match s.app.list_organisations(&sess.actor, &f).await {
        Ok(p) => p,
        Err(e) => return error_page(&s, lang, Some(&sess), e),
    };
    let query = query_string(&[("q", q.q.as_deref()), ("unit", q.unit.as_deref()), ("kind", q.kind.as_deref())]);
    let ctx = context! {
        items => page.items, q => q.q, unit => q.unit, kind => q.kind, kinds => kinds(),
        can_write => sess.actor.role.can_write() && sess.actor.role != Role::Organisation,
        ..pager(page.total, p, query)
    };
    render(&s, "orgs.html", StatusCode::OK, with(base_ctx(lang, Some(&sess), "orgs"), ctx))
}

pub(crate) async fn detail(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
) -> Response {
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
) -> Response {
    let o = match s.app.organisation(&sess.actor, id).await {
        Ok(o) => o,
        Err(e) => return error_page(s, lang, Some(sess), e),
    };
    let exemption = s.app.organisation_exemption(&sess.actor, id).await.ok().flatten();
    // The reason that fits this kind of organisation, if the standard names one.
    let kind = domain::OrgKind::parse(&o.kind).unwrap_or(domain::OrgKind::Other);
    let exempt_option = domain::organisation::Exemption::ALL.into_iter().find(|e| e.kind() == kind).map(|e| e.as_str());
    let can_write = sess.actor.role.can_write();
    let can_exempt = can_write && sess.actor.role != Role::Organisation && exempt_option.is_some();
    let ctx = context! { o, can_write, exemption, exempt_option, can_exempt, errors };
    render(s, "org.html", status, with(base_ctx(lang, Some(sess), "orgs"), ctx))
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
) -> Response {
    match s.app.set_organisation_exemption(&sess.actor, id, f.reason.as_deref()).await {
        Ok(_) => Redirect::to(&format!("/organisations/{id}")).into_response(),
        Err(e @ (app::AppError::Validation(_) | app::AppError::Forbidden(_))) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            org_page(&s, lang, &sess, id, status, field_messages(lang, &e)).await
        }
        Err(e) => error_page(&s, lang, Some(&sess), e),
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
) -> Response {
    let communes = commune_options(s, &sess.actor.scope).await;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let ctx = context! { title, action, f, errors, kinds => kinds(), communes };
    render(s, "org_form.html", status, with(base_ctx(lang, Some(sess), "orgs"), ctx))
}

pub(crate) async fn new_form(State(s): State<AppState>, lang: Lang, Authed(sess): Authed) -> Response {
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
) -> Response {
    match s.app.create_organisation(&sess.actor, &f.input()).await {
        Ok(o) => Redirect::to(&format!("/organisations/{}", o.id)).into_response(),
        Err(e @ app::AppError::Validation(_)) => {
            let errors = field_messages(lang, &e);
            form_page(&s, lang, &sess, t(lang, "org.new"), "/organisations".into(), Value::from_serialize(&f), errors)
                .await
        }
        Err(e) => error_page(&s, lang, Some(&sess), e),
    }
}

pub(crate) async fn edit_form(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
) -> Response {
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
        Err(e) => error_page(&s, lang, Some(&sess), e),
    }
}

pub(crate) async fn update(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
    PageForm(f): PageForm<OrgForm>,
) -> Response {
    match s.app.update_organisation(&sess.actor, id, &f.input()).await {
        Ok(o) => Redirect::to(&format!("/organisations/{}", o.id)).into_response(),
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
        Err(e) => error_page(&s, lang, Some(&sess), e),
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

pub(crate) async fn import(State(s): State<AppState>, lang: Lang, Authed(sess): Authed, mut mp: Multipart) -> Response {
    let base = base_ctx(lang, Some(&sess), "orgs");
    let none = Value::from(());
    // The right to import first: nothing is read or parsed without it.
    if let Err(e) = s.app.may_upload(&sess.actor, UploadTarget::Organisations).await {
        return error_page(&s, lang, Some(&sess), e);
    }
    let Some((ct, bytes)) = first_file_typed(&mut mp).await else {
        return render(
            &s,
            "org_import.html",
            StatusCode::BAD_REQUEST,
            with(base, context! { imported => none, error => t(lang, "bad_request") }),
        );
    };
    let bytes = axum::body::Bytes::from(bytes);
    let table = match read_upload(&s, &sess.actor, UploadTarget::Organisations, &ct, bytes.clone()).await {
        Ok(t) => t,
        Err(e) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            let error = field_messages(lang, &e).join(" ");
            return render(&s, "org_import.html", status, with(base, context! { imported => none, error }));
        }
    };
    if table.len() > SYNC_IMPORT_ROWS {
        return match s.app.start_organisation_import(&sess.actor, table, bytes.to_vec()).await {
            Ok(id) => Redirect::to(&format!("/imports/{id}")).into_response(),
            Err(e) => error_page(&s, lang, Some(&sess), e),
        };
    }
    let result = s.app.import_organisations(&sess.actor, &table, &bytes).await;
    match result {
        Ok(n) => render(&s, "org_import.html", StatusCode::CREATED, with(base, context! { imported => n })),
        Err(app::AppError::Rows(rows)) => {
            let rows = rows_json(&rows, lang);
            render(
                &s,
                "org_import.html",
                StatusCode::UNPROCESSABLE_ENTITY,
                with(base, context! { imported => none, rows, error => t(lang, "import.rejected") }),
            )
        }
        Err(e) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            let error = field_messages(lang, &e).join(" ");
            render(&s, "org_import.html", status, with(base, context! { imported => none, error }))
        }
    }
}

pub(crate) async fn import_job(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    PageId(id): PageId,
) -> Response {
    match s.app.import_job(&sess.actor, id, std::time::Duration::ZERO).await {
        Ok(job) => {
            let running = !app::import_jobs::FINAL_STATES.contains(&job.status.as_str());
            let job = super::api::job_json(&job, lang);
            render(
                &s,
                "import_job.html",
                StatusCode::OK,
                with(base_ctx(lang, Some(&sess), "orgs"), context! { job, running }),
            )
        }
        Err(e) => error_page(&s, lang, Some(&sess), e),
    }
}

/// Records or lifts exemptions from an uploaded table (`organisation_id`, `reason`),
/// all or nothing; the import page shows the count or the rejected rows.
pub(crate) async fn import_exemptions(
    State(s): State<AppState>,
    lang: Lang,
    Authed(sess): Authed,
    mut mp: Multipart,
) -> Response {
    let base = base_ctx(lang, Some(&sess), "orgs");
    let none = Value::from(());
    let page = |status: StatusCode, ctx: Value| render(&s, "org_import.html", status, with(base.clone(), ctx));
    if let Err(e) = s.app.may_upload(&sess.actor, UploadTarget::Exemptions).await {
        return error_page(&s, lang, Some(&sess), e);
    }
    let Some((ct, bytes)) = first_file_typed(&mut mp).await else {
        return page(StatusCode::BAD_REQUEST, context! { imported => none, exempt_error => t(lang, "bad_request") });
    };
    let result = match read_upload(&s, &sess.actor, UploadTarget::Exemptions, &ct, bytes.into()).await {
        Ok(table) => s.app.import_exemptions(&sess.actor, &table).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(n) => page(StatusCode::OK, context! { imported => none, exempted => n }),
        Err(app::AppError::Rows(rows)) => {
            let exempt_rows = rows_json(&rows, lang);
            let ctx = context! { imported => none, exempt_rows, exempt_error => t(lang, "import.rejected") };
            page(StatusCode::UNPROCESSABLE_ENTITY, ctx)
        }
        Err(e) => {
            let (status, _) = crate::shared::error::status_and_code(&e);
            page(status, context! { imported => none, exempt_error => field_messages(lang, &e).join(" ") })
        }
    }
}
