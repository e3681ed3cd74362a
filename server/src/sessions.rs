//! Keeps tower-sessions' records in Recheck's own database, through the storage trait, so a
//! session started on one server instance is accepted by every other.
//!
//! A session is saved only by a request that changed it: a request that merely reads it (a page,
//! a device's background sync) never writes back what it loaded, which would undo a change made
//! meanwhile by another request (a saved change's notice, a pending import, a refused form).
//! The idle deadline is the server's, kept in the database by the storage clock, and moved on by
//! any request at most once a minute; the cookie itself lasts as long as a session may.

use crate::client_address::TrustedProxies;
use recheck_app::storage::{SessionRecord, SharedStorage};
use std::time::Duration;
use time::OffsetDateTime;
use tower_sessions::cookie::SameSite;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};

pub const COOKIE_NAME: &str = "recheck_session";
/// Over HTTPS the cookie's name carries the `__Host-` prefix, with which browsers accept it only
/// if it is Secure, for the whole site and from this host alone, so neither a page on plain HTTP
/// nor a sibling subdomain can plant or overwrite it.
pub const HTTPS_COOKIE_NAME: &str = "__Host-recheck_session";

/// The longest a session's cookie is kept by the browser; the server ends the session sooner
/// when it is idle.
const COOKIE_LIFETIME: time::Duration = time::Duration::days(7);

#[derive(Clone)]
pub struct DatabaseSessionStore {
    storage: SharedStorage,
    idle_ms: i64,
}

impl std::fmt::Debug for DatabaseSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatabaseSessionStore")
    }
}

/// How sessions and the requests that carry them are judged.
#[derive(Clone, Debug)]
pub struct SessionSettings {
    /// A session ends after this long without a request.
    pub idle_timeout: Duration,
    /// Recheck is served over HTTPS (behind a proxy that ends TLS, usually): the cookie is
    /// Secure and `__Host-` prefixed, and browsers are told to use HTTPS only (HSTS).
    pub over_https: bool,
    /// The proxies whose `X-Forwarded-For` names the client that sign-in throttling counts.
    pub trusted_proxies: TrustedProxies,
}

impl Default for SessionSettings {
    /// Twelve hours, so that a long shift is never interrupted by a sign-in.
    fn default() -> Self {
        SessionSettings {
            idle_timeout: Duration::from_secs(12 * 60 * 60),
            over_https: false,
            trusted_proxies: TrustedProxies::default(),
        }
    }
}

impl SessionSettings {
    pub fn cookie_name(&self) -> &'static str {
        if self.over_https { HTTPS_COOKIE_NAME } else { COOKIE_NAME }
    }
}

pub fn layer(storage: SharedStorage, settings: &SessionSettings) -> SessionManagerLayer<DatabaseSessionStore> {
    let idle_ms = i64::try_from(settings.idle_timeout.as_millis()).unwrap_or(i64::MAX);
    SessionManagerLayer::new(DatabaseSessionStore { storage, idle_ms })
        .with_name(settings.cookie_name())
        .with_path("/")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.over_https)
        .with_expiry(Expiry::OnInactivity(COOKIE_LIFETIME))
        .with_always_save(false)
}

impl DatabaseSessionStore {
    /// The session as kept: its data, and the idle deadline from now.
    fn to_storage(&self, record: &Record) -> Result<SessionRecord> {
        Ok(SessionRecord {
            id: record.id.to_string(),
            data: serde_json::to_string(&record.data).map_err(|error| Error::Encode(error.to_string()))?,
            expires_at_ms: self.storage.now_ms().saturating_add(self.idle_ms),
            user_id: record
                .data
                .get(recheck_app::auth::USER_ID_KEY)
                .and_then(|user| serde_json::from_value(user.clone()).ok()),
        })
    }

    /// How stale the deadline may grow before a request moves it on: a minute, or a tenth of a
    /// short idle time.
    fn refresh_after_ms(&self) -> i64 {
        (self.idle_ms / 10).min(60_000)
    }
}

fn backend(error: impl std::fmt::Display) -> Error {
    Error::Backend(error.to_string())
}

#[async_trait::async_trait]
impl SessionStore for DatabaseSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        while !self.storage.accounts.create_session(&self.to_storage(record)?).await.map_err(backend)? {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> Result<()> {
        self.storage.accounts.save_session(&self.to_storage(record)?).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let now_ms = self.storage.now_ms();
        let Some(mut stored) = self.storage.accounts.load_session(&id.to_string(), now_ms).await.map_err(backend)?
        else {
            return Ok(None);
        };
        let deadline = now_ms.saturating_add(self.idle_ms);
        if deadline - stored.expires_at_ms > self.refresh_after_ms() {
            // In use: the idle deadline moves on, and nothing else of the session is written.
            self.storage.accounts.extend_session(&stored.id, deadline).await.map_err(backend)?;
            stored.expires_at_ms = deadline;
        }
        let data = serde_json::from_str(&stored.data).map_err(|error| Error::Decode(error.to_string()))?;
        let expiry_date = OffsetDateTime::from_unix_timestamp_nanos(i128::from(stored.expires_at_ms) * 1_000_000)
            .map_err(|error| Error::Decode(error.to_string()))?;
        Ok(Some(Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.storage.accounts.delete_session(&id.to_string()).await.map_err(backend)
    }
}
