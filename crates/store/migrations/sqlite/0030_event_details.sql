-- An event's details (issue 18): the form it takes (văn nghệ, thể thao, ký cam kết…)
-- and its guests; its documents and photos are files of the same store as a
-- directive's, an assignment's and a registration's, with a fourth owner. SQLite
-- cannot change a CHECK in place, so the files' table is rebuilt (same ids).
ALTER TABLE events ADD COLUMN form TEXT;
ALTER TABLE events ADD COLUMN guests TEXT;
CREATE TABLE working_year_files_next (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    directive_id    INTEGER REFERENCES directives(id),
    assignment_id   INTEGER REFERENCES task_assignments(id),
    registration_id INTEGER REFERENCES registrations(id),
    event_id        INTEGER REFERENCES events(id),
    unit_code       TEXT NOT NULL REFERENCES units(code),
    filename        TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    size_bytes      INTEGER NOT NULL,
    sha256          TEXT NOT NULL,
    data            BLOB NOT NULL,
    created_by      INTEGER,
    created_at      INTEGER NOT NULL,
    CHECK ((directive_id IS NOT NULL) + (assignment_id IS NOT NULL) + (registration_id IS NOT NULL) + (event_id IS NOT NULL) = 1)
);
INSERT INTO working_year_files_next (id, directive_id, assignment_id, registration_id, unit_code, filename, content_type, size_bytes, sha256, data, created_by, created_at)
SELECT id, directive_id, assignment_id, registration_id, unit_code, filename, content_type, size_bytes, sha256, data, created_by, created_at FROM working_year_files;
DROP TABLE working_year_files;
ALTER TABLE working_year_files_next RENAME TO working_year_files;
CREATE INDEX working_year_files_directive ON working_year_files (directive_id);
CREATE INDEX working_year_files_assignment ON working_year_files (assignment_id);
CREATE INDEX working_year_files_registration ON working_year_files (registration_id);
CREATE INDEX working_year_files_event ON working_year_files (event_id);
