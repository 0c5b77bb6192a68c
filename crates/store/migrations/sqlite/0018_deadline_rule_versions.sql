-- Statutory periods change with the law (Luật 136/2025/QH15 from 01/7/2026): a new
-- version of a rule, in force from a day, is data a ministry user adds without a
-- release. The shipped versions live in code (domain::deadline::shipped_versions);
-- a stored version for the same rule and day replaces the shipped one.
CREATE TABLE deadline_rule_versions (
    rule        TEXT NOT NULL,
    valid_from  TEXT NOT NULL,
    unit        TEXT NOT NULL CHECK (unit IN ('calendar_days','working_days','months')),
    count       INTEGER NOT NULL CHECK (count > 0 AND count <= 400),
    source      TEXT NOT NULL,
    to_confirm  INTEGER NOT NULL DEFAULT 0,
    created_by  INTEGER,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (rule, valid_from)
);
