-- Users, their services, server-side sessions, sign-in throttling and the audit trail.
-- Times are milliseconds since 1970 (UTC).

CREATE TABLE users (
    id BLOB PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    roles TEXT NOT NULL CHECK (json_valid(roles)),
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE user_services (
    user_id BLOB NOT NULL REFERENCES users (id),
    service_id BLOB NOT NULL REFERENCES services (id),
    PRIMARY KEY (user_id, service_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at_ms INTEGER NOT NULL
) STRICT;

CREATE INDEX sessions_by_expiry ON sessions (expires_at_ms);

CREATE TABLE login_failures (
    throttle_key TEXT NOT NULL,
    occurred_at_ms INTEGER NOT NULL
) STRICT;

CREATE INDEX login_failures_by_key ON login_failures (throttle_key, occurred_at_ms);

CREATE TABLE audit_events (
    id BLOB PRIMARY KEY,
    occurred_at_ms INTEGER NOT NULL,
    author_id BLOB,
    author_name TEXT NOT NULL,
    action TEXT NOT NULL,
    subject_id BLOB,
    summary TEXT NOT NULL,
    before_state TEXT CHECK (before_state IS NULL OR json_valid(before_state)),
    after_state TEXT CHECK (after_state IS NULL OR json_valid(after_state))
) STRICT;

CREATE INDEX audit_events_by_time ON audit_events (occurred_at_ms);
