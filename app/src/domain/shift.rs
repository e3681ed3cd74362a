//! Shift patterns: when a service's early, late, day and night shifts run, and which days are
//! the weekend. A check's shift type is derived from the pattern (and stays editable), because
//! `docs/domain.md` (section 2) asks that evenings, nights and weekends be compared with daytime practice.

use super::wall_clock::CalendarDate;
use serde::{Deserialize, Serialize};
use std::fmt;

const MINUTES_PER_DAY: u16 = 24 * 60;

/// The longest handover in which two consecutive shifts may both be on duty. Longer overlaps are
/// almost always a typing mistake (14:00 for 04:00) and would make shift derivation arbitrary.
pub const MAX_HANDOVER_MINUTES: u16 = 90;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShiftKind {
    Early,
    Late,
    /// A long day, for services that run two twelve-hour shifts.
    Day,
    Night,
}

impl ShiftKind {
    pub const ALL: [ShiftKind; 4] = [ShiftKind::Early, ShiftKind::Late, ShiftKind::Day, ShiftKind::Night];

    pub fn label(self) -> &'static str {
        match self {
            ShiftKind::Early => "Early",
            ShiftKind::Late => "Late",
            ShiftKind::Day => "Long day",
            ShiftKind::Night => "Night",
        }
    }

    /// The code stored in the database and used in the API.
    pub fn code(self) -> &'static str {
        match self {
            ShiftKind::Early => "early",
            ShiftKind::Late => "late",
            ShiftKind::Day => "day",
            ShiftKind::Night => "night",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        ShiftKind::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// Evenings and nights are when `docs/domain.md` warns that staff revert "under pressure".
    pub fn is_evening_or_night(self) -> bool {
        matches!(self, ShiftKind::Late | ShiftKind::Night)
    }
}

/// A wall-clock time of day in the service's own time zone, to the minute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime {
    minutes_after_midnight: u16,
}

impl ClockTime {
    pub fn new(hour: u8, minute: u8) -> Option<Self> {
        (hour < 24 && minute < 60)
            .then_some(ClockTime { minutes_after_midnight: u16::from(hour) * 60 + u16::from(minute) })
    }

    /// Parses `HH:MM` in the 24-hour clock, as shown on rotas.
    pub fn parse(text: &str) -> Result<Self, ShiftPatternError> {
        let invalid = || ShiftPatternError::InvalidTime(text.to_owned());
        let (hour, minute) = text.trim().split_once(':').ok_or_else(invalid)?;
        if hour.is_empty() || hour.len() > 2 || minute.len() != 2 {
            return Err(invalid());
        }
        let hour: u8 = hour.parse().map_err(|_| invalid())?;
        let minute: u8 = minute.parse().map_err(|_| invalid())?;
        ClockTime::new(hour, minute).ok_or_else(invalid)
    }

    pub fn minutes_after_midnight(self) -> u16 {
        self.minutes_after_midnight
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.minutes_after_midnight / 60, self.minutes_after_midnight % 60)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ClockTime::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Weekday::Monday => "Monday",
            Weekday::Tuesday => "Tuesday",
            Weekday::Wednesday => "Wednesday",
            Weekday::Thursday => "Thursday",
            Weekday::Friday => "Friday",
            Weekday::Saturday => "Saturday",
            Weekday::Sunday => "Sunday",
        }
    }

    pub fn previous(self) -> Weekday {
        let index = Weekday::ALL.iter().position(|day| *day == self).unwrap_or(0);
        Weekday::ALL[(index + 6) % 7]
    }
}

/// One shift as it appears on the rota. A shift whose end is not after its start runs past
/// midnight (a night shift from 21:00 to 07:30).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shift {
    pub kind: ShiftKind,
    pub start: ClockTime,
    pub end: ClockTime,
}

impl Shift {
    fn length_minutes(&self) -> u16 {
        (self.end.minutes_after_midnight + MINUTES_PER_DAY - self.start.minutes_after_midnight) % MINUTES_PER_DAY
    }

    fn crosses_midnight(&self) -> bool {
        self.end <= self.start
    }

    /// How long after this shift's start `time` falls, if the shift is on duty then.
    fn minutes_into(&self, time: ClockTime) -> Option<u16> {
        let offset =
            (time.minutes_after_midnight + MINUTES_PER_DAY - self.start.minutes_after_midnight) % MINUTES_PER_DAY;
        (offset < self.length_minutes()).then_some(offset)
    }
}

/// One shift as worked on one day: the early shift of 3 December.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ShiftOccurrence {
    pub began_on: CalendarDate,
    pub kind: ShiftKind,
}

/// Where a moment falls in a service's rota.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftPlacement {
    pub kind: ShiftKind,
    /// True when the shift began on a weekend day: a Sunday night shift that runs into Monday
    /// morning is still weekend practice.
    pub weekend: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ShiftPatternError {
    #[error("“{0}” is not a time: use the 24-hour clock, for example 07:00 or 21:30")]
    InvalidTime(String),
    #[error("a shift pattern needs at least one shift")]
    NoShifts,
    #[error("the {0} shift starts and ends at the same time")]
    EmptyShift(&'static str),
    #[error("the {0} shift appears twice")]
    RepeatedKind(&'static str),
    #[error("nobody is on shift from {from} to {to}: the shifts must cover the whole day")]
    Gap { from: ClockTime, to: ClockTime },
    #[error(
        "the {earlier} and {later} shifts overlap by {minutes} minutes; a handover may be at most {MAX_HANDOVER_MINUTES} minutes"
    )]
    Overlap { earlier: &'static str, later: &'static str, minutes: u16 },
}

/// A service's rota: shifts that together cover all 24 hours, allowing short handovers, and the
/// days counted as weekend.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShiftPattern {
    shifts: Vec<Shift>,
    weekend_days: Vec<Weekday>,
}

impl ShiftPattern {
    /// Accepts shifts in any order and keeps them sorted by start time.
    pub fn new(mut shifts: Vec<Shift>, mut weekend_days: Vec<Weekday>) -> Result<Self, ShiftPatternError> {
        if shifts.is_empty() {
            return Err(ShiftPatternError::NoShifts);
        }
        shifts.sort_by_key(|shift| shift.start);
        for (index, shift) in shifts.iter().enumerate() {
            if shift.start == shift.end {
                return Err(ShiftPatternError::EmptyShift(shift.kind.label()));
            }
            if shifts[..index].iter().any(|other| other.kind == shift.kind) {
                return Err(ShiftPatternError::RepeatedKind(shift.kind.label()));
            }
        }
        Self::check_cover(&shifts)?;
        weekend_days.sort();
        weekend_days.dedup();
        Ok(ShiftPattern { shifts, weekend_days })
    }

    /// Walks round the clock from each shift to the next (by start time) and checks that the
    /// next one starts before or just as this one ends, and that neither swallows the other.
    fn check_cover(shifts: &[Shift]) -> Result<(), ShiftPatternError> {
        if let [only] = shifts {
            return Err(ShiftPatternError::Gap { from: only.end, to: only.start });
        }
        for (index, shift) in shifts.iter().enumerate() {
            let next = shifts[(index + 1) % shifts.len()];
            let next_starts_after = (next.start.minutes_after_midnight + MINUTES_PER_DAY
                - shift.start.minutes_after_midnight)
                % MINUTES_PER_DAY;
            let length = shift.length_minutes();
            if next_starts_after > length {
                return Err(ShiftPatternError::Gap { from: shift.end, to: next.start });
            }
            let overlap = length - next_starts_after;
            if overlap > MAX_HANDOVER_MINUTES || next.length_minutes() <= overlap {
                return Err(ShiftPatternError::Overlap {
                    earlier: shift.kind.label(),
                    later: next.kind.label(),
                    minutes: overlap,
                });
            }
        }
        Ok(())
    }

    /// Early 07:00–14:30, late 14:00–21:30, night 21:00–07:30; Saturday and Sunday are weekend.
    pub fn care_home_default() -> Self {
        let at = |hour, minute| ClockTime::new(hour, minute).expect("valid literal time");
        ShiftPattern::new(
            vec![
                Shift { kind: ShiftKind::Early, start: at(7, 0), end: at(14, 30) },
                Shift { kind: ShiftKind::Late, start: at(14, 0), end: at(21, 30) },
                Shift { kind: ShiftKind::Night, start: at(21, 0), end: at(7, 30) },
            ],
            vec![Weekday::Saturday, Weekday::Sunday],
        )
        .expect("the default pattern covers the day")
    }

    pub fn shifts(&self) -> &[Shift] {
        &self.shifts
    }

    pub fn weekend_days(&self) -> &[Weekday] {
        &self.weekend_days
    }

    /// How long the longest shift lasts, in minutes: "longer than a shift" is longer than this.
    pub fn longest_shift_minutes(&self) -> u16 {
        self.shifts.iter().map(Shift::length_minutes).max().unwrap_or(MINUTES_PER_DAY)
    }

    /// The shift on duty at a local date's weekday and time. During a handover both shifts are
    /// on duty; the check is placed in the shift that began most recently, because that team
    /// has taken over the floor. The weekend flag follows the day the shift began.
    pub fn place(&self, day: Weekday, time: ClockTime) -> ShiftPlacement {
        let (shift, began_yesterday) = self.on_duty(time);
        let start_day = if began_yesterday { day.previous() } else { day };
        ShiftPlacement { kind: shift.kind, weekend: self.weekend_days.contains(&start_day) }
    }

    /// The shift on duty at `time` (as [`ShiftPattern::place`] chooses it), and whether it
    /// began the day before.
    fn on_duty(&self, time: ClockTime) -> (&Shift, bool) {
        let (shift, minutes_into) = self
            .shifts
            .iter()
            .filter_map(|shift| shift.minutes_into(time).map(|minutes| (shift, minutes)))
            .min_by_key(|(_, minutes)| *minutes)
            .expect("a validated pattern covers every minute of the day");
        (shift, shift.crosses_midnight() && minutes_into > time.minutes_after_midnight)
    }

    /// The shift on duty at `time` on `date`, named by the day it began: at 03:00 on
    /// 3 December the night shift of 2 December.
    pub fn occurrence(&self, date: CalendarDate, time: ClockTime) -> ShiftOccurrence {
        let (shift, began_yesterday) = self.on_duty(time);
        ShiftOccurrence { began_on: if began_yesterday { date.plus_days(-1) } else { date }, kind: shift.kind }
    }

    /// The shift that began before `occurrence`: the day's previous shift by start time, or the
    /// last shift of the day before.
    pub fn previous_occurrence(&self, occurrence: ShiftOccurrence) -> ShiftOccurrence {
        let index = self.shifts.iter().position(|shift| shift.kind == occurrence.kind).unwrap_or(0);
        match index.checked_sub(1) {
            Some(earlier) => ShiftOccurrence { began_on: occurrence.began_on, kind: self.shifts[earlier].kind },
            None => ShiftOccurrence {
                began_on: occurrence.began_on.plus_days(-1),
                kind: self.shifts[self.shifts.len() - 1].kind,
            },
        }
    }
}

impl<'de> Deserialize<'de> for ShiftPattern {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Unchecked {
            shifts: Vec<Shift>,
            weekend_days: Vec<Weekday>,
        }
        let unchecked = Unchecked::deserialize(deserializer)?;
        ShiftPattern::new(unchecked.shifts, unchecked.weekend_days).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> ClockTime {
        ClockTime::parse(text).unwrap()
    }

    fn shift(kind: ShiftKind, start: &str, end: &str) -> Shift {
        Shift { kind, start: at(start), end: at(end) }
    }

    fn twelve_hour_pattern() -> ShiftPattern {
        ShiftPattern::new(
            vec![shift(ShiftKind::Night, "20:00", "08:00"), shift(ShiftKind::Day, "08:00", "20:00")],
            vec![Weekday::Saturday, Weekday::Sunday],
        )
        .unwrap()
    }

    #[test]
    fn the_longest_shift_runs_past_midnight_where_the_night_is_longest() {
        assert_eq!(twelve_hour_pattern().longest_shift_minutes(), 12 * 60);
        // 21:00 to 07:30 is the default's longest.
        assert_eq!(ShiftPattern::care_home_default().longest_shift_minutes(), 10 * 60 + 30);
    }

    #[test]
    fn shift_codes_round_trip_and_match_the_json() {
        for kind in ShiftKind::ALL {
            assert_eq!(ShiftKind::from_code(kind.code()), Some(kind));
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.code()));
        }
        assert_eq!(ShiftKind::from_code("twilight"), None);
    }

    #[test]
    fn clock_times_parse_from_the_24_hour_clock() {
        assert_eq!(at("07:00").minutes_after_midnight(), 420);
        assert_eq!(at("7:05").minutes_after_midnight(), 425);
        assert_eq!(at("23:59").to_string(), "23:59");
        assert_eq!(at(" 00:00 ").minutes_after_midnight(), 0);
    }

    #[test]
    fn impossible_or_malformed_times_are_refused() {
        for text in ["24:00", "12:60", "1230", "", "ab:cd", "12:5", "-1:00", "123:00", "12:30pm"] {
            assert_eq!(ClockTime::parse(text), Err(ShiftPatternError::InvalidTime(text.into())), "{text}");
        }
    }

    #[test]
    fn the_default_care_home_pattern_is_valid_with_half_hour_handovers() {
        let pattern = ShiftPattern::care_home_default();
        assert_eq!(pattern.shifts().len(), 3);
        assert_eq!(pattern.weekend_days(), &[Weekday::Saturday, Weekday::Sunday]);
    }

    #[test]
    fn a_twelve_hour_day_and_night_pattern_is_valid() {
        assert_eq!(twelve_hour_pattern().shifts()[0].kind, ShiftKind::Day);
    }

    #[test]
    fn a_shift_that_starts_and_ends_at_the_same_time_is_refused() {
        let pattern = ShiftPattern::new(vec![shift(ShiftKind::Day, "08:00", "08:00")], vec![]);
        assert_eq!(pattern, Err(ShiftPatternError::EmptyShift("Long day")));
    }

    #[test]
    fn a_pattern_with_no_shifts_is_refused() {
        assert_eq!(ShiftPattern::new(vec![], vec![]), Err(ShiftPatternError::NoShifts));
    }

    #[test]
    fn a_gap_between_shifts_is_refused_and_named() {
        let result = ShiftPattern::new(
            vec![
                shift(ShiftKind::Early, "07:00", "14:00"),
                shift(ShiftKind::Late, "14:30", "21:30"),
                shift(ShiftKind::Night, "21:00", "07:30"),
            ],
            vec![],
        );
        assert_eq!(result, Err(ShiftPatternError::Gap { from: at("14:00"), to: at("14:30") }));
        assert_eq!(
            result.unwrap_err().to_string(),
            "nobody is on shift from 14:00 to 14:30: the shifts must cover the whole day"
        );
    }

    #[test]
    fn a_gap_before_midnight_is_found_too() {
        let result = ShiftPattern::new(
            vec![shift(ShiftKind::Day, "08:00", "20:00"), shift(ShiftKind::Night, "21:00", "08:00")],
            vec![],
        );
        assert_eq!(result, Err(ShiftPatternError::Gap { from: at("20:00"), to: at("21:00") }));
    }

    #[test]
    fn a_lone_shift_that_leaves_part_of_the_day_uncovered_is_a_gap() {
        let result = ShiftPattern::new(vec![shift(ShiftKind::Day, "08:00", "20:00")], vec![]);
        assert_eq!(result, Err(ShiftPatternError::Gap { from: at("20:00"), to: at("08:00") }));
    }

    #[test]
    fn an_overlap_longer_than_a_handover_is_refused() {
        let result = ShiftPattern::new(
            vec![
                shift(ShiftKind::Early, "07:00", "16:00"),
                shift(ShiftKind::Late, "14:00", "21:30"),
                shift(ShiftKind::Night, "21:00", "07:30"),
            ],
            vec![],
        );
        assert_eq!(result, Err(ShiftPatternError::Overlap { earlier: "Early", later: "Late", minutes: 120 }));
    }

    #[test]
    fn a_handover_of_exactly_the_limit_is_allowed() {
        let result = ShiftPattern::new(
            vec![shift(ShiftKind::Day, "08:00", "21:30"), shift(ShiftKind::Night, "20:00", "08:00")],
            vec![],
        );
        assert!(result.is_ok(), "{result:?}");
    }

    #[test]
    fn a_shift_inside_another_is_refused() {
        let result = ShiftPattern::new(
            vec![
                shift(ShiftKind::Day, "00:00", "23:59"),
                shift(ShiftKind::Late, "23:00", "23:30"),
                shift(ShiftKind::Night, "23:30", "00:01"),
            ],
            vec![],
        );
        assert!(matches!(result, Err(ShiftPatternError::Overlap { .. })), "{result:?}");
    }

    #[test]
    fn the_same_shift_kind_twice_is_refused() {
        let result = ShiftPattern::new(
            vec![shift(ShiftKind::Day, "08:00", "20:00"), shift(ShiftKind::Day, "20:00", "08:00")],
            vec![],
        );
        assert_eq!(result, Err(ShiftPatternError::RepeatedKind("Long day")));
    }

    #[test]
    fn mid_shift_times_are_placed_in_that_shift() {
        let pattern = ShiftPattern::care_home_default();
        assert_eq!(pattern.place(Weekday::Wednesday, at("10:00")).kind, ShiftKind::Early);
        assert_eq!(pattern.place(Weekday::Wednesday, at("17:45")).kind, ShiftKind::Late);
        assert_eq!(pattern.place(Weekday::Wednesday, at("02:00")).kind, ShiftKind::Night);
        assert_eq!(pattern.place(Weekday::Wednesday, at("07:30")).kind, ShiftKind::Early);
    }

    #[test]
    fn a_handover_time_belongs_to_the_incoming_shift() {
        let pattern = ShiftPattern::care_home_default();
        assert_eq!(pattern.place(Weekday::Monday, at("14:15")).kind, ShiftKind::Late);
        assert_eq!(pattern.place(Weekday::Monday, at("21:00")).kind, ShiftKind::Night);
        assert_eq!(pattern.place(Weekday::Monday, at("07:00")).kind, ShiftKind::Early);
        assert_eq!(pattern.place(Weekday::Monday, at("06:59")).kind, ShiftKind::Night);
    }

    #[test]
    fn shift_boundaries_are_start_inclusive_and_end_exclusive() {
        let pattern = twelve_hour_pattern();
        assert_eq!(pattern.place(Weekday::Monday, at("08:00")).kind, ShiftKind::Day);
        assert_eq!(pattern.place(Weekday::Monday, at("07:59")).kind, ShiftKind::Night);
        assert_eq!(pattern.place(Weekday::Monday, at("20:00")).kind, ShiftKind::Night);
        assert_eq!(pattern.place(Weekday::Monday, at("19:59")).kind, ShiftKind::Day);
    }

    #[test]
    fn midnight_stays_in_the_night_shift_that_began_the_evening_before() {
        let pattern = ShiftPattern::care_home_default();
        let placement = pattern.place(Weekday::Saturday, at("00:00"));
        assert_eq!(placement, ShiftPlacement { kind: ShiftKind::Night, weekend: false });
    }

    #[test]
    fn a_sunday_night_shift_is_weekend_practice_after_midnight() {
        let pattern = ShiftPattern::care_home_default();
        assert_eq!(
            pattern.place(Weekday::Monday, at("03:00")),
            ShiftPlacement { kind: ShiftKind::Night, weekend: true }
        );
        assert_eq!(
            pattern.place(Weekday::Sunday, at("23:00")),
            ShiftPlacement { kind: ShiftKind::Night, weekend: true }
        );
    }

    #[test]
    fn a_friday_night_shift_is_not_weekend_even_after_midnight() {
        let pattern = ShiftPattern::care_home_default();
        assert_eq!(
            pattern.place(Weekday::Saturday, at("05:00")),
            ShiftPlacement { kind: ShiftKind::Night, weekend: false }
        );
        assert!(pattern.place(Weekday::Saturday, at("08:00")).weekend);
    }

    #[test]
    fn a_night_shift_starting_after_midnight_keeps_its_own_day() {
        let pattern = ShiftPattern::new(
            vec![
                shift(ShiftKind::Early, "08:00", "16:00"),
                shift(ShiftKind::Late, "16:00", "00:30"),
                shift(ShiftKind::Night, "00:30", "08:00"),
            ],
            vec![Weekday::Sunday],
        )
        .unwrap();
        assert_eq!(
            pattern.place(Weekday::Sunday, at("03:00")),
            ShiftPlacement { kind: ShiftKind::Night, weekend: true }
        );
        assert_eq!(
            pattern.place(Weekday::Monday, at("00:15")),
            ShiftPlacement { kind: ShiftKind::Late, weekend: true }
        );
    }

    #[test]
    fn shifts_are_kept_in_start_order_and_weekend_days_deduplicated() {
        let pattern = ShiftPattern::new(
            vec![shift(ShiftKind::Night, "20:00", "08:00"), shift(ShiftKind::Day, "08:00", "20:00")],
            vec![Weekday::Sunday, Weekday::Saturday, Weekday::Sunday],
        )
        .unwrap();
        assert_eq!(pattern.shifts()[0].kind, ShiftKind::Day);
        assert_eq!(pattern.weekend_days(), &[Weekday::Saturday, Weekday::Sunday]);
    }

    #[test]
    fn a_pattern_round_trips_through_json_and_invalid_json_is_refused() {
        let pattern = ShiftPattern::care_home_default();
        let json = serde_json::to_string(&pattern).unwrap();
        assert!(json.contains(r#""start":"07:00""#), "{json}");
        assert_eq!(serde_json::from_str::<ShiftPattern>(&json).unwrap(), pattern);
        let gappy = json.replace(r#""start":"14:00""#, r#""start":"15:00""#);
        assert!(serde_json::from_str::<ShiftPattern>(&gappy).is_err());
    }

    #[test]
    fn only_late_and_night_shifts_count_as_evening_or_night() {
        let out_of_hours: Vec<_> = ShiftKind::ALL.into_iter().filter(|kind| kind.is_evening_or_night()).collect();
        assert_eq!(out_of_hours, vec![ShiftKind::Late, ShiftKind::Night]);
    }

    #[test]
    fn the_day_before_monday_is_sunday() {
        assert_eq!(Weekday::Monday.previous(), Weekday::Sunday);
        assert_eq!(Weekday::Sunday.previous(), Weekday::Saturday);
    }
}
