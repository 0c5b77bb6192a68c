-- phongtrao schema v5 (SQLite): evidence attachments of assessments.
-- Keep in step with ../postgres/0005_attachments.sql.
CREATE TABLE assessment_attachments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id),
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    data          BLOB NOT NULL,
    created_by    INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX assessment_attachments_assessment ON assessment_attachments(assessment_id);
