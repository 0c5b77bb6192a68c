-- TT 124/2021 Điều 6 khoản 1 and Điều 7 khoản 1: an agency, enterprise or school
-- needs "ít nhất 01 mô hình … hoạt động hiệu quả" of its own. A model may be hosted
-- by an organisation (a workers' self-management team, "An toàn trường học"); it is
-- recorded under the organisation's commune, so the one scope rule still applies.
ALTER TABLE models ADD COLUMN organisation_id BIGINT REFERENCES organisations(id);
CREATE INDEX models_organisation ON models(organisation_id);
