-- phongtrao schema v10 (PostgreSQL): the maintained tallies rolled up per province, kept
-- beside the per-commune ones in the same transaction as every assessment write, so
-- that the nation's figures read about 34 × (statuses × results) rows instead of
-- one set per commune. Keep in step with ../sqlite/0010_province_tallies.sql.
CREATE TABLE assessment_tallies_province (
    year            BIGINT NOT NULL,
    instrument      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    province_code   TEXT NOT NULL,
    status          TEXT NOT NULL,
    passed          BIGINT NOT NULL,
    level           TEXT NOT NULL,
    late            BIGINT NOT NULL,
    n               BIGINT NOT NULL,
    PRIMARY KEY (year, instrument, subject, province_code, status, passed, level, late)
);
INSERT INTO assessment_tallies_province (year, instrument, subject, province_code, status, passed, level, late, n)
SELECT year, instrument, subject, province_code, status, COALESCE(passed, -1), COALESCE(level, ''), late, COUNT(*)
FROM assessments GROUP BY year, instrument, subject, province_code, status, COALESCE(passed, -1), COALESCE(level, ''), late;
