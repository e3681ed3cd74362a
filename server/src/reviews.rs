//! Reviews in the JSON API (`docs/domain.md` §8): what is due or overdue for the signed-in
//! person, the reviews recorded, and recording one, scoped as the reviews page scopes them.

use crate::api::{ApiError, InvalidInput, error, refused};
use crate::http::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use recheck_app::domain::access::{Action, Decision};
use recheck_app::domain::audit::Author;
use recheck_app::domain::review::{Frequency, Review, ReviewKind, ReviewPeriod};
use recheck_app::pages::reviews::{NewReview, keep_review, reviews_filter, reviews_for};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/reviews", get(list_reviews).post(record_review))
        .route("/api/v1/reviews/due", get(reviews_due))
}

/// One kind of review at one service, where it stands now.
#[derive(Serialize, ToSchema)]
pub struct ReviewDue {
    pub service_id: Uuid,
    pub service_name: String,
    pub kind: ReviewKind,
    pub frequency: Frequency,
    /// The day the service's cadence for it was set, or none for the usual cadence.
    pub since: Option<String>,
    /// The period now falls in (`2026-W49`), unless the service does not hold this review.
    pub current_period: Option<String>,
    pub current_done: bool,
    /// Earlier periods that ended without a review, newest first.
    pub overdue_periods: Vec<String>,
    /// The same, in words.
    pub in_words: String,
    /// Whether the signed-in person may record it.
    pub may_record: bool,
}

#[utoipa::path(
    get, path = "/api/v1/reviews/due",
    responses(
        (status = 200, description = "Every review the user records or oversees, at each of their services, with what is due or overdue", body = Vec<ReviewDue>),
        (status = 401, description = "Not signed in, or the session has expired", body = ApiError),
    )
)]
pub async fn reviews_due(State(state): State<AppState>, session: Session) -> Response {
    let storage = state.storage.as_ref();
    let user = match crate::checks::signed_in(storage, &session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let actor = user.actor();
    match reviews_for(storage, &actor).await {
        Ok(statuses) => Json(
            statuses
                .into_iter()
                .map(|item| {
                    let status = &item.status;
                    ReviewDue {
                        service_id: item.service.id,
                        service_name: item.service.name.clone(),
                        kind: status.cadence.kind,
                        frequency: status.cadence.frequency,
                        since: status.cadence.since.map(|day| day.to_string()),
                        current_period: status.current.map(ReviewPeriod::code),
                        current_done: status.current_done,
                        overdue_periods: status.overdue.iter().map(|period| period.code()).collect(),
                        in_words: recheck_app::pages::reviews::status_in_words(status),
                        may_record: actor.may(Action::RecordReview(item.service.id, status.cadence.kind))
                            == Decision::Allow,
                    }
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(failure) => refused(failure),
    }
}

#[derive(Deserialize, IntoParams)]
pub struct ReviewQuery {
    service: Option<Uuid>,
    /// shift-records, weekly-practice, audit-findings, supervision-impact or theme-governance.
    kind: Option<String>,
}

/// How many reviews a list holds at most, newest first.
const LISTED: i64 = 500;

#[utoipa::path(
    get, path = "/api/v1/reviews", params(ReviewQuery),
    responses(
        (status = 200, description = "The latest reviews the user sees, newest first (at most 500)", body = Vec<Review>),
        (status = 400, description = "An unknown kind of review", body = ApiError),
        (status = 401, description = "Not signed in, or the session has expired", body = ApiError),
        (status = 403, description = "The service is not one of the user's", body = ApiError),
    )
)]
pub async fn list_reviews(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<ReviewQuery>,
) -> Response {
    let storage = state.storage.as_ref();
    let user = match crate::checks::signed_in(storage, &session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let actor = user.actor();
    let kind = match query.kind.as_deref() {
        None => None,
        Some(code) => match ReviewKind::from_code(code) {
            Some(kind) => Some(kind),
            None => return error(StatusCode::BAD_REQUEST, format!("“{code}” is not a kind of review.")),
        },
    };
    let Ok(filter) = reviews_filter(&actor, query.service, kind, LISTED) else {
        return error(StatusCode::FORBIDDEN, "That service is not one of yours.");
    };
    match storage.reviews.reviews(&filter).await {
        Ok(reviews) => Json(
            reviews.into_iter().filter(|review| actor.sees_review(review.service_id, review.kind)).collect::<Vec<_>>(),
        )
        .into_response(),
        Err(failure) => refused(failure.into()),
    }
}

#[utoipa::path(
    post, path = "/api/v1/reviews", request_body = NewReview,
    responses(
        (status = 201, description = "Recorded: the review's period is done", body = Review),
        (status = 400, description = "Not a review, or a period not due for it (neither current nor overdue)", body = ApiError),
        (status = 401, description = "Not signed in, or the session has expired", body = ApiError),
        (status = 403, description = "The review does not fall to the user at that service", body = ApiError),
        (status = 404, description = "No such service", body = ApiError),
        (status = 422, description = "What was looked at or found is missing or too long, or a linked check or theme is not the service's", body = InvalidInput),
    )
)]
pub async fn record_review(
    State(state): State<AppState>,
    session: Session,
    new: Result<Json<NewReview>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let storage = state.storage.as_ref();
    let user = match crate::checks::signed_in(storage, &session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let Ok(Json(new)) = new else {
        return error(StatusCode::BAD_REQUEST, "This is not a review: see NewReview in the API description.");
    };
    let author = Author::user(user.id, user.name.clone());
    match keep_review(storage, &user.actor(), author, new).await {
        Ok(review) => (StatusCode::CREATED, Json(review)).into_response(),
        Err(failure) => refused(failure),
    }
}
