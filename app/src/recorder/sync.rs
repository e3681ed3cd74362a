//! Sending the outbox and fetching reference data. The outbox is re-read from storage after every
//! network wait, so a check saved while a sync is under way is never overwritten.

use super::device::{Device, device_id, now_ms};
use super::markup::{self, Refused};
use crate::domain::check::{SubmittedCheck, SyncResponse};
use crate::domain::outbox::{Outbox, SyncFailure};
use crate::domain::recording::Reference;
use leptos::prelude::{document, window};
use std::cell::Cell;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::Date;

/// A request with no answer after this long is treated as a lost connection.
const REQUEST_TIMEOUT_MS: i32 = 30_000;

thread_local! {
    static SYNCING: Cell<bool> = const { Cell::new(false) };
}

enum Answer {
    Ok(String),
    Refused(u16),
    Unreachable,
}

async fn request(method: &str, path: &str, body: Option<String>) -> Answer {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let Ok(headers) = web_sys::Headers::new() else { return Answer::Unreachable };
    let _ = headers.set("Accept", "application/json");
    if let Some(body) = body {
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&body.into());
    }
    init.set_headers(&headers);
    let abort = web_sys::AbortController::new().ok();
    if let Some(abort) = &abort {
        init.set_signal(Some(&abort.signal()));
        let abort = abort.clone();
        let timeout = wasm_bindgen::closure::Closure::once_into_js(move || abort.abort());
        let _ =
            window().set_timeout_with_callback_and_timeout_and_arguments_0(timeout.unchecked_ref(), REQUEST_TIMEOUT_MS);
    }
    let Ok(response) = JsFuture::from(window().fetch_with_str_and_init(path, &init)).await else {
        return Answer::Unreachable;
    };
    let response: web_sys::Response = response.unchecked_into();
    let status = response.status();
    if !response.ok() {
        return if status >= 500 { Answer::Unreachable } else { Answer::Refused(status) };
    }
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|text| text.as_string()),
        Err(_) => None,
    };
    text.map_or(Answer::Unreachable, Answer::Ok)
}

/// Fetches the reference data when online; true when it changed (so the recorder is redrawn only
/// then, not under someone's fingers).
pub async fn refresh_reference(device: &Device) -> bool {
    let Answer::Ok(text) = request("GET", "/api/v1/reference", None).await else { return false };
    report_held(device).await;
    match serde_json::from_str::<Reference>(&text) {
        Ok(reference) if reference != device.reference() => {
            device.keep_reference(&reference);
            true
        }
        _ => false,
    }
}

/// Tells the server what this device holds for its person, whenever it reaches the server, so
/// that a manager can see checks that have not reached it (`docs/domain.md` §8). A report that
/// does not arrive is simply sent again next time.
async fn report_held(device: &Device) {
    let body =
        serde_json::json!({ "device_id": device_id(), "observer_id": device.user(), "held": device.outbox().held() });
    let _ = request("POST", "/api/v1/devices/report", Some(body.to_string())).await;
}

/// A kept check, fetched to be corrected.
pub async fn kept_check(id: &str) -> Option<SubmittedCheck> {
    #[derive(serde::Deserialize)]
    struct History {
        check: SubmittedCheck,
    }
    let Ok(id) = uuid::Uuid::parse_str(id) else { return None };
    match request("GET", &format!("/api/v1/checks/{id}"), None).await {
        Answer::Ok(text) => serde_json::from_str::<History>(&text).ok().map(|history| history.check),
        _ => None,
    }
}

async fn send(device: &Device, checks: &[SubmittedCheck]) -> Result<SyncResponse, SyncFailure> {
    let body =
        serde_json::json!({ "device_id": device_id(), "observer_id": device.user(), "checks": checks }).to_string();
    match request("POST", "/api/v1/sync", Some(body)).await {
        Answer::Ok(text) => serde_json::from_str(&text).map_err(|_| SyncFailure::Unreachable),
        // 409: someone else has signed in on this device since; these checks wait for their
        // own observer.
        Answer::Refused(401 | 403 | 409) => Err(SyncFailure::SignedOut),
        Answer::Refused(_) | Answer::Unreachable => Err(SyncFailure::Unreachable),
    }
}

/// Sends what is due, batch by batch. `by_hand` ("Sync now") does not wait out a backoff or a
/// signed-out pause.
pub async fn sync(device: &Device, by_hand: bool) {
    // The timer asks every few seconds; with nothing due the page is left alone (redrawing the
    // status would take the focus from anyone on its buttons).
    if (!by_hand && !device.outbox().due(now_ms())) || SYNCING.replace(true) {
        return;
    }
    let mut by_hand = by_hand;
    let mut answered = false;
    loop {
        let mut outbox = device.outbox();
        if by_hand {
            outbox.signed_in();
        }
        if !outbox.due(now_ms()) {
            break;
        }
        let batch = outbox.take_batch();
        device.keep_outbox(&outbox);
        show_status(device);
        let answer = send(device, &batch).await;
        let mut outbox = device.outbox();
        let carry_on = match answer {
            Ok(response) => {
                outbox.answered(&response.results, now_ms());
                answered = true;
                true
            }
            Err(failure) => {
                outbox.failed(failure, now_ms());
                false
            }
        };
        device.keep_outbox(&outbox);
        by_hand = false;
        if !carry_on {
            break;
        }
    }
    SYNCING.set(false);
    show_status(device);
    if answered {
        report_held(device).await;
    }
}

fn clock_time(ms: i64) -> String {
    let date = Date::new(&(ms as f64).into());
    let today = Date::new_0().to_date_string() == date.to_date_string();
    let time = format!("{:02}:{:02}", date.get_hours(), date.get_minutes());
    if today {
        return time;
    }
    // "Thu Nov 26 2026" becomes "26 Nov".
    let day: String = date.to_date_string().into();
    let words: Vec<&str> = day.split(' ').collect();
    format!("{} {} {time}", words.get(2).unwrap_or(&""), words.get(1).unwrap_or(&""))
}

fn summary(outbox: &Outbox, online: bool, busy: bool) -> String {
    let waiting = outbox.waiting();
    let checks = |count: usize| if count == 1 { "1 check".to_owned() } else { format!("{count} checks") };
    let state = match waiting {
        0 if busy => "Sending…".to_owned(),
        0 if outbox.rejected().next().is_some() => "Nothing waiting to send; correct the checks below.".to_owned(),
        0 if outbox.last_success_ms.is_none() => "No checks waiting on this device.".to_owned(),
        0 => "All checks sent.".to_owned(),
        count if busy => format!("Sending {}…", checks(count)),
        count if outbox.signed_out => format!("{} waiting: sign in again to send them.", checks(count)),
        count if !online => format!("{} waiting, kept on this device until there is a connection.", checks(count)),
        count => format!("{} waiting to send.", checks(count)),
    };
    match outbox.last_success_ms {
        Some(at) => format!("{state} Last sync {}.", clock_time(at)),
        None => state,
    }
}

/// Redraws the sync status at the top of every page.
pub fn show_status(device: &Device) {
    let Some(slot) = document().get_element_by_id("sync-status") else { return };
    let outbox = device.outbox();
    let reference = device.reference();
    let name_of = |check: &SubmittedCheck| {
        let staff =
            reference.staff.iter().find(|member| member.id == check.staff_id).map_or("Someone", |m| m.name.as_str());
        let theme =
            reference.themes.iter().find(|theme| theme.id == check.theme_id).map_or("a theme", |t| t.name.as_str());
        format!("{staff}, {theme}, {}", check.observed_at.get(..16).unwrap_or_default().replace('T', " "))
    };
    let refused: Vec<Refused> = outbox
        .rejected()
        .map(|(check, reason)| Refused { id: check.id.to_string(), what: name_of(check), reason })
        .collect();
    let online = window().navigator().on_line();
    // Redrawing replaces the buttons; whoever was on one stays on its successor.
    let focused = document().active_element().filter(|element| slot.contains(Some(element))).and_then(|element| {
        element.get_attribute("data-action").map(|action| (action, element.get_attribute("data-check")))
    });
    slot.set_inner_html(&markup::status(&summary(&outbox, online, SYNCING.get()), &refused, SYNCING.get()));
    if let Some((action, check)) = focused {
        let selector = match check {
            Some(check) => format!("[data-action=\"{action}\"][data-check=\"{check}\"]"),
            None => format!("[data-action=\"{action}\"]"),
        };
        if let Some(button) =
            slot.query_selector(&selector).ok().flatten().and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = button.focus();
        }
    }
}
