-- Trend charts count by month as well as by ISO week: the service-theme index covers both.
DROP INDEX checks_current_by_service_theme;
CREATE INDEX checks_current_by_service_theme
    ON checks (service_id, theme_id, observed_at_ms, iso_week, month, meets_standard, weak)
    WHERE superseded_by IS NULL;
