//! Early warnings in the JSON API, as the warnings page shows them: for the people who act on
//! them, in their own services, each with the decision kept against it; and deciding one.

use crate::api::{ApiError, InvalidInput, error, refused};
use crate::http::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use recheck_app::domain::audit::Author;
use recheck_app::domain::warning::WarningDecision;
use recheck_app::pages::warnings::{NewWarningDecision, keep_warning_decision, warnings_for};
use recheck_app::storage::CurrentWarning;
use tower_sessions::Session;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/warnings", get(list_warnings))
        .route("/api/v1/warnings/decisions", post(decide_warning))
}

#[utoipa::path(
    get, path = "/api/v1/warnings",
    responses(
        (status = 200, description = "The warnings of the user's services as they stand now, with any acknowledgement or dismissal", body = Vec<CurrentWarning>),
        (status = 401, description = "Not signed in, or the session has expired", body = ApiError),
        (status = 403, description = "The user acts on no service's warnings", body = ApiError),
    )
)]
pub async fn list_warnings(State(state): State<AppState>, session: Session) -> Response {
    let storage = state.storage.as_ref();
    let user = match crate::checks::signed_in(storage, &session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let actor = user.actor();
    if !actor.sees_warnings() {
        return error(StatusCode::FORBIDDEN, "Warnings are for deputy and registered managers and quality leads.");
    }
    match warnings_for(storage, &actor).await {
        Ok(warnings) => Json(warnings.current).into_response(),
        Err(failure) => error(failure.status_code(), failure.to_string()),
    }
}

#[utoipa::path(
    post, path = "/api/v1/warnings/decisions", request_body = NewWarningDecision,
    responses(
        (status = 201, description = "Kept and audited; it replaces any earlier decision about the warning", body = WarningDecision),
        (status = 400, description = "Not a decision: see NewWarningDecision", body = ApiError),
        (status = 401, description = "Not signed in, or the session has expired", body = ApiError),
        (status = 403, description = "The user acts on no service's warnings", body = ApiError),
        (status = 404, description = "No such warning among the user's, as the records stand now", body = ApiError),
        (status = 422, description = "Neither acknowledged nor dismissed, or no note of what is being done or why it is not a concern", body = InvalidInput),
    )
)]
pub async fn decide_warning(
    State(state): State<AppState>,
    session: Session,
    new: Result<Json<NewWarningDecision>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let storage = state.storage.as_ref();
    let user = match crate::checks::signed_in(storage, &session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let Ok(Json(new)) = new else {
        return error(
            StatusCode::BAD_REQUEST,
            "This is not a decision: see NewWarningDecision in the API description.",
        );
    };
    let author = Author::user(user.id, user.name.clone());
    match keep_warning_decision(storage, &user.actor(), author, new, "note").await {
        Ok(kept) => (StatusCode::CREATED, Json(kept)).into_response(),
        Err(failure) => refused(failure),
    }
}
