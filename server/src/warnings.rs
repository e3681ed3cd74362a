//! Early warnings in the JSON API, as the warnings page shows them: for the people who act on
//! them, in their own services, each with the decision kept against it.

use crate::api::{ApiError, error};
use crate::http::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use recheck_app::pages::warnings::warnings_for;
use recheck_app::storage::CurrentWarning;
use tower_sessions::Session;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/warnings", get(list_warnings))
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
