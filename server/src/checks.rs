//! The offline client's half of the API: the reference data a device keeps, syncing the checks
//! it recorded (each kept exactly once, whatever is sent again), and listing checks.

use crate::api::{error, unavailable};
use crate::http::AppState;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use recheck_app::auth::current_user;
use recheck_app::domain::account::User;
use recheck_app::domain::audit::Author;
use recheck_app::domain::check::{
    CheckContext, CheckCursor, CheckFilter, StoredCheck, SubmittedCheck, SyncResponse, SyncResult, SyncStatus, judge,
};
use recheck_app::domain::organisation::{Service, StaffMember};
use recheck_app::domain::recording::Reference;
use recheck_app::domain::shift::ShiftKind;
use recheck_app::domain::theme::{PracticeTheme, ThemeVersion};
use recheck_app::reference::reference_for;
use recheck_app::storage::{CheckRecording, Storage, StorageError, visible_checks};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::ToSchema;
use uuid::Uuid;

/// A device may send this many checks at once; more wait for the next batch.
pub const MAX_SYNC_CHECKS: usize = recheck_app::domain::outbox::MAX_BATCH;
/// And at most this many bytes (500 checks with every text field full would need more; real
/// checks are a fraction of that).
pub const MAX_SYNC_BYTES: usize = 4_000_000;
/// `GET /api/v1/checks` answers with at most this many.
pub const MAX_LISTED_CHECKS: u32 = 500;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/reference", get(reference))
        // The sync handler reads its body itself, to answer an oversized batch with its limit.
        .route("/api/v1/sync", post(sync).layer(DefaultBodyLimit::disable()))
        .route("/api/v1/checks", get(list_checks))
        .route("/api/v1/checks/{id}", get(check_history))
}

/// The signed-in user who may use the API, or the response that says why not.
pub async fn signed_in(storage: &Storage, session: &Session) -> Result<User, Response> {
    match current_user(storage, session).await {
        Ok(Some(user)) if user.password_change_required => {
            Err(error(StatusCode::FORBIDDEN, "Choose a new password first: you signed in with a one-time password."))
        }
        Ok(Some(user)) => Ok(user),
        Ok(None) => Err(error(StatusCode::UNAUTHORIZED, "Not signed in, or the session has expired.")),
        Err(_) => Err(unavailable()),
    }
}

/// Everything a check names: services, staff (leavers too), themes and their versions.
struct ReferenceData {
    services: Vec<Service>,
    staff: Vec<StaffMember>,
    themes: Vec<PracticeTheme>,
    theme_versions: Vec<ThemeVersion>,
}

async fn reference_data(storage: &Storage) -> Result<ReferenceData, StorageError> {
    let organisation = &storage.organisation;
    let (services, staff, themes, theme_versions) = tokio::try_join!(
        organisation.services(),
        organisation.staff_members(None),
        organisation.themes(),
        organisation.theme_versions(None)
    )?;
    Ok(ReferenceData { services, staff, themes, theme_versions })
}

pub(crate) fn storage_failure(failure: StorageError) -> Response {
    tracing::error!(%failure, "storage failure");
    unavailable()
}

#[utoipa::path(
    get, path = "/api/v1/reference",
    responses(
        (status = 200, description = "The user's services, their current staff, and the practice themes", body = Reference),
        (status = 401, description = "Not signed in, or the session has expired", body = crate::api::ApiError),
    )
)]
pub async fn reference(State(state): State<AppState>, session: Session) -> Response {
    let storage = state.storage.as_ref();
    let user = match signed_in(storage, &session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    match reference_for(storage, &user.actor()).await {
        Ok(reference) => Json(reference).into_response(),
        Err(failure) => storage_failure(failure),
    }
}

/// Checks recorded on one device. Each check is judged on its own; the answer has one result per
/// check, in the order sent.
#[derive(Deserialize, ToSchema)]
pub struct SyncRequest {
    /// The device's own id, kept with each check to trace where it came from.
    device_id: String,
    /// Who recorded these checks. A shared tablet keeps each person's checks apart; a batch sent
    /// under someone else's session is refused (409), so no check is kept as the wrong person's.
    #[serde(default)]
    observer_id: Option<Uuid>,
    #[schema(value_type = Vec<SubmittedCheck>)]
    checks: Vec<serde_json::Value>,
}

fn rejected(id: String, reason: impl Into<String>) -> SyncResult {
    let mut reason: String = reason.into();
    if let Some(first) = reason.get(..1) {
        reason.replace_range(..1, &first.to_uppercase());
    }
    SyncResult { id, status: SyncStatus::Rejected, reason: Some(reason) }
}

#[utoipa::path(
    post, path = "/api/v1/sync", request_body = SyncRequest,
    responses(
        (status = 200, description = "One result per check, in order", body = SyncResponse),
        (status = 400, description = "The body is not a sync request", body = crate::api::ApiError),
        (status = 401, description = "Not signed in, or the session has expired: the device keeps every check", body = crate::api::ApiError),
        (status = 409, description = "The checks' observer is not the signed-in user: nothing is kept", body = crate::api::ApiError),
        (status = 413, description = "More than 500 checks, or more than 4 MB, in one request", body = crate::api::ApiError),
    )
)]
pub async fn sync(State(state): State<AppState>, session: Session, body: Body) -> Response {
    let storage = state.storage.as_ref();
    let user = match signed_in(storage, &session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let bytes = match axum::body::to_bytes(body, MAX_SYNC_BYTES).await {
        Ok(bytes) => bytes,
        Err(problem)
            if std::error::Error::source(&problem)
                .is_some_and(|cause| cause.is::<http_body_util::LengthLimitError>()) =>
        {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("A sync may be at most {} MB; send the checks in smaller batches.", MAX_SYNC_BYTES / 1_000_000),
            );
        }
        // The upload broke off: nothing was judged, and the device sends it all again.
        Err(_) => return error(StatusCode::BAD_REQUEST, "The request broke off before it was complete."),
    };
    let request: SyncRequest = match serde_json::from_slice(&bytes) {
        Ok(request) => request,
        Err(problem) => return error(StatusCode::BAD_REQUEST, format!("This is not a sync request: {problem}.")),
    };
    if request.checks.len() > MAX_SYNC_CHECKS {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "A sync may carry at most {MAX_SYNC_CHECKS} checks; this one has {}. Send them in smaller batches.",
                request.checks.len()
            ),
        );
    }
    if request.observer_id.is_some_and(|observer| observer != user.id) {
        return error(
            StatusCode::CONFLICT,
            "These checks were recorded by someone else; they are sent when that person signs in on this device.",
        );
    }
    let device_id = request.device_id.trim();
    if device_id.is_empty() || device_id.chars().count() > 100 {
        return error(StatusCode::BAD_REQUEST, "The device id must be 1 to 100 characters.");
    }
    let reference = match reference_data(storage).await {
        Ok(found) => found,
        Err(failure) => return storage_failure(failure),
    };
    let actor = user.actor();
    let context = CheckContext {
        services: &reference.services,
        staff: &reference.staff,
        themes: &reference.themes,
        theme_versions: &reference.theme_versions,
        observer: &actor,
        now_ms: storage.now_ms(),
    };
    let author = Author::user(user.id, user.name.clone());
    let mut results = Vec::with_capacity(request.checks.len());
    for value in request.checks {
        match sync_one(storage, &context, &author, device_id, value).await {
            Ok(result) => results.push(result),
            Err(failure) => return storage_failure(failure),
        }
    }
    Json(SyncResponse { results }).into_response()
}

const ID_TAKEN: &str = "another check already has this id";

/// Judges and keeps one check. Only a database failure stops the batch (the device retries, and
/// the checks already kept come back as duplicates).
async fn sync_one(
    storage: &Storage,
    context: &CheckContext<'_>,
    author: &Author,
    device_id: &str,
    value: serde_json::Value,
) -> Result<SyncResult, StorageError> {
    let id = value.get("id").and_then(|id| id.as_str()).unwrap_or_default().to_owned();
    let check: SubmittedCheck = match serde_json::from_value(value) {
        Ok(check) => check,
        Err(problem) => return Ok(rejected(id, format!("this is not a check: {problem}"))),
    };
    // A check kept before is judged by what was kept, not by today's reference data (the staff
    // member may have moved on since). Only its own observer hears that it is kept; anyone else
    // gets the answer a fresh id would have had, so no one learns of a check they cannot see.
    if let Some(kept) = storage.checks.check(check.id).await? {
        if kept.observer_id == context.observer.user_id {
            return Ok(if kept.check == check {
                SyncResult { id, status: SyncStatus::Duplicate, reason: None }
            } else {
                rejected(id, ID_TAKEN)
            });
        }
        return Ok(match judge(&check, context, None) {
            Err(reason) => rejected(id, reason),
            Ok(_) => rejected(id, ID_TAKEN),
        });
    }
    let amended = match &check.amends {
        Some(amendment) => storage.checks.check(amendment.check_id).await?,
        None => None,
    };
    let accepted = match judge(&check, context, amended.as_ref()) {
        Ok(accepted) => accepted,
        Err(reason) => return Ok(rejected(id, reason)),
    };
    Ok(match storage.record_check(&accepted, device_id, author).await {
        Ok(CheckRecording::Stored) => SyncResult { id, status: SyncStatus::Accepted, reason: None },
        // The same check kept meanwhile by a parallel request: the device's own retry.
        Ok(CheckRecording::AlreadyStored) => SyncResult { id, status: SyncStatus::Duplicate, reason: None },
        Ok(CheckRecording::IdTakenByDifferentCheck) => rejected(id, ID_TAKEN),
        Err(StorageError::NotFound) => rejected(id, "the staff member, theme or service no longer exists"),
        Err(failure) => return Err(failure),
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct CheckQuery {
    /// Only this service's checks.
    service: Option<Uuid>,
    /// Only checks of this staff member.
    staff: Option<Uuid>,
    /// Only checks against this practice theme.
    theme: Option<Uuid>,
    /// Observed at or after this moment (RFC 3339).
    from: Option<String>,
    /// Observed before this moment (RFC 3339).
    to: Option<String>,
    /// Only checks counted towards this shift type: early, late, day or night.
    shift: Option<String>,
    /// Only weekend checks (true) or only weekday ones (false).
    weekend: Option<bool>,
    /// Only announced checks (true) or only unannounced ones (false).
    announced: Option<bool>,
    /// At most this many (default and greatest 500).
    limit: Option<u32>,
    /// The checks listed after this one: the id of the last check of the previous page. Past
    /// the end, the page is empty.
    after: Option<Uuid>,
}

fn moment(raw: Option<&str>, name: &str) -> Result<Option<i64>, Response> {
    raw.map(|raw| {
        raw.parse::<jiff::Timestamp>().map(|at| at.as_millisecond()).map_err(|_| {
            error(
                StatusCode::BAD_REQUEST,
                format!("“{raw}” is not a time for {name}: use RFC 3339, such as 2026-11-01T00:00:00Z."),
            )
        })
    })
    .transpose()
}

#[utoipa::path(
    get, path = "/api/v1/checks", params(CheckQuery),
    responses(
        (status = 200, description = "The current checks the user may see (a corrected check gives way to its latest correction), newest observed first", body = Vec<StoredCheck>),
        (status = 400, description = "A filter is not understood", body = crate::api::ApiError),
        (status = 401, description = "Not signed in, or the session has expired", body = crate::api::ApiError),
        (status = 403, description = "The service asked for is not one of the user's", body = crate::api::ApiError),
    )
)]
pub async fn list_checks(State(state): State<AppState>, session: Session, Query(query): Query<CheckQuery>) -> Response {
    let storage = state.storage.as_ref();
    let user = match signed_in(storage, &session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let (from_ms, to_ms) = match (moment(query.from.as_deref(), "from"), moment(query.to.as_deref(), "to")) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(response), _) | (_, Err(response)) => return response,
    };
    let after = match query.after {
        Some(id) => match storage.checks.check(id).await {
            Ok(Some(last)) if user.actor().covers(last.check.service_id) => Some(CheckCursor::of(&last)),
            Ok(_) => return error(StatusCode::BAD_REQUEST, "“after” is not a check you may see."),
            Err(failure) => return storage_failure(failure),
        },
        None => None,
    };
    let shift = match query.shift.as_deref().map(ShiftKind::from_code) {
        None => None,
        Some(Some(kind)) => Some(kind),
        Some(None) => return error(StatusCode::BAD_REQUEST, "“shift” is not one of the shift types."),
    };
    let filter = CheckFilter {
        service_ids: query.service.map(|service| vec![service]),
        staff_id: query.staff,
        theme_id: query.theme,
        from_ms,
        to_ms,
        shift,
        weekend: query.weekend,
        announced: query.announced,
        after,
        limit: query.limit.unwrap_or(MAX_LISTED_CHECKS).clamp(1, MAX_LISTED_CHECKS),
    };
    match visible_checks(storage, &user.actor(), filter).await {
        Ok(Some(checks)) => Json(checks).into_response(),
        Ok(None) => error(StatusCode::FORBIDDEN, "You do not have access to that service's checks."),
        Err(failure) => storage_failure(failure),
    }
}

/// A kept check and the corrections made to it since.
#[derive(Serialize, ToSchema)]
pub struct CheckHistory {
    check: StoredCheck,
    /// Corrections, oldest first; the newest says what is now believed right.
    amendments: Vec<StoredCheck>,
}

#[utoipa::path(
    get, path = "/api/v1/checks/{id}", params(("id" = Uuid, Path, description = "The check's id")),
    responses(
        (status = 200, description = "The check, and the corrections made to it", body = CheckHistory),
        (status = 400, description = "The id is not a UUID (a sentence in plain text)"),
        (status = 401, description = "Not signed in, or the session has expired", body = crate::api::ApiError),
        (status = 404, description = "No such check among those the user may see", body = crate::api::ApiError),
    )
)]
pub async fn check_history(
    State(state): State<AppState>,
    session: Session,
    axum::extract::Path(id): axum::extract::Path<Uuid>,
) -> Response {
    let storage = state.storage.as_ref();
    let user = match signed_in(storage, &session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let found = match storage.checks.check(id).await {
        Ok(found) => found.filter(|kept| user.actor().covers(kept.check.service_id)),
        Err(failure) => return storage_failure(failure),
    };
    let Some(check) = found else {
        return error(StatusCode::NOT_FOUND, "There is no such check among those you may see.");
    };
    match storage.checks.amendments(id).await {
        Ok(amendments) => Json(CheckHistory { check, amendments }).into_response(),
        Err(failure) => storage_failure(failure),
    }
}
