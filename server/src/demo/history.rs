//! Six months of checks for the demonstration provider, so that a first run has something true
//! to show: most staff meet the standard most of the time; nights at Brookside and weekends at
//! Larch House are weaker on some themes; announced checks score better than unannounced ones
//! (the observer effect in `docs/domain.md`); Dorota Nowak improves after coaching and stays
//! improved; Isaac Mensah improves, then reverts on unannounced nights; Hana Kimura has had two
//! weak checks in the last four weeks. The same seed gives the same history every time.

use super::story::{Cast, Observers, StaffTrait};
use recheck_app::domain::check::{AcceptedCheck, Amendment, CheckDetails, Rating, SubmittedCheck, derive};
use recheck_app::domain::organisation::Service;
use recheck_app::domain::shift::ShiftKind;
use recheck_app::domain::theme::{CheckKind, PracticeTheme};
use uuid::Uuid;

/// How far back the demonstration history reaches.
pub const WEEKS: i64 = 26;
const DAY_MS: i64 = 24 * 3_600_000;
const WEEK_MS: i64 = 7 * DAY_MS;

/// A chance, 0 to 1, that a check meets the standard (every criterion rated 3 or 4).
pub type Chance = f64;

/// Everything a generated check needs to know of the provider.
pub struct Scene<'a> {
    pub service: &'a Service,
    pub themes: &'a [PracticeTheme],
    /// How often each theme is checked here, in the order of `themes`.
    pub theme_weights: &'a [u32],
    pub staff: &'a [(Uuid, StaffTrait)],
    pub observers: &'a Observers,
    /// Checks a week at this service.
    pub per_week: u32,
}

/// Makes one check of `member` on `theme` at `at_ms`, with its ratings drawn from `chance`.
#[allow(clippy::too_many_arguments)]
pub fn check_at(
    rng: &mut fastrand::Rng,
    service: &Service,
    theme: &PracticeTheme,
    staff_id: Uuid,
    observer_id: Uuid,
    at_ms: i64,
    announced: bool,
    chance: Chance,
) -> AcceptedCheck {
    // Whether the check meets the standard is drawn once: practice that falls short usually does
    // so on one or two criteria, not on every one.
    let meets = rng.f64() < chance;
    let mut short_on = if meets { 0 } else { 1 + usize::from(rng.f64() < 0.3) };
    let ratings: Vec<Rating> = theme
        .criteria
        .iter()
        .enumerate()
        .map(|(index, criterion)| {
            let remaining = theme.criteria.len() - index;
            let score = if short_on > 0 && (remaining <= short_on || rng.f64() < 0.5) {
                short_on -= 1;
                Some(if rng.f64() < 0.3 { 1 } else { 2 })
            } else if rng.f64() < 0.04 {
                // Now and then a criterion does not apply to what was seen.
                None
            } else {
                Some(if rng.f64() < 0.35 { 4 } else { 3 })
            };
            Rating { criterion_id: criterion.id, score }
        })
        .collect();
    let good_everywhere = meets;
    let check = SubmittedCheck {
        id: uuid_at(rng, at_ms),
        service_id: service.id,
        staff_id,
        theme_id: theme.id,
        observed_at: jiff::Timestamp::from_millisecond(at_ms).expect("a time in range").to_string(),
        announced,
        shift: None,
        weekend: None,
        ratings,
        details: details(rng, theme.kind, good_everywhere),
        amends: None,
        theme_version: Some(theme.version),
    };
    derive(&check, service, observer_id, theme.version).expect("the demonstration's services place every moment")
}

/// A UUIDv7 for a moment in the past, so that ids sort in the order checks were made.
fn uuid_at(rng: &mut fastrand::Rng, at_ms: i64) -> Uuid {
    let millis = u64::try_from(at_ms).unwrap_or_default();
    let mut random = [0u8; 10];
    rng.fill(&mut random);
    uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid()
}

fn details(rng: &mut fastrand::Rng, kind: CheckKind, good: bool) -> CheckDetails {
    let pick = |rng: &mut fastrand::Rng, options: &[&str]| options[rng.usize(..options.len())].to_owned();
    match kind {
        CheckKind::Observation if good => CheckDetails::Observation {
            examples: pick(
                rng,
                &[
                    "Knocked, waited to be asked in, and explained each step before starting.",
                    "Offered two outfits and waited for an answer; kept the door closed throughout.",
                    "Unhurried; checked the water temperature with the person before washing.",
                ],
            ),
            person_response: pick(
                rng,
                &["Relaxed and chatty.", "Smiled and chose the blue jumper.", "Calm throughout."],
            ),
            feedback_given: true,
            feedback: "Praised the pace and the choices offered.".into(),
        },
        CheckKind::Observation => CheckDetails::Observation {
            examples: pick(
                rng,
                &[
                    "Started washing before saying what was happening; no choice of clothes offered.",
                    "Talked over the person to a colleague; rushed the last part.",
                    "Door left open while helping with dressing.",
                ],
            ),
            person_response: pick(rng, &["Looked away and went quiet.", "Said “slow down, love”.", "Tense."]),
            feedback_given: true,
            feedback: "Talked through pace and offering a choice at each step.".into(),
        },
        CheckKind::RecordSample => {
            let sampled = 10;
            let clear = if good { 8 + rng.u32(..3) } else { 3 + rng.u32(..4) };
            CheckDetails::RecordSample {
                notes_sampled: sampled,
                notes_clear: clear,
                notes_vague: sampled - clear,
                alignment: if good {
                    "Matched the care logged on the rota.".into()
                } else {
                    "Two notes describe care not on the rota.".into()
                },
                examples: if good {
                    String::new()
                } else {
                    "“Settled day” with no detail of what was done.".into()
                },
            }
        }
        CheckKind::DistressEpisode => CheckDetails::DistressEpisode {
            trigger: pick(rng, &["Noise at teatime.", "A change of staff at handover.", "Waiting for a phone call."]),
            agreed_approach_used: good,
            de_escalation_language: if good {
                "Low, slow voice; offered the quiet lounge.".into()
            } else {
                "Raised voice; told to calm down.".into()
            },
            outcome: if good {
                "Settled within ten minutes.".into()
            } else {
                "Distress lasted most of an hour.".into()
            },
        },
    }
}

/// When in the service's week a check falls: a day, then a time inside one of its shifts, away
/// from the handovers.
fn moment_in_week(rng: &mut fastrand::Rng, scene: &Scene, week_start_ms: i64) -> i64 {
    let shifts = scene.service.shift_pattern.shifts();
    // Fewer people are about to observe at night.
    let mut shift = &shifts[rng.usize(..shifts.len())];
    if shift.kind == recheck_app::domain::shift::ShiftKind::Night && rng.f64() < 0.4 {
        shift = &shifts[rng.usize(..shifts.len())];
    }
    let start = i64::from(shift.start.minutes_after_midnight());
    let mut length = i64::from(shift.end.minutes_after_midnight()) - start;
    if length <= 0 {
        length += 24 * 60;
    }
    let minutes = start + 30 + rng.i64(0..(length - 60).max(1));
    // The demonstration's services are in Europe/London: an hour either way does not move a
    // check out of its shift, which is all this needs.
    week_start_ms + rng.i64(0..7) * DAY_MS + minutes * 60_000
}

/// `weeks` of history for one service up to `now_ms`, oldest first, each check with when it
/// reached the server (a few minutes to an hour later), and a few corrections among them.
pub fn service_history(
    rng: &mut fastrand::Rng,
    scene: &Scene,
    cast: &Cast,
    now_ms: i64,
    weeks: i64,
) -> Vec<(AcceptedCheck, i64)> {
    // Weeks start on Mondays, so each check falls on the same weekday and shift whatever the day
    // the history is made; only the current week stops at now.
    let days_since_monday = (now_ms.div_euclid(DAY_MS) + 3).rem_euclid(7);
    let this_monday = (now_ms.div_euclid(DAY_MS) - days_since_monday) * DAY_MS;
    let first_week = this_monday - (weeks - 1) * WEEK_MS;
    let total_weight: u32 = scene.theme_weights.iter().sum();
    let mut history = Vec::new();
    for week in 0..weeks {
        let week_start = first_week + week * WEEK_MS;
        for _ in 0..scene.per_week {
            let at = moment_in_week(rng, scene, week_start);
            let mut pick = rng.u32(..total_weight);
            let theme_index = scene.theme_weights.iter().position(|weight| {
                if pick < *weight {
                    true
                } else {
                    pick -= weight;
                    false
                }
            });
            let theme = &scene.themes[theme_index.unwrap_or(0)];
            let (staff_id, trait_) = scene.staff[rng.usize(..scene.staff.len())];
            let announced = rng.f64() < 0.4;
            let shift = recheck_app::domain::check::place_in_zone(
                &scene.service.shift_pattern,
                &scene.service.time_zone,
                jiff::Timestamp::from_millisecond(at).expect("a time in range"),
            )
            .expect("a valid zone");
            let weeks_ago = super::story::weeks_ago(now_ms, at);
            let chance = cast.chance(staff_id, trait_, theme.kind, shift.kind, shift.weekend, announced, weeks_ago);
            let observer = scene.observers.pick(rng, staff_id);
            let check = check_at(rng, scene.service, theme, staff_id, observer, at, announced, chance);
            let received = at + 60_000 * (5 + rng.i64(0..55));
            // Drawn whether or not it is kept, so that what follows is the same whenever the
            // history is made; only checks made before now are kept.
            if at < now_ms - 3_600_000 {
                history.push((check, received));
            }
        }
    }
    history.extend(cast.storyline_checks(rng, scene, now_ms));
    history.sort_by_key(|(check, _)| check.observed_at_ms);
    add_corrections(rng, &mut history);
    history
}

/// A few checks put right the same day: a slip on the tablet, caught on reading it back.
fn add_corrections(rng: &mut fastrand::Rng, history: &mut Vec<(AcceptedCheck, i64)>) {
    let mut corrections = Vec::new();
    for (original, received) in history.iter().step_by(97).take(4) {
        let mut corrected = original.clone();
        corrected.check.id = uuid_at(rng, original.observed_at_ms + 1);
        if let Some(first) = corrected.check.ratings.iter_mut().find(|rating| rating.score.is_some()) {
            first.score = first.score.map(|score| if score >= 3 { 2 } else { 3 });
        }
        corrected.check.amends = Some(Amendment {
            check_id: original.check.id,
            reason: "Tapped the wrong rating for the first criterion; corrected on reading it back.".into(),
        });
        corrected.assessment = recheck_app::domain::check::assess(&corrected.check.ratings, None);
        corrections.push((corrected, received + 2 * 3_600_000));
    }
    history.extend(corrections);
}

/// Whether a shift counts as an evening, night or weekend one for the weaker themes.
pub fn out_of_hours(shift: ShiftKind, weekend: bool) -> bool {
    weekend || matches!(shift, ShiftKind::Night | ShiftKind::Late)
}
