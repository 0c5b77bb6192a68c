//! Layered configuration: flags > environment > TOML file > defaults. Secrets
//! (database passwords inside URLs) are never printed.

use serde::Deserialize;
use tracing_subscriber::EnvFilter;

/// The annotated example configuration, embedded in the binary.
pub const EXAMPLE: &str = include_str!("../../../config/example.toml");

/// Default database: a SQLite file under ./data.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/phongtrao.db";
/// Default listen address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// Values from the optional file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Database URL.
    pub database_url: Option<String>,
    /// Listen address.
    pub listen: Option<String>,
    /// JSON logs.
    pub log_json: Option<bool>,
    /// Mark cookies Secure (behind TLS).
    pub secure_cookies: Option<bool>,
    /// Require TOTP for admin, ministry and province accounts.
    pub require_totp: Option<bool>,
    /// Largest import upload, in MiB.
    pub max_upload_mb: Option<usize>,
    /// Session lifetime in hours.
    pub session_hours: Option<i64>,
    /// Failed logins before an account locks.
    pub max_login_failures: Option<i64>,
    /// Lockout length in minutes.
    pub lockout_minutes: Option<i64>,
    /// SMTP relay for e-mail notices.
    pub smtp_url: Option<String>,
    /// Sender of e-mail notices.
    pub smtp_from: Option<String>,
    /// New public cases per client per minute (0: no limit).
    pub public_submissions_per_minute: Option<u32>,
    /// Key file sealing citizens' contact details and attachments.
    pub case_key_file: Option<String>,
    /// Days after closing before a case's personal data are purged.
    pub case_retention_days: Option<i64>,
    /// Reverse proxies (addresses or CIDR ranges) whose forwarded client address is believed.
    pub trusted_proxies: Option<Vec<String>>,
    /// Separate listen address of `/metrics`.
    pub metrics_listen: Option<String>,
    /// File the audit chain's head is appended to daily.
    pub audit_anchor_file: Option<String>,
    /// Recipient of the daily audit anchor.
    pub audit_anchor_email: Option<String>,
    /// The address citizens reach the system at, printed on certificates.
    pub public_url: Option<String>,
}

impl Settings {
    /// Reads the file when given (a missing or malformed file is an error).
    pub fn load(path: Option<&str>) -> Result<Settings, String> {
        let Some(path) = path else {
            return Ok(Settings::default());
        };
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read config {path}: {e}"))?;
        toml::from_str(&text).map_err(|e| format!("config {path}: {e}"))
    }

    /// Database URL: flag or environment, else file, else the default.
    pub fn database_url(&self, flag: Option<String>) -> String {
        flag.or_else(|| self.database_url.clone()).unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string())
    }

    /// Settings of the use-case layer.
    pub fn app_config(&self) -> app::AppConfig {
        let mut c = app::AppConfig::default();
        if let Some(v) = self.require_totp {
            c.require_totp = v;
        }
        if let Some(h) = self.session_hours {
            c.session_ttl_ms = h.max(1) * 3600 * 1000;
        }
        if let Some(n) = self.max_login_failures {
            c.max_login_failures = n.max(1);
        }
        if let Some(m) = self.lockout_minutes {
            c.lockout_ms = m.max(1) * 60 * 1000;
        }
        c.smtp_url = self.smtp_url.clone();
        if let Some(f) = &self.smtp_from {
            c.smtp_from = f.clone();
        }
        if let Some(n) = self.public_submissions_per_minute {
            c.public_submissions_per_minute = n;
        }
        if let Some(d) = self.case_retention_days {
            c.case_retention_days = d.max(1);
        }
        if let Some(u) = &self.public_url {
            c.public_url = u.clone();
        }
        c
    }

    /// The key file: flag, else file, else `case-keys.txt` beside a SQLite database
    /// (or under ./data for PostgreSQL).
    pub fn case_key_file(&self, flag: Option<String>, database_url: &str) -> std::path::PathBuf {
        if let Some(p) = flag.or_else(|| self.case_key_file.clone()) {
            return p.into();
        }
        let sqlite = database_url.strip_prefix("sqlite://").or_else(|| database_url.strip_prefix("sqlite:"));
        let dir = sqlite
            .map(|rest| rest.split('?').next().unwrap_or(rest))
            .and_then(|p| std::path::Path::new(p).parent().map(|d| d.to_path_buf()))
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or_else(|| "data".into());
        dir.join("case-keys.txt")
    }
}

/// Hides the password of a database URL for messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// Opens the store with a clear message when the URL cannot be used.
pub async fn open_store(url: &str) -> anyhow::Result<store::Store> {
    store::Store::connect(url).await.map_err(|e| anyhow::anyhow!("cannot open database {}: {e}", redact(url)))
}

/// Sets up logging (`RUST_LOG` filters; default info).
pub fn init_logging(json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=error"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_config_parses() {
        let s: Settings = toml::from_str(EXAMPLE).expect("example parses");
        assert_eq!(s.database_url.as_deref(), Some(DEFAULT_DATABASE_URL));
    }

    #[test]
    fn flags_win_over_file() {
        let s = Settings { database_url: Some("sqlite://file.db".into()), ..Default::default() };
        assert_eq!(s.database_url(Some("sqlite://flag.db".into())), "sqlite://flag.db");
        assert_eq!(s.database_url(None), "sqlite://file.db");
        assert_eq!(Settings::default().database_url(None), DEFAULT_DATABASE_URL);
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("sqlite://data/x.db"), "sqlite://data/x.db");
    }
}
