-- phongtrao schema v8 (sqlite): one row per campaign year the ministry adjusted
-- (deadlines, recognition target, who approves a commune's own assessment); a year
-- without a row runs on the defaults of DESIGN §2. Keep in step with the other backend.
CREATE TABLE campaigns (
    year                       INTEGER PRIMARY KEY,
    residential_area_deadline  TEXT NOT NULL,
    commune_deadline           TEXT NOT NULL,
    province_summary_deadline  TEXT NOT NULL,
    target_percent             INTEGER NOT NULL CHECK (target_percent BETWEEN 1 AND 100),
    commune_approver           TEXT NOT NULL CHECK (commune_approver IN ('province','ministry')),
    updated_by                 INTEGER,
    updated_at                 INTEGER NOT NULL
);
