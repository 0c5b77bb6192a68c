-- phongtrao schema v9 (PostgreSQL): an evidence file may belong to one criterion's answer.
-- Keep in step with ../sqlite/0009_evidence_criterion.sql.
ALTER TABLE assessment_attachments ADD COLUMN criterion TEXT;
