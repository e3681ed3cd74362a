-- A correction is a new check pointing at the one it corrects; the original never changes.
ALTER TABLE checks ADD COLUMN amends_id BLOB REFERENCES checks (id);

CREATE INDEX checks_by_amended ON checks (amends_id);
