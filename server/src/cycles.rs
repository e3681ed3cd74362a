//! Improvement cycles in the JSON API: listed and read as the pages show them, scoped the same
//! way (a person sees the cycles of their own services), each with its live verdict and the
//! re-checks it rests on. Each step is taken through the same rules as the pages' forms: a body
//! is turned into the form's fields, so a refusal names the body's field as the form would.

use crate::api::{ApiError, InvalidInput, error, refused, unavailable};
use crate::http::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use recheck_app::domain::access::{Action, Decision};
use recheck_app::domain::audit::Author;
use recheck_app::domain::cycle::{
    ActionKind, Conclusion, Cycle, Judgement, SourceKind, Stage, SustainmentRule, Verdict,
};
use recheck_app::error::AppError;
use recheck_app::form::FormFields;
use recheck_app::pages::cycles::{CycleChange, sustainment_rule_fields};
use recheck_app::storage::{CycleFilter, JudgedCycle, StorageError, visible_cycles};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cycles", get(list_cycles).post(open_cycle))
        .route("/api/v1/cycles/{id}", get(one_cycle))
        .route("/api/v1/cycles/{id}/standard", post(set_standard))
        .route("/api/v1/cycles/{id}/actions", post(record_action))
        .route("/api/v1/cycles/{id}/reviews", post(review_cycle))
        .route("/api/v1/cycles/{id}/reopen", post(reopen_cycle))
        .route("/api/v1/services/{id}/sustainment-rule", get(sustainment_rule).put(set_sustainment_rule))
}

/// A cycle with where it stands: its stage, its verdict (live, or frozen at closing) and the
/// re-checks judged for it.
#[derive(Serialize, ToSchema)]
pub struct CycleReport {
    pub cycle: Cycle,
    /// needs_standard, needs_action, rechecking or closed.
    #[schema(value_type = String)]
    pub stage: Stage,
    pub verdict: Option<Verdict>,
    /// The verdict in words, with what evidence is still missing.
    pub verdict_in_words: Option<String>,
    pub judgement: Option<Judgement>,
}

impl From<JudgedCycle> for CycleReport {
    fn from(judged: JudgedCycle) -> Self {
        let verdict = judged.verdict();
        CycleReport {
            stage: judged.cycle.stage(),
            verdict_in_words: verdict.as_ref().map(Verdict::in_words),
            verdict,
            judgement: judged.judgement,
            cycle: judged.cycle,
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct CycleQuery {
    service: Option<Uuid>,
    /// true for open cycles, false for closed ones.
    open: Option<bool>,
    theme: Option<Uuid>,
    staff: Option<Uuid>,
    owner: Option<Uuid>,
}

fn storage_failure(failure: StorageError) -> Response {
    tracing::error!(%failure, "storage failure");
    unavailable()
}

#[utoipa::path(
    get, path = "/api/v1/cycles", params(CycleQuery),
    responses(
        (status = 200, description = "The cycles of the user's services, newest opened first", body = Vec<CycleReport>),
        (status = 401, description = "Not signed in, or the session has expired", body = ApiError),
        (status = 403, description = "The service named is not one of the user's", body = ApiError),
    )
)]
pub async fn list_cycles(State(state): State<AppState>, session: Session, Query(query): Query<CycleQuery>) -> Response {
    let storage = state.storage.as_ref();
    let user = match crate::checks::signed_in(storage, &session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let filter = CycleFilter {
        service_ids: query.service.map(|service| vec![service]),
        open: query.open,
        owner_id: query.owner,
        theme_id: query.theme,
        staff_id: query.staff,
    };
    let cycles = match visible_cycles(storage, &user.actor(), filter).await {
        Ok(Some(cycles)) => cycles,
        Ok(None) => return error(StatusCode::FORBIDDEN, "You do not have access to that service's cycles."),
        Err(failure) => return storage_failure(failure),
    };
    match JudgedCycle::load_all(storage, cycles).await {
        Ok(judged) => Json(judged.into_iter().map(CycleReport::from).collect::<Vec<_>>()).into_response(),
        Err(failure) => storage_failure(failure),
    }
}

#[utoipa::path(
    get, path = "/api/v1/cycles/{id}",
    responses(
        (status = 200, description = "One cycle, all five steps, with its verdict", body = CycleReport),
        (status = 401, description = "Not signed in, or the session has expired", body = ApiError),
        (status = 404, description = "No such cycle among the user's services", body = ApiError),
    )
)]
pub async fn one_cycle(State(state): State<AppState>, session: Session, Path(id): Path<Uuid>) -> Response {
    let storage = state.storage.as_ref();
    let user = match crate::checks::signed_in(storage, &session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let cycle = match storage.cycles.cycle(id).await {
        Ok(Some(cycle)) if user.actor().may(Action::ViewCycles(cycle.service_id)) == Decision::Allow => cycle,
        Ok(_) => return error(StatusCode::NOT_FOUND, "No such cycle."),
        Err(failure) => return storage_failure(failure),
    };
    match JudgedCycle::load(storage, cycle).await {
        Ok(judged) => Json(CycleReport::from(judged)).into_response(),
        Err(failure) => storage_failure(failure),
    }
}

/// Step 1: a cycle for one staff member, or a named group, on one practice theme.
#[derive(Deserialize, ToSchema)]
pub struct NewCycle {
    pub service: Uuid,
    pub theme: Uuid,
    /// One staff member, or several with a `group_name`.
    pub staff: Vec<Uuid>,
    #[serde(default)]
    pub group_name: String,
    /// The specific concern.
    pub concern: String,
    /// The examples observed.
    #[serde(default)]
    pub examples: String,
    /// The checks that raised the concern.
    #[serde(default)]
    pub source_checks: Vec<Uuid>,
    /// Evidence from elsewhere.
    #[serde(default)]
    pub sources: Vec<OtherSource>,
}

/// Evidence that is not a check: an observation, feedback, an audit, an incident review or
/// care records.
#[derive(Deserialize, ToSchema)]
pub struct OtherSource {
    pub kind: SourceKind,
    /// YYYY-MM-DD.
    pub date: String,
    pub description: String,
}

/// Step 2: the expected standard and the focus criteria it is judged on.
#[derive(Deserialize, ToSchema)]
pub struct NewStandard {
    pub standard: String,
    /// Criteria of the cycle's theme.
    pub focus: Vec<Uuid>,
    pub changes_required: String,
    /// A team leader, deputy or registered manager or quality lead of the service.
    pub owner: Uuid,
    /// YYYY-MM-DD, on or after the day the cycle was opened.
    pub target_date: String,
}

/// Step 3: one targeted action.
#[derive(Deserialize, ToSchema)]
pub struct NewAction {
    pub kind: ActionKind,
    /// YYYY-MM-DD: not in the future, nor before the concern.
    pub date: String,
    pub led_by: Uuid,
    /// The cycle's staff who took part.
    pub attendees: Vec<Uuid>,
    pub guidance: String,
    /// The staff member's response or acknowledgement.
    #[serde(default)]
    pub response: String,
    pub expected_points: String,
    /// Needed once the cycle is closed: why it is changed.
    #[serde(default)]
    pub reason: String,
}

/// Step 5: the governance review of the re-checks.
#[derive(Deserialize, ToSchema)]
pub struct NewGovernanceReview {
    /// close (only when sustained), extend or escalate.
    pub conclusion: Conclusion,
    pub findings: String,
    #[serde(default)]
    pub remaining_risks: String,
    /// With escalate: the standard made stricter.
    #[serde(default)]
    pub reinforced_standard: String,
    /// When extending or escalating: a stricter re-check plan (it may not loosen the current one).
    pub tightened_rule: Option<SustainmentRule>,
}

/// Reopening a closed cycle.
#[derive(Deserialize, ToSchema)]
pub struct Reopening {
    pub reason: String,
}

fn rule_fields(fields: FormFields, rule: &SustainmentRule) -> FormFields {
    sustainment_rule_fields(rule)
        .into_iter()
        .fold(fields, |fields, (name, _, value)| fields.with(name, &value.to_string()))
}

fn with_all(fields: FormFields, name: &str, ids: &[Uuid]) -> FormFields {
    ids.iter().fold(fields, |fields, id| fields.with(name, &id.to_string()))
}

impl NewCycle {
    fn into_fields(self) -> FormFields {
        let fields = FormFields::default()
            .with("service", &self.service.to_string())
            .with("theme", &self.theme.to_string())
            .with("group_name", &self.group_name)
            .with("concern", &self.concern)
            .with("examples", &self.examples);
        let fields = with_all(with_all(fields, "staff", &self.staff), "source_checks", &self.source_checks);
        self.sources.iter().enumerate().fold(fields, |fields, (row, source)| {
            fields
                .with(&format!("sources.{row}.kind"), source.kind.code())
                .with(&format!("sources.{row}.date"), &source.date)
                .with(&format!("sources.{row}.description"), &source.description)
        })
    }
}

fn cycle_fields(id: Uuid) -> FormFields {
    FormFields::default().with("id", &id.to_string())
}

impl NewStandard {
    fn into_fields(self, id: Uuid) -> FormFields {
        with_all(cycle_fields(id), "focus", &self.focus)
            .with("standard", &self.standard)
            .with("changes_required", &self.changes_required)
            .with("owner", &self.owner.to_string())
            .with("target_date", &self.target_date)
    }
}

impl NewAction {
    fn into_fields(self, id: Uuid) -> FormFields {
        with_all(cycle_fields(id), "attendees", &self.attendees)
            .with("kind", self.kind.code())
            .with("date", &self.date)
            .with("led_by", &self.led_by.to_string())
            .with("guidance", &self.guidance)
            .with("response", &self.response)
            .with("expected_points", &self.expected_points)
            .with("reason", &self.reason)
    }
}

impl NewGovernanceReview {
    fn into_fields(self, id: Uuid) -> FormFields {
        let fields = cycle_fields(id)
            .with("conclusion", self.conclusion.code())
            .with("findings", &self.findings)
            .with("remaining_risks", &self.remaining_risks)
            .with("reinforced_standard", &self.reinforced_standard);
        match &self.tightened_rule {
            Some(rule) => rule_fields(fields.with("tighten", "on"), rule),
            None => fields,
        }
    }
}

/// Which step a request takes; each is the form's own rule.
#[derive(Clone, Copy)]
enum Step {
    Open,
    Standard,
    Action,
    Review,
    Reopen,
}

type Body<T> = Result<Json<T>, axum::extract::rejection::JsonRejection>;

fn not_a(what: &str) -> Response {
    error(StatusCode::BAD_REQUEST, format!("This is not {what}: see the API description."))
}

/// Takes `step` for the signed-in person and answers with the cycle as it then stands.
/// The body is judged only once the person is known to be signed in.
async fn take(state: &AppState, session: &Session, step: Step, fields: Result<FormFields, Response>) -> Response {
    use recheck_app::pages::cycles::{
        keep_action, keep_governance_review, keep_opening, keep_reopening, keep_standard,
    };
    let storage = state.storage.as_ref();
    let user = match crate::checks::signed_in(storage, session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let fields = match fields {
        Ok(fields) => fields,
        Err(refusal) => return refusal,
    };
    let actor = user.actor();
    let author = Author::user(user.id, user.name.clone());
    let change: Result<CycleChange, AppError> = match step {
        Step::Open => keep_opening(storage, &actor, author, &fields).await,
        Step::Standard => keep_standard(storage, &actor, author, &fields).await,
        Step::Action => keep_action(storage, &actor, author, &fields).await,
        Step::Review => keep_governance_review(storage, &actor, author, &fields).await,
        Step::Reopen => keep_reopening(storage, &actor, author, &fields).await,
    };
    let change = match change {
        Ok(change) => change,
        Err(failure) => return refused(failure),
    };
    let cycle = match storage.cycles.cycle(change.cycle_id).await {
        Ok(Some(cycle)) => cycle,
        Ok(None) => return error(StatusCode::NOT_FOUND, "No such cycle."),
        Err(failure) => return storage_failure(failure),
    };
    let status = match step {
        Step::Open => StatusCode::CREATED,
        _ => StatusCode::OK,
    };
    match JudgedCycle::load(storage, cycle).await {
        Ok(judged) => (status, Json(CycleReport::from(judged))).into_response(),
        Err(failure) => storage_failure(failure),
    }
}

#[utoipa::path(
    post, path = "/api/v1/cycles", request_body = NewCycle,
    responses(
        (status = 201, description = "Opened: the cycle, waiting for its expected standard", body = CycleReport),
        (status = 400, description = "Not a cycle, or no service named", body = ApiError),
        (status = 401, description = "Not signed in, or the session has expired", body = ApiError),
        (status = 403, description = "The user may not open cycles at that service", body = ApiError),
        (status = 404, description = "No such service", body = ApiError),
        (status = 422, description = "Refused field by field: no concern, staff not of the service or who have left, a group without a name, a second open cycle for the same staff and theme", body = InvalidInput),
    )
)]
pub async fn open_cycle(State(state): State<AppState>, session: Session, body: Body<NewCycle>) -> Response {
    let fields = body.map(|Json(new)| new.into_fields()).map_err(|_| not_a("a cycle"));
    take(&state, &session, Step::Open, fields).await
}

#[utoipa::path(
    post, path = "/api/v1/cycles/{id}/standard", request_body = NewStandard,
    responses(
        (status = 200, description = "Set: the cycle, waiting for its first action", body = CycleReport),
        (status = 400, description = "Not a standard, or the cycle is closed", body = ApiError),
        (status = 401, description = "Not signed in, or the session has expired", body = ApiError),
        (status = 403, description = "Only a deputy or registered manager of the service sets the standard", body = ApiError),
        (status = 404, description = "No such cycle among the user's services", body = ApiError),
        (status = 422, description = "Refused field by field: a focus criterion not in the theme, an owner who may not own it, a target date before the concern", body = InvalidInput),
    )
)]
pub async fn set_standard(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    body: Body<NewStandard>,
) -> Response {
    let fields = body.map(|Json(standard)| standard.into_fields(id)).map_err(|_| not_a("an expected standard"));
    take(&state, &session, Step::Standard, fields).await
}

#[utoipa::path(
    post, path = "/api/v1/cycles/{id}/actions", request_body = NewAction,
    responses(
        (status = 200, description = "Recorded: the cycle, with re-checks after its first action counting", body = CycleReport),
        (status = 400, description = "Not an action, or the cycle has no standard yet", body = ApiError),
        (status = 401, description = "Not signed in, or the session has expired", body = ApiError),
        (status = 403, description = "Team leaders and above record actions", body = ApiError),
        (status = 404, description = "No such cycle among the user's services", body = ApiError),
        (status = 422, description = "Refused field by field: a date in the future or before the concern, attendees not of the cycle, no reason for changing a closed cycle", body = InvalidInput),
    )
)]
pub async fn record_action(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    body: Body<NewAction>,
) -> Response {
    let fields = body.map(|Json(action)| action.into_fields(id)).map_err(|_| not_a("an action"));
    take(&state, &session, Step::Action, fields).await
}

#[utoipa::path(
    post, path = "/api/v1/cycles/{id}/reviews", request_body = NewGovernanceReview,
    responses(
        (status = 200, description = "Recorded: closing freezes the verdict and the re-checks it rested on", body = CycleReport),
        (status = 400, description = "Not a review, or the cycle has no re-checks to judge yet", body = ApiError),
        (status = 401, description = "Not signed in, or the session has expired", body = ApiError),
        (status = 403, description = "Only the registered manager reviews; deputy and registered managers escalate", body = ApiError),
        (status = 404, description = "No such cycle among the user's services", body = ApiError),
        (status = 422, description = "Refused field by field: closing what is not sustained, no findings, a plan that loosens the current one", body = InvalidInput),
    )
)]
pub async fn review_cycle(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    body: Body<NewGovernanceReview>,
) -> Response {
    let fields = body.map(|Json(review)| review.into_fields(id)).map_err(|_| not_a("a governance review"));
    take(&state, &session, Step::Review, fields).await
}

#[utoipa::path(
    post, path = "/api/v1/cycles/{id}/reopen", request_body = Reopening,
    responses(
        (status = 200, description = "Reopened, with the reason kept as an amendment", body = CycleReport),
        (status = 400, description = "Not a reason", body = ApiError),
        (status = 401, description = "Not signed in, or the session has expired", body = ApiError),
        (status = 403, description = "Deputy and registered managers reopen cycles", body = ApiError),
        (status = 404, description = "No such cycle among the user's services", body = ApiError),
        (status = 422, description = "No reason, the cycle is open already, or another cycle for the same staff and theme is open", body = InvalidInput),
    )
)]
pub async fn reopen_cycle(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    body: Body<Reopening>,
) -> Response {
    let fields = body.map(|Json(reopening)| cycle_fields(id).with("reason", &reopening.reason));
    take(&state, &session, Step::Reopen, fields.map_err(|_| not_a("a reason"))).await
}

#[utoipa::path(
    get, path = "/api/v1/services/{id}/sustainment-rule",
    responses(
        (status = 200, description = "The re-check plan new cycles at the service start with", body = SustainmentRule),
        (status = 401, description = "Not signed in, or the session has expired", body = ApiError),
        (status = 404, description = "No such service among the user's", body = ApiError),
    )
)]
pub async fn sustainment_rule(State(state): State<AppState>, session: Session, Path(id): Path<Uuid>) -> Response {
    let storage = state.storage.as_ref();
    let user = match crate::checks::signed_in(storage, &session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    if user.actor().may(Action::ViewCycles(id)) == Decision::Deny {
        return error(StatusCode::NOT_FOUND, "No such service.");
    }
    match recheck_app::storage::service(storage, id).await {
        Ok(_) => {}
        Err(StorageError::NotFound) => return error(StatusCode::NOT_FOUND, "No such service."),
        Err(failure) => return storage_failure(failure),
    }
    match storage.cycles.sustainment_rule(id).await {
        Ok(rule) => Json(rule).into_response(),
        Err(failure) => storage_failure(failure),
    }
}

#[utoipa::path(
    put, path = "/api/v1/services/{id}/sustainment-rule", request_body = SustainmentRule,
    responses(
        (status = 200, description = "Saved; cycles already opened keep their plan", body = SustainmentRule),
        (status = 400, description = "Not a sustainment rule", body = ApiError),
        (status = 401, description = "Not signed in, or the session has expired", body = ApiError),
        (status = 403, description = "Only the service's registered manager or a provider admin changes it", body = ApiError),
        (status = 404, description = "No such service among the user's", body = ApiError),
        (status = 422, description = "A rule that cannot be met, part by part", body = InvalidInput),
    )
)]
pub async fn set_sustainment_rule(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    body: Body<SustainmentRule>,
) -> Response {
    let storage = state.storage.as_ref();
    let user = match crate::checks::signed_in(storage, &session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let Ok(Json(rule)) = body else { return not_a("a sustainment rule") };
    let fields = rule_fields(FormFields::default().with("service", &id.to_string()), &rule);
    let author = Author::user(user.id, user.name.clone());
    match recheck_app::pages::cycles::keep_sustainment_rule(storage, &user.actor(), author, &fields).await {
        Ok((_, rule)) => Json(rule).into_response(),
        Err(failure) => refused(failure),
    }
}
