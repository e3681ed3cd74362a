//! Keeps tower-sessions' records in Recheck's own database, through the storage trait, so a
//! session started on one server instance is accepted by every other.

use recheck_app::storage::{SessionRecord, SharedStorage};
use std::time::Duration;
use time::OffsetDateTime;
use tower_sessions::cookie::SameSite;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};

pub const COOKIE_NAME: &str = "recheck_session";

#[derive(Clone)]
pub struct DatabaseSessionStore {
    storage: SharedStorage,
}

impl std::fmt::Debug for DatabaseSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatabaseSessionStore")
    }
}

/// Cookie and lifetime settings for sessions.
#[derive(Clone, Copy, Debug)]
pub struct SessionSettings {
    /// A session ends after this long without a request.
    pub idle_timeout: Duration,
    /// Send the cookie over HTTPS only; set when Recheck is served over HTTPS.
    pub secure_cookies: bool,
}

impl Default for SessionSettings {
    /// Twelve hours, so that a long shift is never interrupted by a sign-in.
    fn default() -> Self {
        SessionSettings { idle_timeout: Duration::from_secs(12 * 60 * 60), secure_cookies: false }
    }
}

pub fn layer(storage: SharedStorage, settings: SessionSettings) -> SessionManagerLayer<DatabaseSessionStore> {
    let idle = time::Duration::try_from(settings.idle_timeout).unwrap_or(time::Duration::hours(12));
    SessionManagerLayer::new(DatabaseSessionStore { storage })
        .with_name(COOKIE_NAME)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(idle))
        // Saving on every request is what moves the inactivity deadline forward.
        .with_always_save(true)
}

fn to_storage(record: &Record) -> Result<SessionRecord> {
    Ok(SessionRecord {
        id: record.id.to_string(),
        data: serde_json::to_string(&record.data).map_err(|error| Error::Encode(error.to_string()))?,
        expires_at_ms: i64::try_from(record.expiry_date.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX),
    })
}

fn backend(error: impl std::fmt::Display) -> Error {
    Error::Backend(error.to_string())
}

#[async_trait::async_trait]
impl SessionStore for DatabaseSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        while !self.storage.accounts.create_session(&to_storage(record)?).await.map_err(backend)? {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> Result<()> {
        self.storage.accounts.save_session(&to_storage(record)?).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let now_ms = self.storage.now_ms();
        let Some(stored) = self.storage.accounts.load_session(&id.to_string(), now_ms).await.map_err(backend)? else {
            return Ok(None);
        };
        let data = serde_json::from_str(&stored.data).map_err(|error| Error::Decode(error.to_string()))?;
        let expiry_date = OffsetDateTime::from_unix_timestamp_nanos(i128::from(stored.expires_at_ms) * 1_000_000)
            .map_err(|error| Error::Decode(error.to_string()))?;
        Ok(Some(Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.storage.accounts.delete_session(&id.to_string()).await.map_err(backend)
    }
}
