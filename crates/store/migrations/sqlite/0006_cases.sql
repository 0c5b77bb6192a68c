-- phongtrao schema v6 (SQLite): citizens' cases, their messages and attachments, routing
-- rules and the administrator's calendar data. Keep in step with ../postgres/0006_cases.sql.
-- Contact details and attachment bytes are sealed (XChaCha20-Poly1305) by the app before
-- they reach this file; nothing here holds a client address or user agent.
CREATE TABLE cases (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
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
    anonymous       INTEGER NOT NULL DEFAULT 0,
    contact_sealed  BLOB,
    complexity      TEXT NOT NULL DEFAULT 'normal',
    remote_area     INTEGER NOT NULL DEFAULT 0,
    received_on     TEXT NOT NULL,
    accepted_on     TEXT,
    due_date        TEXT,
    due_rule        TEXT,
    assignee_id     INTEGER REFERENCES users(id),
    merged_into     INTEGER REFERENCES cases(id),
    outcome         TEXT,
    closed_at       INTEGER,
    answered_on_time INTEGER,
    rating          INTEGER,
    escalation_level INTEGER NOT NULL DEFAULT 0,
    source          TEXT NOT NULL DEFAULT 'web',
    created_by      INTEGER REFERENCES users(id),
    purged_at       INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX cases_province ON cases(province_code, status);
CREATE INDEX cases_commune ON cases(commune_code, status);
CREATE INDEX cases_due ON cases(status, due_date);
CREATE INDEX cases_closed ON cases(closed_at);

CREATE TABLE case_messages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    author      TEXT NOT NULL CHECK (author IN ('citizen','officer','system')),
    user_id     INTEGER REFERENCES users(id),
    body        TEXT NOT NULL,
    public      INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL
);
CREATE INDEX case_messages_case ON case_messages(case_id, id);

CREATE TABLE case_attachments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    message_id   INTEGER REFERENCES case_messages(id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data_sealed  BLOB,
    created_at   INTEGER NOT NULL
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
    created_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL
);
