//! The daily email (`docs/domain.md` §8): once a day, each person who acts on warnings is sent
//! the warnings that are new since their last email and the reviews overdue that they see.

use super::shift::ClockTime;
use super::wall_clock::{CalendarDate, WallTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What the last daily email to one person held: the day it was sent and the warnings that were
/// open then, so that the next lists only those raised since.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestRecord {
    pub user_id: Uuid,
    pub sent_on: CalendarDate,
    pub warning_keys: Vec<String>,
}

/// Whether a person's email is due: the day's sending time has come on the provider's clock, and
/// nothing has been sent to them today.
pub fn is_due(now: WallTime, send_at: ClockTime, last: Option<&DigestRecord>) -> bool {
    now.clock_time() >= send_at && last.is_none_or(|last| last.sent_on < now.date())
}

/// The warnings among `open` (by key) that the last email did not list: all of them when there
/// was none.
pub fn new_since<'a>(open: &'a [String], last: Option<&DigestRecord>) -> Vec<&'a str> {
    open.iter().filter(|key| last.is_none_or(|last| !last.warning_keys.contains(key))).map(String::as_str).collect()
}

/// The subject line, or none when there is nothing to send: "Recheck: 2 new warnings and
/// 1 overdue review".
pub fn subject(new_warnings: usize, overdue_reviews: usize) -> Option<String> {
    let count = |n: usize, one: &str, many: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    };
    let warnings = count(new_warnings, "new warning", "new warnings");
    let reviews = count(overdue_reviews, "overdue review", "overdue reviews");
    match (new_warnings, overdue_reviews) {
        (0, 0) => None,
        (_, 0) => Some(format!("Recheck: {warnings}")),
        (0, _) => Some(format!("Recheck: {reviews}")),
        _ => Some(format!("Recheck: {warnings} and {reviews}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> WallTime {
        WallTime::parse(text).unwrap()
    }

    fn sent(on: &str, keys: &[&str]) -> DigestRecord {
        DigestRecord {
            user_id: Uuid::nil(),
            sent_on: CalendarDate::parse(on).unwrap(),
            warning_keys: keys.iter().map(|key| key.to_string()).collect(),
        }
    }

    #[test]
    fn an_email_is_due_once_a_day_from_the_sending_time() {
        let seven = ClockTime::new(7, 0).unwrap();
        assert!(!is_due(at("2026-12-03T06:59"), seven, None), "not before the time");
        assert!(is_due(at("2026-12-03T07:00"), seven, None));
        assert!(is_due(at("2026-12-03T23:30"), seven, Some(&sent("2026-12-02", &[]))), "late, if missed earlier");
        assert!(!is_due(at("2026-12-03T09:00"), seven, Some(&sent("2026-12-03", &[]))), "once a day");
        assert!(is_due(at("2026-12-04T07:00"), seven, Some(&sent("2026-12-03", &[]))));
    }

    #[test]
    fn only_warnings_not_in_the_last_email_are_new() {
        let open = vec!["a".to_owned(), "b".to_owned(), "c".to_owned()];
        assert_eq!(new_since(&open, None), ["a", "b", "c"]);
        assert_eq!(new_since(&open, Some(&sent("2026-12-02", &["a", "c", "gone"]))), ["b"]);
        assert!(new_since(&[], Some(&sent("2026-12-02", &["a"]))).is_empty());
    }

    #[test]
    fn the_subject_counts_what_the_email_lists() {
        assert_eq!(subject(0, 0), None);
        assert_eq!(subject(1, 0).as_deref(), Some("Recheck: 1 new warning"));
        assert_eq!(subject(0, 3).as_deref(), Some("Recheck: 3 overdue reviews"));
        assert_eq!(subject(2, 1).as_deref(), Some("Recheck: 2 new warnings and 1 overdue review"));
    }
}
