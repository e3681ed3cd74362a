//! Spot checks: each kept once, with its ratings as rows, and corrections that take the place of
//! the check they correct.

use super::{Storage, StorageResult};
use crate::domain::access::Actor;
use crate::domain::audit::{AuditEvent, Author};
use crate::domain::check::{AcceptedCheck, CheckFilter, StoredCheck};
use uuid::Uuid;

/// What became of a check sent to be kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckRecording {
    Stored,
    /// The same check was kept before (a device sending again); nothing new is stored.
    AlreadyStored,
    /// Another check with different content already has this id.
    IdTakenByDifferentCheck,
}

#[async_trait::async_trait]
pub trait CheckStore: Send + Sync {
    /// Any kept check, current or corrected since.
    async fn check(&self, id: Uuid) -> StorageResult<Option<StoredCheck>>;
    /// The corrections made to the check `id` (directly, or to its corrections), oldest first:
    /// the last is the one that stands.
    async fn amendments(&self, id: Uuid) -> StorageResult<Vec<StoredCheck>>;
    /// Current checks only (a corrected check gives way to its latest correction), newest
    /// observed first.
    async fn checks(&self, filter: &CheckFilter) -> StorageResult<Vec<StoredCheck>>;
}

#[async_trait::async_trait]
pub trait CheckWrites: Send {
    /// Keeps the check as sent, its ratings as rows and what they say; a correction takes the
    /// place of the check it corrects and of that check's earlier corrections. Whatever the
    /// number of times the same check is sent, it is kept once (its id decides).
    async fn insert_check(
        &mut self,
        check: &AcceptedCheck,
        device_id: &str,
        received_at_ms: i64,
    ) -> StorageResult<CheckRecording>;
}

impl Storage {
    /// Keeps a judged check; a correction is written to the audit trail with its reason.
    pub async fn record_check(
        &self,
        check: &AcceptedCheck,
        device_id: &str,
        by: &Author,
    ) -> StorageResult<CheckRecording> {
        let mut unit = self.begin().await?;
        let received_at_ms = self.now_ms();
        let recording = unit.insert_check(check, device_id, received_at_ms).await?;
        if let (CheckRecording::Stored, Some(amendment)) = (recording, &check.check.amends) {
            let summary = format!("Corrected a check: {}", amendment.reason.trim());
            let event = AuditEvent::new(received_at_ms, by, "check.corrected", Some(check.check.id), summary)
                .with_before(&serde_json::json!({ "check_id": amendment.check_id }))
                .with_after(&check.check);
            unit.insert_audit_event(&event).await?;
        }
        unit.commit().await?;
        Ok(recording)
    }
}

impl Storage {
    /// Keeps checks made elsewhere (the demonstration history, a large provider for benchmarks),
    /// each with when it reached the server, in one unit of work. A correction among them takes
    /// the place of the check it corrects, as in a sync; nothing is written to the audit trail.
    pub async fn record_history(&self, checks: &[(AcceptedCheck, i64)], device_id: &str) -> StorageResult<()> {
        let mut unit = self.begin().await?;
        for (check, received_at_ms) in checks {
            unit.insert_check(check, device_id, *received_at_ms).await?;
        }
        unit.commit().await
    }
}

/// The current checks `actor` may see that match `filter`, or `None` when the filter names a
/// service that is not theirs. Someone limited to some services is limited to them here.
pub async fn visible_checks(
    storage: &Storage,
    actor: &Actor,
    mut filter: CheckFilter,
) -> StorageResult<Option<Vec<StoredCheck>>> {
    match (&filter.service_ids, actor.service_scope()) {
        (Some(wanted), _) if !wanted.iter().all(|service| actor.covers(*service)) => return Ok(None),
        (None, Some(own)) => filter.service_ids = Some(own.to_vec()),
        _ => {}
    }
    Ok(Some(storage.checks.checks(&filter).await?))
}
