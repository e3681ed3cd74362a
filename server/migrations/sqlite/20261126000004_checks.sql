-- Spot checks as devices sent them. `content` keeps the check exactly as first accepted, so a
-- resend can be told apart from a different check that reuses an id.
CREATE TABLE checks (
    id BLOB PRIMARY KEY,
    service_id BLOB NOT NULL REFERENCES services (id),
    staff_id BLOB NOT NULL REFERENCES staff_members (id),
    theme_id BLOB NOT NULL REFERENCES practice_themes (id),
    observer_id BLOB NOT NULL REFERENCES users (id),
    observed_at_ms INTEGER NOT NULL,
    shift_kind TEXT NOT NULL,
    weekend INTEGER NOT NULL CHECK (weekend IN (0, 1)),
    content TEXT NOT NULL CHECK (json_valid(content)),
    device_id TEXT NOT NULL,
    received_at_ms INTEGER NOT NULL
) STRICT;

CREATE INDEX checks_by_service ON checks (service_id, observed_at_ms);
CREATE INDEX checks_by_staff ON checks (staff_id, observed_at_ms);
