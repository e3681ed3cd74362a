//! Who is who in the demonstration history: how well each member of staff usually does, where a
//! service is weaker, and the few people whose practice tells a story.

use super::history::{Chance, Scene, check_at, out_of_hours};
use recheck_app::domain::check::AcceptedCheck;
use recheck_app::domain::shift::ShiftKind;
use recheck_app::domain::theme::CheckKind;
use uuid::Uuid;

const DAY_MS: i64 = 24 * 3_600_000;
const WEEK_MS: i64 = 7 * DAY_MS;

/// How often a member of staff meets the standard on a criterion, in ordinary circumstances.
#[derive(Clone, Copy, Debug)]
pub struct StaffTrait(pub Chance);

/// Where a service's practice is weaker: on one theme, out of hours.
#[derive(Clone, Copy, Debug)]
pub struct Weakness {
    pub theme: CheckKind,
    /// Only at night (a supported living service's sleeping nights), rather than at any
    /// evening, night or weekend.
    pub nights_only: bool,
}

/// The people who record checks at a service.
pub struct Observers(pub Vec<(Uuid, Option<Uuid>)>);

impl Observers {
    /// Someone to observe `staff_id` who is not that person themself (a user may also be on the
    /// staff list).
    pub fn pick(&self, rng: &mut fastrand::Rng, staff_id: Uuid) -> Uuid {
        let others: Vec<Uuid> =
            self.0.iter().filter(|(_, as_staff)| *as_staff != Some(staff_id)).map(|(user, _)| *user).collect();
        others[rng.usize(..others.len())]
    }

    fn first_other_than(&self, staff_id: Uuid, coach: Uuid) -> Uuid {
        self.0
            .iter()
            .find(|(user, as_staff)| *as_staff != Some(staff_id) && *user != coach)
            .map_or(coach, |(user, _)| *user)
    }
}

/// Someone whose practice changes over the history.
#[derive(Clone, Copy, Debug)]
pub enum Story {
    /// Weak on the theme until coached `coached_weeks_ago`, then good and staying good.
    Improves { theme: CheckKind, coached_weeks_ago: i64 },
    /// Improves after coaching, then slips back on unannounced nights in the last weeks.
    Reverts { theme: CheckKind, coached_weeks_ago: i64, reverted_weeks_ago: i64 },
    /// Two weak checks in the last four weeks, and nothing done about it yet.
    RepeatedlyWeak { theme: CheckKind },
}

pub struct Cast {
    pub weakness: Weakness,
    pub stories: Vec<(Uuid, Story)>,
}

impl Cast {
    /// The chance that this check meets the standard.
    #[allow(clippy::too_many_arguments)]
    pub fn chance(
        &self,
        staff_id: Uuid,
        usual: StaffTrait,
        theme: CheckKind,
        shift: ShiftKind,
        weekend: bool,
        announced: bool,
        weeks_ago: i64,
    ) -> Chance {
        let mut chance = usual.0;
        // People do better when they know they are watched.
        chance += if announced { 0.08 } else { -0.1 };
        let weak_time =
            if self.weakness.nights_only { shift == ShiftKind::Night } else { out_of_hours(shift, weekend) };
        if theme == self.weakness.theme && weak_time {
            chance -= 0.3;
        }
        for (who, story) in &self.stories {
            if *who != staff_id {
                continue;
            }
            chance = match *story {
                Story::Improves { theme: story_theme, coached_weeks_ago } if story_theme == theme => {
                    if weeks_ago > coached_weeks_ago { 0.25 } else { 0.93 }
                }
                Story::Reverts { theme: story_theme, coached_weeks_ago, reverted_weeks_ago }
                    if story_theme == theme =>
                {
                    if weeks_ago > coached_weeks_ago {
                        0.4
                    } else if weeks_ago > reverted_weeks_ago || announced {
                        0.9
                    } else {
                        0.3
                    }
                }
                _ => chance,
            };
        }
        chance.clamp(0.02, 0.98)
    }

    /// The checks that make each story plain whatever the dice say: re-checks after coaching on
    /// different shifts, unannounced, by someone other than the coach; the weak ones after a
    /// reversion; the repeated weak checks.
    pub fn storyline_checks(&self, rng: &mut fastrand::Rng, scene: &Scene, now_ms: i64) -> Vec<(AcceptedCheck, i64)> {
        let mut checks = Vec::new();
        let shift_start = |kind: ShiftKind| {
            scene
                .service
                .shift_pattern
                .shifts()
                .iter()
                .find(|shift| shift.kind == kind)
                .map(|shift| i64::from(shift.start.minutes_after_midnight()) * 60_000)
        };
        for (staff_id, story) in &self.stories {
            if !scene.staff.iter().any(|(id, _)| id == staff_id) {
                continue;
            }
            let theme_of = |kind: CheckKind| scene.themes.iter().find(|theme| theme.kind == kind);
            // A moment `days_ago`, `hours` into the named shift (midnight UTC is close enough to
            // the service's midnight for choosing a shift).
            let moment = |days_ago: i64, kind: ShiftKind, hours: i64| {
                let midnight = (now_ms - days_ago * DAY_MS).div_euclid(DAY_MS) * DAY_MS;
                shift_start(kind).map(|start| midnight + start + hours * 3_600_000)
            };
            let coach = scene.observers.0[0].0;
            let someone_else = scene.observers.first_other_than(*staff_id, coach);
            let mut add = |rng: &mut fastrand::Rng, kind: CheckKind, at: Option<i64>, observer, announced, chance| {
                if let (Some(theme), Some(at)) = (theme_of(kind), at) {
                    let check = check_at(rng, scene.service, theme, *staff_id, observer, at, announced, chance);
                    // Drawn either way, so what follows does not depend on the hour it is made.
                    if at < now_ms - 3_600_000 {
                        checks.push((check, at + 20 * 60_000));
                    }
                }
            };
            let night = if shift_start(ShiftKind::Night).is_some() { ShiftKind::Night } else { ShiftKind::Late };
            let day = if shift_start(ShiftKind::Early).is_some() { ShiftKind::Early } else { ShiftKind::Day };
            match *story {
                Story::Improves { theme, coached_weeks_ago } => {
                    let coached = coached_weeks_ago * 7;
                    // The weak checks that raised the concern, then the coaching.
                    for (days_before, shift) in [(3, day), (10, day), (17, night), (24, day)] {
                        add(rng, theme, moment(coached + days_before, shift, 2), coach, days_before == 10, 0.15);
                    }
                    for (days_after, shift, announced) in
                        [(6, day, true), (19, night, false), (33, day, false), (47, night, false), (61, day, false)]
                    {
                        add(rng, theme, moment(coached - days_after, shift, 2), someone_else, announced, 0.97);
                    }
                }
                Story::Reverts { theme, coached_weeks_ago, reverted_weeks_ago } => {
                    let coached = coached_weeks_ago * 7;
                    add(rng, theme, moment(coached + 4, night, 3), coach, false, 0.25);
                    for days_after in [8, 22, 36] {
                        add(rng, theme, moment(coached - days_after, night, 2), someone_else, false, 0.95);
                    }
                    for days_ago in [reverted_weeks_ago * 7 - 2, 5] {
                        add(rng, theme, moment(days_ago, night, 4), someone_else, false, 0.1);
                    }
                }
                Story::RepeatedlyWeak { theme } => {
                    for days_ago in [19, 6] {
                        add(rng, theme, moment(days_ago, night, 3), someone_else, false, 0.1);
                    }
                }
            }
        }
        checks
    }
}

/// The week `at_ms` falls in, counted back from now (0 for this week).
pub fn weeks_ago(now_ms: i64, at_ms: i64) -> i64 {
    (now_ms - at_ms) / WEEK_MS
}
