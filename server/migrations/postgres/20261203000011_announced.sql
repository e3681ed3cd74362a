-- Whether a check was announced is counted, like its ratings: the observer effect warning and the
-- per-observer view compare announced with unannounced checks, observer by observer.
ALTER TABLE checks ADD COLUMN announced BOOLEAN;

UPDATE checks SET announced = coalesce((content ->> 'announced')::BOOLEAN, FALSE);

ALTER TABLE checks ALTER COLUMN announced SET NOT NULL;

CREATE INDEX checks_current_by_observer
    ON checks (service_id, theme_id, observed_at_ms) INCLUDE (observer_id, staff_id, announced, meets_standard)
    WHERE superseded_by IS NULL;
