use crate::error::AppError;
use crate::pages::sign_in::sign_in_path;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// Shows why a page could not load; someone who is not signed in is sent to sign in first and
/// brought back afterwards, and so is someone who must first replace a one-time password.
#[component]
pub fn Failure(error: AppError) -> impl IntoView {
    let here = || use_location().pathname.get_untracked();
    match error {
        AppError::Unauthenticated => {
            let path = sign_in_path(&here(), None);
            return view! { <Redirect path /> }.into_any();
        }
        AppError::PasswordChangeRequired => {
            let path = crate::pages::account::change_password_path(&here());
            return view! { <Redirect path /> }.into_any();
        }
        _ => {}
    }
    view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any()
}
