-- Evidence-grade records (docs/domain.md, "Checks as evidence"): practice themes with versions,
-- ratings as rows, each check's place in its service's calendar and what its ratings say, and
-- corrections that take the place of the check they correct.
--
-- Run with the rest of an upgrade in one transaction; Recheck then fills in, in Rust, what SQL
-- cannot work out here (the calendar needs each service's time zone rules).

-- A criterion belongs to one theme for ever; its wording lives in the theme's versions.
CREATE TABLE criteria (
    id BLOB PRIMARY KEY,
    theme_id BLOB NOT NULL REFERENCES practice_themes (id)
) STRICT;

CREATE INDEX criteria_by_theme ON criteria (theme_id);

CREATE TABLE theme_versions (
    theme_id BLOB NOT NULL REFERENCES practice_themes (id),
    version INTEGER NOT NULL CHECK (version >= 1),
    expected_standard TEXT NOT NULL,
    made_at_ms INTEGER NOT NULL,
    made_by TEXT NOT NULL,
    PRIMARY KEY (theme_id, version)
) STRICT;

CREATE TABLE theme_version_criteria (
    theme_id BLOB NOT NULL,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    criterion_id BLOB NOT NULL REFERENCES criteria (id),
    title TEXT NOT NULL,
    descriptor_1 TEXT NOT NULL,
    descriptor_2 TEXT NOT NULL,
    descriptor_3 TEXT NOT NULL,
    descriptor_4 TEXT NOT NULL,
    PRIMARY KEY (theme_id, version, position),
    UNIQUE (theme_id, version, criterion_id),
    FOREIGN KEY (theme_id, version) REFERENCES theme_versions (theme_id, version)
) STRICT, WITHOUT ROWID;

ALTER TABLE practice_themes ADD COLUMN current_version INTEGER NOT NULL DEFAULT 1;

-- Each theme so far becomes version 1 as it reads today: the wording before its last edit
-- was not kept by the earlier release.
INSERT INTO criteria (id, theme_id) SELECT id, theme_id FROM theme_criteria;

INSERT INTO theme_versions (theme_id, version, expected_standard, made_at_ms, made_by)
SELECT id, 1, expected_standard, CAST(unixepoch(created_at, 'subsec') * 1000 AS INTEGER), 'Recheck (upgrade)'
FROM practice_themes;

INSERT INTO theme_version_criteria
    (theme_id, version, position, criterion_id, title, descriptor_1, descriptor_2, descriptor_3, descriptor_4)
SELECT theme_id, 1, position, id, title, descriptor_1, descriptor_2, descriptor_3, descriptor_4
FROM theme_criteria;

DROP TABLE theme_criteria;
-- The expected standard is a version's, like the criteria it is judged by.
ALTER TABLE practice_themes DROP COLUMN expected_standard;

ALTER TABLE checks ADD COLUMN theme_version INTEGER;
ALTER TABLE checks ADD COLUMN local_date TEXT;
ALTER TABLE checks ADD COLUMN iso_week TEXT;
ALTER TABLE checks ADD COLUMN month TEXT;
ALTER TABLE checks ADD COLUMN meets_standard INTEGER CHECK (meets_standard IN (0, 1));
ALTER TABLE checks ADD COLUMN weak INTEGER CHECK (weak IN (0, 1));
-- A correction names the first check of its chain; the checks a correction stands in place of
-- name the correction that stands now.
ALTER TABLE checks ADD COLUMN original_id BLOB REFERENCES checks (id);
ALTER TABLE checks ADD COLUMN superseded_by BLOB REFERENCES checks (id);

UPDATE checks SET theme_version = 1;

-- A criterion removed before versions were kept is still one the theme had.
INSERT OR IGNORE INTO criteria (id, theme_id)
SELECT DISTINCT unhex(replace(json_extract(rating.value, '$.criterion_id'), '-', '')), checks.theme_id
FROM checks, json_each(checks.content, '$.ratings') AS rating;

CREATE TABLE check_ratings (
    check_id BLOB NOT NULL REFERENCES checks (id),
    criterion_id BLOB NOT NULL REFERENCES criteria (id),
    -- 1 to 4; NULL when the criterion did not apply (N/A).
    score INTEGER CHECK (score BETWEEN 1 AND 4),
    PRIMARY KEY (check_id, criterion_id)
) STRICT, WITHOUT ROWID;

INSERT INTO check_ratings (check_id, criterion_id, score)
SELECT checks.id,
       unhex(replace(json_extract(rating.value, '$.criterion_id'), '-', '')),
       json_extract(rating.value, '$.score')
FROM checks, json_each(checks.content, '$.ratings') AS rating;

CREATE INDEX check_ratings_by_criterion ON check_ratings (criterion_id, score);

-- The questions lists and trends ask, over current checks only.
DROP INDEX checks_by_service;
DROP INDEX checks_by_staff;
CREATE INDEX checks_current_by_time ON checks (observed_at_ms, id) WHERE superseded_by IS NULL;
CREATE INDEX checks_current_by_service ON checks (service_id, observed_at_ms, id) WHERE superseded_by IS NULL;
CREATE INDEX checks_current_by_staff ON checks (staff_id, observed_at_ms, id) WHERE superseded_by IS NULL;
CREATE INDEX checks_current_by_service_theme
    ON checks (service_id, theme_id, observed_at_ms, iso_week, meets_standard, weak) WHERE superseded_by IS NULL;
CREATE INDEX checks_current_by_staff_theme
    ON checks (staff_id, theme_id, observed_at_ms) WHERE superseded_by IS NULL;
CREATE INDEX checks_current_by_shift
    ON checks (service_id, theme_id, shift_kind, weekend, observed_at_ms) WHERE superseded_by IS NULL;
CREATE INDEX checks_by_original ON checks (original_id) WHERE original_id IS NOT NULL;
