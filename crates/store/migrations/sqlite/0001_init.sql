-- phongtrao schema v1 (SQLite). Keep in step with ../postgres/0001_init.sql.
CREATE TABLE units (
    code            TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    name_fold       TEXT NOT NULL,
    level           TEXT NOT NULL CHECK (level IN ('nation','province','commune','area')),
    division_type   TEXT NOT NULL,
    parent_code     TEXT REFERENCES units(code),
    province_code   TEXT,
    commune_code    TEXT,
    valid_from      TEXT NOT NULL,
    valid_to        TEXT,
    successor_code  TEXT REFERENCES units(code),
    next_child_seq  INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL
);
CREATE INDEX units_parent ON units(parent_code, name_fold);
CREATE INDEX units_level ON units(level, name_fold);
CREATE INDEX units_province ON units(province_code);
CREATE INDEX units_commune ON units(commune_code);

CREATE TABLE organisations (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    name                TEXT NOT NULL,
    name_fold           TEXT NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('agency','enterprise','school','other')),
    tax_code            TEXT,
    address             TEXT,
    unit_code           TEXT NOT NULL REFERENCES units(code),
    province_code       TEXT NOT NULL,
    managed_by_province INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX organisations_unit ON organisations(unit_code, name_fold);
CREATE INDEX organisations_province ON organisations(province_code, name_fold);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    username            TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    role                TEXT NOT NULL,
    unit_code           TEXT REFERENCES units(code),
    organisation_id     INTEGER REFERENCES organisations(id),
    province_code       TEXT,
    commune_code        TEXT,
    totp_secret         TEXT,
    totp_enabled        INTEGER NOT NULL DEFAULT 0,
    failed_logins       INTEGER NOT NULL DEFAULT 0,
    locked_until        INTEGER NOT NULL DEFAULT 0,
    active              INTEGER NOT NULL DEFAULT 1,
    created_at          INTEGER NOT NULL,
    password_changed_at INTEGER NOT NULL
);
CREATE INDEX users_province ON users(province_code);
CREATE INDEX users_commune ON users(commune_code);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    kind         TEXT NOT NULL,
    csrf_token   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at_ms       INTEGER NOT NULL,
    actor       INTEGER,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE audit_head (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    last_id    INTEGER NOT NULL,
    last_hash  TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash, updated_at)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0);

CREATE TABLE import_jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    kind        TEXT NOT NULL,
    status      TEXT NOT NULL,
    total_rows  INTEGER NOT NULL DEFAULT 0,
    done_rows   INTEGER NOT NULL DEFAULT 0,
    report_json TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
