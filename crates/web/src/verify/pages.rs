//! `GET /verify/{code}`.

use axum::extract::State;
use axum::http::StatusCode;
use minijinja::context;

use crate::shared::extract::Path;
use crate::shared::i18n::{t, Lang};
use crate::shared::page::{base_ctx, render, with, OrPage, PageResult};
use crate::AppState;

/// The certificate named by the code, or a 404 page saying no certificate has it.
pub(crate) async fn verify(State(s): State<AppState>, lang: Lang, Path(code): Path<String>) -> PageResult {
    let facts = s.app.verify_certificate(&code).await.or_page(&s, lang, None)?;
    let status = if facts.is_some() { StatusCode::OK } else { StatusCode::NOT_FOUND };
    let subject = facts.as_ref().map(|f| t(lang, &format!("subject.{}", f.subject)));
    let printed = facts.as_ref().map(|f| app::assessments::printed_certificate_code(&f.code));
    let ctx = context! { facts, subject, printed, asked => code.chars().take(40).collect::<String>() };
    Ok(render(&s, "verify.html", status, with(base_ctx(lang, None, "verify"), ctx)))
}
