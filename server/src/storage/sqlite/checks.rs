//! Checks and their ratings, corrections and the counts trends are drawn from, in SQLite.

use super::{SqliteStorage, SqliteUnit, Transaction, push_list};
use crate::storage::rows::{
    CheckRow, LastObservedRow, ObserverRow, PeriodRow, ScoreRow, ShiftRow, criterion_counts, database_error,
    period_column, same_check, shift_counts, stored_checks, write_error,
};
use recheck_app::domain::check::{AcceptedCheck, CheckFilter, StoredCheck};
use recheck_app::domain::observer::ObserverCount;
use recheck_app::storage::{
    CheckRecording, CheckStore, CheckWrites, LastObserved, PeriodCount, ScoreCounts, ShiftCount, StorageResult,
    TrendQuery, TrendStore,
};
use sqlx::types::Json;
use sqlx::{QueryBuilder, Sqlite};
use uuid::Uuid;

const CHECK_COLUMNS: &str = "SELECT observer_id, observed_at_ms, shift_kind, weekend, content, received_at_ms, \
     theme_version, local_date, iso_week, month, meets_standard, weak, superseded_by FROM checks";

/// Every check of the chain that began with `original`, but `current`, gives way to `current`.
pub(super) async fn supersede(tx: &mut Transaction, original: Uuid, current: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE checks SET superseded_by = ?2 WHERE (id = ?1 OR original_id = ?1) AND id <> ?2")
        .bind(original)
        .bind(current)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[async_trait::async_trait]
impl CheckStore for SqliteStorage {
    async fn check(&self, id: Uuid) -> StorageResult<Option<StoredCheck>> {
        let row = sqlx::query_as::<_, CheckRow>(&format!("{CHECK_COLUMNS} WHERE id = ?1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(database_error)?;
        row.map(StoredCheck::try_from).transpose()
    }

    async fn amendments(&self, id: Uuid) -> StorageResult<Vec<StoredCheck>> {
        let rows = sqlx::query_as::<_, CheckRow>(&format!(
            "{CHECK_COLUMNS} WHERE original_id = (SELECT coalesce(original_id, id) FROM checks WHERE id = ?1) \
             ORDER BY received_at_ms, id"
        ))
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(database_error)?;
        stored_checks(rows)
    }

    async fn checks(&self, filter: &CheckFilter) -> StorageResult<Vec<StoredCheck>> {
        let mut query = QueryBuilder::<Sqlite>::new(CHECK_COLUMNS);
        query.push(" WHERE superseded_by IS NULL");
        if let Some(services) = &filter.service_ids {
            query.push(" AND service_id IN ");
            push_list(&mut query, services);
        }
        if let Some(staff) = filter.staff_id {
            query.push(" AND staff_id = ").push_bind(staff);
        }
        if let Some(theme) = filter.theme_id {
            query.push(" AND theme_id = ").push_bind(theme);
        }
        if let Some(from) = filter.from_ms {
            query.push(" AND observed_at_ms >= ").push_bind(from);
        }
        if let Some(to) = filter.to_ms {
            query.push(" AND observed_at_ms < ").push_bind(to);
        }
        if let Some(shift) = filter.shift {
            query.push(" AND shift_kind = ").push_bind(shift.code());
        }
        if let Some(weekend) = filter.weekend {
            query.push(" AND weekend = ").push_bind(weekend);
        }
        if let Some(announced) = filter.announced {
            query.push(" AND announced = ").push_bind(announced);
        }
        if let Some(after) = filter.after {
            query.push(" AND (observed_at_ms, id) < (").push_bind(after.observed_at_ms).push(", ");
            query.push_bind(after.id).push(")");
        }
        query.push(" ORDER BY observed_at_ms DESC, id DESC LIMIT ").push_bind(i64::from(filter.limit));
        let rows = query.build_query_as::<CheckRow>().fetch_all(&self.pool).await.map_err(database_error)?;
        stored_checks(rows)
    }
}

#[async_trait::async_trait]
impl CheckWrites for SqliteUnit {
    async fn insert_check(
        &mut self,
        accepted: &AcceptedCheck,
        device_id: &str,
        received_at_ms: i64,
    ) -> StorageResult<CheckRecording> {
        let check = &accepted.check;
        let amended = check.amends.as_ref().map(|amendment| amendment.check_id);
        let original: Option<Uuid> = match amended {
            Some(amended) => sqlx::query_scalar("SELECT coalesce(original_id, id) FROM checks WHERE id = ?1")
                .bind(amended)
                .fetch_optional(&mut *self.tx)
                .await
                .map_err(database_error)?,
            None => None,
        };
        let inserted = sqlx::query(
            "INSERT INTO checks (id, service_id, staff_id, theme_id, observer_id, observed_at_ms, shift_kind, weekend, \
                content, device_id, received_at_ms, amends_id, theme_version, local_date, iso_week, month, \
                meets_standard, weak, original_id, announced) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(check.id)
        .bind(check.service_id)
        .bind(check.staff_id)
        .bind(check.theme_id)
        .bind(accepted.observer_id)
        .bind(accepted.observed_at_ms)
        .bind(accepted.shift.code())
        .bind(accepted.weekend)
        .bind(Json(check))
        .bind(device_id)
        .bind(received_at_ms)
        .bind(amended)
        .bind(i64::from(accepted.theme_version))
        .bind(&accepted.calendar.local_date)
        .bind(&accepted.calendar.iso_week)
        .bind(&accepted.calendar.month)
        .bind(accepted.assessment.meets_standard)
        .bind(accepted.assessment.weak)
        .bind(original)
        .bind(check.announced)
        .execute(&mut *self.tx)
        .await
        .map_err(write_error)?
        .rows_affected();
        if inserted == 0 {
            let kept: Json<serde_json::Value> = sqlx::query_scalar("SELECT content FROM checks WHERE id = ?1")
                .bind(check.id)
                .fetch_one(&mut *self.tx)
                .await
                .map_err(database_error)?;
            return Ok(if same_check(check, &kept.0) {
                CheckRecording::AlreadyStored
            } else {
                CheckRecording::IdTakenByDifferentCheck
            });
        }
        if !check.ratings.is_empty() {
            let mut ratings = QueryBuilder::<Sqlite>::new("INSERT INTO check_ratings (check_id, criterion_id, score) ");
            ratings.push_values(&check.ratings, |mut row, rating| {
                row.push_bind(check.id).push_bind(rating.criterion_id).push_bind(rating.score.map(i64::from));
            });
            ratings.build().execute(&mut *self.tx).await.map_err(write_error)?;
        }
        if let Some(original) = original {
            supersede(&mut self.tx, original, check.id).await.map_err(database_error)?;
        }
        Ok(CheckRecording::Stored)
    }
}

/// The current checks a trend counts: its services (none matches nothing), theme and range.
fn push_trend_filter(query: &mut QueryBuilder<'_, Sqlite>, trend: &TrendQuery) {
    query.push(" WHERE superseded_by IS NULL AND service_id IN ");
    push_list(query, &trend.service_ids);
    query
        .push(" AND theme_id = ")
        .push_bind(trend.theme_id)
        .push(" AND observed_at_ms >= ")
        .push_bind(trend.from_ms)
        .push(" AND observed_at_ms < ")
        .push_bind(trend.to_ms);
}

#[async_trait::async_trait]
impl TrendStore for SqliteStorage {
    async fn standard_by_period(&self, trend: &TrendQuery) -> StorageResult<Vec<PeriodCount>> {
        let column = period_column(trend.period);
        let mut query = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {column} AS period, COUNT(*) AS checks, SUM(meets_standard) AS met, SUM(weak) AS weak FROM checks"
        ));
        push_trend_filter(&mut query, trend);
        query.push(format!(" GROUP BY {column} ORDER BY {column}"));
        let rows = query.build_query_as::<PeriodRow>().fetch_all(&self.pool).await.map_err(database_error)?;
        Ok(rows.into_iter().map(PeriodCount::from).collect())
    }

    async fn standard_by_shift(&self, trend: &TrendQuery) -> StorageResult<Vec<ShiftCount>> {
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT shift_kind, weekend != 0 AS weekend, COUNT(*) AS checks, SUM(meets_standard) AS met FROM checks",
        );
        push_trend_filter(&mut query, trend);
        query.push(" GROUP BY shift_kind, weekend");
        let rows = query.build_query_as::<ShiftRow>().fetch_all(&self.pool).await.map_err(database_error)?;
        shift_counts(rows)
    }

    async fn ratings_by_criterion(&self, trend: &TrendQuery) -> StorageResult<Vec<ScoreCounts>> {
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT criterion_id, score, COUNT(*) AS ratings FROM check_ratings JOIN checks ON checks.id = check_id",
        );
        push_trend_filter(&mut query, trend);
        query.push(" GROUP BY criterion_id, score ORDER BY criterion_id, score");
        let rows = query.build_query_as::<ScoreRow>().fetch_all(&self.pool).await.map_err(database_error)?;
        Ok(criterion_counts(rows))
    }

    async fn standard_by_observer(&self, trend: &TrendQuery) -> StorageResult<Vec<ObserverCount>> {
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT observer_id, staff_id, announced != 0 AS announced, COUNT(*) AS checks, \
                    SUM(meets_standard) AS met FROM checks",
        );
        push_trend_filter(&mut query, trend);
        query.push(" GROUP BY observer_id, staff_id, announced");
        let rows = query.build_query_as::<ObserverRow>().fetch_all(&self.pool).await.map_err(database_error)?;
        Ok(rows.into_iter().map(ObserverCount::from).collect())
    }

    async fn last_observed(&self, staff_ids: &[Uuid], from_ms: i64, to_ms: i64) -> StorageResult<Vec<LastObserved>> {
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT staff_id, theme_id, MAX(observed_at_ms) AS observed_at_ms FROM checks \
             WHERE superseded_by IS NULL AND staff_id IN ",
        );
        push_list(&mut query, staff_ids);
        query.push(" AND observed_at_ms >= ").push_bind(from_ms).push(" AND observed_at_ms < ").push_bind(to_ms);
        query.push(" GROUP BY staff_id, theme_id");
        let rows = query.build_query_as::<LastObservedRow>().fetch_all(&self.pool).await.map_err(database_error)?;
        Ok(rows.into_iter().map(LastObserved::from).collect())
    }
}
