//! A service's wall clock, for the browser. The server places checks with the IANA database
//! (jiff, in `check::place_in_zone`); bundling that database into the wasm would cost more than
//! the whole recorder, so the browser asks `Intl` for a zone's UTC offset at a moment and does
//! the calendar arithmetic here, where it can be tested.

use super::shift::{ClockTime, Weekday};

const MS_PER_MINUTE: i64 = 60_000;
const MINUTES_PER_DAY: i64 = 24 * 60;

/// A date and time as a clock on the wall shows it, to the minute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct WallTime {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u8;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 } as u8;
    let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A day on a service's calendar, as dates are written in forms and kept on checks: `2026-11-26`.
/// Counting days between two of them is the service's own count, whatever the clocks did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate {
    days_since_1970: i64,
}

impl CalendarDate {
    /// Reads `YYYY-MM-DD`, as a `date` input gives it.
    pub fn parse(text: &str) -> Option<CalendarDate> {
        let text = text.trim();
        let mut parts = text.splitn(3, '-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        CalendarDate::from_parts(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
    }

    /// The date of `day` `month` `year`, if there is one.
    pub fn from_parts(year: i32, month: u8, day: u8) -> Option<CalendarDate> {
        let valid = (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day);
        valid.then(|| CalendarDate { days_since_1970: days_from_civil(year, month, day) })
    }

    /// Year, month (1–12) and day of the month.
    pub fn parts(self) -> (i32, u8, u8) {
        civil_from_days(self.days_since_1970)
    }

    pub fn weekday(self) -> Weekday {
        // 1 January 1970 was a Thursday.
        Weekday::ALL[(self.days_since_1970 + 3).rem_euclid(7) as usize]
    }

    /// The Monday that starts this date's ISO 8601 week.
    pub fn monday(self) -> CalendarDate {
        self.plus_days(-((self.days_since_1970 + 3).rem_euclid(7)))
    }

    /// The ISO 8601 week-numbering year and week (weeks start on Monday; week 1 holds the
    /// year's first Thursday): 30 December 2024 is in week 1 of 2025.
    pub fn iso_week(self) -> (i32, u8) {
        let thursday = self.monday().plus_days(3);
        let (year, ..) = thursday.parts();
        let first_of_year = days_from_civil(year, 1, 1);
        (year, ((thursday.days_since_1970 - first_of_year) / 7 + 1) as u8)
    }

    pub fn plus_days(self, days: i64) -> CalendarDate {
        CalendarDate { days_since_1970: self.days_since_1970 + days }
    }

    /// Days from `earlier` to this date: 28 from 1 November to 29 November.
    pub fn days_since(self, earlier: CalendarDate) -> i64 {
        self.days_since_1970 - earlier.days_since_1970
    }

    /// The date as people read it: `29 November 2026`.
    pub fn in_words(self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let (year, month, day) = civil_from_days(self.days_since_1970);
        format!("{day} {} {year}", MONTHS[usize::from(month) - 1])
    }
}

impl std::fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (year, month, day) = civil_from_days(self.days_since_1970);
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

impl serde::Serialize for CalendarDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for CalendarDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        CalendarDate::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("“{text}” is not a date (YYYY-MM-DD)")))
    }
}

impl WallTime {
    /// `time` on `date`.
    pub fn on(date: CalendarDate, time: ClockTime) -> WallTime {
        let (year, month, day) = date.parts();
        let minutes = time.minutes_after_midnight();
        WallTime { year, month, day, hour: (minutes / 60) as u8, minute: (minutes % 60) as u8 }
    }

    /// The day this wall time falls on.
    pub fn date(self) -> CalendarDate {
        CalendarDate { days_since_1970: days_from_civil(self.year, self.month, self.day) }
    }
}

impl WallTime {
    /// Reads `YYYY-MM-DDTHH:MM`, as a `datetime-local` input gives it (seconds are ignored).
    pub fn parse(text: &str) -> Option<WallTime> {
        let (date, time) = text.trim().split_once('T')?;
        let mut date_parts = date.splitn(3, '-');
        let year: i32 = date_parts.next()?.parse().ok()?;
        let month: u8 = date_parts.next()?.parse().ok()?;
        let day: u8 = date_parts.next()?.parse().ok()?;
        let clock = ClockTime::parse(time.get(..5)?).ok()?;
        let valid_date =
            (1..=9999).contains(&year) && (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day);
        let minutes = clock.minutes_after_midnight();
        valid_date.then_some(WallTime { year, month, day, hour: (minutes / 60) as u8, minute: (minutes % 60) as u8 })
    }

    /// `YYYY-MM-DDTHH:MM`, for a `datetime-local` input.
    pub fn to_input_value(self) -> String {
        format!("{:04}-{:02}-{:02}T{:02}:{:02}", self.year, self.month, self.day, self.hour, self.minute)
    }

    /// Minutes since 1970 as if this wall time were UTC.
    fn as_utc_minutes(self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * MINUTES_PER_DAY
            + i64::from(self.hour) * 60
            + i64::from(self.minute)
    }

    /// The UTC offset (minutes east) of a zone whose clock shows this wall time at `utc_ms`.
    pub fn offset_from(self, utc_ms: i64) -> i64 {
        self.as_utc_minutes() - utc_ms.div_euclid(MS_PER_MINUTE)
    }

    fn from_utc_minutes(minutes: i64) -> WallTime {
        let (year, month, day) = civil_from_days(minutes.div_euclid(MINUTES_PER_DAY));
        let minute_of_day = minutes.rem_euclid(MINUTES_PER_DAY);
        WallTime { year, month, day, hour: (minute_of_day / 60) as u8, minute: (minute_of_day % 60) as u8 }
    }

    /// The wall time at `utc_ms` in a zone whose UTC offset (minutes east) `offset_at` gives.
    pub fn at(utc_ms: i64, offset_at: impl Fn(i64) -> i64) -> WallTime {
        WallTime::from_utc_minutes(utc_ms.div_euclid(MS_PER_MINUTE) + offset_at(utc_ms))
    }

    /// The moment this wall time names, and the offset in force then. In the hour the clocks go
    /// back the earlier moment is chosen; a time skipped when they go forward is read with the
    /// offset before the change (01:30 on the March day becomes 02:30 BST), as jiff does.
    pub fn moment(self, offset_at: impl Fn(i64) -> i64) -> (i64, i64) {
        let as_utc_ms = self.as_utc_minutes() * MS_PER_MINUTE;
        let offset_before = offset_at(as_utc_ms - MINUTES_PER_DAY * MS_PER_MINUTE);
        let offset_after = offset_at(as_utc_ms + MINUTES_PER_DAY * MS_PER_MINUTE);
        for offset in [offset_before, offset_after] {
            let candidate = as_utc_ms - offset * MS_PER_MINUTE;
            if offset_at(candidate) == offset {
                return (candidate, offset);
            }
        }
        (as_utc_ms - offset_before * MS_PER_MINUTE, offset_before)
    }

    /// The moment (milliseconds since 1970, UTC, to the minute) that an RFC 3339 time names,
    /// whatever offset it was written with: `2026-06-01T13:05:00Z`, `…14:05:00.5+01:00`.
    pub fn parse_moment(text: &str) -> Option<i64> {
        let text = text.trim();
        let wall = WallTime::parse(text.get(..16)?)?;
        let offset_minutes = if text.ends_with(['Z', 'z']) {
            0
        } else {
            let offset = text.get(text.len().checked_sub(6)?..)?;
            let sign = match offset.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let clock = ClockTime::parse(offset.get(1..)?).ok()?;
            sign * i64::from(clock.minutes_after_midnight())
        };
        Some((wall.as_utc_minutes() - offset_minutes) * MS_PER_MINUTE)
    }

    /// RFC 3339 with the offset in force, as checks carry it: `2026-11-26T14:05:00+00:00`.
    pub fn to_rfc3339(self, offset_minutes: i64) -> String {
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let offset = offset_minutes.abs();
        format!("{}:00{sign}{:02}:{:02}", self.to_input_value(), offset / 60, offset % 60)
    }

    pub fn weekday(self) -> Weekday {
        Weekday::ALL[(days_from_civil(self.year, self.month, self.day) + 3).rem_euclid(7) as usize]
    }

    pub fn clock_time(self) -> ClockTime {
        ClockTime::new(self.hour, self.minute).expect("a wall time's hour and minute are in range")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Europe/London in 2026: BST from 29 March 01:00 UTC to 25 October 01:00 UTC.
    fn london(utc_ms: i64) -> i64 {
        let starts = WallTime { year: 2026, month: 3, day: 29, hour: 1, minute: 0 }.as_utc_minutes() * MS_PER_MINUTE;
        let ends = WallTime { year: 2026, month: 10, day: 25, hour: 1, minute: 0 }.as_utc_minutes() * MS_PER_MINUTE;
        if (starts..ends).contains(&utc_ms) { 60 } else { 0 }
    }

    fn wall(text: &str) -> WallTime {
        WallTime::parse(text).unwrap_or_else(|| panic!("{text} is a wall time"))
    }

    fn utc_ms(text: &str) -> i64 {
        wall(text).as_utc_minutes() * MS_PER_MINUTE
    }

    #[test]
    fn calendar_arithmetic_round_trips_across_leap_years_and_centuries() {
        for days in [-719_468, -1, 0, 1, 10_957, 11_016, 20_000, 2_932_896] {
            let (year, month, day) = civil_from_days(days);
            assert_eq!(days_from_civil(year, month, day), days, "{year}-{month}-{day}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn reads_and_writes_datetime_local_values() {
        assert_eq!(wall("2026-11-26T07:05").to_input_value(), "2026-11-26T07:05");
        assert_eq!(wall("2026-11-26T07:05:59").to_input_value(), "2026-11-26T07:05");
        for bad in ["", "2026-11-26", "2026-02-29T10:00", "2026-13-01T10:00", "2026-11-26T24:00", "26/11/2026 10:00"] {
            assert_eq!(WallTime::parse(bad), None, "{bad}");
        }
        assert!(WallTime::parse("2028-02-29T10:00").is_some(), "a leap day");
    }

    #[test]
    fn weekdays() {
        assert_eq!(wall("2026-11-26T12:00").weekday(), Weekday::Thursday);
        assert_eq!(wall("1970-01-01T00:00").weekday(), Weekday::Thursday);
        assert_eq!(wall("2026-03-29T00:30").weekday(), Weekday::Sunday);
    }

    #[test]
    fn wall_time_at_a_moment_follows_the_clock_changes() {
        assert_eq!(WallTime::at(utc_ms("2026-01-15T23:30"), london), wall("2026-01-15T23:30"));
        assert_eq!(WallTime::at(utc_ms("2026-07-01T23:30"), london), wall("2026-07-02T00:30"), "BST crosses midnight");
        assert_eq!(WallTime::at(utc_ms("2026-03-29T00:59"), london), wall("2026-03-29T00:59"));
        assert_eq!(WallTime::at(utc_ms("2026-03-29T01:00"), london), wall("2026-03-29T02:00"));
        assert_eq!(WallTime::at(utc_ms("2026-10-25T00:30"), london), wall("2026-10-25T01:30"));
        assert_eq!(WallTime::at(utc_ms("2026-10-25T01:30"), london), wall("2026-10-25T01:30"));
    }

    #[test]
    fn moments_of_wall_times_including_the_missing_and_repeated_hours() {
        assert_eq!(wall("2026-11-26T14:05").moment(london), (utc_ms("2026-11-26T14:05"), 0));
        assert_eq!(wall("2026-06-01T14:05").moment(london), (utc_ms("2026-06-01T13:05"), 60));
        // 01:30 happens twice on 25 October; the first (BST) is meant.
        assert_eq!(wall("2026-10-25T01:30").moment(london), (utc_ms("2026-10-25T00:30"), 60));
        // 01:30 never happens on 29 March; it is read as GMT, which the clock shows as 02:30 BST.
        let (skipped, offset) = wall("2026-03-29T01:30").moment(london);
        assert_eq!(skipped, utc_ms("2026-03-29T01:30"));
        assert_eq!(WallTime::at(skipped, london), wall("2026-03-29T02:30"));
        assert_eq!(offset, 0);
    }

    #[test]
    fn moments_are_read_whatever_offset_they_carry() {
        let moment = utc_ms("2026-06-01T13:05");
        for text in [
            "2026-06-01T13:05:00Z",
            "2026-06-01T14:05:00+01:00",
            "2026-06-01T14:05:30.5+01:00",
            "2026-06-01T09:35:00-03:30",
        ] {
            assert_eq!(WallTime::parse_moment(text), Some(moment), "{text}");
        }
        assert_eq!(WallTime::at(moment, london), wall("2026-06-01T14:05"), "shown on the service's clock");
        for bad in ["", "2026-06-01T13:05", "2026-06-01T13:05:00+0100", "yesterday"] {
            assert_eq!(WallTime::parse_moment(bad), None, "{bad}");
        }
    }

    #[test]
    fn calendar_dates_read_count_and_print() {
        let first = CalendarDate::parse("2026-11-01").unwrap();
        assert_eq!(first.to_string(), "2026-11-01");
        assert_eq!(first.plus_days(28).to_string(), "2026-11-29");
        assert_eq!(first.plus_days(28).days_since(first), 28);
        assert_eq!(first.plus_days(28).in_words(), "29 November 2026");
        assert_eq!(CalendarDate::parse("2028-02-29").unwrap().plus_days(1).to_string(), "2028-03-01");
        for bad in ["", "2026-11-1", "2026-02-29", "2026-13-01", "01/11/2026", "2026-11-01T10:00"] {
            assert_eq!(CalendarDate::parse(bad), None, "{bad}");
        }
        assert_eq!(wall("2026-03-29T23:59").date(), CalendarDate::parse("2026-03-29").unwrap());
        let json = serde_json::to_string(&first).unwrap();
        assert_eq!(json, "\"2026-11-01\"");
        assert_eq!(serde_json::from_str::<CalendarDate>(&json).unwrap(), first);
        assert!(serde_json::from_str::<CalendarDate>("\"1 November\"").is_err());
    }

    #[test]
    fn rfc3339_carries_the_offset() {
        assert_eq!(wall("2026-06-01T14:05").to_rfc3339(60), "2026-06-01T14:05:00+01:00");
        assert_eq!(wall("2026-11-26T09:00").to_rfc3339(0), "2026-11-26T09:00:00+00:00");
        assert_eq!(wall("2026-11-26T09:00").to_rfc3339(-210), "2026-11-26T09:00:00-03:30");
    }

    #[test]
    fn iso_weeks_start_on_monday_and_belong_to_their_thursday() {
        let date = |text: &str| CalendarDate::parse(text).unwrap();
        assert_eq!(date("2026-12-03").weekday(), Weekday::Thursday);
        assert_eq!(date("2026-12-03").monday(), date("2026-11-30"));
        assert_eq!(date("2026-11-30").monday(), date("2026-11-30"));
        assert_eq!(date("2026-12-06").monday(), date("2026-11-30"));
        assert_eq!(date("2026-12-03").iso_week(), (2026, 49));
        assert_eq!(date("2024-12-30").iso_week(), (2025, 1));
        assert_eq!(date("2027-01-01").iso_week(), (2026, 53));
        assert_eq!(date("2026-01-01").iso_week(), (2026, 1));
        assert_eq!(date("2026-12-03").parts(), (2026, 12, 3));
        assert_eq!(CalendarDate::from_parts(2026, 2, 29), None);
        assert_eq!(CalendarDate::from_parts(2028, 2, 29), Some(date("2028-02-29")));
    }
}
