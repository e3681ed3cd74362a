//! Dates and times on the server-rendered pages: filters take whole UK days, whatever the
//! clocks do that day, and moments are shown on a wall clock (UK time unless a service's own).

use crate::domain::organisation::DEFAULT_TIME_ZONE;
use crate::error::Validation;
use jiff::civil::Date;
use jiff::tz::TimeZone;

fn zone(name: &str) -> TimeZone {
    TimeZone::get(name).or_else(|_| TimeZone::get(DEFAULT_TIME_ZONE)).expect("the bundled database has Europe/London")
}

/// The first millisecond of `date` in UK time.
fn start_of(date: Date) -> Option<i64> {
    date.to_zoned_datetime(zone(DEFAULT_TIME_ZONE)).ok().map(|zoned| zoned.timestamp().as_millisecond())
}

/// The first millisecond of `day` in UK time.
pub fn start_of_day(day: crate::domain::wall_clock::CalendarDate) -> Option<i64> {
    crate::domain::check::start_of_day_in_zone(DEFAULT_TIME_ZONE, day)
}

fn read_date(raw: &str, field: &str, validation: &mut Validation) -> Option<Date> {
    match raw.trim() {
        "" => None,
        text => validation.check(field, text.parse::<Date>().map_err(|_| format!("“{text}” is not a date."))),
    }
}

/// The moments from the start of `from` to the end of `to` (dates as `YYYY-MM-DD`, inclusive,
/// either may be empty), with refusals recorded at the `from` and `to` fields.
pub fn day_range(from: &str, to: &str, validation: &mut Validation) -> (Option<i64>, Option<i64>) {
    let from = read_date(from, "from", validation);
    let to = read_date(to, "to", validation);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        validation.reject("to", "The end date is before the start date.");
    }
    (from.and_then(start_of), to.and_then(|to| to.tomorrow().ok()).and_then(start_of))
}

/// `at_ms` on the wall clock of `time_zone`, in `format` (strftime).
pub fn wall_clock(at_ms: i64, time_zone: &str, format: &str) -> String {
    jiff::Timestamp::from_millisecond(at_ms)
        .map(|at| at.to_zoned_datetime(zone(time_zone)).strftime(format).to_string())
        .unwrap_or_else(|_| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_whole_uk_days_across_the_clock_change() {
        let mut validation = Validation::default();
        // The clocks went back on 25 October 2026, so that day had 25 hours.
        let (from, to) = day_range("2026-10-25", "2026-10-25", &mut validation);
        assert!(validation.is_clean());
        assert_eq!((to.unwrap() - from.unwrap()) / 3_600_000, 25);
        // Midnight that morning was still summer time: 23:00 the evening before in UTC.
        assert_eq!(from, Some(1_792_882_800_000));
    }

    #[test]
    fn bad_dates_are_refused_at_their_field() {
        let mut validation = Validation::default();
        assert_eq!(day_range("yesterday", "", &mut validation), (None, None));
        let mut backwards = Validation::default();
        day_range("2026-11-02", "2026-11-01", &mut backwards);
        let Err(crate::error::AppError::Invalid(errors)) = backwards.finish(Some(())) else { panic!() };
        assert_eq!(
            (errors[0].field.as_str(), errors[0].message.as_str()),
            ("to", "The end date is before the start date.")
        );
        assert!(!validation.is_clean());
    }

    #[test]
    fn moments_on_a_wall_clock() {
        assert_eq!(wall_clock(1_782_900_000_000, "Europe/London", "%-d %b %Y, %H:%M:%S"), "1 Jul 2026, 11:00:00");
        assert_eq!(wall_clock(1_767_225_600_000, "Europe/London", "%-d %b %Y, %H:%M"), "1 Jan 2026, 00:00");
        assert_eq!(wall_clock(1_767_225_600_000, "Not/AZone", "%H:%M"), "00:00", "an unknown zone is read as UK time");
    }
}
