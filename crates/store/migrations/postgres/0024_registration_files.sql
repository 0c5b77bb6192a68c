-- A registration for the year (đăng ký phấn đấu) carries its file — resolution,
-- plan, registration form — as evidence: files of the same store as a directive's
-- and an assignment's, with a third owner.
ALTER TABLE working_year_files ADD COLUMN registration_id BIGINT REFERENCES registrations(id);
ALTER TABLE working_year_files DROP CONSTRAINT working_year_files_check;
ALTER TABLE working_year_files ADD CONSTRAINT working_year_files_one_owner
    CHECK (num_nonnulls(directive_id, assignment_id, registration_id) = 1);
CREATE INDEX working_year_files_registration ON working_year_files (registration_id);
