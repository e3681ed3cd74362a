-- The daily email (docs/domain.md §8): the last one each person was sent, with the warnings it
-- listed, and leases, by which one server instance of several takes a scheduled task for a while.
CREATE TABLE email_digests (
    user_id UUID PRIMARY KEY REFERENCES users (id),
    sent_on TEXT NOT NULL,
    warning_keys JSONB NOT NULL
);

CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at_ms BIGINT NOT NULL
);
