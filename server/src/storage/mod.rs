//! Opening the database named by a URL: SQLite for a single service, PostgreSQL for larger
//! providers. Each backend implements the storage contract (`recheck_app::storage`) in its own
//! SQL and owns its migrations; either way the schema is brought up to date, in one transaction,
//! and the default themes installed before use.

mod postgres;
mod rows;
mod sqlite;
mod upgrade;

pub use postgres::{MIGRATOR as POSTGRES_MIGRATIONS, PostgresStorage};
pub use sqlite::{MIGRATOR as SQLITE_MIGRATIONS, SqliteStorage};

use recheck_app::domain::clock::SharedClock;
use recheck_app::domain::seed_themes::default_themes;
use recheck_app::storage::{SharedStorage, Storage};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "“{0}” is not a database URL Recheck understands: use sqlite://path/to/file.db or postgres://user:password@host/database"
    )]
    UnsupportedUrl(String),
    #[error("cannot open the SQLite database {location}: {reason}")]
    Sqlite { location: String, reason: String },
    #[error("cannot connect to the PostgreSQL database {location}: {reason}")]
    Postgres { location: String, reason: String },
    #[error("cannot bring the database {location} up to date: {reason} (nothing was changed)")]
    Migration { location: String, reason: String },
    #[error("the database {location} opened, but setting it up failed: {reason}")]
    Setup { location: String, reason: String },
}

/// Opens, migrates and prepares the database at `url`, with the clock every change is dated by
/// and every rule reads.
pub async fn open_with_clock(url: &str, clock: SharedClock) -> Result<SharedStorage, OpenError> {
    let storage = if url.starts_with("sqlite:") {
        Storage::new(SqliteStorage::open(url).await?, clock)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Storage::new(PostgresStorage::open(url).await?, clock)
    } else {
        return Err(OpenError::UnsupportedUrl(redact(url)));
    };
    prepare(Arc::new(storage), url).await
}

/// What every newly opened database gets before use: the default practice themes, once.
pub async fn prepare(storage: SharedStorage, url: &str) -> Result<SharedStorage, OpenError> {
    storage
        .install_default_themes(default_themes())
        .await
        .map_err(|error| OpenError::Setup { location: redact(url), reason: error.to_string() })?;
    Ok(storage)
}

/// The URL with any password replaced, so it can be logged and shown in errors.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((credentials, host)) => match credentials.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// sqlx reports some failures as a chain; the innermost cause is the one a person can act on.
fn reason(error: &(dyn std::error::Error + 'static)) -> String {
    let mut innermost = error;
    while let Some(source) = innermost.source() {
        innermost = source;
    }
    let text = innermost.to_string();
    if text == error.to_string() { text } else { format!("{error}: {text}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(redact("postgres://recheck:s3cret@db.local/recheck"), "postgres://recheck:***@db.local/recheck");
        assert_eq!(redact("postgres://recheck@db.local/recheck"), "postgres://recheck@db.local/recheck");
        assert_eq!(redact("sqlite://data/recheck.db"), "sqlite://data/recheck.db");
        assert_eq!(redact("mysql:nonsense"), "mysql:nonsense");
    }
}
