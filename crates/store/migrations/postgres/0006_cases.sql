-- phongtrao schema v6 (PostgreSQL): citizens' cases, their messages and attachments, routing
-- rules and the administrator's calendar data. Keep in step with ../sqlite/0006_cases.sql.
-- Contact details and attachment bytes are sealed (XChaCha20-Poly1305) by the app before
-- they reach this file; nothing here holds a client address or user agent.
CREATE TABLE cases (
    id              BIGSERIAL PRIMARY KEY,
    receipt_code    TEXT NOT NULL UNIQUE,
    secret_hash     TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('feedback','petition','complaint','denunciation','crime_report')),
    status          TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received','accepted','refused','closed','merged')),
    unit_code       TEXT NOT NULL REFERENCES units(code),
    province_code   TEXT NOT NULL,
    commune_code    TEXT,
    place_code      TEXT NOT NULL REFERENCES units(code),
    address_text    TEXT,
    description     TEXT NOT NULL,
    anonymous       BIGINT NOT NULL DEFAULT 0,
    contact_sealed  BYTEA,
    complexity      TEXT NOT NULL DEFAULT 'normal',
    remote_area     BIGINT NOT NULL DEFAULT 0,
    received_on     TEXT NOT NULL,
    accepted_on     TEXT,
    due_date        TEXT,
    due_rule        TEXT,
    assignee_id     BIGINT REFERENCES users(id),
    merged_into     BIGINT REFERENCES cases(id),
    outcome         TEXT,
    closed_at       BIGINT,
    answered_on_time BIGINT,
    rating          BIGINT,
    escalation_level BIGINT NOT NULL DEFAULT 0,
    source          TEXT NOT NULL DEFAULT 'web',
    created_by      BIGINT REFERENCES users(id),
    purged_at       BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX cases_province ON cases(province_code, status);
CREATE INDEX cases_commune ON cases(commune_code, status);
CREATE INDEX cases_due ON cases(status, due_date);
CREATE INDEX cases_closed ON cases(closed_at);

CREATE TABLE case_messages (
    id          BIGSERIAL PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES cases(id),
    author      TEXT NOT NULL CHECK (author IN ('citizen','officer','system')),
    user_id     BIGINT REFERENCES users(id),
    body        TEXT NOT NULL,
    public      BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL
);
CREATE INDEX case_messages_case ON case_messages(case_id, id);

CREATE TABLE case_attachments (
    id           BIGSERIAL PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES cases(id),
    message_id   BIGINT REFERENCES case_messages(id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data_sealed  BYTEA,
    created_at   BIGINT NOT NULL
);
CREATE INDEX case_attachments_case ON case_attachments(case_id);

CREATE TABLE case_routes (
    kind        TEXT PRIMARY KEY,
    target      TEXT NOT NULL CHECK (target IN ('commune','province'))
);
INSERT INTO case_routes (kind, target) VALUES ('feedback','commune'), ('petition','commune'),
    ('complaint','commune'), ('denunciation','commune'), ('crime_report','province');

CREATE TABLE calendar_overrides (
    day         TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('day_off','working_day')),
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    created_by  BIGINT REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
