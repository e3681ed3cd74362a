-- Managers' decisions about early warnings, kept against the key of the warning they answer
-- (warnings themselves are worked out from the records each time).
CREATE TABLE warning_decisions (
    key TEXT PRIMARY KEY,
    service_id UUID NOT NULL REFERENCES services (id),
    record JSONB NOT NULL
);

CREATE INDEX warning_decisions_by_service ON warning_decisions (service_id);
