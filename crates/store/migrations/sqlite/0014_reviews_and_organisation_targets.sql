-- The working year, continued: a five-year review (tổng kết 5 năm) of a directive
-- is a report tied to that directive; the level above accepts a submitted report;
-- an inspection may target an organisation (an agency, enterprise or school),
-- recorded against the unit that manages it so the one scope rule still applies.
-- SQLite cannot change a CHECK or a UNIQUE constraint in place: the two tables are
-- rebuilt with their rows. Keep in step with ../postgres/0014_reviews_and_organisation_targets.sql.
CREATE TABLE reports_next (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_code     TEXT NOT NULL REFERENCES units(code),
    province_code TEXT,
    commune_code  TEXT,
    template      TEXT NOT NULL CHECK (template IN ('month','quarter','half_year','year','five_year')),
    period        TEXT NOT NULL,
    directive_id  INTEGER REFERENCES directives(id),
    status        TEXT NOT NULL CHECK (status IN ('draft','submitted','returned','accepted')),
    figures_json  TEXT NOT NULL,
    sections_json TEXT NOT NULL,
    return_reason TEXT,
    submitted_at  INTEGER,
    created_by    INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    CHECK ((template = 'five_year') = (directive_id IS NOT NULL))
);
INSERT INTO reports_next (id, unit_code, province_code, commune_code, template, period, status, figures_json,
    sections_json, return_reason, submitted_at, created_by, created_at, updated_at)
SELECT id, unit_code, province_code, commune_code, template, period, status, figures_json,
    sections_json, return_reason, submitted_at, created_by, created_at, updated_at FROM reports;
DROP TABLE reports;
ALTER TABLE reports_next RENAME TO reports;
CREATE UNIQUE INDEX reports_one_per_period ON reports (unit_code, template, period, COALESCE(directive_id, 0));
CREATE INDEX reports_period ON reports (template, period, province_code);

CREATE TABLE inspection_targets_next (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    inspection_id   INTEGER NOT NULL REFERENCES inspections(id),
    unit_code       TEXT NOT NULL REFERENCES units(code),
    province_code   TEXT,
    commune_code    TEXT,
    organisation_id INTEGER REFERENCES organisations(id)
);
INSERT INTO inspection_targets_next (id, inspection_id, unit_code, province_code, commune_code)
SELECT id, inspection_id, unit_code, province_code, commune_code FROM inspection_targets;
DROP TABLE inspection_targets;
ALTER TABLE inspection_targets_next RENAME TO inspection_targets;
CREATE UNIQUE INDEX inspection_targets_once ON inspection_targets (inspection_id, unit_code, COALESCE(organisation_id, 0));
CREATE INDEX inspection_targets_unit ON inspection_targets (unit_code);

ALTER TABLE inspection_findings ADD COLUMN organisation_id INTEGER REFERENCES organisations(id);

-- Each officer's to-do list asks for the assessments of a year at one step inside
-- its commune or province; the status in the index spares reading every row of
-- the commune's (hundreds) or the province's (tens of thousands).
CREATE INDEX assessments_commune_status ON assessments (year, commune_code, status);
CREATE INDEX assessments_province_status ON assessments (year, province_code, status);

-- The code printed on a recognition certificate, which anyone may check at
-- /verify/{code}: random, given at approval to a passed safe-unit assessment
-- (those approved before this migration get theirs here).
ALTER TABLE assessments ADD COLUMN certificate_code TEXT;
UPDATE assessments SET certificate_code = upper(hex(randomblob(5)))
    WHERE instrument = 'safe_unit' AND passed = 1 AND status IN ('approved','published');
CREATE UNIQUE INDEX assessments_certificate_code ON assessments (certificate_code);

-- TOTP recovery codes: shown once when two-factor sign-in is turned on, kept as
-- Argon2id hashes, each usable once in place of a code from the app.
CREATE TABLE totp_recovery_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    code_hash  TEXT NOT NULL,
    used_at    INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX totp_recovery_codes_user ON totp_recovery_codes (user_id);
