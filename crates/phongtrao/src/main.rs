//! `phongtrao`: one binary for the whole system. Subcommands: serve, migrate,
//! user, audit, demo, backup, bench. Configuration comes from flags, then the
//! environment (`PHONGTRAO_*`), then an optional TOML file, then defaults.

mod bench;
mod bench_figures;
mod bench_forces;
mod bench_http;
mod bench_intake;
mod bench_load;
mod bench_programme;
mod bench_setup;
mod config;
mod demo_cmd;
mod serve;

use std::io::Read;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Settings;

/// phongtrao — phong trào toàn dân bảo vệ an ninh Tổ quốc.
#[derive(Parser, Debug)]
#[command(name = "phongtrao", version, about)]
struct Cli {
    /// Optional TOML configuration file (see config/example.toml).
    #[arg(long, global = true, env = "PHONGTRAO_CONFIG")]
    config: Option<String>,
    /// Log as JSON lines.
    #[arg(long, global = true, env = "PHONGTRAO_LOG_JSON")]
    log_json: bool,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Serve the web application and API.
    Serve(serve::ServeArgs),
    /// Apply migrations and load the administrative units, then exit.
    Migrate(DbArg),
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        cmd: UserCmd,
    },
    /// Check the audit log.
    Audit {
        #[command(subcommand)]
        cmd: AuditCmd,
    },
    /// Load the demo dataset (or, with --scale national, synthetic national-scale data).
    Demo(demo_cmd::DemoArgs),
    /// Write a consistent copy of a SQLite database while it may be in use.
    Backup {
        #[command(flatten)]
        db: DbArg,
        /// Target file (must not exist).
        #[arg(long)]
        to: String,
    },
    /// Benchmarks on generated national-scale data, each against a bare baseline.
    Bench(bench::BenchArgs),
    /// Print the annotated example configuration.
    ExampleConfig,
}

/// `--database-url`.
#[derive(clap::Args, Debug, Clone)]
pub struct DbArg {
    /// sqlite://PATH (created if missing) or postgres://…
    #[arg(long, env = "PHONGTRAO_DATABASE_URL")]
    pub database_url: Option<String>,
}

#[derive(Subcommand, Debug)]
enum UserCmd {
    /// Create an account; the password is read from standard input.
    Create {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        username: String,
        /// admin | ministry | province | commune | organisation | viewer
        #[arg(long)]
        role: String,
        /// Unit code (VN, a province, a commune, an area).
        #[arg(long)]
        unit: Option<String>,
        /// Organisation id (for the organisation role).
        #[arg(long)]
        organisation: Option<i64>,
        /// Display name.
        #[arg(long)]
        name: Option<String>,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand, Debug)]
enum AuditCmd {
    /// Walk the hash chain; exit non-zero and name the entry when it is broken, or
    /// when the log no longer holds an anchored entry with its hash.
    Verify(VerifyArgs),
    /// Print the chain's head as ID:HASH (an anchor to keep outside the database).
    Head(DbArg),
}

/// Flags of `audit verify`.
#[derive(clap::Args, Debug)]
struct VerifyArgs {
    #[command(flatten)]
    db: DbArg,
    /// An anchor ID:HASH printed earlier by `audit head` (repeatable).
    #[arg(long)]
    anchor: Vec<String>,
    /// A file of anchors as the server appends them (`--audit-anchor-file`): every
    /// line's last word is ID:HASH.
    #[arg(long)]
    anchor_file: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("phongtrao: {e}");
            return ExitCode::from(2);
        }
    };
    config::init_logging(cli.log_json || settings.log_json.unwrap_or(false));
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("phongtrao: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli.cmd, settings)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("phongtrao: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cmd: Cmd, settings: Settings) -> anyhow::Result<ExitCode> {
    match cmd {
        Cmd::Serve(args) => serve::run(args, &settings).await,
        Cmd::Migrate(db) => {
            let store = config::open_store(&settings.database_url(db.database_url)).await?;
            let n = store.load_shipped_units().await?;
            store.load_unit_history().await?;
            let sets = app::App::new(store, settings.app_config()).load_shipped_criteria().await?;
            println!("migrations applied; {n} units loaded; {sets} criteria sets in place");
            Ok(ExitCode::SUCCESS)
        }
        Cmd::User { cmd: UserCmd::Create { db, username, role, unit, organisation, name, password_stdin } } => {
            let store = config::open_store(&settings.database_url(db.database_url)).await?;
            store.load_shipped_units().await?;
            if !password_stdin {
                anyhow::bail!("pass --password-stdin and the password on standard input");
            }
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']).to_string();
            let app = app::App::new(store, settings.app_config());
            let input = app::users::NewUserInput {
                username,
                display_name: name,
                password,
                role,
                unit_code: unit,
                organisation_id: organisation,
                email: None,
            };
            match app.create_user(None, &input).await {
                Ok(u) => {
                    println!("created user {} (id {}, role {})", u.username, u.id, u.role.as_str());
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("phongtrao: cannot create user: {}", describe(&e));
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Cmd::Audit { cmd: AuditCmd::Verify(args) } => {
            let mut anchors = Vec::new();
            let mut texts = args.anchor.clone();
            if let Some(path) = &args.anchor_file {
                let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("cannot read {path}: {e}"))?;
                texts.extend(text.lines().filter_map(|l| l.split_whitespace().last()).map(str::to_string));
            }
            for t in &texts {
                match domain::audit::Anchor::parse(t) {
                    Some(a) => anchors.push(a),
                    None => {
                        eprintln!("phongtrao: not an anchor (ID:HASH with 64 hex digits): {t}");
                        return Ok(ExitCode::from(2));
                    }
                }
            }
            let store = config::open_store(&settings.database_url(args.db.database_url)).await?;
            let report = store.verify_audit().await?;
            if let Some(p) = report.problem {
                eprintln!("audit log BROKEN after {} good entries: {p}", report.checked);
                return Ok(ExitCode::FAILURE);
            }
            let broken = store.check_anchors(&anchors).await?;
            if !broken.is_empty() {
                for b in &broken {
                    eprintln!("audit log BROKEN: {b}");
                }
                return Ok(ExitCode::FAILURE);
            }
            let (id, hash) = store.audit_head().await?;
            println!(
                "audit log intact: {} entries, head #{id} {hash}; {} anchor(s) hold",
                report.checked,
                anchors.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Audit { cmd: AuditCmd::Head(db) } => {
            let store = config::open_store(&settings.database_url(db.database_url)).await?;
            let (id, hash) = store.audit_head().await?;
            println!("{id}:{hash}");
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Demo(args) => demo_cmd::run(args, &settings).await,
        Cmd::Backup { db, to } => {
            let store = config::open_store(&settings.database_url(db.database_url)).await?;
            store.backup_to(&to).await?;
            println!("backup written to {to}");
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Bench(args) => bench::run(args, &settings).await,
        Cmd::ExampleConfig => {
            print!("{}", config::EXAMPLE);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Explains an application error in English for the command line.
fn describe(e: &app::AppError) -> String {
    match e {
        app::AppError::Validation(v) => v
            .errors
            .iter()
            .map(|f| format!("{}: {}", f.field, web::i18n::t(web::i18n::Lang::En, f.code)))
            .collect::<Vec<_>>()
            .join("; "),
        app::AppError::Conflict(c) | app::AppError::Forbidden(c) => web::i18n::t(web::i18n::Lang::En, c),
        other => other.to_string(),
    }
}
