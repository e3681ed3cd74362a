-- The weekly and monthly counts and the observer comparison read the same rows (one service and
-- theme over a stretch of time) for different columns. With an index apiece, SQLite chose the
-- observer comparison's for the counts too, and fetched each of a service's 25,000 checks from
-- the table to read its week and whether it was weak: the service-theme chart took twice as long.
-- One index holding both sets of columns answers both from the index.
DROP INDEX IF EXISTS checks_current_by_observer;
DROP INDEX IF EXISTS checks_current_by_service_theme;
CREATE INDEX IF NOT EXISTS checks_current_by_period_and_observer
    ON checks (service_id, theme_id, observed_at_ms, iso_week, month, meets_standard, weak, observer_id, staff_id, announced)
    WHERE superseded_by IS NULL;
