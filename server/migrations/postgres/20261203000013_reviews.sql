-- Reviews and their cadence (docs/domain.md §8). A cadence row exists only where a service has
-- changed the article's default for a kind of review; a review is kept against the period it
-- reviews (a shift, day, ISO week or month on the service's calendar).
CREATE TABLE review_cadences (
    service_id UUID NOT NULL REFERENCES services (id),
    kind TEXT NOT NULL
        CHECK (kind IN ('shift-records', 'weekly-practice', 'audit-findings', 'supervision-impact', 'theme-governance')),
    record JSONB NOT NULL,
    PRIMARY KEY (service_id, kind)
);

CREATE TABLE reviews (
    id UUID PRIMARY KEY,
    service_id UUID NOT NULL REFERENCES services (id),
    kind TEXT NOT NULL
        CHECK (kind IN ('shift-records', 'weekly-practice', 'audit-findings', 'supervision-impact', 'theme-governance')),
    period TEXT NOT NULL,
    recorded_at_ms BIGINT NOT NULL,
    record JSONB NOT NULL
);

-- What is due is judged from each service's reviews of the last three months.
CREATE INDEX reviews_by_service ON reviews (service_id, recorded_at_ms);

-- Services that exist before reviews are kept start the article's cadence today: no review is
-- overdue from before Recheck kept them.
INSERT INTO review_cadences (service_id, kind, record)
SELECT services.id, kinds.kind, jsonb_build_object(
    'service_id', services.id::text,
    'kind', kinds.kind,
    'frequency', kinds.frequency,
    'since', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'))
FROM services
CROSS JOIN (VALUES
    ('shift-records', 'each-shift'),
    ('weekly-practice', 'weekly'),
    ('audit-findings', 'weekly'),
    ('supervision-impact', 'monthly'),
    ('theme-governance', 'monthly')
) AS kinds (kind, frequency);
