//! Use cases of phongtrao: one function per thing a user does. Each takes the
//! acting user ([`Actor`]), checks scope and permission, runs in one transaction
//! and appends to the audit log.

pub mod actor;
pub mod assessments;
pub mod audit_anchor;
pub mod auth;
pub mod award_catalogue;
pub mod awards;
pub mod cached;
pub mod calendar;
pub mod campaigns;
pub mod case_texts;
pub mod cases;
pub mod criteria_sets;
pub mod dan_van_kheo;
pub mod dashboard;
pub mod deadline_rules;
pub mod demo;
pub mod demo_forces;
pub mod demo_national;
pub mod demo_national_forces;
pub mod demo_programme;
pub mod demo_working_year;
pub mod directives;
pub mod documents;
pub mod error;
pub mod events;
pub mod export;
pub mod figures;
pub mod forces;
pub mod funding;
pub mod honour_roll;
pub mod import;
pub mod import_jobs;
pub mod inspections;
pub mod jobs;
pub mod key_areas;
pub mod models;
pub mod organisations;
pub mod past_figures;
pub mod proposals;
pub mod province_criteria;
pub mod qr;
pub mod registrations;
pub mod report_documents;
pub mod reports;
pub mod scope;
pub mod score_sheets;
pub mod sealing;
pub mod spreadsheet;
pub mod statistics;
pub mod tasks;
pub mod team_ratings;
pub mod todo;
pub mod trainings;
pub mod unit_lifecycle;
pub mod units;
pub mod uploads;
pub mod users;
pub mod working_year_exports;
pub mod working_year_files;
pub mod working_year_jobs;

pub use actor::Actor;
pub use error::{AppError, RowError};

use std::sync::Arc;

use store::Store;

/// Settings the use cases need.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Require admin, ministry and province accounts to enrol TOTP before anything else.
    pub require_totp: bool,
    /// Session lifetime in milliseconds.
    pub session_ttl_ms: i64,
    /// Failed logins of one client on one account before that client is locked out
    /// of that account (the owner on another client is not).
    pub max_login_failures: i64,
    /// How long such a lock lasts, in milliseconds (also the window of the counts).
    pub lockout_ms: i64,
    /// Failed logins allowed per client within [`AppConfig::client_window_ms`].
    pub client_max_failures: u32,
    /// Window for per-client login throttling, in milliseconds.
    pub client_window_ms: i64,
    /// SMTP server for e-mail notices (`smtp://host:25`); none: in-app only.
    pub smtp_url: Option<String>,
    /// Sender address of e-mail notices.
    pub smtp_from: String,
    /// New public cases allowed per client per minute (0: no limit).
    pub public_submissions_per_minute: u32,
    /// Days after closing during which the citizen may reopen a case.
    pub case_reopen_days: i64,
    /// Days after closing after which a case's personal data are purged.
    pub case_retention_days: i64,
    /// The address citizens reach this system at (`https://phongtrao.example.vn`):
    /// printed, as a QR code, on certificates for their public check.
    pub public_url: String,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            require_totp: true,
            session_ttl_ms: 12 * 3600 * 1000,
            max_login_failures: 5,
            lockout_ms: 15 * 60 * 1000,
            client_max_failures: 20,
            client_window_ms: 15 * 60 * 1000,
            smtp_url: None,
            smtp_from: "phongtrao@localhost".to_string(),
            public_submissions_per_minute: 10,
            case_reopen_days: 30,
            case_retention_days: 5 * 365,
            public_url: "http://127.0.0.1:8080".to_string(),
        }
    }
}

/// The application: the store, the settings and the in-memory login throttle.
#[derive(Clone)]
pub struct App {
    /// Storage.
    pub store: Store,
    /// Settings.
    pub config: AppConfig,
    throttle: Arc<auth::ClientThrottle>,
    login_guard: Arc<auth::LoginGuard>,
    /// Keys sealing citizens' personal data.
    pub sealer: Arc<sealing::Sealer>,
    pub(crate) cases: Arc<cases::CaseRuntime>,
    calendar_cache: Arc<cached::Cached<Arc<domain::calendar::WorkCalendar>>>,
    parses: Arc<uploads::ParseQueue>,
    figures: Arc<figures::FiguresMemo>,
    units_memo: Arc<figures::FiguresMemo>,
}

impl App {
    /// Builds the application over an opened store.
    pub fn new(store: Store, config: AppConfig) -> App {
        App {
            store,
            config,
            throttle: Arc::new(auth::ClientThrottle::default()),
            login_guard: Arc::default(),
            sealer: Arc::new(sealing::Sealer::ephemeral()),
            cases: Arc::new(cases::CaseRuntime::default()),
            calendar_cache: Arc::default(),
            parses: Arc::default(),
            figures: Arc::new(figures::FiguresMemo::figures()),
            units_memo: Arc::new(figures::FiguresMemo::units()),
        }
    }

    /// The same application with the keys from a key file (see [`sealing`]).
    pub fn with_sealer(mut self, sealer: sealing::Sealer) -> App {
        self.sealer = Arc::new(sealer);
        self
    }
}

/// Serialises a value for the audit log.
pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_string())
}
