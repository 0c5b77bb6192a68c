-- phongtrao schema v12 (PostgreSQL): the last TOTP time-step accepted for each
-- account, so a code is accepted once (RFC 6238 §5.2).
-- Keep in step with ../sqlite/0012_totp_last_step.sql.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
