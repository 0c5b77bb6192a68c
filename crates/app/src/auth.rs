//! Authentication: Argon2id passwords, sessions and bearer tokens (only their
//! SHA-256 stored), account lockout, per-client throttling, TOTP (RFC 6238).

use std::collections::HashMap;
use std::sync::Mutex;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use domain::{Role, Scope};
use rand::RngCore;
use sha2::{Digest, Sha256};
use store::audit::AuditEntry;
use store::clock::now_ms;
use store::users::UserRecord;
use store::StoreError;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::error::AppResult;
use crate::{Actor, App, AppError};

/// Hashes a password with Argon2id (default parameters, random salt).
pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("argon2: {e}")))
}

fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok()).unwrap_or(false)
}

/// How many recovery codes are shown at enrolment.
pub const RECOVERY_CODES: usize = 8;

/// The letters of a recovery code: no 0/O, 1/I/L to mistake for one another.
const RECOVERY_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A new recovery code, "ABCDE-FGHJK" (ten letters, about 50 random bits).
fn new_recovery_code() -> String {
    use rand::Rng;
    let mut rng = OsRng;
    let letters: String =
        (0..10).map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char).collect();
    format!("{}-{}", &letters[..5], &letters[5..])
}

/// The ten letters of a recovery code as typed (hyphens, blanks and case ignored),
/// or `None` when it cannot be one (a six-digit TOTP code, say).
pub fn recovery_code_typed(typed: &str) -> Option<String> {
    let letters: String = typed.chars().filter(|c| !matches!(c, '-' | ' ')).map(|c| c.to_ascii_uppercase()).collect();
    (letters.len() == 10 && letters.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))).then_some(letters)
}

/// A fixed hash verified for unknown usernames, so timing does not reveal them.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("phongtrao-dummy-password").unwrap_or_default())
}

/// Checks a new password's strength: 10+ characters with letters and digits.
pub fn validate_new_password(p: &str) -> Result<(), domain::ValidationError> {
    let long = p.chars().count() >= 10;
    let letters = p.chars().any(char::is_alphabetic);
    let digits = p.chars().any(|c| c.is_ascii_digit());
    if long && letters && digits && p.len() <= 1024 {
        Ok(())
    } else {
        Err(domain::ValidationError::one("password", "user.password_weak"))
    }
}

/// Compares two secrets in time independent of where they differ.
pub fn tokens_match(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A random token (hex, 256 bits).
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// SHA-256 of a token, as stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Failures on one name (from any client) after which the name is under the
/// slower global back-off.
pub const ACCOUNT_BACKOFF_AFTER: u32 = 10;
/// Delay added per failure beyond [`ACCOUNT_BACKOFF_AFTER`].
pub const ACCOUNT_BACKOFF_STEP_MS: i64 = 250;
/// Longest delay of the back-off.
pub const ACCOUNT_BACKOFF_MAX_MS: i64 = 2_000;

/// The login throttles beside the per-client one (see [`App::login`]).
#[derive(Default, Debug)]
pub struct LoginGuard {
    pairs: ClientThrottle,
    accounts: ClientThrottle,
    gates: Mutex<HashMap<String, std::sync::Arc<tokio::sync::Mutex<()>>>>,
}

impl LoginGuard {
    /// The lock that serialises attempts on one name under back-off.
    fn gate(&self, name: &str) -> std::sync::Arc<tokio::sync::Mutex<()>> {
        let Ok(mut gates) = self.gates.lock() else { return std::sync::Arc::default() };
        if gates.len() > 10_000 {
            gates.retain(|_, g| std::sync::Arc::strong_count(g) > 1);
        }
        gates.entry(name.to_string()).or_default().clone()
    }
}

/// Per-client login failure counter, kept in memory only (no IP is stored).
#[derive(Default, Debug)]
pub struct ClientThrottle {
    failures: Mutex<HashMap<String, (u32, i64)>>,
}

impl ClientThrottle {
    pub(crate) fn blocked_until(&self, client: &str, max: u32, window: i64) -> Option<i64> {
        let now = now_ms();
        let map = self.failures.lock().ok()?;
        map.get(client).and_then(|(n, start)| (*n >= max && now - start < window).then_some(start + window))
    }

    /// Failures of `key` in the current window.
    pub(crate) fn count(&self, key: &str, window: i64) -> u32 {
        let now = now_ms();
        let Ok(map) = self.failures.lock() else { return 0 };
        map.get(key).filter(|(_, start)| now - start < window).map_or(0, |(n, _)| *n)
    }

    pub(crate) fn fail(&self, client: &str, window: i64) {
        let now = now_ms();
        if let Ok(mut map) = self.failures.lock() {
            if map.len() > 100_000 {
                map.retain(|_, (_, start)| now - *start < window);
            }
            let e = map.entry(client.to_string()).or_insert((0, now));
            if now - e.1 >= window {
                *e = (0, now);
            }
            e.0 += 1;
        }
    }
}

/// A successful login.
#[derive(Debug, Clone)]
pub struct LoginOk {
    /// The session or bearer token (shown once, stored hashed).
    pub token: String,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// The user.
    pub user_id: i64,
    /// Must enrol TOTP before anything else.
    pub must_enrol_totp: bool,
}

impl App {
    /// Logs in with a password (and a TOTP code once enrolled). `client` identifies
    /// the caller for throttling (kept in memory only). Every attempt is audited.
    ///
    /// Throttles, all in memory, all keyed alike for known and unknown names (so the
    /// answers never tell whether an account exists):
    /// - per account and client: [`AppConfig::max_login_failures`] failures lock
    ///   that client out of that name for [`AppConfig::lockout_ms`] — the owner on
    ///   another client is not locked out;
    /// - per client: [`AppConfig::client_max_failures`] failures over any names;
    /// - per account, from [`ACCOUNT_BACKOFF_AFTER`] failures in the window: a
    ///   slower global back-off — attempts on that name run one at a time, each
    ///   failure answered only after a delay growing to [`ACCOUNT_BACKOFF_MAX_MS`],
    ///   and a client that already failed on the name is refused while another
    ///   attempt runs. A client that never failed waits its turn and then logs in.
    ///
    /// Every failure (wrong name, password or code, or a missing code) is the same
    /// 401 `auth.bad_credentials`.
    ///
    /// [`AppConfig::max_login_failures`]: crate::AppConfig::max_login_failures
    /// [`AppConfig::lockout_ms`]: crate::AppConfig::lockout_ms
    /// [`AppConfig::client_max_failures`]: crate::AppConfig::client_max_failures
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        totp: Option<&str>,
        client: &str,
        kind: &str,
    ) -> AppResult<LoginOk> {
        let cfg = &self.config;
        let name = username.trim().to_lowercase();
        let pair = format!("{name}\u{0}{client}");
        if let Some(until) = self.throttle.blocked_until(client, cfg.client_max_failures, cfg.client_window_ms) {
            return Err(AppError::Throttled("auth.client_throttled", until));
        }
        let max_pair = u32::try_from(cfg.max_login_failures).unwrap_or(u32::MAX).max(1);
        if let Some(until) = self.login_guard.pairs.blocked_until(&pair, max_pair, cfg.lockout_ms) {
            return Err(AppError::Throttled("auth.locked", until));
        }
        let failed_before = self.login_guard.pairs.count(&pair, cfg.lockout_ms) > 0;
        let account_failures = self.login_guard.accounts.count(&name, cfg.lockout_ms);
        let backoff = account_failures >= ACCOUNT_BACKOFF_AFTER;
        // One attempt at a time on a name under back-off.
        let gate = self.login_guard.gate(&name);
        let _turn = if backoff {
            match gate.clone().try_lock_owned() {
                Ok(g) => Some(g),
                Err(_) if failed_before => {
                    return Err(AppError::Throttled("auth.locked", now_ms() + ACCOUNT_BACKOFF_MAX_MS));
                }
                Err(_) => Some(gate.lock_owned().await),
            }
        } else {
            None
        };
        let user = match self.store.user_by_username(username.trim()).await {
            Ok(u) => Some(u),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        match user.filter(|u| u.active) {
            None => {
                verify_password(password, dummy_hash());
                self.audit_login(None, "auth.login_failed", username, "unknown_user").await?;
            }
            Some(user) => {
                let password_ok = verify_password(password, &user.password_hash);
                let code = if user.totp_enabled && password_ok {
                    match (totp, user.totp_secret.as_deref()) {
                        (Some(code), Some(secret)) => totp_step(secret, &user.username, code),
                        _ => None,
                    }
                } else {
                    None
                };
                // A phone lost: one of the recovery codes shown at enrolment, once.
                let recovery = match (user.totp_enabled && password_ok && code.is_none(), totp) {
                    (true, Some(typed)) => self.matching_recovery_code(user.id, typed).await?,
                    _ => None,
                };
                let totp_needed = user.totp_enabled;
                if password_ok && (!totp_needed || code.is_some() || recovery.is_some()) {
                    return self.open_session(&user, code, recovery, kind).await;
                }
                let reason = match (password_ok, totp) {
                    (false, _) => "bad_password",
                    (true, None) => "missing_totp",
                    (true, Some(_)) => "bad_totp",
                };
                self.audit_login(Some(user.id), "auth.login_failed", &user.username, reason).await?;
            }
        }
        self.throttle.fail(client, cfg.client_window_ms);
        self.login_guard.pairs.fail(&pair, cfg.lockout_ms);
        self.login_guard.accounts.fail(&name, cfg.lockout_ms);
        if backoff {
            let steps = i64::from(account_failures - ACCOUNT_BACKOFF_AFTER + 1);
            let delay = (steps * ACCOUNT_BACKOFF_STEP_MS).min(ACCOUNT_BACKOFF_MAX_MS);
            tokio::time::sleep(std::time::Duration::from_millis(delay as u64)).await;
        }
        if let Some(until) = self.login_guard.pairs.blocked_until(&pair, max_pair, cfg.lockout_ms) {
            return Err(AppError::Throttled("auth.locked", until));
        }
        Err(AppError::Unauthorized("auth.bad_credentials"))
    }

    /// The unused recovery code of `user` that `typed` is, if any (typed the way it
    /// was shown, "ABCDE-FGHJK", or without the hyphen, in any case).
    async fn matching_recovery_code(&self, user: i64, typed: &str) -> AppResult<Option<i64>> {
        let Some(code) = recovery_code_typed(typed) else { return Ok(None) };
        for (id, hash) in self.store.unused_recovery_codes(user).await? {
            if verify_password(&code, &hash) {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// The session of a successful login; the TOTP step or the recovery code (when
    /// one was given) is taken in the same transaction, so a code logs in once.
    async fn open_session(
        &self,
        user: &UserRecord,
        totp_step: Option<i64>,
        recovery: Option<i64>,
        kind: &str,
    ) -> AppResult<LoginOk> {
        let cfg = &self.config;
        let token = random_token();
        let csrf = random_token();
        let mut tx = self.store.begin_write().await?;
        if let Some(step) = totp_step {
            if !tx.take_totp_step(user.id, step).await? {
                drop(tx);
                self.audit_login(Some(user.id), "auth.login_failed", &user.username, "totp_replayed").await?;
                return Err(AppError::Unauthorized("auth.bad_credentials"));
            }
        }
        if let Some(id) = recovery {
            if !tx.take_recovery_code(id).await? {
                drop(tx);
                self.audit_login(Some(user.id), "auth.login_failed", &user.username, "recovery_code_replayed").await?;
                return Err(AppError::Unauthorized("auth.bad_credentials"));
            }
        }
        tx.insert_session(&token_hash(&token), user.id, kind, &csrf, cfg.session_ttl_ms).await?;
        AuditEntry::new(Some(user.id), "auth.login", "user", user.id)
            .after(&serde_json::json!({"kind": kind, "recovery_code": recovery.is_some()}))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        let must = self.must_enrol(user);
        Ok(LoginOk { token, csrf_token: csrf, user_id: user.id, must_enrol_totp: must })
    }

    async fn audit_login(&self, actor: Option<i64>, action: &str, username: &str, reason: &str) -> AppResult<()> {
        let mut tx = self.store.begin_write().await?;
        let after = serde_json::json!({ "username": username, "reason": reason });
        AuditEntry::new(actor, action, "user", actor.map(|a| a.to_string()).as_deref().unwrap_or("-"))
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    fn must_enrol(&self, user: &UserRecord) -> bool {
        self.config.require_totp && !user.totp_enabled && user.role.requires_totp()
    }

    /// Resolves a session or bearer token to the acting user.
    pub async fn authenticate(&self, token: &str) -> AppResult<Actor> {
        let store::sessions::SessionUser { session, user } = match self.store.session_user(&token_hash(token)).await {
            Ok(s) => s,
            Err(StoreError::NotFound) => return Err(AppError::Unauthorized("auth.session_expired")),
            Err(e) => return Err(e.into()),
        };
        if !user.active {
            return Err(AppError::Unauthorized("auth.session_expired"));
        }
        self.actor_for(&user, session.csrf_token, session.kind).await
    }

    /// Builds the [`Actor`] of a user.
    pub async fn actor_for(&self, user: &UserRecord, csrf_token: String, session_kind: String) -> AppResult<Actor> {
        let role = user.role;
        // One unit read per request: the scope and the name come from the same row.
        let (scope, unit_code, unit_name) = match (role, user.organisation_id) {
            (Role::Organisation, Some(id)) => {
                let name = match &user.commune_code {
                    Some(c) => self.kept_unit(c).await.ok().map(|u| u.name.clone()),
                    None => None,
                };
                (Scope::Organisation(id), user.commune_code.clone(), name)
            }
            _ => {
                let code = user.unit_code.clone().ok_or_else(|| AppError::Internal("user without unit".into()))?;
                let unit = self.kept_unit(&code).await?;
                (Scope::of_unit(&unit.place()), Some(code), Some(unit.name.clone()))
            }
        };
        Ok(Actor {
            user_id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role,
            scope,
            unit_code,
            unit_name,
            totp_enabled: user.totp_enabled,
            must_enrol_totp: self.must_enrol(user),
            csrf_token,
            session_kind,
        })
    }

    /// Ends the current session.
    pub async fn logout(&self, actor: &Actor, token: &str) -> AppResult<()> {
        let mut tx = self.store.begin_write().await?;
        tx.delete_session(&token_hash(token)).await?;
        AuditEntry::new(Some(actor.user_id), "auth.logout", "user", actor.user_id).write(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends every session and token of the user ("log out everywhere").
    pub async fn logout_everywhere(&self, actor: &Actor) -> AppResult<u64> {
        let mut tx = self.store.begin_write().await?;
        let n = tx.delete_user_sessions(actor.user_id).await?;
        AuditEntry::new(Some(actor.user_id), "auth.logout_everywhere", "user", actor.user_id)
            .after(&serde_json::json!({"sessions": n}))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Changes the actor's password after checking the current one; ends all
    /// other sessions.
    pub async fn change_password(&self, actor: &Actor, current: &str, new: &str, keep_token: &str) -> AppResult<()> {
        let user = self.store.user_by_id(actor.user_id).await?;
        if !verify_password(current, &user.password_hash) {
            return Err(AppError::Validation(domain::ValidationError::one(
                "current_password",
                "auth.bad_current_password",
            )));
        }
        validate_new_password(new)?;
        let hash = hash_password(new)?;
        let mut tx = self.store.begin_write().await?;
        tx.set_password(actor.user_id, &hash).await?;
        tx.delete_user_sessions(actor.user_id).await?;
        tx.insert_session(
            &token_hash(keep_token),
            actor.user_id,
            &actor.session_kind,
            &actor.csrf_token,
            self.config.session_ttl_ms,
        )
        .await?;
        AuditEntry::new(Some(actor.user_id), "user.password_change", "user", actor.user_id).write(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Starts TOTP enrolment: a new secret (pending until confirmed), with its
    /// link and QR code for the authenticator app.
    pub async fn totp_enrol(&self, actor: &Actor) -> AppResult<TotpEnrolment> {
        if actor.totp_enabled {
            return Err(AppError::Conflict("auth.totp_already_enabled"));
        }
        let secret = match Secret::generate_secret().to_encoded() {
            Secret::Encoded(s) => s,
            Secret::Raw(_) => return Err(AppError::Internal("totp secret encoding".into())),
        };
        let totp = make_totp(&secret, &actor.username)?;
        let mut tx = self.store.begin_write().await?;
        tx.set_totp_secret(actor.user_id, &secret).await?;
        AuditEntry::new(Some(actor.user_id), "auth.totp_enrol", "user", actor.user_id).write(&mut tx).await?;
        tx.commit().await?;
        TotpEnrolment::new(secret, totp.get_url())
    }

    /// The enrolment started and not yet confirmed, if any: shown again (secret and
    /// QR code) after a mistyped code, so that the entry already in the
    /// authenticator app stays the right one.
    pub async fn totp_pending(&self, actor: &Actor) -> AppResult<Option<TotpEnrolment>> {
        if actor.totp_enabled {
            return Ok(None);
        }
        let user = self.store.user_by_id(actor.user_id).await?;
        match (user.totp_enabled, user.totp_secret) {
            (false, Some(secret)) => {
                let url = make_totp(&secret, &actor.username)?.get_url();
                Ok(Some(TotpEnrolment::new(secret, url)?))
            }
            _ => Ok(None),
        }
    }

    /// Confirms TOTP enrolment with a current code; returns the recovery codes,
    /// shown this once (only their hashes are kept).
    pub async fn totp_confirm(&self, actor: &Actor, code: &str) -> AppResult<Vec<String>> {
        let user = self.store.user_by_id(actor.user_id).await?;
        let Some(secret) = user.totp_secret.as_deref() else {
            return Err(AppError::Validation(domain::ValidationError::one("code", "auth.totp_not_started")));
        };
        if user.totp_enabled {
            return Err(AppError::Conflict("auth.totp_already_enabled"));
        }
        let Some(step) = totp_step(secret, &user.username, code) else {
            return Err(AppError::Validation(domain::ValidationError::one("code", "auth.totp_bad_code")));
        };
        let mut tx = self.store.begin_write().await?;
        // The confirming code is used: it cannot log in afterwards.
        if !tx.take_totp_step(actor.user_id, step).await? {
            return Err(AppError::Validation(domain::ValidationError::one("code", "auth.totp_bad_code")));
        }
        tx.enable_totp(actor.user_id).await?;
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
        let hashes = codes.iter().map(|c| hash_password(&c.replace('-', ""))).collect::<AppResult<Vec<_>>>()?;
        tx.replace_recovery_codes(actor.user_id, &hashes).await?;
        AuditEntry::new(Some(actor.user_id), "auth.totp_confirm", "user", actor.user_id)
            .after(&serde_json::json!({"recovery_codes": codes.len()}))
            .write(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(codes)
    }
}

/// A TOTP enrolment to show: the secret, its otpauth link, and that link as a
/// QR code (SVG).
#[derive(Debug, Clone, serde::Serialize)]
pub struct TotpEnrolment {
    /// Base32 secret (typed by hand when the QR code cannot be scanned).
    pub secret: String,
    /// otpauth:// link.
    pub otpauth_url: String,
    /// The link as an `<svg>` QR code.
    pub qr_svg: String,
}

impl TotpEnrolment {
    fn new(secret: String, otpauth_url: String) -> AppResult<TotpEnrolment> {
        let qr_svg = crate::qr::svg(&otpauth_url, 200)?;
        Ok(TotpEnrolment { secret, otpauth_url, qr_svg })
    }
}

fn make_totp(secret_b32: &str, username: &str) -> AppResult<TOTP> {
    let bytes = Secret::Encoded(secret_b32.to_string())
        .to_bytes()
        .map_err(|e| AppError::Internal(format!("totp secret: {e:?}")))?;
    TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes, Some("phongtrao".to_string()), username.to_string())
        .map_err(|e| AppError::Internal(format!("totp: {e}")))
}

/// The time-step (30-second period since the epoch) whose code `code` is, among the
/// current step and one on either side (clock skew); `None` when it is none of them.
fn totp_step(secret_b32: &str, username: &str, code: &str) -> Option<i64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = make_totp(secret_b32, username).ok()?;
    let now = u64::try_from(store::clock::now_secs()).ok()?;
    let step = now / 30;
    [step.saturating_sub(1), step, step + 1]
        .into_iter()
        .find(|s| tokens_match(&totp.generate(s * 30), code))
        .and_then(|s| i64::try_from(s).ok())
}

#[cfg(test)]
mod recovery_tests {
    use super::*;

    #[test]
    fn recovery_codes_are_typed_loosely_and_never_mistaken_for_totp() {
        let c = new_recovery_code();
        assert_eq!((c.len(), &c[5..6]), (11, "-"), "{c}");
        assert_eq!(recovery_code_typed(&c.to_lowercase().replace('-', " ")), Some(c.replace('-', "")));
        assert_eq!(recovery_code_typed("123456"), None, "a TOTP code is not one");
        assert_eq!(recovery_code_typed("ABCDE-FGHJ0"), None, "no zero in the alphabet");
        assert_eq!(recovery_code_typed("ABCDE-FGHJKL"), None);
    }
}

#[cfg(test)]
fn check_totp(secret_b32: &str, username: &str, code: &str) -> bool {
    totp_step(secret_b32, username, code).is_some()
}

/// Computes the current TOTP code for a secret (tests and the CLI use it).
pub fn current_totp(secret_b32: &str, username: &str) -> AppResult<String> {
    totp_at(secret_b32, username, 0)
}

/// The TOTP code of the time-step `offset` periods from now (−1, 0 or 1 are
/// accepted; tests use them to confirm and log in several times without waiting
/// for the next period, since each step logs in once).
pub fn totp_at(secret_b32: &str, username: &str, offset: i64) -> AppResult<String> {
    let now = u64::try_from(store::clock::now_secs()).map_err(|e| AppError::Internal(e.to_string()))?;
    let at = now.saturating_add_signed(30 * offset);
    Ok(make_totp(secret_b32, username)?.generate(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("Mật khẩu 2025").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("Mật khẩu 2025", &h));
        assert!(!verify_password("mật khẩu 2025", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn weak_passwords_are_refused() {
        assert!(validate_new_password("short1").is_err());
        assert!(validate_new_password("onlyletterslong").is_err());
        assert!(validate_new_password("Dai1234567").is_ok());
    }

    #[test]
    fn totp_codes_check() {
        let s = match Secret::generate_secret().to_encoded() {
            Secret::Encoded(s) => s,
            Secret::Raw(_) => unreachable!(),
        };
        let code = current_totp(&s, "u").expect("code");
        assert!(check_totp(&s, "u", &code));
        assert!(!check_totp(&s, "u", "12345"));
    }

    #[test]
    fn client_throttle_blocks_after_max() {
        let t = ClientThrottle::default();
        for _ in 0..3 {
            assert!(t.blocked_until("c", 3, 60_000).is_none());
            t.fail("c", 60_000);
        }
        assert!(t.blocked_until("c", 3, 60_000).is_some());
        assert!(t.blocked_until("other", 3, 60_000).is_none());
    }
}
