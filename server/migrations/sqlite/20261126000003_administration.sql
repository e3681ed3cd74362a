-- A password an administrator set for someone (a one-time password) must be replaced by its
-- owner at their next sign-in.
ALTER TABLE users ADD COLUMN password_change_required INTEGER NOT NULL DEFAULT 0
    CHECK (password_change_required IN (0, 1));

CREATE INDEX audit_events_by_subject ON audit_events (subject_id, occurred_at_ms);
