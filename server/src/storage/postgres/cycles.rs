//! Improvement cycles and sustainment rules, in PostgreSQL: a cycle being changed is read
//! `FOR UPDATE`, and a service's rule row too, so two instances never change one at once.

use super::{PostgresStorage, PostgresUnit};
use crate::storage::rows::{database_error, write_error};
use recheck_app::domain::cycle::{Cycle, SustainmentRule};
use recheck_app::storage::{CycleFilter, CycleStore, CycleWrites, StorageResult};
use sqlx::types::Json;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

fn select_cycles(filter: &CycleFilter) -> QueryBuilder<'static, Postgres> {
    let mut query = QueryBuilder::new("SELECT c.record FROM cycles c WHERE TRUE");
    if let Some(services) = &filter.service_ids {
        query.push(" AND c.service_id = ANY(").push_bind(services.clone()).push(")");
    }
    if let Some(open) = filter.open {
        query.push(" AND c.is_open = ").push_bind(open);
    }
    if let Some(owner) = filter.owner_id {
        query.push(" AND c.owner_id = ").push_bind(owner);
    }
    if let Some(theme) = filter.theme_id {
        query.push(" AND c.theme_id = ").push_bind(theme);
    }
    if let Some(staff) = filter.staff_id {
        query.push(" AND EXISTS (SELECT 1 FROM cycle_staff s WHERE s.cycle_id = c.id AND s.staff_id = ");
        query.push_bind(staff).push(")");
    }
    query.push(" ORDER BY c.opened_at_ms DESC, c.id DESC");
    query
}

async fn read_cycle(connection: &mut PgConnection, id: Uuid, lock: &str) -> StorageResult<Option<Cycle>> {
    let record: Option<Json<Cycle>> = sqlx::query_scalar(&format!("SELECT record FROM cycles WHERE id = $1{lock}"))
        .bind(id)
        .fetch_optional(connection)
        .await
        .map_err(database_error)?;
    Ok(record.map(|record| record.0))
}

async fn read_rule(connection: &mut PgConnection, service_id: Uuid, lock: &str) -> StorageResult<SustainmentRule> {
    let rule: Option<Json<SustainmentRule>> =
        sqlx::query_scalar(&format!("SELECT rule FROM sustainment_rules WHERE service_id = $1{lock}"))
            .bind(service_id)
            .fetch_optional(connection)
            .await
            .map_err(database_error)?;
    Ok(rule.map(|rule| rule.0).unwrap_or_default())
}

#[async_trait::async_trait]
impl CycleStore for PostgresStorage {
    async fn cycle(&self, id: Uuid) -> StorageResult<Option<Cycle>> {
        read_cycle(&mut *self.pool.acquire().await.map_err(database_error)?, id, "").await
    }

    async fn cycles(&self, filter: &CycleFilter) -> StorageResult<Vec<Cycle>> {
        let records: Vec<Json<Cycle>> =
            select_cycles(filter).build_query_scalar().fetch_all(&self.pool).await.map_err(database_error)?;
        Ok(records.into_iter().map(|record| record.0).collect())
    }

    async fn sustainment_rule(&self, service_id: Uuid) -> StorageResult<SustainmentRule> {
        read_rule(&mut *self.pool.acquire().await.map_err(database_error)?, service_id, "").await
    }
}

/// Who the cycle is about, with its theme and whether it is open, for the one-open-cycle index.
async fn write_cycle_staff(connection: &mut PgConnection, cycle: &Cycle) -> StorageResult<()> {
    sqlx::query("DELETE FROM cycle_staff WHERE cycle_id = $1")
        .bind(cycle.id)
        .execute(&mut *connection)
        .await
        .map_err(database_error)?;
    sqlx::query(
        "INSERT INTO cycle_staff (cycle_id, staff_id, theme_id, is_open) \
         SELECT $1, staff_id, $3, $4 FROM UNNEST($2::uuid[]) AS staff(staff_id)",
    )
    .bind(cycle.id)
    .bind(&cycle.staff_ids)
    .bind(cycle.theme_id)
    .bind(cycle.is_open())
    .execute(&mut *connection)
    .await
    .map_err(write_error)?;
    Ok(())
}

fn owner(cycle: &Cycle) -> Option<Uuid> {
    cycle.standard.as_ref().map(|standard| standard.owner_id)
}

#[async_trait::async_trait]
impl CycleWrites for PostgresUnit {
    async fn cycle_for_update(&mut self, id: Uuid) -> StorageResult<Option<Cycle>> {
        read_cycle(&mut self.tx, id, " FOR UPDATE").await
    }

    async fn open_cycles_of(&mut self, staff_ids: &[Uuid], theme_id: Uuid) -> StorageResult<Vec<Cycle>> {
        let records: Vec<Json<Cycle>> = sqlx::query_scalar(
            "SELECT c.record FROM cycles c WHERE c.is_open AND c.theme_id = $1 AND EXISTS \
               (SELECT 1 FROM cycle_staff s WHERE s.cycle_id = c.id AND s.staff_id = ANY($2)) \
             FOR UPDATE",
        )
        .bind(theme_id)
        .bind(staff_ids)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(database_error)?;
        Ok(records.into_iter().map(|record| record.0).collect())
    }

    async fn insert_cycle(&mut self, cycle: &Cycle) -> StorageResult<()> {
        sqlx::query(
            "INSERT INTO cycles (id, service_id, theme_id, owner_id, is_open, opened_at_ms, record) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(cycle.id)
        .bind(cycle.service_id)
        .bind(cycle.theme_id)
        .bind(owner(cycle))
        .bind(cycle.is_open())
        .bind(cycle.opened_at_ms)
        .bind(Json(cycle))
        .execute(&mut *self.tx)
        .await
        .map_err(write_error)?;
        write_cycle_staff(&mut self.tx, cycle).await
    }

    async fn update_cycle(&mut self, cycle: &Cycle) -> StorageResult<()> {
        sqlx::query("UPDATE cycles SET owner_id = $2, is_open = $3, record = $4 WHERE id = $1")
            .bind(cycle.id)
            .bind(owner(cycle))
            .bind(cycle.is_open())
            .bind(Json(cycle))
            .execute(&mut *self.tx)
            .await
            .map_err(write_error)?;
        write_cycle_staff(&mut self.tx, cycle).await
    }

    async fn sustainment_rule_for_update(&mut self, service_id: Uuid) -> StorageResult<SustainmentRule> {
        // The service row is locked too, for a service that has no rule row yet.
        super::organisation::lock(&mut self.tx, "services", service_id).await?;
        read_rule(&mut self.tx, service_id, " FOR UPDATE").await
    }

    async fn save_sustainment_rule(&mut self, service_id: Uuid, rule: &SustainmentRule) -> StorageResult<()> {
        sqlx::query(
            "INSERT INTO sustainment_rules (service_id, rule) VALUES ($1, $2) \
             ON CONFLICT (service_id) DO UPDATE SET rule = EXCLUDED.rule",
        )
        .bind(service_id)
        .bind(Json(rule))
        .execute(&mut *self.tx)
        .await
        .map_err(write_error)?;
        Ok(())
    }
}
