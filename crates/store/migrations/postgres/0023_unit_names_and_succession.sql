-- A unit keeps its former names with the days each was borne (`valid_to`: the day the
-- next name took effect). The current name's first day is `units.name_from` (NULL:
-- since `valid_from`). A rename from a future day waits in `renames_on`/`renames_to`
-- and the worker applies it when the day comes, like a retirement.
CREATE TABLE unit_names (
    code        TEXT NOT NULL REFERENCES units(code),
    name        TEXT NOT NULL,
    name_fold   TEXT NOT NULL,
    valid_from  TEXT NOT NULL,
    valid_to    TEXT NOT NULL,
    PRIMARY KEY (code, valid_from)
);
CREATE INDEX unit_names_fold ON unit_names(name_fold);
ALTER TABLE units ADD COLUMN name_from TEXT;
ALTER TABLE units ADD COLUMN renames_on TEXT;
ALTER TABLE units ADD COLUMN renames_to TEXT;
-- A retirement waiting for its day that moves the unit's open records to its
-- successor when it is applied (1) or leaves them (0).
ALTER TABLE units ADD COLUMN retires_moving BIGINT NOT NULL DEFAULT 0;
