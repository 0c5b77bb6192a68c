-- The award catalogue as the ministry edits it (issue 18): a version per year, like
-- the criteria sets. The version in force for a year is the latest whose year is not
-- after it; before any, the catalogue shipped in data/awards/ applies.
CREATE TABLE award_catalogues (
    year       INTEGER PRIMARY KEY,
    body       TEXT NOT NULL,
    created_by INTEGER,
    created_at INTEGER NOT NULL
);
