-- Retiring a unit from a future day keeps it active until that day: the retirement
-- waits here (its day and successor) and the worker applies it when the day comes.
ALTER TABLE units ADD COLUMN retires_on TEXT;
ALTER TABLE units ADD COLUMN retires_into TEXT;
