-- Units in force until 30/06/2025 (63 provinces, 696 districts, 10,035 communes) and
-- the 2025 units they went into. Old and new codes collide (a new commune often keeps
-- an old one's code), so the old units live in a table of their own.
CREATE TABLE legacy_units (
    code          TEXT NOT NULL,
    level         TEXT NOT NULL CHECK (level IN ('province','district','commune')),
    name          TEXT NOT NULL,
    name_fold     TEXT NOT NULL,
    division_type TEXT NOT NULL,
    parent_code   TEXT,
    province_code TEXT NOT NULL,
    PRIMARY KEY (level, code)
);
CREATE INDEX legacy_units_fold ON legacy_units(name_fold);
CREATE TABLE legacy_successors (
    legacy_level  TEXT NOT NULL,
    legacy_code   TEXT NOT NULL,
    code          TEXT NOT NULL,
    share         TEXT NOT NULL CHECK (share IN ('whole','main_part','part')),
    PRIMARY KEY (legacy_level, legacy_code, code)
);
CREATE INDEX legacy_successors_code ON legacy_successors(code);
