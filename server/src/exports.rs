//! Exports as CSV (`docs/domain.md` §10): what the person may see, filtered as its list is,
//! written by the csv crate; checks and reviews, which a provider holds in millions and in tens of
//! thousands, are streamed a page at a time, so that the largest export holds two pages of records
//! in memory. The file starts with a byte order mark so that Excel reads it as
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
use recheck_app::domain::check::{CheckCursor, CheckFilter, StoredCheck, date_in_zone};
use recheck_app::domain::review::{Review, ReviewKind};
use recheck_app::domain::spreadsheet::BYTE_ORDER_MARK;
use recheck_app::error::AppError;
use recheck_app::exports::{ActionSheet, CheckSheet, CycleSheet, ReviewSheet, WarningSheet};
use recheck_app::pages::Query;
use recheck_app::pages::checks::{Names, filter_of};
use recheck_app::pages::cycles::listed_cycles;
use recheck_app::pages::reviews::reviews_filter;
use recheck_app::pages::warnings::warnings_for;
use recheck_app::storage::{JudgedCycle, ReviewCursor, ReviewFilter, SharedStorage, visible_checks};
use std::sync::Arc;
use tower_sessions::Session;
use uuid::Uuid;

/// Checks read from the database at a time: the most an export holds in memory at once.
pub const EXPORT_PAGE: u32 = 500;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/checks/export.csv", get(checks_csv))
        .route(
            "/cycles/export.csv",
            get(|State(state): State<AppState>, session: Session, RawQuery(raw): RawQuery| {
                cycles_file(state.storage, session, raw, "cycles", cycle_rows)
            }),
        )
        .route(
            "/cycles/actions.csv",
            get(|State(state): State<AppState>, session: Session, RawQuery(raw): RawQuery| {
                cycles_file(state.storage, session, raw, "actions", action_rows)
            }),
        )
        .route("/warnings/export.csv", get(warnings_csv))
        .route("/reviews/export.csv", get(reviews_csv))
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

/// A sheet's header and its rows.
type Sheet = (Vec<String>, Vec<Vec<String>>);

/// The cycles the person may see that match the cycles list's filters, newest first, as CSV
/// (`what` names the file), a row each as `sheet` writes them: one a cycle, or one an action.
async fn cycles_file(
    storage: SharedStorage,
    session: Session,
    raw: Option<String>,
    what: &str,
    sheet: fn(Names, &[JudgedCycle]) -> Sheet,
) -> Response {
    let actor = match signed_in(&storage, &session).await {
        Ok(user) => user.actor(),
        Err(response) => return response,
    };
    let found = async {
        let cycles = listed_cycles(&storage, &actor, &query_of(raw)).await?;
        Ok::<_, AppError>((cycles, Names::load_from(&storage, &actor).await?))
    };
    let (cycles, names) = match found.await {
        Ok(found) => found,
        Err(failure) => return refusal(failure),
    };
    let (header, rows) = sheet(names, &cycles);
    whole_sheet(&storage, what, header, rows)
}

fn cycle_rows(names: Names, cycles: &[JudgedCycle]) -> Sheet {
    let sheet = CycleSheet::new(names);
    (sheet.header(), cycles.iter().map(|cycle| sheet.row(cycle)).collect())
}

fn action_rows(names: Names, cycles: &[JudgedCycle]) -> Sheet {
    let sheet = ActionSheet::new(names);
    (sheet.header(), cycles.iter().flat_map(|cycle| sheet.rows(cycle)).collect())
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
    let sheet = CheckSheet::new(names, filter.theme_id);
    let Ok(header) = csv_lines([sheet.header()]) else { return unavailable() };
    let headers = attachment(&storage, "checks");
    let read_after = move |last: &StoredCheck| {
        let (storage, actor) = (storage.clone(), actor.clone());
        let filter = CheckFilter { after: Some(CheckCursor::of(last)), ..filter.clone() };
        async move {
            match visible_checks(&storage, &actor, filter).await {
                Ok(checks) => Ok(checks.unwrap_or_default()),
                Err(failure) => Err(failure.to_string()),
            }
        }
    };
    let rows = move |checks: &[StoredCheck]| checks.iter().map(|check| sheet.row(check)).collect();
    streamed(headers, header, first, EXPORT_PAGE as usize, read_after, rows)
}

/// The reviews the person sees, of one service or kind if asked, newest first, as CSV.
async fn reviews_csv(State(state): State<AppState>, session: Session, RawQuery(raw): RawQuery) -> Response {
    let storage = state.storage.clone();
    let actor = match signed_in(&storage, &session).await {
        Ok(user) => user.actor(),
        Err(response) => return response,
    };
    let query = query_of(raw);
    let service = match query.get("service").trim() {
        "" => None,
        raw => match Uuid::parse_str(raw) {
            Ok(id) => Some(id),
            Err(_) => return error(StatusCode::BAD_REQUEST, "That is not one of the services."),
        },
    };
    let kind = match query.get("kind").trim() {
        "" => None,
        code => match ReviewKind::from_code(code) {
            Some(kind) => Some(kind),
            None => return error(StatusCode::BAD_REQUEST, format!("“{code}” is not a kind of review.")),
        },
    };
    let filter = match reviews_filter(&actor, service, kind, i64::from(EXPORT_PAGE)) {
        Ok(filter) => filter,
        Err(failure) => return refusal(failure),
    };
    let first = match storage.reviews.reviews(&filter).await {
        Ok(reviews) => reviews,
        Err(failure) => return storage_failure(failure),
    };
    let names = match Names::load_from(&storage, &actor).await {
        Ok(names) => names,
        Err(_) => return unavailable(),
    };
    let sheet = ReviewSheet::new(names);
    let Ok(header) = csv_lines([sheet.header()]) else { return unavailable() };
    let headers = attachment(&storage, "reviews");
    let read_after = move |last: &Review| {
        let storage = storage.clone();
        let filter = ReviewFilter { after: Some(ReviewCursor::of(last)), ..filter.clone() };
        async move { storage.reviews.reviews(&filter).await.map_err(|failure| failure.to_string()) }
    };
    // A kind seen at one service may not be seen at another: such rows are left out of the file,
    // but the pages are still read on from the last review read.
    let rows = move |reviews: &[Review]| {
        reviews
            .iter()
            .filter(|review| actor.sees_review(review.service_id, review.kind))
            .map(|review| sheet.row(review))
            .collect()
    };
    streamed(headers, header, first, EXPORT_PAGE as usize, read_after, rows)
}

/// A file streamed page by page: the byte order mark and `header`, then `first` and each page
/// `read_after` reads after the last record of the page before, until a page is short. At most
/// two pages are held at once. A failure part-way ends the download as failed, so a short file
/// is never taken for a whole one.
fn streamed<Record, Read, Reading>(
    headers: [(header::HeaderName, String); 2],
    header: Vec<u8>,
    first: Vec<Record>,
    page_size: usize,
    read_after: Read,
    rows: impl Fn(&[Record]) -> Vec<Vec<String>> + Send + Sync + 'static,
) -> Response
where
    Record: Send + 'static,
    Read: Fn(&Record) -> Reading + Send + Sync + 'static,
    Reading: std::future::Future<Output = Result<Vec<Record>, String>> + Send + 'static,
{
    let start = Bytes::from([BYTE_ORDER_MARK.as_bytes(), &header].concat());
    let (read_after, rows) = (Arc::new(read_after), Arc::new(rows));
    let pages = futures_util::stream::unfold(Some(first), move |page| {
        let (read_after, rows) = (read_after.clone(), rows.clone());
        async move {
            let records = page.filter(|records| !records.is_empty())?;
            let next = match records.len() < page_size {
                true => None,
                false => match read_after(records.last().expect("not empty")).await {
                    Ok(next) => Some(next),
                    Err(failure) => return Some((Err(std::io::Error::other(failure)), None)),
                },
            };
            Some((csv_lines(rows(&records)).map(Bytes::from), next))
        }
    });
    // Fused: the compression layer asks a finished body once more for what follows it.
    let body = Body::from_stream(futures_util::stream::once(async { Ok(start) }).chain(pages).fuse());
    (headers, body).into_response()
}

/// `rows` as CSV text.
fn csv_lines(rows: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>, std::io::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.write_record(&row)?;
    }
    writer.into_inner().map_err(|failure| failure.into_error())
}
