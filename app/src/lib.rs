//! Recheck's pages, routes and domain rules. Built twice: with `ssr` into the server, and with
//! `hydrate` into the browser's wasm, so both run the same rules.
#![recursion_limit = "256"]

pub mod auth;
pub mod components;
pub mod domain;
#[cfg(feature = "hydrate")]
mod enhance;
pub mod error;
#[cfg(feature = "ssr")]
pub mod exports;
pub mod form;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(any(feature = "ssr", feature = "hydrate"))]
pub mod recorder;
#[cfg(feature = "ssr")]
pub mod reference;
#[cfg(feature = "ssr")]
pub mod storage;

#[cfg(feature = "ssr")]
pub use shell::{App, content_security_policy, shell};

/// One build of the client. Pages name their script, wasm and stylesheet under the release's
/// own path, so a page is only ever hydrated by the code it was rendered for (see the server's
/// `offline` module).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Release(pub String);

impl Release {
    /// The path the release's files are served under, before `/pkg`.
    pub fn root(&self) -> String {
        format!("/v/{}", self.0)
    }
}

/// The document and its routes, rendered on the server only: pages carry no code of their own
/// to the browser.
#[cfg(feature = "ssr")]
mod shell {
    use crate::Release;
    use crate::components::layout::Layout;
    use crate::pages;
    use leptos::prelude::*;
    use leptos_meta::{MetaTags, Title, provide_meta_context};
    use leptos_router::components::{Route, Router, Routes};
    use leptos_router::{SsrMode, path};

    /// What a page may load: only the app's own files, and only the inline code the page itself
    /// wrote (marked with the request's `nonce`); never a frame of another site, a plugin, or a
    /// form sent elsewhere. Answers that are not pages get it without a nonce.
    pub fn content_security_policy(nonce: Option<&str>) -> String {
        let inline = nonce.map(|nonce| format!(" 'nonce-{nonce}'")).unwrap_or_default();
        format!(
            "default-src 'self'; script-src 'self'{inline} 'wasm-unsafe-eval'; style-src 'self'{inline}; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        )
    }

    /// The HTML document around the app, rendered on the server only.
    pub fn shell(options: LeptosOptions, release: Release) -> impl IntoView {
        // The server names this nonce in the page's policy (its `security_headers`).
        let nonce = leptos::nonce::use_nonce();
        let root = release.root();
        let stylesheet = format!("{root}/pkg/recheck.css");
        view! {
            <!DOCTYPE html>
            <html lang="en-GB">
                <head>
                    <meta charset="utf-8" />
                    <meta name="viewport" content="width=device-width, initial-scale=1" />
                    <meta name="description" content="Spot checks of staff practice and proof that improvement lasts." />
                    <meta name="theme-color" content="#0b5563" />
                    <link rel="manifest" href="/manifest.webmanifest" />
                    <link rel="icon" href="/icons/icon.svg" type="image/svg+xml" />
                    <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                    <link rel="stylesheet" id="leptos" href=stylesheet />
                    // Without script the menu stays open, and controls that need script are not shown.
                    <noscript>
                        <style nonce=nonce>
                            "[data-needs-script], .menu-toggle, #recorder-body, #sync-status { display: none !important; } \
                             .site-nav { display: block; }"
                        </style>
                    </noscript>
                    <HydrationScripts options root islands=true />
                    <MetaTags />
                </head>
                <body>
                    <App />
                </body>
            </html>
        }
    }

    #[component]
    pub fn App() -> impl IntoView {
        provide_meta_context();
        view! {
            <Title formatter=|page: String| format!("{page} · Recheck") />
            <Router>
                <Layout>
                    <Routes fallback=pages::not_found::NotFound>
                        // Async rendering waits for the page's data, so a visitor who is not signed
                        // in gets a real redirect (302) rather than a page that redirects itself.
                        <Route path=path!("/") view=pages::home::HomePage ssr=SsrMode::Async />
                        <Route path=path!("/record") view=pages::home::RecorderPage ssr=SsrMode::Async />
                        <Route path=path!("/themes") view=pages::themes::ThemesPage ssr=SsrMode::Async />
                        <Route path=path!("/checks") view=pages::checks::ChecksPage ssr=SsrMode::Async />
                        <Route path=path!("/checks/:id") view=pages::checks::CheckPage ssr=SsrMode::Async />
                        <Route path=path!("/cycles") view=pages::cycles::CyclesPage ssr=SsrMode::Async />
                        <Route path=path!("/cycles/new") view=pages::cycles::NewCyclePage ssr=SsrMode::Async />
                        <Route path=path!("/cycles/rule") view=pages::cycles::SustainmentRulePage ssr=SsrMode::Async />
                        <Route path=path!("/cycles/:id") view=pages::cycles::CyclePage ssr=SsrMode::Async />
                        <Route path=path!("/cycles/:id/evidence") view=pages::cycles::CycleEvidencePage ssr=SsrMode::Async />
                        <Route path=path!("/trends") view=pages::trends::TrendsPage ssr=SsrMode::Async />
                        <Route path=path!("/trends/staff") view=pages::trends::StaffTrendPage ssr=SsrMode::Async />
                        <Route path=path!("/warnings") view=pages::warnings::WarningsPage ssr=SsrMode::Async />
                        <Route path=path!("/reviews") view=pages::reviews::ReviewsPage ssr=SsrMode::Async />
                        <Route path=path!("/reviews/new") view=pages::reviews::NewReviewPage ssr=SsrMode::Async />
                        <Route path=path!("/reviews/cadence") view=pages::reviews::CadencePage ssr=SsrMode::Async />
                        <Route path=path!("/reviews/:id") view=pages::reviews::ReviewPage ssr=SsrMode::Async />
                        <Route path=path!("/sign-in") view=pages::sign_in::SignInPage />
                        <Route path=path!("/account/password") view=pages::account::ChangePasswordPage ssr=SsrMode::Async />
                        <Route path=path!("/admin") view=pages::admin::AdminPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/:page") view=pages::admin::AdminPage ssr=SsrMode::Async />
                    </Routes>
                </Layout>
            </Router>
        }
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    enhance::install();
    // Browser tests wait for this mark before they tap anything.
    leptos::prelude::request_animation_frame(|| {
        recorder::install();
        let window = leptos::prelude::window();
        let _ = leptos::web_sys::js_sys::Reflect::set(&window, &"__recheckHydrated".into(), &true.into());
    });
}
