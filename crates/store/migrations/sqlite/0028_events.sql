-- Events of the movement (issue 18): the Ngày hội toàn dân bảo vệ ANTQ of each
-- residential area (around 19/8), conferences (sơ kết, tổng kết, điển hình tiên
-- tiến) and forums ("Lắng nghe ý kiến Nhân dân"): planned, then reported with
-- figures; the opinions raised become citizens' cases, linked here.
CREATE TABLE events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    year          INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('ngay_hoi','conference','forum')),
    title         TEXT NOT NULL,
    unit_code     TEXT NOT NULL REFERENCES units(code),
    province_code TEXT NOT NULL,
    commune_code  TEXT,
    held_on       TEXT NOT NULL,
    place         TEXT,
    pilot         INTEGER NOT NULL DEFAULT 0,
    participants  INTEGER,
    households    INTEGER,
    commitments   INTEGER,
    honoured      INTEGER,
    funds         INTEGER,
    reported_at   INTEGER,
    created_by    INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX events_place ON events (year, kind, province_code, commune_code);
CREATE TABLE event_opinions (
    event_id   INTEGER NOT NULL REFERENCES events(id),
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    kind       TEXT NOT NULL,
    PRIMARY KEY (event_id, case_id)
);
