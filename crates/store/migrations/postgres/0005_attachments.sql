-- phongtrao schema v5 (PostgreSQL): evidence attachments of assessments.
-- Keep in step with ../sqlite/0005_attachments.sql.
CREATE TABLE assessment_attachments (
    id            BIGSERIAL PRIMARY KEY,
    assessment_id BIGINT NOT NULL REFERENCES assessments(id),
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    data          BYTEA NOT NULL,
    created_by    BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX assessment_attachments_assessment ON assessment_attachments(assessment_id);
