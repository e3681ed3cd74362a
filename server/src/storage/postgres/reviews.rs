//! Reviews and their cadence, in PostgreSQL: the cadence being replaced is read `FOR UPDATE`,
//! so the audit trail's "before" is the one replaced.

use super::{PostgresStorage, PostgresUnit};
use crate::storage::rows::{database_error, write_error};
use recheck_app::domain::review::{Cadence, Review, ReviewKind};
use recheck_app::storage::{ReviewFilter, ReviewStore, ReviewWrites, StorageResult};
use sqlx::types::Json;
use uuid::Uuid;

#[async_trait::async_trait]
impl ReviewStore for PostgresStorage {
    async fn review_cadences(&self, service_ids: &[Uuid]) -> StorageResult<Vec<Cadence>> {
        let records: Vec<Json<Cadence>> =
            sqlx::query_scalar("SELECT record FROM review_cadences WHERE service_id = ANY($1)")
                .bind(service_ids)
                .fetch_all(&self.pool)
                .await
                .map_err(database_error)?;
        Ok(records.into_iter().map(|record| record.0).collect())
    }

    async fn reviews(&self, filter: &ReviewFilter) -> StorageResult<Vec<Review>> {
        let records: Vec<Json<Review>> = sqlx::query_scalar(
            "SELECT record FROM reviews \
             WHERE ($1::uuid[] IS NULL OR service_id = ANY($1)) AND ($2::text[] IS NULL OR kind = ANY($2)) \
             AND ($3::bigint IS NULL OR recorded_at_ms >= $3) \
             AND ($5::bigint IS NULL OR (recorded_at_ms, id) < ($5, $6::uuid)) \
             ORDER BY recorded_at_ms DESC, id DESC LIMIT $4",
        )
        .bind(filter.service_ids.as_deref())
        .bind(filter.kinds.as_ref().map(|kinds| kinds.iter().map(|kind| kind.code()).collect::<Vec<_>>()))
        .bind(filter.recorded_from_ms)
        .bind(filter.limit)
        .bind(filter.after.as_ref().map(|after| after.recorded_at_ms))
        .bind(filter.after.as_ref().map(|after| after.id))
        .fetch_all(&self.pool)
        .await
        .map_err(database_error)?;
        Ok(records.into_iter().map(|record| record.0).collect())
    }

    async fn review(&self, id: Uuid) -> StorageResult<Option<Review>> {
        let record: Option<Json<Review>> = sqlx::query_scalar("SELECT record FROM reviews WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(database_error)?;
        Ok(record.map(|record| record.0))
    }
}

#[async_trait::async_trait]
impl ReviewWrites for PostgresUnit {
    async fn review_cadence_for_update(
        &mut self,
        service_id: Uuid,
        kind: ReviewKind,
    ) -> StorageResult<Option<Cadence>> {
        let record: Option<Json<Cadence>> =
            sqlx::query_scalar("SELECT record FROM review_cadences WHERE service_id = $1 AND kind = $2 FOR UPDATE")
                .bind(service_id)
                .bind(kind.code())
                .fetch_optional(&mut *self.tx)
                .await
                .map_err(database_error)?;
        Ok(record.map(|record| record.0))
    }

    async fn save_review_cadence(&mut self, cadence: &Cadence) -> StorageResult<()> {
        sqlx::query(
            "INSERT INTO review_cadences (service_id, kind, record) VALUES ($1, $2, $3) \
             ON CONFLICT (service_id, kind) DO UPDATE SET record = EXCLUDED.record",
        )
        .bind(cadence.service_id)
        .bind(cadence.kind.code())
        .bind(Json(cadence))
        .execute(&mut *self.tx)
        .await
        .map_err(write_error)?;
        Ok(())
    }

    async fn insert_review(&mut self, review: &Review) -> StorageResult<()> {
        sqlx::query(
            "INSERT INTO reviews (id, service_id, kind, period, recorded_at_ms, record) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(review.id)
        .bind(review.service_id)
        .bind(review.kind.code())
        .bind(&review.period)
        .bind(review.recorded_at_ms)
        .bind(Json(review))
        .execute(&mut *self.tx)
        .await
        .map_err(write_error)?;
        Ok(())
    }
}
