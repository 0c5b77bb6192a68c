-- phongtrao schema v13 (SQLite): the movement's working year — directives and the
-- implementing plans they ask of the units below, key tasks with their assignments,
-- progress reports and sub-tasks, proposals sent up for an answer, and inspections.
-- Every row carries the province and commune of its unit (NULL above that level) so
-- that the one scope rule (store::scope_sql) applies. Keep in step with
-- ../postgres/0013_working_year.sql.
CREATE TABLE directives (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
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
    created_by    INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX directives_unit ON directives (unit_code, issued_on);
CREATE INDEX directives_place ON directives (province_code, commune_code);

CREATE TABLE directive_plans (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    directive_id  INTEGER NOT NULL REFERENCES directives(id),
    unit_code     TEXT NOT NULL REFERENCES units(code),
    province_code TEXT NOT NULL,
    commune_code  TEXT,
    number        TEXT,
    issued_on     TEXT,
    title         TEXT,
    recorded_by   INTEGER,
    recorded_at   INTEGER,
    UNIQUE (directive_id, unit_code)
);
CREATE INDEX directive_plans_unit ON directive_plans (unit_code, issued_on);

CREATE TABLE tasks (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    year             INTEGER NOT NULL,
    title            TEXT NOT NULL,
    unit_code        TEXT NOT NULL REFERENCES units(code),
    province_code    TEXT,
    commune_code     TEXT,
    directive_id     INTEGER REFERENCES directives(id),
    parent_id        INTEGER REFERENCES tasks(id),
    issued_on        TEXT NOT NULL,
    due              TEXT NOT NULL,
    indicator_name   TEXT,
    indicator_target REAL,
    overall_percent  INTEGER NOT NULL DEFAULT 0,
    indicator_sum    REAL,
    created_by       INTEGER,
    created_at       INTEGER NOT NULL
);
CREATE INDEX tasks_unit_year ON tasks (unit_code, year);
CREATE INDEX tasks_parent ON tasks (parent_id);
CREATE INDEX tasks_directive ON tasks (directive_id);

CREATE TABLE task_assignments (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id           INTEGER NOT NULL REFERENCES tasks(id),
    unit_code         TEXT NOT NULL REFERENCES units(code),
    province_code     TEXT,
    commune_code      TEXT,
    percent           INTEGER CHECK (percent BETWEEN 0 AND 100),
    value             REAL,
    reported_at       INTEGER,
    sub_task_id       INTEGER REFERENCES tasks(id),
    effective_percent INTEGER NOT NULL DEFAULT 0,
    effective_value   REAL,
    UNIQUE (task_id, unit_code)
);
CREATE INDEX task_assignments_unit ON task_assignments (unit_code);
CREATE INDEX task_assignments_sub ON task_assignments (sub_task_id);

CREATE TABLE task_progress (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    assignment_id INTEGER NOT NULL REFERENCES task_assignments(id),
    percent       INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
    value         REAL,
    note          TEXT NOT NULL,
    reported_by   INTEGER,
    reported_at   INTEGER NOT NULL
);
CREATE INDEX task_progress_assignment ON task_progress (assignment_id, id);

CREATE TABLE proposals (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id       INTEGER REFERENCES tasks(id),
    directive_id  INTEGER REFERENCES directives(id),
    unit_code     TEXT NOT NULL REFERENCES units(code),
    province_code TEXT,
    commune_code  TEXT,
    to_code       TEXT NOT NULL REFERENCES units(code),
    body          TEXT NOT NULL,
    created_by    INTEGER,
    created_at    INTEGER NOT NULL,
    answer        TEXT,
    answered_by   INTEGER,
    answered_at   INTEGER
);
CREATE INDEX proposals_to ON proposals (to_code, answered_at);
CREATE INDEX proposals_task ON proposals (task_id);

-- Inspections (kiểm tra): a team unit, the units inspected, dates, findings per
-- target; each finding's recommendation is a follow-up task assigned to the
-- inspected unit (tasks.id), tracked like any task.
CREATE TABLE inspections (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    year          INTEGER NOT NULL,
    title         TEXT NOT NULL,
    unit_code     TEXT NOT NULL REFERENCES units(code),
    province_code TEXT,
    commune_code  TEXT,
    starts_on     TEXT NOT NULL,
    ends_on       TEXT NOT NULL,
    created_by    INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX inspections_unit_year ON inspections (unit_code, year);

CREATE TABLE inspection_targets (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    unit_code     TEXT NOT NULL REFERENCES units(code),
    province_code TEXT,
    commune_code  TEXT,
    UNIQUE (inspection_id, unit_code)
);
CREATE INDEX inspection_targets_unit ON inspection_targets (unit_code);

CREATE TABLE inspection_findings (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    inspection_id  INTEGER NOT NULL REFERENCES inspections(id),
    unit_code      TEXT NOT NULL REFERENCES units(code),
    province_code  TEXT,
    commune_code   TEXT,
    text           TEXT NOT NULL,
    recommendation TEXT NOT NULL,
    task_id        INTEGER NOT NULL REFERENCES tasks(id),
    created_by     INTEGER,
    created_at     INTEGER NOT NULL
);
CREATE INDEX inspection_findings_inspection ON inspection_findings (inspection_id);

-- Periodic reports: one per unit, template and period; figures filled from the
-- system when drafted (JSON), sections of text (JSON), the way up.
CREATE TABLE reports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_code     TEXT NOT NULL REFERENCES units(code),
    province_code TEXT,
    commune_code  TEXT,
    template      TEXT NOT NULL CHECK (template IN ('month','quarter','half_year','year')),
    period        TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft','submitted','returned')),
    figures_json  TEXT NOT NULL,
    sections_json TEXT NOT NULL,
    return_reason TEXT,
    submitted_at  INTEGER,
    created_by    INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (unit_code, template, period)
);
CREATE INDEX reports_period ON reports (template, period, province_code);

-- Files of the working year: a directive's document, or what an assigned unit
-- attaches to its assignment (minutes, photos, reports). Checked and cleaned by
-- the app (type by content, size, image metadata stripped) before they arrive.
CREATE TABLE working_year_files (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    directive_id  INTEGER REFERENCES directives(id),
    assignment_id INTEGER REFERENCES task_assignments(id),
    unit_code     TEXT NOT NULL REFERENCES units(code),
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    data          BLOB NOT NULL,
    created_by    INTEGER,
    created_at    INTEGER NOT NULL,
    CHECK ((directive_id IS NULL) <> (assignment_id IS NULL))
);
CREATE INDEX working_year_files_directive ON working_year_files (directive_id);
CREATE INDEX working_year_files_assignment ON working_year_files (assignment_id);
