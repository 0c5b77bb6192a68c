-- Half points: a movement score sheet may give "6,5". Totals are kept in tenths of
-- a point (whole numbers, so they add up exactly on both databases); existing
-- whole-point totals are multiplied by ten. Answers keep points as JSON numbers.
ALTER TABLE assessments RENAME COLUMN total_points TO total_tenths;
UPDATE assessments SET total_tenths = total_tenths * 10 WHERE total_tenths IS NOT NULL;
