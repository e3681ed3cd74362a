//! SQLite: the embedded default, one file per deployment, in WAL mode with foreign keys on.

use super::sql::impl_storage_with_shared_sql;
use super::{OpenError, reason};
use sqlx::ConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");

pub struct SqliteStorage {
    pool: SqlitePool,
}

impl SqliteStorage {
    /// Creates the file (and its folder) if missing. An existing file that is not a Recheck
    /// database is reported and left exactly as it was.
    pub async fn open(url: &str) -> Result<Self, OpenError> {
        let failed = |reason: String| OpenError::Sqlite { location: url.to_owned(), reason };
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|error| failed(reason(&error)))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .log_statements(tracing::log::LevelFilter::Trace);
        if let Some(folder) = options.get_filename().parent().filter(|folder| !folder.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder)
                .map_err(|error| failed(format!("cannot create the folder {}: {error}", folder.display())))?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|error| failed(reason(&error)))?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|error| OpenError::Migration { location: url.to_owned(), reason: reason(&error) })?;
        Ok(SqliteStorage { pool })
    }
}

impl_storage_with_shared_sql!(SqliteStorage, sqlx::Sqlite);
