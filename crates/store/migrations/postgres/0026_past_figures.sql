-- Figures of the years before the 2025 reform, kept under the units of that year
-- (legacy_units): what earlier reports said, entered from them with their source.
CREATE TABLE past_figures (
    year        BIGINT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('province','district','commune')),
    code        TEXT NOT NULL,
    indicator   TEXT NOT NULL,
    recognised  BIGINT NOT NULL,
    assessed    BIGINT NOT NULL,
    source      TEXT NOT NULL,
    created_by  BIGINT,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (year, level, code, indicator)
);
