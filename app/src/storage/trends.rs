//! Counts of current checks over time, for the trend views and reports built on them.

use super::{CycleFilter, Storage, StorageResult};
pub use crate::domain::check::Period;
use crate::domain::check::{calendar_of_day, date_in_zone, start_of_day_in_zone};
use crate::domain::observer::{
    ObserverComparison, ObserverCount, StaffComparison, announced_beside_unannounced, observer_comparisons,
    staff_comparisons,
};
use crate::domain::organisation::DEFAULT_TIME_ZONE;
use crate::domain::shift::ShiftKind;
use crate::domain::spc::{Chart, GroupCount, GroupShare, Sample, against_the_rest, standard_chart};
pub use crate::domain::staff_trend::ScoreCounts;
use crate::domain::wall_clock::CalendarDate;
use serde::Serialize;
use uuid::Uuid;

/// How many current checks fell in one period (an ISO week such as `2026-W48`, or a month such
/// as `2026-11`, in the service's own calendar), and how many of them met the standard or were
/// weak.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodCount {
    pub period: String,
    pub checks: u32,
    pub met: u32,
    pub weak: u32,
}

/// Which current checks a trend counts: one theme in some services, observed in
/// `[from_ms, to_ms)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrendQuery {
    pub service_ids: Vec<Uuid>,
    pub theme_id: Uuid,
    pub period: Period,
    pub from_ms: i64,
    pub to_ms: i64,
}

/// How far back a chart looks unless asked otherwise: the two years to its end.
pub const CHART_DAYS: i64 = 730;

impl TrendQuery {
    /// Where a range of `days` whole UK days before the day of `to_ms` begins: charts, and the
    /// warnings drawn from them, count from the same moment.
    pub fn start_days_before(to_ms: i64, days: i64) -> i64 {
        let day = date_in_zone(DEFAULT_TIME_ZONE, to_ms).plus_days(-days);
        start_of_day_in_zone(DEFAULT_TIME_ZONE, day).unwrap_or(to_ms - days * 86_400_000)
    }
}

/// How many current checks of one shift type, on weekdays or at weekends, met the standard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShiftCount {
    pub shift: ShiftKind,
    pub weekend: bool,
    pub checks: u32,
    pub met: u32,
}

/// When one staff member was last observed on one theme, within the range asked about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastObserved {
    pub staff_id: Uuid,
    pub theme_id: Uuid,
    pub observed_at_ms: i64,
}

#[async_trait::async_trait]
pub trait TrendStore: Send + Sync {
    /// Per period, oldest first; periods without checks are left out, and so is everything when
    /// `service_ids` is empty.
    async fn standard_by_period(&self, query: &TrendQuery) -> StorageResult<Vec<PeriodCount>>;
    /// Per shift type and weekend or not, over the whole range (`query.period` is not used).
    async fn standard_by_shift(&self, query: &TrendQuery) -> StorageResult<Vec<ShiftCount>>;
    /// Each criterion's ratings counted score by score (and N/A) over the whole range, criteria
    /// in the order of their ids; none when `service_ids` is empty.
    async fn ratings_by_criterion(&self, query: &TrendQuery) -> StorageResult<Vec<ScoreCounts>>;
    /// Per observer, staff member and announced or not, over the whole range.
    async fn standard_by_observer(&self, query: &TrendQuery) -> StorageResult<Vec<ObserverCount>>;
    /// The latest current check of each of `staff_ids` on each theme, observed in
    /// `[from_ms, to_ms)` in any service: being observed anywhere is being observed.
    async fn last_observed(&self, staff_ids: &[Uuid], from_ms: i64, to_ms: i64) -> StorageResult<Vec<LastObserved>>;
}

/// A cycle's first action, as a service-theme chart marks it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActionMark {
    pub cycle_id: Uuid,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub on: CalendarDate,
    /// The period the action fell in.
    pub period: String,
    pub staff_ids: Vec<Uuid>,
}

/// One theme's share of checks meeting the standard over time, charted, with the actions of the
/// cycles on it marked (`docs/domain.md` §7).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ThemeTrend {
    pub chart: Chart,
    pub actions: Vec<ActionMark>,
    #[serde(flatten)]
    pub comparisons: Comparisons,
    /// Each criterion's ratings from `criteria_from_ms` to the end of the range, counted score by
    /// score (never averaged).
    pub criteria: Vec<ScoreCounts>,
    /// Where the criteria's counts start: the range's start, or [`CRITERIA_DAYS`] before its end
    /// if that is later.
    pub criteria_from_ms: i64,
}

/// How far back a theme's criteria are counted: practice as it stands, over the 13 weeks NICE
/// QS123 asks each person to be observed in. Two years of ratings, row by row, is more than a
/// chart page may read in its time at a large provider.
pub const CRITERIA_DAYS: i64 = 91;

/// The same checks of a theme in groups, over the whole range.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Comparisons {
    /// Each shift type beside the others.
    pub by_shift: Vec<GroupShare>,
    /// Weekdays beside weekends.
    pub by_weekend: Vec<GroupShare>,
    /// Announced checks beside unannounced ones.
    pub by_announced: Vec<GroupShare>,
    /// Each observer beside the others who observed the same staff.
    pub observers: Vec<ObserverComparison>,
    /// Each staff member beside everyone else, those who stand out first.
    pub by_staff: Vec<StaffComparison>,
}

impl ThemeTrend {
    pub async fn load(storage: &Storage, query: &TrendQuery) -> StorageResult<ThemeTrend> {
        let (chart, actions) = Self::chart(storage, query).await?;
        let comparisons = Self::comparisons(storage, query).await?;
        let criteria_from_ms = query.from_ms.max(TrendQuery::start_days_before(query.to_ms, CRITERIA_DAYS));
        let recent = TrendQuery { from_ms: criteria_from_ms, ..query.clone() };
        let criteria = storage.trends.ratings_by_criterion(&recent).await?;
        Ok(ThemeTrend { chart, actions, comparisons, criteria, criteria_from_ms })
    }

    /// The chart alone, with the cycles' first actions it is marked with and may start afresh
    /// after.
    pub async fn chart(storage: &Storage, query: &TrendQuery) -> StorageResult<(Chart, Vec<ActionMark>)> {
        let samples: Vec<Sample> = storage
            .trends
            .standard_by_period(query)
            .await?
            .into_iter()
            .map(|count| Sample { period: count.period, checks: count.checks, met: count.met })
            .collect();
        let (Some(first), Some(last)) = (samples.first(), samples.last()) else {
            return Ok((standard_chart(&samples, &[]), Vec::new()));
        };
        let filter = CycleFilter {
            service_ids: Some(query.service_ids.clone()),
            theme_id: Some(query.theme_id),
            ..Default::default()
        };
        let mut actions: Vec<ActionMark> = storage
            .cycles
            .cycles(&filter)
            .await?
            .into_iter()
            .filter_map(|cycle| {
                let on = cycle.actions.iter().map(|action| action.date).min()?;
                let period = calendar_of_day(on).period(query.period).to_owned();
                (first.period <= period && period <= last.period).then_some(ActionMark {
                    cycle_id: cycle.id,
                    on,
                    period,
                    staff_ids: cycle.staff_ids,
                })
            })
            .collect();
        actions.sort_by_key(|mark| mark.on);
        // The limits may start afresh from the first period wholly after an action.
        let changes: Vec<usize> = actions
            .iter()
            .map(|mark| samples.iter().position(|sample| sample.period > mark.period).unwrap_or(samples.len()))
            .collect();
        Ok((standard_chart(&samples, &changes), actions))
    }

    /// The query's checks in groups, over its whole range.
    pub async fn comparisons(storage: &Storage, query: &TrendQuery) -> StorageResult<Comparisons> {
        let shifts = storage.trends.standard_by_shift(query).await?;
        let group = |label: &str, of: &dyn Fn(&ShiftCount) -> bool| {
            let (checks, met) = shifts
                .iter()
                .filter(|count| of(count))
                .fold((0, 0), |(checks, met), count| (checks + count.checks, met + count.met));
            GroupCount { label: label.to_owned(), checks, met }
        };
        let shift_groups: Vec<GroupCount> = ShiftKind::ALL
            .into_iter()
            .map(|kind| group(kind.label(), &|count| count.shift == kind))
            .filter(|group| group.checks > 0)
            .collect();
        let weekend_groups = [group("Weekdays", &|count| !count.weekend), group("Weekends", &|count| count.weekend)];
        let observed = storage.trends.standard_by_observer(query).await?;
        Ok(Comparisons {
            by_shift: against_the_rest(&shift_groups),
            by_weekend: against_the_rest(&weekend_groups),
            by_announced: announced_beside_unannounced(&observed),
            observers: observer_comparisons(&observed),
            by_staff: staff_comparisons(&observed),
        })
    }
}
