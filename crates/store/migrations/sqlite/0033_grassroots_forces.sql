-- Lực lượng tham gia bảo vệ ANTT ở cơ sở (issue 19): security teams over one or
-- several residential areas, their members (name, year of birth, sex, role, joined,
-- left; the phone sealed like a citizen's contact), the yearly rating, training,
-- equipment issued and the funding lines of each unit. Scoped by province and
-- commune like every table; members are read only inside their commune.
CREATE TABLE teams (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL,
    unit_code      TEXT NOT NULL REFERENCES units(code),
    commune_code   TEXT NOT NULL,
    province_code  TEXT NOT NULL,
    established_on TEXT NOT NULL,
    decision       TEXT,
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','dissolved')),
    created_by     INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX teams_place ON teams (province_code, commune_code);
CREATE TABLE team_areas (
    team_id   INTEGER NOT NULL REFERENCES teams(id),
    area_code TEXT NOT NULL REFERENCES units(code),
    PRIMARY KEY (team_id, area_code)
);
CREATE INDEX team_areas_area ON team_areas (area_code);
CREATE TABLE team_members (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id       INTEGER NOT NULL REFERENCES teams(id),
    name          TEXT NOT NULL,
    name_fold     TEXT NOT NULL,
    birth_year    INTEGER NOT NULL,
    sex           TEXT NOT NULL CHECK (sex IN ('male','female')),
    role          TEXT NOT NULL CHECK (role IN ('leader','deputy','member')),
    joined_on     TEXT NOT NULL,
    left_on       TEXT,
    phone         BLOB,
    commune_code  TEXT NOT NULL,
    province_code TEXT NOT NULL,
    created_by    INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX team_members_team ON team_members (team_id);
CREATE INDEX team_members_person ON team_members (commune_code, name_fold, birth_year);
CREATE TABLE team_ratings (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id         INTEGER NOT NULL REFERENCES teams(id),
    year            INTEGER NOT NULL,
    level           TEXT NOT NULL CHECK (level IN ('excellent','good','completed','not_completed')),
    decision_number TEXT NOT NULL,
    decision_date   TEXT NOT NULL,
    commune_code    TEXT NOT NULL,
    province_code   TEXT NOT NULL,
    created_by      INTEGER,
    created_at      INTEGER NOT NULL,
    UNIQUE (team_id, year)
);
CREATE INDEX team_ratings_place ON team_ratings (year, province_code, commune_code);
CREATE TABLE team_equipment (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id    INTEGER NOT NULL REFERENCES teams(id),
    kind       TEXT NOT NULL,
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    issued_on  TEXT NOT NULL,
    created_by INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX team_equipment_team ON team_equipment (team_id);
CREATE TABLE trainings (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_code     TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT,
    province_code TEXT NOT NULL,
    year          INTEGER NOT NULL,
    topic         TEXT NOT NULL,
    level         TEXT NOT NULL,
    starts_on     TEXT NOT NULL,
    ends_on       TEXT NOT NULL,
    organiser     TEXT NOT NULL,
    hours         INTEGER NOT NULL CHECK (hours > 0),
    headcount     INTEGER NOT NULL DEFAULT 0,
    created_by    INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX trainings_place ON trainings (year, province_code, commune_code);
CREATE TABLE training_attendance (
    training_id INTEGER NOT NULL REFERENCES trainings(id),
    member_id   INTEGER NOT NULL REFERENCES team_members(id),
    PRIMARY KEY (training_id, member_id)
);
CREATE INDEX training_attendance_member ON training_attendance (member_id);
CREATE TABLE funding (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_code     TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT,
    province_code TEXT NOT NULL,
    year          INTEGER NOT NULL,
    category      TEXT NOT NULL,
    source        TEXT NOT NULL,
    budget        INTEGER NOT NULL CHECK (budget >= 0),
    spent         INTEGER NOT NULL CHECK (spent >= 0),
    created_by    INTEGER,
    created_at    INTEGER NOT NULL,
    UNIQUE (unit_code, year, category, source)
);
CREATE INDEX funding_place ON funding (year, province_code, commune_code);
