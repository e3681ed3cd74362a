use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// Shows why a page could not load; someone who is not signed in is sent to sign in first and
/// brought back afterwards.
#[component]
pub fn Failure(error: AppError) -> impl IntoView {
    if error == AppError::Unauthenticated {
        let here = use_location().pathname.get_untracked();
        let path = format!("/sign-in?next={}", encode_path(&here));
        return view! { <Redirect path /> }.into_any();
    }
    view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any()
}

/// Percent-encodes what a query value must not carry raw.
fn encode_path(path: &str) -> String {
    path.chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '/' | '-' | '_' | '.' | '~' => c.to_string(),
            other => other.to_string().bytes().map(|byte| format!("%{byte:02X}")).collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_are_encoded_for_the_query_string() {
        assert_eq!(super::encode_path("/themes"), "/themes");
        assert_eq!(super::encode_path("/a b&c"), "/a%20b%26c");
    }
}
