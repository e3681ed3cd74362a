//! The demonstration provider's reviews (`docs/domain.md` §8): six months of them, each by the
//! person it falls to and linked to the checks it looked at, with the gaps a manager meets: at
//! Larch House two shift reviews of the last week, last week's practice review and last month's
//! governance theme review were never recorded; at Brookside, last month's review of what
//! supervision changed. Brookside has no team leader, so its registered manager stopped the
//! weekly practice review there eight weeks ago.

use recheck_app::domain::audit::Author;
use recheck_app::domain::check::{start_of_day_in_zone, wall_time_in_zone};
use recheck_app::domain::organisation::Service;
use recheck_app::domain::review::{Cadence, Frequency, Review, ReviewKind, ReviewPeriod};
use recheck_app::domain::theme::PracticeTheme;
use recheck_app::storage::{Storage, StorageError, checks_in_period};
use uuid::Uuid;

const DAY_MS: i64 = 86_400_000;
const HOUR_MS: i64 = 3_600_000;

/// One service's reviewers, by the kind of review they record (several take turns), and the
/// periods counted back from the one before now that were missed.
pub struct Plan<'a> {
    pub service: &'a Service,
    pub reviewers: Vec<(ReviewKind, Vec<Author>)>,
    pub missed: Vec<(ReviewKind, &'static [usize])>,
    /// Kinds the service does not hold, and who decided so.
    pub not_held: Vec<(ReviewKind, Author)>,
}

/// What each kind of review looked at, found and did, in turn.
fn wording(kind: ReviewKind, turn: usize) -> (&'static str, &'static str, &'static str) {
    const SHIFT: [(&str, &str, &str); 3] = [
        (
            "The shift's care records and the one distress episode, with the staff involved.",
            "Records complete and specific. Staff used the agreed calm approach during the episode.",
            "",
        ),
        (
            "Daily notes for all residents on the shift, and the handover sheet.",
            "Two notes said only 'settled'; the rest described the care given.",
            "Asked both staff to add what was done and how the person responded before leaving.",
        ),
        (
            "Care records and a distress episode at teatime.",
            "Response was slower than the plan asks; the episode settled after 10 minutes.",
            "Talked it through at handover; flagged for the team leader's weekly review.",
        ),
    ];
    const WEEK: [(&str, &str, &str); 2] = [
        (
            "The week's spot checks across all three themes, by shift.",
            "Most checks met the standard. Late shifts were weaker on choice during personal care.",
            "Briefing at Monday's late handover on offering real choices.",
        ),
        (
            "The week's checks, and the re-checks planned for open cycles.",
            "Re-checks on track. One weak check on distress response at night.",
            "Asked the night shift leader for an unannounced re-check next week.",
        ),
    ];
    const AUDIT: [(&str, &str, &str); 2] = [
        (
            "This week's care plan and daily notes audit, beside the spot checks.",
            "Notes matched the care observed in most cases; two vague entries on nights.",
            "Added both to the documentation cycle's evidence.",
        ),
        (
            "The medicines and records audits, and the checks behind them.",
            "No new concerns. Last week's gaps were closed.",
            "",
        ),
    ];
    const SUPERVISION: [(&str, &str, &str); 1] = [(
        "The month's supervisions and coaching sessions, and the re-checks after them.",
        "Coaching on respectful prompts shows in later checks; distress response still varies at night.",
        "Kept the night cycle open and planned two unannounced re-checks.",
    )];
    const THEMES: [(&str, &str, &str); 1] = [(
        "Each practice theme's chart and table, the cycles opened and closed, and the month's warnings.",
        "Respectful communication is steady; distress response improving but not yet sustained.",
        "Asked the registered manager for the night cycle's evidence at next month's review.",
    )];
    let options: &[(&str, &str, &str)] = match kind {
        ReviewKind::ShiftRecords => &SHIFT,
        ReviewKind::WeeklyPractice => &WEEK,
        ReviewKind::AuditFindings => &AUDIT,
        ReviewKind::SupervisionImpact => &SUPERVISION,
        ReviewKind::ThemeGovernance => &THEMES,
    };
    options[turn % options.len()]
}

/// When a review of `period` was written: near the end of a shift, the evening of a day, a
/// Sunday afternoon, the last day of a month.
fn written_at(service: &Service, period: ReviewPeriod) -> Option<i64> {
    let start = start_of_day_in_zone(&service.time_zone, period.first_day())?;
    Some(match period {
        ReviewPeriod::Shift(occurrence) => {
            let shift = service.shift_pattern.shifts().iter().find(|shift| shift.kind == occurrence.kind)?;
            start + i64::from(shift.start.minutes_after_midnight()) * 60_000 + 6 * HOUR_MS
        }
        ReviewPeriod::Day(_) => start + 20 * HOUR_MS,
        ReviewPeriod::Week(_) => start + 6 * DAY_MS + 15 * HOUR_MS,
        ReviewPeriod::Month(_) => start_of_day_in_zone(&service.time_zone, period.last_day())? + 15 * HOUR_MS,
    })
}

/// Sets each service's cadence from the start of the history and records its reviews; how many.
pub async fn load(
    storage: &Storage,
    plans: &[Plan<'_>],
    themes: &[PracticeTheme],
    history_weeks: i64,
) -> Result<usize, StorageError> {
    let now = storage.now_ms();
    let system = Author::system("demonstration data");
    let mut recorded = 0;
    for plan in plans {
        let service = plan.service;
        let began = recheck_app::domain::check::date_in_zone(&service.time_zone, now - history_weeks * 7 * DAY_MS);
        storage.set_review_cadences(&Cadence::from_day(service.id, began), &system).await?;
        for (kind, by) in &plan.not_held {
            let stopped = recheck_app::domain::check::date_in_zone(&service.time_zone, now - 8 * 7 * DAY_MS);
            let cadence = Cadence {
                frequency: Frequency::NotHeld,
                since: Some(stopped),
                ..Cadence::default_for(service.id, *kind)
            };
            storage.set_review_cadences(&[cadence], by).await?;
        }
        let wall = wall_time_in_zone(&service.time_zone, now);
        for (kind, reviewers) in &plan.reviewers {
            if reviewers.is_empty() || plan.not_held.iter().any(|(stopped, _)| stopped == kind) {
                continue;
            }
            let missed = plan.missed.iter().find(|(missing, _)| missing == kind).map_or(&[][..], |(_, turns)| *turns);
            let frequency = kind.default_frequency();
            let Some(current) = ReviewPeriod::at(frequency, &service.shift_pattern, wall) else { continue };
            // Shift reviews for the last week; the others for the whole history.
            let earliest = match frequency {
                Frequency::EachShift => wall.date().plus_days(-frequency.look_back_days()),
                _ => began,
            };
            let mut period = current.previous(&service.shift_pattern);
            let mut turn = 0;
            while period.first_day() >= earliest {
                if !missed.contains(&turn)
                    && let Some(at) = written_at(service, period).filter(|at| *at < now)
                {
                    let (looked_at, findings, actions_taken) = wording(*kind, turn);
                    let check_ids = match kind {
                        ReviewKind::ShiftRecords | ReviewKind::WeeklyPractice | ReviewKind::AuditFindings => {
                            checks_in_period(storage, service, period)
                                .await?
                                .into_iter()
                                .take(6)
                                .map(|check| check.check.id)
                                .collect()
                        }
                        ReviewKind::SupervisionImpact | ReviewKind::ThemeGovernance => Vec::new(),
                    };
                    let theme_ids = match kind {
                        ReviewKind::ShiftRecords => Vec::new(),
                        _ => themes.iter().map(|theme| theme.id).collect(),
                    };
                    let review = Review {
                        id: Uuid::now_v7(),
                        service_id: service.id,
                        kind: *kind,
                        period: period.code(),
                        recorded_by: reviewers[turn % reviewers.len()].clone(),
                        recorded_at_ms: at,
                        looked_at: looked_at.into(),
                        findings: findings.into(),
                        actions_taken: actions_taken.into(),
                        check_ids,
                        theme_ids,
                    };
                    let summary = format!("{} review of {} at {}", kind.label(), period.in_words(), service.name);
                    storage.record_review(&review, &summary).await?;
                    recorded += 1;
                }
                period = period.previous(&service.shift_pattern);
                turn += 1;
            }
        }
    }
    Ok(recorded)
}
