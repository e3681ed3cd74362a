//! The HTTP application: Leptos pages and server functions, static files, `/healthz` and
//! `/readyz`, with security headers, compression, request logging and panic containment around
//! all of it.

use crate::sessions::{self, SessionSettings};
use axum::Router;
use axum::extract::{FromRef, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use leptos::nonce::Nonce;
use leptos::prelude::{LeptosOptions, provide_context, use_context};
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
    let proxies = std::sync::Arc::new(session_settings.trusted_proxies.clone());
    let over_https = session_settings.over_https;
    let routes = routes();
    let storage = state.storage.clone();
    // Each page is rendered with the nonce its answer's policy names (see `security_headers`).
    let provide_page_context = move || {
        provide_context(storage.clone());
        let nonce =
            use_context::<axum::http::request::Parts>().and_then(|request| request.extensions.get::<Nonce>().cloned());
        if let Some(nonce) = nonce {
            provide_context(nonce);
        }
    };
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
        .merge(crate::exports::routes())
        .merge(crate::sign_in::routes())
        .leptos_routes_with_context(&state, routes, provide_page_context.clone(), move || {
            shell(leptos_options.clone(), page_release.clone())
        })
        .fallback(file_and_error_handler_with_context::<AppState, _>(provide_page_context, move |options| {
            shell(options, fallback_release.clone())
        }))
        .layer(middleware::from_fn(crate::plain_forms::answer_plain_forms))
        .layer(sessions::layer(state.storage.clone(), &session_settings))
        // Neither the health checks nor the release's files read a session, so a browser's
        // cookie on each of those requests costs no lookup.
        .route("/healthz", get(alive))
        .route("/readyz", get(ready))
        .merge(crate::offline::routes(&release, &pkg_dir))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(refuse_cross_site_writes))
        .layer(middleware::from_fn(move |request, next| {
            crate::client_address::identify(proxies.clone(), request, next)
        }))
        .layer(middleware::from_fn(move |request, next| security_headers(over_https, request, next)))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// What every answer says about how a browser may use it: only the app's own code may run in
/// it (pages set their own policy, with the nonce of their inline code), nothing may frame it,
/// its type is not to be guessed, no address leaks to another site, and over HTTPS the browser
/// keeps to HTTPS for two years. Pages, the API and exports are not kept by the browser, so the
/// Back button after signing out shows nothing.
///
/// The nonce a page's own inline code carries is made here, for every request, and handed to the
/// page's rendering through the request; the page's answer names it in its policy. (Set by the
/// page itself through Leptos's response options, the policy was now and then lost from a page
/// rendered while the service worker fetched another, and the page could not start.)
async fn security_headers(over_https: bool, mut request: Request, next: Next) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let is_page = headers.get(header::CONTENT_TYPE).is_some_and(|kind| kind.as_bytes().starts_with(b"text/html"));
    let policy = recheck_app::content_security_policy(is_page.then_some(&*nonce));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_str(&policy).expect("the policy is ASCII"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if over_https {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000"));
    }
    let holds_records = headers.get(header::CONTENT_TYPE).and_then(|kind| kind.to_str().ok()).is_some_and(|kind| {
        ["text/html", "application/json", "text/csv"].iter().any(|records| kind.starts_with(records))
    });
    if holds_records && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// CSRF defence: browsers say where a request came from (`Sec-Fetch-Site`, `Origin`); a request
/// that would change something and may have come from another site is refused. Clients that are
/// not browsers send neither header and are judged by their session alone.
async fn refuse_cross_site_writes(request: Request, next: Next) -> Response {
    let changes_something = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if changes_something && may_come_from_another_site(request.headers()) {
        return crate::api::error(StatusCode::FORBIDDEN, "Refused: this request came from another website.");
    }
    next.run(request).await
}

/// Every browser in use sends `Sec-Fetch-Site` or `Origin` with a write; a write from a client
/// that calls itself a browser (`Mozilla/…`, as they all do) without either is refused, in case
/// it is an old or unusual one whose cross-site writes would otherwise pass unnoticed.
fn may_come_from_another_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return !matches!(site.to_str(), Ok("same-origin" | "none"));
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        let user_agent = headers.get(header::USER_AGENT).and_then(|agent| agent.to_str().ok()).unwrap_or("");
        return user_agent.starts_with("Mozilla/");
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

/// Liveness, for a supervisor deciding whether to restart the process: it answers, so it lives.
async fn alive() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// Readiness, for a load balancer deciding whether to send this instance requests: 200 when the
/// database answers and holds this release's schema, 503 with the reason otherwise. The
/// database's own error text goes to the log only, never to whoever asked.
async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    let unavailable =
        |reason: &str| (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable", "reason": reason })));
    match state.storage.is_ready().await {
        Ok(true) => (StatusCode::OK, Json(json!({ "status": "ready" }))),
        Ok(false) => unavailable("The database holds an earlier release's schema: run `recheck migrate`."),
        Err(error) => {
            tracing::error!(%error, "readiness check: the database does not answer");
            unavailable("The database does not answer.")
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
        assert!(!may_come_from_another_site(&headers(&[])));
        assert!(!may_come_from_another_site(&headers(&[("user-agent", "curl/8.5.0")])));
        assert!(!may_come_from_another_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!may_come_from_another_site(&headers(&[("sec-fetch-site", "none")])));
        assert!(!may_come_from_another_site(&headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!may_come_from_another_site(&headers(&[
            ("origin", "https://Recheck.example"),
            ("host", "recheck.example")
        ])));
    }

    #[test]
    fn requests_from_other_sites_are_cross_site() {
        assert!(may_come_from_another_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(may_come_from_another_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(may_come_from_another_site(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "recheck.example")
        ])));
        assert!(may_come_from_another_site(&headers(&[("origin", "null"), ("host", "recheck.example")])));
        assert!(may_come_from_another_site(&headers(&[
            ("origin", "http://recheck.example:8080"),
            ("host", "recheck.example")
        ])));
    }

    #[test]
    fn a_browser_write_that_says_nothing_of_where_it_came_from_may_come_from_another_site() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert!(may_come_from_another_site(&headers(&[("user-agent", firefox)])));
        assert!(!may_come_from_another_site(&headers(&[("user-agent", firefox), ("sec-fetch-site", "same-origin")])));
    }
}
