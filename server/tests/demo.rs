//! The demonstration history tells the stories the trends and warnings to come will show.

mod support;

use recheck_app::domain::check::{CheckFilter, StoredCheck};
use recheck_app::domain::cycle::{Conclusion, Stage, Verdict};
use recheck_app::domain::review::{Frequency, ReviewKind};
use recheck_app::domain::shift::{ShiftKind, ShiftPattern};
use recheck_app::domain::theme::CheckKind;
use recheck_app::storage::{CycleFilter, JudgedCycle, ReviewFilter};
use support::TestDatabase;

const WEEK_MS: i64 = 7 * 24 * 3_600_000;

fn share_met(checks: &[&StoredCheck]) -> f64 {
    checks.iter().filter(|check| check.assessment.meets_standard).count() as f64 / checks.len().max(1) as f64
}

async fn the_demonstration_history_shows_real_patterns_and_stories(db: TestDatabase) {
    let summary = recheck_server::demo::load(db.storage.as_ref(), true).await.unwrap();
    assert!(summary.contains("checks over the last 26 weeks, 4 improvement cycles and"), "{summary}");
    let all = db.storage.checks.checks(&CheckFilter { limit: 10_000, ..Default::default() }).await.unwrap();
    assert!(all.len() > 500, "{} checks", all.len());
    let now = db.storage.now_ms();
    assert!(all.iter().all(|check| check.observed_at_ms < now && check.observed_at_ms > now - 27 * WEEK_MS));
    assert!(all.iter().any(|check| check.check.amends.is_some()), "a few corrections stand in place of checks");

    // The observer effect: announced checks meet the standard clearly more often.
    let (announced, unannounced): (Vec<&StoredCheck>, Vec<&StoredCheck>) =
        all.iter().partition(|check| check.check.announced);
    assert!(share_met(&announced) > share_met(&unannounced) + 0.1);

    let staff = db.storage.organisation.staff_members(None).await.unwrap();
    let services = db.storage.organisation.services().await.unwrap();
    let themes = db.storage.organisation.themes().await.unwrap();
    let id_of = |person: &str| staff.iter().find(|member| member.name == person).unwrap().id;
    let theme_of = |kind: CheckKind| themes.iter().find(|theme| theme.kind == kind).unwrap().id;
    let brookside = services.iter().find(|service| service.name.starts_with("Brookside")).unwrap().id;
    let of = |person: &str, kind: CheckKind, weeks: i64| -> Vec<&StoredCheck> {
        all.iter()
            .filter(|check| check.check.staff_id == id_of(person) && check.check.theme_id == theme_of(kind))
            .filter(|check| check.observed_at_ms > now - weeks * WEEK_MS)
            .collect()
    };

    // Nights at Brookside are weaker on distress episodes than days.
    let distress_at_brookside: Vec<&StoredCheck> = all
        .iter()
        .filter(|check| {
            check.check.service_id == brookside && check.check.theme_id == theme_of(CheckKind::DistressEpisode)
        })
        .collect();
    let (nights, days): (Vec<&StoredCheck>, Vec<&StoredCheck>) =
        distress_at_brookside.iter().partition(|check| check.shift_kind == ShiftKind::Night);
    assert!(share_met(&days) > share_met(&nights) + 0.1, "days {} nights {}", share_met(&days), share_met(&nights));

    // Dorota Nowak improved after coaching twelve weeks ago, and it held.
    let before: Vec<&StoredCheck> = of("Dorota Nowak", CheckKind::Observation, 26)
        .into_iter()
        .filter(|check| check.observed_at_ms < now - 13 * WEEK_MS)
        .collect();
    let after = of("Dorota Nowak", CheckKind::Observation, 11);
    assert!(after.len() >= 5 && share_met(&after) >= 0.8, "{} after", share_met(&after));
    assert!(share_met(&before) < 0.5, "{} of {} before", share_met(&before), before.len());
    assert!(after.iter().any(|check| !check.check.announced && check.shift_kind == ShiftKind::Night));

    // Isaac Mensah slipped back on unannounced nights in the last three weeks.
    let lately = of("Isaac Mensah", CheckKind::Observation, 3);
    assert!(lately.iter().any(|check| check.assessment.weak && !check.check.announced));

    // Hana Kimura has two weak distress checks in the last four weeks.
    let weak =
        of("Hana Kimura", CheckKind::DistressEpisode, 4).into_iter().filter(|check| check.assessment.weak).count();
    assert!(weak >= 2, "{weak}");

    // Cycles in every state a manager meets, each verdict the one its own checks give.
    let mut cycles = Vec::new();
    for cycle in db.storage.cycles.cycles(&CycleFilter::default()).await.unwrap() {
        cycles.push(JudgedCycle::load(&db.storage, cycle).await.unwrap());
    }
    let about = |person: &str| cycles.iter().find(|judged| judged.cycle.staff_ids.contains(&id_of(person))).unwrap();
    let dorota = about("Dorota Nowak");
    assert_eq!((dorota.cycle.stage(), dorota.verdict()), (Stage::Closed, Some(Verdict::Sustained)));
    let isaac = about("Isaac Mensah");
    assert!(isaac.needs_escalation(), "{:?}", isaac.verdict());
    assert!(matches!(isaac.verdict(), Some(Verdict::Reverted { .. })), "{:?}", isaac.verdict());
    let quentin = about("Quentin Ashby");
    assert!(quentin.cycle.reviews.iter().any(|review| review.conclusion == Conclusion::Escalate));
    assert!(
        matches!(quentin.verdict(), Some(Verdict::Improving { missing }) if !missing.is_empty()),
        "{:?}",
        quentin.verdict()
    );
    let night_team = cycles.iter().find(|judged| judged.cycle.group_name.is_some()).unwrap();
    assert!(night_team.cycle.staff_ids.len() >= 2);
    assert!(matches!(night_team.verdict(), Some(Verdict::Improving { .. })), "{:?}", night_team.verdict());
    assert!(!cycles.iter().any(|judged| judged.cycle.staff_ids.contains(&id_of("Hana Kimura"))), "no cycle yet");

    // A shift leader's tablet has held a night's checks since before the last shift began.
    let users = db.storage.accounts.users().await.unwrap();
    let jodie = users.iter().find(|user| user.name == "Jodie Marsh").unwrap();
    let held = db.storage.devices.holding_devices(&[jodie.id]).await.unwrap();
    assert!(held[0].held_longer_than(ShiftPattern::care_home_default().longest_shift_minutes(), db.storage.now_ms()));

    // Reviews kept for six months, with the gaps a manager meets.
    let statuses = recheck_app::storage::review_statuses(&db.storage, &services).await.unwrap();
    let status = |service: &str, kind: ReviewKind| {
        let of_service = statuses.iter().find(|reviews| reviews.service.name.starts_with(service)).unwrap();
        of_service.statuses.iter().find(|status| status.cadence.kind == kind).unwrap().clone()
    };
    assert_eq!(status("Larch", ReviewKind::ShiftRecords).overdue.len(), 2);
    assert_eq!(status("Larch", ReviewKind::WeeklyPractice).overdue.len(), 1, "last week's");
    assert_eq!(status("Larch", ReviewKind::ThemeGovernance).overdue.len(), 1, "last month's");
    assert!(status("Larch", ReviewKind::AuditFindings).overdue.is_empty());
    assert_eq!(status("Brookside", ReviewKind::SupervisionImpact).overdue.len(), 1);
    assert_eq!(status("Brookside", ReviewKind::WeeklyPractice).cadence.frequency, Frequency::NotHeld);
    let kept = db.storage.reviews.reviews(&ReviewFilter { limit: 1_000, ..Default::default() }).await.unwrap();
    assert!(kept.len() > 60, "{} reviews", kept.len());
    assert!(kept.iter().all(|review| review.recorded_at_ms < now), "none written in the future");
    assert!(kept.iter().any(|review| review.kind == ReviewKind::WeeklyPractice && !review.check_ids.is_empty()));
    let bethan = users.iter().find(|user| user.name == "Bethan Pryce").unwrap();
    assert!(
        kept.iter()
            .filter(|review| review.kind == ReviewKind::WeeklyPractice)
            .all(|review| review.recorded_by.user_id == Some(bethan.id)),
        "the team leader's"
    );
}

on_both_backends!(the_demonstration_history_shows_real_patterns_and_stories);
