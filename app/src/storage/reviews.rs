//! Reviews and their cadence (`docs/domain.md` §8): the reviews recorded, how often each is due
//! at each service, and where each stands now.

use super::{Storage, StorageResult};
use crate::domain::audit::{AuditEvent, Author};
use crate::domain::check::{CheckFilter, StoredCheck, start_of_day_in_zone, wall_time_in_zone};
use crate::domain::organisation::Service;
use crate::domain::review::{Cadence, Review, ReviewKind, ReviewPeriod, ReviewStatus, review_status};
use uuid::Uuid;

/// Which reviews to list; every field narrows it. Newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReviewFilter {
    pub service_ids: Option<Vec<Uuid>>,
    /// Only these kinds, when set.
    pub kinds: Option<Vec<ReviewKind>>,
    pub recorded_from_ms: Option<i64>,
    /// Only reviews listed after this one (the last of the previous page): recorded earlier, or
    /// at the same moment with a smaller id.
    pub after: Option<ReviewCursor>,
    pub limit: i64,
}

/// A place in the list of reviews, newest recorded first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReviewCursor {
    pub recorded_at_ms: i64,
    pub id: Uuid,
}

impl ReviewCursor {
    pub fn of(review: &Review) -> ReviewCursor {
        ReviewCursor { recorded_at_ms: review.recorded_at_ms, id: review.id }
    }
}

#[async_trait::async_trait]
pub trait ReviewStore: Send + Sync {
    /// The cadences `service_ids` have set; a kind not listed follows the usual
    /// cadence (`docs/domain.md` §8, "The review cadence").
    async fn review_cadences(&self, service_ids: &[Uuid]) -> StorageResult<Vec<Cadence>>;
    async fn reviews(&self, filter: &ReviewFilter) -> StorageResult<Vec<Review>>;
    async fn review(&self, id: Uuid) -> StorageResult<Option<Review>>;
}

#[async_trait::async_trait]
pub trait ReviewWrites: Send {
    /// The cadence `service_id` has set for `kind`, locked until the unit of work ends where
    /// rows lock.
    async fn review_cadence_for_update(&mut self, service_id: Uuid, kind: ReviewKind)
    -> StorageResult<Option<Cadence>>;
    /// Keeps `cadence` in place of the service's earlier one for its kind.
    async fn save_review_cadence(&mut self, cadence: &Cadence) -> StorageResult<()>;
    async fn insert_review(&mut self, review: &Review) -> StorageResult<()>;
}

impl Storage {
    /// Keeps a review, with its audit event.
    pub async fn record_review(&self, review: &Review, summary: &str) -> StorageResult<()> {
        let mut unit = self.begin().await?;
        unit.insert_review(review).await?;
        let event =
            AuditEvent::new(review.recorded_at_ms, &review.recorded_by, "review.recorded", Some(review.id), summary)
                .with_after(review);
        unit.insert_audit_event(&event).await?;
        unit.commit().await
    }

    /// Changes how often reviews are due at a service, each with the cadence before it (the
    /// usual one, if the service had not set one) in the audit trail, all or none.
    pub async fn set_review_cadences(&self, cadences: &[Cadence], author: &Author) -> StorageResult<()> {
        let mut unit = self.begin().await?;
        for cadence in cadences {
            let before = unit
                .review_cadence_for_update(cadence.service_id, cadence.kind)
                .await?
                .unwrap_or_else(|| Cadence::default_for(cadence.service_id, cadence.kind));
            unit.save_review_cadence(cadence).await?;
            let summary = format!("{} review: {}", cadence.kind.label(), cadence.frequency.label().to_lowercase());
            let event =
                AuditEvent::new(self.now_ms(), author, "review.cadence_changed", Some(cadence.service_id), summary)
                    .with_before(&before)
                    .with_after(cadence);
            unit.insert_audit_event(&event).await?;
        }
        unit.commit().await
    }
}

/// How far back reviews are read to judge what is overdue: the longest look-back, three months,
/// and a day for services whose calendar is behind the server's.
const REVIEWS_READ_DAYS: i64 = 94;

/// One service's reviews as they stand now, every kind in the order of [`ReviewKind::ALL`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceReviews {
    pub service: Service,
    pub statuses: Vec<ReviewStatus>,
}

/// Where every review of `services` stands now, by each service's own wall clock.
pub async fn review_statuses(storage: &Storage, services: &[Service]) -> StorageResult<Vec<ServiceReviews>> {
    let now = storage.now_ms();
    let ids: Vec<Uuid> = services.iter().map(|service| service.id).collect();
    let cadences = storage.reviews.review_cadences(&ids).await?;
    let recorded = storage
        .reviews
        .reviews(&ReviewFilter {
            service_ids: Some(ids),
            recorded_from_ms: Some(now - REVIEWS_READ_DAYS * 86_400_000),
            limit: 100_000,
            ..Default::default()
        })
        .await?;
    Ok(services
        .iter()
        .map(|service| {
            let wall = wall_time_in_zone(&service.time_zone, now);
            let statuses = Cadence::of_service(service.id, &cadences)
                .iter()
                .map(|cadence| {
                    let done: Vec<String> = recorded
                        .iter()
                        .filter(|review| review.service_id == service.id && review.kind == cadence.kind)
                        .map(|review| review.period.clone())
                        .collect();
                    review_status(cadence, &service.shift_pattern, wall, &done)
                })
                .collect();
            ServiceReviews { service: service.clone(), statuses }
        })
        .collect())
}

/// The service's current checks observed in `period` (on its wall clock), newest first.
pub async fn checks_in_period(
    storage: &Storage,
    service: &Service,
    period: ReviewPeriod,
) -> StorageResult<Vec<StoredCheck>> {
    // A night shift runs into the day after the one it is named by.
    let after = period.last_day().plus_days(if matches!(period, ReviewPeriod::Shift(_)) { 2 } else { 1 });
    let filter = CheckFilter {
        service_ids: Some(vec![service.id]),
        from_ms: start_of_day_in_zone(&service.time_zone, period.first_day()),
        to_ms: start_of_day_in_zone(&service.time_zone, after),
        limit: 2_000,
        ..Default::default()
    };
    Ok(storage
        .checks
        .checks(&filter)
        .await?
        .into_iter()
        .filter(|check| {
            check.is_current()
                && period.contains(&service.shift_pattern, wall_time_in_zone(&service.time_zone, check.observed_at_ms))
        })
        .collect())
}
