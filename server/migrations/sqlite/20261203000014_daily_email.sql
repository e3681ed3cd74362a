-- The daily email (docs/domain.md §8): the last one each person was sent, with the warnings it
-- listed, and leases, by which one server instance of several takes a scheduled task for a while.
CREATE TABLE email_digests (
    user_id BLOB PRIMARY KEY REFERENCES users (id),
    sent_on TEXT NOT NULL,
    warning_keys TEXT NOT NULL CHECK (json_valid(warning_keys))
) STRICT;

CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at_ms INTEGER NOT NULL
) STRICT;
