-- phongtrao schema v11 (SQLite): organisations the police have found outside the
-- "An toàn về an ninh, trật tự" standard (Thông tư 124/2021/TT-BCA Điều 1 khoản 2 điểm b: armed-forces
-- units, small and micro enterprises, primary schools, kindergartens and nurseries).
-- A decision of the commune or province, kept apart from the imported register.
-- Keep in step with ../postgres/0011_organisation_exemptions.sql.
CREATE TABLE organisation_exemptions (
    organisation_id INTEGER PRIMARY KEY REFERENCES organisations(id),
    reason          TEXT NOT NULL,
    decided_by      INTEGER,
    decided_at      INTEGER NOT NULL
);
