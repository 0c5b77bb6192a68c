-- phongtrao schema v9 (SQLite): an evidence file may belong to one criterion's answer.
-- Keep in step with ../postgres/0009_evidence_criterion.sql.
ALTER TABLE assessment_attachments ADD COLUMN criterion TEXT;
