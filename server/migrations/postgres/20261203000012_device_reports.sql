-- What each device last told the server it holds for one person: checks not yet sent, sent with
-- no answer kept, and refused, with when the oldest was saved (docs/domain.md §8). One row per
-- device and person, replaced by each report.
CREATE TABLE device_reports (
    device_id TEXT NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id),
    reported_at_ms BIGINT NOT NULL,
    unsent BIGINT NOT NULL CHECK (unsent >= 0),
    waiting BIGINT NOT NULL CHECK (waiting >= 0),
    refused BIGINT NOT NULL CHECK (refused >= 0),
    oldest_saved_at_ms BIGINT,
    PRIMARY KEY (device_id, user_id)
);

-- Home pages ask only about devices that hold something.
CREATE INDEX device_reports_holding ON device_reports (user_id) WHERE unsent + waiting + refused > 0;
