//! One file a page. Every page is an ordinary Leptos component rendered on the server: its
//! loader asks who is signed in and what they may see, and builds the page's view from the
//! records it reads. Nothing of a page reaches the browser but its HTML; the forms on it work
//! without script and are enhanced by `crate::enhance` where script runs.

pub mod account;
pub mod admin;
pub mod checks;
pub mod cycles;
pub mod dashboard;
pub mod home;
pub mod not_found;
pub mod reviews;
pub mod sign_in;
pub mod themes;
pub mod trends;
pub mod uk_time;
pub mod warnings;

use crate::components::failure::Failure;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map};

/// A page as its loader built it: the title for the browser's tab, and what it shows.
pub struct Page {
    pub title: String,
    pub body: AnyView,
}

impl Page {
    pub fn new(title: impl Into<String>, body: impl IntoView + 'static) -> Page {
        Page { title: title.into(), body: body.into_any() }
    }
}

/// Renders what `load` makes of the request. A refusal is answered with its HTTP status and
/// message, and someone who is not signed in is sent to sign in first.
#[component]
pub fn ServerPage<Load>(load: Load) -> impl IntoView
where
    Load: Future<Output = Result<Page, AppError>> + Send + 'static,
{
    // The page is loaded in a task of its own, with this page's context, as a resource's data
    // would be; the view waits for it.
    let (loaded, page) = futures_channel::oneshot::channel();
    leptos::task::spawn(async move {
        // Refusals a form sent without script left for this page, before its fields are drawn.
        provide_context(crate::components::form::take_form_echo().await);
        let _ = loaded.send(load.await);
    });
    let rendered = Suspend::new(async move {
        match page.await.unwrap_or(Err(AppError::Unavailable)) {
            Ok(Page { title, body }) => view! {
                <Title text=title />
                <div class="admin">{body}</div>
            }
            .into_any(),
            Err(error) => {
                set_status(error.status_code());
                view! { <Failure error /> }.into_any()
            }
        }
    });
    view! { <Suspense fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>{rendered}</Suspense> }
}

/// Answers the page being rendered with `status` (its body is drawn as usual).
pub fn set_status(status: http::StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// The page's query string, as name–value pairs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query(pub Vec<(String, String)>);

impl Query {
    /// The query string of the page being rendered.
    pub fn of_this_page() -> Query {
        let query = use_location().query.get_untracked();
        Query(query.into_iter().map(|(key, value)| (key.to_string(), value)).collect())
    }

    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str()).unwrap_or("")
    }
}

/// The route's parameter `name` ("" when absent).
pub fn route_param(name: &str) -> String {
    use_params_map().get_untracked().get(name).unwrap_or_default()
}
