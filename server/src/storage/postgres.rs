//! PostgreSQL: for larger providers and for several server instances sharing one database.

use super::sql::impl_storage_with_shared_sql;
use super::{OpenError, reason, redact};
use sqlx::ConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

pub struct PostgresStorage {
    pool: PgPool,
}

impl PostgresStorage {
    pub async fn open(url: &str) -> Result<Self, OpenError> {
        Self::open_with(url, PgConnectOptions::from_str(url)).await
    }

    /// Opens with every connection's `search_path` set to `schema`, so tests can each have a
    /// schema of their own in one database.
    pub async fn open_in_schema(url: &str, schema: &str) -> Result<Self, OpenError> {
        let options = PgConnectOptions::from_str(url).map(|options| options.options([("search_path", schema)]));
        Self::open_with(url, options).await
    }

    async fn open_with(url: &str, options: Result<PgConnectOptions, sqlx::Error>) -> Result<Self, OpenError> {
        let location = redact(url);
        let failed = |reason: String| OpenError::Postgres { location: location.clone(), reason };
        let options = options.map_err(|error| failed(reason(&error)))?.log_statements(tracing::log::LevelFilter::Trace);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(|error| failed(reason(&error)))?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|error| OpenError::Migration { location: location.clone(), reason: reason(&error) })?;
        Ok(PostgresStorage { pool })
    }
}

impl_storage_with_shared_sql!(PostgresStorage, sqlx::Postgres);
