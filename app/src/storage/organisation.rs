//! The organisation, its services, its staff and its practice themes (with their versions).

use super::{Storage, StorageError, StorageResult, UnitOfWork};
use crate::domain::audit::{AuditEvent, Author};
use crate::domain::organisation::{NewService, NewStaffMember, Organisation, Service, StaffMember};
use crate::domain::text::Name;
use crate::domain::theme::{Criterion, NewTheme, PracticeTheme, ThemeVersion};
use uuid::Uuid;

/// Counts the home page shows for one service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceSummary {
    pub service: Service,
    pub active_staff: u32,
}

#[async_trait::async_trait]
pub trait OrganisationStore: Send + Sync {
    async fn details(&self) -> StorageResult<Organisation>;
    /// Ordered by name.
    async fn services(&self) -> StorageResult<Vec<Service>>;
    async fn service_summaries(&self) -> StorageResult<Vec<ServiceSummary>>;
    async fn staff_member(&self, id: Uuid) -> StorageResult<StaffMember>;
    /// Staff in a service, or in all services; leavers included, ordered by name.
    async fn staff_members(&self, service_id: Option<Uuid>) -> StorageResult<Vec<StaffMember>>;
    /// Themes in the order they were added, each as its current version.
    async fn themes(&self) -> StorageResult<Vec<PracticeTheme>>;
    /// Every version of the theme `theme_id` (or of every theme), oldest first.
    async fn theme_versions(&self, theme_id: Option<Uuid>) -> StorageResult<Vec<ThemeVersion>>;
}

/// The organisation's records as a unit of work changes them. The `_for_update` reads lock
/// the record until the unit of work ends.
#[async_trait::async_trait]
pub trait OrganisationWrites: Send {
    async fn organisation_for_update(&mut self) -> StorageResult<Organisation>;
    async fn set_organisation_name(&mut self, name: &Name) -> StorageResult<()>;
    /// Marks the default themes installed; false if they were installed before.
    async fn claim_default_themes(&mut self) -> StorageResult<bool>;

    /// `Duplicate` when another service has the name (in any case).
    async fn insert_service(&mut self, service: &NewService) -> StorageResult<Service>;
    async fn service_for_update(&mut self, id: Uuid) -> StorageResult<Service>;
    async fn update_service(&mut self, service: &NewService) -> StorageResult<Service>;

    /// The member and their links to services; `NotFound` for an unknown service.
    async fn insert_staff_member(&mut self, member: &NewStaffMember) -> StorageResult<StaffMember>;
    async fn staff_member_for_update(&mut self, id: Uuid) -> StorageResult<StaffMember>;
    /// Replaces the member's details; `left_at_ms` says when they left, if they have.
    async fn update_staff_member(
        &mut self,
        member: &NewStaffMember,
        left_at_ms: Option<i64>,
    ) -> StorageResult<StaffMember>;

    /// The theme's own record, naming `current_version`; `Duplicate` when another theme has the
    /// name. Its criteria come with its versions.
    async fn insert_theme(&mut self, theme: &NewTheme, current_version: u32) -> StorageResult<()>;
    async fn theme_for_update(&mut self, id: Uuid) -> StorageResult<PracticeTheme>;
    async fn update_theme(&mut self, theme: &NewTheme, current_version: u32) -> StorageResult<()>;
    /// Keeps a version's standard and criteria; `Duplicate` when a criterion id belongs to
    /// another theme.
    async fn insert_theme_version(&mut self, version: &ThemeVersion) -> StorageResult<()>;
}

fn criteria_of(theme: &NewTheme) -> Vec<Criterion> {
    theme
        .criteria
        .iter()
        .map(|criterion| Criterion {
            id: criterion.id,
            title: criterion.title.to_string(),
            descriptors: criterion.descriptors.each_ref().map(|text| text.to_string()),
        })
        .collect()
}

fn theme_as_stored(theme: &NewTheme, version: u32) -> PracticeTheme {
    PracticeTheme {
        id: theme.id,
        name: theme.name.to_string(),
        expected_standard: theme.expected_standard.to_string(),
        kind: theme.kind,
        criteria: criteria_of(theme),
        quality_statements: theme.quality_statements.clone(),
        version,
    }
}

fn service_name_taken(service: &NewService) -> impl FnOnce() -> String + '_ {
    move || format!("A service called “{}” already exists.", service.name)
}

fn theme_name_taken(theme: &NewTheme) -> impl FnOnce() -> String + '_ {
    move || format!("A practice theme called “{}” already exists.", theme.name)
}

fn criterion_elsewhere() -> String {
    "A criterion belongs to another theme.".to_owned()
}

impl Storage {
    pub async fn rename_organisation(&self, name: &Name, by: &Author) -> StorageResult<()> {
        let mut unit = self.begin().await?;
        let before = unit.organisation_for_update().await?;
        unit.set_organisation_name(name).await?;
        let event = AuditEvent::new(
            self.now_ms(),
            by,
            "organisation.renamed",
            None,
            format!("Renamed the organisation “{name}”"),
        )
        .with_before(&before)
        .with_after(&Organisation { name: name.to_string() });
        unit.insert_audit_event(&event).await?;
        unit.commit().await
    }

    /// Adds the themes unless default themes were installed before (even if since edited or
    /// removed), so a provider's own changes are never undone. Returns whether it added them.
    pub async fn install_default_themes(&self, themes: Vec<NewTheme>) -> StorageResult<bool> {
        let mut unit = self.begin().await?;
        if !unit.claim_default_themes().await? {
            return Ok(false);
        }
        let by = Author::system("default practice themes");
        for theme in &themes {
            self.insert_theme_in(unit.as_mut(), theme, &by).await?;
        }
        unit.commit().await?;
        Ok(true)
    }

    pub async fn add_service(&self, service: NewService, by: &Author) -> StorageResult<Service> {
        let mut unit = self.begin().await?;
        let stored =
            unit.insert_service(&service).await.map_err(StorageError::duplicate_means(service_name_taken(&service)))?;
        // Reviews fall due from the day the service is added, not before.
        let today = crate::domain::check::date_in_zone(&stored.time_zone, self.now_ms());
        for cadence in crate::domain::review::Cadence::from_day(stored.id, today) {
            unit.save_review_cadence(&cadence).await?;
        }
        let summary = format!("Added the service “{}”", stored.name);
        let event = AuditEvent::new(self.now_ms(), by, "service.created", Some(stored.id), summary).with_after(&stored);
        unit.insert_audit_event(&event).await?;
        unit.commit().await?;
        Ok(stored)
    }

    /// Replaces the name, time zone and shift pattern of the service with `service.id`.
    pub async fn update_service(&self, service: NewService, by: &Author) -> StorageResult<Service> {
        let mut unit = self.begin().await?;
        let before = unit.service_for_update(service.id).await?;
        let stored =
            unit.update_service(&service).await.map_err(StorageError::duplicate_means(service_name_taken(&service)))?;
        let summary = format!("Changed the service “{}”", stored.name);
        let event = AuditEvent::new(self.now_ms(), by, "service.updated", Some(stored.id), summary)
            .with_before(&before)
            .with_after(&stored);
        unit.insert_audit_event(&event).await?;
        unit.commit().await?;
        Ok(stored)
    }

    /// Adds all the staff or none (a CSV import must never be half done).
    pub async fn add_staff_members(&self, staff: Vec<NewStaffMember>, by: &Author) -> StorageResult<Vec<StaffMember>> {
        let mut unit = self.begin().await?;
        let mut stored = Vec::with_capacity(staff.len());
        for member in &staff {
            let added = unit.insert_staff_member(member).await?;
            let summary = format!("Added the staff member “{}”", added.name);
            let event = AuditEvent::new(self.now_ms(), by, "staff.created", Some(added.id), summary).with_after(&added);
            unit.insert_audit_event(&event).await?;
            stored.push(added);
        }
        unit.commit().await?;
        Ok(stored)
    }

    /// Replaces the details and services of the staff member with `member.id`. Leavers are
    /// marked, never deleted, so their history stays.
    pub async fn update_staff_member(
        &self,
        member: NewStaffMember,
        has_left: bool,
        by: &Author,
    ) -> StorageResult<StaffMember> {
        let mut unit = self.begin().await?;
        let before = unit.staff_member_for_update(member.id).await?;
        // The moment of leaving is kept from when they were first marked, not moved by edits.
        let left_at_ms = has_left.then(|| before.left_at_ms.unwrap_or_else(|| self.now_ms()));
        let after = unit.update_staff_member(&member, left_at_ms).await?;
        let (action, summary) = if has_left && !before.has_left {
            ("staff.left", format!("Marked “{}” as having left", after.name))
        } else {
            ("staff.updated", format!("Changed the staff member “{}”", after.name))
        };
        let event =
            AuditEvent::new(self.now_ms(), by, action, Some(after.id), summary).with_before(&before).with_after(&after);
        unit.insert_audit_event(&event).await?;
        unit.commit().await?;
        Ok(after)
    }

    pub async fn add_theme(&self, theme: NewTheme, by: &Author) -> StorageResult<PracticeTheme> {
        let mut unit = self.begin().await?;
        let stored = self.insert_theme_in(unit.as_mut(), &theme, by).await?;
        unit.commit().await?;
        Ok(stored)
    }

    async fn insert_theme_in(
        &self,
        unit: &mut dyn UnitOfWork,
        theme: &NewTheme,
        by: &Author,
    ) -> StorageResult<PracticeTheme> {
        unit.insert_theme(theme, 1).await.map_err(StorageError::duplicate_means(theme_name_taken(theme)))?;
        let stored = theme_as_stored(theme, 1);
        unit.insert_theme_version(&self.version_of(&stored, by))
            .await
            .map_err(StorageError::duplicate_means(criterion_elsewhere))?;
        let summary = format!("Added the practice theme “{}”", stored.name);
        let event = AuditEvent::new(self.now_ms(), by, "theme.created", Some(stored.id), summary).with_after(&stored);
        unit.insert_audit_event(&event).await?;
        Ok(stored)
    }

    fn version_of(&self, theme: &PracticeTheme, by: &Author) -> ThemeVersion {
        ThemeVersion {
            theme_id: theme.id,
            version: theme.version,
            expected_standard: theme.expected_standard.clone(),
            criteria: theme.criteria.clone(),
            made_at_ms: self.now_ms(),
            made_by: by.name.clone(),
        }
    }

    /// Replaces the theme with `theme.id`. A change to what its scores mean (the criteria, their
    /// descriptors or the expected standard) makes a new version; checks already kept stay with
    /// the version they were rated against. Criteria keep their ids, so trends follow them.
    pub async fn update_theme(&self, theme: NewTheme, by: &Author) -> StorageResult<PracticeTheme> {
        let mut unit = self.begin().await?;
        let before = unit.theme_for_update(theme.id).await?;
        let new_version = theme.changes_what_scores_mean(&before);
        let version = if new_version { before.version + 1 } else { before.version };
        unit.update_theme(&theme, version).await.map_err(StorageError::duplicate_means(theme_name_taken(&theme)))?;
        let after = theme_as_stored(&theme, version);
        if new_version {
            unit.insert_theme_version(&self.version_of(&after, by))
                .await
                .map_err(StorageError::duplicate_means(criterion_elsewhere))?;
        }
        let summary = if new_version {
            format!("Changed the practice theme “{}” (version {version})", after.name)
        } else {
            format!("Changed the practice theme “{}”", after.name)
        };
        let event = AuditEvent::new(self.now_ms(), by, "theme.updated", Some(after.id), summary)
            .with_before(&before)
            .with_after(&after);
        unit.insert_audit_event(&event).await?;
        unit.commit().await?;
        Ok(after)
    }
}
