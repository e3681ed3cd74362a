//! Trends in the JSON API: the chart a trends page draws, as data (points with their n, centre,
//! limits and signals), scoped and checked exactly as the page is, by the same reading of the
//! query.

use crate::api::{ApiError, InvalidInput, error, unavailable};
use crate::http::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use recheck_app::domain::access::{Action, Decision};
use recheck_app::domain::check::Period;
use recheck_app::pages::trends::{TrendRefusal, read_request, summary};
use recheck_app::storage::{StorageError, ThemeTrend};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/trends/standard", get(standard_trend))
}

/// The share of a theme's checks meeting the standard, period by period, as charted.
#[derive(Serialize, ToSchema)]
pub struct TrendReport {
    pub service_ids: Vec<Uuid>,
    pub theme_id: Uuid,
    pub period: Period,
    pub from_ms: i64,
    pub to_ms: i64,
    /// What the chart says, in words.
    pub summary: String,
    #[serde(flatten)]
    pub trend: ThemeTrend,
}

#[derive(Deserialize, IntoParams)]
pub struct TrendParams {
    /// One of the user's services; all of those whose trends they may see if left out.
    service: Option<String>,
    /// A practice theme; the first if left out.
    theme: Option<String>,
    /// month (the default) or week.
    period: Option<String>,
    /// The first UK day, YYYY-MM-DD; two years before `to` if left out.
    from: Option<String>,
    /// The last UK day, YYYY-MM-DD; today if left out. At most ten years after `from`.
    to: Option<String>,
}

fn storage_failure(failure: StorageError) -> Response {
    tracing::error!(%failure, "storage failure");
    unavailable()
}

#[utoipa::path(
    get, path = "/api/v1/trends/standard", params(TrendParams),
    responses(
        (status = 200, description = "The chart: a p-chart, a run chart, or not enough checks yet", body = TrendReport),
        (status = 401, description = "Not signed in, or the session has expired", body = ApiError),
        (status = 403, description = "The user reviews no service's practice, or the service is not theirs", body = ApiError),
        (status = 422, description = "A choice or date that cannot be charted, with why, by field", body = InvalidInput),
    )
)]
pub async fn standard_trend(
    State(state): State<AppState>,
    session: Session,
    Query(params): Query<TrendParams>,
) -> Response {
    let storage = state.storage.as_ref();
    let user = match crate::checks::signed_in(storage, &session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let actor = user.actor();
    let (services, themes) = match (storage.organisation.services().await, storage.organisation.themes().await) {
        (Ok(services), Ok(themes)) => (services, themes),
        (Err(failure), _) | (_, Err(failure)) => return storage_failure(failure),
    };
    let services: Vec<Uuid> = services
        .into_iter()
        .filter(|service| actor.may(Action::ViewTrends(service.id)) == Decision::Allow)
        .map(|service| service.id)
        .collect();
    let themes: Vec<Uuid> = themes.into_iter().map(|theme| theme.id).collect();
    let pairs = [
        ("service", params.service),
        ("theme", params.theme),
        ("period", params.period),
        ("from", params.from),
        ("to", params.to),
    ];
    let query = recheck_app::pages::Query(
        pairs.into_iter().filter_map(|(name, value)| Some((name.to_owned(), value?))).collect(),
    );
    let request = match read_request(&services, &themes, &query, storage.now_ms()) {
        Ok(request) => request,
        Err(TrendRefusal::Invalid(fields)) => return InvalidInput::response(fields),
        Err(TrendRefusal::NoTrends) => {
            return error(StatusCode::FORBIDDEN, "Trends are for those who review practice.");
        }
        Err(TrendRefusal::NotTheirService) => return error(StatusCode::FORBIDDEN, TrendRefusal::NOT_THEIR_SERVICE),
    };
    match ThemeTrend::load(storage, &request).await {
        Ok(trend) => Json(TrendReport {
            summary: summary(&trend.chart, request.period),
            service_ids: request.service_ids,
            theme_id: request.theme_id,
            period: request.period,
            from_ms: request.from_ms,
            to_ms: request.to_ms,
            trend,
        })
        .into_response(),
        Err(failure) => storage_failure(failure),
    }
}
