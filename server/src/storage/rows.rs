//! What the SQLite and PostgreSQL backends share: the shapes of the rows they read, how those
//! become domain records, and how database errors become storage errors. The SQL itself is each
//! backend's own.

use recheck_app::domain::access::Role;
use recheck_app::domain::account::{Email, User};
use recheck_app::domain::audit::{AuditEvent, Author};
use recheck_app::domain::check::{Assessment, LocalCalendar, StoredCheck, SubmittedCheck};
use recheck_app::domain::cqc::QualityStatement;
use recheck_app::domain::observer::ObserverCount;
use recheck_app::domain::organisation::{Service, StaffMember};
use recheck_app::domain::outbox::{DeviceReport, HeldChecks};
use recheck_app::domain::shift::ShiftKind;
use recheck_app::domain::shift::ShiftPattern;
use recheck_app::domain::theme::{CheckKind, Criterion, PracticeTheme, ThemeVersion};
use recheck_app::storage::{
    LastObserved, Period, PeriodCount, ScoreCounts, ServiceSummary, SessionRecord, ShiftCount, StorageError,
    StorageResult,
};
use sqlx::types::Json;
use std::collections::HashMap;
use uuid::Uuid;

pub(super) fn database_error(error: sqlx::Error) -> StorageError {
    match error {
        sqlx::Error::RowNotFound => StorageError::NotFound,
        other => StorageError::Database(other.to_string()),
    }
}

/// A broken uniqueness rule is `Duplicate` (the command says which rule, in words), and an
/// unknown referenced record is `NotFound`.
pub(super) fn write_error(error: sqlx::Error) -> StorageError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StorageError::Duplicate,
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

impl From<ServiceSummaryRow> for ServiceSummary {
    fn from(row: ServiceSummaryRow) -> Self {
        ServiceSummary {
            service: row.service.into(),
            active_staff: u32::try_from(row.active_staff).unwrap_or(u32::MAX),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct StaffRow {
    pub id: Uuid,
    pub name: String,
    pub job_title: String,
    pub team: Option<String>,
    pub has_left: bool,
    pub left_at_ms: Option<i64>,
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
            left_at_ms: row.left_at_ms,
        })
        .collect()
}

#[derive(sqlx::FromRow)]
pub(super) struct ThemeRow {
    pub id: Uuid,
    pub name: String,
    pub check_kind: String,
    pub quality_statements: Json<Vec<QualityStatement>>,
    pub current_version: i32,
}

/// A theme version's own record (`theme_versions`).
#[derive(sqlx::FromRow)]
pub(super) struct VersionRow {
    pub theme_id: Uuid,
    pub version: i32,
    pub expected_standard: String,
    pub made_at_ms: i64,
    pub made_by: String,
}

/// One criterion of one theme version (`theme_version_criteria`).
#[derive(sqlx::FromRow)]
pub(super) struct VersionCriterionRow {
    pub theme_id: Uuid,
    pub version: i32,
    pub criterion_id: Uuid,
    pub title: String,
    pub descriptor_1: String,
    pub descriptor_2: String,
    pub descriptor_3: String,
    pub descriptor_4: String,
}

fn version_number(version: i32) -> u32 {
    u32::try_from(version).unwrap_or_default()
}

/// Joins versions to their criteria; `criteria` must be ordered by position.
pub(super) fn assemble_versions(rows: Vec<VersionRow>, criteria: Vec<VersionCriterionRow>) -> Vec<ThemeVersion> {
    let mut criteria_by_version: HashMap<(Uuid, i32), Vec<Criterion>> = HashMap::new();
    for row in criteria {
        criteria_by_version.entry((row.theme_id, row.version)).or_default().push(Criterion {
            id: row.criterion_id,
            title: row.title,
            descriptors: [row.descriptor_1, row.descriptor_2, row.descriptor_3, row.descriptor_4],
        });
    }
    rows.into_iter()
        .map(|row| ThemeVersion {
            criteria: criteria_by_version.remove(&(row.theme_id, row.version)).unwrap_or_default(),
            theme_id: row.theme_id,
            version: version_number(row.version),
            expected_standard: row.expected_standard,
            made_at_ms: row.made_at_ms,
            made_by: row.made_by,
        })
        .collect()
}

/// Each theme as its current version, out of `versions` (which must include those).
pub(super) fn assemble_themes(
    rows: Vec<ThemeRow>,
    versions: Vec<ThemeVersion>,
) -> Result<Vec<PracticeTheme>, StorageError> {
    let mut current: HashMap<(Uuid, u32), ThemeVersion> =
        versions.into_iter().map(|version| ((version.theme_id, version.version), version)).collect();
    rows.into_iter()
        .map(|row| {
            let kind = CheckKind::from_code(&row.check_kind).ok_or_else(|| {
                StorageError::Database(format!("theme {} has an unknown check kind “{}”", row.id, row.check_kind))
            })?;
            let version = version_number(row.current_version);
            let ThemeVersion { expected_standard, criteria, .. } = current
                .remove(&(row.id, version))
                .ok_or_else(|| StorageError::Database(format!("theme {} has no version {version}", row.id)))?;
            Ok(PracticeTheme {
                id: row.id,
                name: row.name,
                expected_standard,
                kind,
                criteria,
                quality_statements: row.quality_statements.0,
                version,
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

#[derive(sqlx::FromRow)]
pub(super) struct CheckRow {
    pub observer_id: Uuid,
    pub observed_at_ms: i64,
    pub shift_kind: String,
    pub weekend: bool,
    pub content: Json<SubmittedCheck>,
    pub received_at_ms: i64,
    pub theme_version: i32,
    pub local_date: String,
    pub iso_week: String,
    pub month: String,
    pub meets_standard: bool,
    pub weak: bool,
    pub superseded_by: Option<Uuid>,
}

impl TryFrom<CheckRow> for StoredCheck {
    type Error = StorageError;

    fn try_from(row: CheckRow) -> Result<Self, StorageError> {
        let shift_kind = ShiftKind::from_code(&row.shift_kind).ok_or_else(|| {
            StorageError::Database(format!("check {} has an unknown shift “{}”", row.content.0.id, row.shift_kind))
        })?;
        Ok(StoredCheck {
            check: row.content.0,
            observer_id: row.observer_id,
            shift_kind,
            weekend_practice: row.weekend,
            observed_at_ms: row.observed_at_ms,
            received_at_ms: row.received_at_ms,
            rated_against_version: version_number(row.theme_version),
            calendar: LocalCalendar { local_date: row.local_date, iso_week: row.iso_week, month: row.month },
            assessment: Assessment { meets_standard: row.meets_standard, weak: row.weak },
            superseded_by: row.superseded_by,
        })
    }
}

pub(super) fn stored_checks(rows: Vec<CheckRow>) -> Result<Vec<StoredCheck>, StorageError> {
    rows.into_iter().map(StoredCheck::try_from).collect()
}

/// A database count as a count of checks.
fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One period of a trend: its name and its counts.
#[derive(sqlx::FromRow)]
pub(super) struct PeriodRow {
    pub period: String,
    pub checks: i64,
    pub met: i64,
    pub weak: i64,
}

impl From<PeriodRow> for PeriodCount {
    fn from(row: PeriodRow) -> Self {
        PeriodCount { period: row.period, checks: count(row.checks), met: count(row.met), weak: count(row.weak) }
    }
}

/// One shift type's counts, weekday or weekend.
#[derive(sqlx::FromRow)]
pub(super) struct ShiftRow {
    pub shift_kind: String,
    pub weekend: bool,
    pub checks: i64,
    pub met: i64,
}

pub(super) fn shift_counts(rows: Vec<ShiftRow>) -> StorageResult<Vec<ShiftCount>> {
    rows.into_iter()
        .map(|row| {
            let shift = ShiftKind::from_code(&row.shift_kind)
                .ok_or_else(|| StorageError::Database(format!("unknown shift kind {}", row.shift_kind)))?;
            Ok(ShiftCount { shift, weekend: row.weekend, checks: count(row.checks), met: count(row.met) })
        })
        .collect()
}

/// One observer's checks of one staff member, announced or not.
#[derive(sqlx::FromRow)]
pub(super) struct ObserverRow {
    pub observer_id: Uuid,
    pub staff_id: Uuid,
    pub announced: bool,
    pub checks: i64,
    pub met: i64,
}

impl From<ObserverRow> for ObserverCount {
    fn from(row: ObserverRow) -> Self {
        ObserverCount {
            observer_id: row.observer_id,
            staff_id: row.staff_id,
            announced: row.announced,
            checks: count(row.checks),
            met: count(row.met),
        }
    }
}

/// How many ratings of one criterion had one score (none for N/A).
#[derive(sqlx::FromRow)]
pub(super) struct ScoreRow {
    pub criterion_id: Uuid,
    pub score: Option<i64>,
    pub ratings: i64,
}

/// Rows in the order of their criteria, one [`ScoreCounts`] a criterion.
pub(super) fn criterion_counts(rows: Vec<ScoreRow>) -> Vec<ScoreCounts> {
    let mut counts: Vec<ScoreCounts> = Vec::new();
    for row in rows {
        if counts.last().is_none_or(|last| last.criterion_id != row.criterion_id) {
            counts.push(ScoreCounts { criterion_id: row.criterion_id, by_score: [0; 4], not_applicable: 0 });
        }
        let counted = counts.last_mut().expect("pushed above");
        match row.score {
            Some(score @ 1..=4) => counted.by_score[score as usize - 1] += count(row.ratings),
            _ => counted.not_applicable += count(row.ratings),
        }
    }
    counts
}

/// When a staff member was last observed on a theme.
#[derive(sqlx::FromRow)]
pub(super) struct LastObservedRow {
    pub staff_id: Uuid,
    pub theme_id: Uuid,
    pub observed_at_ms: i64,
}

impl From<LastObservedRow> for LastObserved {
    fn from(row: LastObservedRow) -> Self {
        LastObserved { staff_id: row.staff_id, theme_id: row.theme_id, observed_at_ms: row.observed_at_ms }
    }
}

/// The column of `checks` that names a check's period in its service's calendar; both backends
/// keep it the same.
pub(super) fn period_column(period: Period) -> &'static str {
    match period {
        Period::Week => "iso_week",
        Period::Month => "month",
    }
}

/// Whether `sent` is the check kept as `kept` (a device sending it again), judged on content.
pub(super) fn same_check(sent: &SubmittedCheck, kept: &serde_json::Value) -> bool {
    serde_json::to_value(sent).is_ok_and(|sent| sent == *kept)
}

#[derive(sqlx::FromRow)]
pub(super) struct SessionRow {
    pub id: String,
    pub data: String,
    pub expires_at_ms: i64,
    pub user_id: Option<Uuid>,
}

impl From<SessionRow> for SessionRecord {
    fn from(row: SessionRow) -> Self {
        SessionRecord { id: row.id, data: row.data, expires_at_ms: row.expires_at_ms, user_id: row.user_id }
    }
}

/// A device's latest report of what it holds for one person.
#[derive(sqlx::FromRow)]
pub(super) struct DeviceReportRow {
    pub device_id: String,
    pub user_id: Uuid,
    pub reported_at_ms: i64,
    pub unsent: i64,
    pub waiting: i64,
    pub refused: i64,
    pub oldest_saved_at_ms: Option<i64>,
}

impl From<DeviceReportRow> for DeviceReport {
    fn from(row: DeviceReportRow) -> Self {
        DeviceReport {
            device_id: row.device_id,
            user_id: row.user_id,
            reported_at_ms: row.reported_at_ms,
            held: HeldChecks {
                unsent: count(row.unsent),
                waiting: count(row.waiting),
                refused: count(row.refused),
                oldest_saved_at_ms: row.oldest_saved_at_ms,
            },
        }
    }
}
