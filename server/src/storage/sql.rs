//! What the SQLite and PostgreSQL backends share: row shapes, error mapping and the statements
//! both dialects accept (`$1` parameters, `ON CONFLICT`, `RETURNING`). The statements are written
//! once in [`impl_storage_with_shared_sql!`] and expanded for each backend's pool type, so the two cannot
//! drift apart. A statement that one dialect needs written its own way becomes a macro argument.

use recheck_app::domain::access::Role;
use recheck_app::domain::account::{Email, User};
use recheck_app::domain::audit::{AuditEvent, Author};
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

/// A staff member's or user's link to a service (`staff_services`, `user_services`).
#[derive(sqlx::FromRow)]
pub(super) struct ServiceLinkRow {
    pub owner_id: Uuid,
    pub service_id: Uuid,
}

/// Each owner's service ids, in the order the links came.
fn group_service_links(links: Vec<ServiceLinkRow>) -> HashMap<Uuid, Vec<Uuid>> {
    let mut services_by_owner: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for link in links {
        services_by_owner.entry(link.owner_id).or_default().push(link.service_id);
    }
    services_by_owner
}

pub(super) fn assemble_staff(rows: Vec<StaffRow>, links: Vec<ServiceLinkRow>) -> Vec<StaffMember> {
    let mut services_by_staff = group_service_links(links);
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

#[derive(sqlx::FromRow)]
pub(super) struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub roles: Json<Vec<Role>>,
    pub disabled: bool,
    pub password_change_required: bool,
}

pub(super) fn assemble_users(rows: Vec<UserRow>, links: Vec<ServiceLinkRow>) -> Result<Vec<User>, StorageError> {
    let mut services_by_user = group_service_links(links);
    rows.into_iter()
        .map(|row| {
            let email = Email::parse(&row.email)
                .map_err(|error| StorageError::Database(format!("user {} has a bad email: {error}", row.id)))?;
            Ok(User {
                service_ids: services_by_user.remove(&row.id).unwrap_or_default(),
                id: row.id,
                email,
                name: row.name,
                roles: row.roles.0,
                disabled: row.disabled,
                password_change_required: row.password_change_required,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
pub(super) struct AuditRow {
    pub id: Uuid,
    pub occurred_at_ms: i64,
    pub author_id: Option<Uuid>,
    pub author_name: String,
    pub action: String,
    pub subject_id: Option<Uuid>,
    pub summary: String,
    pub before_state: Option<Json<serde_json::Value>>,
    pub after_state: Option<Json<serde_json::Value>>,
}

impl From<AuditRow> for AuditEvent {
    fn from(row: AuditRow) -> Self {
        AuditEvent {
            id: row.id,
            occurred_at_ms: row.occurred_at_ms,
            author: Author { user_id: row.author_id, name: row.author_name },
            action: row.action,
            subject_id: row.subject_id,
            summary: row.summary,
            before: row.before_state.map(|json| json.0),
            after: row.after_state.map(|json| json.0),
        }
    }
}

/// A statement reading `CheckRow`s: their columns from `checks`, then `$rest` (WHERE, ORDER BY).
macro_rules! select_checks {
    ($rest:literal) => {
        concat!("SELECT observer_id, observed_at_ms, shift_kind, weekend, content, received_at_ms FROM checks ", $rest)
    };
}
pub(super) use select_checks;

#[derive(sqlx::FromRow)]
pub(super) struct CheckRow {
    pub observer_id: Uuid,
    pub observed_at_ms: i64,
    pub shift_kind: String,
    pub weekend: bool,
    pub content: Json<recheck_app::domain::check::SubmittedCheck>,
    pub received_at_ms: i64,
}

impl TryFrom<CheckRow> for recheck_app::domain::check::StoredCheck {
    type Error = StorageError;

    fn try_from(row: CheckRow) -> Result<Self, StorageError> {
        let shift_kind = recheck_app::domain::shift::ShiftKind::from_code(&row.shift_kind).ok_or_else(|| {
            StorageError::Database(format!("check {} has an unknown shift “{}”", row.content.0.id, row.shift_kind))
        })?;
        Ok(recheck_app::domain::check::StoredCheck {
            check: row.content.0,
            observer_id: row.observer_id,
            shift_kind,
            weekend_practice: row.weekend,
            observed_at_ms: row.observed_at_ms,
            received_at_ms: row.received_at_ms,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct SessionRow {
    pub id: String,
    pub data: String,
    pub expires_at_ms: i64,
}

/// Implements [`Storage`](recheck_app::storage::Storage) for `$storage`, a struct with a `pool`
/// field of the backend whose database type is `$db`, using statements both dialects accept.
macro_rules! impl_storage_with_shared_sql {
    ($storage:ty, $db:ty) => {
        const _: () = {
            use $crate::storage::sql::{
                AuditRow, CheckRow, CriterionRow, ServiceLinkRow, ServiceRow, ServiceSummaryRow, SessionRow, StaffRow, ThemeRow,
                UserRow, assemble_staff, assemble_themes, assemble_users, database_error, select_checks, write_error,
            };
            use recheck_app::domain::account::{Email, NewUser, User};
            use recheck_app::domain::audit::{AuditEvent, AuditFilter, Author};
            use recheck_app::domain::check::{AcceptedCheck, CheckFilter, StoredCheck};
            use recheck_app::domain::organisation::{NewService, NewStaffMember, Organisation, Service, StaffMember};
            use recheck_app::domain::text::Name;
            use recheck_app::domain::theme::{Criterion, NewTheme, PracticeTheme};
            use recheck_app::storage::{
                CheckRecording, ServiceSummary, SessionRecord, Storage, StorageError, StorageResult, StoredPassword,
            };
            use sqlx::types::Json;
            use uuid::Uuid;

            type Transaction<'a> = sqlx::Transaction<'a, $db>;

            async fn insert_audit_event(tx: &mut Transaction<'_>, event: &AuditEvent) -> StorageResult<()> {
                sqlx::query(
                    "INSERT INTO audit_events \
                        (id, occurred_at_ms, author_id, author_name, action, subject_id, summary, before_state, after_state) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(event.id)
                .bind(event.occurred_at_ms)
                .bind(event.author.user_id)
                .bind(&event.author.name)
                .bind(&event.action)
                .bind(event.subject_id)
                .bind(&event.summary)
                .bind(event.before.as_ref().map(Json))
                .bind(event.after.as_ref().map(Json))
                .execute(&mut **tx)
                .await
                .map_err(database_error)?;
                Ok(())
            }

            /// Links `owner` to each service with `insert` (a two-parameter statement); an unknown
            /// service is `NotFound`.
            async fn link_services(
                tx: &mut Transaction<'_>,
                insert: &'static str,
                owner: Uuid,
                service_ids: &[Uuid],
            ) -> StorageResult<()> {
                for service_id in service_ids {
                    sqlx::query(insert)
                        .bind(owner)
                        .bind(service_id)
                        .execute(&mut **tx)
                        .await
                        .map_err(|error| write_error(error, String::new))?;
                }
                Ok(())
            }

            /// Runs `statement` (an insert or update taking the id, name, time zone and pattern, in that
            /// order, and returning the row) for `service`.
            async fn write_service(tx: &mut Transaction<'_>, statement: &'static str, service: &NewService) -> StorageResult<Service> {
                sqlx::query_as::<_, ServiceRow>(statement)
                    .bind(service.id)
                    .bind(service.name.as_str())
                    .bind(&service.time_zone)
                    .bind(Json(&service.shift_pattern))
                    .fetch_one(&mut **tx)
                    .await
                    .map(Service::from)
                    .map_err(|error| write_error(error, || format!("A service called “{}” already exists.", service.name)))
            }

            /// Writes the theme's criteria in order, keeping their ids.
            async fn insert_criteria(tx: &mut Transaction<'_>, theme: &NewTheme) -> StorageResult<()> {
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
                    // A criterion id another theme already uses.
                    .map_err(|error| write_error(error, || "A criterion belongs to another theme.".to_owned()))?;
                }
                Ok(())
            }

            fn theme_as_stored(theme: &NewTheme) -> PracticeTheme {
                PracticeTheme {
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
                }
            }

            fn theme_name_taken(theme: &NewTheme) -> impl FnOnce() -> String + '_ {
                move || format!("A practice theme called “{}” already exists.", theme.name)
            }

            async fn insert_theme(tx: &mut Transaction<'_>, theme: &NewTheme, by: &Author) -> StorageResult<PracticeTheme> {
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
                .map_err(|error| write_error(error, theme_name_taken(theme)))?;
                insert_criteria(tx, theme).await?;
                let stored = theme_as_stored(theme);
                let summary = format!("Added the practice theme “{}”", stored.name);
                insert_audit_event(tx, &AuditEvent::new(by, "theme.created", Some(stored.id), summary).with_after(&stored))
                    .await?;
                Ok(stored)
            }

            /// Replaces the services `owner` is linked to: `delete` and `insert` are the link
            /// table's statements, with the owner as their first parameter.
            async fn relink_services(
                tx: &mut Transaction<'_>,
                delete: &'static str,
                insert: &'static str,
                owner: Uuid,
                service_ids: &[Uuid],
            ) -> StorageResult<()> {
                sqlx::query(delete).bind(owner).execute(&mut **tx).await.map_err(database_error)?;
                link_services(tx, insert, owner, service_ids).await
            }

            const INSERT_STAFF_SERVICE: &str =
                "INSERT INTO staff_services (staff_id, service_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
            const INSERT_USER_SERVICE: &str =
                "INSERT INTO user_services (user_id, service_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";

            fn email_taken(email: &Email) -> impl FnOnce() -> String + '_ {
                move || format!("A user with the email {email} already exists.")
            }

            impl $storage {
                async fn staff_matching(&self, service_id: Option<Uuid>, id: Option<Uuid>) -> StorageResult<Vec<StaffMember>> {
                    let rows = sqlx::query_as::<_, StaffRow>(
                        "SELECT id, name, job_title, team, has_left FROM staff_members staff \
                         WHERE ($2 IS NULL OR id = $2) AND ($1 IS NULL OR EXISTS \
                            (SELECT 1 FROM staff_services link WHERE link.staff_id = staff.id AND link.service_id = $1)) \
                         ORDER BY lower(name), id",
                    )
                    .bind(service_id)
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(database_error)?;
                    let links = sqlx::query_as::<_, ServiceLinkRow>(
                        "SELECT link.staff_id AS owner_id, link.service_id FROM staff_services link \
                         JOIN services s ON s.id = link.service_id WHERE $1 IS NULL OR link.staff_id = $1 \
                         ORDER BY lower(s.name), s.id",
                    )
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(database_error)?;
                    Ok(assemble_staff(rows, links))
                }

                async fn users_matching(&self, email: Option<&str>, id: Option<Uuid>) -> StorageResult<Vec<User>> {
                    let rows = sqlx::query_as::<_, UserRow>(
                        "SELECT id, email, name, roles, disabled, password_change_required FROM users \
                         WHERE ($1 IS NULL OR email = $1) AND ($2 IS NULL OR id = $2) \
                         ORDER BY lower(name), id",
                    )
                    .bind(email)
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(database_error)?;
                    // Looking up one user fetches only their services; listing fetches everyone's.
                    let looking_up_one = email.is_some() || id.is_some();
                    if looking_up_one && rows.is_empty() {
                        return Ok(Vec::new());
                    }
                    let one_user = if looking_up_one { rows.first().map(|row| row.id) } else { None };
                    let links = sqlx::query_as::<_, ServiceLinkRow>(
                        "SELECT link.user_id AS owner_id, link.service_id FROM user_services link \
                         JOIN services s ON s.id = link.service_id \
                         WHERE $1 IS NULL OR link.user_id = $1 ORDER BY lower(s.name), s.id",
                    )
                    .bind(one_user)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(database_error)?;
                    assemble_users(rows, links)
                }
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

                async fn rename_organisation(&self, name: &Name, by: &Author) -> StorageResult<()> {
                    let mut tx = self.pool.begin().await.map_err(database_error)?;
                    let before: String = sqlx::query_scalar("SELECT name FROM organisation WHERE id = 1")
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(database_error)?;
                    sqlx::query("UPDATE organisation SET name = $1 WHERE id = 1")
                        .bind(name.as_str())
                        .execute(&mut *tx)
                        .await
                        .map_err(database_error)?;
                    let mut event = AuditEvent::new(by, "organisation.renamed", None, format!("Renamed the organisation “{name}”"))
                        .with_after(&Organisation { name: name.to_string() });
                    event.before = serde_json::to_value(Organisation { name: before }).ok();
                    insert_audit_event(&mut tx, &event).await?;
                    tx.commit().await.map_err(database_error)
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
                    let by = Author::system("default practice themes");
                    for theme in &themes {
                        insert_theme(&mut tx, theme, &by).await?;
                    }
                    tx.commit().await.map_err(database_error)?;
                    Ok(true)
                }

                async fn add_service(&self, service: NewService, by: &Author) -> StorageResult<Service> {
                    let mut tx = self.pool.begin().await.map_err(database_error)?;
                    let stored = write_service(
                        &mut tx,
                        "INSERT INTO services (id, name, time_zone, shift_pattern) VALUES ($1, $2, $3, $4) \
                         RETURNING id, name, time_zone, shift_pattern",
                        &service,
                    )
                    .await?;
                    let summary = format!("Added the service “{}”", stored.name);
                    insert_audit_event(&mut tx, &AuditEvent::new(by, "service.created", Some(stored.id), summary).with_after(&stored))
                        .await?;
                    tx.commit().await.map_err(database_error)?;
                    Ok(stored)
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

                async fn add_staff_members(&self, staff: Vec<NewStaffMember>, by: &Author) -> StorageResult<Vec<StaffMember>> {
                    let mut tx = self.pool.begin().await.map_err(database_error)?;
                    let mut stored = Vec::with_capacity(staff.len());
                    for member in staff {
                        sqlx::query("INSERT INTO staff_members (id, name, job_title, team) VALUES ($1, $2, $3, $4)")
                            .bind(member.id)
                            .bind(member.name.as_str())
                            .bind(member.job_title.as_str())
                            .bind(member.team.as_ref().map(|team| team.as_str()))
                            .execute(&mut *tx)
                            .await
                            .map_err(database_error)?;
                        link_services(&mut tx, INSERT_STAFF_SERVICE, member.id, &member.service_ids).await?;
                        let added = StaffMember {
                            id: member.id,
                            name: member.name.into(),
                            job_title: member.job_title.into(),
                            team: member.team.map(Into::into),
                            service_ids: member.service_ids,
                            has_left: false,
                        };
                        let summary = format!("Added the staff member “{}”", added.name);
                        insert_audit_event(&mut tx, &AuditEvent::new(by, "staff.created", Some(added.id), summary).with_after(&added))
                            .await?;
                        stored.push(added);
                    }
                    tx.commit().await.map_err(database_error)?;
                    Ok(stored)
                }

                async fn staff_member(&self, id: Uuid) -> StorageResult<StaffMember> {
                    self.staff_matching(None, Some(id)).await?.pop().ok_or(StorageError::NotFound)
                }

                async fn staff_members(&self, service_id: Option<Uuid>) -> StorageResult<Vec<StaffMember>> {
                    self.staff_matching(service_id, None).await
                }

                async fn add_theme(&self, theme: NewTheme, by: &Author) -> StorageResult<PracticeTheme> {
                    let mut tx = self.pool.begin().await.map_err(database_error)?;
                    let stored = insert_theme(&mut tx, &theme, by).await?;
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

                async fn add_user(&self, user: NewUser, password: &StoredPassword, by: &Author) -> StorageResult<User> {
                    let mut tx = self.pool.begin().await.map_err(database_error)?;
                    sqlx::query(
                        "INSERT INTO users (id, email, name, password_hash, password_change_required, roles) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                        .bind(user.id)
                        .bind(user.email.as_str())
                        .bind(user.name.as_str())
                        .bind(&password.hash)
                        .bind(password.change_required)
                        .bind(Json(&user.roles))
                        .execute(&mut *tx)
                        .await
                        .map_err(|error| write_error(error, email_taken(&user.email)))?;
                    link_services(&mut tx, INSERT_USER_SERVICE, user.id, &user.service_ids).await?;
                    let added = User {
                        id: user.id,
                        email: user.email,
                        name: user.name.into(),
                        roles: user.roles,
                        service_ids: user.service_ids,
                        disabled: false,
                        password_change_required: password.change_required,
                    };
                    let summary = format!("Added the user {} ({})", added.name, added.email);
                    insert_audit_event(&mut tx, &AuditEvent::new(by, "user.created", Some(added.id), summary).with_after(&added))
                        .await?;
                    tx.commit().await.map_err(database_error)?;
                    Ok(added)
                }

                async fn update_service(&self, service: NewService, by: &Author) -> StorageResult<Service> {
                    let mut tx = self.pool.begin().await.map_err(database_error)?;
                    let before = sqlx::query_as::<_, ServiceRow>(
                        "SELECT id, name, time_zone, shift_pattern FROM services WHERE id = $1",
                    )
                    .bind(service.id)
                    .fetch_one(&mut *tx)
                    .await
                    .map(Service::from)
                    .map_err(database_error)?;
                    let stored = write_service(
                        &mut tx,
                        "UPDATE services SET name = $2, time_zone = $3, shift_pattern = $4 WHERE id = $1 \
                         RETURNING id, name, time_zone, shift_pattern",
                        &service,
                    )
                    .await?;
                    let summary = format!("Changed the service “{}”", stored.name);
                    let event = AuditEvent::new(by, "service.updated", Some(stored.id), summary).with_before(&before).with_after(&stored);
                    insert_audit_event(&mut tx, &event).await?;
                    tx.commit().await.map_err(database_error)?;
                    Ok(stored)
                }

                async fn update_staff_member(
                    &self,
                    member: NewStaffMember,
                    has_left: bool,
                    by: &Author,
                ) -> StorageResult<StaffMember> {
                    let before = self.staff_member(member.id).await?;
                    let mut tx = self.pool.begin().await.map_err(database_error)?;
                    sqlx::query("UPDATE staff_members SET name = $2, job_title = $3, team = $4, has_left = $5 WHERE id = $1")
                        .bind(member.id)
                        .bind(member.name.as_str())
                        .bind(member.job_title.as_str())
                        .bind(member.team.as_ref().map(|team| team.as_str()))
                        .bind(has_left)
                        .execute(&mut *tx)
                        .await
                        .map_err(database_error)?;
                    relink_services(
                        &mut tx,
                        "DELETE FROM staff_services WHERE staff_id = $1",
                        INSERT_STAFF_SERVICE,
                        member.id,
                        &member.service_ids,
                    )
                    .await?;
                    let after = StaffMember {
                        id: member.id,
                        name: member.name.into(),
                        job_title: member.job_title.into(),
                        team: member.team.map(Into::into),
                        service_ids: member.service_ids,
                        has_left,
                    };
                    let (action, summary) = if has_left && !before.has_left {
                        ("staff.left", format!("Marked “{}” as having left", after.name))
                    } else {
                        ("staff.updated", format!("Changed the staff member “{}”", after.name))
                    };
                    let event = AuditEvent::new(by, action, Some(after.id), summary).with_before(&before).with_after(&after);
                    insert_audit_event(&mut tx, &event).await?;
                    tx.commit().await.map_err(database_error)?;
                    Ok(after)
                }

                async fn update_theme(&self, theme: NewTheme, by: &Author) -> StorageResult<PracticeTheme> {
                    let before = self
                        .themes()
                        .await?
                        .into_iter()
                        .find(|stored| stored.id == theme.id)
                        .ok_or(StorageError::NotFound)?;
                    let mut tx = self.pool.begin().await.map_err(database_error)?;
                    sqlx::query(
                        "UPDATE practice_themes SET name = $2, expected_standard = $3, check_kind = $4, \
                            quality_statements = $5 WHERE id = $1",
                    )
                    .bind(theme.id)
                    .bind(theme.name.as_str())
                    .bind(theme.expected_standard.as_str())
                    .bind(theme.kind.code())
                    .bind(Json(&theme.quality_statements))
                    .execute(&mut *tx)
                    .await
                    .map_err(|error| write_error(error, theme_name_taken(&theme)))?;
                    sqlx::query("DELETE FROM theme_criteria WHERE theme_id = $1")
                        .bind(theme.id)
                        .execute(&mut *tx)
                        .await
                        .map_err(database_error)?;
                    insert_criteria(&mut tx, &theme).await?;
                    let after = theme_as_stored(&theme);
                    let summary = format!("Changed the practice theme “{}”", after.name);
                    let event = AuditEvent::new(by, "theme.updated", Some(after.id), summary).with_before(&before).with_after(&after);
                    insert_audit_event(&mut tx, &event).await?;
                    tx.commit().await.map_err(database_error)?;
                    Ok(after)
                }

                async fn update_user(&self, user: NewUser, disabled: bool, by: &Author) -> StorageResult<User> {
                    let before = self.user(user.id).await?;
                    let mut tx = self.pool.begin().await.map_err(database_error)?;
                    sqlx::query("UPDATE users SET email = $2, name = $3, roles = $4, disabled = $5 WHERE id = $1")
                        .bind(user.id)
                        .bind(user.email.as_str())
                        .bind(user.name.as_str())
                        .bind(Json(&user.roles))
                        .bind(disabled)
                        .execute(&mut *tx)
                        .await
                        .map_err(|error| write_error(error, email_taken(&user.email)))?;
                    relink_services(
                        &mut tx,
                        "DELETE FROM user_services WHERE user_id = $1",
                        INSERT_USER_SERVICE,
                        user.id,
                        &user.service_ids,
                    )
                    .await?;
                    let after = User {
                        id: user.id,
                        email: user.email,
                        name: user.name.into(),
                        roles: user.roles,
                        service_ids: user.service_ids,
                        disabled,
                        password_change_required: before.password_change_required,
                    };
                    let (action, summary) = match (before.disabled, disabled) {
                        (false, true) => ("user.disabled", format!("Disabled the user {}", after.name)),
                        (true, false) => ("user.enabled", format!("Enabled the user {}", after.name)),
                        _ => ("user.updated", format!("Changed the user {}", after.name)),
                    };
                    let event = AuditEvent::new(by, action, Some(after.id), summary).with_before(&before).with_after(&after);
                    insert_audit_event(&mut tx, &event).await?;
                    tx.commit().await.map_err(database_error)?;
                    Ok(after)
                }

                async fn set_password(&self, user_id: Uuid, password: &StoredPassword, by: &Author) -> StorageResult<()> {
                    let mut tx = self.pool.begin().await.map_err(database_error)?;
                    let name: String = sqlx::query_scalar(
                        "UPDATE users SET password_hash = $2, password_change_required = $3 WHERE id = $1 RETURNING name",
                    )
                    .bind(user_id)
                    .bind(&password.hash)
                    .bind(password.change_required)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(database_error)?;
                    let summary = if by.user_id == Some(user_id) {
                        format!("{name} changed their password")
                    } else if password.change_required {
                        format!("Gave {name} a one-time password")
                    } else {
                        format!("Set a new password for {name}")
                    };
                    // The hash is never copied into the trail.
                    insert_audit_event(&mut tx, &AuditEvent::new(by, "user.password_set", Some(user_id), summary)).await?;
                    tx.commit().await.map_err(database_error)
                }

                async fn user(&self, id: Uuid) -> StorageResult<User> {
                    self.users_matching(None, Some(id)).await?.pop().ok_or(StorageError::NotFound)
                }

                async fn users(&self) -> StorageResult<Vec<User>> {
                    self.users_matching(None, None).await
                }

                async fn user_credentials(&self, email: &Email) -> StorageResult<Option<(User, String)>> {
                    let Some(user) = self.users_matching(Some(email.as_str()), None).await?.pop() else {
                        return Ok(None);
                    };
                    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
                        .bind(user.id)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(database_error)?;
                    Ok(Some((user, hash)))
                }

                async fn create_session(&self, session: &SessionRecord) -> StorageResult<bool> {
                    let inserted = sqlx::query(
                        "INSERT INTO sessions (id, data, expires_at_ms) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
                    )
                    .bind(&session.id)
                    .bind(&session.data)
                    .bind(session.expires_at_ms)
                    .execute(&self.pool)
                    .await
                    .map_err(database_error)?
                    .rows_affected();
                    Ok(inserted == 1)
                }

                async fn save_session(&self, session: &SessionRecord) -> StorageResult<()> {
                    sqlx::query(
                        "INSERT INTO sessions (id, data, expires_at_ms) VALUES ($1, $2, $3) \
                         ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at_ms = excluded.expires_at_ms",
                    )
                    .bind(&session.id)
                    .bind(&session.data)
                    .bind(session.expires_at_ms)
                    .execute(&self.pool)
                    .await
                    .map_err(database_error)?;
                    Ok(())
                }

                async fn load_session(&self, id: &str, now_ms: i64) -> StorageResult<Option<SessionRecord>> {
                    let row = sqlx::query_as::<_, SessionRow>(
                        "SELECT id, data, expires_at_ms FROM sessions WHERE id = $1 AND expires_at_ms > $2",
                    )
                    .bind(id)
                    .bind(now_ms)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(database_error)?;
                    Ok(row.map(|row| SessionRecord { id: row.id, data: row.data, expires_at_ms: row.expires_at_ms }))
                }

                async fn delete_session(&self, id: &str) -> StorageResult<()> {
                    sqlx::query("DELETE FROM sessions WHERE id = $1")
                        .bind(id)
                        .execute(&self.pool)
                        .await
                        .map_err(database_error)?;
                    Ok(())
                }

                async fn record_login_failure(&self, key: &str, at_ms: i64) -> StorageResult<()> {
                    sqlx::query("INSERT INTO login_failures (throttle_key, occurred_at_ms) VALUES ($1, $2)")
                        .bind(key)
                        .bind(at_ms)
                        .execute(&self.pool)
                        .await
                        .map_err(database_error)?;
                    Ok(())
                }

                async fn login_failures_since(&self, key: &str, since_ms: i64) -> StorageResult<u32> {
                    let count: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM login_failures WHERE throttle_key = $1 AND occurred_at_ms >= $2",
                    )
                    .bind(key)
                    .bind(since_ms)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(database_error)?;
                    Ok(u32::try_from(count).unwrap_or(u32::MAX))
                }

                async fn clear_login_failures(&self, key: &str) -> StorageResult<()> {
                    sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1")
                        .bind(key)
                        .execute(&self.pool)
                        .await
                        .map_err(database_error)?;
                    Ok(())
                }

                async fn record_check(
                    &self,
                    accepted: &AcceptedCheck,
                    device_id: &str,
                    received_at_ms: i64,
                ) -> StorageResult<CheckRecording> {
                    let check = &accepted.check;
                    let inserted = sqlx::query(
                        "INSERT INTO checks (id, service_id, staff_id, theme_id, observer_id, observed_at_ms, \
                            shift_kind, weekend, content, device_id, received_at_ms, amends_id) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING",
                    )
                    .bind(check.id)
                    .bind(check.service_id)
                    .bind(check.staff_id)
                    .bind(check.theme_id)
                    .bind(accepted.observer_id)
                    .bind(accepted.observed_at_ms)
                    .bind(accepted.shift.code())
                    .bind(accepted.weekend)
                    .bind(Json(check))
                    .bind(device_id)
                    .bind(received_at_ms)
                    .bind(check.amends.as_ref().map(|amendment| amendment.check_id))
                    .execute(&self.pool)
                    .await
                    .map_err(|error| write_error(error, String::new))?
                    .rows_affected();
                    if inserted == 1 {
                        return Ok(CheckRecording::Stored);
                    }
                    let kept: Json<serde_json::Value> = sqlx::query_scalar("SELECT content FROM checks WHERE id = $1")
                        .bind(check.id)
                        .fetch_one(&self.pool)
                        .await
                        .map_err(database_error)?;
                    let same = serde_json::to_value(check).is_ok_and(|sent| sent == kept.0);
                    Ok(if same { CheckRecording::AlreadyStored } else { CheckRecording::IdTakenByDifferentCheck })
                }

                async fn check(&self, id: Uuid) -> StorageResult<Option<StoredCheck>> {
                    let row = sqlx::query_as::<_, CheckRow>(select_checks!("WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(database_error)?;
                    row.map(StoredCheck::try_from).transpose()
                }

                async fn amendments(&self, id: Uuid) -> StorageResult<Vec<StoredCheck>> {
                    let rows = sqlx::query_as::<_, CheckRow>(select_checks!(
                        "WHERE amends_id = $1 ORDER BY received_at_ms, id"
                    ))
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(database_error)?;
                    rows.into_iter().map(StoredCheck::try_from).collect()
                }

                async fn checks(&self, filter: &CheckFilter) -> StorageResult<Vec<StoredCheck>> {
                    let rows = sqlx::query_as::<_, CheckRow>(select_checks!(
                        "WHERE ($1 IS NULL OR service_id = $1) \
                           AND ($2 IS NULL OR staff_id = $2) \
                           AND ($3 IS NULL OR theme_id = $3) \
                           AND ($4 IS NULL OR observed_at_ms >= $4) \
                           AND ($5 IS NULL OR observed_at_ms < $5) \
                         ORDER BY observed_at_ms DESC, id DESC LIMIT $6"
                    ))
                    .bind(filter.service_id)
                    .bind(filter.staff_id)
                    .bind(filter.theme_id)
                    .bind(filter.from_ms)
                    .bind(filter.to_ms)
                    .bind(i64::from(filter.limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(database_error)?;
                    rows.into_iter().map(StoredCheck::try_from).collect()
                }

                async fn record_audit_event(&self, event: &AuditEvent) -> StorageResult<()> {
                    let mut tx = self.pool.begin().await.map_err(database_error)?;
                    insert_audit_event(&mut tx, event).await?;
                    tx.commit().await.map_err(database_error)
                }

                async fn audit_events(&self, filter: &AuditFilter) -> StorageResult<Vec<AuditEvent>> {
                    let rows = sqlx::query_as::<_, AuditRow>(
                        "SELECT id, occurred_at_ms, author_id, author_name, action, subject_id, summary, \
                                before_state, after_state \
                         FROM audit_events \
                         WHERE ($1 IS NULL OR action = $1 OR action LIKE $1 || '.%') \
                           AND ($2 IS NULL OR author_id = $2) \
                           AND ($3 IS NULL OR subject_id = $3) \
                           AND ($4 IS NULL OR occurred_at_ms >= $4) \
                           AND ($5 IS NULL OR occurred_at_ms < $5) \
                         ORDER BY occurred_at_ms DESC, id DESC LIMIT $6",
                    )
                    .bind(filter.action_prefix.as_deref())
                    .bind(filter.author_id)
                    .bind(filter.subject_id)
                    .bind(filter.from_ms)
                    .bind(filter.to_ms)
                    .bind(i64::from(filter.limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(database_error)?;
                    Ok(rows.into_iter().map(AuditEvent::from).collect())
                }
            }
        };
    };
}

pub(super) use impl_storage_with_shared_sql;
