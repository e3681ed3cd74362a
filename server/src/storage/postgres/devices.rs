//! What devices hold, in PostgreSQL.

use super::PostgresStorage;
use crate::storage::rows::{DeviceReportRow, database_error, write_error};
use recheck_app::domain::outbox::DeviceReport;
use recheck_app::storage::{DeviceStore, StorageResult};
use uuid::Uuid;

#[async_trait::async_trait]
impl DeviceStore for PostgresStorage {
    async fn save_device_report(&self, report: &DeviceReport) -> StorageResult<()> {
        sqlx::query(
            "INSERT INTO device_reports \
             (device_id, user_id, reported_at_ms, unsent, waiting, refused, oldest_saved_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (device_id, user_id) DO UPDATE SET reported_at_ms = EXCLUDED.reported_at_ms, \
             unsent = EXCLUDED.unsent, waiting = EXCLUDED.waiting, refused = EXCLUDED.refused, \
             oldest_saved_at_ms = EXCLUDED.oldest_saved_at_ms",
        )
        .bind(&report.device_id)
        .bind(report.user_id)
        .bind(report.reported_at_ms)
        .bind(i64::from(report.held.unsent))
        .bind(i64::from(report.held.waiting))
        .bind(i64::from(report.held.refused))
        .bind(report.held.oldest_saved_at_ms)
        .execute(&self.pool)
        .await
        .map_err(write_error)?;
        Ok(())
    }

    async fn holding_devices(&self, user_ids: &[Uuid]) -> StorageResult<Vec<DeviceReport>> {
        let rows: Vec<DeviceReportRow> = sqlx::query_as(
            "SELECT device_id, user_id, reported_at_ms, unsent, waiting, refused, oldest_saved_at_ms \
             FROM device_reports WHERE unsent + waiting + refused > 0 AND user_id = ANY($1) \
             ORDER BY oldest_saved_at_ms, device_id",
        )
        .bind(user_ids)
        .fetch_all(&self.pool)
        .await
        .map_err(database_error)?;
        Ok(rows.into_iter().map(DeviceReport::from).collect())
    }
}
