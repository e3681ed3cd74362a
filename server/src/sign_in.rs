//! The sign-in and sign-out forms' targets. Plain form posts answered with redirects work before
//! (or without) the page's wasm, and keep the sign-in code out of the browser's download.

use crate::client_address::ClientAddress;
use crate::http::AppState;
use axum::extract::State;
use axum::response::Redirect;
use axum::routing::post;
use axum::{Extension, Form, Router};
use recheck_app::auth::{SignInError, sign_in, sign_out};
use recheck_app::pages::account::change_password_path;
use recheck_app::pages::sign_in::{SignInRefusal, safe_return_path, sign_in_path};
use serde::Deserialize;
use tower_sessions::Session;

pub fn routes() -> Router<AppState> {
    Router::new().route("/sign-in", post(submit_sign_in)).route("/sign-out", post(submit_sign_out))
}

#[derive(Deserialize)]
struct SignInForm {
    email: String,
    password: String,
    next: Option<String>,
}

async fn submit_sign_in(
    State(state): State<AppState>,
    Extension(ClientAddress(client)): Extension<ClientAddress>,
    session: Session,
    Form(form): Form<SignInForm>,
) -> Redirect {
    let next = safe_return_path(form.next.as_deref());
    let refusal = match sign_in(state.storage.as_ref(), &session, &form.email, &form.password, client).await {
        Ok(user) if user.password_change_required => return Redirect::to(&change_password_path(next)),
        Ok(_) => return Redirect::to(next),
        Err(SignInError::WrongCredentials) => SignInRefusal::WrongCredentials,
        Err(SignInError::Throttled { .. }) => SignInRefusal::Throttled,
        Err(SignInError::OneTimePasswordExpired) => SignInRefusal::OneTimePasswordExpired,
        Err(failure) => {
            tracing::error!(%failure, "sign-in failed");
            SignInRefusal::Unavailable
        }
    };
    Redirect::to(&sign_in_path(next, Some(refusal)))
}

async fn submit_sign_out(session: Session) -> Redirect {
    if sign_out(&session).await.is_err() {
        tracing::error!("the session could not be ended on the server");
    }
    Redirect::to("/sign-in")
}
