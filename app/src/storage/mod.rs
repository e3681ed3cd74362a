//! The storage contract, in the domain's terms, split by what it keeps: the organisation and its
//! services, staff and themes; accounts and sessions; checks; improvement cycles; trends;
//! warning decisions; reviews and their cadence; what devices hold; the daily email's records; the audit trail. The
//! server implements it once for SQLite and once for PostgreSQL, each in its own SQL.
//!
//! Reads go straight to a store. Changes are commands on [`Storage`]: each opens one unit of
//! work (a database transaction), reads what it changes inside it (locked, where the database
//! locks rows), writes every record the change touches and its audit event, and commits them as
//! one. A failure anywhere leaves nothing half done.

mod accounts;
mod audit;
mod checks;
mod cycles;
mod devices;
mod digests;
mod organisation;
mod reviews;
mod trends;
mod warnings;

pub use accounts::{AccountStore, AccountWrites, Purged, SessionRecord, StoredPassword, ThrottleRule};
pub use audit::{AuditStore, AuditWrites};
pub use checks::{CheckRecording, CheckStore, CheckWrites, visible_checks};
pub use cycles::{CycleFilter, CycleStore, CycleWrites, JudgedCycle, service, visible_cycles};
pub use devices::DeviceStore;
pub use digests::DigestStore;
pub use organisation::{OrganisationStore, OrganisationWrites, ServiceSummary};
pub use reviews::{
    ReviewCursor, ReviewFilter, ReviewStore, ReviewWrites, ServiceReviews, checks_in_period, review_statuses,
};
pub use trends::{
    ActionMark, CHART_DAYS, Comparisons, LastObserved, Period, PeriodCount, ScoreCounts, ShiftCount, ThemeTrend,
    TrendQuery, TrendStore,
};
pub use warnings::{CurrentWarning, ThemeChart, WarningStore, WarningWrites, Warnings, current_warnings};

use crate::domain::clock::SharedClock;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken; the message says which, in words a manager understands.
    #[error("{0}")]
    Conflict(String),
    /// A backend's report of a broken uniqueness rule, before a command puts it into words.
    #[error("a record with the same key already exists")]
    Duplicate,
    #[error("the database failed: {0}")]
    Database(String),
}

impl StorageError {
    /// Puts a broken uniqueness rule into words (`message`); other errors pass unchanged.
    pub fn duplicate_means(message: impl FnOnce() -> String) -> impl FnOnce(StorageError) -> StorageError {
        move |error| match error {
            StorageError::Duplicate => StorageError::Conflict(message()),
            other => other,
        }
    }
}

pub type StorageResult<T> = Result<T, StorageError>;

/// What a backend provides: every store, and units of work.
#[async_trait::async_trait]
pub trait Backend:
    OrganisationStore
    + AccountStore
    + CheckStore
    + CycleStore
    + TrendStore
    + WarningStore
    + ReviewStore
    + DeviceStore
    + DigestStore
    + AuditStore
{
    /// Whether the database answers and holds every migration of this release, for the
    /// readiness check a load balancer asks before sending an instance requests.
    async fn is_ready(&self) -> StorageResult<bool>;

    /// Starts a unit of work. It holds the database's write lock where the database has one
    /// (SQLite), so the reads made inside it see what the writes will change.
    async fn begin(&self) -> StorageResult<Box<dyn UnitOfWork>>;
}

/// One transaction: every change made through it is kept by [`UnitOfWork::commit`], or none is
/// (dropping it uncommitted rolls it back).
#[async_trait::async_trait]
pub trait UnitOfWork:
    OrganisationWrites + AccountWrites + CheckWrites + CycleWrites + WarningWrites + ReviewWrites + AuditWrites
{
    async fn commit(self: Box<Self>) -> StorageResult<()>;
}

/// Recheck's storage: the stores to read from, the commands that change them, and the clock
/// that dates every change (so that a test can run any rule at any date).
pub struct Storage {
    pub organisation: Arc<dyn OrganisationStore>,
    pub accounts: Arc<dyn AccountStore>,
    pub checks: Arc<dyn CheckStore>,
    pub cycles: Arc<dyn CycleStore>,
    pub trends: Arc<dyn TrendStore>,
    pub warnings: Arc<dyn WarningStore>,
    pub reviews: Arc<dyn ReviewStore>,
    pub devices: Arc<dyn DeviceStore>,
    pub digests: Arc<dyn DigestStore>,
    pub audit: Arc<dyn AuditStore>,
    backend: Arc<dyn Backend>,
    clock: SharedClock,
}

pub type SharedStorage = Arc<Storage>;

impl Storage {
    pub fn new<B: Backend + 'static>(backend: B, clock: SharedClock) -> Storage {
        let backend = Arc::new(backend);
        Storage {
            organisation: backend.clone(),
            accounts: backend.clone(),
            checks: backend.clone(),
            cycles: backend.clone(),
            trends: backend.clone(),
            warnings: backend.clone(),
            reviews: backend.clone(),
            devices: backend.clone(),
            digests: backend.clone(),
            audit: backend.clone(),
            backend,
            clock,
        }
    }

    pub async fn is_ready(&self) -> StorageResult<bool> {
        self.backend.is_ready().await
    }

    /// Now, by the clock every change is dated with.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    pub fn clock(&self) -> &SharedClock {
        &self.clock
    }

    async fn begin(&self) -> StorageResult<Box<dyn UnitOfWork>> {
        self.backend.begin().await
    }
}
