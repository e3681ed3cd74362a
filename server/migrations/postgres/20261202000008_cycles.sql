-- Improvement cycles (docs/domain.md §6). Each is kept whole, as the one record an inspector
-- reads (`record`), with the columns its lists filter by beside it. `cycle_staff` says whom each
-- cycle is about, and its partial index makes a second open cycle for the same staff member
-- and theme impossible, whatever two managers do at once.
CREATE TABLE cycles (
    id UUID PRIMARY KEY,
    service_id UUID NOT NULL REFERENCES services (id),
    theme_id UUID NOT NULL REFERENCES practice_themes (id),
    owner_id UUID REFERENCES users (id),
    is_open BOOLEAN NOT NULL,
    opened_at_ms BIGINT NOT NULL,
    record JSONB NOT NULL
);

CREATE INDEX cycles_by_service ON cycles (service_id, is_open, opened_at_ms);

CREATE TABLE cycle_staff (
    cycle_id UUID NOT NULL REFERENCES cycles (id),
    staff_id UUID NOT NULL REFERENCES staff_members (id),
    theme_id UUID NOT NULL REFERENCES practice_themes (id),
    is_open BOOLEAN NOT NULL,
    PRIMARY KEY (cycle_id, staff_id)
);

CREATE UNIQUE INDEX one_open_cycle_per_staff_and_theme ON cycle_staff (staff_id, theme_id) WHERE is_open;
CREATE INDEX cycle_staff_by_staff ON cycle_staff (staff_id);

-- A service's sustainment rule, once its registered manager changes the default.
CREATE TABLE sustainment_rules (
    service_id UUID PRIMARY KEY REFERENCES services (id),
    rule JSONB NOT NULL
);
