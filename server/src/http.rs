//! The HTTP application: Leptos pages and server functions, static files, `/healthz`, with
//! compression, request logging and panic containment around all of it.

use crate::sessions::{self, SessionSettings};
use axum::Router;
use axum::extract::{FromRef, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use leptos::prelude::{LeptosOptions, provide_context};
use leptos_axum::{AxumRouteListing, LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use recheck_app::storage::SharedStorage;
use recheck_app::{App, shell};
use serde_json::json;
use std::sync::OnceLock;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub storage: SharedStorage,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The app's routes, worked out once per process. Working them out runs the app with resource
/// loading switched off process-wide, so doing it while another router serves pages (several test
/// servers in one process) can leave a page's resource waiting for ever (leptos issue #4773).
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState, session_settings: SessionSettings) -> Router {
    let routes = routes();
    let storage = state.storage.clone();
    let provide_storage = move || provide_context(storage.clone());
    let leptos_options = state.leptos_options.clone();
    let pkg_dir = std::path::Path::new(&*leptos_options.site_root).join(&*leptos_options.site_pkg_dir);
    let release = crate::offline::release_of(&pkg_dir);
    let page_release = release.clone();
    let fallback_release = release.clone();
    Router::new()
        .merge(crate::api::routes())
        .merge(crate::checks::routes())
        .merge(crate::cycles::routes())
        .merge(crate::trends::routes())
        .merge(crate::warnings::routes())
        .merge(crate::devices::routes())
        .merge(crate::reviews::routes())
        .merge(crate::sign_in::routes())
        .leptos_routes_with_context(&state, routes, provide_storage.clone(), move || {
            shell(leptos_options.clone(), page_release.clone())
        })
        .fallback(file_and_error_handler_with_context::<AppState, _>(provide_storage, move |options| {
            shell(options, fallback_release.clone())
        }))
        .layer(middleware::from_fn(crate::plain_forms::answer_plain_forms))
        .layer(sessions::layer(state.storage.clone(), session_settings))
        // Neither the health check nor the release's files read a session, so a browser's
        // cookie on each of those requests costs no lookup.
        .route("/healthz", get(health))
        .merge(crate::offline::routes(&release, &pkg_dir))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(refuse_cross_site_writes))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// CSRF defence: browsers say where a request came from (`Sec-Fetch-Site`, `Origin`); a request
/// that would change something and came from another site is refused. Clients that are not
/// browsers send neither header and are judged by their session alone.
async fn refuse_cross_site_writes(request: Request, next: Next) -> Response {
    let changes_something = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if changes_something && is_cross_site(request.headers()) {
        return crate::api::error(StatusCode::FORBIDDEN, "Refused: this request came from another website.");
    }
    next.run(request).await
}

fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return !matches!(site.to_str(), Ok("same-origin" | "none"));
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let origin_authority =
        origin.to_str().ok().and_then(|origin| origin.split_once("://")).map(|(_, authority)| authority);
    let host = headers.get(header::HOST).and_then(|host| host.to_str().ok());
    match (origin_authority, host) {
        (Some(authority), Some(host)) => !authority.eq_ignore_ascii_case(host),
        _ => true,
    }
}

async fn method_not_allowed(method: axum::http::Method) -> impl IntoResponse {
    (StatusCode::METHOD_NOT_ALLOWED, format!("This address does not accept {method} requests.\n"))
}

/// For monitoring: 200 when the server and its database answer, 503 when the database does not.
async fn health(State(state): State<AppState>) -> impl IntoResponse {
    match state.storage.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ok", "database": "ok" }))),
        Err(error) => {
            tracing::error!(%error, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable", "database": error.to_string() })))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (header::HeaderName::from_static(name), value.parse().unwrap())).collect()
    }

    #[test]
    fn requests_from_this_site_or_no_browser_are_not_cross_site() {
        assert!(!is_cross_site(&headers(&[])));
        assert!(!is_cross_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!is_cross_site(&headers(&[("sec-fetch-site", "none")])));
        assert!(!is_cross_site(&headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")])));
        assert!(!is_cross_site(&headers(&[("origin", "https://Recheck.example"), ("host", "recheck.example")])));
    }

    #[test]
    fn requests_from_other_sites_are_cross_site() {
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(is_cross_site(&headers(&[("origin", "https://evil.example"), ("host", "recheck.example")])));
        assert!(is_cross_site(&headers(&[("origin", "null"), ("host", "recheck.example")])));
        assert!(is_cross_site(&headers(&[("origin", "http://recheck.example:8080"), ("host", "recheck.example")])));
    }
}
