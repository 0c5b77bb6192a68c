//! `phongtrao bench`: measured against baselines in the same run.
//!
//! 1. Import of a generated organisations CSV (full validation, scope check,
//!    audit) versus the `sqlite3` shell's `.import` of the same file into a bare table.
//! 2. Scoped organisation search at national scale versus the equivalent bare SQL
//!    query on the same rows through a plain SQLite connection.
//! 3. The national dashboard's figures endpoint versus the bare SQL aggregates
//!    (`bench_figures`), 4. public intake over HTTP (`bench_intake`).
//!
//! Medians of several runs are reported; nothing here asserts a timing.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::SeedableRng;
use sqlx::Row;

use crate::bench_setup::{median, remove_db, reset_postgres};
use crate::config::Settings;

/// Flags of `bench`.
#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Rows in the generated organisations CSV.
    #[arg(long, default_value_t = 1_000_000)]
    rows: u64,
    /// Runs of each import (the median is reported).
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Repetitions of each search case.
    #[arg(long, default_value_t = 15)]
    search_reps: usize,
    /// Working directory for generated files and databases.
    #[arg(long, default_value = "target/bench")]
    dir: PathBuf,
    /// Acknowledged submissions per run of the intake suite.
    #[arg(long, default_value_t = 4000)]
    intake_cases: usize,
    /// Concurrent HTTP clients of the intake suite (a sweep: one measurement each).
    #[arg(long, value_delimiter = ',', default_value = "16,64,256")]
    intake_clients: Vec<usize>,
    /// Database of the intake suite (default: a fresh SQLite file per run under --dir);
    /// e.g. an empty PostgreSQL database.
    #[arg(long)]
    intake_database_url: Option<String>,
    /// A PostgreSQL database the import suite may wipe (its `public` schema is dropped
    /// and recreated before each run): adds our import there and, as its baseline,
    /// `psql`'s `\copy` of the same file into a bare table.
    #[arg(long)]
    import_database_url: Option<String>,
    /// Which suites to run: all, import, movement, intake, programme, load, forces.
    #[arg(long, default_value = "all")]
    suite: String,
    /// Scales of the movement suite, as multiples of the national dataset
    /// (1,000,000 organisations, about 100,000 residential areas, 3,321 communes).
    #[arg(long, value_delimiter = ',', default_value = "1,10")]
    movement_scales: Vec<f64>,
    /// A PostgreSQL database the movement suite may wipe: runs every scale there too.
    #[arg(long)]
    movement_database_url: Option<String>,
    /// With --movement-database-url: run the movement suite on PostgreSQL only.
    #[arg(long)]
    movement_postgres_only: bool,
    /// Keep-alive clients of the load suite.
    #[arg(long, default_value_t = 50)]
    load_clients: usize,
    /// Seconds each target of the load suite is measured.
    #[arg(long, default_value_t = 10)]
    load_seconds: u64,
}

fn communes() -> anyhow::Result<Vec<(String, String)>> {
    let mut v: Vec<(String, String)> = store::units_csv::rows()?
        .into_iter()
        .filter(|r| r.level == "commune")
        .map(|r| (r.code, r.parent_code))
        .collect();
    v.sort();
    Ok(v)
}

/// Writes `rows` deterministic organisations as `name,kind,unit_code`.
fn write_csv(path: &Path, rows: u64) -> anyhow::Result<()> {
    let communes = communes()?;
    let mut rng = StdRng::seed_from_u64(7);
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(std::fs::File::create(path)?));
    w.write_record(["name", "kind", "unit_code"])?;
    for i in 0..rows {
        let (o, _) = app::demo::synthetic_org(&mut rng, i, &communes);
        w.write_record([o.name.as_str(), o.kind.as_str(), o.unit_code.as_str()])?;
    }
    w.flush()?;
    Ok(())
}

/// Times `sqlite3 DB` running `.import` of the CSV into a bare table.
fn bare_import(dir: &Path, csv_path: &Path) -> anyhow::Result<Duration> {
    let db = dir.join("bare.db");
    remove_db(&db);
    let start = Instant::now();
    let mut child = std::process::Command::new("sqlite3")
        .arg(&db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()?;
    if let Some(stdin) = child.stdin.as_mut() {
        writeln!(
            stdin,
            "CREATE TABLE bare (name TEXT, kind TEXT, unit_code TEXT);\n.mode csv\n.import --skip 1 {} bare",
            csv_path.display()
        )?;
    }
    let status = child.wait()?;
    let t = start.elapsed();
    anyhow::ensure!(status.success(), "sqlite3 .import failed");
    Ok(t)
}

/// Times the `sqlite3` shell copying the bare table into phongtrao's own schema
/// (same columns, its one index kept live, rows presorted in the index's order as
/// the import sorts them; SQLite's per-row foreign-key check off and no checkpoint
/// in the commit, as in the import): the cost of the schema alone, with no parsing
/// or validation in Rust. The sorted copy is prepared untimed.
async fn schema_floor(dir: &Path) -> anyhow::Result<Duration> {
    let db = dir.join("floor.db");
    remove_db(&db);
    let store = store::Store::connect(&format!("sqlite://{}", db.display())).await?;
    store.load_shipped_units().await?;
    store.close().await;
    let bare = dir.join("bare.db");
    let prepare = format!(
        "ATTACH '{}' AS b;\nCREATE TABLE temp.sorted AS SELECT b.name, lower(b.name) AS name_fold, b.kind, b.unit_code, u.province_code \
         FROM b.bare b JOIN units u ON u.code = b.unit_code ORDER BY 5, 4, 2;\n",
        bare.display()
    );
    let timed = "BEGIN;\nINSERT INTO organisations (name, name_fold, kind, unit_code, province_code, managed_by_province, created_at, updated_at) \
         SELECT name, name_fold, kind, unit_code, province_code, 0, 0, 0 FROM temp.sorted ORDER BY rowid;\nCOMMIT;\n";
    let mut child = std::process::Command::new("sqlite3")
        .arg(&db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()?;
    if let Some(stdin) = child.stdin.as_mut() {
        // The shell reports the timed statements' wall time itself.
        write!(
            stdin,
            ".timeout 10000\nPRAGMA cache_size = -131072;\nPRAGMA wal_autocheckpoint = 0;\n{prepare}.timer on\n{timed}"
        )?;
    }
    drop(child.stdin.take());
    let out = child.wait_with_output()?;
    anyhow::ensure!(out.status.success(), "sqlite3 schema floor failed");
    let secs: f64 = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("Run Time: real "))
        .filter_map(|l| l.split_whitespace().next()?.parse::<f64>().ok())
        .sum();
    remove_db(&db);
    Ok(Duration::from_secs_f64(secs))
}

async fn admin_actor(app: &app::App) -> anyhow::Result<app::Actor> {
    let input = app::users::NewUserInput {
        username: "bench.admin".into(),
        display_name: None,
        password: "Bench-admin-2025".into(),
        role: "admin".into(),
        unit_code: Some("VN".into()),
        organisation_id: None,
        email: None,
    };
    let u = match app.store.user_by_username("bench.admin").await {
        Ok(u) => u,
        Err(_) => app.create_user(None, &input).await?,
    };
    Ok(app.actor_for(&u, String::new(), "bench".into()).await?)
}

/// An import's time until its result is committed, and the time the store then
/// spent on background work (the SQLite WAL checkpoint) before it could close.
#[derive(Clone, Copy)]
struct ImportTime {
    committed: Duration,
    settled: Duration,
}

/// Times our import of the CSV into the empty database at `url` (setup not timed):
/// read, parse, check, store, audit; then the wait for the store's background work.
async fn timed_import(url: &str, csv_path: &Path, settings: &Settings) -> anyhow::Result<ImportTime> {
    let store = store::Store::connect(url).await?;
    store.load_shipped_units().await?;
    let app = app::App::new(store, settings.app_config());
    let actor = admin_actor(&app).await?;
    let start = Instant::now();
    let bytes = std::fs::read(csv_path)?;
    let table = app::import::Table::from_csv(&bytes)?;
    let n = app.import_organisations(&actor, &table, &bytes).await?;
    let committed = start.elapsed();
    app.store.settle().await;
    let settled = start.elapsed() - committed;
    anyhow::ensure!(n == table.len(), "imported {n} of {}", table.len());
    app.store.close().await;
    Ok(ImportTime { committed, settled })
}

/// Times our import of the CSV into a fresh SQLite file, which is kept for the search bench.
async fn our_import(
    dir: &Path,
    csv_path: &Path,
    run: usize,
    settings: &Settings,
) -> anyhow::Result<(ImportTime, PathBuf)> {
    let db = dir.join(format!("ours-{run}.db"));
    remove_db(&db);
    let t = timed_import(&format!("sqlite://{}", db.display()), csv_path, settings).await?;
    Ok((t, db))
}

/// Times `psql`'s `\copy` of the CSV into a bare table of a wiped database.
async fn bare_copy_postgres(url: &str, csv_path: &Path) -> anyhow::Result<Duration> {
    reset_postgres(url).await?;
    let script = format!(
        "CREATE TABLE bare (name TEXT, kind TEXT, unit_code TEXT);\n\\copy bare FROM '{}' WITH (FORMAT csv, HEADER true)\n",
        csv_path.display()
    );
    let start = Instant::now();
    let mut child = std::process::Command::new("psql")
        .args([url, "-q", "-v", "ON_ERROR_STOP=1"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()?;
    if let Some(stdin) = child.stdin.as_mut() {
        stdin.write_all(script.as_bytes())?;
    }
    drop(child.stdin.take());
    let status = child.wait()?;
    let t = start.elapsed();
    anyhow::ensure!(status.success(), "psql \\copy failed");
    Ok(t)
}

/// Times our import of the CSV into a wiped PostgreSQL database (setup not timed).
async fn our_import_postgres(url: &str, csv_path: &Path, settings: &Settings) -> anyhow::Result<Duration> {
    reset_postgres(url).await?;
    Ok(timed_import(url, csv_path, settings).await?.committed)
}

/// The PostgreSQL half of the import suite.
async fn postgres_import_bench(
    args: &BenchArgs,
    url: &str,
    csv_path: &Path,
    settings: &Settings,
) -> anyhow::Result<()> {
    let (mut bare, mut ours) = (Vec::new(), Vec::new());
    for _ in 0..args.runs {
        bare.push(bare_copy_postgres(url, csv_path).await?);
        ours.push(our_import_postgres(url, csv_path, settings).await?);
    }
    reset_postgres(url).await?;
    let rows = args.rows as f64;
    let (o, b) = (median(ours.clone()), median(bare.clone()));
    let secs = |v: &[Duration]| v.iter().map(|d| format!("{:.2}", d.as_secs_f64())).collect::<Vec<_>>();
    println!("\n## import on PostgreSQL");
    println!(
        "phongtrao import: median {:.2} s = {:.0} rows/s  (runs: {:?})",
        o.as_secs_f64(),
        rows / o.as_secs_f64(),
        secs(&ours)
    );
    println!(
        "psql \\copy into a bare table: median {:.2} s = {:.0} rows/s  (runs: {:?})",
        b.as_secs_f64(),
        rows / b.as_secs_f64(),
        secs(&bare)
    );
    println!("ratio (ours / bare rate): {:.2}x", b.as_secs_f64() / o.as_secs_f64());
    Ok(())
}

/// Runs the benchmarks and prints a report.
pub async fn run(args: BenchArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(&args.dir)?;
    if args.suite == "movement" {
        movement_suite(&args, settings).await?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.suite == "intake" {
        intake_suite(&args).await?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.suite == "load" {
        crate::bench_load::run(&args.dir, args.load_clients, args.load_seconds, settings).await?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.suite == "forces" {
        crate::bench_forces::run(&args.dir, args.search_reps, args.movement_database_url.as_deref(), settings).await?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.suite == "programme" {
        crate::bench_programme::run(&args.dir, args.search_reps, args.movement_database_url.as_deref(), settings)
            .await?;
        return Ok(ExitCode::SUCCESS);
    }
    let csv_path = args.dir.join("organisations.csv");
    println!("# phongtrao bench — {} rows, {} runs (median)", args.rows, args.runs);
    let t = Instant::now();
    write_csv(&csv_path, args.rows)?;
    let size = std::fs::metadata(&csv_path)?.len();
    println!("generated {} ({:.1} MB) in {:.1} s", csv_path.display(), size as f64 / 1e6, t.elapsed().as_secs_f64());

    let mut bare = Vec::new();
    let mut floor = Vec::new();
    let mut ours = Vec::new();
    let mut settled = Vec::new();
    let mut last_db = None;
    for run in 0..args.runs {
        match bare_import(&args.dir, &csv_path) {
            Ok(d) => bare.push(d),
            Err(e) => println!("baseline unavailable ({e}); install the sqlite3 shell"),
        }
        if !bare.is_empty() {
            floor.push(schema_floor(&args.dir).await?);
        }
        let (d, db) = our_import(&args.dir, &csv_path, run, settings).await?;
        ours.push(d.committed);
        settled.push(d.settled);
        if let Some(prev) = last_db.replace(db) {
            remove_db(&prev);
        }
    }
    let rows = args.rows as f64;
    let ours_m = median(ours.clone());
    let ours_rate = rows / ours_m.as_secs_f64();
    println!("\n## import");
    println!(
        "phongtrao import (parse, validate, scope, insert, audit): median {:.2} s = {:.0} rows/s  (runs: {:?})",
        ours_m.as_secs_f64(),
        ours_rate,
        ours.iter().map(|d| format!("{:.2}", d.as_secs_f64())).collect::<Vec<_>>()
    );
    println!(
        "  then the WAL checkpoint in the background (rows already committed and readable): median {:.2} s",
        median(settled).as_secs_f64()
    );
    if !bare.is_empty() {
        let bare_m = median(bare.clone());
        let bare_rate = rows / bare_m.as_secs_f64();
        println!(
            "sqlite3 .import into a bare table:                     median {:.2} s = {:.0} rows/s  (runs: {:?})",
            bare_m.as_secs_f64(),
            bare_rate,
            bare.iter().map(|d| format!("{:.2}", d.as_secs_f64())).collect::<Vec<_>>()
        );
        println!("ratio (ours / bare rate): {:.2}x  (goal ≥ 0.50x)", ours_rate / bare_rate);
        let floor_m = median(floor.clone());
        let floor_rate = rows / floor_m.as_secs_f64();
        println!(
            "sqlite3 copying the bare table into phongtrao's schema (presorted, 1 index, folded names): median {:.2} s = {:.0} rows/s",
            floor_m.as_secs_f64(),
            floor_rate
        );
        println!(
            "ratio (schema floor / bare rate): {:.2}x — the best any import into this schema can do; ours / floor: {:.2}x",
            floor_rate / bare_rate,
            ours_rate / floor_rate
        );
    }

    if let Some(url) = args.import_database_url.as_deref() {
        postgres_import_bench(&args, url, &csv_path, settings).await?;
    }
    if let Some(db) = last_db {
        search_bench(&db, args.search_reps, settings).await?;
    }
    if args.suite == "all" {
        movement_suite(&args, settings).await?;
        intake_suite(&args).await?;
        crate::bench_programme::run(&args.dir, args.search_reps, args.movement_database_url.as_deref(), settings)
            .await?;
        crate::bench_load::run(&args.dir, args.load_clients, args.load_seconds, settings).await?;
        crate::bench_forces::run(&args.dir, args.search_reps, args.movement_database_url.as_deref(), settings).await?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The movement suite with this run's flags.
async fn movement_suite(args: &BenchArgs, settings: &Settings) -> anyhow::Result<()> {
    let pg = args.movement_database_url.as_deref();
    let sqlite = !(args.movement_postgres_only && pg.is_some());
    crate::bench_figures::run(&args.dir, &args.movement_scales, args.search_reps, sqlite, pg, settings).await
}

/// The intake suite with this run's flags.
async fn intake_suite(args: &BenchArgs) -> anyhow::Result<()> {
    let url = args.intake_database_url.as_deref();
    crate::bench_intake::run(&args.dir, url, args.intake_cases, &args.intake_clients, args.runs).await
}

/// Scoped search through the application versus the bare equivalent query.
async fn search_bench(db: &Path, reps: usize, settings: &Settings) -> anyhow::Result<()> {
    let url = format!("sqlite://{}", db.display());
    let store = store::Store::connect(&url).await?;
    let app = app::App::new(store, settings.app_config());
    let bare = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite://{}", db.display()))
        .await?;
    let total: i64 = sqlx::query("SELECT COUNT(*) FROM organisations").fetch_one(&bare).await?.try_get(0)?;
    println!("\n## scoped organisation search over {total} organisations (page of 50 + total count)");
    let cases: Vec<(&str, domain::Scope, Option<&str>)> = vec![
        ("commune, no text", domain::Scope::Commune("00004".into()), None),
        ("commune, 'truong thcs'", domain::Scope::Commune("00004".into()), Some("truong thcs")),
        ("province, 'hung vuong'", domain::Scope::Province("01".into()), Some("hung vuong")),
        ("province, no text", domain::Scope::Province("79".into()), None),
        ("nation, 'dong tam 12'", domain::Scope::Nation, Some("dong tam 12")),
    ];
    let base_actor = admin_actor(&app).await?;
    println!("{:<28} {:>12} {:>12} {:>8} {:>8}", "case", "ours (ms)", "bare (ms)", "ratio", "rows");
    for (label, scope, q) in cases {
        let actor = app::Actor { scope: scope.clone(), ..base_actor.clone() };
        let f =
            store::organisations::OrgFilter { q: q.map(str::to_string), limit: 50, offset: 0, ..Default::default() };
        // The bare query is told the commune's province (looked up untimed), so it
        // can use the index as well as ours does.
        let (cond, code) = match &scope {
            domain::Scope::Commune(c) => {
                let p: String = sqlx::query("SELECT province_code FROM units WHERE code = ?1")
                    .bind(c)
                    .fetch_one(&bare)
                    .await?
                    .try_get(0)?;
                (format!("province_code = '{p}' AND unit_code = ?1"), c.clone())
            }
            domain::Scope::Province(p) => ("province_code = ?1".to_string(), p.clone()),
            _ => ("'1' = ?1".to_string(), "1".to_string()),
        };
        let like = format!("%{}%", q.map(domain::text::fold).unwrap_or_default());
        let count_sql = format!("SELECT COUNT(*) FROM organisations WHERE {cond} AND name_fold LIKE ?2");
        let page_sql = format!("SELECT id, name, kind, unit_code FROM organisations WHERE {cond} AND name_fold LIKE ?2 ORDER BY province_code, unit_code, name_fold, id LIMIT 50");
        let mut ours = Vec::new();
        let mut base = Vec::new();
        let mut n = 0;
        for _ in 0..reps {
            let t = Instant::now();
            let page = app.list_organisations(&actor, &f).await?;
            ours.push(t.elapsed());
            n = page.total;
            let t = Instant::now();
            let c: i64 = sqlx::query(&count_sql).bind(&code).bind(&like).fetch_one(&bare).await?.try_get(0)?;
            let rows = sqlx::query(&page_sql).bind(&code).bind(&like).fetch_all(&bare).await?;
            base.push(t.elapsed());
            anyhow::ensure!(c == n && rows.len() == page.items.len(), "bare and ours disagree for {label}: {c} vs {n}");
        }
        let (o, b) = (median(ours), median(base));
        println!(
            "{:<28} {:>12.2} {:>12.2} {:>7.2}x {:>8}",
            label,
            o.as_secs_f64() * 1e3,
            b.as_secs_f64() * 1e3,
            o.as_secs_f64() / b.as_secs_f64(),
            n
        );
    }
    Ok(())
}
