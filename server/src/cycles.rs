//! Improvement cycles in the JSON API: listed and read as the pages show them, scoped the same
//! way (a person sees the cycles of their own services), each with its live verdict and the
//! re-checks it rests on. Changes go through the same server functions as the pages' forms.

use crate::api::{ApiError, error, unavailable};
use crate::http::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use recheck_app::domain::access::{Action, Decision};
use recheck_app::domain::cycle::{Cycle, Judgement, Stage, Verdict};
use recheck_app::storage::{CycleFilter, JudgedCycle, StorageError, visible_cycles};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/cycles", get(list_cycles)).route("/api/v1/cycles/{id}", get(one_cycle))
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
