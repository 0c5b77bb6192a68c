-- phongtrao schema v12 (SQLite): the last TOTP time-step accepted for each account,
-- so a code is accepted once (RFC 6238 §5.2: refuse it and every earlier step).
-- Keep in step with ../postgres/0012_totp_last_step.sql.
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
