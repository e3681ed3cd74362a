//! What a device holds: whenever the recorder reaches the server it says how many checks it
//! holds for the signed-in person (not yet sent, sent without an answer, refused), and when the
//! oldest was saved, so that a manager's home page can name shift leaders whose checks have sat
//! on a device for longer than a shift (`docs/domain.md` §8).

use crate::api::{ApiError, error};
use crate::http::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use recheck_app::domain::outbox::{DeviceReport, HeldChecks};
use serde::Deserialize;
use tower_sessions::Session;
use utoipa::ToSchema;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/devices/report", post(report_held_checks))
}

/// One device's account of what it holds for the signed-in person.
#[derive(Deserialize, ToSchema)]
pub struct HeldReport {
    /// The device's own id, as it sends with its checks.
    device_id: String,
    /// Whose checks these are: a shared tablet keeps each person's apart, and reports only the
    /// signed-in person's.
    #[serde(default)]
    observer_id: Option<Uuid>,
    held: HeldChecks,
}

#[utoipa::path(
    post, path = "/api/v1/devices/report", request_body = HeldReport,
    responses(
        (status = 204, description = "Kept, in place of this device's last report for this person"),
        (status = 400, description = "Not a report, or a device id that is not 1 to 100 characters", body = ApiError),
        (status = 401, description = "Not signed in, or the session has expired", body = ApiError),
        (status = 409, description = "The report is about someone other than the signed-in user: nothing is kept", body = ApiError),
    )
)]
pub async fn report_held_checks(
    State(state): State<AppState>,
    session: Session,
    report: Result<Json<HeldReport>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let storage = state.storage.as_ref();
    let user = match crate::checks::signed_in(storage, &session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let Ok(Json(report)) = report else {
        return error(StatusCode::BAD_REQUEST, "This is not a report of the checks a device holds.");
    };
    if report.observer_id.is_some_and(|observer| observer != user.id) {
        return error(
            StatusCode::CONFLICT,
            "This report is about someone else's checks; it is sent when they sign in.",
        );
    }
    let device_id = report.device_id.trim();
    if device_id.is_empty() || device_id.chars().count() > 100 {
        return error(StatusCode::BAD_REQUEST, "The device id must be 1 to 100 characters.");
    }
    let kept = DeviceReport::received(device_id.to_owned(), user.id, report.held, storage.now_ms());
    match storage.devices.save_device_report(&kept).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(failure) => {
            tracing::error!(%failure, "storage failure");
            crate::api::unavailable()
        }
    }
}
