-- Whether a check was announced is counted, like its ratings: the observer effect warning and the
-- per-observer view compare announced with unannounced checks, observer by observer.
ALTER TABLE checks ADD COLUMN announced INTEGER CHECK (announced IN (0, 1));

UPDATE checks SET announced = coalesce(json_extract(content, '$.announced'), 0);

CREATE INDEX checks_current_by_observer
    ON checks (service_id, theme_id, observed_at_ms, observer_id, staff_id, announced, meets_standard)
    WHERE superseded_by IS NULL;
