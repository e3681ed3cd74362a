//! Reviews and their cadence, in SQLite.

use super::{SqliteStorage, SqliteUnit, push_list};
use crate::storage::rows::{database_error, write_error};
use recheck_app::domain::review::{Cadence, Review, ReviewKind};
use recheck_app::storage::{ReviewFilter, ReviewStore, ReviewWrites, StorageResult};
use sqlx::types::Json;
use sqlx::{QueryBuilder, Sqlite};
use uuid::Uuid;

#[async_trait::async_trait]
impl ReviewStore for SqliteStorage {
    async fn review_cadences(&self, service_ids: &[Uuid]) -> StorageResult<Vec<Cadence>> {
        let mut query = QueryBuilder::<Sqlite>::new("SELECT record FROM review_cadences WHERE service_id IN ");
        push_list(&mut query, service_ids);
        let records: Vec<Json<Cadence>> =
            query.build_query_scalar().fetch_all(&self.pool).await.map_err(database_error)?;
        Ok(records.into_iter().map(|record| record.0).collect())
    }

    async fn reviews(&self, filter: &ReviewFilter) -> StorageResult<Vec<Review>> {
        let mut query = QueryBuilder::<Sqlite>::new("SELECT record FROM reviews WHERE 1 = 1");
        if let Some(service_ids) = &filter.service_ids {
            query.push(" AND service_id IN ");
            push_list(&mut query, service_ids);
        }
        if let Some(kinds) = &filter.kinds {
            query.push(" AND kind IN (");
            let mut list = query.separated(", ");
            for kind in kinds {
                list.push_bind(kind.code());
            }
            list.push_unseparated(if kinds.is_empty() { "NULL)" } else { ")" });
        }
        if let Some(from) = filter.recorded_from_ms {
            query.push(" AND recorded_at_ms >= ").push_bind(from);
        }
        if let Some(after) = &filter.after {
            query.push(" AND (recorded_at_ms, id) < (").push_bind(after.recorded_at_ms).push(", ");
            query.push_bind(after.id).push(")");
        }
        query.push(" ORDER BY recorded_at_ms DESC, id DESC LIMIT ").push_bind(filter.limit);
        let records: Vec<Json<Review>> =
            query.build_query_scalar().fetch_all(&self.pool).await.map_err(database_error)?;
        Ok(records.into_iter().map(|record| record.0).collect())
    }

    async fn review(&self, id: Uuid) -> StorageResult<Option<Review>> {
        let record: Option<Json<Review>> = sqlx::query_scalar("SELECT record FROM reviews WHERE id = ?1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(database_error)?;
        Ok(record.map(|record| record.0))
    }
}

#[async_trait::async_trait]
impl ReviewWrites for SqliteUnit {
    async fn review_cadence_for_update(
        &mut self,
        service_id: Uuid,
        kind: ReviewKind,
    ) -> StorageResult<Option<Cadence>> {
        // The unit of work already holds SQLite's write lock.
        let record: Option<Json<Cadence>> =
            sqlx::query_scalar("SELECT record FROM review_cadences WHERE service_id = ?1 AND kind = ?2")
                .bind(service_id)
                .bind(kind.code())
                .fetch_optional(&mut *self.tx)
                .await
                .map_err(database_error)?;
        Ok(record.map(|record| record.0))
    }

    async fn save_review_cadence(&mut self, cadence: &Cadence) -> StorageResult<()> {
        sqlx::query(
            "INSERT INTO review_cadences (service_id, kind, record) VALUES (?1, ?2, ?3) \
             ON CONFLICT (service_id, kind) DO UPDATE SET record = excluded.record",
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
            "INSERT INTO reviews (id, service_id, kind, period, recorded_at_ms, record) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
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
