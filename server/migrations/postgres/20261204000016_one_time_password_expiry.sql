-- A one-time password an administrator hands over stops working after a while (issue 13,
-- finding 5). NULL: a password its owner chose, which does not expire. One-time passwords
-- handed over before this release expire 72 hours after the upgrade.
ALTER TABLE users ADD COLUMN password_expires_at_ms BIGINT;
UPDATE users SET password_expires_at_ms = (extract(epoch FROM now()) * 1000)::BIGINT + 259200000
 WHERE password_change_required;
