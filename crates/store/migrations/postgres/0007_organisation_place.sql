-- One index on organisations in place of two: (province, commune, folded name).
-- It serves every scope — nation, province (a prefix), commune (province and
-- commune) — in one order: province, commune, name. A bulk import sorts its rows in
-- this order first, so the index grows at its end instead of being rebuilt.
-- Keep in step with the other backend's 0007_organisation_place.sql.
DROP INDEX organisations_unit;
DROP INDEX organisations_province;
CREATE INDEX organisations_place ON organisations(province_code, unit_code, name_fold);
