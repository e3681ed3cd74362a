-- Organisation, services, staff and practice themes. Ids are UUIDs stored as 16-byte blobs;
-- UUIDv7 ids sort in the order records were made.

CREATE TABLE organisation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    default_themes_installed INTEGER NOT NULL DEFAULT 0 CHECK (default_themes_installed IN (0, 1))
) STRICT;

INSERT INTO organisation (id, name) VALUES (1, 'Your care organisation');

CREATE TABLE services (
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE UNIQUE,
    time_zone TEXT NOT NULL,
    shift_pattern TEXT NOT NULL CHECK (json_valid(shift_pattern)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE staff_members (
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    job_title TEXT NOT NULL,
    team TEXT,
    has_left INTEGER NOT NULL DEFAULT 0 CHECK (has_left IN (0, 1)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE staff_services (
    staff_id BLOB NOT NULL REFERENCES staff_members (id),
    service_id BLOB NOT NULL REFERENCES services (id),
    PRIMARY KEY (staff_id, service_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX staff_services_by_service ON staff_services (service_id, staff_id);

CREATE TABLE practice_themes (
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE UNIQUE,
    expected_standard TEXT NOT NULL,
    check_kind TEXT NOT NULL CHECK (check_kind IN ('observation', 'record_sample', 'distress_episode')),
    quality_statements TEXT NOT NULL CHECK (json_valid(quality_statements)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE theme_criteria (
    id BLOB PRIMARY KEY,
    theme_id BLOB NOT NULL REFERENCES practice_themes (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    descriptor_1 TEXT NOT NULL,
    descriptor_2 TEXT NOT NULL,
    descriptor_3 TEXT NOT NULL,
    descriptor_4 TEXT NOT NULL,
    UNIQUE (theme_id, position)
) STRICT;
