-- Nominations for awards (issue 18): a unit proposes a collective (a unit or an
-- organisation) or a person (name, year of birth, sex, position, unit — nothing more);
-- the file goes up: proposed → verified by the level above's police → decided by
-- the authority, or returned with reasons. Seen only by the police scopes on its way
-- (the proposer's commune or province and the levels above).
CREATE TABLE nominations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    year             INTEGER NOT NULL,
    award_type       TEXT NOT NULL,
    recipient        TEXT NOT NULL CHECK (recipient IN ('collective','individual')),
    unit_code        TEXT NOT NULL REFERENCES units(code),
    organisation_id  INTEGER REFERENCES organisations(id),
    person_name      TEXT,
    person_fold      TEXT,
    birth_year       INTEGER,
    sex              TEXT CHECK (sex IN ('male','female')),
    position         TEXT,
    service_json     TEXT,
    eligibility_json TEXT,
    confirmed_json   TEXT,
    achievements     TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('proposed','verified','decided','returned')),
    proposer_unit    TEXT NOT NULL REFERENCES units(code),
    proposer_level   TEXT NOT NULL,
    province_code    TEXT NOT NULL,
    commune_code     TEXT,
    decision_number  TEXT,
    decision_date    TEXT,
    return_reason    TEXT,
    created_by       INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX nominations_place ON nominations (year, province_code, commune_code);
CREATE INDEX nominations_person ON nominations (award_type, person_fold, birth_year);
