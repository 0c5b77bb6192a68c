-- phongtrao schema v13 (PostgreSQL): the movement's working year — directives and the
-- implementing plans they ask of the units below, key tasks with their assignments,
-- progress reports and sub-tasks, proposals sent up for an answer, and inspections.
-- Every row carries the province and commune of its unit (NULL above that level) so
-- that the one scope rule (store::scope_sql) applies. Keep in step with
-- ../sqlite/0013_working_year.sql.
CREATE TABLE directives (
    id            BIGSERIAL PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('directive','plan','programme','coordination')),
    number        TEXT NOT NULL,
    issued_on     TEXT NOT NULL,
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL DEFAULT '',
    partners      TEXT NOT NULL DEFAULT '',
    unit_code     TEXT NOT NULL REFERENCES units(code),
    province_code TEXT,
    commune_code  TEXT,
    plans_due     TEXT,
    plans_from    TEXT CHECK (plans_from IN ('province','commune')),
    created_by    BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX directives_unit ON directives (unit_code, issued_on);
CREATE INDEX directives_place ON directives (province_code, commune_code);

CREATE TABLE directive_plans (
    id            BIGSERIAL PRIMARY KEY,
    directive_id  BIGINT NOT NULL REFERENCES directives(id),
    unit_code     TEXT NOT NULL REFERENCES units(code),
    province_code TEXT NOT NULL,
    commune_code  TEXT,
    number        TEXT,
    issued_on     TEXT,
    title         TEXT,
    recorded_by   BIGINT,
    recorded_at   BIGINT,
    UNIQUE (directive_id, unit_code)
);
CREATE INDEX directive_plans_unit ON directive_plans (unit_code, issued_on);

CREATE TABLE tasks (
    id               BIGSERIAL PRIMARY KEY,
    year             BIGINT NOT NULL,
    title            TEXT NOT NULL,
    unit_code        TEXT NOT NULL REFERENCES units(code),
    province_code    TEXT,
    commune_code     TEXT,
    directive_id     BIGINT REFERENCES directives(id),
    parent_id        BIGINT REFERENCES tasks(id),
    issued_on        TEXT NOT NULL,
    due              TEXT NOT NULL,
    indicator_name   TEXT,
    indicator_target DOUBLE PRECISION,
    overall_percent  BIGINT NOT NULL DEFAULT 0,
    indicator_sum    DOUBLE PRECISION,
    created_by       BIGINT,
    created_at       BIGINT NOT NULL
);
CREATE INDEX tasks_unit_year ON tasks (unit_code, year);
CREATE INDEX tasks_parent ON tasks (parent_id);
CREATE INDEX tasks_directive ON tasks (directive_id);

CREATE TABLE task_assignments (
    id                BIGSERIAL PRIMARY KEY,
    task_id           BIGINT NOT NULL REFERENCES tasks(id),
    unit_code         TEXT NOT NULL REFERENCES units(code),
    province_code     TEXT,
    commune_code      TEXT,
    percent           BIGINT CHECK (percent BETWEEN 0 AND 100),
    value             DOUBLE PRECISION,
    reported_at       BIGINT,
    sub_task_id       BIGINT REFERENCES tasks(id),
    effective_percent BIGINT NOT NULL DEFAULT 0,
    effective_value   DOUBLE PRECISION,
    UNIQUE (task_id, unit_code)
);
CREATE INDEX task_assignments_unit ON task_assignments (unit_code);
CREATE INDEX task_assignments_sub ON task_assignments (sub_task_id);

CREATE TABLE task_progress (
    id            BIGSERIAL PRIMARY KEY,
    assignment_id BIGINT NOT NULL REFERENCES task_assignments(id),
    percent       BIGINT NOT NULL CHECK (percent BETWEEN 0 AND 100),
    value         DOUBLE PRECISION,
    note          TEXT NOT NULL,
    reported_by   BIGINT,
    reported_at   BIGINT NOT NULL
);
CREATE INDEX task_progress_assignment ON task_progress (assignment_id, id);

CREATE TABLE proposals (
    id            BIGSERIAL PRIMARY KEY,
    task_id       BIGINT REFERENCES tasks(id),
    directive_id  BIGINT REFERENCES directives(id),
    unit_code     TEXT NOT NULL REFERENCES units(code),
    province_code TEXT,
    commune_code  TEXT,
    to_code       TEXT NOT NULL REFERENCES units(code),
    body          TEXT NOT NULL,
    created_by    BIGINT,
    created_at    BIGINT NOT NULL,
    answer        TEXT,
    answered_by   BIGINT,
    answered_at   BIGINT
);
CREATE INDEX proposals_to ON proposals (to_code, answered_at);
CREATE INDEX proposals_task ON proposals (task_id);

-- Inspections (kiểm tra): a team unit, the units inspected, dates, findings per
-- target; each finding's recommendation is a follow-up task assigned to the
-- inspected unit (tasks.id), tracked like any task.
CREATE TABLE inspections (
    id            BIGSERIAL PRIMARY KEY,
    year          BIGINT NOT NULL,
    title         TEXT NOT NULL,
    unit_code     TEXT NOT NULL REFERENCES units(code),
    province_code TEXT,
    commune_code  TEXT,
    starts_on     TEXT NOT NULL,
    ends_on       TEXT NOT NULL,
    created_by    BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX inspections_unit_year ON inspections (unit_code, year);

CREATE TABLE inspection_targets (
    id            BIGSERIAL PRIMARY KEY,
    inspection_id BIGINT NOT NULL REFERENCES inspections(id),
    unit_code     TEXT NOT NULL REFERENCES units(code),
    province_code TEXT,
    commune_code  TEXT,
    UNIQUE (inspection_id, unit_code)
);
CREATE INDEX inspection_targets_unit ON inspection_targets (unit_code);

CREATE TABLE inspection_findings (
    id             BIGSERIAL PRIMARY KEY,
    inspection_id  BIGINT NOT NULL REFERENCES inspections(id),
    unit_code      TEXT NOT NULL REFERENCES units(code),
    province_code  TEXT,
    commune_code   TEXT,
    text           TEXT NOT NULL,
    recommendation TEXT NOT NULL,
    task_id        BIGINT NOT NULL REFERENCES tasks(id),
    created_by     BIGINT,
    created_at     BIGINT NOT NULL
);
CREATE INDEX inspection_findings_inspection ON inspection_findings (inspection_id);

-- Periodic reports: one per unit, template and period; figures filled from the
-- system when drafted (JSON), sections of text (JSON), the way up.
CREATE TABLE reports (
    id            BIGSERIAL PRIMARY KEY,
    unit_code     TEXT NOT NULL REFERENCES units(code),
    province_code TEXT,
    commune_code  TEXT,
    template      TEXT NOT NULL CHECK (template IN ('month','quarter','half_year','year')),
    period        TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft','submitted','returned')),
    figures_json  TEXT NOT NULL,
    sections_json TEXT NOT NULL,
    return_reason TEXT,
    submitted_at  BIGINT,
    created_by    BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (unit_code, template, period)
);
CREATE INDEX reports_period ON reports (template, period, province_code);

-- Files of the working year: a directive's document, or what an assigned unit
-- attaches to its assignment (minutes, photos, reports). Checked and cleaned by
-- the app (type by content, size, image metadata stripped) before they arrive.
CREATE TABLE working_year_files (
    id            BIGSERIAL PRIMARY KEY,
    directive_id  BIGINT REFERENCES directives(id),
    assignment_id BIGINT REFERENCES task_assignments(id),
    unit_code     TEXT NOT NULL REFERENCES units(code),
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    data          BYTEA NOT NULL,
    created_by    BIGINT,
    created_at    BIGINT NOT NULL,
    CHECK ((directive_id IS NULL) <> (assignment_id IS NULL))
);
CREATE INDEX working_year_files_directive ON working_year_files (directive_id);
CREATE INDEX working_year_files_assignment ON working_year_files (assignment_id);
