-- Đăng ký phấn đấu (TT 124/2021 Điều 4–7 khoản 1: "Quý I hằng năm … đăng ký phấn đấu
-- đạt tiêu chuẩn “An toàn về an ninh, trật tự”"): one registration per subject and
-- year. A subject assessed for the year without one counts as registered (a query
-- rule, not a row). Recorded under the subject's commune and province so the one
-- scope rule applies. Keep in step with ../postgres/0017_registrations.sql.
CREATE TABLE registrations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    year            INTEGER NOT NULL,
    subject         TEXT NOT NULL CHECK (subject IN ('residential_area','commune','agency','enterprise','school')),
    subject_key     TEXT NOT NULL,
    unit_code       TEXT REFERENCES units(code),
    organisation_id INTEGER REFERENCES organisations(id),
    province_code   TEXT NOT NULL,
    commune_code    TEXT,
    registered_on   TEXT NOT NULL,
    note            TEXT,
    created_by      INTEGER,
    created_at      INTEGER NOT NULL,
    UNIQUE (year, subject_key)
);
CREATE INDEX registrations_commune ON registrations(year, commune_code);
CREATE INDEX registrations_province ON registrations(year, province_code);
CREATE INDEX registrations_organisation ON registrations(organisation_id);
