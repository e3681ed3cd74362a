//! PostgreSQL: for larger providers and for several server instances sharing one database.
//! A unit of work reads what it changes with `FOR UPDATE`, so two instances changing the same
//! record wait for each other and each audit event's "before" is what the change replaced.

mod accounts;
mod audit;
mod checks;
mod cycles;
mod devices;
mod digests;
mod organisation;
mod reviews;
mod warnings;

use super::rows::database_error;
use super::upgrade::{self, EVIDENCE_MIGRATION, Evidence, EvidenceTarget, KeptCheck};
use super::{OpenError, reason, redact};
use recheck_app::storage::{Backend, StorageResult, UnitOfWork};
use sqlx::ConnectOptions;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;
use uuid::Uuid;

pub static MIGRATOR: Migrator = sqlx::migrate!("migrations/postgres");

type Transaction = sqlx::Transaction<'static, sqlx::Postgres>;

pub struct PostgresStorage {
    pool: PgPool,
}

/// One PostgreSQL transaction, as a unit of work.
pub struct PostgresUnit {
    tx: Transaction,
}

impl PostgresStorage {
    pub async fn open(url: &str) -> Result<Self, OpenError> {
        Self::open_with(url, PgConnectOptions::from_str(url), &MIGRATOR).await
    }

    /// Opens with every connection's `search_path` set to `schema`, so tests can each have a
    /// schema of their own in one database.
    pub async fn open_in_schema(url: &str, schema: &str) -> Result<Self, OpenError> {
        Self::open_in_schema_with_migrations(url, schema, &MIGRATOR).await
    }

    /// As [`PostgresStorage::open_in_schema`], with `migrator`'s migrations instead of this
    /// release's: for tests that build the database an earlier release made, or one with a step
    /// that fails.
    pub async fn open_in_schema_with_migrations(
        url: &str,
        schema: &str,
        migrator: &Migrator,
    ) -> Result<Self, OpenError> {
        let options = PgConnectOptions::from_str(url).map(|options| options.options([("search_path", schema)]));
        Self::open_with(url, options, migrator).await
    }

    async fn open_with(
        url: &str,
        options: Result<PgConnectOptions, sqlx::Error>,
        migrator: &Migrator,
    ) -> Result<Self, OpenError> {
        let location = redact(url);
        let failed = |reason: String| OpenError::Postgres { location: location.clone(), reason };
        let options = options.map_err(|error| failed(reason(&error)))?.log_statements(tracing::log::LevelFilter::Trace);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(|error| failed(reason(&error)))?;
        bring_up_to_date(&pool, migrator)
            .await
            .map_err(|reason| OpenError::Migration { location: location.clone(), reason })?;
        Ok(PostgresStorage { pool })
    }

    /// A connection of the pool's, for reads made of several statements.
    async fn connection(&self) -> StorageResult<sqlx::pool::PoolConnection<sqlx::Postgres>> {
        self.pool.acquire().await.map_err(database_error)
    }
}

async fn bring_up_to_date(pool: &PgPool, migrator: &Migrator) -> Result<(), String> {
    let mut tx = pool.begin().await.map_err(|error| reason(&error))?;
    // Instances starting together take turns; the lock ends with the transaction.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('recheck migrations ' || current_schema()))")
        .execute(&mut *tx)
        .await
        .map_err(|error| reason(&error))?;
    for migration in upgrade::pending(&mut *tx, migrator).await? {
        upgrade::apply(&mut *tx, migration).await?;
        if migration.version == EVIDENCE_MIGRATION {
            upgrade::fill_in_evidence(&mut PostgresUpgrade(&mut tx))
                .await
                .map_err(|error| upgrade::step_failed(migration, &error))?;
        }
    }
    tx.commit().await.map_err(|error| reason(&error))
}

/// The upgrade's transaction, as the evidence step writes to it.
struct PostgresUpgrade<'a>(&'a mut Transaction);

#[async_trait::async_trait]
impl EvidenceTarget for PostgresUpgrade<'_> {
    async fn kept_checks(&mut self) -> Result<Vec<KeptCheck>, sqlx::Error> {
        sqlx::query_as::<_, KeptCheck>(
            "SELECT c.id, c.content, c.observed_at_ms, c.amends_id, s.time_zone \
             FROM checks c JOIN services s ON s.id = c.service_id ORDER BY c.received_at_ms, c.id",
        )
        .fetch_all(&mut **self.0)
        .await
    }

    async fn write_evidence(&mut self, evidence: &Evidence) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE checks SET local_date = $2::DATE, iso_week = $3, month = $4, meets_standard = $5, \
                weak = $6, original_id = $7 WHERE id = $1",
        )
        .bind(evidence.id)
        .bind(&evidence.calendar.local_date)
        .bind(&evidence.calendar.iso_week)
        .bind(&evidence.calendar.month)
        .bind(evidence.assessment.meets_standard)
        .bind(evidence.assessment.weak)
        .bind(evidence.original_id)
        .execute(&mut **self.0)
        .await?;
        Ok(())
    }

    async fn supersede(&mut self, original: Uuid, current: Uuid) -> Result<(), sqlx::Error> {
        checks::supersede(&mut *self.0, original, current).await
    }
}

#[async_trait::async_trait]
impl Backend for PostgresStorage {
    async fn is_ready(&self) -> StorageResult<bool> {
        let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
            .fetch_all(&self.pool)
            .await
            .map_err(database_error)?;
        Ok(upgrade::holds_every_migration(&applied, &MIGRATOR))
    }

    async fn begin(&self) -> StorageResult<Box<dyn UnitOfWork>> {
        let tx = self.pool.begin().await.map_err(database_error)?;
        Ok(Box::new(PostgresUnit { tx }))
    }
}

#[async_trait::async_trait]
impl UnitOfWork for PostgresUnit {
    async fn commit(self: Box<Self>) -> StorageResult<()> {
        self.tx.commit().await.map_err(database_error)
    }
}
