//! SQLite: the embedded default, one file per deployment, in WAL mode with foreign keys on.
//! A unit of work begins `IMMEDIATE`, taking the write lock first, so that what it reads before
//! changing (an audit event's "before") cannot change under it and two writers never deadlock.

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
use super::{OpenError, reason};
use recheck_app::storage::{Backend, StorageResult, UnitOfWork};
use sqlx::ConnectOptions;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;
use uuid::Uuid;

pub static MIGRATOR: Migrator = sqlx::migrate!("migrations/sqlite");

type Transaction = sqlx::Transaction<'static, sqlx::Sqlite>;

/// `(?, ?, …)` binding `ids`; an empty list matches nothing, as it should.
fn push_list(query: &mut sqlx::QueryBuilder<'_, sqlx::Sqlite>, ids: &[Uuid]) {
    query.push("(");
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    list.push_unseparated(if ids.is_empty() { "NULL)" } else { ")" });
}

pub struct SqliteStorage {
    pool: SqlitePool,
}

/// One SQLite transaction, as a unit of work.
pub struct SqliteUnit {
    tx: Transaction,
}

impl SqliteStorage {
    /// Creates the file (and its folder) if missing, and brings it up to date. An existing file
    /// that is not a Recheck database is reported and left exactly as it was.
    pub async fn open(url: &str) -> Result<Self, OpenError> {
        Self::open_with_migrations(url, &MIGRATOR).await
    }

    /// Opens with `migrator`'s migrations instead of this release's: for tests that build the
    /// database an earlier release made, or one with a step that fails.
    pub async fn open_with_migrations(url: &str, migrator: &Migrator) -> Result<Self, OpenError> {
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
        bring_up_to_date(&pool, migrator)
            .await
            .map_err(|reason| OpenError::Migration { location: url.to_owned(), reason })?;
        Ok(SqliteStorage { pool })
    }
}

impl SqliteStorage {
    /// Writes a consistent copy of the live database to `file`, which must not exist yet.
    /// SQLite's `VACUUM INTO` reads one snapshot while the server goes on writing; a copy of the
    /// file could catch the database and its write-ahead log half-way through a change.
    pub async fn back_up_to(&self, file: &Path) -> Result<(), String> {
        if file.exists() {
            return Err(format!("{} already exists: back up to a new file", file.display()));
        }
        sqlx::query("VACUUM INTO ?1")
            .bind(file.to_string_lossy().into_owned())
            .execute(&self.pool)
            .await
            .map(drop)
            .map_err(|error| format!("cannot back up to {}: {}", file.display(), reason(&error)))
    }

    /// Restores the backup `file` into the new database `url` names: the target must not exist
    /// yet (or be an empty file), so that a restore never overwrites records. The backup is
    /// opened read-only and checked to be a Recheck database first; the restored copy is brought
    /// up to this release's schema when it is next opened.
    pub async fn restore(file: &Path, url: &str) -> Result<(), String> {
        let target = SqliteConnectOptions::from_str(url).map_err(|error| reason(&error))?.get_filename().to_owned();
        if std::fs::metadata(&target).is_ok_and(|target| target.len() > 0) {
            return Err(format!("{} already exists: restore only into a new, empty database", target.display()));
        }
        if !file.is_file() {
            return Err(format!("there is no backup at {}", file.display()));
        }
        let backup = SqliteConnectOptions::new().filename(file).read_only(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(backup)
            .await
            .map_err(|error| format!("cannot open the backup {}: {}", file.display(), reason(&error)))?;
        let kept: Result<i64, _> = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&pool).await;
        if kept.is_err() {
            return Err(format!("{} is not a Recheck database", file.display()));
        }
        if let Some(folder) = target.parent().filter(|folder| !folder.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder)
                .map_err(|error| format!("cannot create the folder {}: {error}", folder.display()))?;
        }
        // An empty file left by an earlier attempt would make `VACUUM INTO` refuse.
        let _ = std::fs::remove_file(&target);
        sqlx::query("VACUUM INTO ?1")
            .bind(target.to_string_lossy().into_owned())
            .execute(&pool)
            .await
            .map(drop)
            .map_err(|error| format!("cannot restore into {}: {}", target.display(), reason(&error)))
    }
}

async fn bring_up_to_date(pool: &SqlitePool, migrator: &Migrator) -> Result<(), String> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.map_err(|error| reason(&error))?;
    for migration in upgrade::pending(&mut *tx, migrator).await? {
        upgrade::apply(&mut *tx, migration).await?;
        if migration.version == EVIDENCE_MIGRATION {
            upgrade::fill_in_evidence(&mut SqliteUpgrade(&mut tx))
                .await
                .map_err(|error| upgrade::step_failed(migration, &error))?;
        }
    }
    tx.commit().await.map_err(|error| reason(&error))
}

/// The upgrade's transaction, as the evidence step writes to it.
struct SqliteUpgrade<'a>(&'a mut Transaction);

#[async_trait::async_trait]
impl EvidenceTarget for SqliteUpgrade<'_> {
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
            "UPDATE checks SET local_date = ?2, iso_week = ?3, month = ?4, meets_standard = ?5, \
                weak = ?6, original_id = ?7 WHERE id = ?1",
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
impl Backend for SqliteStorage {
    async fn is_ready(&self) -> StorageResult<bool> {
        let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
            .fetch_all(&self.pool)
            .await
            .map_err(database_error)?;
        Ok(upgrade::holds_every_migration(&applied, &MIGRATOR))
    }

    async fn begin(&self) -> StorageResult<Box<dyn UnitOfWork>> {
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(database_error)?;
        Ok(Box::new(SqliteUnit { tx }))
    }
}

#[async_trait::async_trait]
impl UnitOfWork for SqliteUnit {
    async fn commit(self: Box<Self>) -> StorageResult<()> {
        self.tx.commit().await.map_err(database_error)
    }
}

impl SqliteStorage {
    /// A connection of the pool's, for reads made of several statements.
    async fn connection(&self) -> StorageResult<sqlx::pool::PoolConnection<sqlx::Sqlite>> {
        self.pool.acquire().await.map_err(database_error)
    }
}
