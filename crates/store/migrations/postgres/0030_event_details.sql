-- An event's details (issue 18): the form it takes (văn nghệ, thể thao, ký cam kết…)
-- and its guests; its documents and photos are files of the same store as a
-- directive's, an assignment's and a registration's, with a fourth owner.
ALTER TABLE events ADD COLUMN form TEXT;
ALTER TABLE events ADD COLUMN guests TEXT;
ALTER TABLE working_year_files ADD COLUMN event_id BIGINT REFERENCES events(id);
ALTER TABLE working_year_files DROP CONSTRAINT working_year_files_one_owner;
ALTER TABLE working_year_files ADD CONSTRAINT working_year_files_one_owner
    CHECK (num_nonnulls(directive_id, assignment_id, registration_id, event_id) = 1);
CREATE INDEX working_year_files_event ON working_year_files (event_id);
