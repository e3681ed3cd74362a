//! The JSON API under `/api/v1`, for the offline client and integrators, described by the
//! OpenAPI document it serves at `/api/v1/openapi.json`.

use crate::client_address::ClientAddress;
use crate::http::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use recheck_app::auth::{SignInError, current_user, sign_in, sign_out};
use recheck_app::domain::account::User;
use recheck_app::error::AppError;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::{OpenApi, ToSchema};
use uuid::Uuid;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Recheck API",
        description = "Spot checks of staff practice, for the offline client and integrators."
    ),
    paths(
        start_session,
        read_session,
        end_session,
        crate::checks::reference,
        crate::checks::sync,
        crate::checks::list_checks,
        crate::checks::check_history,
        crate::cycles::list_cycles,
        crate::cycles::one_cycle,
        crate::cycles::open_cycle,
        crate::cycles::set_standard,
        crate::cycles::record_action,
        crate::cycles::review_cycle,
        crate::cycles::reopen_cycle,
        crate::cycles::sustainment_rule,
        crate::cycles::set_sustainment_rule,
        crate::trends::standard_trend,
        crate::warnings::list_warnings,
        crate::warnings::decide_warning,
        crate::devices::report_held_checks,
        crate::reviews::reviews_due,
        crate::reviews::list_reviews,
        crate::reviews::record_review
    ),
    components(schemas(
        Credentials,
        SessionInfo,
        ApiError,
        recheck_app::domain::recording::Reference,
        recheck_app::domain::recording::ReferenceRecheck,
        recheck_app::domain::cycle::RecheckNeeds,
        crate::checks::SyncRequest,
        crate::devices::HeldReport,
        recheck_app::domain::outbox::HeldChecks,
        recheck_app::domain::check::SyncResponse,
        recheck_app::domain::check::SyncResult,
        recheck_app::domain::check::SyncStatus,
        recheck_app::domain::check::SubmittedCheck,
        recheck_app::domain::check::StoredCheck,
        recheck_app::domain::check::Rating,
        recheck_app::domain::check::Amendment,
        crate::checks::CheckHistory,
        recheck_app::domain::check::CheckDetails,
        recheck_app::domain::shift::ShiftKind,
        crate::cycles::CycleReport,
        crate::cycles::NewCycle,
        crate::cycles::OtherSource,
        crate::cycles::NewStandard,
        crate::cycles::NewAction,
        crate::cycles::NewGovernanceReview,
        crate::cycles::Reopening,
        recheck_app::domain::cycle::Cycle,
        recheck_app::domain::cycle::SourceEvidence,
        recheck_app::domain::cycle::SourceKind,
        recheck_app::domain::cycle::ExpectedStandard,
        recheck_app::domain::cycle::CycleAction,
        recheck_app::domain::cycle::ActionKind,
        recheck_app::domain::cycle::SustainmentRule,
        recheck_app::domain::cycle::GovernanceReview,
        recheck_app::domain::cycle::Conclusion,
        recheck_app::domain::cycle::CycleAmendment,
        recheck_app::domain::cycle::Verdict,
        recheck_app::domain::cycle::Missing,
        recheck_app::domain::cycle::Judgement,
        recheck_app::domain::cycle::JudgedRecheck,
        recheck_app::domain::cycle::RulePart,
        recheck_app::domain::audit::Author,
        InvalidInput,
        FieldRefusal,
        crate::trends::TrendReport,
        recheck_app::storage::ThemeTrend,
        recheck_app::storage::ActionMark,
        recheck_app::storage::Comparisons,
        recheck_app::domain::observer::ObserverComparison,
        recheck_app::domain::observer::StaffComparison,
        recheck_app::storage::ScoreCounts,
        recheck_app::domain::check::Period,
        recheck_app::domain::spc::Chart,
        recheck_app::domain::spc::ChartPoint,
        recheck_app::domain::spc::Phase,
        recheck_app::domain::spc::RunTest,
        recheck_app::domain::spc::Signal,
        recheck_app::domain::spc::Variation,
        recheck_app::domain::spc::GroupShare,
        recheck_app::domain::spc::StandsOut,
        recheck_app::storage::CurrentWarning,
        recheck_app::domain::warning::Warning,
        recheck_app::domain::warning::WarningKind,
        recheck_app::domain::warning::Finding,
        recheck_app::domain::warning::WarningDecision,
        recheck_app::domain::warning::Decision,
        recheck_app::pages::warnings::NewWarningDecision,
        crate::reviews::ReviewDue,
        recheck_app::domain::review::Review,
        recheck_app::domain::review::ReviewKind,
        recheck_app::domain::review::Frequency,
        recheck_app::pages::reviews::NewReview,
    ))
)]
struct ApiDoc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/session", get(read_session).post(start_session).delete(end_session))
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[derive(Deserialize, ToSchema)]
pub struct Credentials {
    #[schema(example = "bethan.pryce@meadowbank.example")]
    email: String,
    password: String,
}

/// Who is signed in.
#[derive(Serialize, ToSchema)]
pub struct SessionInfo {
    id: Uuid,
    email: String,
    name: String,
    /// Role codes: shift-leader, team-leader, deputy-manager, registered-manager, quality-lead,
    /// provider-admin.
    roles: Vec<String>,
    /// The services the user is assigned to.
    service_ids: Vec<Uuid>,
    /// True for roles that act in every service (provider admin, quality lead).
    all_services: bool,
    /// True after signing in with a one-time password: everything else is refused (403) until
    /// the user has chosen their own password.
    password_change_required: bool,
}

impl From<&User> for SessionInfo {
    fn from(user: &User) -> Self {
        SessionInfo {
            id: user.id,
            email: user.email.to_string(),
            name: user.name.clone(),
            roles: user.roles.iter().map(|role| role.code().to_owned()).collect(),
            service_ids: user.service_ids.clone(),
            all_services: user.actor().service_scope().is_none(),
            password_change_required: user.password_change_required,
        }
    }
}

/// Every refusal says why.
#[derive(Serialize, ToSchema)]
pub struct ApiError {
    pub error: String,
}

/// Input that cannot be used, with why, field by field.
#[derive(Serialize, ToSchema)]
pub struct InvalidInput {
    pub error: String,
    pub fields: Vec<FieldRefusal>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldRefusal {
    pub field: String,
    pub message: String,
}

impl InvalidInput {
    pub fn response(fields: Vec<recheck_app::error::FieldError>) -> Response {
        let error = fields.iter().map(|field| field.message.as_str()).collect::<Vec<_>>().join(" ");
        let fields =
            fields.into_iter().map(|field| FieldRefusal { field: field.field, message: field.message }).collect();
        (StatusCode::UNPROCESSABLE_ENTITY, Json(InvalidInput { error, fields })).into_response()
    }
}

pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(ApiError { error: message.into() })).into_response()
}

/// The database did not answer.
pub fn unavailable() -> Response {
    error(StatusCode::SERVICE_UNAVAILABLE, AppError::Unavailable.to_string())
}

/// A refusal from the rules the pages' forms share: field by field when the input is at fault.
pub fn refused(failure: AppError) -> Response {
    match failure {
        AppError::Invalid(fields) => InvalidInput::response(fields),
        AppError::Unavailable => unavailable(),
        other => error(other.status_code(), other.to_string()),
    }
}

#[utoipa::path(
    post, path = "/api/v1/session", request_body = Credentials,
    responses(
        (status = 200, description = "Signed in; the response sets the session cookie", body = SessionInfo),
        (status = 401, description = "Wrong email or password (the same answer whether or not the email exists), or the right one-time password after it expired", body = ApiError),
        (status = 400, description = "The body is not well-formed JSON (a sentence in plain text)"),
        (status = 403, description = "A browser sent it from another website, or did not say where from", body = ApiError),
        (status = 415, description = "The body was not sent as application/json (a sentence in plain text)"),
        (status = 422, description = "The JSON lacks an email or a password (a sentence in plain text)"),
        (status = 429, description = "Too many failed sign-ins for this account and address; see Retry-After", body = ApiError),
    )
)]
async fn start_session(
    State(state): State<AppState>,
    Extension(ClientAddress(client)): Extension<ClientAddress>,
    session: Session,
    Json(credentials): Json<Credentials>,
) -> Response {
    match sign_in(state.storage.as_ref(), &session, &credentials.email, &credentials.password, client).await {
        Ok(user) => Json(SessionInfo::from(&user)).into_response(),
        Err(SignInError::WrongCredentials) => {
            error(StatusCode::UNAUTHORIZED, SignInError::WrongCredentials.to_string())
        }
        Err(expired @ SignInError::OneTimePasswordExpired) => error(StatusCode::UNAUTHORIZED, expired.to_string()),
        Err(throttled @ SignInError::Throttled { retry_after_ms }) => {
            let mut response = error(StatusCode::TOO_MANY_REQUESTS, throttled.to_string());
            let seconds = (retry_after_ms.max(0) as u64).div_ceil(1000);
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            response
        }
        Err(failure) => {
            tracing::error!(%failure, "sign-in failed");
            unavailable()
        }
    }
}

#[utoipa::path(
    get, path = "/api/v1/session",
    responses(
        (status = 200, description = "The signed-in user, with roles and services", body = SessionInfo),
        (status = 401, description = "Not signed in, or the session has expired", body = ApiError),
    )
)]
async fn read_session(State(state): State<AppState>, session: Session) -> Response {
    match current_user(state.storage.as_ref(), &session).await {
        Ok(Some(user)) => Json(SessionInfo::from(&user)).into_response(),
        Ok(None) => error(StatusCode::UNAUTHORIZED, "Not signed in."),
        Err(_) => unavailable(),
    }
}

#[utoipa::path(
    delete, path = "/api/v1/session",
    responses((status = 204, description = "Signed out; the session is ended on the server"))
)]
async fn end_session(session: Session) -> Response {
    match sign_out(&session).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(_) => unavailable(),
    }
}
