-- TT 124/2021 Điều 10 khoản 4: the Ministry decides for the agencies, enterprises and
-- schools its own departments follow. The ministry records which (and which
-- department); an assessment made afterwards keeps the fact, as it keeps whether
-- the province manages the organisation.
CREATE TABLE organisation_followers (
    organisation_id INTEGER PRIMARY KEY REFERENCES organisations(id),
    department      TEXT NOT NULL,
    created_by      INTEGER,
    created_at      INTEGER NOT NULL
);
ALTER TABLE assessments ADD COLUMN followed_by_ministry INTEGER NOT NULL DEFAULT 0;
