-- phongtrao schema v2 (PostgreSQL): criteria sets, assessments, models, key areas,
-- criterion 19. Keep in step with ../sqlite/0002_movement.sql.
CREATE TABLE criteria_sets (
    id                  BIGSERIAL PRIMARY KEY,
    instrument          TEXT NOT NULL CHECK (instrument IN ('safe_unit','movement')),
    subject             TEXT NOT NULL,
    version             TEXT NOT NULL,
    effective_from_year BIGINT NOT NULL,
    source              TEXT NOT NULL,
    verified            BIGINT NOT NULL DEFAULT 0,
    body_json           TEXT NOT NULL,
    created_by          BIGINT,
    created_at          BIGINT NOT NULL,
    UNIQUE (instrument, subject, version)
);

CREATE TABLE assessments (
    id                  BIGSERIAL PRIMARY KEY,
    year                BIGINT NOT NULL,
    instrument          TEXT NOT NULL,
    subject             TEXT NOT NULL,
    subject_key         TEXT NOT NULL,
    unit_code           TEXT REFERENCES units(code),
    organisation_id     BIGINT REFERENCES organisations(id),
    province_code       TEXT NOT NULL,
    commune_code        TEXT,
    managed_by_province BIGINT NOT NULL DEFAULT 0,
    criteria_set_id     BIGINT NOT NULL REFERENCES criteria_sets(id),
    status              TEXT NOT NULL,
    answers_json        TEXT NOT NULL,
    result_json         TEXT NOT NULL,
    passed              BIGINT,
    total_points        BIGINT,
    level               TEXT,
    decision_number     TEXT,
    decision_date       TEXT,
    submitted_at        BIGINT,
    late                BIGINT NOT NULL DEFAULT 0,
    return_reason       TEXT,
    created_by          BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    UNIQUE (year, instrument, subject_key)
);
CREATE INDEX assessments_province ON assessments(year, province_code, subject);
CREATE INDEX assessments_commune ON assessments(year, commune_code, subject);

CREATE TABLE model_types (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    active  BIGINT NOT NULL DEFAULT 1
);
INSERT INTO model_types (code, name) VALUES
    ('to_dan_pho_an_toan', 'Tổ dân phố an toàn'),
    ('camera_an_ninh', 'Camera an ninh'),
    ('to_tuan_tra_nhan_dan', 'Tổ tuần tra nhân dân'),
    ('dong_ho_tu_quan', 'Dòng họ tự quản về an ninh, trật tự'),
    ('an_toan_truong_hoc', 'An toàn trường học'),
    ('to_cong_nhan_tu_quan', 'Tổ công nhân tự quản'),
    ('khac', 'Mô hình khác');

CREATE TABLE models (
    id              BIGSERIAL PRIMARY KEY,
    type_code       TEXT NOT NULL REFERENCES model_types(code),
    name            TEXT NOT NULL,
    unit_code       TEXT NOT NULL REFERENCES units(code),
    province_code   TEXT NOT NULL,
    commune_code    TEXT,
    started_on      TEXT NOT NULL,
    partners        TEXT,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','consolidated','replicated','dissolved')),
    replicates_id   BIGINT REFERENCES models(id),
    dan_van_kheo    BIGINT NOT NULL DEFAULT 0,
    outcomes        TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX models_province ON models(province_code);
CREATE INDEX models_commune ON models(commune_code);

CREATE TABLE model_evaluations (
    id          BIGSERIAL PRIMARY KEY,
    model_id    BIGINT NOT NULL REFERENCES models(id),
    year        BIGINT NOT NULL,
    verdict     TEXT NOT NULL CHECK (verdict IN ('effective','formal')),
    note        TEXT,
    created_by  BIGINT,
    created_at  BIGINT NOT NULL,
    UNIQUE (model_id, year)
);

CREATE TABLE key_area_events (
    id              BIGSERIAL PRIMARY KEY,
    unit_code       TEXT NOT NULL REFERENCES units(code),
    province_code   TEXT NOT NULL,
    commune_code    TEXT,
    action          TEXT NOT NULL CHECK (action IN ('designate','remove')),
    decision_number TEXT NOT NULL,
    decision_date   TEXT NOT NULL,
    created_by      BIGINT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX key_area_events_unit ON key_area_events(unit_code, decision_date);

CREATE TABLE criterion19 (
    unit_code       TEXT NOT NULL REFERENCES units(code),
    year            BIGINT NOT NULL,
    met             BIGINT NOT NULL,
    province_code   TEXT NOT NULL,
    commune_code    TEXT,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (unit_code, year)
);
