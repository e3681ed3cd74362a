//! The service worker (`/sw.js`, served by the server with the release's version in it) keeps the
//! app shell so that the recorder opens with no connection. A new release installs alongside
//! the old and waits; the person is told, and choosing to reload switches every open page over.

use leptos::prelude::{document, window};
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_futures::spawn_local;
use web_sys::{ServiceWorkerRegistration, ServiceWorkerState};

thread_local! {
    static REGISTRATION: RefCell<Option<ServiceWorkerRegistration>> = const { RefCell::new(None) };
}

pub fn register_service_worker() {
    let navigator = window().navigator();
    // Browsers without service workers (or on plain HTTP away from localhost) simply go without.
    if !js_sys_has(&navigator, "serviceWorker") {
        return;
    }
    let container = navigator.service_worker();
    // A worker taking over from another is a new release: every open page reloads onto it (a
    // check being written is kept as a draft). The first worker taking over changes nothing.
    let had_worker = container.controller().is_some();
    super::browser::listen(&container.clone().into(), "controllerchange", move |_: web_sys::Event| {
        if had_worker {
            let _ = window().location().reload();
        }
    });
    spawn_local(async move {
        let Ok(registration) = JsFuture::from(container.register("/sw.js")).await else { return };
        // A browser that blocks service workers may answer with nothing at all.
        let Ok(registration) = registration.dyn_into::<ServiceWorkerRegistration>() else { return };
        if registration.waiting().is_some() && container.controller().is_some() {
            show_update_notice();
        }
        // The browser may have found the new release already, while this page was loading.
        if let Some(installing) = registration.installing() {
            watch(installing);
        }
        let watched = registration.clone();
        super::browser::listen(&registration.clone().into(), "updatefound", move |_: web_sys::Event| {
            if let Some(installing) = watched.installing() {
                watch(installing);
            }
        });
        REGISTRATION.set(Some(registration));
    });
}

/// Tells the person once a new release's worker has installed beside the one in charge.
fn watch(worker: web_sys::ServiceWorker) {
    let watched = worker.clone();
    super::browser::listen(&worker.into(), "statechange", move |_: web_sys::Event| {
        let in_charge = window().navigator().service_worker().controller().is_some();
        if watched.state() == ServiceWorkerState::Installed && in_charge {
            show_update_notice();
        }
    });
}

fn js_sys_has(target: &web_sys::Navigator, name: &str) -> bool {
    web_sys::js_sys::Reflect::has(target, &name.into()).unwrap_or(false)
}

fn show_update_notice() {
    if let Some(notice) = document().get_element_by_id("update-notice") {
        notice.set_inner_html(&super::markup::update_notice());
        let _ = notice.remove_attribute("hidden");
    }
}

/// Switches to the waiting release; the page reloads once it has taken over.
pub fn apply_update() {
    let waiting = REGISTRATION.with_borrow(|registration| registration.as_ref().and_then(|r| r.waiting()));
    match waiting {
        Some(worker) => {
            let _ = worker.post_message(&"activate".into());
        }
        None => {
            let _ = window().location().reload();
        }
    }
}

/// Asks the browser not to clear this site's storage when space runs short: it holds checks
/// that exist nowhere else.
pub fn keep_storage_for_good() {
    let storage = window().navigator().storage();
    spawn_local(async move {
        let persisted = match storage.persisted() {
            Ok(promise) => JsFuture::from(promise).await.ok().and_then(|value| value.as_bool()).unwrap_or(false),
            Err(_) => false,
        };
        if !persisted && let Ok(promise) = storage.persist() {
            let _ = JsFuture::from(promise).await;
        }
    });
}
