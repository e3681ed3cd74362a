//! Sign-in throttling rules (docs/domain.md, "Signing in on a shared device"). Failed sign-ins are counted per key
//! within a window; an attempt is refused while any of its rules is full.
//!
//! The rules are shaped so that a guesser slows only themself: the tightest limits fall on the
//! pair of one account and one address, and grow longer with each limit passed (5 guesses a
//! quarter of an hour, 10 an hour, 20 a day), so the account's owner, signing in from another
//! address, is never held up by someone else's guessing. One address guessing across many
//! accounts is capped by the address's own limit; a guess at one account spread over many
//! addresses by the account's, set high enough that nobody can lock an owner out by accident.

use std::net::IpAddr;

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;

/// At most `limit` failures under `key` within the last `window_ms`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThrottleRule {
    pub key: String,
    pub limit: u32,
    pub window_ms: i64,
}

/// The longest window any rule counts over: failures older than this can be forgotten.
pub const LONGEST_WINDOW_MS: i64 = 24 * HOUR_MS;

/// One account and one address: a limit and window for each step of the growing delay.
const PAIR_STEPS: [(u32, i64); 3] = [(5, 15 * MINUTE_MS), (10, HOUR_MS), (20, LONGEST_WINDOW_MS)];
/// One address, whichever accounts it guesses at.
const ADDRESS_LIMIT: (u32, i64) = (20, 15 * MINUTE_MS);
/// One account, from every address together.
const ACCOUNT_LIMIT: (u32, i64) = (100, HOUR_MS);
/// A signed-in person re-entering their password before changing it.
pub const CONFIRMATION_LIMIT: (u32, i64) = (5, 15 * MINUTE_MS);

fn account_key(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

/// An IPv4 address stands for itself; an IPv6 address for its /64 network, since one home or
/// office is given a whole /64 and could otherwise pick a fresh address for every guess.
fn address_key(address: Option<IpAddr>) -> String {
    match address.map(|address| address.to_canonical()) {
        Some(IpAddr::V4(v4)) => format!("address:{v4}"),
        Some(IpAddr::V6(v6)) => {
            let segments = v6.segments();
            format!("address:{:x}:{:x}:{:x}:{:x}::/64", segments[0], segments[1], segments[2], segments[3])
        }
        None => "address:unknown".to_owned(),
    }
}

fn rule(key: &str, (limit, window_ms): (u32, i64)) -> ThrottleRule {
    ThrottleRule { key: key.to_owned(), limit, window_ms }
}

/// The rules a sign-in as `email` from `address` is judged by.
pub fn sign_in_rules(email: &str, address: Option<IpAddr>) -> Vec<ThrottleRule> {
    let account = account_key(email);
    let address = address_key(address);
    let pair = pair_key(&account, &address);
    let mut rules: Vec<ThrottleRule> = PAIR_STEPS.iter().map(|step| rule(&pair, *step)).collect();
    rules.push(rule(&address, ADDRESS_LIMIT));
    rules.push(rule(&account, ACCOUNT_LIMIT));
    rules
}

fn pair_key(account: &str, address: &str) -> String {
    format!("{account}|{address}")
}

/// The key whose failures a right password forgets altogether: the pair's, so the owner starts
/// afresh. The address's and account's keep counting, less the one attempt that succeeded.
pub fn forgotten_on_success(rules: &[ThrottleRule]) -> &str {
    &rules[0].key
}

/// The rule a signed-in person's password confirmation is judged by.
pub fn confirmation_rules(email: &str) -> Vec<ThrottleRule> {
    vec![rule(&format!("confirm:{}", account_key(email)), CONFIRMATION_LIMIT)]
}

/// How long to wait when the rules at `full` (indices into `rules`) are full: the longest of
/// their windows, since each counts failures over its whole window.
pub fn retry_after_ms(rules: &[ThrottleRule], full: &[usize]) -> i64 {
    full.iter().filter_map(|&index| rules.get(index)).map(|rule| rule.window_ms).max().unwrap_or(0)
}

/// What a refused person is told: how long to wait, in minutes or, past two hours, in hours.
pub fn throttled_message(retry_after_ms: i64) -> String {
    let minutes = (retry_after_ms.max(0) as u64).div_ceil(MINUTE_MS as u64).max(1);
    let wait = match minutes {
        1 => "a minute".to_owned(),
        2..=120 => format!("{minutes} minutes"),
        _ => format!("{} hours", minutes.div_ceil(60)),
    };
    format!("Too many failed sign-ins. Try again in {wait}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn the_pair_limits_grow_longer_and_come_first() {
        let rules = sign_in_rules(" Ann@Example.org", ip("203.0.113.9"));
        let pair = "account:ann@example.org|address:203.0.113.9";
        assert_eq!(forgotten_on_success(&rules), pair);
        let steps: Vec<_> =
            rules.iter().filter(|rule| rule.key == pair).map(|rule| (rule.limit, rule.window_ms)).collect();
        assert_eq!(steps, [(5, 15 * MINUTE_MS), (10, HOUR_MS), (20, 24 * HOUR_MS)]);
        assert!(steps.windows(2).all(|two| two[0].0 < two[1].0 && two[0].1 < two[1].1));
        assert!(rules.iter().all(|rule| rule.window_ms <= LONGEST_WINDOW_MS));
    }

    #[test]
    fn the_address_and_the_account_have_looser_limits_of_their_own() {
        let rules = sign_in_rules("ann@example.org", ip("203.0.113.9"));
        let address = rules.iter().find(|rule| rule.key == "address:203.0.113.9").unwrap();
        let account = rules.iter().find(|rule| rule.key == "account:ann@example.org").unwrap();
        assert_eq!((address.limit, address.window_ms), (20, 15 * MINUTE_MS));
        assert_eq!((account.limit, account.window_ms), (100, HOUR_MS));
        assert!(account.limit > PAIR_STEPS[2].0, "one guesser fills their pair's limits long before the account's");
    }

    #[test]
    fn the_email_is_counted_whatever_its_case_and_spaces() {
        assert_eq!(sign_in_rules(" ANN@example.org ", None), sign_in_rules("ann@example.org", None));
        assert_eq!(sign_in_rules("ann@example.org", None)[3].key, "address:unknown");
    }

    #[test]
    fn an_ipv6_network_counts_as_one_address() {
        let one = sign_in_rules("ann@example.org", ip("2001:db8:1:2::5"));
        let other = sign_in_rules("ann@example.org", ip("2001:db8:1:2:ffff::9"));
        assert_eq!(one, other);
        assert_eq!(one[3].key, "address:2001:db8:1:2::/64");
        assert_ne!(one, sign_in_rules("ann@example.org", ip("2001:db8:1:3::5")));
        assert_eq!(sign_in_rules("a@b.org", ip("::ffff:10.0.0.1")), sign_in_rules("a@b.org", ip("10.0.0.1")));
    }

    #[test]
    fn confirmation_is_counted_apart_from_sign_in() {
        let rules = confirmation_rules("Ann@example.org");
        assert_eq!(
            rules,
            [ThrottleRule { key: "confirm:account:ann@example.org".into(), limit: 5, window_ms: 15 * MINUTE_MS }]
        );
        assert!(sign_in_rules("ann@example.org", None).iter().all(|rule| rule.key != rules[0].key));
    }

    #[test]
    fn the_wait_is_the_longest_full_window() {
        let rules = sign_in_rules("ann@example.org", None);
        assert_eq!(retry_after_ms(&rules, &[0]), 15 * MINUTE_MS);
        assert_eq!(retry_after_ms(&rules, &[0, 1, 3]), HOUR_MS);
        assert_eq!(retry_after_ms(&rules, &[]), 0);
    }

    #[test]
    fn the_message_says_minutes_then_hours() {
        assert_eq!(throttled_message(15 * MINUTE_MS), "Too many failed sign-ins. Try again in 15 minutes.");
        assert_eq!(throttled_message(1), "Too many failed sign-ins. Try again in a minute.");
        assert_eq!(throttled_message(HOUR_MS), "Too many failed sign-ins. Try again in 60 minutes.");
        assert_eq!(throttled_message(24 * HOUR_MS), "Too many failed sign-ins. Try again in 24 hours.");
    }
}
