//! Observers (`docs/domain.md` §7): a lenient or severe observer distorts every count built on
//! their checks, and checks that staff knew were coming show practice at its best. Both are
//! judged like every other difference between groups: by Wilson intervals that must not overlap.

use super::spc::{GroupCount, GroupShare, against_the_rest};
use serde::Serialize;
use uuid::Uuid;

/// How many current checks one observer made of one staff member on a theme, announced or not,
/// and how many of them met the standard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObserverCount {
    pub observer_id: Uuid,
    pub staff_id: Uuid,
    pub announced: bool,
    pub checks: u32,
    pub met: u32,
}

fn total(label: &str, counts: &[ObserverCount], keep: impl Fn(&ObserverCount) -> bool) -> GroupCount {
    let (checks, met) = counts
        .iter()
        .filter(|count| keep(count))
        .fold((0, 0), |(checks, met), count| (checks + count.checks, met + count.met));
    GroupCount { label: label.to_owned(), checks, met }
}

/// Announced checks beside unannounced ones, announced first.
pub fn announced_beside_unannounced(counts: &[ObserverCount]) -> Vec<GroupShare> {
    against_the_rest(&[total("Announced", counts, |c| c.announced), total("Unannounced", counts, |c| !c.announced)])
}

/// One observer's checks beside other observers' checks of the same staff members.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ObserverComparison {
    pub observer_id: Uuid,
    /// Their checks; `stands_out` is `higher` for an observer clearly more lenient than the
    /// others, `lower` for one clearly more severe.
    pub theirs: GroupShare,
    /// Every other observer's checks of the staff members they observed.
    pub others: GroupShare,
    /// How many of their checks were unannounced.
    pub unannounced: u32,
    /// How many staff members they observed.
    pub staff: u32,
}

/// **Lenient or severe observer**: each observer's share of checks meeting the standard beside
/// the share of every other observer's checks of the same staff members (only those, so that an
/// observer who happens to watch a weaker team is not called severe). The observer stands out
/// only when the two Wilson intervals do not overlap. Observers with the most checks first.
pub fn observer_comparisons(counts: &[ObserverCount]) -> Vec<ObserverComparison> {
    let mut observers: Vec<Uuid> = counts.iter().map(|count| count.observer_id).collect();
    observers.sort();
    observers.dedup();
    let mut compared: Vec<ObserverComparison> = observers
        .into_iter()
        .map(|observer| {
            let mut staff: Vec<Uuid> =
                counts.iter().filter(|count| count.observer_id == observer).map(|count| count.staff_id).collect();
            staff.sort();
            staff.dedup();
            let theirs = total("Their checks", counts, |count| count.observer_id == observer);
            let others = total("Others' checks of the same staff", counts, |count| {
                count.observer_id != observer && staff.binary_search(&count.staff_id).is_ok()
            });
            let unannounced =
                counts.iter().filter(|count| count.observer_id == observer && !count.announced).map(|c| c.checks).sum();
            let [theirs, others]: [GroupShare; 2] =
                against_the_rest(&[theirs, others]).try_into().expect("two groups in, two out");
            ObserverComparison { observer_id: observer, theirs, others, unannounced, staff: staff.len() as u32 }
        })
        .collect();
    compared.sort_by(|a, b| b.theirs.checks.cmp(&a.theirs.checks).then(a.observer_id.cmp(&b.observer_id)));
    compared
}

/// One staff member's checks on a theme beside every other staff member's.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffComparison {
    pub staff_id: Uuid,
    /// Their checks; `stands_out` is `lower` for someone clearly meeting the standard less often
    /// than the rest, `higher` for someone clearly meeting it more often.
    pub theirs: GroupShare,
    /// Every other staff member's checks.
    pub others: GroupShare,
}

/// **Staff who stand out**: each staff member's share of checks meeting the standard beside the
/// share of everyone else's checks in the same counts, standing out only when the two Wilson
/// intervals do not overlap (never by a bare difference of percentages). Those who stand out
/// come first, lower before higher, then the most checked.
pub fn staff_comparisons(counts: &[ObserverCount]) -> Vec<StaffComparison> {
    let mut staff: Vec<Uuid> = counts.iter().map(|count| count.staff_id).collect();
    staff.sort();
    staff.dedup();
    let mut compared: Vec<StaffComparison> = staff
        .into_iter()
        .map(|staff_id| {
            let theirs = total("Their checks", counts, |count| count.staff_id == staff_id);
            let others = total("Everyone else's checks", counts, |count| count.staff_id != staff_id);
            let [theirs, others]: [GroupShare; 2] =
                against_the_rest(&[theirs, others]).try_into().expect("two groups in, two out");
            StaffComparison { staff_id, theirs, others }
        })
        .collect();
    let standing = |compared: &StaffComparison| match compared.theirs.stands_out {
        Some(super::spc::StandsOut::Lower) => 0,
        Some(super::spc::StandsOut::Higher) => 1,
        None => 2,
    };
    compared.sort_by(|a, b| {
        standing(a).cmp(&standing(b)).then(b.theirs.checks.cmp(&a.theirs.checks)).then(a.staff_id.cmp(&b.staff_id))
    });
    compared
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::spc::StandsOut;

    const LENIENT: Uuid = Uuid::from_u128(1);
    const FAIR: Uuid = Uuid::from_u128(2);
    const ELSEWHERE: Uuid = Uuid::from_u128(3);
    const ANN: Uuid = Uuid::from_u128(10);
    const BEN: Uuid = Uuid::from_u128(11);
    const CAT: Uuid = Uuid::from_u128(12);

    fn count(observer_id: Uuid, staff_id: Uuid, announced: bool, checks: u32, met: u32) -> ObserverCount {
        ObserverCount { observer_id, staff_id, announced, checks, met }
    }

    #[test]
    fn announced_and_unannounced_differ_only_when_their_intervals_do_not_overlap() {
        let clear = [count(FAIR, ANN, true, 40, 38), count(FAIR, BEN, false, 40, 20)];
        let groups = announced_beside_unannounced(&clear);
        assert_eq!((groups[0].label.as_str(), groups[0].met, groups[0].checks), ("Announced", 38, 40));
        assert_eq!(groups[0].stands_out, Some(StandsOut::Higher));
        assert_eq!(groups[1].stands_out, Some(StandsOut::Lower));
        let few = [count(FAIR, ANN, true, 5, 5), count(FAIR, BEN, false, 5, 2)];
        assert_eq!(announced_beside_unannounced(&few)[1].stands_out, None, "100% of 5 against 40% of 5 is not clear");
        assert_eq!(announced_beside_unannounced(&[])[0].checks, 0);
    }

    #[test]
    fn staff_stand_out_only_when_their_interval_clears_everyone_elses() {
        let counts = [
            count(FAIR, ANN, true, 20, 4),
            count(LENIENT, ANN, false, 5, 1),
            count(FAIR, BEN, true, 30, 27),
            count(FAIR, CAT, false, 25, 22),
            count(ELSEWHERE, CAT, true, 2, 2),
        ];
        let compared = staff_comparisons(&counts);
        assert_eq!(compared.iter().map(|c| c.staff_id).collect::<Vec<_>>(), [ANN, BEN, CAT], "the one below first");
        assert_eq!((compared[0].theirs.met, compared[0].theirs.checks), (5, 25), "both observers' checks of Ann");
        assert_eq!((compared[0].others.met, compared[0].others.checks), (51, 57));
        assert_eq!(compared[0].theirs.stands_out, Some(StandsOut::Lower));
        assert_eq!(compared[1].theirs.stands_out, Some(StandsOut::Higher), "90% of 30 against 56% of 52");
        let few = [count(FAIR, ANN, true, 2, 0), count(FAIR, BEN, true, 3, 3)];
        assert!(staff_comparisons(&few).iter().all(|c| c.theirs.stands_out.is_none()), "too few to say");
        assert!(staff_comparisons(&[]).is_empty());
    }

    #[test]
    fn an_observer_is_compared_with_others_on_the_same_staff_only() {
        let counts = [
            // The lenient observer passes Ann and Ben nearly always; others pass them half the time.
            count(LENIENT, ANN, true, 20, 20),
            count(LENIENT, BEN, false, 10, 9),
            count(FAIR, ANN, false, 20, 10),
            count(FAIR, BEN, true, 20, 10),
            // Cat is only seen by a third observer, whose checks say nothing about the lenient one.
            count(ELSEWHERE, CAT, false, 30, 0),
        ];
        let compared = observer_comparisons(&counts);
        assert_eq!(compared.iter().map(|c| c.observer_id).collect::<Vec<_>>(), [FAIR, LENIENT, ELSEWHERE]);
        let lenient = compared.iter().find(|c| c.observer_id == LENIENT).unwrap();
        assert_eq!((lenient.theirs.met, lenient.theirs.checks), (29, 30));
        assert_eq!((lenient.others.met, lenient.others.checks), (20, 40), "Cat's checks are not counted");
        assert_eq!((lenient.unannounced, lenient.staff), (10, 2));
        assert_eq!(lenient.theirs.stands_out, Some(StandsOut::Higher), "more lenient");
        let fair = compared.iter().find(|c| c.observer_id == FAIR).unwrap();
        assert_eq!(fair.theirs.stands_out, Some(StandsOut::Lower), "stricter than the lenient one");
        let elsewhere = compared.iter().find(|c| c.observer_id == ELSEWHERE).unwrap();
        assert_eq!(elsewhere.others.checks, 0, "nobody else saw Cat");
        assert_eq!(elsewhere.theirs.stands_out, None, "nothing to compare with, so never called severe");
    }

    #[test]
    fn a_few_checks_never_make_an_observer_stand_out() {
        let counts = [count(LENIENT, ANN, true, 3, 3), count(FAIR, ANN, false, 3, 0)];
        assert!(observer_comparisons(&counts).iter().all(|c| c.theirs.stands_out.is_none()));
        assert!(observer_comparisons(&[]).is_empty());
    }
}
