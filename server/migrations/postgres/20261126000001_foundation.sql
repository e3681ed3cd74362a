-- Organisation, services, staff and practice themes. UUIDv7 ids sort in the order records
-- were made.

CREATE TABLE organisation (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    default_themes_installed BOOLEAN NOT NULL DEFAULT FALSE
);

INSERT INTO organisation (id, name) VALUES (1, 'Your care organisation');

CREATE TABLE services (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    shift_pattern JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX services_name_key ON services (lower(name));

CREATE TABLE staff_members (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    job_title TEXT NOT NULL,
    team TEXT,
    has_left BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE staff_services (
    staff_id UUID NOT NULL REFERENCES staff_members (id),
    service_id UUID NOT NULL REFERENCES services (id),
    PRIMARY KEY (staff_id, service_id)
);

CREATE INDEX staff_services_by_service ON staff_services (service_id, staff_id);

CREATE TABLE practice_themes (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    expected_standard TEXT NOT NULL,
    check_kind TEXT NOT NULL CHECK (check_kind IN ('observation', 'record_sample', 'distress_episode')),
    quality_statements JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX practice_themes_name_key ON practice_themes (lower(name));

CREATE TABLE theme_criteria (
    id UUID PRIMARY KEY,
    theme_id UUID NOT NULL REFERENCES practice_themes (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    descriptor_1 TEXT NOT NULL,
    descriptor_2 TEXT NOT NULL,
    descriptor_3 TEXT NOT NULL,
    descriptor_4 TEXT NOT NULL,
    UNIQUE (theme_id, position)
);
