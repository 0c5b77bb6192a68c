-- Lực lượng tham gia bảo vệ ANTT ở cơ sở (issue 19): security teams over one or
-- several residential areas, their members (name, year of birth, sex, role, joined,
-- left; the phone sealed like a citizen's contact), the yearly rating, training,
-- equipment issued and the funding lines of each unit. Scoped by province and
-- commune like every table; members are read only inside their commune.
CREATE TABLE teams (
    id             BIGSERIAL PRIMARY KEY,
    name           TEXT NOT NULL,
    unit_code      TEXT NOT NULL REFERENCES units(code),
    commune_code   TEXT NOT NULL,
    province_code  TEXT NOT NULL,
    established_on TEXT NOT NULL,
    decision       TEXT,
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','dissolved')),
    created_by     BIGINT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX teams_place ON teams (province_code, commune_code);
CREATE TABLE team_areas (
    team_id   BIGINT NOT NULL REFERENCES teams(id),
    area_code TEXT NOT NULL REFERENCES units(code),
    PRIMARY KEY (team_id, area_code)
);
CREATE INDEX team_areas_area ON team_areas (area_code);
CREATE TABLE team_members (
    id            BIGSERIAL PRIMARY KEY,
    team_id       BIGINT NOT NULL REFERENCES teams(id),
    name          TEXT NOT NULL,
    name_fold     TEXT NOT NULL,
    birth_year    BIGINT NOT NULL,
    sex           TEXT NOT NULL CHECK (sex IN ('male','female')),
    role          TEXT NOT NULL CHECK (role IN ('leader','deputy','member')),
    joined_on     TEXT NOT NULL,
    left_on       TEXT,
    phone         BYTEA,
    commune_code  TEXT NOT NULL,
    province_code TEXT NOT NULL,
    created_by    BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX team_members_team ON team_members (team_id);
CREATE INDEX team_members_person ON team_members (commune_code, name_fold, birth_year);
CREATE TABLE team_ratings (
    id              BIGSERIAL PRIMARY KEY,
    team_id         BIGINT NOT NULL REFERENCES teams(id),
    year            BIGINT NOT NULL,
    level           TEXT NOT NULL CHECK (level IN ('excellent','good','completed','not_completed')),
    decision_number TEXT NOT NULL,
    decision_date   TEXT NOT NULL,
    commune_code    TEXT NOT NULL,
    province_code   TEXT NOT NULL,
    created_by      BIGINT,
    created_at      BIGINT NOT NULL,
    UNIQUE (team_id, year)
);
CREATE INDEX team_ratings_place ON team_ratings (year, province_code, commune_code);
CREATE TABLE team_equipment (
    id         BIGSERIAL PRIMARY KEY,
    team_id    BIGINT NOT NULL REFERENCES teams(id),
    kind       TEXT NOT NULL,
    quantity   BIGINT NOT NULL CHECK (quantity > 0),
    issued_on  TEXT NOT NULL,
    created_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX team_equipment_team ON team_equipment (team_id);
CREATE TABLE trainings (
    id            BIGSERIAL PRIMARY KEY,
    unit_code     TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT,
    province_code TEXT NOT NULL,
    year          BIGINT NOT NULL,
    topic         TEXT NOT NULL,
    level         TEXT NOT NULL,
    starts_on     TEXT NOT NULL,
    ends_on       TEXT NOT NULL,
    organiser     TEXT NOT NULL,
    hours         BIGINT NOT NULL CHECK (hours > 0),
    headcount     BIGINT NOT NULL DEFAULT 0,
    created_by    BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX trainings_place ON trainings (year, province_code, commune_code);
CREATE TABLE training_attendance (
    training_id BIGINT NOT NULL REFERENCES trainings(id),
    member_id   BIGINT NOT NULL REFERENCES team_members(id),
    PRIMARY KEY (training_id, member_id)
);
CREATE INDEX training_attendance_member ON training_attendance (member_id);
CREATE TABLE funding (
    id            BIGSERIAL PRIMARY KEY,
    unit_code     TEXT NOT NULL REFERENCES units(code),
    commune_code  TEXT,
    province_code TEXT NOT NULL,
    year          BIGINT NOT NULL,
    category      TEXT NOT NULL,
    source        TEXT NOT NULL,
    budget        BIGINT NOT NULL CHECK (budget >= 0),
    spent         BIGINT NOT NULL CHECK (spent >= 0),
    created_by    BIGINT,
    created_at    BIGINT NOT NULL,
    UNIQUE (unit_code, year, category, source)
);
CREATE INDEX funding_place ON funding (year, province_code, commune_code);
