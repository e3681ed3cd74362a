//! The audit trail: who changed what, when, from what to what.

use super::{Storage, StorageResult};
use crate::domain::audit::{AuditEvent, AuditFilter};

#[async_trait::async_trait]
pub trait AuditStore: Send + Sync {
    /// Newest first.
    async fn audit_events(&self, filter: &AuditFilter) -> StorageResult<Vec<AuditEvent>>;
}

#[async_trait::async_trait]
pub trait AuditWrites: Send {
    async fn insert_audit_event(&mut self, event: &AuditEvent) -> StorageResult<()>;
}

impl Storage {
    /// For events that are not changes to stored records, such as sign-ins.
    pub async fn record_audit_event(&self, event: &AuditEvent) -> StorageResult<()> {
        let mut unit = self.begin().await?;
        unit.insert_audit_event(event).await?;
        unit.commit().await
    }
}
