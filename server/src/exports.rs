//! Exports as CSV (`docs/domain.md` §10): what the person may see, filtered as its list is,
//! written by the csv crate; checks, which a provider holds in millions, are streamed a page at a
//! time, so that the largest export holds one page of records in memory. The file starts with a byte order mark so that Excel reads it as
//! UTF-8, and every cell is made safe from formulas (`spreadsheet_safe`).

use crate::api::{error, unavailable};
use crate::checks::{signed_in, storage_failure};
use crate::http::AppState;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::StreamExt;
use recheck_app::domain::access::Actor;
use recheck_app::domain::check::{CheckCursor, CheckFilter, StoredCheck, date_in_zone};
use recheck_app::domain::spreadsheet::BYTE_ORDER_MARK;
use recheck_app::error::AppError;
use recheck_app::exports::{ActionSheet, CheckSheet, CycleSheet, WarningSheet};
use recheck_app::pages::Query;
use recheck_app::pages::checks::{Names, filter_of};
use recheck_app::pages::cycles::listed_cycles;
use recheck_app::pages::warnings::warnings_for;
use recheck_app::storage::{JudgedCycle, SharedStorage, visible_checks};
use std::sync::Arc;
use tower_sessions::Session;

/// Checks read from the database at a time: the most an export holds in memory at once.
pub const EXPORT_PAGE: u32 = 500;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/checks/export.csv", get(checks_csv))
        .route("/cycles/export.csv", get(cycles_csv))
        .route("/cycles/actions.csv", get(actions_csv))
        .route("/warnings/export.csv", get(warnings_csv))
}

/// The query string as the list pages read it.
fn query_of(raw: Option<String>) -> Query {
    Query(form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).into_owned().collect())
}

/// An export's refusal as an answer of its own: the file is never started.
fn refusal(failure: AppError) -> Response {
    match failure {
        AppError::Invalid(errors) => {
            let messages: Vec<String> = errors.into_iter().map(|refusal| refusal.message).collect();
            error(StatusCode::BAD_REQUEST, messages.join(" "))
        }
        AppError::Unavailable => unavailable(),
        other => error(other.status_code(), other.to_string()),
    }
}

/// A file's headers: CSV, to be saved as `recheck-{what}-{today}.csv`.
fn attachment(storage: &SharedStorage, what: &str) -> [(header::HeaderName, String); 2] {
    let today = date_in_zone("Europe/London", storage.now_ms());
    [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"recheck-{what}-{today}.csv\"")),
    ]
}

/// A sheet written whole: for records a provider holds in hundreds (cycles, their actions,
/// warnings), which a page shows all of already, so nothing more is held than the page holds.
fn whole_sheet(storage: &SharedStorage, what: &str, header: Vec<String>, rows: Vec<Vec<String>>) -> Response {
    match csv_lines(std::iter::once(header).chain(rows)) {
        Ok(lines) => (attachment(storage, what), [BYTE_ORDER_MARK.as_bytes(), &lines].concat()).into_response(),
        Err(_) => unavailable(),
    }
}

/// The cycles the person may see that match the cycles list's filters, newest first, as CSV.
async fn cycles_csv(State(state): State<AppState>, session: Session, RawQuery(raw): RawQuery) -> Response {
    let storage = state.storage.clone();
    let actor = match signed_in(&storage, &session).await {
        Ok(user) => user.actor(),
        Err(response) => return response,
    };
    let (cycles, names) = match listed_with_names(&storage, &actor, &query_of(raw)).await {
        Ok(found) => found,
        Err(failure) => return refusal(failure),
    };
    let sheet = CycleSheet::new(names);
    let rows = cycles.iter().map(|cycle| sheet.row(cycle)).collect();
    whole_sheet(&storage, "cycles", sheet.header(), rows)
}

/// The actions of the cycles the cycles list's filters match, as CSV: one row an action.
async fn actions_csv(State(state): State<AppState>, session: Session, RawQuery(raw): RawQuery) -> Response {
    let storage = state.storage.clone();
    let actor = match signed_in(&storage, &session).await {
        Ok(user) => user.actor(),
        Err(response) => return response,
    };
    let (cycles, names) = match listed_with_names(&storage, &actor, &query_of(raw)).await {
        Ok(found) => found,
        Err(failure) => return refusal(failure),
    };
    let sheet = ActionSheet::new(names);
    let rows = cycles.iter().flat_map(|cycle| sheet.rows(cycle)).collect();
    whole_sheet(&storage, "actions", sheet.header(), rows)
}

async fn listed_with_names(
    storage: &SharedStorage,
    actor: &Actor,
    query: &Query,
) -> Result<(Vec<JudgedCycle>, Names), AppError> {
    let cycles = listed_cycles(storage, actor, query).await?;
    Ok((cycles, Names::load_from(storage, actor).await?))
}

/// The warnings of the person's services as they stand now, with their decisions, as CSV.
async fn warnings_csv(State(state): State<AppState>, session: Session) -> Response {
    let storage = state.storage.clone();
    let actor = match signed_in(&storage, &session).await {
        Ok(user) => user.actor(),
        Err(response) => return response,
    };
    if !actor.sees_warnings() {
        return error(StatusCode::FORBIDDEN, "Warnings are for deputy and registered managers and quality leads.");
    }
    let found =
        async { Ok::<_, AppError>((warnings_for(&storage, &actor).await?, Names::load_from(&storage, &actor).await?)) };
    let (warnings, names) = match found.await {
        Ok(found) => found,
        Err(failure) => return refusal(failure),
    };
    let sheet = WarningSheet::new(names);
    let rows = warnings.current.iter().map(|current| sheet.row(current)).collect();
    whole_sheet(&storage, "warnings", sheet.header(), rows)
}

/// The checks the person may see that match the checks list's filters, newest first, as CSV.
async fn checks_csv(State(state): State<AppState>, session: Session, RawQuery(raw): RawQuery) -> Response {
    let storage = state.storage.clone();
    let actor = match signed_in(&storage, &session).await {
        Ok(user) => user.actor(),
        Err(response) => return response,
    };
    let filter = match filter_of(&query_of(raw), EXPORT_PAGE) {
        Ok(filter) => filter,
        Err(failure) => return refusal(failure),
    };
    // The first page is read before answering, so that a refusal is an answer of its own.
    let first = match visible_checks(&storage, &actor, filter.clone()).await {
        Ok(Some(checks)) => checks,
        Ok(None) => return error(StatusCode::FORBIDDEN, "You do not have access to that service's checks."),
        Err(failure) => return storage_failure(failure),
    };
    let names = match Names::load_from(&storage, &actor).await {
        Ok(names) => names,
        Err(_) => return unavailable(),
    };
    let sheet = Arc::new(CheckSheet::new(names, filter.theme_id));
    let header = match csv_lines([sheet.header()]) {
        Ok(lines) => Bytes::from([BYTE_ORDER_MARK.as_bytes(), &lines].concat()),
        Err(_) => return unavailable(),
    };
    let headers = attachment(&storage, "checks");
    let pages = futures_util::stream::unfold(Next::Page(first, filter), move |next| {
        read_on(storage.clone(), actor.clone(), sheet.clone(), next)
    });
    // Fused: the compression layer asks a finished body once more for what follows it.
    let body = Body::from_stream(futures_util::stream::once(async { Ok(header) }).chain(pages).fuse());
    (headers, body).into_response()
}

/// Where an export has got to.
enum Next {
    /// A page read and not yet written, and the filter it was read with.
    Page(Vec<StoredCheck>, CheckFilter),
    /// The next page is to be read with this filter.
    Read(CheckFilter),
    Done,
}

/// Writes the page in hand (reading it first if need be) and says what comes after it. A failure
/// part-way ends the download as failed, so a short file is never taken for a whole one.
async fn read_on(
    storage: SharedStorage,
    actor: Actor,
    sheet: Arc<CheckSheet>,
    next: Next,
) -> Option<(Result<Bytes, std::io::Error>, Next)> {
    let (checks, mut filter) = match next {
        Next::Page(checks, filter) => (checks, filter),
        Next::Read(filter) => match visible_checks(&storage, &actor, filter.clone()).await {
            Ok(Some(checks)) => (checks, filter),
            Ok(None) => return None,
            Err(failure) => return Some((Err(std::io::Error::other(failure.to_string())), Next::Done)),
        },
        Next::Done => return None,
    };
    if checks.is_empty() {
        return None;
    }
    let after = if checks.len() == filter.limit as usize {
        filter.after = checks.last().map(CheckCursor::of);
        Next::Read(filter)
    } else {
        Next::Done
    };
    let lines = csv_lines(checks.iter().map(|check| sheet.row(check))).map(Bytes::from);
    Some((lines, after))
}

/// `rows` as CSV text.
fn csv_lines(rows: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>, std::io::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.write_record(&row)?;
    }
    writer.into_inner().map_err(|failure| failure.into_error())
}
