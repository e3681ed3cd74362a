-- Improvement cycles (docs/domain.md §6). Each is kept whole, as the one record an inspector
-- reads (`record`), with the columns its lists filter by beside it. `cycle_staff` says whom each
-- cycle is about, and its partial index makes a second open cycle for the same staff member
-- and theme impossible, whatever two managers do at once.
CREATE TABLE cycles (
    id BLOB PRIMARY KEY,
    service_id BLOB NOT NULL REFERENCES services (id),
    theme_id BLOB NOT NULL REFERENCES practice_themes (id),
    owner_id BLOB REFERENCES users (id),
    is_open INTEGER NOT NULL CHECK (is_open IN (0, 1)),
    opened_at_ms INTEGER NOT NULL,
    record TEXT NOT NULL CHECK (json_valid(record))
) STRICT;

CREATE INDEX cycles_by_service ON cycles (service_id, is_open, opened_at_ms);

CREATE TABLE cycle_staff (
    cycle_id BLOB NOT NULL REFERENCES cycles (id),
    staff_id BLOB NOT NULL REFERENCES staff_members (id),
    theme_id BLOB NOT NULL REFERENCES practice_themes (id),
    is_open INTEGER NOT NULL CHECK (is_open IN (0, 1)),
    PRIMARY KEY (cycle_id, staff_id)
) STRICT;

CREATE UNIQUE INDEX one_open_cycle_per_staff_and_theme ON cycle_staff (staff_id, theme_id) WHERE is_open = 1;
CREATE INDEX cycle_staff_by_staff ON cycle_staff (staff_id);

-- A service's sustainment rule, once its registered manager changes the default.
CREATE TABLE sustainment_rules (
    service_id BLOB PRIMARY KEY REFERENCES services (id),
    rule TEXT NOT NULL CHECK (json_valid(rule))
) STRICT;
