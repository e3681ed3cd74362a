//! Managers' decisions about warnings, in SQLite.

use super::{SqliteStorage, SqliteUnit, push_list};
use crate::storage::rows::{database_error, write_error};
use recheck_app::domain::warning::WarningDecision;
use recheck_app::storage::{StorageResult, WarningStore, WarningWrites};
use sqlx::types::Json;
use sqlx::{QueryBuilder, Sqlite};
use uuid::Uuid;

#[async_trait::async_trait]
impl WarningStore for SqliteStorage {
    async fn warning_decisions(&self, service_ids: &[Uuid]) -> StorageResult<Vec<WarningDecision>> {
        let mut query = QueryBuilder::<Sqlite>::new("SELECT record FROM warning_decisions WHERE service_id IN ");
        push_list(&mut query, service_ids);
        let records: Vec<Json<WarningDecision>> =
            query.build_query_scalar().fetch_all(&self.pool).await.map_err(database_error)?;
        Ok(records.into_iter().map(|record| record.0).collect())
    }
}

#[async_trait::async_trait]
impl WarningWrites for SqliteUnit {
    async fn warning_decision_for_update(&mut self, key: &str) -> StorageResult<Option<WarningDecision>> {
        // The unit of work already holds SQLite's write lock.
        let record: Option<Json<WarningDecision>> =
            sqlx::query_scalar("SELECT record FROM warning_decisions WHERE key = ?1")
                .bind(key)
                .fetch_optional(&mut *self.tx)
                .await
                .map_err(database_error)?;
        Ok(record.map(|record| record.0))
    }

    async fn save_warning_decision(&mut self, decision: &WarningDecision) -> StorageResult<()> {
        sqlx::query(
            "INSERT INTO warning_decisions (key, service_id, record) VALUES (?1, ?2, ?3) \
             ON CONFLICT (key) DO UPDATE SET record = excluded.record",
        )
        .bind(&decision.key)
        .bind(decision.service_id)
        .bind(Json(decision))
        .execute(&mut *self.tx)
        .await
        .map_err(write_error)?;
        Ok(())
    }
}
