//! What devices hold: each device's latest report of the checks it holds for one person.

use super::StorageResult;
use crate::domain::outbox::DeviceReport;
use uuid::Uuid;

#[async_trait::async_trait]
pub trait DeviceStore: Send + Sync {
    /// Keeps `report` in place of the last from the same device about the same person. A
    /// device's report is about the device, not a change to the records, so it has no audit
    /// event.
    async fn save_device_report(&self, report: &DeviceReport) -> StorageResult<()>;
    /// The latest reports about `user_ids` from devices that hold any check, oldest held first.
    async fn holding_devices(&self, user_ids: &[Uuid]) -> StorageResult<Vec<DeviceReport>>;
}
