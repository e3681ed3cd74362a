//! The audit trail, in PostgreSQL.

use super::{PostgresStorage, PostgresUnit};
use crate::storage::rows::{AuditRow, database_error};
use recheck_app::domain::audit::{AuditEvent, AuditFilter};
use recheck_app::storage::{AuditStore, AuditWrites, StorageResult};
use sqlx::types::Json;

#[async_trait::async_trait]
impl AuditStore for PostgresStorage {
    async fn audit_events(&self, filter: &AuditFilter) -> StorageResult<Vec<AuditEvent>> {
        let rows = sqlx::query_as::<_, AuditRow>(
            "SELECT id, occurred_at_ms, author_id, author_name, action, subject_id, summary, before_state, after_state \
             FROM audit_events \
             WHERE ($1 IS NULL OR action = $1 OR action LIKE $1 || '.%') \
               AND ($2 IS NULL OR author_id = $2) \
               AND ($3 IS NULL OR subject_id = $3) \
               AND ($4 IS NULL OR occurred_at_ms >= $4) \
               AND ($5 IS NULL OR occurred_at_ms < $5) \
             ORDER BY occurred_at_ms DESC, id DESC LIMIT $6",
        )
        .bind(filter.action_prefix.as_deref())
        .bind(filter.author_id)
        .bind(filter.subject_id)
        .bind(filter.from_ms)
        .bind(filter.to_ms)
        .bind(i64::from(filter.limit))
        .fetch_all(&self.pool)
        .await
        .map_err(database_error)?;
        Ok(rows.into_iter().map(AuditEvent::from).collect())
    }
}

#[async_trait::async_trait]
impl AuditWrites for PostgresUnit {
    async fn insert_audit_event(&mut self, event: &AuditEvent) -> StorageResult<()> {
        sqlx::query(
            "INSERT INTO audit_events \
                (id, occurred_at_ms, author_id, author_name, action, subject_id, summary, before_state, after_state) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(event.id)
        .bind(event.occurred_at_ms)
        .bind(event.author.user_id)
        .bind(&event.author.name)
        .bind(&event.action)
        .bind(event.subject_id)
        .bind(&event.summary)
        .bind(event.before.as_ref().map(Json))
        .bind(event.after.as_ref().map(Json))
        .execute(&mut *self.tx)
        .await
        .map_err(database_error)?;
        Ok(())
    }
}
