-- Once every check has its version, calendar and assessment (filled in after the previous
-- migration, in the same upgrade), they are required of every check.
ALTER TABLE checks
    ALTER COLUMN theme_version SET NOT NULL,
    ALTER COLUMN local_date SET NOT NULL,
    ALTER COLUMN iso_week SET NOT NULL,
    ALTER COLUMN month SET NOT NULL,
    ALTER COLUMN meets_standard SET NOT NULL,
    ALTER COLUMN weak SET NOT NULL;
