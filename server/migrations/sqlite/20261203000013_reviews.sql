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

-- Services that exist before reviews are kept start the article's cadence today: no review is
-- overdue from before Recheck kept them.
INSERT INTO review_cadences (service_id, kind, record)
SELECT services.id, kinds.kind, json_object(
    'service_id', lower(substr(hex(services.id), 1, 8) || '-' || substr(hex(services.id), 9, 4) || '-'
        || substr(hex(services.id), 13, 4) || '-' || substr(hex(services.id), 17, 4) || '-'
        || substr(hex(services.id), 21, 12)),
    'kind', kinds.kind,
    'frequency', kinds.frequency,
    'since', strftime('%Y-%m-%d', 'now'))
FROM services
CROSS JOIN (
    SELECT 'shift-records' AS kind, 'each-shift' AS frequency
    UNION ALL SELECT 'weekly-practice', 'weekly'
    UNION ALL SELECT 'audit-findings', 'weekly'
    UNION ALL SELECT 'supervision-impact', 'monthly'
    UNION ALL SELECT 'theme-governance', 'monthly'
) AS kinds;
