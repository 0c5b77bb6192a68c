-- The public honour roll (issue 18), opt-in per decision: a decided nomination
-- is shown to the public only when its decision says so (a person only then).
ALTER TABLE nominations ADD COLUMN public BIGINT NOT NULL DEFAULT 0;
