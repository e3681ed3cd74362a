//! The audit trail: who changed what, when, from what to what. Inspectors and data protection
//! both ask for it, so every change to users, roles, services, staff and themes, and every
//! sign-in, is recorded where the change is made.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Who made a change: a signed-in user, or Recheck itself (set-up, demonstration data).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Author {
    pub user_id: Option<Uuid>,
    pub name: String,
}

impl Author {
    pub fn user(user_id: Uuid, name: impl Into<String>) -> Author {
        Author { user_id: Some(user_id), name: name.into() }
    }

    /// Recheck acting on an operator's command; `how` says which ("demonstration data").
    pub fn system(how: &str) -> Author {
        Author { user_id: None, name: format!("Recheck ({how})") }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: Uuid,
    /// Milliseconds since 1970 (UTC).
    pub occurred_at_ms: i64,
    pub author: Author,
    /// What happened, as `subject.verb`: `user.created`, `login.failed`, `service.created`.
    pub action: String,
    pub subject_id: Option<Uuid>,
    pub summary: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl AuditEvent {
    /// An event that happened at `occurred_at_ms` (by the storage's clock).
    pub fn new(
        occurred_at_ms: i64,
        author: &Author,
        action: &str,
        subject_id: Option<Uuid>,
        summary: impl Into<String>,
    ) -> AuditEvent {
        AuditEvent {
            id: Uuid::now_v7(),
            occurred_at_ms,
            author: author.clone(),
            action: action.to_owned(),
            subject_id,
            summary: summary.into(),
            before: None,
            after: None,
        }
    }

    pub fn with_after(mut self, after: &impl Serialize) -> AuditEvent {
        self.after = serde_json::to_value(after).ok();
        self
    }

    pub fn with_before(mut self, before: &impl Serialize) -> AuditEvent {
        self.before = serde_json::to_value(before).ok();
        self
    }
}

/// What to show of the trail; every field narrows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// `user` matches `user.created` and `user.disabled`.
    pub action_prefix: Option<String>,
    pub author_id: Option<Uuid>,
    pub subject_id: Option<Uuid>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// At most this many events, newest first.
    pub limit: u32,
}
