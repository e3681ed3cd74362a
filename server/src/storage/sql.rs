//! What the SQLite and PostgreSQL backends share: row shapes, error mapping and the statements
//! both dialects accept (`$1` parameters, `ON CONFLICT`, `RETURNING`). The statements are written
//! once in [`impl_storage_with_shared_sql!`] and expanded for each backend's pool type, so the two cannot
//! drift apart. A statement that one dialect needs written its own way becomes a macro argument.

use recheck_app::domain::cqc::QualityStatement;
use recheck_app::domain::organisation::{Service, StaffMember};
use recheck_app::domain::shift::ShiftPattern;
use recheck_app::domain::theme::{CheckKind, Criterion, PracticeTheme};
use recheck_app::storage::StorageError;
use sqlx::types::Json;
use std::collections::HashMap;
use uuid::Uuid;

pub(super) fn database_error(error: sqlx::Error) -> StorageError {
    match error {
        sqlx::Error::RowNotFound => StorageError::NotFound,
        other => StorageError::Database(other.to_string()),
    }
}

/// Maps a broken uniqueness rule to `message`, and an unknown referenced record to `NotFound`.
pub(super) fn write_error(error: sqlx::Error, message: impl FnOnce() -> String) -> StorageError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StorageError::Conflict(message()),
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => StorageError::NotFound,
        _ => database_error(error),
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct ServiceRow {
    pub id: Uuid,
    pub name: String,
    pub time_zone: String,
    pub shift_pattern: Json<ShiftPattern>,
}

impl From<ServiceRow> for Service {
    fn from(row: ServiceRow) -> Self {
        Service { id: row.id, name: row.name, time_zone: row.time_zone, shift_pattern: row.shift_pattern.0 }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct ServiceSummaryRow {
    #[sqlx(flatten)]
    pub service: ServiceRow,
    pub active_staff: i64,
}

#[derive(sqlx::FromRow)]
pub(super) struct StaffRow {
    pub id: Uuid,
    pub name: String,
    pub job_title: String,
    pub team: Option<String>,
    pub has_left: bool,
}

#[derive(sqlx::FromRow)]
pub(super) struct StaffServiceRow {
    pub staff_id: Uuid,
    pub service_id: Uuid,
}

pub(super) fn assemble_staff(rows: Vec<StaffRow>, links: Vec<StaffServiceRow>) -> Vec<StaffMember> {
    let mut services_by_staff: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for link in links {
        services_by_staff.entry(link.staff_id).or_default().push(link.service_id);
    }
    rows.into_iter()
        .map(|row| StaffMember {
            service_ids: services_by_staff.remove(&row.id).unwrap_or_default(),
            id: row.id,
            name: row.name,
            job_title: row.job_title,
            team: row.team,
            has_left: row.has_left,
        })
        .collect()
}

#[derive(sqlx::FromRow)]
pub(super) struct ThemeRow {
    pub id: Uuid,
    pub name: String,
    pub expected_standard: String,
    pub check_kind: String,
    pub quality_statements: Json<Vec<QualityStatement>>,
}

#[derive(sqlx::FromRow)]
pub(super) struct CriterionRow {
    pub id: Uuid,
    pub theme_id: Uuid,
    pub title: String,
    pub descriptor_1: String,
    pub descriptor_2: String,
    pub descriptor_3: String,
    pub descriptor_4: String,
}

/// Joins themes to their criteria; `criteria` must be ordered by position.
pub(super) fn assemble_themes(
    rows: Vec<ThemeRow>,
    criteria: Vec<CriterionRow>,
) -> Result<Vec<PracticeTheme>, StorageError> {
    let mut criteria_by_theme: HashMap<Uuid, Vec<Criterion>> = HashMap::new();
    for row in criteria {
        criteria_by_theme.entry(row.theme_id).or_default().push(Criterion {
            id: row.id,
            title: row.title,
            descriptors: [row.descriptor_1, row.descriptor_2, row.descriptor_3, row.descriptor_4],
        });
    }
    rows.into_iter()
        .map(|row| {
            let kind = CheckKind::from_code(&row.check_kind).ok_or_else(|| {
                StorageError::Database(format!("theme {} has an unknown check kind “{}”", row.id, row.check_kind))
            })?;
            Ok(PracticeTheme {
                criteria: criteria_by_theme.remove(&row.id).unwrap_or_default(),
                id: row.id,
                name: row.name,
                expected_standard: row.expected_standard,
                kind,
                quality_statements: row.quality_statements.0,
            })
        })
        .collect()
}

/// Implements [`Storage`](recheck_app::storage::Storage) for `$storage`, a struct with a `pool`
/// field of the backend whose database type is `$db`, using statements both dialects accept.
macro_rules! impl_storage_with_shared_sql {
    ($storage:ty, $db:ty) => {
        const _: () = {
            use $crate::storage::sql::{
                CriterionRow, ServiceRow, ServiceSummaryRow, StaffRow, StaffServiceRow, ThemeRow, assemble_staff,
                assemble_themes, database_error, write_error,
            };
            use recheck_app::domain::organisation::{NewService, NewStaffMember, Organisation, Service, StaffMember};
            use recheck_app::domain::text::Name;
            use recheck_app::domain::theme::{Criterion, NewTheme, PracticeTheme};
            use recheck_app::storage::{ServiceSummary, Storage, StorageResult};
            use sqlx::types::Json;
            use uuid::Uuid;

            async fn insert_theme(
                tx: &mut sqlx::Transaction<'_, $db>,
                theme: &NewTheme,
            ) -> StorageResult<PracticeTheme> {
                sqlx::query(
                    "INSERT INTO practice_themes (id, name, expected_standard, check_kind, quality_statements) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(theme.id)
                .bind(theme.name.as_str())
                .bind(theme.expected_standard.as_str())
                .bind(theme.kind.code())
                .bind(Json(&theme.quality_statements))
                .execute(&mut **tx)
                .await
                .map_err(|error| write_error(error, || format!("A practice theme called “{}” already exists.", theme.name)))?;
                for (position, criterion) in theme.criteria.iter().enumerate() {
                    let [first, second, third, fourth] = &criterion.descriptors;
                    sqlx::query(
                        "INSERT INTO theme_criteria \
                            (id, theme_id, position, title, descriptor_1, descriptor_2, descriptor_3, descriptor_4) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(criterion.id)
                    .bind(theme.id)
                    .bind(i32::try_from(position).expect("criteria are bounded"))
                    .bind(criterion.title.as_str())
                    .bind(first.as_str())
                    .bind(second.as_str())
                    .bind(third.as_str())
                    .bind(fourth.as_str())
                    .execute(&mut **tx)
                    .await
                    .map_err(database_error)?;
                }
                Ok(PracticeTheme {
                    id: theme.id,
                    name: theme.name.to_string(),
                    expected_standard: theme.expected_standard.to_string(),
                    kind: theme.kind,
                    criteria: theme
                        .criteria
                        .iter()
                        .map(|criterion| Criterion {
                            id: criterion.id,
                            title: criterion.title.to_string(),
                            descriptors: criterion.descriptors.each_ref().map(|text| text.to_string()),
                        })
                        .collect(),
                    quality_statements: theme.quality_statements.clone(),
                })
            }

            #[async_trait::async_trait]
            impl Storage for $storage {
                async fn ping(&self) -> StorageResult<()> {
                    sqlx::query("SELECT 1").execute(&self.pool).await.map_err(database_error)?;
                    Ok(())
                }

                async fn organisation(&self) -> StorageResult<Organisation> {
                    let name: String = sqlx::query_scalar("SELECT name FROM organisation WHERE id = 1")
                        .fetch_one(&self.pool)
                        .await
                        .map_err(database_error)?;
                    Ok(Organisation { name })
                }

                async fn rename_organisation(&self, name: &Name) -> StorageResult<()> {
                    sqlx::query("UPDATE organisation SET name = $1 WHERE id = 1")
                        .bind(name.as_str())
                        .execute(&self.pool)
                        .await
                        .map_err(database_error)?;
                    Ok(())
                }

                async fn install_default_themes(&self, themes: Vec<NewTheme>) -> StorageResult<bool> {
                    let mut tx = self.pool.begin().await.map_err(database_error)?;
                    let claimed = sqlx::query(
                        "UPDATE organisation SET default_themes_installed = TRUE \
                         WHERE id = 1 AND default_themes_installed = FALSE",
                    )
                    .execute(&mut *tx)
                    .await
                    .map_err(database_error)?
                    .rows_affected();
                    if claimed == 0 {
                        return Ok(false);
                    }
                    for theme in &themes {
                        insert_theme(&mut tx, theme).await?;
                    }
                    tx.commit().await.map_err(database_error)?;
                    Ok(true)
                }

                async fn add_service(&self, service: NewService) -> StorageResult<Service> {
                    sqlx::query_as::<_, ServiceRow>(
                        "INSERT INTO services (id, name, time_zone, shift_pattern) VALUES ($1, $2, $3, $4) \
                         RETURNING id, name, time_zone, shift_pattern",
                    )
                    .bind(service.id)
                    .bind(service.name.as_str())
                    .bind(&service.time_zone)
                    .bind(Json(&service.shift_pattern))
                    .fetch_one(&self.pool)
                    .await
                    .map(Service::from)
                    .map_err(|error| write_error(error, || format!("A service called “{}” already exists.", service.name)))
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
                              WHERE link.service_id = s.id AND staff.has_left = FALSE) AS active_staff \
                         FROM services s ORDER BY lower(s.name), s.id",
                    )
                    .fetch_all(&self.pool)
                    .await
                    .map_err(database_error)?;
                    Ok(rows
                        .into_iter()
                        .map(|row| ServiceSummary {
                            service: row.service.into(),
                            active_staff: u32::try_from(row.active_staff).unwrap_or(u32::MAX),
                        })
                        .collect())
                }

                async fn add_staff_members(&self, staff: Vec<NewStaffMember>) -> StorageResult<Vec<StaffMember>> {
                    let mut tx = self.pool.begin().await.map_err(database_error)?;
                    for member in &staff {
                        sqlx::query("INSERT INTO staff_members (id, name, job_title, team) VALUES ($1, $2, $3, $4)")
                            .bind(member.id)
                            .bind(member.name.as_str())
                            .bind(member.job_title.as_str())
                            .bind(member.team.as_ref().map(|team| team.as_str()))
                            .execute(&mut *tx)
                            .await
                            .map_err(database_error)?;
                        for service_id in &member.service_ids {
                            sqlx::query(
                                "INSERT INTO staff_services (staff_id, service_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                            )
                            .bind(member.id)
                            .bind(service_id)
                            .execute(&mut *tx)
                            .await
                            .map_err(|error| write_error(error, String::new))?;
                        }
                    }
                    tx.commit().await.map_err(database_error)?;
                    Ok(staff
                        .into_iter()
                        .map(|member| StaffMember {
                            id: member.id,
                            name: member.name.into(),
                            job_title: member.job_title.into(),
                            team: member.team.map(Into::into),
                            service_ids: member.service_ids,
                            has_left: false,
                        })
                        .collect())
                }

                async fn staff_members(&self, service_id: Option<Uuid>) -> StorageResult<Vec<StaffMember>> {
                    let rows = sqlx::query_as::<_, StaffRow>(
                        "SELECT id, name, job_title, team, has_left FROM staff_members staff \
                         WHERE $1 IS NULL OR EXISTS \
                            (SELECT 1 FROM staff_services link WHERE link.staff_id = staff.id AND link.service_id = $1) \
                         ORDER BY lower(name), id",
                    )
                    .bind(service_id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(database_error)?;
                    let links = sqlx::query_as::<_, StaffServiceRow>(
                        "SELECT link.staff_id, link.service_id FROM staff_services link \
                         JOIN services s ON s.id = link.service_id ORDER BY lower(s.name), s.id",
                    )
                    .fetch_all(&self.pool)
                    .await
                    .map_err(database_error)?;
                    Ok(assemble_staff(rows, links))
                }

                async fn add_theme(&self, theme: NewTheme) -> StorageResult<PracticeTheme> {
                    let mut tx = self.pool.begin().await.map_err(database_error)?;
                    let stored = insert_theme(&mut tx, &theme).await?;
                    tx.commit().await.map_err(database_error)?;
                    Ok(stored)
                }

                async fn themes(&self) -> StorageResult<Vec<PracticeTheme>> {
                    let rows = sqlx::query_as::<_, ThemeRow>(
                        "SELECT id, name, expected_standard, check_kind, quality_statements FROM practice_themes ORDER BY id",
                    )
                    .fetch_all(&self.pool)
                    .await
                    .map_err(database_error)?;
                    let criteria = sqlx::query_as::<_, CriterionRow>(
                        "SELECT id, theme_id, title, descriptor_1, descriptor_2, descriptor_3, descriptor_4 \
                         FROM theme_criteria ORDER BY theme_id, position",
                    )
                    .fetch_all(&self.pool)
                    .await
                    .map_err(database_error)?;
                    assemble_themes(rows, criteria)
                }
            }
        };
    };
}

pub(super) use impl_storage_with_shared_sql;
