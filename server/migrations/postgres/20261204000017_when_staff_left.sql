-- When a staff member was marked as having left, so that no check observed after it is accepted
-- (issue 13, finding 8). Leavers from before this release take the moment of the audit event that
-- marked them; one with no such event keeps NULL (unknown) until next changed.
ALTER TABLE staff_members ADD COLUMN left_at_ms BIGINT;
UPDATE staff_members SET left_at_ms = (
    SELECT MAX(event.occurred_at_ms) FROM audit_events event
     WHERE event.subject_id = staff_members.id AND event.action = 'staff.left'
) WHERE has_left;
