//! One staff member's practice over time (`docs/domain.md` §7). One person rarely has enough
//! checks for control limits, so nothing here is a control chart: their checks are compared
//! before and after a cycle's action, and across shifts, weekends and announced or not, by Wilson
//! intervals that must not overlap before a difference counts; ratings are counted score by
//! score, never averaged.

use super::check::StoredCheck;
use super::shift::ShiftKind;
use super::spc::{GroupCount, GroupShare, against_the_rest};
use super::wall_clock::CalendarDate;
use uuid::Uuid;

/// How often a criterion was rated 1, 2, 3 and 4, and N/A.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ScoreCounts {
    pub criterion_id: Uuid,
    /// `by_score[0]` is how many 1s.
    pub by_score: [u32; 4],
    pub not_applicable: u32,
}

/// Each criterion's ratings counted by score, criteria in the order they were first rated.
pub fn score_counts(checks: &[&StoredCheck]) -> Vec<ScoreCounts> {
    let mut counts: Vec<ScoreCounts> = Vec::new();
    for rating in checks.iter().flat_map(|check| check.check.ratings.iter()) {
        let index = match counts.iter().position(|counted| counted.criterion_id == rating.criterion_id) {
            Some(index) => index,
            None => {
                counts.push(ScoreCounts { criterion_id: rating.criterion_id, by_score: [0; 4], not_applicable: 0 });
                counts.len() - 1
            }
        };
        match rating.score {
            Some(score @ 1..=4) => counts[index].by_score[usize::from(score - 1)] += 1,
            _ => counts[index].not_applicable += 1,
        }
    }
    counts
}

/// One month of a person's time line on a theme: how many of their checks met the standard,
/// and, criterion by criterion, how many ratings reached 3 or 4 of how many were rated (N/A left
/// out). A month without checks is kept, with nothing in it, so that the line keeps time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthOnTheLine {
    /// `2026-11`
    pub month: String,
    pub checks: u32,
    pub met: u32,
    pub criteria: Vec<CriterionInMonth>,
}

/// One criterion's ratings in one month: `good` of `rated` were 3 or 4.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CriterionInMonth {
    pub criterion_id: Uuid,
    pub rated: u32,
    pub good: u32,
}

/// The months from `first` to `last` (`2026-11`), both included; none if either is not a month
/// or `last` comes first.
pub fn months_between(first: &str, last: &str) -> Vec<String> {
    let parse = |text: &str| -> Option<i32> {
        let (year, month) = text.split_once('-')?;
        let (year, month): (i32, i32) = (year.parse().ok()?, month.parse().ok()?);
        (1..=12).contains(&month).then_some(year * 12 + month - 1)
    };
    let (Some(first), Some(last)) = (parse(first), parse(last)) else { return Vec::new() };
    (first..=last).map(|index| format!("{:04}-{:02}", index / 12, index % 12 + 1)).collect()
}

/// **A person's time line on a theme**: every month from their first check's to the later of
/// their last check's and `until` (the month of the latest action to mark), oldest first. Each
/// criterion's ratings are counted, never averaged; criteria come in the order first rated.
pub fn time_line(checks: &[&StoredCheck], until: Option<&str>) -> Vec<MonthOnTheLine> {
    let Some(first) = checks.iter().map(|check| check.calendar.month.as_str()).min() else { return Vec::new() };
    let latest = checks.iter().map(|check| check.calendar.month.as_str()).max().unwrap_or(first);
    let last = until.filter(|until| *until > latest).unwrap_or(latest);
    let mut criteria: Vec<Uuid> = Vec::new();
    for rating in checks.iter().flat_map(|check| check.check.ratings.iter()) {
        if !criteria.contains(&rating.criterion_id) {
            criteria.push(rating.criterion_id);
        }
    }
    months_between(first, last)
        .into_iter()
        .map(|month| {
            let in_month: Vec<&&StoredCheck> = checks.iter().filter(|check| check.calendar.month == month).collect();
            let criteria = criteria
                .iter()
                .map(|criterion_id| {
                    let scores = in_month
                        .iter()
                        .flat_map(|check| check.check.ratings.iter())
                        .filter(|rating| rating.criterion_id == *criterion_id)
                        .filter_map(|rating| rating.score);
                    let (rated, good) =
                        scores.fold((0, 0), |(rated, good), score| (rated + 1, good + u32::from(score >= 3)));
                    CriterionInMonth { criterion_id: *criterion_id, rated, good }
                })
                .collect();
            MonthOnTheLine {
                checks: in_month.len() as u32,
                met: in_month.iter().filter(|check| check.assessment.meets_standard).count() as u32,
                month,
                criteria,
            }
        })
        .collect()
}

fn count(label: impl Into<String>, checks: impl Iterator<Item = bool>) -> GroupCount {
    let (checks, met) = checks.fold((0, 0), |(checks, met), meets| (checks + 1, met + u32::from(meets)));
    GroupCount { label: label.into(), checks, met }
}

/// The checks observed before `day` beside those on or after it (on the service's calendar).
pub fn before_and_after(checks: &[&StoredCheck], day: CalendarDate) -> Vec<GroupShare> {
    let on_or_after = |check: &&&StoredCheck| CalendarDate::parse(&check.calendar.local_date).is_some_and(|d| d >= day);
    let before = count(
        format!("Before {}", day.in_words()),
        checks.iter().filter(|check| !on_or_after(check)).map(|check| check.assessment.meets_standard),
    );
    let after = count(
        format!("From {}", day.in_words()),
        checks.iter().filter(on_or_after).map(|check| check.assessment.meets_standard),
    );
    against_the_rest(&[before, after])
}

/// The same checks across circumstances: each shift type worked, weekdays beside weekends, and
/// announced beside unannounced checks.
pub fn by_circumstance(checks: &[&StoredCheck]) -> [Vec<GroupShare>; 3] {
    let met = |keep: &dyn Fn(&StoredCheck) -> bool| {
        checks.iter().filter(|check| keep(check)).map(|check| check.assessment.meets_standard).collect::<Vec<_>>()
    };
    let shifts: Vec<GroupCount> = ShiftKind::ALL
        .into_iter()
        .map(|kind| count(kind.label(), met(&|check| check.shift_kind == kind).into_iter()))
        .filter(|group| group.checks > 0)
        .collect();
    let weekends = [
        count("Weekdays", met(&|check| !check.weekend_practice).into_iter()),
        count("Weekends", met(&|check| check.weekend_practice).into_iter()),
    ];
    let announced = [
        count("Announced", met(&|check| check.check.announced).into_iter()),
        count("Unannounced", met(&|check| !check.check.announced).into_iter()),
    ];
    [against_the_rest(&shifts), against_the_rest(&weekends), against_the_rest(&announced)]
}

/// NICE's quality standard for home care (QS123) asks for practice to be observed at least every
/// 3 months: 91 days.
pub const COVERAGE_DAYS: i64 = 91;

/// **Coverage**: of `staff` (current, not leavers), those with no check on the theme observed in
/// the [`COVERAGE_DAYS`] up to `today`, each with the day they were last observed on it, if ever.
/// `observed` are days on which staff were observed on the theme, of any age.
pub fn not_observed_lately(
    staff: &[(Uuid, String)],
    observed: &[(Uuid, CalendarDate)],
    today: CalendarDate,
) -> Vec<(Uuid, String, Option<CalendarDate>)> {
    staff
        .iter()
        .filter_map(|(id, name)| {
            let last = observed.iter().filter(|(staff, _)| staff == id).map(|(_, day)| *day).max();
            let recent = last.is_some_and(|day| today.days_since(day) < COVERAGE_DAYS);
            (!recent).then(|| (*id, name.clone(), last))
        })
        .collect()
}

/// How far back a shift type or the weekends must have had a check.
pub const SHIFT_COVERAGE_DAYS: i64 = 28;

/// The shift types of `worked` (the services' patterns), and weekends, that had no check in the
/// last [`SHIFT_COVERAGE_DAYS`]: `recent` is each (shift type, weekend, checks) counted then.
pub fn unchecked_shifts(worked: &[ShiftKind], recent: &[(ShiftKind, bool, u32)]) -> (Vec<ShiftKind>, bool) {
    let checked = |keep: &dyn Fn(&(ShiftKind, bool, u32)) -> bool| recent.iter().filter(|c| keep(c)).any(|c| c.2 > 0);
    let shifts = ShiftKind::ALL
        .into_iter()
        .filter(|kind| worked.contains(kind) && !checked(&|count| count.0 == *kind))
        .collect();
    (shifts, !checked(&|count| count.1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::check::{Assessment, Rating};
    use crate::domain::cycle::tests::{GOOD_EARLY, check};
    use crate::domain::spc::StandsOut;

    fn kept(on: &str, meets: bool, announced: bool, shift: ShiftKind, weekend: bool) -> StoredCheck {
        let mut kept = check(on, GOOD_EARLY);
        kept.assessment = Assessment { meets_standard: meets, weak: !meets };
        kept.check.announced = announced;
        kept.shift_kind = shift;
        kept.weekend_practice = weekend;
        kept
    }

    #[test]
    fn coverage_names_whoever_has_not_been_observed_in_91_days() {
        let today = CalendarDate::parse("2026-12-02").unwrap();
        let (recent, old) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let never = Uuid::from_u128(3);
        let day = |text| CalendarDate::parse(text).unwrap();
        let observed = [
            (recent, day("2026-09-03")),
            (old, day("2026-06-01")),
            (old, day("2026-09-02")),
            (recent, day("2026-01-01")),
        ];
        let staff = [(recent, "Ann".to_owned()), (old, "Bea".to_owned()), (never, "Cy".to_owned())];
        let gaps = not_observed_lately(&staff, &observed, today);
        assert_eq!(
            gaps,
            [(old, "Bea".to_owned(), CalendarDate::parse("2026-09-02")), (never, "Cy".to_owned(), None)],
            "90 days ago is recent; 91 is not"
        );
    }

    #[test]
    fn unchecked_shifts_are_those_worked_without_a_recent_check() {
        let worked = [ShiftKind::Early, ShiftKind::Late, ShiftKind::Night];
        let recent = [(ShiftKind::Early, false, 4), (ShiftKind::Late, true, 1), (ShiftKind::Night, false, 0)];
        assert_eq!(unchecked_shifts(&worked, &recent), (vec![ShiftKind::Night], false));
        assert_eq!(unchecked_shifts(&worked, &recent[..1]), (vec![ShiftKind::Late, ShiftKind::Night], true));
        assert_eq!(unchecked_shifts(&[], &[]), (vec![], true), "no shifts worked; weekends unchecked");
    }

    #[test]
    fn scores_are_counted_one_by_one_and_never_averaged() {
        let mut first = kept("2026-11-01", true, true, ShiftKind::Early, false);
        let a = first.check.ratings[0].criterion_id;
        let b = first.check.ratings[1].criterion_id;
        first.check.ratings = vec![Rating { criterion_id: a, score: Some(4) }, Rating { criterion_id: b, score: None }];
        let mut second = first.clone();
        second.check.ratings =
            vec![Rating { criterion_id: b, score: Some(1) }, Rating { criterion_id: a, score: Some(4) }];
        let counts = score_counts(&[&first, &second]);
        assert_eq!(
            counts,
            [
                ScoreCounts { criterion_id: a, by_score: [0, 0, 0, 2], not_applicable: 0 },
                ScoreCounts { criterion_id: b, by_score: [1, 0, 0, 0], not_applicable: 1 },
            ]
        );
        assert!(score_counts(&[]).is_empty());
    }

    #[test]
    fn months_between_spans_years_and_refuses_nonsense() {
        assert_eq!(months_between("2026-11", "2027-02"), ["2026-11", "2026-12", "2027-01", "2027-02"]);
        assert_eq!(months_between("2026-11", "2026-11"), ["2026-11"]);
        assert!(months_between("2026-12", "2026-11").is_empty(), "backwards");
        assert!(months_between("2026-13", "2027-01").is_empty());
        assert!(months_between("November", "2027-01").is_empty());
    }

    #[test]
    fn the_time_line_keeps_empty_months_and_counts_each_criterion() {
        let mut first = kept("2026-09-03", true, true, ShiftKind::Early, false);
        let (a, b) = (first.check.ratings[0].criterion_id, first.check.ratings[1].criterion_id);
        first.check.ratings = vec![Rating { criterion_id: a, score: Some(3) }, Rating { criterion_id: b, score: None }];
        let mut second = kept("2026-11-20", false, true, ShiftKind::Early, false);
        second.check.ratings =
            vec![Rating { criterion_id: a, score: Some(2) }, Rating { criterion_id: b, score: Some(4) }];
        let mut third = second.clone();
        third.check.ratings = vec![Rating { criterion_id: a, score: Some(4) }];
        third.assessment = Assessment { meets_standard: true, weak: false };
        let line = time_line(&[&second, &first, &third], None);
        assert_eq!(
            line.iter().map(|month| month.month.as_str()).collect::<Vec<_>>(),
            ["2026-09", "2026-10", "2026-11"]
        );
        assert_eq!((line[0].met, line[0].checks, line[1].checks, line[2].met, line[2].checks), (1, 1, 0, 1, 2));
        assert_eq!(
            line[0].criteria,
            [
                CriterionInMonth { criterion_id: a, rated: 1, good: 1 },
                CriterionInMonth { criterion_id: b, rated: 0, good: 0 }
            ],
            "N/A is not rated; criteria in the order first rated, whichever check came first in the slice"
        );
        assert_eq!(
            line[2].criteria,
            [
                CriterionInMonth { criterion_id: a, rated: 2, good: 1 },
                CriterionInMonth { criterion_id: b, rated: 1, good: 1 }
            ]
        );
        assert!(line[1].criteria.iter().all(|criterion| criterion.rated == 0), "a month without checks is empty");
        let until_action = time_line(&[&first], Some("2026-12"));
        assert_eq!(until_action.len(), 4, "the line runs on to the latest action's month");
        assert_eq!(time_line(&[&first], Some("2026-01")).len(), 1, "an earlier action does not shorten it");
        assert!(time_line(&[], Some("2026-12")).is_empty());
    }

    #[test]
    fn before_and_after_splits_on_the_day_and_says_when_the_change_is_clear() {
        let day = CalendarDate::parse("2026-11-10").unwrap();
        let mut checks: Vec<StoredCheck> =
            (1..=9).map(|d| kept(&format!("2026-11-0{d}"), false, true, ShiftKind::Early, false)).collect();
        checks.extend((10..=28).map(|d| kept(&format!("2026-11-{d}"), true, true, ShiftKind::Early, false)));
        let refs: Vec<&StoredCheck> = checks.iter().collect();
        let groups = before_and_after(&refs, day);
        assert_eq!(groups[0].label, "Before 10 November 2026");
        assert_eq!((groups[0].met, groups[0].checks, groups[1].met, groups[1].checks), (0, 9, 19, 19));
        assert_eq!(groups[1].stands_out, Some(StandsOut::Higher), "the checks from the day are clearly better");
        let few: Vec<&StoredCheck> = refs[7..11].to_vec();
        assert_eq!(before_and_after(&few, day)[1].stands_out, None, "2 and 2 checks cannot say");
    }

    #[test]
    fn circumstances_are_shift_by_shift_weekends_and_announced_or_not() {
        let checks = [
            kept("2026-11-02", true, true, ShiftKind::Early, false),
            kept("2026-11-03", true, true, ShiftKind::Early, false),
            kept("2026-11-07", false, false, ShiftKind::Night, true),
        ];
        let refs: Vec<&StoredCheck> = checks.iter().collect();
        let [shifts, weekends, announced] = by_circumstance(&refs);
        assert_eq!(
            shifts.iter().map(|g| (g.label.as_str(), g.checks)).collect::<Vec<_>>(),
            [("Early", 2), ("Night", 1)]
        );
        assert_eq!((weekends[1].label.as_str(), weekends[1].met, weekends[1].checks), ("Weekends", 0, 1));
        assert_eq!((announced[0].met, announced[0].checks, announced[1].checks), (2, 2, 1));
    }
}
