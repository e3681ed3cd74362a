//! Users, their passwords and services; sessions; sign-in throttling.

use super::{Storage, StorageError, StorageResult};
use crate::domain::account::{Email, NewUser, User};
use crate::domain::audit::{AuditEvent, Author};
pub use crate::domain::throttle::ThrottleRule;
use uuid::Uuid;

/// A password as stored: its argon2id hash, whether its owner must replace it at their next
/// sign-in, and when it stops working (both set for a one-time password an administrator hands
/// over; a password its owner chose does not expire).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPassword {
    pub hash: String,
    pub change_required: bool,
    pub expires_at_ms: Option<i64>,
}

/// A server-side session as the session layer keeps it: opaque data, when it lapses, and who is
/// signed in with it, so that their sessions can be ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: String,
    pub data: String,
    pub expires_at_ms: i64,
    pub user_id: Option<Uuid>,
}

#[async_trait::async_trait]
pub trait AccountStore: Send + Sync {
    async fn user(&self, id: Uuid) -> StorageResult<User>;
    /// Users ordered by name.
    async fn users(&self) -> StorageResult<Vec<User>>;
    /// The user with this email and their password, for signing in.
    async fn user_credentials(&self, email: &Email) -> StorageResult<Option<(User, StoredPassword)>>;

    /// Stores a new session; false if the id is already taken.
    async fn create_session(&self, session: &SessionRecord) -> StorageResult<bool>;
    async fn save_session(&self, session: &SessionRecord) -> StorageResult<()>;
    /// The session, unless it has lapsed by `now_ms`.
    async fn load_session(&self, id: &str, now_ms: i64) -> StorageResult<Option<SessionRecord>>;
    /// Moves the session's idle deadline to `expires_at_ms`, leaving its data as it is.
    async fn extend_session(&self, id: &str, expires_at_ms: i64) -> StorageResult<()>;
    async fn delete_session(&self, id: &str) -> StorageResult<()>;

    /// Failed sign-ins are counted per key (an account, an address) so that every server
    /// instance on the database throttles alike. An attempt is counted before its password is
    /// judged (see [`AccountWrites::reserve_login_attempt`]); one that succeeds is taken back.
    async fn withdraw_login_attempt(&self, key: &str, at_ms: i64) -> StorageResult<()>;
    async fn clear_login_failures(&self, key: &str) -> StorageResult<()>;
    /// Deletes the sessions idle past their deadline at `now_ms` and the failed sign-ins from
    /// before `failures_before_ms`, which no throttle counts any more: how many of each.
    async fn purge_lapsed(&self, now_ms: i64, failures_before_ms: i64) -> StorageResult<Purged>;
}

/// What [`AccountStore::purge_lapsed`] deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub login_failures: u64,
}

#[async_trait::async_trait]
pub trait AccountWrites: Send {
    /// The user and their links to services; `Duplicate` when the email is taken.
    async fn insert_user(&mut self, user: &NewUser, password: &StoredPassword) -> StorageResult<User>;
    async fn user_for_update(&mut self, id: Uuid) -> StorageResult<User>;
    /// Replaces the email, name, roles, services and whether they are disabled.
    async fn update_user(&mut self, user: &NewUser, disabled: bool) -> StorageResult<User>;
    async fn set_password(&mut self, user_id: Uuid, password: &StoredPassword) -> StorageResult<()>;
    /// Ends every session of `user_id` but `keep` (the one they are using, if any).
    async fn end_sessions_of(&mut self, user_id: Uuid, keep: Option<&str>) -> StorageResult<()>;
    /// Counts the failures under each rule's key within its window before `at_ms`; if every
    /// rule is under its limit, counts this attempt, at `at_ms`, as one failure under each
    /// distinct key and answers no rules; otherwise counts nothing and answers the indices of
    /// the full rules. Parallel attempts are judged one after another, so no more are tried than
    /// the limits allow.
    async fn reserve_login_attempt(&mut self, rules: &[ThrottleRule], at_ms: i64) -> StorageResult<Vec<usize>>;
}

fn email_taken(email: &Email) -> impl FnOnce() -> String + '_ {
    move || format!("A user with the email {email} already exists.")
}

impl Storage {
    /// [`AccountWrites::reserve_login_attempt`] in a unit of its own.
    pub async fn reserve_login_attempt(&self, rules: &[ThrottleRule], at_ms: i64) -> StorageResult<Vec<usize>> {
        let mut unit = self.begin().await?;
        let full = unit.reserve_login_attempt(rules, at_ms).await?;
        unit.commit().await?;
        Ok(full)
    }

    pub async fn add_user(&self, user: NewUser, password: &StoredPassword, by: &Author) -> StorageResult<User> {
        let mut unit = self.begin().await?;
        let added =
            unit.insert_user(&user, password).await.map_err(StorageError::duplicate_means(email_taken(&user.email)))?;
        let summary = format!("Added the user {} ({})", added.name, added.email);
        let event = AuditEvent::new(self.now_ms(), by, "user.created", Some(added.id), summary).with_after(&added);
        unit.insert_audit_event(&event).await?;
        unit.commit().await?;
        Ok(added)
    }

    /// Replaces the email, name, roles and services of the user with `user.id`, and enables or
    /// disables them. Disabling them or taking away a role ends their sessions.
    pub async fn update_user(&self, user: NewUser, disabled: bool, by: &Author) -> StorageResult<User> {
        let mut unit = self.begin().await?;
        let before = unit.user_for_update(user.id).await?;
        let after =
            unit.update_user(&user, disabled).await.map_err(StorageError::duplicate_means(email_taken(&user.email)))?;
        if after.disabled || before.roles.iter().any(|role| !after.roles.contains(role)) {
            unit.end_sessions_of(after.id, None).await?;
        }
        let (action, summary) = match (before.disabled, disabled) {
            (false, true) => ("user.disabled", format!("Disabled the user {}", after.name)),
            (true, false) => ("user.enabled", format!("Enabled the user {}", after.name)),
            _ => ("user.updated", format!("Changed the user {}", after.name)),
        };
        let event =
            AuditEvent::new(self.now_ms(), by, action, Some(after.id), summary).with_before(&before).with_after(&after);
        unit.insert_audit_event(&event).await?;
        unit.commit().await?;
        Ok(after)
    }

    /// Sets the password of `user_id` and ends their sessions, all but `keep` (the session of
    /// someone changing their own).
    pub async fn set_password(
        &self,
        user_id: Uuid,
        password: &StoredPassword,
        by: &Author,
        keep: Option<&str>,
    ) -> StorageResult<()> {
        let mut unit = self.begin().await?;
        let user = unit.user_for_update(user_id).await?;
        unit.set_password(user_id, password).await?;
        unit.end_sessions_of(user_id, keep).await?;
        let summary = if by.user_id == Some(user_id) {
            format!("{} changed their password", user.name)
        } else if password.change_required {
            format!("Gave {} a one-time password", user.name)
        } else {
            format!("Set a new password for {}", user.name)
        };
        // The hash is never copied into the trail.
        unit.insert_audit_event(&AuditEvent::new(self.now_ms(), by, "user.password_set", Some(user_id), summary))
            .await?;
        unit.commit().await
    }
}
