-- Managers' decisions about early warnings, kept against the key of the warning they answer
-- (warnings themselves are worked out from the records each time).
CREATE TABLE warning_decisions (
    key TEXT PRIMARY KEY,
    service_id BLOB NOT NULL REFERENCES services (id),
    record TEXT NOT NULL CHECK (json_valid(record))
) STRICT;

CREATE INDEX warning_decisions_by_service ON warning_decisions (service_id);
