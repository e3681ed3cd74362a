//! The daily email's records and leases, in PostgreSQL.

use super::PostgresStorage;
use crate::storage::rows::{database_error, write_error};
use recheck_app::domain::digest::DigestRecord;
use recheck_app::domain::wall_clock::CalendarDate;
use recheck_app::storage::{DigestStore, StorageError, StorageResult};
use sqlx::types::Json;
use uuid::Uuid;

#[async_trait::async_trait]
impl DigestStore for PostgresStorage {
    async fn last_digest(&self, user_id: Uuid) -> StorageResult<Option<DigestRecord>> {
        let row: Option<(String, Json<Vec<String>>)> =
            sqlx::query_as("SELECT sent_on, warning_keys FROM email_digests WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await
                .map_err(database_error)?;
        row.map(|(sent_on, keys)| {
            let sent_on = CalendarDate::parse(&sent_on)
                .ok_or_else(|| StorageError::Database(format!("“{sent_on}” is not a date")))?;
            Ok(DigestRecord { user_id, sent_on, warning_keys: keys.0 })
        })
        .transpose()
    }

    async fn save_digest(&self, record: &DigestRecord) -> StorageResult<()> {
        sqlx::query(
            "INSERT INTO email_digests (user_id, sent_on, warning_keys) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET sent_on = EXCLUDED.sent_on, warning_keys = EXCLUDED.warning_keys",
        )
        .bind(record.user_id)
        .bind(record.sent_on.to_string())
        .bind(Json(&record.warning_keys))
        .execute(&self.pool)
        .await
        .map_err(write_error)?;
        Ok(())
    }

    async fn take_lease(&self, name: &str, holder: &str, now_ms: i64, until_ms: i64) -> StorageResult<bool> {
        let taken = sqlx::query(
            "INSERT INTO leases (name, holder, expires_at_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at_ms = EXCLUDED.expires_at_ms \
             WHERE leases.expires_at_ms <= $4 OR leases.holder = EXCLUDED.holder",
        )
        .bind(name)
        .bind(holder)
        .bind(until_ms)
        .bind(now_ms)
        .execute(&self.pool)
        .await
        .map_err(write_error)?;
        Ok(taken.rows_affected() == 1)
    }
}
