//! Applies the embedded migrations of the store's backend, in order, once each.

use crate::{now_ms, Backend, Result, Store};

/// (version, name, SQLite text, PostgreSQL text)
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../migrations/sqlite/0001_init.sql"),
        include_str!("../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "movement",
        include_str!("../migrations/sqlite/0002_movement.sql"),
        include_str!("../migrations/postgres/0002_movement.sql"),
    ),
    (
        3,
        "tallies",
        include_str!("../migrations/sqlite/0003_tallies.sql"),
        include_str!("../migrations/postgres/0003_tallies.sql"),
    ),
    (
        4,
        "jobs",
        include_str!("../migrations/sqlite/0004_jobs.sql"),
        include_str!("../migrations/postgres/0004_jobs.sql"),
    ),
    (
        5,
        "attachments",
        include_str!("../migrations/sqlite/0005_attachments.sql"),
        include_str!("../migrations/postgres/0005_attachments.sql"),
    ),
    (
        6,
        "cases",
        include_str!("../migrations/sqlite/0006_cases.sql"),
        include_str!("../migrations/postgres/0006_cases.sql"),
    ),
    (
        7,
        "organisation_place",
        include_str!("../migrations/sqlite/0007_organisation_place.sql"),
        include_str!("../migrations/postgres/0007_organisation_place.sql"),
    ),
    (
        8,
        "campaigns",
        include_str!("../migrations/sqlite/0008_campaigns.sql"),
        include_str!("../migrations/postgres/0008_campaigns.sql"),
    ),
    (
        9,
        "evidence_criterion",
        include_str!("../migrations/sqlite/0009_evidence_criterion.sql"),
        include_str!("../migrations/postgres/0009_evidence_criterion.sql"),
    ),
    (
        10,
        "province_tallies",
        include_str!("../migrations/sqlite/0010_province_tallies.sql"),
        include_str!("../migrations/postgres/0010_province_tallies.sql"),
    ),
    (
        11,
        "organisation_exemptions",
        include_str!("../migrations/sqlite/0011_organisation_exemptions.sql"),
        include_str!("../migrations/postgres/0011_organisation_exemptions.sql"),
    ),
    (
        12,
        "totp_last_step",
        include_str!("../migrations/sqlite/0012_totp_last_step.sql"),
        include_str!("../migrations/postgres/0012_totp_last_step.sql"),
    ),
    (
        13,
        "working_year",
        include_str!("../migrations/sqlite/0013_working_year.sql"),
        include_str!("../migrations/postgres/0013_working_year.sql"),
    ),
    (
        14,
        "reviews_and_organisation_targets",
        include_str!("../migrations/sqlite/0014_reviews_and_organisation_targets.sql"),
        include_str!("../migrations/postgres/0014_reviews_and_organisation_targets.sql"),
    ),
    (
        15,
        "half_points",
        include_str!("../migrations/sqlite/0015_half_points.sql"),
        include_str!("../migrations/postgres/0015_half_points.sql"),
    ),
    (
        16,
        "models_of_organisations",
        include_str!("../migrations/sqlite/0016_models_of_organisations.sql"),
        include_str!("../migrations/postgres/0016_models_of_organisations.sql"),
    ),
    (
        17,
        "registrations",
        include_str!("../migrations/sqlite/0017_registrations.sql"),
        include_str!("../migrations/postgres/0017_registrations.sql"),
    ),
    (
        18,
        "deadline_rule_versions",
        include_str!("../migrations/sqlite/0018_deadline_rule_versions.sql"),
        include_str!("../migrations/postgres/0018_deadline_rule_versions.sql"),
    ),
    (
        19,
        "unit_history",
        include_str!("../migrations/sqlite/0019_unit_history.sql"),
        include_str!("../migrations/postgres/0019_unit_history.sql"),
    ),
    (
        20,
        "recognition_records",
        include_str!("../migrations/sqlite/0020_recognition_records.sql"),
        include_str!("../migrations/postgres/0020_recognition_records.sql"),
    ),
    (
        21,
        "unit_retirement_dates",
        include_str!("../migrations/sqlite/0021_unit_retirement_dates.sql"),
        include_str!("../migrations/postgres/0021_unit_retirement_dates.sql"),
    ),
    (
        22,
        "province_criteria",
        include_str!("../migrations/sqlite/0022_province_criteria.sql"),
        include_str!("../migrations/postgres/0022_province_criteria.sql"),
    ),
    (
        23,
        "unit_names_and_succession",
        include_str!("../migrations/sqlite/0023_unit_names_and_succession.sql"),
        include_str!("../migrations/postgres/0023_unit_names_and_succession.sql"),
    ),
    (
        24,
        "registration_files",
        include_str!("../migrations/sqlite/0024_registration_files.sql"),
        include_str!("../migrations/postgres/0024_registration_files.sql"),
    ),
    (
        25,
        "organisations_followed_by_the_ministry",
        include_str!("../migrations/sqlite/0025_organisations_followed_by_the_ministry.sql"),
        include_str!("../migrations/postgres/0025_organisations_followed_by_the_ministry.sql"),
    ),
    (
        26,
        "past_figures",
        include_str!("../migrations/sqlite/0026_past_figures.sql"),
        include_str!("../migrations/postgres/0026_past_figures.sql"),
    ),
    (
        27,
        "nominations",
        include_str!("../migrations/sqlite/0027_nominations.sql"),
        include_str!("../migrations/postgres/0027_nominations.sql"),
    ),
    (
        28,
        "events",
        include_str!("../migrations/sqlite/0028_events.sql"),
        include_str!("../migrations/postgres/0028_events.sql"),
    ),
    (
        29,
        "award_catalogues",
        include_str!("../migrations/sqlite/0029_award_catalogues.sql"),
        include_str!("../migrations/postgres/0029_award_catalogues.sql"),
    ),
    (
        30,
        "event_details",
        include_str!("../migrations/sqlite/0030_event_details.sql"),
        include_str!("../migrations/postgres/0030_event_details.sql"),
    ),
    (
        31,
        "dan_van_kheo",
        include_str!("../migrations/sqlite/0031_dan_van_kheo.sql"),
        include_str!("../migrations/postgres/0031_dan_van_kheo.sql"),
    ),
    (
        32,
        "honour_roll",
        include_str!("../migrations/sqlite/0032_honour_roll.sql"),
        include_str!("../migrations/postgres/0032_honour_roll.sql"),
    ),
    (
        33,
        "grassroots_forces",
        include_str!("../migrations/sqlite/0033_grassroots_forces.sql"),
        include_str!("../migrations/postgres/0033_grassroots_forces.sql"),
    ),
];

/// Brings the schema up to date. Each migration runs in its own transaction.
pub(crate) async fn run(store: &Store) -> Result<()> {
    let pool = store.pool();
    sqlx::raw_sql("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)")
        .execute(pool)
        .await?;
    for (version, name, sqlite, postgres) in MIGRATIONS {
        let mut tx = pool.begin().await?;
        let done: Option<(i64,)> = sqlx::query_as("SELECT version FROM schema_migrations WHERE version = $1")
            .bind(*version)
            .fetch_optional(&mut *tx)
            .await?;
        if done.is_some() {
            continue;
        }
        let sql = match store.backend() {
            Backend::Sqlite => sqlite,
            Backend::Postgres => postgres,
        };
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
            .bind(*version)
            .bind(name.to_string())
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(version, name, "migration applied");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_migration_file_is_listed_in_order() {
        for backend in ["sqlite", "postgres"] {
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/");
            let mut files: Vec<String> = std::fs::read_dir(format!("{dir}{backend}"))
                .expect("migrations dir")
                .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
                .collect();
            files.sort();
            assert_eq!(files.len(), super::MIGRATIONS.len(), "{backend}: {files:?}");
            for (i, (version, name, _, _)) in super::MIGRATIONS.iter().enumerate() {
                assert_eq!(files[i], format!("{version:04}_{name}.sql"));
            }
        }
    }
}
