//! The frame every page sits in: a header with the navigation, the page, and a footer.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let menu_open = RwSignal::new(false);
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
                <ul>
                    <li><A href="/" exact=true>"Home"</A></li>
                    <li><A href="/themes">"Practice themes"</A></li>
                </ul>
            </nav>
        </header>
        <main id="main" class="page" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>"Recheck " {env!("CARGO_PKG_VERSION")} " · evidence that practice improved, and stayed improved"</p>
        </footer>
    }
}
