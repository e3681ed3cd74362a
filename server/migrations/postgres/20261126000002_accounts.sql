-- Users, their services, server-side sessions, sign-in throttling and the audit trail.
-- Times are milliseconds since 1970 (UTC).

CREATE TABLE users (
    id UUID PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    roles JSONB NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE user_services (
    user_id UUID NOT NULL REFERENCES users (id),
    service_id UUID NOT NULL REFERENCES services (id),
    PRIMARY KEY (user_id, service_id)
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at_ms BIGINT NOT NULL
);

CREATE INDEX sessions_by_expiry ON sessions (expires_at_ms);

CREATE TABLE login_failures (
    throttle_key TEXT NOT NULL,
    occurred_at_ms BIGINT NOT NULL
);

CREATE INDEX login_failures_by_key ON login_failures (throttle_key, occurred_at_ms);

CREATE TABLE audit_events (
    id UUID PRIMARY KEY,
    occurred_at_ms BIGINT NOT NULL,
    author_id UUID,
    author_name TEXT NOT NULL,
    action TEXT NOT NULL,
    subject_id UUID,
    summary TEXT NOT NULL,
    before_state JSONB,
    after_state JSONB
);

CREATE INDEX audit_events_by_time ON audit_events (occurred_at_ms);
