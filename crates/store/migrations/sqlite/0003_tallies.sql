-- phongtrao schema v3 (SQLite): maintained assessment tallies per commune, so that
-- dashboards cost grows with the number of units shown, not with the number of
-- organisations. Keep in step with ../postgres/0003_tallies.sql.
CREATE TABLE assessment_tallies (
    year            INTEGER NOT NULL,
    instrument      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    province_code   TEXT NOT NULL,
    commune_code    TEXT NOT NULL,
    status          TEXT NOT NULL,
    passed          INTEGER NOT NULL,
    level           TEXT NOT NULL,
    late            INTEGER NOT NULL,
    n               INTEGER NOT NULL,
    PRIMARY KEY (year, instrument, subject, province_code, commune_code, status, passed, level, late)
);
CREATE INDEX assessment_tallies_commune ON assessment_tallies(commune_code, year);
INSERT INTO assessment_tallies (year, instrument, subject, province_code, commune_code, status, passed, level, late, n)
SELECT year, instrument, subject, province_code, COALESCE(commune_code, ''), status, COALESCE(passed, -1), COALESCE(level, ''), late, COUNT(*)
FROM assessments GROUP BY year, instrument, subject, province_code, COALESCE(commune_code, ''), status, COALESCE(passed, -1), COALESCE(level, ''), late;
