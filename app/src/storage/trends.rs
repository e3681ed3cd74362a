//! Counts of current checks over time, for the trend views and reports built on them.

use super::StorageResult;
use uuid::Uuid;

/// How many current checks fell in one period (an ISO week such as `2026-W48`, or a month such
/// as `2026-11`, in the service's own calendar), and how many of them met the standard or were
/// weak.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodCount {
    pub period: String,
    pub checks: u32,
    pub met: u32,
    pub weak: u32,
}

#[async_trait::async_trait]
pub trait TrendStore: Send + Sync {
    /// Per ISO week, oldest first, for one service and theme, observed in `[from_ms, to_ms)`.
    /// Weeks without checks are left out.
    async fn weekly_standard(
        &self,
        service_id: Uuid,
        theme_id: Uuid,
        from_ms: i64,
        to_ms: i64,
    ) -> StorageResult<Vec<PeriodCount>>;
}
