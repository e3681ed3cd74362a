//! Spot checks: what a shift leader records about one staff member's practice against one
//! practice theme, and the rules a check must meet before the server keeps it. A check is made on
//! the device (with its own UUIDv7) and may reach the server much later, so every rule here is
//! about the check itself and the reference data it names, never about when it arrived.

use super::access::Actor;
use super::organisation::{Service, StaffMember};
use super::shift::ShiftKind;
use super::theme::{CheckKind, Criterion, PracticeTheme, ThemeVersion};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A device clock may run this far ahead of the server's.
pub const MAX_CLOCK_SKEW_MS: i64 = 10 * 60 * 1000;
/// A check older than this is a mistake (a device with a wrong date), not a late sync.
pub const MAX_CHECK_AGE_DAYS: i64 = 366;
/// The free-text fields' limit, as for other paragraphs.
pub const MAX_CHECK_TEXT_CHARS: usize = 4_000;
/// Notes a record sample can reasonably cover.
pub const MAX_NOTES_SAMPLED: u32 = 1_000;

/// One criterion's rating: 1 to 4 on CQC's scale, or `None` when it did not apply (N/A).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Rating {
    pub criterion_id: Uuid,
    #[cfg_attr(feature = "ssr", schema(minimum = 1, maximum = 4))]
    pub score: Option<u8>,
}

/// What a check's ratings say about practice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Assessment {
    /// At least one criterion was rated, and every rated one was 3 or 4.
    pub meets_standard: bool,
    /// At least one rated criterion was 1 or 2.
    pub weak: bool,
}

impl Assessment {
    /// The assessment in words, for the person who just recorded the check.
    pub fn in_words(self) -> &'static str {
        match (self.meets_standard, self.weak) {
            (true, _) => "It meets the standard.",
            (false, true) => "It falls short of the standard.",
            (false, false) => "Nothing in it was rated against the standard.",
        }
    }
}

/// Judges ratings against the standard (`docs/domain.md`, "Checks as evidence"): a check
/// **meets the standard** when every rated criterion is 3 (good) or 4 (exceptional) and at least
/// one criterion was rated; it is **weak** when any rated criterion is 1 (significant shortfalls)
/// or 2 (some shortfalls). N/A counts for neither, so a check rated N/A throughout is neither.
/// `focus` narrows the judgement to an improvement cycle's focus criteria; `None` judges every
/// criterion. Scores are compared with the standard, never averaged.
pub fn assess(ratings: &[Rating], focus: Option<&[Uuid]>) -> Assessment {
    let mut scores = ratings
        .iter()
        .filter(|rating| focus.is_none_or(|focus| focus.contains(&rating.criterion_id)))
        .filter_map(|rating| rating.score)
        .peekable();
    if scores.peek().is_none() {
        return Assessment::default();
    }
    let (mut below, mut at_or_above) = (false, false);
    for score in scores {
        if score >= 3 {
            at_or_above = true;
        } else {
            below = true;
        }
    }
    Assessment { meets_standard: at_or_above && !below, weak: below }
}

/// Where a check falls in its service's calendar, by the service's own wall clock: the figures
/// per day, week and month are counted by these.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LocalCalendar {
    /// `2026-11-26`
    pub local_date: String,
    /// The ISO 8601 week, `2026-W48` (weeks start on Monday; week 1 holds the year's first Thursday).
    pub iso_week: String,
    /// `2026-11`
    pub month: String,
}

impl LocalCalendar {
    /// The name of the `period` this falls in: `2026-W48` or `2026-11`. Names of one kind sort
    /// in time order.
    pub fn period(&self, period: Period) -> &str {
        match period {
            Period::Week => &self.iso_week,
            Period::Month => &self.month,
        }
    }
}

/// What trends count by, in a service's own calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Week,
    /// Months gather enough checks for control limits where weeks seldom do.
    #[default]
    Month,
}

impl Period {
    pub const ALL: [Period; 2] = [Period::Month, Period::Week];

    pub fn code(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    pub fn from_code(code: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|period| period.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Period::Week => "By week",
            Period::Month => "By month",
        }
    }

    /// "week", "weeks": for "3 more weeks with checks".
    pub fn noun(self, count: usize) -> &'static str {
        match (self, count) {
            (Period::Week, 1) => "week",
            (Period::Week, _) => "weeks",
            (Period::Month, 1) => "month",
            (Period::Month, _) => "months",
        }
    }

    /// A period's name as people read it: `2026-W48` is "Week 48, 2026", `2026-11` "Nov 2026".
    pub fn in_words(period: &str) -> String {
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        match period.split_once('-') {
            Some((year, week)) if week.starts_with('W') => {
                format!("Week {}, {year}", week[1..].trim_start_matches('0'))
            }
            Some((year, month)) => match month.parse::<usize>().ok().and_then(|m| MONTHS.get(m.wrapping_sub(1))) {
                Some(name) => format!("{name} {year}"),
                None => period.to_owned(),
            },
            None => period.to_owned(),
        }
    }
}

/// What the check's kind asks for, beside the ratings (`docs/domain.md`, "The seed practice themes").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CheckDetails {
    /// Watching care being given.
    Observation {
        /// What was seen and heard.
        #[serde(default)]
        examples: String,
        /// How the person receiving care responded.
        #[serde(default)]
        person_response: String,
        /// Whether feedback was given there and then, and what.
        feedback_given: bool,
        #[serde(default)]
        feedback: String,
    },
    /// Sampling written records such as daily notes.
    RecordSample {
        notes_sampled: u32,
        notes_clear: u32,
        notes_vague: u32,
        /// Whether the notes match the care that was delivered.
        #[serde(default)]
        alignment: String,
        #[serde(default)]
        examples: String,
    },
    /// Reviewing the response to one episode of distress.
    DistressEpisode {
        #[serde(default)]
        trigger: String,
        /// Whether the approach agreed in the person's plan was used.
        agreed_approach_used: bool,
        #[serde(default)]
        de_escalation_language: String,
        #[serde(default)]
        outcome: String,
    },
}

impl CheckDetails {
    pub fn kind(&self) -> CheckKind {
        match self {
            CheckDetails::Observation { .. } => CheckKind::Observation,
            CheckDetails::RecordSample { .. } => CheckKind::RecordSample,
            CheckDetails::DistressEpisode { .. } => CheckKind::DistressEpisode,
        }
    }

    /// The free-text fields, by name, for the length rule.
    #[cfg(feature = "ssr")]
    fn texts(&self) -> Vec<(&'static str, &str)> {
        match self {
            CheckDetails::Observation { examples, person_response, feedback, .. } => {
                vec![("examples", examples), ("person_response", person_response), ("feedback", feedback)]
            }
            CheckDetails::RecordSample { alignment, examples, .. } => {
                vec![("alignment", alignment), ("examples", examples)]
            }
            CheckDetails::DistressEpisode { trigger, de_escalation_language, outcome, .. } => {
                vec![("trigger", trigger), ("de_escalation_language", de_escalation_language), ("outcome", outcome)]
            }
        }
    }
}

/// A correction: checks are never changed once kept, so a mistake is put right by a new check
/// that points at the one it corrects and says why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Amendment {
    /// The check this one corrects.
    pub check_id: Uuid,
    /// Why it needed correcting.
    pub reason: String,
}

/// A check as a device sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SubmittedCheck {
    /// Made on the device (UUIDv7); the same id sent again is the same check.
    pub id: Uuid,
    pub service_id: Uuid,
    pub staff_id: Uuid,
    pub theme_id: Uuid,
    /// When the practice was observed: RFC 3339 with the device's UTC offset.
    #[cfg_attr(feature = "ssr", schema(example = "2026-11-26T14:05:00+00:00"))]
    pub observed_at: String,
    pub announced: bool,
    /// The shift, when the shift leader changed it from the one the service's pattern gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shift: Option<ShiftKind>,
    /// Whether it counts as weekend practice, when changed from the pattern's answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekend: Option<bool>,
    /// One rating for each of the theme's criteria.
    pub ratings: Vec<Rating>,
    pub details: CheckDetails,
    /// Set when this check corrects an earlier one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amends: Option<Amendment>,
    /// The version of the theme the device showed (from the reference data). A check recorded
    /// offline before the theme changed is kept against the version it was rated on; without
    /// it, the theme's current version is assumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme_version: Option<u32>,
}

/// What a check needs to be judged: the reference data it names, who sent it, and the time.
pub struct CheckContext<'a> {
    pub services: &'a [Service],
    pub staff: &'a [StaffMember],
    pub themes: &'a [PracticeTheme],
    /// Every version of every theme, for checks rated against an earlier one.
    pub theme_versions: &'a [ThemeVersion],
    pub observer: &'a Actor,
    pub now_ms: i64,
}

/// A check that met every rule: when it was observed, as milliseconds since 1970 (UTC), the
/// shift it belongs to, the theme version it was rated against, and what its ratings say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceptedCheck {
    pub check: SubmittedCheck,
    pub observer_id: Uuid,
    pub observed_at_ms: i64,
    pub shift: ShiftKind,
    pub weekend: bool,
    pub theme_version: u32,
    pub calendar: LocalCalendar,
    pub assessment: Assessment,
}

/// A check as the server keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StoredCheck {
    #[serde(flatten)]
    pub check: SubmittedCheck,
    pub observer_id: Uuid,
    /// The shift and weekend the check counts towards (the pattern's, or the shift leader's
    /// correction).
    pub shift_kind: ShiftKind,
    pub weekend_practice: bool,
    /// Milliseconds since 1970 (UTC).
    pub observed_at_ms: i64,
    pub received_at_ms: i64,
    /// The theme version whose criteria and descriptors the ratings refer to.
    pub rated_against_version: u32,
    #[serde(flatten)]
    pub calendar: LocalCalendar,
    #[serde(flatten)]
    pub assessment: Assessment,
    /// The latest correction of this check, which stands in its place wherever checks are
    /// counted or listed as current; `None` while this check is the current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<Uuid>,
}

impl StoredCheck {
    /// Whether this check counts: it has not been corrected since.
    pub fn is_current(&self) -> bool {
        self.superseded_by.is_none()
    }
}

/// What became of one check sent in a sync.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SyncStatus {
    /// Kept now.
    Accepted,
    /// Kept before; nothing new was stored. The device may forget it.
    Duplicate,
    /// Not kept, for the reason given; the device keeps it for the shift leader to correct.
    Rejected,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SyncResult {
    /// The check's id as sent ("" when it had none).
    pub id: String,
    pub status: SyncStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The answer to a sync: one result per check, in the order sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SyncResponse {
    pub results: Vec<SyncResult>,
}

/// Which current checks to list (corrected ones give way to their corrections), newest observed
/// first; every field narrows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckFilter {
    /// Only these services' checks; `None` for every service.
    pub service_ids: Option<Vec<Uuid>>,
    pub staff_id: Option<Uuid>,
    pub theme_id: Option<Uuid>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Only checks counted towards this shift type.
    pub shift: Option<ShiftKind>,
    /// Only weekend checks (`true`) or only weekday ones (`false`).
    pub weekend: Option<bool>,
    /// Only announced checks (`true`) or only unannounced ones (`false`).
    pub announced: Option<bool>,
    /// Only checks listed after this one (the last of the previous page).
    pub after: Option<CheckCursor>,
    /// At most this many.
    pub limit: u32,
}

/// A place in the list of checks, newest observed first: the checks after it are older, or
/// as old with a smaller id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckCursor {
    pub observed_at_ms: i64,
    pub id: Uuid,
}

impl CheckCursor {
    pub fn of(check: &StoredCheck) -> CheckCursor {
        CheckCursor { observed_at_ms: check.observed_at_ms, id: check.check.id }
    }

    /// `1795705200000.0193…`: safe in a query string, read back by [`CheckCursor::parse`].
    pub fn token(&self) -> String {
        format!("{}.{}", self.observed_at_ms, self.id.simple())
    }

    pub fn parse(token: &str) -> Option<CheckCursor> {
        let (at, id) = token.split_once('.')?;
        Some(CheckCursor { observed_at_ms: at.parse().ok()?, id: Uuid::parse_str(id).ok()? })
    }
}

/// The criteria a check's ratings refer to: those of the theme version it was rated against.
pub fn rated_criteria<'a>(check: &StoredCheck, versions: &'a [ThemeVersion]) -> Option<&'a [Criterion]> {
    versions
        .iter()
        .find(|version| version.theme_id == check.check.theme_id && version.version == check.rated_against_version)
        .map(|version| version.criteria.as_slice())
}

#[cfg(feature = "ssr")]
pub use judging::{
    calendar_in_zone, calendar_of_day, date_in_zone, derive, judge, place_in_zone, start_of_day_in_zone,
    wall_time_in_zone,
};

#[cfg(feature = "ssr")]
mod judging {
    use super::*;
    use crate::domain::shift::{ClockTime, ShiftPattern, ShiftPlacement, Weekday};
    use jiff::Timestamp;
    use jiff::tz::TimeZone;

    fn zone(time_zone: &str) -> Result<TimeZone, String> {
        TimeZone::get(time_zone).map_err(|_| format!("the service's time zone “{time_zone}” is unknown"))
    }

    /// Where a moment falls in a service's rota, by the service's wall clock, which moves at the
    /// clock changes.
    pub fn place_in_zone(pattern: &ShiftPattern, time_zone: &str, at: Timestamp) -> Result<ShiftPlacement, String> {
        let local = at.to_zoned_datetime(zone(time_zone)?);
        let day = Weekday::ALL[usize::from(local.weekday().to_monday_zero_offset() as u8)];
        let time = ClockTime::new(local.hour() as u8, local.minute() as u8).expect("a wall clock time is valid");
        Ok(pattern.place(day, time))
    }

    /// The day, ISO week and month a moment falls in on the service's wall clock.
    pub fn calendar_in_zone(time_zone: &str, at: Timestamp) -> Result<LocalCalendar, String> {
        Ok(calendar_of_date(at.to_zoned_datetime(zone(time_zone)?).date()))
    }

    /// The ISO week and month a day on a service's calendar (an action's date) falls in.
    pub fn calendar_of_day(day: crate::domain::wall_clock::CalendarDate) -> LocalCalendar {
        calendar_of_date(day.to_string().parse().expect("a calendar date is a valid civil date"))
    }

    fn calendar_of_date(date: jiff::civil::Date) -> LocalCalendar {
        let week = date.iso_week_date();
        LocalCalendar {
            local_date: date.strftime("%Y-%m-%d").to_string(),
            iso_week: format!("{:04}-W{:02}", week.year(), week.week()),
            month: date.strftime("%Y-%m").to_string(),
        }
    }

    /// The day it is at `at_ms` on a service's calendar; an unknown zone reads as UK time.
    pub fn date_in_zone(time_zone: &str, at_ms: i64) -> crate::domain::wall_clock::CalendarDate {
        let at = Timestamp::from_millisecond(at_ms).unwrap_or(Timestamp::UNIX_EPOCH);
        let zone =
            zone(time_zone).or_else(|_| zone(crate::domain::organisation::DEFAULT_TIME_ZONE)).unwrap_or(TimeZone::UTC);
        let date = at.to_zoned_datetime(zone).date();
        crate::domain::wall_clock::CalendarDate::parse(&date.strftime("%Y-%m-%d").to_string())
            .expect("jiff writes dates as YYYY-MM-DD")
    }

    /// The wall clock of `time_zone` at `at_ms` (an unknown zone reads as UK time).
    pub fn wall_time_in_zone(time_zone: &str, at_ms: i64) -> crate::domain::wall_clock::WallTime {
        let at = Timestamp::from_millisecond(at_ms).unwrap_or(Timestamp::UNIX_EPOCH);
        let zone =
            zone(time_zone).or_else(|_| zone(crate::domain::organisation::DEFAULT_TIME_ZONE)).unwrap_or(TimeZone::UTC);
        let local = at.to_zoned_datetime(zone);
        crate::domain::wall_clock::WallTime {
            year: i32::from(local.year()),
            month: local.month() as u8,
            day: local.day() as u8,
            hour: local.hour() as u8,
            minute: local.minute() as u8,
        }
    }

    /// The first moment of `day` on the wall clock of `time_zone` (an unknown zone reads as UK
    /// time), in milliseconds since 1970.
    pub fn start_of_day_in_zone(time_zone: &str, day: crate::domain::wall_clock::CalendarDate) -> Option<i64> {
        let zone =
            zone(time_zone).or_else(|_| zone(crate::domain::organisation::DEFAULT_TIME_ZONE)).unwrap_or(TimeZone::UTC);
        let date: jiff::civil::Date = day.to_string().parse().ok()?;
        date.to_zoned_datetime(zone).ok().map(|zoned| zoned.timestamp().as_millisecond())
    }

    /// Accepts the check, or says (in words for the shift leader) why not. `amended` is the kept
    /// check that `check.amends` names, if there is one. A staff member who has left can still
    /// have checks from before they left (a tablet sending the last shift's checks late), but
    /// none observed after the moment they were marked as having left.
    pub fn judge(
        check: &SubmittedCheck,
        context: &CheckContext,
        amended: Option<&StoredCheck>,
    ) -> Result<AcceptedCheck, String> {
        let service = context
            .services
            .iter()
            .find(|service| service.id == check.service_id)
            .ok_or("the service does not exist")?;
        if !context.observer.covers(service.id) || context.observer.roles.is_empty() {
            return Err(format!("you do not record checks at {}", service.name));
        }
        let staff =
            context.staff.iter().find(|member| member.id == check.staff_id).ok_or("the staff member does not exist")?;
        if !staff.service_ids.contains(&service.id) {
            return Err(format!("{} does not work at {}", staff.name, service.name));
        }
        let theme = context
            .themes
            .iter()
            .find(|theme| theme.id == check.theme_id)
            .ok_or("the practice theme does not exist")?;
        if check.details.kind() != theme.kind {
            return Err(format!(
                "“{}” is checked by {}, but this check is a {}",
                theme.name,
                theme.kind.label().to_lowercase(),
                check.details.kind().label().to_lowercase()
            ));
        }
        let (theme_version, criteria) = rated_version(check, theme, context.theme_versions)?;
        judge_ratings(check, &theme.name, criteria)?;
        judge_details(&check.details)?;
        if let Some(amendment) = &check.amends {
            judge_amendment(check, amendment, amended)?;
        }
        let at = observed_moment(check)?;
        let observed_at_ms = at.as_millisecond();
        if observed_at_ms > context.now_ms + MAX_CLOCK_SKEW_MS {
            return Err("the check is dated in the future; check the device's clock".to_owned());
        }
        if observed_at_ms < context.now_ms - MAX_CHECK_AGE_DAYS * 24 * 3_600_000 {
            return Err("the check is dated more than a year ago; check the device's clock".to_owned());
        }
        if let Some(left_at_ms) = staff.left_at_ms
            && observed_at_ms > left_at_ms
        {
            return Err(format!("{} had left before this check's time", staff.name));
        }
        derive(check, service, context.observer.user_id, theme_version)
    }

    fn observed_moment(check: &SubmittedCheck) -> Result<Timestamp, String> {
        check
            .observed_at
            .parse()
            .map_err(|_| format!("“{}” is not a time with its UTC offset (RFC 3339)", check.observed_at))
    }

    /// What the server works out for a check it keeps, by its service's wall clock: when it was
    /// observed, the shift and weekend it counts towards (the pattern's, or the shift leader's
    /// choice), the day, week and month it falls in, and what its ratings say. [`judge`] calls it
    /// once every rule is met; the demonstration history, made to meet them, calls it directly.
    pub fn derive(
        check: &SubmittedCheck,
        service: &Service,
        observer_id: Uuid,
        theme_version: u32,
    ) -> Result<AcceptedCheck, String> {
        let at = observed_moment(check)?;
        let placement = place_in_zone(&service.shift_pattern, &service.time_zone, at)?;
        let shift = match check.shift {
            Some(kind) if service.shift_pattern.shifts().iter().any(|shift| shift.kind == kind) => kind,
            Some(kind) => return Err(format!("{} has no {} shift", service.name, kind.label().to_lowercase())),
            None => placement.kind,
        };
        Ok(AcceptedCheck {
            check: check.clone(),
            observer_id,
            observed_at_ms: at.as_millisecond(),
            shift,
            weekend: check.weekend.unwrap_or(placement.weekend),
            theme_version,
            calendar: calendar_in_zone(&service.time_zone, at)?,
            assessment: assess(&check.ratings, None),
        })
    }

    /// The version the check was rated against, and its criteria: the one the device named, or
    /// the theme's current version.
    fn rated_version<'a>(
        check: &SubmittedCheck,
        theme: &'a PracticeTheme,
        versions: &'a [ThemeVersion],
    ) -> Result<(u32, &'a [Criterion]), String> {
        match check.theme_version {
            None => Ok((theme.version, &theme.criteria)),
            Some(wanted) if wanted == theme.version => Ok((theme.version, &theme.criteria)),
            Some(wanted) => versions
                .iter()
                .find(|version| version.theme_id == theme.id && version.version == wanted)
                .map(|version| (wanted, version.criteria.as_slice()))
                .ok_or_else(|| format!("“{}” has no version {wanted}", theme.name)),
        }
    }

    fn judge_ratings(check: &SubmittedCheck, theme_name: &str, criteria: &[Criterion]) -> Result<(), String> {
        for (index, rating) in check.ratings.iter().enumerate() {
            if !criteria.iter().any(|criterion| criterion.id == rating.criterion_id) {
                return Err(format!("a rating is for a criterion that is not part of “{theme_name}”"));
            }
            if check.ratings[..index].iter().any(|earlier| earlier.criterion_id == rating.criterion_id) {
                return Err("a criterion is rated twice".to_owned());
            }
            if let Some(score) = rating.score
                && !(1..=4).contains(&score)
            {
                return Err(format!("{score} is not a rating: use 1 to 4, or N/A"));
            }
        }
        if let Some(missing) =
            criteria.iter().find(|criterion| !check.ratings.iter().any(|r| r.criterion_id == criterion.id))
        {
            return Err(format!("“{}” is not rated (rate it 1 to 4, or N/A)", missing.title));
        }
        Ok(())
    }

    fn judge_amendment(
        check: &SubmittedCheck,
        amendment: &Amendment,
        amended: Option<&StoredCheck>,
    ) -> Result<(), String> {
        if amendment.check_id == check.id {
            return Err("a check cannot correct itself".to_owned());
        }
        let original = amended
            .filter(|kept| kept.check.id == amendment.check_id)
            .ok_or("the check being corrected has not reached the server; send it first")?;
        let same_observation = original.check.service_id == check.service_id
            && original.check.staff_id == check.staff_id
            && original.check.theme_id == check.theme_id;
        if !same_observation {
            return Err("a correction must be for the same staff member, theme and service".to_owned());
        }
        if amendment.reason.contains('\0') {
            return Err("the reason for the correction contains a character that cannot be stored".to_owned());
        }
        let reason_length = amendment.reason.trim().chars().count();
        if reason_length == 0 {
            return Err("say why the check is being corrected".to_owned());
        }
        if reason_length > MAX_CHECK_TEXT_CHARS {
            return Err(format!(
                "the reason for the correction is too long: at most {MAX_CHECK_TEXT_CHARS} characters"
            ));
        }
        Ok(())
    }

    fn judge_details(details: &CheckDetails) -> Result<(), String> {
        for (field, text) in details.texts() {
            // PostgreSQL cannot store a NUL character in text, so it is refused here, with its
            // check, rather than failing the whole batch at the database.
            if text.contains('\0') {
                return Err(format!("{} contains a character that cannot be stored", field.replace('_', " ")));
            }
            let length = text.chars().count();
            if length > MAX_CHECK_TEXT_CHARS {
                return Err(format!(
                    "{} is too long: at most {MAX_CHECK_TEXT_CHARS} characters, this has {length}",
                    field.replace('_', " ")
                ));
            }
        }
        if let CheckDetails::RecordSample { notes_sampled, notes_clear, notes_vague, .. } = details {
            if *notes_sampled == 0 || *notes_sampled > MAX_NOTES_SAMPLED {
                return Err(format!("the number of notes sampled must be 1 to {MAX_NOTES_SAMPLED}"));
            }
            if notes_clear + notes_vague > *notes_sampled {
                return Err("more notes are counted clear or vague than were sampled".to_owned());
            }
        }
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::domain::access::Role;
        use crate::domain::theme::Criterion;

        const HOME: Uuid = Uuid::from_u128(1);
        const OTHER: Uuid = Uuid::from_u128(2);
        const ADAM: Uuid = Uuid::from_u128(10);
        const THEME: Uuid = Uuid::from_u128(20);
        const CRITERIA: [Uuid; 2] = [Uuid::from_u128(21), Uuid::from_u128(22)];
        const OLD_CRITERION: Uuid = Uuid::from_u128(23);
        /// 26 November 2026, 15:00 UTC.
        const NOW: i64 = 1_795_705_200_000;

        fn london_care_home(id: Uuid, name: &str) -> Service {
            Service {
                id,
                name: name.into(),
                time_zone: "Europe/London".into(),
                shift_pattern: ShiftPattern::care_home_default(),
            }
        }

        fn fixtures() -> (Vec<Service>, Vec<StaffMember>, Vec<PracticeTheme>) {
            let services = vec![london_care_home(HOME, "Larch House"), london_care_home(OTHER, "Brookside")];
            let staff = vec![StaffMember {
                id: ADAM,
                name: "Adam Hale".into(),
                job_title: "Carer".into(),
                team: None,
                service_ids: vec![HOME],
                has_left: false,
                left_at_ms: None,
            }];
            let criterion = |id, title: &str| Criterion { id, title: title.into(), descriptors: Default::default() };
            let themes = vec![PracticeTheme {
                id: THEME,
                name: "Respectful communication".into(),
                expected_standard: String::new(),
                kind: CheckKind::Observation,
                criteria: vec![criterion(CRITERIA[0], "Consent"), criterion(CRITERIA[1], "Dignity")],
                quality_statements: vec![],
                version: 2,
            }];
            (services, staff, themes)
        }

        /// Version 1 of the theme had one criterion, since removed.
        fn first_version() -> ThemeVersion {
            ThemeVersion {
                theme_id: THEME,
                version: 1,
                expected_standard: String::new(),
                criteria: vec![Criterion { id: OLD_CRITERION, title: "Tone".into(), descriptors: Default::default() }],
                made_at_ms: NOW - 86_400_000,
                made_by: "Test".into(),
            }
        }

        fn leader() -> Actor {
            Actor { user_id: Uuid::from_u128(99), roles: vec![Role::ShiftLeader], service_ids: vec![HOME] }
        }

        fn check() -> SubmittedCheck {
            SubmittedCheck {
                id: Uuid::from_u128(1000),
                service_id: HOME,
                staff_id: ADAM,
                theme_id: THEME,
                observed_at: "2026-11-26T14:05:00+00:00".into(),
                announced: false,
                shift: None,
                weekend: None,
                ratings: vec![
                    Rating { criterion_id: CRITERIA[0], score: Some(3) },
                    Rating { criterion_id: CRITERIA[1], score: None },
                ],
                details: CheckDetails::Observation {
                    examples: "Knocked and waited.".into(),
                    person_response: String::new(),
                    feedback_given: true,
                    feedback: "Praised the explanation.".into(),
                },
                amends: None,
                theme_version: None,
            }
        }

        fn judged_amending(
            check: &SubmittedCheck,
            observer: &Actor,
            amended: Option<&StoredCheck>,
        ) -> Result<AcceptedCheck, String> {
            let (services, staff, themes) = fixtures();
            let versions = [first_version()];
            let context = CheckContext {
                services: &services,
                staff: &staff,
                themes: &themes,
                theme_versions: &versions,
                observer,
                now_ms: NOW,
            };
            judge(check, &context, amended)
        }

        fn judged(check: &SubmittedCheck, observer: &Actor) -> Result<AcceptedCheck, String> {
            judged_amending(check, observer, None)
        }

        #[test]
        fn a_correction_points_at_a_kept_check_of_the_same_observation_and_says_why() {
            let kept = StoredCheck {
                check: check(),
                observer_id: leader().user_id,
                shift_kind: ShiftKind::Late,
                weekend_practice: false,
                observed_at_ms: NOW,
                received_at_ms: NOW,
                rated_against_version: 2,
                calendar: LocalCalendar::default(),
                assessment: Assessment::default(),
                superseded_by: None,
            };
            let correcting = |reason: &str| SubmittedCheck {
                id: Uuid::from_u128(1001),
                announced: true,
                amends: Some(Amendment { check_id: kept.check.id, reason: reason.into() }),
                ..check()
            };
            assert!(judged_amending(&correcting("It was announced."), &leader(), Some(&kept)).is_ok());
            assert_eq!(
                judged_amending(&correcting("  "), &leader(), Some(&kept)).unwrap_err(),
                "say why the check is being corrected"
            );
            assert_eq!(
                judged_amending(&correcting("It was announced."), &leader(), None).unwrap_err(),
                "the check being corrected has not reached the server; send it first"
            );
            let other_staff =
                StoredCheck { check: SubmittedCheck { staff_id: Uuid::from_u128(11), ..check() }, ..kept.clone() };
            assert_eq!(
                judged_amending(&correcting("x"), &leader(), Some(&other_staff)).unwrap_err(),
                "a correction must be for the same staff member, theme and service"
            );
            let itself =
                SubmittedCheck { amends: Some(Amendment { check_id: check().id, reason: "x".into() }), ..check() };
            assert_eq!(judged_amending(&itself, &leader(), Some(&kept)).unwrap_err(), "a check cannot correct itself");
        }

        #[test]
        fn a_complete_check_is_accepted_and_placed_in_its_shift() {
            let accepted = judged(&check(), &leader()).unwrap();
            assert_eq!(accepted.observed_at_ms, NOW - 55 * 60_000);
            assert_eq!(
                (accepted.shift, accepted.weekend),
                (ShiftKind::Late, false),
                "14:05 is after the late shift began"
            );
            assert_eq!(accepted.observer_id, leader().user_id);
            assert_eq!(accepted.theme_version, 2, "no version named: the current one");
            assert_eq!(
                accepted.assessment,
                Assessment { meets_standard: true, weak: false },
                "a 3 and an N/A meet the standard"
            );
            assert_eq!(
                accepted.calendar,
                LocalCalendar { local_date: "2026-11-26".into(), iso_week: "2026-W48".into(), month: "2026-11".into() }
            );
        }

        #[test]
        fn a_check_rated_offline_against_an_earlier_version_is_kept_against_that_version() {
            let earlier = SubmittedCheck {
                theme_version: Some(1),
                ratings: vec![Rating { criterion_id: OLD_CRITERION, score: Some(2) }],
                ..check()
            };
            let accepted = judged(&earlier, &leader()).unwrap();
            assert_eq!(accepted.theme_version, 1);
            assert!(accepted.assessment.weak);
            // Rated against the current criteria but naming version 1: a criterion it never had.
            let mismatched = SubmittedCheck { theme_version: Some(1), ..check() };
            assert_eq!(
                judged(&mismatched, &leader()).unwrap_err(),
                "a rating is for a criterion that is not part of “Respectful communication”"
            );
            let unknown = SubmittedCheck { theme_version: Some(7), ..check() };
            assert_eq!(judged(&unknown, &leader()).unwrap_err(), "“Respectful communication” has no version 7");
            let current = SubmittedCheck { theme_version: Some(2), ..check() };
            assert_eq!(judged(&current, &leader()).unwrap().theme_version, 2);
        }

        fn calendar(at: &str, zone: &str) -> LocalCalendar {
            calendar_in_zone(zone, at.parse().unwrap()).unwrap()
        }

        #[test]
        fn the_calendar_follows_the_service_wall_clock_and_iso_weeks() {
            // 23:30 UTC on Saturday 31 October 2026 is still 31 October in London (GMT again)...
            assert_eq!(calendar("2026-10-31T23:30:00Z", "Europe/London").local_date, "2026-10-31");
            // ...but 23:30 UTC on 30 June is 00:30 on 1 July in London (BST): a new day and month.
            let summer = calendar("2026-06-30T23:30:00Z", "Europe/London");
            assert_eq!((summer.local_date.as_str(), summer.month.as_str()), ("2026-07-01", "2026-07"));
            // 1 January 2027 is a Friday: it belongs to the last ISO week of 2026, week 53.
            assert_eq!(calendar("2027-01-01T12:00:00Z", "Europe/London").iso_week, "2026-W53");
            // Monday 4 January 2027 begins week 1.
            assert_eq!(calendar("2027-01-04T00:00:00Z", "Europe/London").iso_week, "2027-W01");
            // Sunday 3 January 2027, 23:59 in London, is still week 53 of 2026.
            assert_eq!(calendar("2027-01-03T23:59:00Z", "Europe/London").iso_week, "2026-W53");
            assert!(calendar_in_zone("Mars/Olympus", "2027-01-03T23:59:00Z".parse().unwrap()).is_err());
        }

        #[test]
        fn a_day_falls_in_its_iso_week_and_month_and_periods_read_as_words() {
            let day = |text| calendar_of_day(crate::domain::wall_clock::CalendarDate::parse(text).unwrap());
            assert_eq!(day("2027-01-03").period(Period::Week), "2026-W53");
            assert_eq!(day("2027-01-03").period(Period::Month), "2027-01");
            assert_eq!(day("2026-11-30").period(Period::Week), "2026-W49");
            assert_eq!(Period::in_words("2026-W09"), "Week 9, 2026");
            assert_eq!(Period::in_words("2026-11"), "Nov 2026");
            assert_eq!(Period::in_words("2026-13"), "2026-13");
            assert_eq!(Period::from_code("fortnight"), None);
            assert_eq!(Period::from_code("week"), Some(Period::Week));
            assert_eq!((Period::Month.noun(1), Period::Week.noun(3)), ("month", "weeks"));
        }

        #[test]
        fn the_shift_leader_may_correct_the_shift_and_weekend_but_only_to_a_real_shift() {
            let corrected = SubmittedCheck { shift: Some(ShiftKind::Early), weekend: Some(true), ..check() };
            let accepted = judged(&corrected, &leader()).unwrap();
            assert_eq!((accepted.shift, accepted.weekend), (ShiftKind::Early, true));
            let no_such = SubmittedCheck { shift: Some(ShiftKind::Day), ..check() };
            assert_eq!(judged(&no_such, &leader()).unwrap_err(), "Larch House has no long day shift");
        }

        #[test]
        fn each_broken_rule_is_named() {
            let cases: Vec<(SubmittedCheck, &str)> = vec![
                (SubmittedCheck { service_id: Uuid::from_u128(5), ..check() }, "the service does not exist"),
                (SubmittedCheck { service_id: OTHER, ..check() }, "you do not record checks at Brookside"),
                (SubmittedCheck { staff_id: Uuid::from_u128(5), ..check() }, "the staff member does not exist"),
                (SubmittedCheck { theme_id: Uuid::from_u128(5), ..check() }, "the practice theme does not exist"),
                (
                    SubmittedCheck { observed_at: "2026-11-26 14:05".into(), ..check() },
                    "“2026-11-26 14:05” is not a time with its UTC offset (RFC 3339)",
                ),
                (
                    SubmittedCheck { observed_at: "2026-11-26T14:05:00".into(), ..check() },
                    "“2026-11-26T14:05:00” is not a time with its UTC offset (RFC 3339)",
                ),
                (
                    SubmittedCheck { observed_at: "2026-11-26T16:00:00+00:00".into(), ..check() },
                    "the check is dated in the future; check the device's clock",
                ),
                (
                    SubmittedCheck { observed_at: "2025-11-01T10:00:00+00:00".into(), ..check() },
                    "the check is dated more than a year ago; check the device's clock",
                ),
                (
                    SubmittedCheck { ratings: vec![Rating { criterion_id: CRITERIA[0], score: Some(3) }], ..check() },
                    "“Dignity” is not rated (rate it 1 to 4, or N/A)",
                ),
                (
                    SubmittedCheck {
                        ratings: vec![
                            Rating { criterion_id: CRITERIA[0], score: Some(5) },
                            Rating { criterion_id: CRITERIA[1], score: None },
                        ],
                        ..check()
                    },
                    "5 is not a rating: use 1 to 4, or N/A",
                ),
                (
                    SubmittedCheck {
                        ratings: vec![
                            Rating { criterion_id: CRITERIA[0], score: Some(0) },
                            Rating { criterion_id: CRITERIA[1], score: None },
                        ],
                        ..check()
                    },
                    "0 is not a rating: use 1 to 4, or N/A",
                ),
                (
                    SubmittedCheck {
                        ratings: vec![
                            Rating { criterion_id: CRITERIA[0], score: Some(2) },
                            Rating { criterion_id: CRITERIA[0], score: Some(3) },
                        ],
                        ..check()
                    },
                    "a criterion is rated twice",
                ),
                (
                    SubmittedCheck {
                        ratings: vec![Rating { criterion_id: Uuid::from_u128(77), score: Some(2) }],
                        ..check()
                    },
                    "a rating is for a criterion that is not part of “Respectful communication”",
                ),
                (
                    SubmittedCheck {
                        details: CheckDetails::DistressEpisode {
                            trigger: String::new(),
                            agreed_approach_used: true,
                            de_escalation_language: String::new(),
                            outcome: String::new(),
                        },
                        ..check()
                    },
                    "“Respectful communication” is checked by direct observation, but this check is a distress episode",
                ),
                (
                    SubmittedCheck {
                        details: CheckDetails::Observation {
                            examples: "x".repeat(4_001),
                            person_response: String::new(),
                            feedback_given: false,
                            feedback: String::new(),
                        },
                        ..check()
                    },
                    "examples is too long: at most 4000 characters, this has 4001",
                ),
            ];
            for (case, reason) in cases {
                assert_eq!(judged(&case, &leader()).unwrap_err(), reason);
            }
        }

        #[test]
        fn someone_who_has_left_has_checks_from_before_they_left_only() {
            let (services, mut staff, themes) = fixtures();
            let versions = [first_version()];
            let observed = observed_moment(&check()).unwrap().as_millisecond();
            let mut judged_if_left_at = |left_at_ms: Option<i64>| {
                staff[0].has_left = true;
                staff[0].left_at_ms = left_at_ms;
                let context = CheckContext {
                    services: &services,
                    staff: &staff,
                    themes: &themes,
                    theme_versions: &versions,
                    observer: &leader(),
                    now_ms: NOW,
                };
                judge(&check(), &context, None).map(|_| ())
            };
            assert_eq!(judged_if_left_at(Some(observed)), Ok(()), "observed at the very moment");
            let after_leaving = judged_if_left_at(Some(observed - 1));
            assert_eq!(after_leaving, Err("Adam Hale had left before this check's time".to_owned()));
            assert_eq!(judged_if_left_at(None), Ok(()), "a leaver of unknown date is not judged by it");
        }

        #[test]
        fn staff_of_another_service_cannot_be_checked_here_even_by_someone_who_spans_all() {
            let quality_lead = Actor { roles: vec![Role::QualityLead], service_ids: vec![], ..leader() };
            let elsewhere = SubmittedCheck { service_id: OTHER, ..check() };
            assert_eq!(judged(&elsewhere, &quality_lead).unwrap_err(), "Adam Hale does not work at Brookside");
            assert!(judged(&check(), &quality_lead).is_ok());
        }

        #[test]
        fn record_sample_counts_must_add_up() {
            let sample = |sampled, clear, vague| CheckDetails::RecordSample {
                notes_sampled: sampled,
                notes_clear: clear,
                notes_vague: vague,
                alignment: String::new(),
                examples: String::new(),
            };
            assert_eq!(judge_details(&sample(10, 6, 4)), Ok(()));
            assert_eq!(
                judge_details(&sample(10, 7, 4)),
                Err("more notes are counted clear or vague than were sampled".into())
            );
            assert_eq!(judge_details(&sample(0, 0, 0)), Err("the number of notes sampled must be 1 to 1000".into()));
            let with_nul = CheckDetails::Observation {
                examples: "a\0b".into(),
                person_response: String::new(),
                feedback_given: false,
                feedback: String::new(),
            };
            assert_eq!(judge_details(&with_nul), Err("examples contains a character that cannot be stored".into()));
        }

        fn placed(at: &str) -> (ShiftKind, bool) {
            let placement =
                place_in_zone(&ShiftPattern::care_home_default(), "Europe/London", at.parse().unwrap()).unwrap();
            (placement.kind, placement.weekend)
        }

        #[test]
        fn shifts_follow_the_wall_clock_through_midnight() {
            // Friday 27 November 2026, 00:30 GMT: the night shift that began on Thursday.
            assert_eq!(placed("2026-11-27T00:30:00Z"), (ShiftKind::Night, false));
            // Sunday 29 November, 00:30: the night that began on Saturday is weekend practice.
            assert_eq!(placed("2026-11-29T00:30:00Z"), (ShiftKind::Night, true));
            // Monday 30 November, 00:30: the night began on Sunday, so still weekend.
            assert_eq!(placed("2026-11-30T00:30:00Z"), (ShiftKind::Night, true));
            // Saturday 28 November, 07:15: the early shift has taken over from the night.
            assert_eq!(placed("2026-11-28T07:15:00Z"), (ShiftKind::Early, true));
            // An offset other than UTC is the same moment.
            assert_eq!(placed("2026-11-27T01:30:00+01:00"), (ShiftKind::Night, false));
        }

        #[test]
        fn shifts_follow_the_wall_clock_through_the_march_and_october_clock_changes() {
            // 29 March 2026: clocks go forward at 01:00 UTC. 06:45 UTC is 07:45 BST: early shift.
            assert_eq!(placed("2026-03-29T06:45:00Z"), (ShiftKind::Early, true));
            // The day before, 06:45 UTC is 06:45 GMT: still the night shift.
            assert_eq!(placed("2026-03-28T06:45:00Z"), (ShiftKind::Night, false));
            // 25 October 2026: clocks go back at 01:00 UTC. 06:45 UTC is 06:45 GMT: night.
            assert_eq!(placed("2026-10-25T06:45:00Z"), (ShiftKind::Night, true));
            // The day before, 06:45 UTC was 07:45 BST: early.
            assert_eq!(placed("2026-10-24T06:45:00Z"), (ShiftKind::Early, true));
            // 20:45 UTC on 24 October was 21:45 BST: the night shift has begun.
            assert_eq!(placed("2026-10-24T20:45:00Z"), (ShiftKind::Night, true));
        }
    }
}

#[cfg(test)]
mod assessment_tests {
    use super::*;

    const A: Uuid = Uuid::from_u128(1);
    const B: Uuid = Uuid::from_u128(2);
    const C: Uuid = Uuid::from_u128(3);

    fn ratings(scores: &[Option<u8>]) -> Vec<Rating> {
        [A, B, C].iter().zip(scores).map(|(id, score)| Rating { criterion_id: *id, score: *score }).collect()
    }

    fn assessed(scores: &[Option<u8>]) -> (bool, bool) {
        let assessment = assess(&ratings(scores), None);
        (assessment.meets_standard, assessment.weak)
    }

    #[test]
    fn every_rated_criterion_at_three_or_four_meets_the_standard() {
        assert_eq!(assessed(&[Some(3), Some(4), Some(3)]), (true, false));
        assert_eq!(assessed(&[Some(4), None, Some(4)]), (true, false), "N/A does not count against");
    }

    #[test]
    fn any_rated_criterion_at_one_or_two_is_weak_and_does_not_meet_the_standard() {
        assert_eq!(assessed(&[Some(4), Some(2), Some(4)]), (false, true));
        assert_eq!(assessed(&[Some(1), None, Some(3)]), (false, true));
        assert_eq!(assessed(&[Some(2), Some(1), Some(2)]), (false, true));
    }

    #[test]
    fn a_check_with_nothing_rated_is_neither_met_nor_weak() {
        assert_eq!(assessed(&[None, None, None]), (false, false));
        assert_eq!(assess(&[], None), Assessment::default());
    }

    #[test]
    fn an_assessment_is_said_in_words() {
        assert_eq!(assess(&ratings(&[Some(3), Some(4), None]), None).in_words(), "It meets the standard.");
        assert_eq!(assess(&ratings(&[Some(3), Some(1), None]), None).in_words(), "It falls short of the standard.");
        assert_eq!(
            assess(&ratings(&[None, None, None]), None).in_words(),
            "Nothing in it was rated against the standard."
        );
    }

    #[test]
    fn focus_criteria_narrow_the_judgement() {
        let mixed = ratings(&[Some(2), Some(4), None]);
        assert_eq!(assess(&mixed, Some(&[B])), Assessment { meets_standard: true, weak: false });
        assert_eq!(assess(&mixed, Some(&[A, B])), Assessment { meets_standard: false, weak: true });
        assert_eq!(assess(&mixed, Some(&[C])), Assessment::default(), "the focus criterion was N/A");
    }

    #[test]
    fn cursors_survive_a_query_string() {
        let cursor = CheckCursor { observed_at_ms: 1_795_705_200_000, id: Uuid::now_v7() };
        assert_eq!(CheckCursor::parse(&cursor.token()), Some(cursor));
        assert_eq!(CheckCursor::parse("yesterday"), None);
        assert_eq!(CheckCursor::parse("12.not-an-id"), None);
    }
}
