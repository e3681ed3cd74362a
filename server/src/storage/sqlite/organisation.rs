//! The organisation, services, staff and practice themes, in SQLite.

use super::{SqliteStorage, SqliteUnit};
use crate::storage::rows::{
    ServiceLinkRow, ServiceRow, ServiceSummaryRow, StaffRow, ThemeRow, VersionCriterionRow, VersionRow, assemble_staff,
    assemble_themes, assemble_versions, database_error, write_error,
};
use recheck_app::domain::organisation::{NewService, NewStaffMember, Organisation, Service, StaffMember};
use recheck_app::domain::text::Name;
use recheck_app::domain::theme::{NewTheme, PracticeTheme, ThemeVersion};
use recheck_app::storage::{OrganisationStore, OrganisationWrites, ServiceSummary, StorageError, StorageResult};
use sqlx::SqliteConnection;
use sqlx::types::Json;
use uuid::Uuid;

async fn organisation(connection: &mut SqliteConnection) -> StorageResult<Organisation> {
    let name: String = sqlx::query_scalar("SELECT name FROM organisation WHERE id = 1")
        .fetch_one(connection)
        .await
        .map_err(database_error)?;
    Ok(Organisation { name })
}

async fn service(connection: &mut SqliteConnection, id: Uuid) -> StorageResult<Service> {
    sqlx::query_as::<_, ServiceRow>("SELECT id, name, time_zone, shift_pattern FROM services WHERE id = ?1")
        .bind(id)
        .fetch_one(connection)
        .await
        .map(Service::from)
        .map_err(database_error)
}

/// Staff in `service_id` (or everywhere), or the one member `id`.
async fn staff_matching(
    connection: &mut SqliteConnection,
    service_id: Option<Uuid>,
    id: Option<Uuid>,
) -> StorageResult<Vec<StaffMember>> {
    let rows = sqlx::query_as::<_, StaffRow>(
        "SELECT id, name, job_title, team, has_left, left_at_ms FROM staff_members staff \
         WHERE (?2 IS NULL OR id = ?2) AND (?1 IS NULL OR EXISTS \
            (SELECT 1 FROM staff_services link WHERE link.staff_id = staff.id AND link.service_id = ?1)) \
         ORDER BY lower(name), id",
    )
    .bind(service_id)
    .bind(id)
    .fetch_all(&mut *connection)
    .await
    .map_err(database_error)?;
    let links = sqlx::query_as::<_, ServiceLinkRow>(
        "SELECT link.staff_id AS owner_id, link.service_id FROM staff_services link \
         JOIN services s ON s.id = link.service_id WHERE ?1 IS NULL OR link.staff_id = ?1 \
         ORDER BY lower(s.name), s.id",
    )
    .bind(id)
    .fetch_all(connection)
    .await
    .map_err(database_error)?;
    Ok(assemble_staff(rows, links))
}

async fn versions(connection: &mut SqliteConnection, theme_id: Option<Uuid>) -> StorageResult<Vec<ThemeVersion>> {
    let rows = sqlx::query_as::<_, VersionRow>(
        "SELECT theme_id, version, expected_standard, made_at_ms, made_by FROM theme_versions \
         WHERE ?1 IS NULL OR theme_id = ?1 ORDER BY theme_id, version",
    )
    .bind(theme_id)
    .fetch_all(&mut *connection)
    .await
    .map_err(database_error)?;
    let criteria = sqlx::query_as::<_, VersionCriterionRow>(
        "SELECT theme_id, version, criterion_id, title, descriptor_1, descriptor_2, descriptor_3, descriptor_4 \
         FROM theme_version_criteria WHERE ?1 IS NULL OR theme_id = ?1 ORDER BY theme_id, version, position",
    )
    .bind(theme_id)
    .fetch_all(connection)
    .await
    .map_err(database_error)?;
    Ok(assemble_versions(rows, criteria))
}

/// Themes (or the one theme `id`) as their current versions, in the order they were added.
async fn themes(connection: &mut SqliteConnection, id: Option<Uuid>) -> StorageResult<Vec<PracticeTheme>> {
    let rows = sqlx::query_as::<_, ThemeRow>(
        "SELECT id, name, check_kind, quality_statements, current_version FROM practice_themes \
         WHERE ?1 IS NULL OR id = ?1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *connection)
    .await
    .map_err(database_error)?;
    let current = sqlx::query_as::<_, VersionRow>(
        "SELECT v.theme_id, v.version, v.expected_standard, v.made_at_ms, v.made_by FROM theme_versions v \
         JOIN practice_themes t ON t.id = v.theme_id AND t.current_version = v.version WHERE ?1 IS NULL OR t.id = ?1",
    )
    .bind(id)
    .fetch_all(&mut *connection)
    .await
    .map_err(database_error)?;
    let criteria = sqlx::query_as::<_, VersionCriterionRow>(
        "SELECT c.theme_id, c.version, c.criterion_id, c.title, c.descriptor_1, c.descriptor_2, c.descriptor_3, \
                c.descriptor_4 \
         FROM theme_version_criteria c JOIN practice_themes t ON t.id = c.theme_id AND t.current_version = c.version \
         WHERE ?1 IS NULL OR t.id = ?1 ORDER BY c.theme_id, c.position",
    )
    .bind(id)
    .fetch_all(connection)
    .await
    .map_err(database_error)?;
    assemble_themes(rows, assemble_versions(current, criteria))
}

#[async_trait::async_trait]
impl OrganisationStore for SqliteStorage {
    async fn details(&self) -> StorageResult<Organisation> {
        organisation(&mut *self.connection().await?).await
    }

    async fn services(&self) -> StorageResult<Vec<Service>> {
        let rows = sqlx::query_as::<_, ServiceRow>(
            "SELECT id, name, time_zone, shift_pattern FROM services ORDER BY lower(name), id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(database_error)?;
        Ok(rows.into_iter().map(Service::from).collect())
    }

    async fn service_summaries(&self) -> StorageResult<Vec<ServiceSummary>> {
        let rows = sqlx::query_as::<_, ServiceSummaryRow>(
            "SELECT s.id, s.name, s.time_zone, s.shift_pattern, \
                (SELECT COUNT(*) FROM staff_services link \
                   JOIN staff_members staff ON staff.id = link.staff_id \
                  WHERE link.service_id = s.id AND staff.has_left = 0) AS active_staff \
             FROM services s ORDER BY lower(s.name), s.id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(database_error)?;
        Ok(rows.into_iter().map(ServiceSummary::from).collect())
    }

    async fn staff_member(&self, id: Uuid) -> StorageResult<StaffMember> {
        staff_matching(&mut *self.connection().await?, None, Some(id)).await?.pop().ok_or(StorageError::NotFound)
    }

    async fn staff_members(&self, service_id: Option<Uuid>) -> StorageResult<Vec<StaffMember>> {
        staff_matching(&mut *self.connection().await?, service_id, None).await
    }

    async fn themes(&self) -> StorageResult<Vec<PracticeTheme>> {
        themes(&mut *self.connection().await?, None).await
    }

    async fn theme_versions(&self, theme_id: Option<Uuid>) -> StorageResult<Vec<ThemeVersion>> {
        versions(&mut *self.connection().await?, theme_id).await
    }
}

/// Links `owner` to each service with `insert` (a two-parameter statement); an unknown service
/// is `NotFound`.
async fn link_services(
    connection: &mut SqliteConnection,
    insert: &'static str,
    owner: Uuid,
    service_ids: &[Uuid],
) -> StorageResult<()> {
    for service_id in service_ids {
        sqlx::query(insert).bind(owner).bind(service_id).execute(&mut *connection).await.map_err(write_error)?;
    }
    Ok(())
}

const INSERT_STAFF_SERVICE: &str =
    "INSERT INTO staff_services (staff_id, service_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING";

#[async_trait::async_trait]
impl OrganisationWrites for SqliteUnit {
    async fn organisation_for_update(&mut self) -> StorageResult<Organisation> {
        organisation(&mut self.tx).await
    }

    async fn set_organisation_name(&mut self, name: &Name) -> StorageResult<()> {
        sqlx::query("UPDATE organisation SET name = ?1 WHERE id = 1")
            .bind(name.as_str())
            .execute(&mut *self.tx)
            .await
            .map_err(database_error)?;
        Ok(())
    }

    async fn claim_default_themes(&mut self) -> StorageResult<bool> {
        let claimed = sqlx::query(
            "UPDATE organisation SET default_themes_installed = 1 WHERE id = 1 AND default_themes_installed = 0",
        )
        .execute(&mut *self.tx)
        .await
        .map_err(database_error)?
        .rows_affected();
        Ok(claimed == 1)
    }

    async fn insert_service(&mut self, service: &NewService) -> StorageResult<Service> {
        sqlx::query_as::<_, ServiceRow>(
            "INSERT INTO services (id, name, time_zone, shift_pattern) VALUES (?1, ?2, ?3, ?4) \
             RETURNING id, name, time_zone, shift_pattern",
        )
        .bind(service.id)
        .bind(service.name.as_str())
        .bind(&service.time_zone)
        .bind(Json(&service.shift_pattern))
        .fetch_one(&mut *self.tx)
        .await
        .map(Service::from)
        .map_err(write_error)
    }

    async fn service_for_update(&mut self, id: Uuid) -> StorageResult<Service> {
        service(&mut self.tx, id).await
    }

    async fn update_service(&mut self, service: &NewService) -> StorageResult<Service> {
        sqlx::query_as::<_, ServiceRow>(
            "UPDATE services SET name = ?2, time_zone = ?3, shift_pattern = ?4 WHERE id = ?1 \
             RETURNING id, name, time_zone, shift_pattern",
        )
        .bind(service.id)
        .bind(service.name.as_str())
        .bind(&service.time_zone)
        .bind(Json(&service.shift_pattern))
        .fetch_one(&mut *self.tx)
        .await
        .map(Service::from)
        .map_err(write_error)
    }

    async fn insert_staff_member(&mut self, member: &NewStaffMember) -> StorageResult<StaffMember> {
        sqlx::query("INSERT INTO staff_members (id, name, job_title, team) VALUES (?1, ?2, ?3, ?4)")
            .bind(member.id)
            .bind(member.name.as_str())
            .bind(member.job_title.as_str())
            .bind(member.team.as_ref().map(|team| team.as_str()))
            .execute(&mut *self.tx)
            .await
            .map_err(write_error)?;
        link_services(&mut self.tx, INSERT_STAFF_SERVICE, member.id, &member.service_ids).await?;
        Ok(StaffMember::from_new(member, None))
    }

    async fn staff_member_for_update(&mut self, id: Uuid) -> StorageResult<StaffMember> {
        staff_matching(&mut self.tx, None, Some(id)).await?.pop().ok_or(StorageError::NotFound)
    }

    async fn update_staff_member(
        &mut self,
        member: &NewStaffMember,
        left_at_ms: Option<i64>,
    ) -> StorageResult<StaffMember> {
        sqlx::query(
            "UPDATE staff_members SET name = ?2, job_title = ?3, team = ?4, has_left = ?5, left_at_ms = ?6 \
             WHERE id = ?1",
        )
        .bind(member.id)
        .bind(member.name.as_str())
        .bind(member.job_title.as_str())
        .bind(member.team.as_ref().map(|team| team.as_str()))
        .bind(left_at_ms.is_some())
        .bind(left_at_ms)
        .execute(&mut *self.tx)
        .await
        .map_err(write_error)?;
        sqlx::query("DELETE FROM staff_services WHERE staff_id = ?1")
            .bind(member.id)
            .execute(&mut *self.tx)
            .await
            .map_err(database_error)?;
        link_services(&mut self.tx, INSERT_STAFF_SERVICE, member.id, &member.service_ids).await?;
        Ok(StaffMember::from_new(member, left_at_ms))
    }

    async fn insert_theme(&mut self, theme: &NewTheme, current_version: u32) -> StorageResult<()> {
        sqlx::query(
            "INSERT INTO practice_themes (id, name, check_kind, quality_statements, current_version) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(theme.id)
        .bind(theme.name.as_str())
        .bind(theme.kind.code())
        .bind(Json(&theme.quality_statements))
        .bind(i64::from(current_version))
        .execute(&mut *self.tx)
        .await
        .map_err(write_error)?;
        Ok(())
    }

    async fn theme_for_update(&mut self, id: Uuid) -> StorageResult<PracticeTheme> {
        themes(&mut self.tx, Some(id)).await?.pop().ok_or(StorageError::NotFound)
    }

    async fn update_theme(&mut self, theme: &NewTheme, current_version: u32) -> StorageResult<()> {
        sqlx::query(
            "UPDATE practice_themes SET name = ?2, check_kind = ?3, quality_statements = ?4, current_version = ?5 \
             WHERE id = ?1",
        )
        .bind(theme.id)
        .bind(theme.name.as_str())
        .bind(theme.kind.code())
        .bind(Json(&theme.quality_statements))
        .bind(i64::from(current_version))
        .execute(&mut *self.tx)
        .await
        .map_err(write_error)?;
        Ok(())
    }

    async fn insert_theme_version(&mut self, version: &ThemeVersion) -> StorageResult<()> {
        sqlx::query(
            "INSERT INTO theme_versions (theme_id, version, expected_standard, made_at_ms, made_by) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(version.theme_id)
        .bind(i64::from(version.version))
        .bind(&version.expected_standard)
        .bind(version.made_at_ms)
        .bind(&version.made_by)
        .execute(&mut *self.tx)
        .await
        .map_err(write_error)?;
        for (position, criterion) in version.criteria.iter().enumerate() {
            let owner: Uuid = sqlx::query_scalar(
                "INSERT INTO criteria (id, theme_id) VALUES (?1, ?2) \
                 ON CONFLICT (id) DO UPDATE SET id = excluded.id RETURNING theme_id",
            )
            .bind(criterion.id)
            .bind(version.theme_id)
            .fetch_one(&mut *self.tx)
            .await
            .map_err(write_error)?;
            if owner != version.theme_id {
                return Err(StorageError::Duplicate);
            }
            let [first, second, third, fourth] = &criterion.descriptors;
            sqlx::query(
                "INSERT INTO theme_version_criteria (theme_id, version, position, criterion_id, title, \
                    descriptor_1, descriptor_2, descriptor_3, descriptor_4) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .bind(version.theme_id)
            .bind(i64::from(version.version))
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(criterion.id)
            .bind(&criterion.title)
            .bind(first)
            .bind(second)
            .bind(third)
            .bind(fourth)
            .execute(&mut *self.tx)
            .await
            .map_err(write_error)?;
        }
        Ok(())
    }
}
