-- Evidence-grade records (docs/domain.md, "Checks as evidence"): practice themes with versions,
-- ratings as rows, each check's place in its service's calendar and what its ratings say, and
-- corrections that take the place of the check they correct.
--
-- Run with the rest of an upgrade in one transaction; Recheck then fills in, in Rust, what is
-- worked out by the domain's own rules (the calendar, the assessment, the correction chains),
-- and the next migration makes those columns required.

-- A criterion belongs to one theme for ever; its wording lives in the theme's versions.
CREATE TABLE criteria (
    id UUID PRIMARY KEY,
    theme_id UUID NOT NULL REFERENCES practice_themes (id)
);

CREATE INDEX criteria_by_theme ON criteria (theme_id);

CREATE TABLE theme_versions (
    theme_id UUID NOT NULL REFERENCES practice_themes (id),
    version INTEGER NOT NULL CHECK (version >= 1),
    expected_standard TEXT NOT NULL,
    made_at_ms BIGINT NOT NULL,
    made_by TEXT NOT NULL,
    PRIMARY KEY (theme_id, version)
);

CREATE TABLE theme_version_criteria (
    theme_id UUID NOT NULL,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    criterion_id UUID NOT NULL REFERENCES criteria (id),
    title TEXT NOT NULL,
    descriptor_1 TEXT NOT NULL,
    descriptor_2 TEXT NOT NULL,
    descriptor_3 TEXT NOT NULL,
    descriptor_4 TEXT NOT NULL,
    PRIMARY KEY (theme_id, version, position),
    UNIQUE (theme_id, version, criterion_id),
    FOREIGN KEY (theme_id, version) REFERENCES theme_versions (theme_id, version)
);

ALTER TABLE practice_themes ADD COLUMN current_version INTEGER NOT NULL DEFAULT 1;

-- Each theme so far becomes version 1 as it reads today: the wording before its last edit
-- was not kept by the earlier release.
INSERT INTO criteria (id, theme_id) SELECT id, theme_id FROM theme_criteria;

INSERT INTO theme_versions (theme_id, version, expected_standard, made_at_ms, made_by)
SELECT id, 1, expected_standard, (extract(epoch FROM created_at) * 1000)::BIGINT, 'Recheck (upgrade)'
FROM practice_themes;

INSERT INTO theme_version_criteria
    (theme_id, version, position, criterion_id, title, descriptor_1, descriptor_2, descriptor_3, descriptor_4)
SELECT theme_id, 1, position, id, title, descriptor_1, descriptor_2, descriptor_3, descriptor_4
FROM theme_criteria;

DROP TABLE theme_criteria;
-- The expected standard is a version's, like the criteria it is judged by.
ALTER TABLE practice_themes DROP COLUMN expected_standard;

ALTER TABLE checks
    ADD COLUMN theme_version INTEGER,
    ADD COLUMN local_date DATE,
    ADD COLUMN iso_week TEXT,
    ADD COLUMN month TEXT,
    ADD COLUMN meets_standard BOOLEAN,
    ADD COLUMN weak BOOLEAN,
    -- A correction names the first check of its chain; the checks a correction stands in place
    -- of name the correction that stands now.
    ADD COLUMN original_id UUID REFERENCES checks (id),
    ADD COLUMN superseded_by UUID REFERENCES checks (id);

UPDATE checks SET theme_version = 1;

-- A criterion removed before versions were kept is still one the theme had.
INSERT INTO criteria (id, theme_id)
SELECT DISTINCT (rating ->> 'criterion_id')::UUID, checks.theme_id
FROM checks, jsonb_array_elements(checks.content -> 'ratings') AS rating
ON CONFLICT (id) DO NOTHING;

CREATE TABLE check_ratings (
    check_id UUID NOT NULL REFERENCES checks (id),
    criterion_id UUID NOT NULL REFERENCES criteria (id),
    -- 1 to 4; NULL when the criterion did not apply (N/A).
    score SMALLINT CHECK (score BETWEEN 1 AND 4),
    PRIMARY KEY (check_id, criterion_id)
);

INSERT INTO check_ratings (check_id, criterion_id, score)
SELECT checks.id, (rating ->> 'criterion_id')::UUID, (rating ->> 'score')::SMALLINT
FROM checks, jsonb_array_elements(checks.content -> 'ratings') AS rating;

CREATE INDEX check_ratings_by_criterion ON check_ratings (criterion_id, score);

-- The questions lists and trends ask, over current checks only.
DROP INDEX checks_by_service;
DROP INDEX checks_by_staff;
CREATE INDEX checks_current_by_time ON checks (observed_at_ms DESC, id DESC) WHERE superseded_by IS NULL;
CREATE INDEX checks_current_by_service
    ON checks (service_id, observed_at_ms DESC, id DESC) WHERE superseded_by IS NULL;
CREATE INDEX checks_current_by_staff ON checks (staff_id, observed_at_ms DESC, id DESC) WHERE superseded_by IS NULL;
CREATE INDEX checks_current_by_service_theme
    ON checks (service_id, theme_id, observed_at_ms) INCLUDE (iso_week, meets_standard, weak)
    WHERE superseded_by IS NULL;
CREATE INDEX checks_current_by_staff_theme
    ON checks (staff_id, theme_id, observed_at_ms) WHERE superseded_by IS NULL;
CREATE INDEX checks_current_by_shift
    ON checks (service_id, theme_id, shift_kind, weekend, observed_at_ms) WHERE superseded_by IS NULL;
CREATE INDEX checks_by_original ON checks (original_id) WHERE original_id IS NOT NULL;
