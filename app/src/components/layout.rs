//! The frame every page sits in: a header with the navigation and who is signed in, the page,
//! and a footer.

use crate::auth::SignedInUser;
use crate::error::AppError;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

#[server(prefix = "/fn", endpoint = "who_am_i")]
pub async fn who_am_i() -> Result<Option<SignedInUser>, AppError> {
    crate::error::respond(
        async move {
            let storage = crate::error::storage()?;
            let session: tower_sessions::Session = leptos_axum::extract().await.map_err(|_| AppError::Unavailable)?;
            Ok(crate::auth::current_user(storage.as_ref(), &session).await?.as_ref().map(SignedInUser::from))
        }
        .await,
    )
}

#[server(prefix = "/fn", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let session: tower_sessions::Session = leptos_axum::extract().await.map_err(|_| AppError::Unavailable)?;
            crate::auth::sign_out(&session).await?;
            leptos_axum::redirect("/sign-in");
            Ok(())
        }
        .await,
    )
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let menu_open = RwSignal::new(false);
    let location = use_location();
    // Asked again after every navigation, so signing in or out shows at once.
    let user = Resource::new(move || location.pathname.get(), |_| who_am_i());
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <div class="site-header__bar">
                <A href="/" attr:class="brand">
                    <img src="/icons/icon.svg" alt="" width="32" height="32" />
                    <span>"Recheck"</span>
                </A>
                <button
                    type="button"
                    class="menu-toggle"
                    aria-controls="site-nav"
                    aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| menu_open.update(|open| *open = !*open)
                >
                    {move || if menu_open.get() { "Close menu" } else { "Menu" }}
                </button>
            </div>
            // Following a link on a phone should not leave the menu covering the new page.
            <nav
                id="site-nav"
                class="site-nav"
                class:site-nav--open=move || menu_open.get()
                aria-label="Main"
                on:click=move |_| menu_open.set(false)
            >
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(user)) => view! {
                                <ul>
                                    <li><A href="/" exact=true>"Home"</A></li>
                                    <li><A href="/themes">"Practice themes"</A></li>
                                </ul>
                                <div class="site-nav__user">
                                    <span class="site-nav__name">{user.name}</span>
                                    <ActionForm action=sign_out>
                                        <button type="submit" class="link-button">"Sign out"</button>
                                    </ActionForm>
                                </div>
                            }.into_any(),
                            _ => view! {
                                <ul>
                                    <li><A href="/sign-in">"Sign in"</A></li>
                                </ul>
                            }.into_any(),
                        }
                    })}
                </Transition>
            </nav>
        </header>
        <main id="main" class="page" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>"Recheck " {env!("CARGO_PKG_VERSION")} " · evidence that practice improved, and stayed improved"</p>
        </footer>
    }
}
