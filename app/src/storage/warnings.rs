//! What managers decided about warnings. Warnings themselves are not kept: they are worked out
//! from the records each time (`crate::domain::warning`), and a decision is kept against the key
//! of the warning it answers.

use super::{CHART_DAYS, CycleFilter, JudgedCycle, Period, Storage, StorageResult, ThemeTrend, TrendQuery};
use crate::domain::audit::AuditEvent;
use crate::domain::check::{CheckFilter, StoredCheck, calendar_of_day, date_in_zone};
use crate::domain::cycle::{Cycle, reversion_in_watch};
use crate::domain::organisation::{Service, StaffMember};
use crate::domain::shift::ShiftKind;
use crate::domain::spc::Chart;
use crate::domain::staff_trend::{COVERAGE_DAYS, SHIFT_COVERAGE_DAYS, not_observed_lately, unchecked_shifts};
use crate::domain::wall_clock::CalendarDate;
use crate::domain::warning::{
    REPEATED_WEAK_DAYS, SHIFT_GAP_DAYS, Warning, WarningDecision, not_observed, observer_effect, repeated_weak,
    reversion, shift_gaps, special_cause_of_concern, unchecked,
};
use serde::Serialize;
use uuid::Uuid;

#[async_trait::async_trait]
pub trait WarningStore: Send + Sync {
    /// The decisions about warnings in `service_ids`.
    async fn warning_decisions(&self, service_ids: &[Uuid]) -> StorageResult<Vec<WarningDecision>>;
}

#[async_trait::async_trait]
pub trait WarningWrites: Send {
    /// The decision kept for `key`, locked until the unit of work ends where rows lock.
    async fn warning_decision_for_update(&mut self, key: &str) -> StorageResult<Option<WarningDecision>>;
    /// Keeps `decision`, in place of any earlier one for its key.
    async fn save_warning_decision(&mut self, decision: &WarningDecision) -> StorageResult<()>;
}

impl Storage {
    /// Keeps a manager's decision about a warning, with the decision before it in the audit trail.
    pub async fn decide_warning(&self, decision: &WarningDecision, summary: &str) -> StorageResult<()> {
        let mut unit = self.begin().await?;
        let before = unit.warning_decision_for_update(&decision.key).await?;
        unit.save_warning_decision(decision).await?;
        let action = format!("warning.{}", decision.decision.code());
        let mut event =
            AuditEvent::new(decision.decided_at_ms, &decision.decided_by, &action, Some(decision.service_id), summary)
                .with_after(decision);
        if let Some(before) = &before {
            event = event.with_before(before);
        }
        unit.insert_audit_event(&event).await?;
        unit.commit().await
    }
}

const DAY_MS: i64 = 86_400_000;

/// A warning as it stands, with the decision kept against it, if any.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CurrentWarning {
    pub warning: Warning,
    pub decision: Option<WarningDecision>,
}

impl CurrentWarning {
    /// Neither acknowledged nor dismissed.
    pub fn is_open(&self) -> bool {
        self.decision.is_none()
    }
}

/// One service theme's monthly chart over the two years to now, as its trends page draws it
/// unless asked otherwise.
#[derive(Clone, Debug, PartialEq)]
pub struct ThemeChart {
    pub service_id: Uuid,
    pub theme_id: Uuid,
    pub chart: Chart,
}

/// The warnings of some services as they stand now, and the theme charts that were judged to
/// find them (a manager's home page shows those too, so they are drawn once).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Warnings {
    pub current: Vec<CurrentWarning>,
    pub charts: Vec<ThemeChart>,
}

/// The warnings of `services` as the records stand now (`docs/domain.md` §8), each with its
/// decision: repeated weak checks, reversions of cycles, shift gaps and the observer effect over
/// the last 90 days, a special cause of concern at the end of each theme's monthly chart, and
/// coverage gaps (staff not observed on a theme in 91 days, shifts without a check in 28).
pub async fn current_warnings(storage: &Storage, services: &[Service]) -> StorageResult<Warnings> {
    let now = storage.now_ms();
    let ids: Vec<Uuid> = services.iter().map(|service| service.id).collect();
    let recent = CheckFilter {
        service_ids: Some(ids.clone()),
        // A day more than the window, for services whose calendar is behind the server's.
        from_ms: Some(now - (REPEATED_WEAK_DAYS.max(SHIFT_COVERAGE_DAYS) + 1) * DAY_MS),
        limit: 50_000,
        ..Default::default()
    };
    let checks = storage.checks.checks(&recent).await?;
    let cycles = storage.cycles.cycles(&CycleFilter { service_ids: Some(ids.clone()), ..Default::default() }).await?;
    let open: Vec<Cycle> = cycles.iter().filter(|cycle| cycle.is_open()).cloned().collect();
    let staff: Vec<StaffMember> = storage
        .organisation
        .staff_members(None)
        .await?
        .into_iter()
        .filter(|member| !member.has_left && member.service_ids.iter().any(|id| ids.contains(id)))
        .collect();
    let staff_ids: Vec<Uuid> = staff.iter().map(|member| member.id).collect();
    let observed = storage.trends.last_observed(&staff_ids, now - (COVERAGE_DAYS + 1) * DAY_MS, now).await?;
    let themes = storage.organisation.themes().await?;
    let mut warnings = Vec::new();
    let mut charts = Vec::new();
    // Gaps in coverage come last: they ask for observations to be planned, not for action on practice.
    let mut coverage = Vec::new();
    for service in services {
        let today = date_in_zone(&service.time_zone, now);
        let month = calendar_of_day(today).month;
        let theirs: Vec<&StoredCheck> = checks.iter().filter(|check| check.check.service_id == service.id).collect();
        warnings.extend(repeated_weak(&theirs, &open, today));
        let lately: Vec<(ShiftKind, bool, u32)> = theirs
            .iter()
            .filter(|check| {
                CalendarDate::parse(&check.calendar.local_date)
                    .is_some_and(|day| (0..SHIFT_COVERAGE_DAYS).contains(&today.days_since(day)))
            })
            .map(|check| (check.shift_kind, check.weekend_practice, 1))
            .collect();
        let worked: Vec<ShiftKind> = service.shift_pattern.shifts().iter().map(|shift| shift.kind).collect();
        let (shifts, weekends) = unchecked_shifts(&worked, &lately);
        coverage.extend(unchecked(service.id, shifts, weekends, &month));
        let members: Vec<(Uuid, String)> = staff
            .iter()
            .filter(|member| member.service_ids.contains(&service.id))
            .map(|member| (member.id, member.name.clone()))
            .collect();
        for theme in &themes {
            let days: Vec<(Uuid, CalendarDate)> = observed
                .iter()
                .filter(|last| last.theme_id == theme.id)
                .map(|last| (last.staff_id, date_in_zone(&service.time_zone, last.observed_at_ms)))
                .collect();
            let missed = not_observed_lately(&members, &days, today).into_iter().map(|(id, ..)| id).collect();
            coverage.extend(not_observed(service.id, theme.id, missed, &month));
        }
    }
    for judged in JudgedCycle::load_all(storage, cycles).await? {
        let watch = reversion_in_watch(&judged.cycle, &judged.checks);
        warnings.extend(reversion(&judged.cycle, judged.verdict().as_ref(), watch));
    }
    for service in services {
        let month = calendar_of_day(date_in_zone(&service.time_zone, now)).month;
        for theme in &themes {
            // The same ranges as the trends page draws by default, so "See the trend" shows it.
            let query = |days: i64| TrendQuery {
                service_ids: vec![service.id],
                theme_id: theme.id,
                period: Period::Month,
                from_ms: TrendQuery::start_days_before(now, days),
                to_ms: now,
            };
            let (chart, _) = ThemeTrend::chart(storage, &query(CHART_DAYS)).await?;
            warnings.extend(special_cause_of_concern(service.id, theme.id, &chart));
            charts.push(ThemeChart { service_id: service.id, theme_id: theme.id, chart });
            let compared = ThemeTrend::comparisons(storage, &query(SHIFT_GAP_DAYS)).await?;
            warnings.extend(shift_gaps(service.id, theme.id, &compared.by_shift, &month));
            warnings.extend(shift_gaps(service.id, theme.id, &compared.by_weekend, &month));
            warnings.extend(observer_effect(service.id, theme.id, &compared.by_announced, &month));
        }
    }
    warnings.extend(coverage);
    let decisions = storage.warnings.warning_decisions(&ids).await?;
    let current = warnings
        .into_iter()
        .map(|warning| {
            let decision = decisions.iter().find(|decision| decision.key == warning.key).cloned();
            CurrentWarning { warning, decision }
        })
        .collect();
    Ok(Warnings { current, charts })
}
