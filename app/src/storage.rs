//! The storage contract, in the domain's terms. The server implements it once for SQLite and
//! once for PostgreSQL; server functions and API handlers reach it through context or state.
//! Every change takes its author and is written to the audit trail in the same transaction.

use crate::domain::access::Actor;
use crate::domain::account::{Email, NewUser, User};
use crate::domain::audit::{AuditEvent, AuditFilter, Author};
use crate::domain::check::{AcceptedCheck, CheckFilter, StoredCheck};
use crate::domain::organisation::{NewService, NewStaffMember, Organisation, Service, StaffMember};
use crate::domain::text::Name;
use crate::domain::theme::{NewTheme, PracticeTheme};
use std::sync::Arc;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken; the message says which, in words a manager understands.
    #[error("{0}")]
    Conflict(String),
    #[error("the database failed: {0}")]
    Database(String),
}

pub type StorageResult<T> = Result<T, StorageError>;

/// Counts the home page shows for one service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceSummary {
    pub service: Service,
    pub active_staff: u32,
}

/// A password as stored: its argon2id hash, and whether its owner must replace it at their next
/// sign-in (true for a one-time password an administrator hands over).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPassword {
    pub hash: String,
    pub change_required: bool,
}

/// What became of a check sent to be kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckRecording {
    Stored,
    /// The same check was kept before (a device sending again); nothing new is stored.
    AlreadyStored,
    /// Another check with different content already has this id.
    IdTakenByDifferentCheck,
}

/// A server-side session as the session layer keeps it: opaque data and when it lapses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: String,
    pub data: String,
    pub expires_at_ms: i64,
}

#[async_trait::async_trait]
pub trait Storage: Send + Sync {
    /// Answers when the database can be reached; used by `/healthz`.
    async fn ping(&self) -> StorageResult<()>;

    async fn organisation(&self) -> StorageResult<Organisation>;
    async fn rename_organisation(&self, name: &Name, by: &Author) -> StorageResult<()>;

    /// Adds the themes unless default themes were installed before (even if since edited or
    /// removed), so a provider's own changes are never undone. Returns whether it added them.
    async fn install_default_themes(&self, themes: Vec<NewTheme>) -> StorageResult<bool>;

    async fn add_service(&self, service: NewService, by: &Author) -> StorageResult<Service>;
    /// Replaces the name, time zone and shift pattern of the service with `service.id`.
    async fn update_service(&self, service: NewService, by: &Author) -> StorageResult<Service>;
    async fn services(&self) -> StorageResult<Vec<Service>>;
    async fn service_summaries(&self) -> StorageResult<Vec<ServiceSummary>>;

    /// Adds all the staff or none (a CSV import must never be half done).
    async fn add_staff_members(&self, staff: Vec<NewStaffMember>, by: &Author) -> StorageResult<Vec<StaffMember>>;
    /// Replaces the details and services of the staff member with `member.id`. Leavers are
    /// marked, never deleted, so their history stays.
    async fn update_staff_member(
        &self,
        member: NewStaffMember,
        has_left: bool,
        by: &Author,
    ) -> StorageResult<StaffMember>;
    async fn staff_member(&self, id: Uuid) -> StorageResult<StaffMember>;
    /// Staff in a service, or in all services; leavers included, ordered by name.
    async fn staff_members(&self, service_id: Option<Uuid>) -> StorageResult<Vec<StaffMember>>;

    async fn add_theme(&self, theme: NewTheme, by: &Author) -> StorageResult<PracticeTheme>;
    /// Replaces the theme with `theme.id`; criteria keep their ids, so ratings stay attached.
    async fn update_theme(&self, theme: NewTheme, by: &Author) -> StorageResult<PracticeTheme>;
    /// Themes in the order they were added, each with its criteria in order.
    async fn themes(&self) -> StorageResult<Vec<PracticeTheme>>;

    async fn add_user(&self, user: NewUser, password: &StoredPassword, by: &Author) -> StorageResult<User>;
    /// Replaces the email, name, roles and services of the user with `user.id`, and enables or
    /// disables them. Disabling also ends their sessions at their next request.
    async fn update_user(&self, user: NewUser, disabled: bool, by: &Author) -> StorageResult<User>;
    async fn set_password(&self, user_id: Uuid, password: &StoredPassword, by: &Author) -> StorageResult<()>;
    async fn user(&self, id: Uuid) -> StorageResult<User>;
    /// Users ordered by name.
    async fn users(&self) -> StorageResult<Vec<User>>;
    /// The user with this email and their password hash, for signing in.
    async fn user_credentials(&self, email: &Email) -> StorageResult<Option<(User, String)>>;

    /// Stores a new session; false if the id is already taken.
    async fn create_session(&self, session: &SessionRecord) -> StorageResult<bool>;
    async fn save_session(&self, session: &SessionRecord) -> StorageResult<()>;
    /// The session, unless it has lapsed by `now_ms`.
    async fn load_session(&self, id: &str, now_ms: i64) -> StorageResult<Option<SessionRecord>>;
    async fn delete_session(&self, id: &str) -> StorageResult<()>;

    /// Failed sign-ins are counted per key (an account, an address) so that every server
    /// instance on the database throttles alike.
    async fn record_login_failure(&self, key: &str, at_ms: i64) -> StorageResult<()>;
    async fn login_failures_since(&self, key: &str, since_ms: i64) -> StorageResult<u32>;
    async fn clear_login_failures(&self, key: &str) -> StorageResult<()>;

    /// Keeps the check once, whatever the number of times it is sent (its id decides).
    async fn record_check(
        &self,
        check: &AcceptedCheck,
        device_id: &str,
        received_at_ms: i64,
    ) -> StorageResult<CheckRecording>;
    async fn check(&self, id: Uuid) -> StorageResult<Option<StoredCheck>>;
    /// The checks that correct the check `id`, in the order they were kept.
    async fn amendments(&self, id: Uuid) -> StorageResult<Vec<StoredCheck>>;
    /// Newest observed first.
    async fn checks(&self, filter: &CheckFilter) -> StorageResult<Vec<StoredCheck>>;

    /// For events that are not changes to stored records, such as sign-ins.
    async fn record_audit_event(&self, event: &AuditEvent) -> StorageResult<()>;
    /// Newest first.
    async fn audit_events(&self, filter: &AuditFilter) -> StorageResult<Vec<AuditEvent>>;
}

pub type SharedStorage = Arc<dyn Storage>;
/// The checks `actor` may see that match `filter`, or `None` when the filter names a service
/// that is not theirs.
pub async fn visible_checks(
    storage: &dyn Storage,
    actor: &Actor,
    filter: CheckFilter,
) -> Result<Option<Vec<StoredCheck>>, StorageError> {
    if let Some(service) = filter.service_id {
        return Ok(if actor.covers(service) { Some(storage.checks(&filter).await?) } else { None });
    }
    let Some(services) = actor.service_scope() else {
        return Ok(Some(storage.checks(&filter).await?));
    };
    let mut checks = Vec::new();
    for service in services {
        checks.extend(storage.checks(&CheckFilter { service_id: Some(*service), ..filter.clone() }).await?);
    }
    checks.sort_by_key(|kept| std::cmp::Reverse((kept.observed_at_ms, kept.check.id)));
    checks.truncate(filter.limit as usize);
    Ok(Some(checks))
}
