//! Bringing a database up to date: every pending migration, and the steps written in Rust that
//! go with them, in one transaction, so an upgrade that fails anywhere leaves the database as it
//! was and says which step failed. Each backend drives its own upgrade with these helpers.

use recheck_app::domain::check::{Assessment, LocalCalendar, SubmittedCheck, assess, calendar_in_zone};
use sqlx::migrate::{Migrate, Migration, Migrator};
use std::collections::HashMap;
use uuid::Uuid;

/// The migration after which each check's calendar, assessment and correction chain are worked
/// out from what the earlier release kept.
pub(super) const EVIDENCE_MIGRATION: i64 = 20261202000006;

/// The migrations `connection` has not had yet, in order; an applied migration whose file has
/// since changed is refused rather than skipped.
pub(super) async fn pending<'m, C: Migrate>(
    connection: &mut C,
    migrator: &'m Migrator,
) -> Result<Vec<&'m Migration>, String> {
    connection.ensure_migrations_table().await.map_err(|error| error.to_string())?;
    if let Some(version) = connection.dirty_version().await.map_err(|error| error.to_string())? {
        return Err(format!("migration {version} was left half applied by an earlier failure"));
    }
    let applied: HashMap<i64, Vec<u8>> = connection
        .list_applied_migrations()
        .await
        .map_err(|error| error.to_string())?
        .into_iter()
        .map(|applied| (applied.version, applied.checksum.into_owned()))
        .collect();
    let mut pending = Vec::new();
    for migration in migrator.iter().filter(|migration| migration.migration_type.is_up_migration()) {
        match applied.get(&migration.version) {
            Some(checksum) if *checksum != *migration.checksum => {
                return Err(format!(
                    "migration {} ({}) differs from the one this database was given",
                    migration.version, migration.description
                ));
            }
            Some(_) => {}
            None => pending.push(migration),
        }
    }
    Ok(pending)
}

/// Whether a database that has had the migrations `applied` holds every one of `migrator`'s: it
/// may hold later ones too, which a newer instance of a rolling upgrade has made.
pub(super) fn holds_every_migration(applied: &[i64], migrator: &Migrator) -> bool {
    migrator
        .iter()
        .filter(|migration| migration.migration_type.is_up_migration())
        .all(|migration| applied.contains(&migration.version))
}

/// Applies one migration inside the caller's transaction.
pub(super) async fn apply<C: Migrate>(connection: &mut C, migration: &Migration) -> Result<(), String> {
    connection.apply(migration).await.map(|_| ()).map_err(|error| step_failed(migration, &error))
}

pub(super) fn step_failed(migration: &Migration, error: &dyn std::fmt::Display) -> String {
    format!("step {} ({}) failed: {error}", migration.version, migration.description)
}

/// A check as the earlier release kept it, read for the evidence step.
#[derive(sqlx::FromRow)]
pub(super) struct KeptCheck {
    pub id: Uuid,
    pub content: sqlx::types::Json<SubmittedCheck>,
    pub observed_at_ms: i64,
    pub amends_id: Option<Uuid>,
    pub time_zone: String,
}

/// What the evidence step writes for one check.
pub(super) struct Evidence {
    pub id: Uuid,
    pub calendar: LocalCalendar,
    pub assessment: Assessment,
    /// For a correction: the first check of its chain, which it and its predecessors give way to.
    pub original_id: Option<Uuid>,
}

/// What the evidence step needs of a backend, inside the upgrade's transaction.
#[async_trait::async_trait]
pub(super) trait EvidenceTarget: Send {
    /// Every check an earlier release kept, with its service's time zone, in the order kept.
    async fn kept_checks(&mut self) -> Result<Vec<KeptCheck>, sqlx::Error>;
    async fn write_evidence(&mut self, evidence: &Evidence) -> Result<(), sqlx::Error>;
    /// Every check of the chain that began with `original`, but `current`, gives way to it.
    async fn supersede(&mut self, original: Uuid, current: Uuid) -> Result<(), sqlx::Error>;
}

/// Fills in the evidence fields of every check an earlier release kept: its calendar, what its
/// ratings say, and, following each correction back to the check its chain began with, which
/// check of each chain stands.
pub(super) async fn fill_in_evidence(target: &mut impl EvidenceTarget) -> Result<(), String> {
    let mut step = EvidenceStep::default();
    for check in target.kept_checks().await.map_err(|error| error.to_string())? {
        let evidence = step.evidence(&check)?;
        target.write_evidence(&evidence).await.map_err(|error| error.to_string())?;
        if let Some(original) = evidence.original_id {
            target.supersede(original, evidence.id).await.map_err(|error| error.to_string())?;
        }
    }
    Ok(())
}

#[derive(Default)]
struct EvidenceStep {
    originals: HashMap<Uuid, Uuid>,
}

impl EvidenceStep {
    fn evidence(&mut self, kept: &KeptCheck) -> Result<Evidence, String> {
        let at = jiff::Timestamp::from_millisecond(kept.observed_at_ms).map_err(|error| error.to_string())?;
        let original_id = kept.amends_id.map(|amended| self.originals.get(&amended).copied().unwrap_or(amended));
        if let Some(original) = original_id {
            self.originals.insert(kept.id, original);
        }
        Ok(Evidence {
            id: kept.id,
            calendar: calendar_in_zone(&kept.time_zone, at)?,
            assessment: assess(&kept.content.0.ratings, None),
            original_id,
        })
    }
}
