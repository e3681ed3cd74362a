//! The sign-in page. A successful sign-in goes to the page the person was sent from, or home.

use crate::error::AppError;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Only paths on this site, so a crafted link cannot send someone elsewhere after signing in.
pub fn safe_return_path(next: Option<&str>) -> &str {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => path,
        _ => "/",
    }
}

#[server(prefix = "/fn", endpoint = "sign_in")]
pub async fn sign_in_with_password(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use axum::extract::ConnectInfo;
            use std::net::SocketAddr;
            let storage = crate::error::storage()?;
            let parts: http::request::Parts = leptos_axum::extract().await.map_err(|_| AppError::Unavailable)?;
            let address = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(peer)| peer.ip());
            let session: tower_sessions::Session = leptos_axum::extract().await.map_err(|_| AppError::Unavailable)?;
            crate::auth::sign_in(storage.as_ref(), &session, &email, &password, address).await?;
            leptos_axum::redirect(safe_return_path(next.as_deref()));
            Ok(())
        }
        .await,
    )
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignInWithPassword>::new();
    let query = use_query_map();
    let next = move || query.with(|query| safe_return_path(query.get("next").as_deref()).to_owned());
    let failure = move || action.value().get().and_then(Result::err);
    view! {
        <Title text="Sign in" />
        <div class="narrow">
            <h1>"Sign in"</h1>
            <ActionForm action attr:class="form">
                <input type="hidden" name="next" prop:value=next />
                <div class="field">
                    <label for="email">"Email address"</label>
                    <input id="email" name="email" type="email" autocomplete="username" required />
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required />
                </div>
                {move || failure().map(|error| view! { <p class="error" role="alert">{error.to_string()}</p> })}
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
            <p class="muted">"Forgotten your password? Ask your registered manager or provider admin to set a new one."</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::safe_return_path;

    #[test]
    fn only_local_paths_are_followed_after_signing_in() {
        assert_eq!(safe_return_path(Some("/themes")), "/themes");
        assert_eq!(safe_return_path(None), "/");
        for unsafe_path in ["https://evil.example", "//evil.example", "/\\evil.example", "themes"] {
            assert_eq!(safe_return_path(Some(unsafe_path)), "/", "{unsafe_path}");
        }
    }
}
