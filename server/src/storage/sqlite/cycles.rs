//! Improvement cycles and sustainment rules, in SQLite.

use super::{SqliteStorage, SqliteUnit, push_list};
use crate::storage::rows::{database_error, write_error};
use recheck_app::domain::cycle::{Cycle, SustainmentRule};
use recheck_app::storage::{CycleFilter, CycleStore, CycleWrites, StorageResult};
use sqlx::types::Json;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use uuid::Uuid;

fn select_cycles(filter: &CycleFilter) -> QueryBuilder<'static, Sqlite> {
    let mut query = QueryBuilder::new("SELECT c.record FROM cycles c WHERE 1 = 1");
    if let Some(services) = &filter.service_ids {
        query.push(" AND c.service_id IN ");
        push_list(&mut query, services);
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
        query.push(" AND c.id IN (SELECT cycle_id FROM cycle_staff WHERE staff_id = ").push_bind(staff).push(")");
    }
    query.push(" ORDER BY c.opened_at_ms DESC, c.id DESC");
    query
}

async fn read_cycle(connection: &mut SqliteConnection, id: Uuid) -> StorageResult<Option<Cycle>> {
    let record: Option<Json<Cycle>> = sqlx::query_scalar("SELECT record FROM cycles WHERE id = ?1")
        .bind(id)
        .fetch_optional(connection)
        .await
        .map_err(database_error)?;
    Ok(record.map(|record| record.0))
}

async fn read_rule(connection: &mut SqliteConnection, service_id: Uuid) -> StorageResult<SustainmentRule> {
    let rule: Option<Json<SustainmentRule>> =
        sqlx::query_scalar("SELECT rule FROM sustainment_rules WHERE service_id = ?1")
            .bind(service_id)
            .fetch_optional(connection)
            .await
            .map_err(database_error)?;
    Ok(rule.map(|rule| rule.0).unwrap_or_default())
}

#[async_trait::async_trait]
impl CycleStore for SqliteStorage {
    async fn cycle(&self, id: Uuid) -> StorageResult<Option<Cycle>> {
        read_cycle(&mut *self.connection().await?, id).await
    }

    async fn cycles(&self, filter: &CycleFilter) -> StorageResult<Vec<Cycle>> {
        let records: Vec<Json<Cycle>> =
            select_cycles(filter).build_query_scalar().fetch_all(&self.pool).await.map_err(database_error)?;
        Ok(records.into_iter().map(|record| record.0).collect())
    }

    async fn sustainment_rule(&self, service_id: Uuid) -> StorageResult<SustainmentRule> {
        read_rule(&mut *self.connection().await?, service_id).await
    }
}

/// Who the cycle is about, with its theme and whether it is open, for the one-open-cycle index.
async fn write_cycle_staff(connection: &mut SqliteConnection, cycle: &Cycle) -> StorageResult<()> {
    sqlx::query("DELETE FROM cycle_staff WHERE cycle_id = ?1")
        .bind(cycle.id)
        .execute(&mut *connection)
        .await
        .map_err(database_error)?;
    for staff_id in &cycle.staff_ids {
        sqlx::query("INSERT INTO cycle_staff (cycle_id, staff_id, theme_id, is_open) VALUES (?1, ?2, ?3, ?4)")
            .bind(cycle.id)
            .bind(staff_id)
            .bind(cycle.theme_id)
            .bind(cycle.is_open())
            .execute(&mut *connection)
            .await
            .map_err(write_error)?;
    }
    Ok(())
}

fn owner(cycle: &Cycle) -> Option<Uuid> {
    cycle.standard.as_ref().map(|standard| standard.owner_id)
}

#[async_trait::async_trait]
impl CycleWrites for SqliteUnit {
    async fn cycle_for_update(&mut self, id: Uuid) -> StorageResult<Option<Cycle>> {
        // The unit of work already holds SQLite's write lock.
        read_cycle(&mut self.tx, id).await
    }

    async fn open_cycles_of(&mut self, staff_ids: &[Uuid], theme_id: Uuid) -> StorageResult<Vec<Cycle>> {
        let mut query = QueryBuilder::new("SELECT c.record FROM cycles c WHERE c.is_open = 1 AND c.theme_id = ");
        query.push_bind(theme_id).push(" AND c.id IN (SELECT cycle_id FROM cycle_staff WHERE staff_id IN ");
        push_list(&mut query, staff_ids);
        query.push(")");
        let records: Vec<Json<Cycle>> =
            query.build_query_scalar().fetch_all(&mut *self.tx).await.map_err(database_error)?;
        Ok(records.into_iter().map(|record| record.0).collect())
    }

    async fn insert_cycle(&mut self, cycle: &Cycle) -> StorageResult<()> {
        sqlx::query(
            "INSERT INTO cycles (id, service_id, theme_id, owner_id, is_open, opened_at_ms, record) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
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
        sqlx::query("UPDATE cycles SET owner_id = ?2, is_open = ?3, record = ?4 WHERE id = ?1")
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
        read_rule(&mut self.tx, service_id).await
    }

    async fn save_sustainment_rule(&mut self, service_id: Uuid, rule: &SustainmentRule) -> StorageResult<()> {
        sqlx::query(
            "INSERT INTO sustainment_rules (service_id, rule) VALUES (?1, ?2) \
             ON CONFLICT (service_id) DO UPDATE SET rule = excluded.rule",
        )
        .bind(service_id)
        .bind(Json(rule))
        .execute(&mut *self.tx)
        .await
        .map_err(write_error)?;
        Ok(())
    }
}
