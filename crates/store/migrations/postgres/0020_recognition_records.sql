-- TT 124/2021 Điều 9, 10: the police verify (thẩm định: who, when, remarks); the
-- People's Committee (or the Ministry) decides and issues the Giấy công nhận (the
-- deciding body, the signer's name and title). One row per assessment, written at
-- the review and approval steps, removed when the assessment is returned.
CREATE TABLE recognition_records (
    assessment_id   BIGINT PRIMARY KEY REFERENCES assessments(id),
    verified_by     BIGINT REFERENCES users(id),
    verified_at     BIGINT,
    remarks         TEXT,
    deciding_body   TEXT,
    authority       TEXT,
    signer_name     TEXT,
    signer_title    TEXT
);
