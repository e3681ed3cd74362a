//! What the daily email keeps: the last email each person was sent, and leases, by which one
//! server instance of several takes a scheduled task for a while.

use super::StorageResult;
use crate::domain::digest::DigestRecord;
use uuid::Uuid;

#[async_trait::async_trait]
pub trait DigestStore: Send + Sync {
    async fn last_digest(&self, user_id: Uuid) -> StorageResult<Option<DigestRecord>>;
    /// Keeps `record` in place of the person's last. An email sent is not a change to the
    /// records, so it has no audit event.
    async fn save_digest(&self, record: &DigestRecord) -> StorageResult<()>;
    /// Takes the lease `name` for `holder` until `until_ms`, if nobody else holds it at `now_ms`
    /// (a holder may renew its own). Whether it was taken.
    async fn take_lease(&self, name: &str, holder: &str, now_ms: i64, until_ms: i64) -> StorageResult<bool>;
}
