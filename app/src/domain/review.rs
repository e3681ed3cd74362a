//! The review cadence (`docs/domain.md` §8): who reviews what, how often, and which reviews are
//! due or overdue. A review is a record (what was looked at, what was found, what was done, and
//! the checks and trends it covered) kept against the period it reviews: a shift, a day, an ISO
//! week or a calendar month on the service's own calendar.

use super::access::Role;
use super::shift::{ShiftKind, ShiftOccurrence, ShiftPattern};
use super::wall_clock::{CalendarDate, WallTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The reviews of `docs/domain.md` §8 ("The review cadence"), each with the role it falls to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ReviewKind {
    /// The shift leader's review of the shift's care records and distress episodes.
    ShiftRecords,
    /// The team leader's review of practice across the week's checks.
    WeeklyPractice,
    /// The deputy or registered manager's review of audit findings.
    AuditFindings,
    /// The deputy or registered manager's review of what supervision and coaching changed.
    SupervisionImpact,
    /// Provider governance's review of the practice themes.
    ThemeGovernance,
}

impl ReviewKind {
    pub const ALL: [ReviewKind; 5] = [
        ReviewKind::ShiftRecords,
        ReviewKind::WeeklyPractice,
        ReviewKind::AuditFindings,
        ReviewKind::SupervisionImpact,
        ReviewKind::ThemeGovernance,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReviewKind::ShiftRecords => "shift-records",
            ReviewKind::WeeklyPractice => "weekly-practice",
            ReviewKind::AuditFindings => "audit-findings",
            ReviewKind::SupervisionImpact => "supervision-impact",
            ReviewKind::ThemeGovernance => "theme-governance",
        }
    }

    pub fn from_code(code: &str) -> Option<ReviewKind> {
        ReviewKind::ALL.into_iter().find(|kind| kind.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            ReviewKind::ShiftRecords => "Records and distress episodes",
            ReviewKind::WeeklyPractice => "Practice review",
            ReviewKind::AuditFindings => "Audit findings",
            ReviewKind::SupervisionImpact => "Effect of supervision",
            ReviewKind::ThemeGovernance => "Practice themes (governance)",
        }
    }

    /// What the review looks at, as the form prompts for it.
    pub fn looks_at(self) -> &'static str {
        match self {
            ReviewKind::ShiftRecords => "The shift's care records and any distress episodes, and how staff responded.",
            ReviewKind::WeeklyPractice => "The week's spot checks: who was weak on what, and what was good.",
            ReviewKind::AuditFindings => "The week's audit findings and the checks behind them.",
            ReviewKind::SupervisionImpact => {
                "Whether the month's supervision, coaching and briefings changed practice, from the re-checks."
            }
            ReviewKind::ThemeGovernance => "Each practice theme's trend, the cycles opened and closed, and warnings.",
        }
    }

    /// An example of what it looked at, for the form's hint.
    pub fn example(self) -> &'static str {
        match self {
            ReviewKind::ShiftRecords => "For example: the shift's 12 care records and the distress episode at teatime.",
            ReviewKind::WeeklyPractice => "For example: the week's 16 spot checks, by shift.",
            ReviewKind::AuditFindings => "For example: this week's care plan audit, and the checks behind it.",
            ReviewKind::SupervisionImpact => "For example: the month's 4 supervisions, and the re-checks after them.",
            ReviewKind::ThemeGovernance => {
                "For example: each theme's chart, the cycles opened and closed, the warnings."
            }
        }
    }

    /// The roles the review falls to; any of them may record it.
    pub fn roles(self) -> &'static [Role] {
        match self {
            ReviewKind::ShiftRecords => &[Role::ShiftLeader],
            ReviewKind::WeeklyPractice => &[Role::TeamLeader],
            ReviewKind::AuditFindings | ReviewKind::SupervisionImpact => {
                &[Role::DeputyManager, Role::RegisteredManager]
            }
            ReviewKind::ThemeGovernance => &[Role::QualityLead],
        }
    }

    /// The roles it falls to, in words: "deputy managers or registered managers".
    pub fn falls_to(self) -> String {
        let roles: Vec<String> = self.roles().iter().map(|role| format!("{}s", role.label().to_lowercase())).collect();
        roles.join(" or ")
    }

    /// How often it is usually due (`docs/domain.md` §8).
    pub fn default_frequency(self) -> Frequency {
        match self {
            ReviewKind::ShiftRecords => Frequency::EachShift,
            ReviewKind::WeeklyPractice | ReviewKind::AuditFindings => Frequency::Weekly,
            ReviewKind::SupervisionImpact | ReviewKind::ThemeGovernance => Frequency::Monthly,
        }
    }
}

/// How often a review is due at a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Frequency {
    EachShift,
    Daily,
    Weekly,
    Monthly,
    /// The service does not hold this review (a home care branch has no shift handovers).
    NotHeld,
}

impl Frequency {
    pub const ALL: [Frequency; 5] =
        [Frequency::EachShift, Frequency::Daily, Frequency::Weekly, Frequency::Monthly, Frequency::NotHeld];

    pub fn code(self) -> &'static str {
        match self {
            Frequency::EachShift => "each-shift",
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
            Frequency::NotHeld => "not-held",
        }
    }

    pub fn from_code(code: &str) -> Option<Frequency> {
        Frequency::ALL.into_iter().find(|frequency| frequency.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Frequency::EachShift => "Each shift",
            Frequency::Daily => "Daily",
            Frequency::Weekly => "Weekly",
            Frequency::Monthly => "Monthly",
            Frequency::NotHeld => "Not held here",
        }
    }

    /// How far back a missed review is still a task: a week of shifts or days, four weeks,
    /// three months. Older gaps are history, which the records keep.
    pub fn look_back_days(self) -> i64 {
        match self {
            Frequency::EachShift | Frequency::Daily => 7,
            Frequency::Weekly => 28,
            Frequency::Monthly | Frequency::NotHeld => 92,
        }
    }
}

/// A service's cadence for one kind of review: how often, and since when, so that a change
/// never makes the periods before it overdue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Cadence {
    pub service_id: Uuid,
    pub kind: ReviewKind,
    pub frequency: Frequency,
    /// The day on the service's calendar from which it applies; `None` for the default, which
    /// has always applied.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, example = "2026-12-03"))]
    pub since: Option<CalendarDate>,
}

impl Cadence {
    /// The usual cadence for `kind`, where the service has not changed it.
    pub fn default_for(service_id: Uuid, kind: ReviewKind) -> Cadence {
        Cadence { service_id, kind, frequency: kind.default_frequency(), since: None }
    }

    /// The usual cadence of every kind, applying from `day`: a service's when it is added,
    /// so that nothing is overdue from before it was.
    pub fn from_day(service_id: Uuid, day: CalendarDate) -> Vec<Cadence> {
        ReviewKind::ALL
            .into_iter()
            .map(|kind| Cadence { since: Some(day), ..Cadence::default_for(service_id, kind) })
            .collect()
    }

    /// `service_id`'s cadence of every kind: the ones it has set, the usual one for the rest.
    pub fn of_service(service_id: Uuid, set: &[Cadence]) -> Vec<Cadence> {
        ReviewKind::ALL
            .into_iter()
            .map(|kind| {
                set.iter()
                    .find(|cadence| cadence.service_id == service_id && cadence.kind == kind)
                    .cloned()
                    .unwrap_or_else(|| Cadence::default_for(service_id, kind))
            })
            .collect()
    }
}

/// The stretch of time one review covers, on the service's calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReviewPeriod {
    Shift(ShiftOccurrence),
    Day(CalendarDate),
    /// The ISO week starting on this Monday.
    Week(CalendarDate),
    /// The calendar month starting on this first day.
    Month(CalendarDate),
}

impl ReviewPeriod {
    /// The period of `frequency` that `now` (the service's wall clock) falls in; none for a
    /// review the service does not hold.
    pub fn at(frequency: Frequency, pattern: &ShiftPattern, now: WallTime) -> Option<ReviewPeriod> {
        let day = now.date();
        match frequency {
            Frequency::EachShift => Some(ReviewPeriod::Shift(pattern.occurrence(day, now.clock_time()))),
            Frequency::Daily => Some(ReviewPeriod::Day(day)),
            Frequency::Weekly => Some(ReviewPeriod::Week(day.monday())),
            Frequency::Monthly => {
                let (year, month, _) = day.parts();
                CalendarDate::from_parts(year, month, 1).map(ReviewPeriod::Month)
            }
            Frequency::NotHeld => None,
        }
    }

    /// The period just before this one.
    pub fn previous(self, pattern: &ShiftPattern) -> ReviewPeriod {
        match self {
            ReviewPeriod::Shift(occurrence) => ReviewPeriod::Shift(pattern.previous_occurrence(occurrence)),
            ReviewPeriod::Day(day) => ReviewPeriod::Day(day.plus_days(-1)),
            ReviewPeriod::Week(monday) => ReviewPeriod::Week(monday.plus_days(-7)),
            ReviewPeriod::Month(first) => {
                let (year, month, _) = first.plus_days(-1).parts();
                ReviewPeriod::Month(CalendarDate::from_parts(year, month, 1).expect("the first of a month exists"))
            }
        }
    }

    /// The day the period begins.
    pub fn first_day(self) -> CalendarDate {
        match self {
            ReviewPeriod::Shift(occurrence) => occurrence.began_on,
            ReviewPeriod::Day(day) | ReviewPeriod::Week(day) | ReviewPeriod::Month(day) => day,
        }
    }

    /// The last day of the period: a shift belongs to the day it began.
    pub fn last_day(self) -> CalendarDate {
        match self {
            ReviewPeriod::Shift(occurrence) => occurrence.began_on,
            ReviewPeriod::Day(day) => day,
            ReviewPeriod::Week(monday) => monday.plus_days(6),
            ReviewPeriod::Month(first) => {
                let (year, month, _) = first.parts();
                let (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
                CalendarDate::from_parts(year, month, 1).expect("the first of a month exists").plus_days(-1)
            }
        }
    }

    /// Whether `moment` (the service's wall clock) falls in this period.
    pub fn contains(self, pattern: &ShiftPattern, moment: WallTime) -> bool {
        let frequency = match self {
            ReviewPeriod::Shift(_) => Frequency::EachShift,
            ReviewPeriod::Day(_) => Frequency::Daily,
            ReviewPeriod::Week(_) => Frequency::Weekly,
            ReviewPeriod::Month(_) => Frequency::Monthly,
        };
        ReviewPeriod::at(frequency, pattern, moment) == Some(self)
    }

    /// The name a review is kept against, which sorts in time order within one frequency:
    /// `2026-12-03.late`, `2026-12-03`, `2026-W49`, `2026-12`.
    pub fn code(self) -> String {
        match self {
            ReviewPeriod::Shift(occurrence) => format!("{}.{}", occurrence.began_on, occurrence.kind.code()),
            ReviewPeriod::Day(day) => day.to_string(),
            ReviewPeriod::Week(monday) => {
                let (year, week) = monday.iso_week();
                format!("{year:04}-W{week:02}")
            }
            ReviewPeriod::Month(first) => {
                let (year, month, _) = first.parts();
                format!("{year:04}-{month:02}")
            }
        }
    }

    /// Reads a name that [`ReviewPeriod::code`] wrote.
    pub fn parse(code: &str) -> Option<ReviewPeriod> {
        let code = code.trim();
        if let Some((day, kind)) = code.split_once('.') {
            let occurrence = ShiftOccurrence { began_on: CalendarDate::parse(day)?, kind: ShiftKind::from_code(kind)? };
            return Some(ReviewPeriod::Shift(occurrence));
        }
        if let Some((year, week)) = code.split_once("-W") {
            let (year, week): (i32, u8) = (year.parse().ok()?, week.parse().ok()?);
            // The Monday of week 1 is the Monday of the week holding 4 January.
            let first_monday = CalendarDate::from_parts(year, 1, 4)?.monday();
            let monday = first_monday.plus_days(7 * (i64::from(week) - 1));
            return (week >= 1 && monday.iso_week() == (year, week)).then_some(ReviewPeriod::Week(monday));
        }
        if code.len() == 7 {
            let (year, month) = code.split_once('-')?;
            return CalendarDate::from_parts(year.parse().ok()?, month.parse().ok()?, 1).map(ReviewPeriod::Month);
        }
        CalendarDate::parse(code).map(ReviewPeriod::Day)
    }

    /// The period as people read it: "Late shift, 3 December 2026", "Week of 30 November 2026",
    /// "December 2026".
    pub fn in_words(self) -> String {
        match self {
            ReviewPeriod::Shift(occurrence) => {
                format!("{} shift, {}", occurrence.kind.label(), occurrence.began_on.in_words())
            }
            ReviewPeriod::Day(day) => day.in_words(),
            ReviewPeriod::Week(monday) => format!("Week of {}", monday.in_words()),
            ReviewPeriod::Month(first) => {
                first.in_words().split_once(' ').map(|(_, month)| month.to_owned()).unwrap_or_default()
            }
        }
    }
}

/// Where one kind of review stands at a service now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewStatus {
    pub cadence: Cadence,
    /// The period now falls in, unless the service does not hold this review.
    pub current: Option<ReviewPeriod>,
    /// Whether a review has been recorded for the current period.
    pub current_done: bool,
    /// Earlier periods that ended without a review, newest first.
    pub overdue: Vec<ReviewPeriod>,
}

impl ReviewStatus {
    /// The periods a review may be recorded for now: those overdue, oldest first, then the
    /// current one.
    pub fn open_periods(&self) -> Vec<ReviewPeriod> {
        let mut periods: Vec<ReviewPeriod> = self.overdue.iter().rev().copied().collect();
        periods.extend(self.current);
        periods
    }

    /// Nothing due now and nothing missed.
    pub fn is_up_to_date(&self) -> bool {
        self.overdue.is_empty() && (self.current.is_none() || self.current_done)
    }
}

/// Where a review stands: it is **due** for the period now falls in until one is recorded for
/// that period, and **overdue** for each earlier period that ended without one and has a day
/// within its look-back (a week for shift and daily reviews, four weeks for weekly, three months
/// for monthly) and on or after the day the cadence was set. `done` names the periods reviews
/// were recorded for (as [`ReviewPeriod::code`] writes them); `now` is the service's wall clock.
pub fn review_status(cadence: &Cadence, pattern: &ShiftPattern, now: WallTime, done: &[String]) -> ReviewStatus {
    let is_done = |period: ReviewPeriod| done.contains(&period.code());
    let current = ReviewPeriod::at(cadence.frequency, pattern, now);
    let mut overdue = Vec::new();
    if let Some(current) = current {
        let earliest = now.date().plus_days(-cadence.frequency.look_back_days());
        let earliest = cadence.since.map_or(earliest, |since| since.max(earliest));
        let mut period = current.previous(pattern);
        while period.last_day() >= earliest {
            if !is_done(period) {
                overdue.push(period);
            }
            period = period.previous(pattern);
        }
    }
    ReviewStatus { cadence: cadence.clone(), current, current_done: current.is_some_and(is_done), overdue }
}

/// A recorded review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Review {
    pub id: Uuid,
    pub service_id: Uuid,
    pub kind: ReviewKind,
    /// The period it reviews, as [`ReviewPeriod::code`] names it: `2026-W49`.
    pub period: String,
    pub recorded_by: super::audit::Author,
    pub recorded_at_ms: i64,
    pub looked_at: String,
    pub findings: String,
    pub actions_taken: String,
    /// The checks it covered.
    pub check_ids: Vec<Uuid>,
    /// The practice themes whose trends it covered.
    pub theme_ids: Vec<Uuid>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::shift::{ClockTime, Shift};

    fn date(text: &str) -> CalendarDate {
        CalendarDate::parse(text).unwrap()
    }

    fn at(text: &str) -> WallTime {
        WallTime::parse(text).unwrap()
    }

    fn cadence(frequency: Frequency) -> Cadence {
        Cadence { service_id: Uuid::nil(), kind: ReviewKind::WeeklyPractice, frequency, since: None }
    }

    fn codes(periods: &[ReviewPeriod]) -> Vec<String> {
        periods.iter().map(|period| period.code()).collect()
    }

    fn twelve_hour_pattern() -> ShiftPattern {
        let time = |text| ClockTime::parse(text).unwrap();
        ShiftPattern::new(
            vec![
                Shift { kind: ShiftKind::Day, start: time("08:00"), end: time("20:00") },
                Shift { kind: ShiftKind::Night, start: time("20:00"), end: time("08:00") },
            ],
            vec![],
        )
        .unwrap()
    }

    #[test]
    fn a_night_shift_is_the_period_of_the_day_it_began() {
        let pattern = ShiftPattern::care_home_default();
        let period = ReviewPeriod::at(Frequency::EachShift, &pattern, at("2026-12-03T03:00")).unwrap();
        assert_eq!(period.code(), "2026-12-02.night");
        assert_eq!(period.in_words(), "Night shift, 2 December 2026");
        assert!(period.contains(&pattern, at("2026-12-02T22:00")));
        assert!(!period.contains(&pattern, at("2026-12-03T08:00")));
        // In the handover the shift that began most recently has the floor.
        let handover = ReviewPeriod::at(Frequency::EachShift, &pattern, at("2026-12-03T14:15")).unwrap();
        assert_eq!(handover.code(), "2026-12-03.late");
    }

    #[test]
    fn the_shift_before_the_first_of_the_day_is_yesterdays_last() {
        let pattern = ShiftPattern::care_home_default();
        let early = ReviewPeriod::at(Frequency::EachShift, &pattern, at("2026-12-03T09:00")).unwrap();
        assert_eq!(early.previous(&pattern).code(), "2026-12-02.night");
        assert_eq!(early.previous(&pattern).previous(&pattern).code(), "2026-12-02.late");
        let pattern = twelve_hour_pattern();
        let day = ReviewPeriod::at(Frequency::EachShift, &pattern, at("2026-12-03T09:00")).unwrap();
        assert_eq!(codes(&[day, day.previous(&pattern)]), ["2026-12-03.day", "2026-12-02.night"]);
    }

    #[test]
    fn weeks_months_and_days_follow_the_calendar() {
        let pattern = ShiftPattern::care_home_default();
        let now = at("2026-12-03T10:00");
        let period = |frequency| ReviewPeriod::at(frequency, &pattern, now).unwrap();
        assert_eq!(period(Frequency::Daily).code(), "2026-12-03");
        assert_eq!(period(Frequency::Weekly).code(), "2026-W49");
        assert_eq!(period(Frequency::Weekly).in_words(), "Week of 30 November 2026");
        assert_eq!(period(Frequency::Monthly).code(), "2026-12");
        assert_eq!(period(Frequency::Monthly).in_words(), "December 2026");
        assert_eq!(period(Frequency::Monthly).previous(&pattern).code(), "2026-11");
        let january = ReviewPeriod::Month(date("2027-01-01"));
        assert_eq!(january.previous(&pattern).code(), "2026-12");
        assert_eq!(ReviewPeriod::Week(date("2027-01-04")).previous(&pattern).code(), "2026-W53");
        assert_eq!(ReviewPeriod::at(Frequency::NotHeld, &pattern, now), None);
        assert_eq!(period(Frequency::Weekly).last_day(), date("2026-12-06"));
        assert_eq!(period(Frequency::Monthly).last_day(), date("2026-12-31"));
        assert_eq!(ReviewPeriod::Month(date("2028-02-01")).last_day(), date("2028-02-29"));
        assert_eq!(period(Frequency::EachShift).last_day(), date("2026-12-03"));
    }

    #[test]
    fn period_names_read_back() {
        for code in ["2026-12-02.night", "2026-12-03", "2026-W49", "2026-W53", "2025-W01", "2026-12"] {
            assert_eq!(ReviewPeriod::parse(code).map(ReviewPeriod::code).as_deref(), Some(code));
        }
        assert_eq!(ReviewPeriod::parse("2025-W01"), Some(ReviewPeriod::Week(date("2024-12-30"))));
        for nonsense in ["", "2026-W54", "2027-W53", "2026-W00", "2026-13", "2026-12-32", "2026-12-03.tea", "soon"] {
            assert_eq!(ReviewPeriod::parse(nonsense), None, "{nonsense}");
        }
    }

    #[test]
    fn a_review_is_due_until_recorded_for_the_period() {
        let pattern = ShiftPattern::care_home_default();
        let weekly = cadence(Frequency::Weekly);
        let now = at("2026-12-03T10:00");
        let done = ["2026-W48".to_owned(), "2026-W47".to_owned(), "2026-W46".to_owned(), "2026-W45".to_owned()];
        let status = review_status(&weekly, &pattern, now, &done);
        assert_eq!(status.current.map(ReviewPeriod::code).as_deref(), Some("2026-W49"));
        assert!(!status.current_done);
        assert!(status.overdue.is_empty());
        assert!(!status.is_up_to_date());
        let mut with_this_week = done.to_vec();
        with_this_week.push("2026-W49".to_owned());
        let status = review_status(&weekly, &pattern, now, &with_this_week);
        assert!(status.current_done && status.is_up_to_date());
    }

    #[test]
    fn missed_periods_within_the_look_back_are_overdue_newest_first() {
        let pattern = ShiftPattern::care_home_default();
        let now = at("2026-12-03T10:00");
        let status = review_status(&cadence(Frequency::Weekly), &pattern, now, &["2026-W47".to_owned()]);
        // Four weeks back from 3 December is 5 November: the weeks ending 8, 15, 22 and 29 November.
        assert_eq!(codes(&status.overdue), ["2026-W48", "2026-W46", "2026-W45"]);
        assert_eq!(codes(&status.open_periods()), ["2026-W45", "2026-W46", "2026-W48", "2026-W49"]);
        // The same on any day of the week: a missed week stays overdue for four weeks after it ends.
        let monday = review_status(&cadence(Frequency::Weekly), &pattern, at("2026-11-30T10:00"), &[]);
        assert_eq!(codes(&monday.overdue), ["2026-W48", "2026-W47", "2026-W46", "2026-W45"]);
        let monthly = review_status(&cadence(Frequency::Monthly), &pattern, now, &[]);
        assert_eq!(codes(&monthly.overdue), ["2026-11", "2026-10", "2026-09"]);
        let daily = review_status(&cadence(Frequency::Daily), &pattern, now, &[]);
        assert_eq!(daily.overdue.len(), 7);
        let shifts = review_status(&cadence(Frequency::EachShift), &pattern, now, &["2026-12-02.night".to_owned()]);
        assert_eq!(shifts.overdue.first().map(|period| period.code()).as_deref(), Some("2026-12-02.late"));
        // The early shift of 26 November back to this morning's: 7 days of 3 shifts, less the one done.
        assert_eq!(shifts.overdue.len(), 7 * 3 - 1);
    }

    #[test]
    fn periods_before_the_cadence_was_set_are_never_overdue() {
        let pattern = ShiftPattern::care_home_default();
        let now = at("2026-12-03T10:00");
        let set_yesterday = Cadence { since: Some(date("2026-12-02")), ..cadence(Frequency::Daily) };
        let status = review_status(&set_yesterday, &pattern, now, &[]);
        assert_eq!(codes(&status.overdue), ["2026-12-02"]);
        let set_today = Cadence { since: Some(date("2026-12-03")), ..cadence(Frequency::Weekly) };
        assert!(review_status(&set_today, &pattern, now, &[]).overdue.is_empty());
        // A month that was under way when the cadence was set is overdue once it ends.
        let set_on_the_second = Cadence { since: Some(date("2026-12-02")), ..cadence(Frequency::Monthly) };
        let january = review_status(&set_on_the_second, &pattern, at("2027-01-05T09:00"), &[]);
        assert_eq!(codes(&january.overdue), ["2026-12"]);
    }

    #[test]
    fn a_review_not_held_is_never_due() {
        let pattern = ShiftPattern::care_home_default();
        let status = review_status(&cadence(Frequency::NotHeld), &pattern, at("2026-12-03T10:00"), &[]);
        assert_eq!((status.current, status.overdue.len()), (None, 0));
        assert!(status.is_up_to_date());
        assert!(status.open_periods().is_empty());
    }

    #[test]
    fn each_review_falls_to_the_roles_the_domain_names() {
        assert_eq!(ReviewKind::ShiftRecords.falls_to(), "shift leaders");
        assert_eq!(ReviewKind::AuditFindings.falls_to(), "deputy managers or registered managers");
        assert_eq!(ReviewKind::ThemeGovernance.roles(), [Role::QualityLead]);
        for kind in ReviewKind::ALL {
            assert_eq!(ReviewKind::from_code(kind.code()), Some(kind));
        }
        for frequency in Frequency::ALL {
            assert_eq!(Frequency::from_code(frequency.code()), Some(frequency));
        }
        let set =
            [Cadence { frequency: Frequency::Daily, ..Cadence::default_for(Uuid::nil(), ReviewKind::ShiftRecords) }];
        let cadences = Cadence::of_service(Uuid::nil(), &set);
        assert_eq!(cadences.len(), 5);
        assert_eq!(cadences[0].frequency, Frequency::Daily);
        assert_eq!(cadences[1].frequency, Frequency::Weekly);
        assert!(
            Cadence::of_service(Uuid::from_u128(7), &set).iter().all(|c| c.frequency == c.kind.default_frequency())
        );
    }
}
