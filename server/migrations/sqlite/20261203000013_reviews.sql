-- Reviews and their cadence (docs/domain.md §8). A cadence row exists only where a service has
-- changed the article's default for a kind of review; a review is kept against the period it
-- reviews (a shift, day, ISO week or month on the service's calendar).
CREATE TABLE review_cadences (
    service_id BLOB NOT NULL REFERENCES services (id),
    kind TEXT NOT NULL
        CHECK (kind IN ('shift-records', 'weekly-practice', 'audit-findings', 'supervision-impact', 'theme-governance')),
    record TEXT NOT NULL CHECK (json_valid(record)),
    PRIMARY KEY (service_id, kind)
) STRICT;

CREATE TABLE reviews (
    id BLOB PRIMARY KEY,
    service_id BLOB NOT NULL REFERENCES services (id),
    kind TEXT NOT NULL
        CHECK (kind IN ('shift-records', 'weekly-practice', 'audit-findings', 'supervision-impact', 'theme-governance')),
    period TEXT NOT NULL,
    recorded_at_ms INTEGER NOT NULL,
    record TEXT NOT NULL CHECK (json_valid(record))
) STRICT;

-- What is due is judged from each service's reviews of the last three months.
CREATE INDEX reviews_by_service ON reviews (service_id, recorded_at_ms);
