//! `phongtrao demo`: the small demo dataset, or synthetic national-scale data.

use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};

use crate::config::{open_store, Settings};

/// Flags of `demo`.
#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    #[command(flatten)]
    db: crate::DbArg,
    /// `national`: about 1,000,000 organisations and 100,000 residential areas.
    #[arg(long)]
    scale: Option<String>,
    /// Number of organisations at national scale.
    #[arg(long, default_value_t = 1_000_000)]
    organisations: u64,
    /// Seed of the deterministic generator.
    #[arg(long, default_value_t = 2025)]
    seed: u64,
    /// Progress reports per commune assignment of the national programme.
    #[arg(long, default_value_t = 12)]
    programme_reports: usize,
}

/// A terminal progress bar.
pub fn progress_bar(total: u64, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta})") {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(what.to_string());
    pb
}

/// Prints the demo accounts, clearly labelled as demo data.
pub fn print_accounts(accounts: &[app::demo::DemoAccount]) {
    println!("DỮ LIỆU MẪU / DEMO DATA — tài khoản thử nghiệm / demo accounts:");
    println!("  {:<20} {:<24} {:<13} scope", "username", "password", "role");
    for a in accounts {
        println!("  {:<20} {:<24} {:<13} {}", a.username, a.password, a.role, a.scope);
    }
    println!("  (admin, ministry, province: enrol TOTP at first login / đăng ký TOTP khi đăng nhập lần đầu)");
}

/// Runs the command.
pub async fn run(args: DemoArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let store = open_store(&settings.database_url(args.db.database_url)).await?;
    store.load_shipped_units().await?;
    store.load_unit_history().await?;
    let app = app::App::new(store, settings.app_config());
    app.load_shipped_criteria().await?;
    let accounts = app::demo::load_demo(&app).await?;
    print_accounts(&accounts);
    match args.scale.as_deref() {
        None => {}
        Some("national") => {
            let pb = progress_bar(1, "national data");
            let t0 = std::time::Instant::now();
            app::demo::load_national(&app, args.organisations, args.seed, &|done, total| {
                pb.set_length(total);
                pb.set_position(done);
            })
            .await?;
            pb.finish();
            println!("national-scale units and organisations loaded in {:.1} s", t0.elapsed().as_secs_f64());
            let t1 = std::time::Instant::now();
            let pb = progress_bar(1, "assessments");
            let this_year = store::clock::current_year();
            let n = app::demo_national::load_national_assessments(
                &app,
                &[this_year - 1, this_year],
                args.seed,
                &|done, total| {
                    pb.set_length(total);
                    pb.set_position(done);
                },
            )
            .await?;
            pb.finish();
            println!(
                "{n} synthetic assessments (two years: safe-unit recognition of every commune, residential area and organisation; movement classification of every commune and residential area), with models, evaluations, key-area decisions and criterion 19, loaded in {:.1} s",
                t1.elapsed().as_secs_f64()
            );
            let t2 = std::time::Instant::now();
            let c =
                app::demo_programme::load_national_programme(&app, this_year, args.programme_reports.max(1), args.seed)
                    .await?;
            println!(
                "the national programme of {this_year}: {} tasks (14 of the ministry, each passed to every commune by its province), {} assignments, {} progress reports, in {:.1} s",
                c.tasks,
                c.assignments,
                c.reports,
                t2.elapsed().as_secs_f64()
            );
        }
        Some(other) => anyhow::bail!("unknown --scale {other} (use: national)"),
    }
    Ok(ExitCode::SUCCESS)
}
