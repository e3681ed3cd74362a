use crate::error::AppError;
use crate::pages::sign_in::sign_in_path;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// Shows why a page could not load; someone who is not signed in is sent to sign in first and
/// brought back afterwards.
#[component]
pub fn Failure(error: AppError) -> impl IntoView {
    if error == AppError::Unauthenticated {
        let here = use_location().pathname.get_untracked();
        let path = sign_in_path(&here, None);
        return view! { <Redirect path /> }.into_any();
    }
    view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any()
}
