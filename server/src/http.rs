//! The HTTP application: Leptos pages and server functions, static files, `/healthz`, with
//! compression, request logging and panic containment around all of it.

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json};
use axum::routing::get;
use leptos::prelude::{LeptosOptions, provide_context};
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use recheck_app::storage::SharedStorage;
use recheck_app::{App, shell};
use serde_json::json;
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

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let storage = state.storage.clone();
    let provide_storage = move || provide_context(storage.clone());
    let leptos_options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(health))
        .leptos_routes_with_context(&state, routes, provide_storage.clone(), move || shell(leptos_options.clone()))
        .fallback(file_and_error_handler_with_context::<AppState, _>(provide_storage, shell))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
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
