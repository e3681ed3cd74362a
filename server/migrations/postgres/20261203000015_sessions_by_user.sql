-- Who each session is signed in as, so that changing or resetting a password, disabling a user
-- or taking away a role ends their sessions. Sessions from before carry none; they end at their
-- next request anyway, being undated (see auth::SESSION_LIFETIME_MS).
ALTER TABLE sessions ADD COLUMN user_id UUID;
CREATE INDEX sessions_by_user ON sessions (user_id) WHERE user_id IS NOT NULL;
