//! Early warnings (`docs/domain.md` §8): what the checks, the cycles and the charts show that a
//! manager should act on before an inspector finds it. Warnings are worked out afresh from the
//! records each time they are shown, so they can never be duplicated; each has a key naming what
//! raised it, and a manager's acknowledgement or dismissal is kept against that key, so a new
//! weak check, a new reversion or a new month raises it again.

use super::check::StoredCheck;
use super::cycle::{Cycle, Verdict};
use super::spc::{Chart, ChartPoint, GroupShare, StandsOut, Variation};
use super::wall_clock::CalendarDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// How far back two weak checks count as repeated.
pub const REPEATED_WEAK_DAYS: i64 = 28;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    RepeatedWeak,
    Reversion,
    ShiftGap,
    SpecialCauseOfConcern,
}

impl WarningKind {
    pub fn label(self) -> &'static str {
        match self {
            WarningKind::RepeatedWeak => "Repeated weak checks",
            WarningKind::Reversion => "Reversion",
            WarningKind::ShiftGap => "Shift gap",
            WarningKind::SpecialCauseOfConcern => "Special cause of concern",
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
    pub theme_id: Uuid,
    pub staff_id: Option<Uuid>,
    pub cycle_id: Option<Uuid>,
    /// The checks behind it, oldest first.
    pub check_ids: Vec<Uuid>,
    /// For a shift gap: the group that meets the standard less often, with its interval.
    pub group: Option<GroupShare>,
    /// For a special cause: the chart's latest point.
    pub point: Option<ChartPoint>,
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
                theme_id,
                staff_id: Some(staff_id),
                cycle_id: None,
                check_ids: found.iter().map(|check| check.check.id).collect(),
                group: None,
                point: None,
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
        theme_id: cycle.theme_id,
        staff_id: (cycle.staff_ids.len() == 1).then(|| cycle.staff_ids[0]),
        cycle_id: Some(cycle.id),
        check_ids: vec![check_id],
        group: None,
        point: None,
    })
}

/// **Shift gap**: for a service and theme, a shift type or weekends meeting the standard clearly
/// less often than the rest, by intervals that do not overlap (never a bare difference of
/// percentages). `month` (`2026-11`) is in the key: a dismissed gap is raised again next month
/// if it is still there.
pub fn shift_gaps(service_id: Uuid, theme_id: Uuid, groups: &[GroupShare], month: &str) -> Vec<Warning> {
    groups
        .iter()
        .filter(|group| group.stands_out == Some(StandsOut::Lower))
        .map(|group| Warning {
            key: format!("shift_gap:{service_id}:{theme_id}:{}:{month}", group.label),
            kind: WarningKind::ShiftGap,
            service_id,
            theme_id,
            staff_id: None,
            cycle_id: None,
            check_ids: Vec::new(),
            group: Some(group.clone()),
            point: None,
        })
        .collect()
}

/// **Special cause of concern**: the latest point of a service's theme chart is a special cause
/// in the unwanted direction. The point's period is in the key.
pub fn special_cause_of_concern(service_id: Uuid, theme_id: Uuid, chart: &Chart) -> Option<Warning> {
    let Chart::P { points, latest: Variation::Concern, .. } = chart else { return None };
    let point = points.last()?;
    Some(Warning {
        key: format!("special_cause:{service_id}:{theme_id}:{}", point.period),
        kind: WarningKind::SpecialCauseOfConcern,
        service_id,
        theme_id,
        staff_id: None,
        cycle_id: None,
        check_ids: Vec::new(),
        group: None,
        point: Some(point.clone()),
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
        assert_eq!((warning.kind, warning.staff_id, warning.theme_id), (WarningKind::RepeatedWeak, Some(HANA), THEME));
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
        assert_eq!(warnings[0].group.as_ref().unwrap().label, "Night");
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
        assert_eq!(warning.point.unwrap().period, "2026-13");
        assert!(special_cause_of_concern(SERVICE, THEME, &standard_chart(&samples(18), &[])).is_none());
        let too_few = standard_chart(&samples(6)[..3], &[]);
        assert!(special_cause_of_concern(SERVICE, THEME, &too_few).is_none());
    }
}
