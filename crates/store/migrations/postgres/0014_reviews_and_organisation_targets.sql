-- The working year, continued: a five-year review (tổng kết 5 năm) of a directive
-- is a report tied to that directive; the level above accepts a submitted report;
-- an inspection may target an organisation (an agency, enterprise or school),
-- recorded against the unit that manages it so the one scope rule still applies.
-- Keep in step with ../sqlite/0014_reviews_and_organisation_targets.sql.
ALTER TABLE reports DROP CONSTRAINT reports_template_check;
ALTER TABLE reports ADD CONSTRAINT reports_template_check
    CHECK (template IN ('month','quarter','half_year','year','five_year'));
ALTER TABLE reports DROP CONSTRAINT reports_status_check;
ALTER TABLE reports ADD CONSTRAINT reports_status_check
    CHECK (status IN ('draft','submitted','returned','accepted'));
ALTER TABLE reports ADD COLUMN directive_id BIGINT REFERENCES directives(id);
ALTER TABLE reports ADD CONSTRAINT reports_review_of_directive
    CHECK ((template = 'five_year') = (directive_id IS NOT NULL));
ALTER TABLE reports DROP CONSTRAINT reports_unit_code_template_period_key;
CREATE UNIQUE INDEX reports_one_per_period ON reports (unit_code, template, period, COALESCE(directive_id, 0));

ALTER TABLE inspection_targets DROP CONSTRAINT inspection_targets_inspection_id_unit_code_key;
ALTER TABLE inspection_targets ADD COLUMN organisation_id BIGINT REFERENCES organisations(id);
CREATE UNIQUE INDEX inspection_targets_once ON inspection_targets (inspection_id, unit_code, COALESCE(organisation_id, 0));

ALTER TABLE inspection_findings ADD COLUMN organisation_id BIGINT REFERENCES organisations(id);

-- Each officer's to-do list asks for the assessments of a year at one step inside
-- its commune or province; the status in the index spares reading every row of
-- the commune's (hundreds) or the province's (tens of thousands).
CREATE INDEX assessments_commune_status ON assessments (year, commune_code, status);
CREATE INDEX assessments_province_status ON assessments (year, province_code, status);

-- The code printed on a recognition certificate, which anyone may check at
-- /verify/{code}: random, given at approval to a passed safe-unit assessment
-- (those approved before this migration get theirs here).
ALTER TABLE assessments ADD COLUMN certificate_code TEXT;
UPDATE assessments SET certificate_code = upper(substr(md5(random()::text || id::text), 1, 10))
    WHERE instrument = 'safe_unit' AND passed = 1 AND status IN ('approved','published');
CREATE UNIQUE INDEX assessments_certificate_code ON assessments (certificate_code);

-- TOTP recovery codes: shown once when two-factor sign-in is turned on, kept as
-- Argon2id hashes, each usable once in place of a code from the app.
CREATE TABLE totp_recovery_codes (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    code_hash  TEXT NOT NULL,
    used_at    BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX totp_recovery_codes_user ON totp_recovery_codes (user_id);
