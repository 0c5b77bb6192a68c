//! `phongtrao serve`: open the database (migrate, load units), optionally load the
//! demo dataset, and serve HTTP until SIGTERM or Ctrl-C, draining in-flight requests.

use std::process::ExitCode;

use crate::config::{open_store, Settings, DEFAULT_LISTEN};

/// Flags of `serve`.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "PHONGTRAO_LISTEN")]
    listen: Option<String>,
    #[command(flatten)]
    db: crate::DbArg,
    /// Load the clearly labelled demo dataset (if absent) and print its accounts.
    #[arg(long)]
    demo: bool,
    /// Mark cookies Secure (behind a TLS proxy).
    #[arg(long, env = "PHONGTRAO_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Require TOTP for admin, ministry and province accounts (default true).
    #[arg(long, env = "PHONGTRAO_REQUIRE_TOTP")]
    require_totp: Option<bool>,
    /// SMTP relay for e-mail notices, smtp://host[:port] (none: notices in the app only).
    #[arg(long, env = "PHONGTRAO_SMTP_URL")]
    smtp_url: Option<String>,
    /// New public cases allowed per client per minute (0 = no limit; default 10: many citizens share one address behind mobile carrier NAT).
    #[arg(long, env = "PHONGTRAO_PUBLIC_SUBMISSIONS_PER_MINUTE")]
    public_submissions_per_minute: Option<u32>,
    /// Key file sealing citizens' contact details (created when missing; default
    /// `case-keys.txt` beside the SQLite database, or ./data for PostgreSQL).
    #[arg(long, env = "PHONGTRAO_CASE_KEY_FILE")]
    case_key_file: Option<String>,
    /// Seconds between two runs of the job queue worker.
    #[arg(long, default_value_t = 30)]
    job_interval_seconds: u64,
    /// A reverse proxy (address or CIDR range; repeat, or separate with commas) whose
    /// `Forwarded` / `X-Forwarded-For` client address is believed. None by default:
    /// the TCP peer is the client.
    #[arg(long = "trusted-proxy", env = "PHONGTRAO_TRUSTED_PROXY", value_delimiter = ',')]
    trusted_proxy: Vec<String>,
    /// Address of a separate listener serving `/metrics` (Prometheus); the main
    /// listener never serves it. None by default: no metrics endpoint.
    #[arg(long, env = "PHONGTRAO_METRICS_LISTEN")]
    metrics_listen: Option<String>,
    /// File the audit chain's head (ID:HASH) is appended to at start and daily;
    /// keep it where the database's writer cannot change it (append-only, another host).
    #[arg(long, env = "PHONGTRAO_AUDIT_ANCHOR_FILE")]
    audit_anchor_file: Option<String>,
    /// Recipient of the daily audit anchor by e-mail (needs --smtp-url).
    #[arg(long, env = "PHONGTRAO_AUDIT_ANCHOR_EMAIL")]
    audit_anchor_email: Option<String>,
}

/// Runs the server.
pub async fn run(args: ServeArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let url = settings.database_url(args.db.database_url.clone());
    let store = open_store(&url).await?;
    let loaded = store.load_shipped_units().await?;
    if loaded > 0 {
        tracing::info!(units = loaded, "administrative units loaded");
    }
    let history = store.load_unit_history().await?;
    if history > 0 {
        tracing::info!(units = history, "units before 1 July 2025 loaded with their successors");
    }
    let interrupted = store.interrupt_running_jobs().await?;
    if interrupted > 0 {
        tracing::warn!(jobs = interrupted, "import jobs interrupted by the previous stop were marked as such");
    }
    let mut app_config = settings.app_config();
    if let Some(v) = args.require_totp {
        app_config.require_totp = v;
    }
    if args.smtp_url.is_some() {
        app_config.smtp_url = args.smtp_url.clone();
    }
    if let Some(n) = args.public_submissions_per_minute {
        app_config.public_submissions_per_minute = n;
    }
    let key_path = settings.case_key_file(args.case_key_file.clone(), &url);
    let (sealer, created) =
        app::sealing::Sealer::load_or_create(&key_path).map_err(|e| anyhow::anyhow!("case key file {e}"))?;
    let app = app::App::new(store, app_config).with_sealer(sealer);
    app.load_shipped_criteria().await?;
    let accounts = if args.demo { Some(app::demo::load_demo(&app).await?) } else { None };
    let anchors = app::audit_anchor::AnchorTargets {
        file: args.audit_anchor_file.clone().or_else(|| settings.audit_anchor_file.clone()).map(Into::into),
        email: args.audit_anchor_email.clone().or_else(|| settings.audit_anchor_email.clone()),
    };
    // The first anchor before the first request: a rewrite between starts shows.
    if anchors.any() {
        match app.publish_audit_anchor(&anchors).await {
            Ok(a) => tracing::info!(anchor = %a, "audit anchor published"),
            Err(e) => tracing::error!(error = %e, "audit anchor"),
        }
    }
    let listen = args.listen.clone().or_else(|| settings.listen.clone()).unwrap_or_else(|| DEFAULT_LISTEN.to_string());
    let listener =
        tokio::net::TcpListener::bind(&listen).await.map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
    let addr = listener.local_addr()?;
    let mut proxies = args.trusted_proxy.clone();
    proxies.extend(settings.trusted_proxies.clone().unwrap_or_default());
    let trusted_proxies =
        web::client_addr::parse_trusted(&proxies).map_err(|e| anyhow::anyhow!("--trusted-proxy: {e}"))?;
    let web_config = web::WebConfig {
        secure_cookies: args.secure_cookies || settings.secure_cookies.unwrap_or(false),
        max_upload_bytes: settings.max_upload_mb.unwrap_or(200) * 1024 * 1024,
        trusted_proxies,
        ..Default::default()
    };
    let metrics_listen = args.metrics_listen.clone().or_else(|| settings.metrics_listen.clone());
    let metrics = match metrics_listen {
        Some(m) => {
            let l = tokio::net::TcpListener::bind(&m)
                .await
                .map_err(|e| anyhow::anyhow!("cannot listen on {m} for metrics: {e}"))?;
            let maddr = l.local_addr()?;
            tracing::info!(%maddr, "metrics listening");
            Some((maddr, tokio::spawn(web::serve_metrics(l, app.clone(), web_config.clone()))))
        }
        None => None,
    };
    println!("phongtrao đang chạy tại / is running at http://{addr}/");
    if let Some((maddr, _)) = &metrics {
        println!("số liệu vận hành / metrics: http://{maddr}/metrics");
    }
    println!("cơ sở dữ liệu / database: {}", crate::config::redact(&url));
    if created {
        println!("đã tạo khóa mã hóa / created the sealing key: {} (sao lưu cùng cơ sở dữ liệu / back it up with the database)", key_path.display());
    }
    if let Some(accounts) = accounts {
        println!();
        crate::demo_cmd::print_accounts(&accounts);
    }
    let today = store::clock::today();
    let scheduled = app.schedule_reminders(chrono::Datelike::year(&today), today).await?;
    tracing::info!(scheduled, "campaign reminders scheduled");
    let worker = spawn_worker(app.clone(), std::time::Duration::from_secs(args.job_interval_seconds.max(1)), anchors);
    tracing::info!(%addr, "listening");
    web::serve(listener, app.clone(), web_config, shutdown_signal()).await?;
    worker.abort();
    if let Some((_, m)) = metrics {
        m.abort();
    }
    app.store.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Runs due jobs every `every` until the task is aborted at shutdown. A job cut off
/// mid-way stays claimed until its lock expires and then runs again.
/// The audit chain's head is published once a day (and at start, before listening).
const ANCHOR_EVERY: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

fn spawn_worker(
    app: app::App,
    every: std::time::Duration,
    anchors: app::audit_anchor::AnchorTargets,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        let mut anchored = std::time::Instant::now();
        let mut scheduled_day = None;
        loop {
            tick.tick().await;
            if anchors.any() && anchored.elapsed() >= ANCHOR_EVERY {
                match app.publish_audit_anchor(&anchors).await {
                    Ok(a) => {
                        tracing::info!(anchor = %a, "audit anchor published");
                        anchored = std::time::Instant::now();
                    }
                    Err(e) => tracing::error!(error = %e, "audit anchor"),
                }
            }
            let now = store::clock::now_ms();
            if let Err(e) = app.schedule_escalations(now).await {
                tracing::error!(error = %e, "case escalation scheduling");
            }
            if let Err(e) = app.schedule_case_warnings(now).await {
                tracing::error!(error = %e, "case warning scheduling");
            }
            // Once a day (and at start): the working year's reminders and escalations.
            let day = domain::clock::vietnam_date_ms(now);
            if scheduled_day != Some(day) {
                if let Err(e) = app.apply_due_unit_retirements().await {
                    tracing::error!(error = %e, "unit retirements");
                }
                match app.schedule_working_year_jobs(now).await {
                    Ok(_) => scheduled_day = Some(day),
                    Err(e) => tracing::error!(error = %e, "working-year job scheduling"),
                }
            }
            if let Err(e) = app.purge_expired_personal_data(now).await {
                tracing::error!(error = %e, "case retention purge");
            }
            if let Err(e) = app.run_due_jobs(now).await {
                tracing::error!(error = %e, "job worker");
            }
        }
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown signal received; draining requests");
}
