//! Improvement cycles, each kept whole (its steps, actions and reviews in one record), with what
//! the lists filter by beside it, and each service's sustainment rule.

use super::{Storage, StorageError, StorageResult};
use crate::domain::access::{Action, Actor, Decision};
use crate::domain::audit::{AuditEvent, Author};
use crate::domain::check::{CheckFilter, StoredCheck, date_in_zone};
use crate::domain::cycle::{Awaiting, Cycle, JudgedRecheck, Judgement, SustainmentRule, Verdict, judge};
use crate::domain::organisation::Service;
use crate::domain::wall_clock::CalendarDate;
use uuid::Uuid;

/// Which cycles to list, newest opened first; every field narrows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CycleFilter {
    /// Only these services' cycles; `None` for every service.
    pub service_ids: Option<Vec<Uuid>>,
    /// Open (`true`) or closed (`false`) cycles only.
    pub open: Option<bool>,
    pub owner_id: Option<Uuid>,
    pub theme_id: Option<Uuid>,
    /// Cycles about this staff member, alone or in a group.
    pub staff_id: Option<Uuid>,
}

#[async_trait::async_trait]
pub trait CycleStore: Send + Sync {
    async fn cycle(&self, id: Uuid) -> StorageResult<Option<Cycle>>;
    async fn cycles(&self, filter: &CycleFilter) -> StorageResult<Vec<Cycle>>;
    /// The service's rule, or the default when its registered manager has not set one.
    async fn sustainment_rule(&self, service_id: Uuid) -> StorageResult<SustainmentRule>;
}

#[async_trait::async_trait]
pub trait CycleWrites: Send {
    /// The cycle, locked until the unit of work ends where the database locks rows.
    async fn cycle_for_update(&mut self, id: Uuid) -> StorageResult<Option<Cycle>>;
    /// The open cycles on `theme_id` that include any of `staff_ids`.
    async fn open_cycles_of(&mut self, staff_ids: &[Uuid], theme_id: Uuid) -> StorageResult<Vec<Cycle>>;
    /// A new cycle; `Duplicate` when one of its staff already has an open cycle on its theme.
    async fn insert_cycle(&mut self, cycle: &Cycle) -> StorageResult<()>;
    async fn update_cycle(&mut self, cycle: &Cycle) -> StorageResult<()>;
    async fn sustainment_rule_for_update(&mut self, service_id: Uuid) -> StorageResult<SustainmentRule>;
    async fn save_sustainment_rule(&mut self, service_id: Uuid, rule: &SustainmentRule) -> StorageResult<()>;
}

/// Why a second open cycle for the same staff and theme is refused.
fn already_open() -> StorageError {
    StorageError::Conflict(
        "One of these staff already has an open cycle on this theme; add to that one instead.".into(),
    )
}

/// The database's one-open-cycle-per-staff-and-theme index speaks for a cycle opened, or
/// reopened, beside another.
fn duplicate_is_already_open(error: StorageError) -> StorageError {
    match error {
        StorageError::Duplicate => already_open(),
        other => other,
    }
}

impl Storage {
    /// Opens `cycle`, refusing it when one of its staff already has an open cycle on its theme.
    pub async fn open_cycle(&self, cycle: &Cycle, by: &Author) -> StorageResult<()> {
        let mut unit = self.begin().await?;
        let open = unit.open_cycles_of(&cycle.staff_ids, cycle.theme_id).await?;
        if !open.is_empty() {
            return Err(already_open());
        }
        unit.insert_cycle(cycle).await.map_err(duplicate_is_already_open)?;
        let event = AuditEvent::new(
            self.now_ms(),
            by,
            "cycle.opened",
            Some(cycle.id),
            format!("Opened a cycle: {}", cycle.concern),
        )
        .with_after(cycle);
        unit.insert_audit_event(&event).await?;
        unit.commit().await
    }

    /// Changes the cycle `id` by `change`, which sees it as it stands inside the unit of work and
    /// may refuse (nothing is then written). The change and its audit event (`action`, with the
    /// cycle before and after) are kept together. Returns the cycle as changed; reopening it
    /// beside another open cycle of its staff on its theme is a `Conflict`.
    pub async fn change_cycle<E: From<StorageError>>(
        &self,
        id: Uuid,
        by: &Author,
        action: &str,
        summary: &str,
        change: impl FnOnce(&mut Cycle) -> Result<(), E> + Send,
    ) -> Result<Cycle, E> {
        let mut unit = self.begin().await?;
        let before = unit.cycle_for_update(id).await?.ok_or(StorageError::NotFound)?;
        let mut after = before.clone();
        change(&mut after)?;
        unit.update_cycle(&after).await.map_err(duplicate_is_already_open)?;
        let event =
            AuditEvent::new(self.now_ms(), by, action, Some(id), summary).with_before(&before).with_after(&after);
        unit.insert_audit_event(&event).await?;
        unit.commit().await?;
        Ok(after)
    }

    /// Sets a service's sustainment rule; cycles already open keep the plan they have.
    pub async fn set_sustainment_rule(
        &self,
        service_id: Uuid,
        rule: &SustainmentRule,
        by: &Author,
    ) -> StorageResult<()> {
        let mut unit = self.begin().await?;
        let before = unit.sustainment_rule_for_update(service_id).await?;
        unit.save_sustainment_rule(service_id, rule).await?;
        let event = AuditEvent::new(
            self.now_ms(),
            by,
            "service.rule_changed",
            Some(service_id),
            "Changed the sustainment rule",
        )
        .with_before(&before)
        .with_after(rule);
        unit.insert_audit_event(&event).await?;
        unit.commit().await
    }
}

/// Most checks a cycle's page reads per staff member: years of fortnightly checks.
const CHECKS_PER_MEMBER: u32 = 2_000;

/// A cycle with what its verdict is judged from: the current checks of its staff on its theme,
/// and today on its service's calendar.
pub struct JudgedCycle {
    pub cycle: Cycle,
    pub service: Service,
    pub checks: Vec<StoredCheck>,
    pub today: CalendarDate,
    pub judgement: Option<Judgement>,
}

impl JudgedCycle {
    pub async fn load(storage: &Storage, cycle: Cycle) -> StorageResult<JudgedCycle> {
        let service = service(storage, cycle.service_id).await?;
        Self::judge_in(storage, cycle, service).await
    }

    /// Each of `cycles`, judged, reading the services once for them all.
    pub async fn load_all(storage: &Storage, cycles: Vec<Cycle>) -> StorageResult<Vec<JudgedCycle>> {
        let services = storage.organisation.services().await?;
        let mut judged = Vec::with_capacity(cycles.len());
        for cycle in cycles {
            let service = services
                .iter()
                .find(|service| service.id == cycle.service_id)
                .cloned()
                .ok_or(StorageError::NotFound)?;
            judged.push(Self::judge_in(storage, cycle, service).await?);
        }
        Ok(judged)
    }

    async fn judge_in(storage: &Storage, cycle: Cycle, service: Service) -> StorageResult<JudgedCycle> {
        let mut checks = Vec::new();
        for staff_id in &cycle.staff_ids {
            let filter = CheckFilter {
                service_ids: Some(vec![cycle.service_id]),
                staff_id: Some(*staff_id),
                theme_id: Some(cycle.theme_id),
                limit: CHECKS_PER_MEMBER,
                ..Default::default()
            };
            checks.extend(storage.checks.checks(&filter).await?);
        }
        let today = date_in_zone(&service.time_zone, storage.now_ms());
        let judgement = cycle.plan().map(|plan| judge(&plan, &checks, today));
        Ok(JudgedCycle { cycle, service, checks, today, judgement })
    }

    /// The verdict as it stands: frozen at closing, otherwise the live one.
    pub fn verdict(&self) -> Option<Verdict> {
        match self.cycle.closing_review() {
            Some(review) => Some(review.verdict.clone()),
            None => self.judgement.as_ref().map(|judgement| judgement.verdict.clone()),
        }
    }

    /// The verdict in words, saying when it was frozen at closing.
    pub fn verdict_in_words(&self) -> String {
        match (self.cycle.closing_review(), &self.judgement) {
            (Some(review), _) => format!("Frozen at closing: {}", review.verdict.in_words()),
            (None, Some(judgement)) => judgement.verdict.in_words(),
            (None, None) => "No verdict yet: re-checks count from the day after the first action.".to_owned(),
        }
    }

    /// The re-checks the verdict rests on, oldest first, each with the parts of the rule it meets.
    pub fn rechecks(&self) -> impl Iterator<Item = (&JudgedRecheck, &StoredCheck)> {
        self.judgement.iter().flat_map(|judgement| judgement.rechecks.iter()).filter_map(|recheck| {
            self.checks.iter().find(|check| check.check.id == recheck.check_id).map(|check| (recheck, check))
        })
    }

    /// Open, and not improved or reverted: its deputy and registered manager must act.
    pub fn needs_escalation(&self) -> bool {
        Awaiting::of(self.cycle.stage(), self.verdict().as_ref()) == Some(Awaiting::Escalation)
    }
}

/// The service `id`.
pub async fn service(storage: &Storage, id: Uuid) -> StorageResult<Service> {
    storage.organisation.services().await?.into_iter().find(|service| service.id == id).ok_or(StorageError::NotFound)
}

/// The cycles `actor` may see that match `filter`, or `None` when the filter names a service
/// that is not theirs.
pub async fn visible_cycles(
    storage: &Storage,
    actor: &Actor,
    mut filter: CycleFilter,
) -> StorageResult<Option<Vec<Cycle>>> {
    match (&filter.service_ids, actor.service_scope()) {
        (Some(wanted), _)
            if !wanted.iter().all(|service| actor.may(Action::ViewCycles(*service)) == Decision::Allow) =>
        {
            return Ok(None);
        }
        (None, Some(own)) => filter.service_ids = Some(own.to_vec()),
        _ => {}
    }
    Ok(Some(storage.cycles.cycles(&filter).await?))
}
