//! The storage contract, in the domain's terms. The server implements it once for SQLite and
//! once for PostgreSQL; server functions and API handlers reach it through context or state.

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

#[async_trait::async_trait]
pub trait Storage: Send + Sync {
    /// Answers when the database can be reached; used by `/healthz`.
    async fn ping(&self) -> StorageResult<()>;

    async fn organisation(&self) -> StorageResult<Organisation>;
    async fn rename_organisation(&self, name: &Name) -> StorageResult<()>;

    /// Adds the themes unless default themes were installed before (even if since edited or
    /// removed), so a provider's own changes are never undone. Returns whether it added them.
    async fn install_default_themes(&self, themes: Vec<NewTheme>) -> StorageResult<bool>;

    async fn add_service(&self, service: NewService) -> StorageResult<Service>;
    async fn services(&self) -> StorageResult<Vec<Service>>;
    async fn service_summaries(&self) -> StorageResult<Vec<ServiceSummary>>;

    /// Adds all the staff or none (a CSV import must never be half done).
    async fn add_staff_members(&self, staff: Vec<NewStaffMember>) -> StorageResult<Vec<StaffMember>>;
    /// Staff in a service, or in all services; leavers included, ordered by name.
    async fn staff_members(&self, service_id: Option<Uuid>) -> StorageResult<Vec<StaffMember>>;

    async fn add_theme(&self, theme: NewTheme) -> StorageResult<PracticeTheme>;
    /// Themes in the order they were added, each with its criteria in order.
    async fn themes(&self) -> StorageResult<Vec<PracticeTheme>>;
}

pub type SharedStorage = Arc<dyn Storage>;
