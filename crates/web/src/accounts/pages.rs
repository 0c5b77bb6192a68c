//! Login, logout, language switch, the account page (password, TOTP).

use crate::shared::extract::{Path, Query};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;

use crate::shared::auth::{client_key, tokens_match, AuthedPending, MaybeAuthed};
use crate::shared::cookies::{cookie, session_cookie, LOGIN_CSRF_COOKIE};
use crate::shared::extract::PageForm;
use crate::shared::i18n::{t, Lang};
use crate::shared::page::{base_ctx, render, with, OrPage, PageResult};
use crate::AppState;

/// `?next=` of the login page.
#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

/// Where to go after login: `next` when it is a path of this site, else `/`.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if is_local_path(n) => n.to_string(),
        _ => "/".to_string(),
    }
}

/// Whether `n` is a local path of this site that every browser reads as one: it
/// starts with one `/`, holds only visible ASCII (no tab, line break, space or
/// backslash, which browsers strip or turn into `/`), and resolved against this
/// site stays on it.
fn is_local_path(n: &str) -> bool {
    const HERE: &str = "http://phongtrao.invalid/";
    n.len() <= 2048
        && n.starts_with('/')
        && !n.starts_with("//")
        && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
        && url::Url::parse(HERE)
            .and_then(|base| base.join(n))
            .is_ok_and(|u| u.host_str() == Some("phongtrao.invalid") && u.scheme() == "http")
}

fn login_page(
    s: &AppState,
    lang: Lang,
    status: StatusCode,
    next: &str,
    username: Option<&str>,
    error: Option<String>,
) -> Response {
    let token = app::auth::random_token();
    let mut resp = render(
        s,
        "login.html",
        status,
        with(base_ctx(lang, None, "login"), context! { login_csrf => token.clone(), next, username, error }),
    );
    let secure = if s.config.secure_cookies { "; Secure" } else { "" };
    if let Ok(v) = format!("{LOGIN_CSRF_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict{secure}").parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

pub(crate) async fn login_form(
    State(s): State<AppState>,
    lang: Lang,
    MaybeAuthed(sess): MaybeAuthed,
    Query(q): Query<NextQuery>,
) -> Response {
    if sess.is_some() {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    }
    login_page(&s, lang, StatusCode::OK, &safe_next(q.next.as_deref()), None, None)
}

/// Login form fields.
#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    totp: Option<String>,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: Option<String>,
}

pub(crate) async fn login(
    State(s): State<AppState>,
    lang: Lang,
    headers: HeaderMap,
    ext: axum::http::Extensions,
    PageForm(f): PageForm<LoginForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    let pre = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if pre.is_empty() || !tokens_match(&pre, &f.csrf) {
        return login_page(&s, lang, StatusCode::FORBIDDEN, &next, Some(&f.username), Some(t(lang, "auth.csrf")));
    }
    let totp = f.totp.as_deref().map(str::trim).filter(|c| !c.is_empty());
    match s.app.login(&f.username, &f.password, totp, &client_key(&ext), "cookie").await {
        Ok(ok) => {
            let target = if ok.must_enrol_totp { "/account".to_string() } else { next };
            let mut resp = Redirect::to(&target).into_response();
            let max_age = s.app.config.session_ttl_ms / 1000;
            if let Ok(v) = session_cookie(&ok.token, s.config.secure_cookies, max_age).parse() {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            resp
        }
        Err(e) => {
            crate::shared::error::log_if_internal(&e);
            let (status, code) = crate::shared::error::status_and_code(&e);
            login_page(&s, lang, status, &next, Some(&f.username), Some(t(lang, code)))
        }
    }
}

fn clear_session(resp: &mut Response, secure: bool) {
    if let Ok(v) = session_cookie("", secure, 0).parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

pub(crate) async fn logout(State(s): State<AppState>, lang: Lang, AuthedPending(sess): AuthedPending) -> PageResult {
    s.app.logout(&sess.actor, &sess.token).await.or_page(&s, lang, Some(&sess))?;
    let mut resp = Redirect::to("/login").into_response();
    clear_session(&mut resp, s.config.secure_cookies);
    Ok(resp)
}

pub(crate) async fn logout_everywhere(
    State(s): State<AppState>,
    lang: Lang,
    AuthedPending(sess): AuthedPending,
) -> PageResult {
    s.app.logout_everywhere(&sess.actor).await.or_page(&s, lang, Some(&sess))?;
    let mut resp = Redirect::to("/login").into_response();
    clear_session(&mut resp, s.config.secure_cookies);
    Ok(resp)
}

pub(crate) async fn account(State(s): State<AppState>, lang: Lang, AuthedPending(sess): AuthedPending) -> PageResult {
    // An enrolment started earlier and not confirmed shows again.
    let pending = s.app.totp_pending(&sess.actor).await.or_page(&s, lang, Some(&sess))?;
    Ok(render(&s, "account.html", StatusCode::OK, with(base_ctx(lang, Some(&sess), "account"), context! { pending })))
}

pub(crate) async fn totp_enrol(
    State(s): State<AppState>,
    lang: Lang,
    AuthedPending(sess): AuthedPending,
) -> PageResult {
    let pending = s.app.totp_enrol(&sess.actor).await.or_page(&s, lang, Some(&sess))?;
    let ctx = with(base_ctx(lang, Some(&sess), "account"), context! { pending });
    Ok(render(&s, "account.html", StatusCode::OK, ctx))
}

/// The account page again, with the error that stopped the last action (and the
/// enrolment under way, kept: a mistyped code only asks for the code again).
async fn account_error(s: &AppState, lang: Lang, sess: &crate::shared::auth::Session, e: &app::AppError) -> Response {
    let error = crate::shared::page::field_messages(lang, e).join(" ");
    let (status, _) = crate::shared::error::status_and_code(e);
    let pending = s.app.totp_pending(&sess.actor).await.ok().flatten();
    render(s, "account.html", status, with(base_ctx(lang, Some(sess), "account"), context! { error, pending }))
}

/// TOTP confirmation form.
#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
}

pub(crate) async fn totp_confirm(
    State(s): State<AppState>,
    lang: Lang,
    AuthedPending(sess): AuthedPending,
    PageForm(f): PageForm<CodeForm>,
) -> Response {
    match s.app.totp_confirm(&sess.actor, &f.code).await {
        // The recovery codes, shown this once, before going on.
        Ok(codes) => render(
            &s,
            "account.html",
            StatusCode::OK,
            with(base_ctx(lang, Some(&sess), "account"), context! { recovery_codes => codes }),
        ),
        Err(e) => account_error(&s, lang, &sess, &e).await,
    }
}

/// Password change form.
#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

pub(crate) async fn change_password(
    State(s): State<AppState>,
    lang: Lang,
    AuthedPending(sess): AuthedPending,
    PageForm(f): PageForm<PasswordForm>,
) -> Response {
    match s.app.change_password(&sess.actor, &f.current_password, &f.new_password, &sess.token).await {
        Ok(()) => render(
            &s,
            "account.html",
            StatusCode::OK,
            with(base_ctx(lang, Some(&sess), "account"), context! { flash => t(lang, "account.password_changed") }),
        ),
        Err(e) => account_error(&s, lang, &sess, &e).await,
    }
}

pub(crate) async fn set_lang(Path(lang): Path<String>, headers: HeaderMap) -> Response {
    let lang = if lang == "en" { "en" } else { "vi" };
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        .map(|u| format!("{}{}", u.path(), u.query().map(|q| format!("?{q}")).unwrap_or_default()))
        .unwrap_or_else(|| "/".to_string());
    let mut resp = Redirect::to(&safe_next(Some(&back))).into_response();
    if let Ok(v) = format!("lang={lang}; Path=/; Max-Age=31536000; SameSite=Lax").parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_a_local_path_only() {
        for good in ["/", "/cases?due=overdue", "/organisations/5", "/a%20b"] {
            assert_eq!(safe_next(Some(good)), good);
        }
        for bad in [
            "//evil.example/",
            "/\t/evil.example/",
            "/\\evil.example",
            "/\u{9}/evil.example/",
            "/\n/x",
            "/\r\nSet-Cookie: a=b",
            "https://evil.example/",
            "evil",
            "/ /evil",
            "/é",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
