-- "Dân vận khéo" as an emulation, not a flag (issue 18): a unit registers a model
-- for the year, the level above recognises it by decision or returns it; a
-- recognised model carries the mark for that year. The models' old dan_van_kheo
-- column is no longer written or read (a tick with no decision is not a
-- recognition). `public`: the decision lets the public honour roll show it.
CREATE TABLE dvk_entries (
    id              BIGSERIAL PRIMARY KEY,
    model_id        BIGINT NOT NULL REFERENCES models(id),
    year            BIGINT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('registered','recognised','returned')),
    holder_level    TEXT NOT NULL,
    province_code   TEXT NOT NULL,
    commune_code    TEXT,
    decision_number TEXT,
    decision_date   TEXT,
    return_reason   TEXT,
    public          BIGINT NOT NULL DEFAULT 0,
    registered_by   BIGINT,
    decided_by      BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (model_id, year)
);
CREATE INDEX dvk_entries_place ON dvk_entries (year, province_code, commune_code);
