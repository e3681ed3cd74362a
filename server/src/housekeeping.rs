//! Deletes what no longer counts: sessions idle past their deadline and failed sign-ins older
//! than any throttle looks. Every instance looks every quarter of an hour; the one holding the
//! database lease does the work, so several instances on one database do not all delete at once.

use recheck_app::domain::throttle::LONGEST_WINDOW_MS;
use recheck_app::storage::{Purged, SharedStorage, Storage};
use std::time::Duration;

const LEASE: &str = "housekeeping";
/// Longer than a round, so the holder keeps it from one round to the next.
const LEASE_MS: i64 = 20 * 60_000;
const ROUND: Duration = Duration::from_secs(15 * 60);

/// Runs for ever, a round every quarter of an hour.
pub async fn run(storage: SharedStorage) {
    let instance = uuid::Uuid::now_v7().to_string();
    let mut rounds = tokio::time::interval(ROUND);
    loop {
        rounds.tick().await;
        match tidy(&storage, &instance).await {
            Ok(Some(purged)) if purged != Purged::default() => tracing::info!(?purged, "purged lapsed records"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "lapsed records were not purged; trying again next round"),
        }
    }
}

/// One round for `instance`: what it purged, or `None` when another instance holds the lease.
pub async fn tidy(storage: &Storage, instance: &str) -> Result<Option<Purged>, String> {
    let now_ms = storage.now_ms();
    let held = storage.digests.take_lease(LEASE, instance, now_ms, now_ms + LEASE_MS).await;
    if !held.map_err(|error| error.to_string())? {
        return Ok(None);
    }
    let failures_before_ms = now_ms - LONGEST_WINDOW_MS;
    storage.accounts.purge_lapsed(now_ms, failures_before_ms).await.map(Some).map_err(|error| error.to_string())
}
