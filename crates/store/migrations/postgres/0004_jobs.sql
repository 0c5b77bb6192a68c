-- phongtrao schema v4 (PostgreSQL): the durable job queue, in-app notifications, and an
-- optional e-mail address for staff accounts. Keep in step with ../sqlite/0004_jobs.sql.
CREATE TABLE jobs (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT NOT NULL,
    dedupe_key   TEXT NOT NULL UNIQUE,
    payload_json TEXT NOT NULL,
    run_at       BIGINT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','running','done','failed')),
    attempts     BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    last_error   TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs(status, run_at);

CREATE TABLE notifications (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    link        TEXT,
    read_at     BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX notifications_user ON notifications(user_id, created_at);

ALTER TABLE users ADD COLUMN email TEXT;
