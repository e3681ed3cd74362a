//! Early warnings (`docs/domain.md` §8): what the checks, the cycles and the charts show that a
//! manager should act on before an inspector finds it. Warnings are worked out afresh from the
//! records each time they are shown, so they can never be duplicated; each has a key naming what
//! raised it, and a manager's acknowledgement or dismissal is kept against that key, so a new
//! weak check, a new reversion or a new month raises it again.

use super::check::StoredCheck;
use super::cycle::{Cycle, Verdict};
use super::shift::ShiftKind;
use super::spc::{Chart, ChartPoint, GroupCount, GroupShare, StandsOut, Variation, against_the_rest};
use super::staff_trend::{COVERAGE_DAYS, SHIFT_COVERAGE_DAYS};
use super::wall_clock::CalendarDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// How far back two weak checks count as repeated.
pub const REPEATED_WEAK_DAYS: i64 = 28;

/// How far back the shift gaps and the observer effect are judged: recent enough to act on.
pub const SHIFT_GAP_DAYS: i64 = 90;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    RepeatedWeak,
    Reversion,
    ShiftGap,
    ObserverEffect,
    SpecialCauseOfConcern,
    CoverageGap,
}

impl WarningKind {
    pub fn label(self) -> &'static str {
        match self {
            WarningKind::RepeatedWeak => "Repeated weak checks",
            WarningKind::Reversion => "Reversion",
            WarningKind::ShiftGap => "Shift gap",
            WarningKind::ObserverEffect => "Observer effect",
            WarningKind::SpecialCauseOfConcern => "Special cause of concern",
            WarningKind::CoverageGap => "Coverage gap",
        }
    }
}

/// One warning, with the records behind it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Warning {
    /// What raised it: the same findings always give the same key.
    pub key: String,
    pub kind: WarningKind,
    pub service_id: Uuid,
    /// The theme it concerns; none for shifts without checks, which concern every theme.
    pub theme_id: Option<Uuid>,
    pub staff_id: Option<Uuid>,
    pub cycle_id: Option<Uuid>,
    /// The checks behind it, oldest first.
    pub check_ids: Vec<Uuid>,
    pub finding: Finding,
}

/// What was found, beyond the checks a warning names.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// The checks named are the finding.
    Checks,
    /// A group of checks meeting the standard clearly less often than `others`, with both
    /// intervals.
    LowerShare { group: GroupShare, others: GroupShare },
    /// The latest point of a theme's chart.
    ChartPoint { point: ChartPoint },
    /// Current staff not observed on the theme in the last `days`.
    NotObserved { staff_ids: Vec<Uuid>, days: i64 },
    /// Shift types, and perhaps the weekends, with no check on any theme in the last `days`.
    Unchecked { shifts: Vec<ShiftKind>, weekends: bool, days: i64 },
}

/// **Repeated weak**: two or more weak checks of one staff member on one theme observed in the
/// 28 days up to `today` (on their service's calendar), and no open cycle for them on it.
/// `checks` are current checks; `open_cycles` the open cycles of the same services.
pub fn repeated_weak(checks: &[&StoredCheck], open_cycles: &[Cycle], today: CalendarDate) -> Vec<Warning> {
    let mut weak: BTreeMap<(Uuid, Uuid, Uuid), Vec<&StoredCheck>> = BTreeMap::new();
    for check in checks.iter().copied().filter(|check| check.assessment.weak) {
        let Some(day) = CalendarDate::parse(&check.calendar.local_date) else { continue };
        if (0..REPEATED_WEAK_DAYS).contains(&today.days_since(day)) {
            weak.entry((check.check.service_id, check.check.staff_id, check.check.theme_id)).or_default().push(check);
        }
    }
    weak.into_iter()
        .filter(|(_, found)| found.len() >= 2)
        .filter(|((_, staff, theme), _)| {
            !open_cycles
                .iter()
                .any(|cycle| cycle.is_open() && cycle.theme_id == *theme && cycle.staff_ids.contains(staff))
        })
        .map(|((service_id, staff_id, theme_id), mut found)| {
            found.sort_by_key(|check| (check.observed_at_ms, check.check.id));
            let latest = found.last().expect("two or more").check.id;
            Warning {
                key: format!("repeated_weak:{staff_id}:{theme_id}:{latest}"),
                kind: WarningKind::RepeatedWeak,
                service_id,
                theme_id: Some(theme_id),
                staff_id: Some(staff_id),
                cycle_id: None,
                check_ids: found.iter().map(|check| check.check.id).collect(),
                finding: Finding::Checks,
            }
        })
        .collect()
}

/// **Reversion**: a check below the standard after a cycle's standard had been met (its live
/// verdict is reverted), or in the watch after it closed (`watch_reversion`).
pub fn reversion(cycle: &Cycle, verdict: Option<&Verdict>, watch_reversion: Option<&StoredCheck>) -> Option<Warning> {
    let check_id = match (cycle.is_open(), verdict, watch_reversion) {
        (true, Some(Verdict::Reverted { check_id }), _) => *check_id,
        (false, _, Some(check)) => check.check.id,
        _ => return None,
    };
    Some(Warning {
        key: format!("reversion:{}:{check_id}", cycle.id),
        kind: WarningKind::Reversion,
        service_id: cycle.service_id,
        theme_id: Some(cycle.theme_id),
        staff_id: (cycle.staff_ids.len() == 1).then(|| cycle.staff_ids[0]),
        cycle_id: Some(cycle.id),
        check_ids: vec![check_id],
        finding: Finding::Checks,
    })
}

/// Each group clearly lower than the rest, beside the rest's checks together.
fn lower_than_the_rest(groups: &[GroupShare]) -> Vec<(GroupShare, GroupShare)> {
    let (all_checks, all_met) =
        groups.iter().fold((0, 0), |(checks, met), group| (checks + group.checks, met + group.met));
    groups
        .iter()
        .filter(|group| group.stands_out == Some(StandsOut::Lower))
        .map(|group| {
            let lower = GroupCount { label: group.label.clone(), checks: group.checks, met: group.met };
            let rest = GroupCount {
                label: "The rest".to_owned(),
                checks: all_checks - group.checks,
                met: all_met - group.met,
            };
            let [group, others]: [GroupShare; 2] =
                against_the_rest(&[lower, rest]).try_into().expect("two in, two out");
            (group, others)
        })
        .collect()
}

/// A warning about a service as a whole, or one of its themes: no one person, cycle or check.
fn about_the_service(
    kind: WarningKind,
    service_id: Uuid,
    theme_id: Option<Uuid>,
    key: String,
    finding: Finding,
) -> Warning {
    Warning { key, kind, service_id, theme_id, staff_id: None, cycle_id: None, check_ids: Vec::new(), finding }
}

/// **Shift gap**: for a service and theme, a shift type or weekends meeting the standard clearly
/// less often than the rest, by intervals that do not overlap (never a bare difference of
/// percentages). `month` (`2026-11`) is in the key: a dismissed gap is raised again next month
/// if it is still there.
pub fn shift_gaps(service_id: Uuid, theme_id: Uuid, groups: &[GroupShare], month: &str) -> Vec<Warning> {
    lower_than_the_rest(groups)
        .into_iter()
        .map(|(group, others)| {
            let key = format!("shift_gap:{service_id}:{theme_id}:{}:{month}", group.label);
            about_the_service(
                WarningKind::ShiftGap,
                service_id,
                Some(theme_id),
                key,
                Finding::LowerShare { group, others },
            )
        })
        .collect()
}

/// **Observer effect**: for a service and theme, unannounced checks meeting the standard clearly
/// less often than announced ones, by intervals that do not overlap. `groups` are announced and
/// unannounced checks, as [`super::observer::announced_beside_unannounced`] gives them; the month
/// is in the key.
pub fn observer_effect(service_id: Uuid, theme_id: Uuid, groups: &[GroupShare], month: &str) -> Option<Warning> {
    let [announced, unannounced] = groups else { return None };
    (unannounced.stands_out == Some(StandsOut::Lower)).then(|| {
        let key = format!("observer_effect:{service_id}:{theme_id}:{month}");
        let finding = Finding::LowerShare { group: unannounced.clone(), others: announced.clone() };
        about_the_service(WarningKind::ObserverEffect, service_id, Some(theme_id), key, finding)
    })
}

/// **Special cause of concern**: the latest point of a service's theme chart is a special cause
/// in the unwanted direction. The point's period is in the key.
pub fn special_cause_of_concern(service_id: Uuid, theme_id: Uuid, chart: &Chart) -> Option<Warning> {
    let Chart::P { points, latest: Variation::Concern, .. } = chart else { return None };
    let point = points.last()?.clone();
    let key = format!("special_cause:{service_id}:{theme_id}:{}", point.period);
    Some(about_the_service(
        WarningKind::SpecialCauseOfConcern,
        service_id,
        Some(theme_id),
        key,
        Finding::ChartPoint { point },
    ))
}

/// **Coverage gap**, for people: the current staff of a service who have not been observed on a
/// theme in the [`COVERAGE_DAYS`] to today (NICE QS123 asks for every 3 months), found by
/// [`super::staff_trend::not_observed_lately`]: one warning for the service and theme naming them
/// all, so that the observations can be planned together. The month is in the key.
pub fn not_observed(service_id: Uuid, theme_id: Uuid, staff_ids: Vec<Uuid>, month: &str) -> Option<Warning> {
    (!staff_ids.is_empty()).then(|| {
        let key = format!("coverage_gap:{service_id}:{theme_id}:{month}");
        let finding = Finding::NotObserved { staff_ids, days: COVERAGE_DAYS };
        about_the_service(WarningKind::CoverageGap, service_id, Some(theme_id), key, finding)
    })
}

/// **Coverage gap**, for shifts: the shift types a service works, and the weekends, that had no
/// check on any theme in the last [`SHIFT_COVERAGE_DAYS`], as
/// [`super::staff_trend::unchecked_shifts`] finds them. The month is in the key.
pub fn unchecked(service_id: Uuid, shifts: Vec<ShiftKind>, weekends: bool, month: &str) -> Option<Warning> {
    (!shifts.is_empty() || weekends).then(|| {
        let key = format!("shift_coverage_gap:{service_id}:{month}");
        let finding = Finding::Unchecked { shifts, weekends, days: SHIFT_COVERAGE_DAYS };
        about_the_service(WarningKind::CoverageGap, service_id, None, key, finding)
    })
}

/// What a manager decided about a warning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Seen, with a note of what is being done; it stays listed, off the home page.
    Acknowledged,
    /// Not a concern, with the reason; it is no longer listed.
    Dismissed,
}

impl Decision {
    pub fn from_code(code: &str) -> Option<Decision> {
        match code {
            "acknowledged" => Some(Decision::Acknowledged),
            "dismissed" => Some(Decision::Dismissed),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Decision::Acknowledged => "acknowledged",
            Decision::Dismissed => "dismissed",
        }
    }
}

/// A decision kept against a warning's key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WarningDecision {
    pub key: String,
    pub service_id: Uuid,
    pub kind: WarningKind,
    pub decision: Decision,
    pub note: String,
    pub decided_by: super::audit::Author,
    pub decided_at_ms: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::check::Assessment;
    use crate::domain::spc::{GroupCount, Sample, against_the_rest, standard_chart};

    use crate::domain::cycle::tests::{GOOD_EARLY, check as seen_check, cycle as dorotas_cycle};

    const HANA: Uuid = Uuid::from_u128(40);
    const THEME: Uuid = Uuid::from_u128(2);
    const OTHER_THEME: Uuid = Uuid::from_u128(4);
    const SERVICE: Uuid = Uuid::from_u128(1);

    fn day(text: &str) -> CalendarDate {
        CalendarDate::parse(text).unwrap()
    }

    /// A current check of Hana on `theme`, observed on `date`, weak or meeting the standard.
    fn check(n: u128, theme: Uuid, date: &str, weak: bool) -> StoredCheck {
        let mut kept = seen_check(date, GOOD_EARLY);
        kept.check.id = Uuid::from_u128(100 + n);
        kept.check.staff_id = HANA;
        kept.check.theme_id = theme;
        kept.observed_at_ms += n as i64;
        kept.assessment = Assessment { meets_standard: !weak, weak };
        kept
    }

    fn refs(checks: &[StoredCheck]) -> Vec<&StoredCheck> {
        checks.iter().collect()
    }

    fn open_cycle(staff: Uuid, theme: Uuid) -> Cycle {
        let mut cycle = dorotas_cycle();
        cycle.staff_ids = vec![staff];
        cycle.theme_id = theme;
        cycle
    }

    #[test]
    fn two_weak_checks_in_28_days_raise_one_warning_keyed_by_the_latest() {
        let checks = [check(1, THEME, "2026-11-05", true), check(2, THEME, "2026-11-20", true)];
        let warnings = repeated_weak(&refs(&checks), &[], day("2026-12-02"));
        assert_eq!(warnings.len(), 1);
        let warning = &warnings[0];
        assert_eq!(
            (warning.kind, warning.staff_id, warning.theme_id),
            (WarningKind::RepeatedWeak, Some(HANA), Some(THEME))
        );
        assert_eq!(warning.check_ids, [Uuid::from_u128(101), Uuid::from_u128(102)]);
        assert_eq!(warning.key, format!("repeated_weak:{HANA}:{THEME}:{}", Uuid::from_u128(102)));
        // Worked out again, the same warning: the same key.
        assert_eq!(repeated_weak(&refs(&checks), &[], day("2026-12-02")), warnings);
    }

    #[test]
    fn repeated_weak_does_not_fire_for_one_weak_check_an_old_one_another_theme_or_an_open_cycle() {
        let today = day("2026-12-02");
        assert!(repeated_weak(&refs(&[check(1, THEME, "2026-11-20", true)]), &[], today).is_empty(), "one");
        let old = [check(1, THEME, "2026-11-04", true), check(2, THEME, "2026-11-20", true)];
        assert!(repeated_weak(&refs(&old), &[], today).is_empty(), "28 days before today is outside the window");
        let edge = [check(1, THEME, "2026-11-05", true), check(2, THEME, "2026-11-20", true)];
        assert_eq!(repeated_weak(&refs(&edge), &[], today).len(), 1, "27 days before today is inside");
        let themes = [check(1, THEME, "2026-11-20", true), check(2, OTHER_THEME, "2026-11-21", true)];
        assert!(repeated_weak(&refs(&themes), &[], today).is_empty(), "two themes");
        let fine = [check(1, THEME, "2026-11-20", true), check(2, THEME, "2026-11-21", false)];
        assert!(repeated_weak(&refs(&fine), &[], today).is_empty(), "one weak, one fine");
        assert!(repeated_weak(&refs(&edge), &[open_cycle(HANA, THEME)], today).is_empty(), "a cycle is open");
        assert_eq!(repeated_weak(&refs(&edge), &[open_cycle(HANA, OTHER_THEME)], today).len(), 1, "on another theme");
        let mut closed = open_cycle(HANA, THEME);
        closed.closed_on = Some(day("2026-11-01"));
        assert_eq!(repeated_weak(&refs(&edge), &[closed], today).len(), 1, "a closed cycle does not count");
    }

    #[test]
    fn a_reversion_is_raised_for_an_open_reverted_cycle_or_one_in_its_watch() {
        let cycle = open_cycle(HANA, THEME);
        let reverted = Verdict::Reverted { check_id: Uuid::from_u128(7) };
        let warning = reversion(&cycle, Some(&reverted), None).unwrap();
        assert_eq!(
            (warning.kind, warning.cycle_id, warning.staff_id),
            (WarningKind::Reversion, Some(cycle.id), Some(HANA))
        );
        assert_eq!(warning.key, format!("reversion:{}:{}", cycle.id, Uuid::from_u128(7)));
        assert!(reversion(&cycle, Some(&Verdict::Sustained), None).is_none());
        assert!(reversion(&cycle, None, None).is_none());
        let mut closed = cycle.clone();
        closed.closed_on = Some(day("2026-11-01"));
        let late = check(5, THEME, "2026-11-20", true);
        assert_eq!(reversion(&closed, Some(&Verdict::Sustained), Some(&late)).unwrap().check_ids, [late.check.id]);
        assert!(reversion(&closed, Some(&reverted), None).is_none(), "a frozen verdict is not a new finding");
    }

    #[test]
    fn a_shift_gap_needs_a_group_clearly_lower_than_the_rest() {
        let group = |label: &str, met, checks| GroupCount { label: label.into(), checks, met };
        let night = against_the_rest(&[group("Early", 45, 50), group("Night", 2, 10)]);
        let warnings = shift_gaps(SERVICE, THEME, &night, "2026-12");
        assert_eq!(warnings.len(), 1, "only the lower group, not the higher one");
        let Finding::LowerShare { group: lower, others } = &warnings[0].finding else { panic!("a lower share") };
        assert_eq!((lower.label.as_str(), lower.met, lower.checks), ("Night", 2, 10));
        assert_eq!((others.met, others.checks), (45, 50), "beside the rest");
        assert_eq!(warnings[0].key, format!("shift_gap:{SERVICE}:{THEME}:Night:2026-12"));
        let few = against_the_rest(&[group("Weekdays", 80, 100), group("Weekends", 3, 5)]);
        assert!(shift_gaps(SERVICE, THEME, &few, "2026-12").is_empty(), "too few weekend checks to say");
    }

    #[test]
    fn a_special_cause_of_concern_is_the_latest_point_falling() {
        let samples = |last_met| {
            (1..=13)
                .map(|month| Sample {
                    period: format!("2026-{month:02}"),
                    checks: 20,
                    met: if month == 13 { last_met } else { 18 },
                })
                .collect::<Vec<_>>()
        };
        let falling = standard_chart(&samples(6), &[]);
        let warning = special_cause_of_concern(SERVICE, THEME, &falling).unwrap();
        let Finding::ChartPoint { point } = warning.finding else { panic!("a point") };
        assert_eq!(point.period, "2026-13");
        assert!(special_cause_of_concern(SERVICE, THEME, &standard_chart(&samples(18), &[])).is_none());
        let too_few = standard_chart(&samples(6)[..3], &[]);
        assert!(special_cause_of_concern(SERVICE, THEME, &too_few).is_none());
    }

    #[test]
    fn an_observer_effect_needs_unannounced_checks_clearly_below_announced_ones() {
        use crate::domain::observer::{ObserverCount, announced_beside_unannounced};
        let count = |announced, checks, met| ObserverCount {
            observer_id: Uuid::from_u128(7),
            staff_id: HANA,
            announced,
            checks,
            met,
        };
        let clear = announced_beside_unannounced(&[count(true, 30, 28), count(false, 30, 12)]);
        let warning = observer_effect(SERVICE, THEME, &clear, "2026-12").unwrap();
        assert_eq!((warning.kind, warning.theme_id), (WarningKind::ObserverEffect, Some(THEME)));
        assert_eq!(warning.key, format!("observer_effect:{SERVICE}:{THEME}:2026-12"));
        let Finding::LowerShare { group, others } = &warning.finding else { panic!("a lower share") };
        assert_eq!(
            (group.label.as_str(), group.met, others.label.as_str(), others.met),
            ("Unannounced", 12, "Announced", 28)
        );
        let reversed = announced_beside_unannounced(&[count(true, 30, 12), count(false, 30, 28)]);
        assert!(
            observer_effect(SERVICE, THEME, &reversed, "2026-12").is_none(),
            "unannounced doing better is no effect"
        );
        let few = announced_beside_unannounced(&[count(true, 4, 4), count(false, 4, 1)]);
        assert!(observer_effect(SERVICE, THEME, &few, "2026-12").is_none(), "too few to say");
        let none = announced_beside_unannounced(&[count(true, 30, 28)]);
        assert!(observer_effect(SERVICE, THEME, &none, "2026-12").is_none(), "no unannounced checks");
        assert!(observer_effect(SERVICE, THEME, &[], "2026-12").is_none());
    }

    #[test]
    fn a_coverage_gap_names_everyone_not_observed_or_the_shifts_without_checks() {
        let gap = not_observed(SERVICE, THEME, vec![HANA], "2026-12").unwrap();
        assert_eq!(
            (gap.kind, gap.key.clone()),
            (WarningKind::CoverageGap, format!("coverage_gap:{SERVICE}:{THEME}:2026-12"))
        );
        assert_eq!(gap.finding, Finding::NotObserved { staff_ids: vec![HANA], days: 91 });
        assert!(not_observed(SERVICE, THEME, Vec::new(), "2026-12").is_none(), "everyone observed");
        let shifts = unchecked(SERVICE, vec![ShiftKind::Night], true, "2026-12").unwrap();
        assert_eq!((shifts.theme_id, shifts.key.clone()), (None, format!("shift_coverage_gap:{SERVICE}:2026-12")));
        assert_eq!(shifts.finding, Finding::Unchecked { shifts: vec![ShiftKind::Night], weekends: true, days: 28 });
        assert!(unchecked(SERVICE, Vec::new(), false, "2026-12").is_none(), "every shift checked");
        assert!(unchecked(SERVICE, Vec::new(), true, "2026-12").is_some(), "weekends alone");
    }
}
