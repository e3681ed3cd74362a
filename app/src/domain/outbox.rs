//! The device's outbox: checks saved on the tablet wait here until the server has them. Nothing
//! leaves the outbox except a check the server has answered `accepted` or `duplicate` for, so a
//! check is never lost to a dropped connection, a restart or an expired session; and because the
//! server keeps each check id once, sending again after any failure is always safe.
//!
//! The rules are pure: the browser keeps an `Outbox` in local storage and asks it what to do.

use super::check::{SubmittedCheck, SyncResult, SyncStatus};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The most checks sent in one request (the server's limit).
pub const MAX_BATCH: usize = 500;
/// And the most bytes, safely under the server's 4 MB.
pub const MAX_BATCH_BYTES: usize = 3_500_000;
/// The first retry after a failure, doubling each time up to the longest wait.
pub const FIRST_RETRY_MS: i64 = 5_000;
pub const LONGEST_RETRY_MS: i64 = 5 * 60_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryState {
    /// Saved on the device, not yet kept by the server.
    Waiting,
    /// The server would not keep it, for this reason; it waits for the shift leader to correct
    /// it (which makes it waiting again).
    Rejected { reason: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub check: SubmittedCheck,
    pub saved_at_ms: i64,
    pub state: EntryState,
    /// Whether it has been sent: the server may have kept it even if no answer came back.
    #[serde(default)]
    pub sent: bool,
}

/// Why a check in the outbox cannot simply be replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SaveError {
    /// It may already be kept on the server, where it can no longer change.
    #[error("this check may already have reached the server; record a correction instead")]
    MayBeKept,
}

/// Why a sync did not get an answer for its checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncFailure {
    /// No network, the server down, a timeout, a 5xx: try again later.
    Unreachable,
    /// The session has ended (401), or the person must choose a new password first (403): wait
    /// until they have signed in again.
    SignedOut,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    pub entries: Vec<OutboxEntry>,
    pub last_success_ms: Option<i64>,
    pub failures_in_a_row: u32,
    /// No automatic sync before this time (after failures).
    pub retry_at_ms: Option<i64>,
    /// The last sync was refused for want of a session.
    pub signed_out: bool,
}

impl Outbox {
    /// Keeps a new check, or a new version of one not yet sent or refused by the server (same
    /// id). A check that has been sent may be kept on the server already, where it can no
    /// longer change: correcting it takes a new check that amends it.
    pub fn save(&mut self, check: SubmittedCheck, now_ms: i64) -> Result<(), SaveError> {
        let entry = OutboxEntry { check, saved_at_ms: now_ms, state: EntryState::Waiting, sent: false };
        match self.entries.iter_mut().find(|existing| existing.check.id == entry.check.id) {
            Some(existing) if existing.sent && existing.state == EntryState::Waiting => {
                return Err(SaveError::MayBeKept);
            }
            Some(existing) => *existing = entry,
            None => self.entries.push(entry),
        }
        Ok(())
    }

    pub fn waiting(&self) -> usize {
        self.entries.iter().filter(|entry| entry.state == EntryState::Waiting).count()
    }

    pub fn rejected(&self) -> impl Iterator<Item = (&SubmittedCheck, &str)> {
        self.entries.iter().filter_map(|entry| match &entry.state {
            EntryState::Rejected { reason } => Some((&entry.check, reason.as_str())),
            EntryState::Waiting => None,
        })
    }

    /// The next checks to send, oldest first, within the server's limits; they are marked as
    /// sent.
    pub fn take_batch(&mut self) -> Vec<SubmittedCheck> {
        let mut batch = Vec::new();
        let mut bytes = 0;
        for entry in self.entries.iter_mut().filter(|entry| entry.state == EntryState::Waiting) {
            let size = serde_json::to_vec(&entry.check).map_or(0, |json| json.len());
            if batch.len() == MAX_BATCH || (!batch.is_empty() && bytes + size > MAX_BATCH_BYTES) {
                break;
            }
            bytes += size;
            entry.sent = true;
            batch.push(entry.check.clone());
        }
        batch
    }

    /// Whether an automatic sync should start now. "Sync now" ignores the retry wait.
    pub fn due(&self, now_ms: i64) -> bool {
        self.waiting() > 0 && !self.signed_out && self.retry_at_ms.is_none_or(|at| now_ms >= at)
    }

    /// The server's answer to a batch: kept checks leave, refused ones wait for correction.
    pub fn answered(&mut self, results: &[SyncResult], now_ms: i64) {
        for result in results {
            let Ok(id) = Uuid::parse_str(&result.id) else { continue };
            match result.status {
                SyncStatus::Accepted | SyncStatus::Duplicate => self.entries.retain(|entry| entry.check.id != id),
                SyncStatus::Rejected => {
                    if let Some(entry) = self.entries.iter_mut().find(|entry| entry.check.id == id) {
                        let reason = result.reason.clone().unwrap_or_else(|| "The server would not keep it.".into());
                        entry.state = EntryState::Rejected { reason };
                    }
                }
            }
        }
        self.last_success_ms = Some(now_ms);
        self.failures_in_a_row = 0;
        self.retry_at_ms = None;
        self.signed_out = false;
    }

    /// A sync that got no answer: everything stays, and the next try waits longer each time.
    pub fn failed(&mut self, failure: SyncFailure, now_ms: i64) {
        match failure {
            SyncFailure::SignedOut => self.signed_out = true,
            SyncFailure::Unreachable => {
                self.failures_in_a_row = self.failures_in_a_row.saturating_add(1);
                let doublings = self.failures_in_a_row.saturating_sub(1).min(16);
                let wait = (FIRST_RETRY_MS << doublings).min(LONGEST_RETRY_MS);
                self.retry_at_ms = Some(now_ms + wait);
            }
        }
    }

    /// Lets go of a check the server refused, when the shift leader decides it cannot be put
    /// right (the staff member has left, say). A waiting check may yet be kept, so it stays.
    pub fn discard_rejected(&mut self, id: Uuid) -> bool {
        let before = self.entries.len();
        self.entries.retain(|entry| entry.check.id != id || entry.state == EntryState::Waiting);
        self.entries.len() < before
    }

    /// The person signed in again: sync as soon as possible.
    pub fn signed_in(&mut self) {
        self.signed_out = false;
        self.retry_at_ms = None;
    }

    /// The network came back: no reason to wait out the backoff.
    pub fn online_again(&mut self) {
        self.retry_at_ms = None;
    }

    /// What the outbox holds, as the device reports it to the server.
    pub fn held(&self) -> HeldChecks {
        let mut held = HeldChecks::default();
        for entry in &self.entries {
            match (&entry.state, entry.sent) {
                (EntryState::Waiting, false) => held.unsent += 1,
                (EntryState::Waiting, true) => held.waiting += 1,
                (EntryState::Rejected { .. }, _) => held.refused += 1,
            }
        }
        held.oldest_saved_at_ms = self.entries.iter().map(|entry| entry.saved_at_ms).min();
        held
    }
}

/// What a device holds for one person (`docs/domain.md` §8): checks not yet sent, checks sent
/// that no answer has been kept for (the connection broke, or the session ended), and checks the
/// server refused, which wait for the shift leader to correct them; and when the oldest of them
/// was saved, by the device's clock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HeldChecks {
    pub unsent: u32,
    pub waiting: u32,
    pub refused: u32,
    pub oldest_saved_at_ms: Option<i64>,
}

impl HeldChecks {
    pub fn total(&self) -> u32 {
        self.unsent.saturating_add(self.waiting).saturating_add(self.refused)
    }
}

/// A device's latest report, as the server keeps it: whose checks, and when it last reached
/// the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceReport {
    pub device_id: String,
    pub user_id: Uuid,
    pub reported_at_ms: i64,
    pub held: HeldChecks,
}

impl DeviceReport {
    /// The report as received at `now_ms`. A device whose clock runs fast cannot hide a check
    /// held for long: a check saved "later" than the report is taken as saved when reported.
    pub fn received(device_id: String, user_id: Uuid, mut held: HeldChecks, now_ms: i64) -> DeviceReport {
        held.oldest_saved_at_ms = held.oldest_saved_at_ms.map(|at| at.min(now_ms));
        DeviceReport { device_id, user_id, reported_at_ms: now_ms, held }
    }

    /// Whether the device has held a check for longer than a shift of `shift_minutes`: it holds
    /// at least one, and the oldest was saved more than that before `now_ms`. Held since the
    /// report counts too: a device that has not reached the server since still holds them.
    pub fn held_longer_than(&self, shift_minutes: u16, now_ms: i64) -> bool {
        self.held.total() > 0
            && self.held.oldest_saved_at_ms.is_some_and(|at| now_ms - at > i64::from(shift_minutes) * 60_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::check::CheckDetails;

    fn check(n: u128) -> SubmittedCheck {
        SubmittedCheck {
            id: Uuid::from_u128(n),
            service_id: Uuid::from_u128(1),
            staff_id: Uuid::from_u128(2),
            theme_id: Uuid::from_u128(3),
            observed_at: "2026-11-26T14:05:00+00:00".into(),
            announced: false,
            shift: None,
            weekend: None,
            ratings: vec![],
            details: CheckDetails::Observation {
                examples: String::new(),
                person_response: String::new(),
                feedback_given: false,
                feedback: String::new(),
            },
            amends: None,
            theme_version: Some(1),
        }
    }

    fn result(n: u128, status: SyncStatus, reason: Option<&str>) -> SyncResult {
        SyncResult { id: Uuid::from_u128(n).to_string(), status, reason: reason.map(Into::into) }
    }

    fn outbox_of(count: u128) -> Outbox {
        let mut outbox = Outbox::default();
        for n in 1..=count {
            outbox.save(check(n), n as i64).unwrap();
        }
        outbox
    }

    #[test]
    fn an_outbox_reports_what_it_holds_unsent_waiting_and_refused_with_the_oldest() {
        assert_eq!(Outbox::default().held(), HeldChecks::default());
        let mut outbox = outbox_of(4);
        let batch = outbox.take_batch();
        assert_eq!(batch.len(), 4);
        outbox.answered(&[result(1, SyncStatus::Accepted, None), result(2, SyncStatus::Rejected, Some("no"))], 10);
        outbox.save(check(5), 20).unwrap();
        // 3 and 4 were sent with no answer kept for them; 5 is new.
        assert_eq!(outbox.held(), HeldChecks { unsent: 1, waiting: 2, refused: 1, oldest_saved_at_ms: Some(2) });
        assert_eq!(outbox.held().total(), 4);
    }

    #[test]
    fn a_device_has_held_checks_too_long_only_past_a_shift_and_only_when_it_holds_any() {
        const HOUR: i64 = 3_600_000;
        let held = |total: u32, oldest: Option<i64>| HeldChecks {
            unsent: total,
            waiting: 0,
            refused: 0,
            oldest_saved_at_ms: oldest,
        };
        let report = |held| DeviceReport::received("tablet".into(), Uuid::from_u128(9), held, 20 * HOUR);
        let shift = 12 * 60;
        assert!(!report(held(2, Some(9 * HOUR))).held_longer_than(shift, 20 * HOUR), "eleven hours: within a shift");
        assert!(report(held(2, Some(7 * HOUR))).held_longer_than(shift, 20 * HOUR), "thirteen hours");
        assert!(!report(held(2, Some(8 * HOUR))).held_longer_than(shift, 20 * HOUR), "exactly a shift");
        assert!(!report(held(0, Some(1))).held_longer_than(shift, 20 * HOUR), "nothing held");
        // Not heard from since: still held, and later it is past a shift.
        assert!(report(held(1, Some(19 * HOUR))).held_longer_than(shift, 32 * HOUR));
        // A fast device clock is brought back to the report's time.
        let ahead = report(held(1, Some(40 * HOUR)));
        assert_eq!(ahead.held.oldest_saved_at_ms, Some(20 * HOUR));
        assert!(ahead.held_longer_than(shift, 33 * HOUR));
    }

    #[test]
    fn only_refused_checks_can_be_discarded() {
        let mut outbox = outbox_of(2);
        outbox.take_batch();
        outbox.answered(&[result(1, SyncStatus::Rejected, Some("no"))], 10);
        assert!(!outbox.discard_rejected(Uuid::from_u128(2)), "still waiting");
        assert!(outbox.discard_rejected(Uuid::from_u128(1)));
        assert_eq!(outbox.entries.len(), 1);
        assert_eq!(outbox.entries[0].check.id, Uuid::from_u128(2));
    }

    #[test]
    fn saved_checks_wait_in_the_order_they_were_saved() {
        let mut outbox = outbox_of(3);
        assert_eq!(outbox.waiting(), 3);
        assert!(outbox.due(0));
        let ids: Vec<_> = outbox.take_batch().iter().map(|c| c.id).collect();
        assert_eq!(ids, [Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3)]);
        assert_eq!(outbox.waiting(), 3, "sent is not kept: they wait for the answer");
    }

    #[test]
    fn only_kept_checks_leave_and_refused_ones_wait_with_their_reason() {
        let mut outbox = outbox_of(4);
        outbox.take_batch();
        outbox.answered(
            &[
                result(1, SyncStatus::Accepted, None),
                result(2, SyncStatus::Duplicate, None),
                result(3, SyncStatus::Rejected, Some("5 is not a rating")),
            ],
            100,
        );
        assert_eq!(outbox.waiting(), 1, "check 4 had no answer and stays");
        let rejected: Vec<_> = outbox.rejected().map(|(check, reason)| (check.id, reason.to_owned())).collect();
        assert_eq!(rejected, [(Uuid::from_u128(3), "5 is not a rating".to_owned())]);
        assert_eq!(outbox.last_success_ms, Some(100));
        assert_eq!(outbox.take_batch().len(), 1, "a refused check is not sent again until corrected");
    }

    #[test]
    fn a_corrected_check_replaces_the_refused_one_and_waits_again() {
        let mut outbox = outbox_of(1);
        outbox.take_batch();
        outbox.answered(&[result(1, SyncStatus::Rejected, Some("no"))], 10);
        let corrected = SubmittedCheck { announced: true, ..check(1) };
        outbox.save(corrected.clone(), 20).unwrap();
        assert_eq!(outbox.entries.len(), 1);
        assert_eq!(outbox.take_batch(), [corrected]);
    }

    #[test]
    fn a_check_not_yet_sent_may_be_replaced_but_a_sent_one_needs_a_correction() {
        let mut outbox = outbox_of(1);
        let changed = SubmittedCheck { announced: true, ..check(1) };
        assert_eq!(outbox.save(changed.clone(), 5), Ok(()));
        outbox.take_batch();
        outbox.failed(SyncFailure::Unreachable, 6);
        assert_eq!(outbox.save(check(1), 7), Err(SaveError::MayBeKept), "the lost answer may have been accepted");
        assert_eq!(outbox.take_batch(), [changed], "the sent version is what goes again");
    }

    #[test]
    fn failures_keep_everything_and_wait_longer_each_time() {
        let mut outbox = outbox_of(2);
        outbox.failed(SyncFailure::Unreachable, 1_000);
        assert_eq!(outbox.retry_at_ms, Some(6_000));
        assert!(!outbox.due(5_999) && outbox.due(6_000));
        outbox.failed(SyncFailure::Unreachable, 6_000);
        assert_eq!(outbox.retry_at_ms, Some(16_000));
        for _ in 0..20 {
            outbox.failed(SyncFailure::Unreachable, 0);
        }
        assert_eq!(outbox.retry_at_ms, Some(LONGEST_RETRY_MS), "the wait stops growing");
        assert_eq!(outbox.waiting(), 2);
        outbox.online_again();
        assert!(outbox.due(0), "the network coming back ends the wait");
        outbox.answered(&[], 50);
        assert_eq!((outbox.failures_in_a_row, outbox.retry_at_ms), (0, None));
    }

    #[test]
    fn an_ended_session_stops_syncing_until_the_person_signs_in() {
        let mut outbox = outbox_of(1);
        outbox.failed(SyncFailure::SignedOut, 0);
        assert!(!outbox.due(1_000_000));
        assert_eq!(outbox.waiting(), 1, "nothing is lost");
        outbox.signed_in();
        assert!(outbox.due(0));
    }

    #[test]
    fn a_large_outbox_is_sent_in_batches_the_server_accepts() {
        let mut outbox = outbox_of(MAX_BATCH as u128 + 20);
        assert_eq!(outbox.take_batch().len(), MAX_BATCH);
        let mut wordy = Outbox::default();
        for n in 1..=3 {
            let details = CheckDetails::Observation {
                examples: "x".repeat(1_500_000),
                person_response: String::new(),
                feedback_given: false,
                feedback: String::new(),
            };
            wordy.save(SubmittedCheck { details, ..check(n) }, 0).unwrap();
        }
        assert_eq!(wordy.take_batch().len(), 2, "kept under the server's 4 MB");
        wordy.answered(&[result(1, SyncStatus::Accepted, None), result(2, SyncStatus::Accepted, None)], 1);
        let rest: Vec<_> = wordy.take_batch().iter().map(|c| c.id).collect();
        assert_eq!(rest, [Uuid::from_u128(3)], "the rest follow in the next batch");
    }

    #[test]
    fn an_empty_outbox_is_never_due_and_answers_for_unknown_checks_change_nothing() {
        let mut outbox = Outbox::default();
        assert!(!outbox.due(0));
        outbox.answered(
            &[
                result(9, SyncStatus::Accepted, None),
                SyncResult { id: "x".into(), status: SyncStatus::Rejected, reason: None },
            ],
            1,
        );
        assert!(outbox.entries.is_empty());
    }

    #[test]
    fn the_outbox_survives_a_round_trip_through_storage() {
        let mut outbox = outbox_of(2);
        outbox.take_batch();
        outbox.answered(&[result(1, SyncStatus::Rejected, Some("why"))], 5);
        let text = serde_json::to_string(&outbox).unwrap();
        assert_eq!(serde_json::from_str::<Outbox>(&text).unwrap(), outbox);
    }
}
