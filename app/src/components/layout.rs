//! The frame every page sits in: a header with the navigation and who is signed in, the page,
//! and a footer. Signing out is a plain form posted to the server (its `sign_in` module).

#[cfg(feature = "ssr")]
use leptos::prelude::*;

/// What the frame needs to know about the signed-in person.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Me {
    pub id: uuid::Uuid,
    pub name: String,
    /// Whether to offer the administration pages (the server still checks every request).
    pub administers: bool,
    /// Whether to offer the trends, which are for those who review practice.
    pub sees_trends: bool,
    /// Whether to offer the warnings, which are for those who act on them.
    pub sees_warnings: bool,
    /// Whether to offer the reviews: everyone with a role has some to do or oversee.
    pub sees_reviews: bool,
}

#[cfg(feature = "ssr")]
async fn who_am_i() -> Result<Option<Me>, crate::error::AppError> {
    let user = crate::auth::signed_in_user().await?;
    Ok(user.map(|user| {
        let actor = user.actor();
        Me {
            administers: actor.administers_anything(),
            sees_trends: actor.sees_trends(),
            sees_warnings: actor.sees_warnings(),
            sees_reviews: actor.sees_reviews(),
            id: user.id,
            name: user.name,
        }
    }))
}

#[cfg(feature = "ssr")]
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    use leptos_router::components::A;
    // Signing in and out are full page loads, so asking once per page is enough.
    let user = OnceResource::new(who_am_i());
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <SiteMenu>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(Me { name, administers, sees_trends, sees_warnings, sees_reviews, .. })) => {
                                let account_label = format!("{name}: change your password");
                                view! {
                                <ul>
                                    <li><A href="/" exact=true>"Home"</A></li>
                                    // Managers' home is their dashboard; the recorder stays one tap away.
                                    {sees_warnings.then(|| view! { <li><A href="/record">"Record"</A></li> })}
                                    <li><A href="/checks">"Checks"</A></li>
                                    <li><A href="/cycles">"Cycles"</A></li>
                                    {sees_trends.then(|| view! { <li><A href="/trends">"Trends"</A></li> })}
                                    {sees_warnings.then(|| view! { <li><A href="/warnings">"Warnings"</A></li> })}
                                    {sees_reviews.then(|| view! { <li><A href="/reviews">"Reviews"</A></li> })}
                                    <li><A href="/themes">"Themes"</A></li>
                                    {administers.then(|| view! { <li><A href="/admin">"Administration"</A></li> })}
                                </ul>
                                <div class="site-nav__user">
                                    <A
                                        href="/account/password"
                                        attr:class="site-nav__name"
                                        attr:aria-label=account_label
                                    >
                                        {name}
                                    </A>
                                    <form method="post" action="/sign-out" data-sign-out="">
                                        <button type="submit" class="header-button">"Sign out"</button>
                                    </form>
                                </div>
                            }.into_any()
                            }
                            _ => view! {
                                <ul>
                                    <li><A href="/sign-in">"Sign in"</A></li>
                                </ul>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </SiteMenu>
        </header>
        // The recorder (`crate::recorder`) fills these in the browser: the outbox's state on every
        // page, and news of a new release.
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                // Drawn with the line the recorder will put there, so the page does not move.
                let waiting = crate::recorder::server_drawn::status("Looking for checks waiting on this device…", &[], false);
                user.await.ok().flatten().map(|me| view! {
                    <div id="sync-status" class="sync-status" data-user=me.id.to_string() inner_html=waiting></div>
                })
            })}
        </Suspense>
        <div id="update-notice" class="update-notice" role="status" hidden></div>
        <main id="main" class="page" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>"Recheck " {env!("CARGO_PKG_VERSION")} " · evidence that practice improved, and stayed improved"</p>
        </footer>
    }
}

/// The brand, the menu button and the navigation (`children`). On a phone the menu button opens
/// and closes the navigation, through the enhancer (`crate::enhance`); without script the
/// navigation simply stays open.
#[cfg(feature = "ssr")]
#[component]
fn SiteMenu(children: Children) -> impl IntoView {
    view! {
        <div class="site-header__bar">
            <a href="/" class="brand">
                <img src="/icons/icon.svg" alt="" width="32" height="32" />
                <span>"Recheck"</span>
            </a>
            <button
                type="button"
                class="header-button menu-toggle"
                aria-controls="site-nav"
                aria-expanded="false"
                data-opens="site-nav"
                data-open-class="site-nav--open"
                data-label-open="Close menu"
                data-label-closed="Menu"
            >
                "Menu"
            </button>
        </div>
        <nav id="site-nav" class="site-nav" aria-label="Main">{children()}</nav>
    }
}
