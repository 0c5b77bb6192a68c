-- TT 124/2021 Điều 8 khoản 1: a province may add criteria of its own to a safe-unit
-- set, for its territory and a year. Its subjects are assessed on the national set
-- plus these; the ministry sees which provinces added what.
CREATE TABLE province_criteria (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    province_code TEXT NOT NULL REFERENCES units(code),
    year          INTEGER NOT NULL,
    subject       TEXT NOT NULL CHECK (subject IN ('residential_area','commune','agency','enterprise','school')),
    code          TEXT NOT NULL,
    text          TEXT NOT NULL,
    source        TEXT NOT NULL,
    created_by    INTEGER,
    created_at    INTEGER NOT NULL,
    UNIQUE (province_code, year, subject, code)
);
