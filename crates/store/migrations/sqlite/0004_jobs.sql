-- phongtrao schema v4 (SQLite): the durable job queue, in-app notifications, and an
-- optional e-mail address for staff accounts. Keep in step with ../postgres/0004_jobs.sql.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL,
    dedupe_key   TEXT NOT NULL UNIQUE,
    payload_json TEXT NOT NULL,
    run_at       INTEGER NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','running','done','failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs(status, run_at);

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    link        TEXT,
    read_at     INTEGER,
    created_at  INTEGER NOT NULL
);
CREATE INDEX notifications_user ON notifications(user_id, created_at);

ALTER TABLE users ADD COLUMN email TEXT;
