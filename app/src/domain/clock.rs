//! The one source of "now". Every rule that depends on the date (a check dated in the future, a
//! session that has lapsed, and, in later releases, re-check cadence, warnings and verdicts) takes
//! its time from a [`Clock`], so that a test can run any rule at any date (`docs/domain.md` §5,
//! "One clock").

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// Tells the time, in milliseconds since 1970 (UTC).
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now_ms(&self) -> i64;
}

pub type SharedClock = Arc<dyn Clock>;

/// The machine's own clock: the browser's in the browser, the operating system's on the server.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        #[cfg(all(target_arch = "wasm32", feature = "hydrate"))]
        {
            leptos::web_sys::js_sys::Date::now() as i64
        }
        #[cfg(not(all(target_arch = "wasm32", feature = "hydrate")))]
        {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|elapsed| i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX))
                .unwrap_or(0)
        }
    }
}

/// The system clock, shared.
pub fn system_clock() -> SharedClock {
    Arc::new(SystemClock)
}

/// A clock that stands still until it is moved: for tests, and for the demonstration history,
/// which is written as if each check were kept on the day it was made.
#[derive(Debug)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn at(now_ms: i64) -> Arc<ManualClock> {
        Arc::new(ManualClock(AtomicI64::new(now_ms)))
    }

    pub fn set(&self, now_ms: i64) {
        self.0.store(now_ms, Ordering::SeqCst);
    }

    pub fn advance_ms(&self, by_ms: i64) {
        self.0.fetch_add(by_ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// The machine's clock moved by a fixed amount: it starts at a chosen moment and runs on at the
/// machine's pace. A server started with `--clock-starts-at` keeps it, so that a browser test can
/// follow a cycle over weeks by restarting the server at later dates (`docs/domain.md` §5, "One clock").
#[derive(Debug)]
pub struct ShiftedClock {
    by_ms: i64,
}

impl ShiftedClock {
    /// A clock that tells `start_ms` now.
    pub fn starting_at(start_ms: i64) -> Arc<ShiftedClock> {
        Arc::new(ShiftedClock { by_ms: start_ms - SystemClock.now_ms() })
    }
}

impl Clock for ShiftedClock {
    fn now_ms(&self) -> i64 {
        SystemClock.now_ms() + self.by_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_tells_the_time_it_was_set_to_until_moved() {
        let clock = ManualClock::at(1_000);
        assert_eq!(clock.now_ms(), 1_000);
        clock.advance_ms(500);
        assert_eq!(clock.now_ms(), 1_500);
        clock.set(42);
        assert_eq!(clock.now_ms(), 42);
    }

    #[test]
    fn a_shifted_clock_starts_at_its_moment_and_runs_on_with_the_machine() {
        let start = 1_790_000_000_000;
        let clock = ShiftedClock::starting_at(start);
        let first = clock.now_ms();
        assert!((start..start + 1_000).contains(&first), "{first}");
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(clock.now_ms() >= first + 20);
    }

    #[test]
    fn the_system_clock_is_after_the_first_release() {
        // 26 November 2026, when Recheck's first release was made.
        assert!(SystemClock.now_ms() > 1_795_000_000_000);
    }
}
