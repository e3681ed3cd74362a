-- Spot checks as devices sent them. `content` keeps the check exactly as first accepted, so a
-- resend can be told apart from a different check that reuses an id.
CREATE TABLE checks (
    id UUID PRIMARY KEY,
    service_id UUID NOT NULL REFERENCES services (id),
    staff_id UUID NOT NULL REFERENCES staff_members (id),
    theme_id UUID NOT NULL REFERENCES practice_themes (id),
    observer_id UUID NOT NULL REFERENCES users (id),
    observed_at_ms BIGINT NOT NULL,
    shift_kind TEXT NOT NULL,
    weekend BOOLEAN NOT NULL,
    content JSONB NOT NULL,
    device_id TEXT NOT NULL,
    received_at_ms BIGINT NOT NULL
);

CREATE INDEX checks_by_service ON checks (service_id, observed_at_ms);
CREATE INDEX checks_by_staff ON checks (staff_id, observed_at_ms);
