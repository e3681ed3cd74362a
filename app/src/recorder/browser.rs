//! The recorder's listeners and steps: plain DOM code over markup built in `markup`, one set of
//! listeners on the document, whatever is on screen.

use super::{device, markup, offline, sync};

use crate::domain::check::SubmittedCheck;
use crate::domain::outbox::SaveError;
use crate::domain::recording::{
    CheckTarget, Draft, Reference, field, fields_of, new_fields, placement_of, read_check, rechecks_due,
    shift_began_ms, staff_in_order, themes_in_order,
};
use crate::domain::shift::ShiftPlacement;
use crate::domain::wall_clock::WallTime;
use crate::error::AppError;
use crate::form::FormFields;
use device::{Device, ZoneClock, new_check_id, now_ms};
use leptos::prelude::{document, window};
use std::cell::RefCell;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, Event, HtmlElement, HtmlFormElement, HtmlInputElement};

/// The fields folded away in the form's "when" section.
const WHEN_FIELDS: [&str; 4] = [field::OBSERVED_AT, field::SHIFT, field::WEEKEND, field::ANNOUNCED];

/// How often to see whether a backed-off sync is due.
const SYNC_CHECK_INTERVAL_MS: i32 = 5_000;

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Staff { search: String },
    Theme { staff_id: Uuid, service_id: Uuid },
    Form,
}

thread_local! {
    static DEVICE: RefCell<Option<Device>> = const { RefCell::new(None) };
    static STEP: RefCell<Option<Step>> = const { RefCell::new(None) };
    /// Said once at the top of the recorder ("Saved the check of …").
    static NOTICE: RefCell<Option<String>> = const { RefCell::new(None) };
    /// A pick tapped on the server's first step before this device had any reference data: it
    /// is taken as soon as they arrive, so the first tap on a new device is never lost.
    static HELD_TAP: RefCell<Option<Element>> = const { RefCell::new(None) };
    /// Fetches of the reference data under way: a held tap waits for the last of them.
    static REFRESHING: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

fn signed_in_device() -> Option<Device> {
    DEVICE.with_borrow(Clone::clone)
}

fn set_step(step: Step) {
    STEP.set(Some(step));
}

pub(super) fn listen<E: wasm_bindgen::convert::FromWasmAbi + 'static>(
    target: &web_sys::EventTarget,
    event: &str,
    handler: impl FnMut(E) + 'static,
) {
    let closure = Closure::<dyn FnMut(E)>::new(handler);
    let _ = target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    // Listeners live as long as the page.
    closure.forget();
}

/// Starts the recorder's background work for a signed-in person: the sync status, syncing when
/// due, and fresh reference data. The page marks who is signed in on `#sync-status`.
pub fn install() {
    let Some(user) = document().get_element_by_id("sync-status").and_then(|status| status.get_attribute("data-user"))
    else {
        return;
    };
    let device = Device::new(user);
    // This page was rendered for someone signed in: try again even if the last sync was refused
    // for want of a session.
    let mut outbox = device.outbox();
    if outbox.signed_out {
        outbox.signed_in();
        device.keep_outbox(&outbox);
    }
    DEVICE.set(Some(device.clone()));
    let document: web_sys::EventTarget = document().into();
    listen(&document, "click", on_click);
    listen(&document, "input", on_input);
    listen(&document, "change", on_input);
    listen(&document, "submit", on_submit);
    let window_target: web_sys::EventTarget = window().into();
    listen(&window_target, "online", |_: Event| {
        if let Some(device) = signed_in_device() {
            let mut outbox = device.outbox();
            outbox.online_again();
            device.keep_outbox(&outbox);
            spawn_local(refresh_and_sync(device));
        }
    });
    listen(&window_target, "offline", |_: Event| {
        if let Some(device) = signed_in_device() {
            sync::show_status(&device);
        }
    });
    let tick = Closure::<dyn FnMut()>::new(|| {
        if let Some(device) = signed_in_device() {
            spawn_local(async move { sync::sync(&device, false).await });
        }
    });
    let _ = window()
        .set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), SYNC_CHECK_INTERVAL_MS);
    tick.forget();
    offline::register_service_worker();
    sync::show_status(&device);
    show_on_home_page();
    spawn_local(refresh_and_sync(device));
}

/// Sends what is waiting first (it matters more), then refreshes the reference data, redrawing
/// the staff list only if it changed and nobody is typing a search.
async fn refresh_and_sync(device: Device) {
    sync::sync(&device, false).await;
    let searching = document().active_element().is_some_and(|element| element.id() == "staff-search");
    REFRESHING.set(REFRESHING.get() + 1);
    let refreshed = sync::refresh_reference(&device).await;
    REFRESHING.set(REFRESHING.get() - 1);
    // A held tap is taken once the data are here; it is let go (and the page says why) only when
    // no other fetch that might still bring them is under way.
    let holding = HELD_TAP.with_borrow(Option::is_some);
    if holding && (has_reference(&device) || REFRESHING.get() == 0) {
        let tap = HELD_TAP.take().expect("a tap is held");
        if has_reference(&device) {
            take_tap(&device, &tap);
        } else {
            show_on_home_page();
        }
    } else if !holding && refreshed && !searching && matches!(STEP.with_borrow(Clone::clone), Some(Step::Staff { .. }))
    {
        show_on_home_page();
    }
}

fn has_reference(device: &Device) -> bool {
    let reference = device.reference();
    !(reference.services.is_empty() && reference.themes.is_empty())
}

/// Draws the recorder into the home page's `#recorder-body`, at the step it was left on (a
/// draft reopens its form).
fn show_on_home_page() {
    let (Some(slot), Some(device)) = (document().get_element_by_id("recorder-body"), signed_in_device()) else {
        return;
    };
    if STEP.with_borrow(Option::is_none) {
        set_step(if device.draft().is_some() { Step::Form } else { Step::Staff { search: String::new() } });
        if let Some(amend) = query_value("amend") {
            spawn_local(start_correction(device.clone(), amend));
        }
    }
    let reference = device.reference();
    if !has_reference(&device) {
        // Until the first reference data arrive, the step the server drew stays (a tap on it is
        // held for them); without one, say why there is nothing to choose from.
        set_step(Step::Staff { search: String::new() });
        if HELD_TAP.with_borrow(Option::is_some) {
            slot.set_inner_html(
                "<p role=\"status\">Fetching your services' staff and themes for this device; the next step opens \
                 as soon as they arrive.</p>",
            );
        } else if slot.query_selector("#staff-choices").ok().flatten().is_none() {
            slot.set_inner_html(
                "<p role=\"status\">This device has not fetched your services' staff and themes yet. The check \
                 form needs a connection once; after that it works offline.</p>",
            );
        }
        return;
    }
    let step = STEP.with_borrow(Clone::clone).unwrap_or(Step::Staff { search: String::new() });
    let html = match &step {
        Step::Staff { search } => {
            let draft_of = device.draft().map(|draft| describe(&reference, &draft));
            let notice = NOTICE.take();
            markup::staff_step(
                search,
                &staff_choices(&device, &reference, search),
                notice.as_deref(),
                draft_of.as_deref(),
            )
        }
        Step::Theme { staff_id, service_id } => {
            let (member, service) = names(&reference, *staff_id, *service_id);
            markup::theme_step(&member, &service, &themes_in_order(&reference, &device.recent()))
        }
        Step::Form => match device.draft().and_then(|draft| form_html(&reference, &draft)) {
            Some(html) => html,
            None => {
                set_step(Step::Staff { search: String::new() });
                NOTICE.set(Some(
                    "The check being written names someone or a theme this device no longer has; it cannot be \
                     finished here."
                        .to_owned(),
                ));
                return show_on_home_page();
            }
        },
    };
    slot.set_inner_html(&html);
}

fn query_value(name: &str) -> Option<String> {
    let search = window().location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get(name)
}

fn names(reference: &Reference, staff_id: Uuid, service_id: Uuid) -> (String, String) {
    let member = reference.staff.iter().find(|member| member.id == staff_id).map_or("someone", |m| m.name.as_str());
    let service =
        reference.services.iter().find(|service| service.id == service_id).map_or("a service", |s| s.name.as_str());
    (member.to_owned(), service.to_owned())
}

fn describe(reference: &Reference, draft: &Draft) -> String {
    let (member, _) = names(reference, draft.staff_id, draft.service_id);
    let theme = reference.themes.iter().find(|theme| theme.id == draft.theme_id).map_or("", |t| t.name.as_str());
    format!("{member} ({theme})")
}

fn staff_choices(device: &Device, reference: &Reference, search: &str) -> maud::Markup {
    let now = now_ms();
    // Once a service, not once a person: each runs the browser's time zone data.
    let placed: Vec<(Uuid, i64, ShiftPlacement)> = reference
        .services
        .iter()
        .map(|service| {
            let clock = ZoneClock::new(&service.time_zone);
            let placement = placement_of(&service.shift_pattern, WallTime::at(now, |at| clock.offset_at(at)));
            (service.id, shift_began_ms(&service.shift_pattern, now, |at| clock.offset_at(at)), placement)
        })
        .collect();
    let shift_began = |service_id: Uuid| placed.iter().find(|(id, ..)| *id == service_id).map_or(now, |(_, at, _)| *at);
    let placement = |service_id: Uuid| placed.iter().find(|(id, ..)| *id == service_id).map(|(_, _, at)| *at);
    let ordered = staff_in_order(reference, &device.recent(), search, shift_began, now);
    let observer = Uuid::parse_str(device.user()).unwrap_or_default();
    let due = rechecks_due(reference, observer, search, placement);
    markup::staff_choices(&due, &ordered, &reference.services)
}

fn form_html(reference: &Reference, draft: &Draft) -> Option<String> {
    let service = reference.services.iter().find(|service| service.id == draft.service_id)?;
    let theme = reference.themes.iter().find(|theme| theme.id == draft.theme_id)?;
    let member = reference.staff.iter().find(|member| member.id == draft.staff_id)?;
    Some(markup::check_form(&markup::FormContext {
        check_id: draft.check_id,
        member: &member.name,
        service,
        theme,
        fields: &draft.fields,
        amends: draft.amends.is_some(),
    }))
}

/// Opens the form to correct a kept check (`/?amend=<id>`): a new check, prefilled, that points
/// at the original.
async fn start_correction(device: Device, original: String) {
    let Some(check) = sync::kept_check(&original).await else {
        NOTICE.set(Some("That check could not be fetched; correcting a check needs a connection.".to_owned()));
        return show_on_home_page();
    };
    // Reloading the page must not start the same correction afresh over what has been written.
    if device.draft().is_some_and(|draft| draft.amends == Some(check.id)) || !may_replace_draft(&device) {
        return show_on_home_page();
    }
    let Some(draft) = draft_of(&device.reference(), &check, new_check_id(), Some(check.id)) else { return };
    device.keep_draft(Some(&draft));
    set_step(Step::Form);
    show_on_home_page();
}

/// A draft holding `check`'s answers, observed-at on its service's clock, to be saved as
/// `check_id`; `None` when this device no longer has the service.
fn draft_of(reference: &Reference, check: &SubmittedCheck, check_id: Uuid, amends: Option<Uuid>) -> Option<Draft> {
    let service = reference.services.iter().find(|service| service.id == check.service_id)?;
    let clock = ZoneClock::new(&service.time_zone);
    Some(Draft {
        check_id,
        service_id: check.service_id,
        staff_id: check.staff_id,
        theme_id: check.theme_id,
        amends,
        fields: fields_of(check, &service.shift_pattern, |at| clock.offset_at(at)),
    })
}

fn target_element(event: &Event) -> Option<Element> {
    event.target().and_then(|target| target.dyn_into::<Element>().ok())
}

fn on_click(event: web_sys::MouseEvent) {
    let Some(button) = target_element(&event).and_then(|target| target.closest("[data-action]").ok().flatten()) else {
        return;
    };
    let Some(device) = signed_in_device() else { return };
    let is_pick = matches!(button.get_attribute("data-action").as_deref(), Some("staff" | "recheck"));
    if is_pick && !has_reference(&device) {
        HELD_TAP.set(Some(button));
        show_on_home_page();
        // The fetch that started with the page may have failed already (offline on first use).
        spawn_local(refresh_and_sync(device));
        return;
    }
    take_tap(&device, &button);
}

/// Does what a tapped `[data-action]` button asks.
fn take_tap(device: &Device, button: &Element) {
    let device = device.clone();
    let attribute = |name: &str| button.get_attribute(name).and_then(|value| Uuid::parse_str(&value).ok());
    match button.get_attribute("data-action").as_deref() {
        Some("staff") => {
            if let (Some(staff_id), Some(service_id)) = (attribute("data-staff"), attribute("data-service")) {
                set_step(Step::Theme { staff_id, service_id });
                show_and_focus("#recorder-body .pick");
            }
        }
        Some("recheck") => {
            if let (Some(staff_id), Some(service_id), Some(theme_id)) =
                (attribute("data-staff"), attribute("data-service"), attribute("data-theme"))
            {
                start_draft(&device, staff_id, service_id, theme_id);
                show_and_focus("#check-form input");
            }
        }
        Some("theme") => {
            if let (Some(theme_id), Some(Step::Theme { staff_id, service_id })) =
                (attribute("data-theme"), STEP.with_borrow(Clone::clone))
            {
                start_draft(&device, staff_id, service_id, theme_id);
                show_and_focus("#check-form input");
            }
        }
        Some("restart") => {
            set_step(Step::Staff { search: String::new() });
            show_and_focus("#recorder-title");
        }
        Some("resume") => {
            set_step(Step::Form);
            show_and_focus("#check-form input");
        }
        Some("discard") => {
            if confirm("Discard this check? What you entered will be lost.") {
                device.keep_draft(None);
                set_step(Step::Staff { search: String::new() });
                show_and_focus("#recorder-title");
            }
        }
        Some("sync-now") => spawn_local(async move {
            sync::sync(&device, true).await;
            if sync::refresh_reference(&device).await {
                sync::show_status(&device);
            }
        }),
        Some("correct") => {
            if let Some(id) = attribute("data-check") {
                correct_refused(&device, id);
            }
        }
        Some("drop") => {
            if let Some(id) = attribute("data-check")
                && confirm("Discard this check? It never reached the server, and it will be gone from this device.")
            {
                let mut outbox = device.outbox();
                outbox.discard_rejected(id);
                device.keep_outbox(&outbox);
                sync::show_status(&device);
            }
        }
        Some("update") => offline::apply_update(),
        _ => {}
    }
}

fn confirm(question: &str) -> bool {
    window().confirm_with_message(question).unwrap_or(false)
}

fn show_and_focus(selector: &str) {
    show_on_home_page();
    if let Some(recorder) = document().get_element_by_id("recorder") {
        recorder.scroll_into_view();
    }
    if let Some(element) =
        document().query_selector(selector).ok().flatten().and_then(|e| e.dyn_into::<HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

fn start_draft(device: &Device, staff_id: Uuid, service_id: Uuid, theme_id: Uuid) {
    let reference = device.reference();
    let Some(service) = reference.services.iter().find(|service| service.id == service_id) else { return };
    let now = ZoneClock::new(&service.time_zone).now();
    let draft = Draft {
        check_id: new_check_id(),
        service_id,
        staff_id,
        theme_id,
        amends: None,
        fields: new_fields(&service.shift_pattern, now),
    };
    device.keep_draft(Some(&draft));
    set_step(Step::Form);
}

/// Whether a new check may take the place of the one being written, if any: only with a yes.
fn may_replace_draft(device: &Device) -> bool {
    match device.draft() {
        None => true,
        Some(draft) => confirm(&format!(
            "The check of {} is not saved yet. Discard it and open this one instead?",
            describe(&device.reference(), &draft)
        )),
    }
}

/// Reopens a refused check in the form, under its own id, so that saving it sends it again.
fn correct_refused(device: &Device, id: Uuid) {
    if device.draft().is_some_and(|draft| draft.check_id != id) && !may_replace_draft(device) {
        return;
    }
    let outbox = device.outbox();
    let Some((check, _)) = outbox.rejected().find(|(check, _)| check.id == id) else { return };
    let amends = check.amends.as_ref().map(|amendment| amendment.check_id);
    let Some(draft) = draft_of(&device.reference(), check, check.id, amends) else { return };
    device.keep_draft(Some(&draft));
    set_step(Step::Form);
    if document().get_element_by_id("recorder-body").is_some() {
        show_and_focus("#check-form input");
    } else {
        let _ = window().location().assign("/");
    }
}

/// The form's fields as the browser would send them.
fn form_fields(form: &HtmlFormElement) -> FormFields {
    let entries = crate::enhance::form_entries(form).unwrap_or_default();
    FormFields(entries.into_iter().map(|(name, value)| (name, value.as_string().unwrap_or_default())).collect())
}

/// The check being written, if it is the one `form` shows: another tab or window may have saved
/// it, or begun another, since this form was drawn.
fn draft_shown_in(device: &Device, form: &HtmlFormElement) -> Option<Draft> {
    let shown = form.get_attribute("data-check")?;
    device.draft().filter(|draft| draft.check_id.to_string() == shown)
}

/// Redraws the recorder as the other tab left it, and says why.
fn form_replaced_elsewhere() {
    set_step(Step::Staff { search: String::new() });
    NOTICE.set(Some(
        "This check was saved or replaced in another tab or window, so the recorder shows what is on this \
         device now."
            .to_owned(),
    ));
    show_and_focus("#recorder-title");
}

fn check_form(event: &Event) -> Option<HtmlFormElement> {
    target_element(event)?.closest("#check-form").ok().flatten()?.dyn_into().ok()
}

fn on_input(event: Event) {
    let Some(device) = signed_in_device() else { return };
    let Some(target) = target_element(&event) else { return };
    if target.id() == "staff-search" && event.type_() == "input" {
        let search = target.dyn_into::<HtmlInputElement>().map(|input| input.value()).unwrap_or_default();
        let reference = device.reference();
        if let Some(list) = document().get_element_by_id("staff-choices") {
            list.set_inner_html(&staff_choices(&device, &reference, &search).into_string());
        }
        set_step(Step::Staff { search });
        return;
    }
    let Some(form) = check_form(&event) else { return };
    let Some(mut draft) = draft_shown_in(&device, &form) else {
        return form_replaced_elsewhere();
    };
    if target.get_attribute("name").as_deref() == Some(field::OBSERVED_AT) {
        follow_pattern(&device, &draft, &form);
    }
    draft.fields = form_fields(&form);
    device.keep_draft(Some(&draft));
}

/// A changed observed-at time moves the shift and weekend answers to what the pattern says.
fn follow_pattern(device: &Device, draft: &Draft, form: &HtmlFormElement) {
    let reference = device.reference();
    let Some(service) = reference.services.iter().find(|service| service.id == draft.service_id) else { return };
    let Some(wall) = WallTime::parse(form_fields(form).text(field::OBSERVED_AT)) else { return };
    let placement = placement_of(&service.shift_pattern, wall);
    let weekend = if placement.weekend { "yes" } else { "no" };
    for (name, value) in [(field::SHIFT, placement.kind.code()), (field::WEEKEND, weekend)] {
        let selector = format!("input[name=\"{name}\"][value=\"{value}\"]");
        if let Some(input) =
            form.query_selector(&selector).ok().flatten().and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        {
            input.set_checked(true);
        }
    }
}

fn on_submit(event: web_sys::SubmitEvent) {
    let Some(form) = target_element(&event).and_then(|target| target.dyn_into::<HtmlFormElement>().ok()) else {
        return;
    };
    let Some(device) = signed_in_device() else { return };
    if form.has_attribute("data-sign-out") {
        let unsent = match device.outbox().entries.len() {
            0 => return,
            1 => "1 check has".to_owned(),
            count => format!("{count} checks have"),
        };
        if !confirm(&format!(
            "{unsent} not reached the server yet. They stay on this device and are sent when you sign in here \
             again. Sign out anyway?"
        )) {
            event.prevent_default();
        }
        return;
    }
    if form.id() != "check-form" {
        return;
    }
    event.prevent_default();
    save(&device, &form);
}

fn save(device: &Device, form: &HtmlFormElement) {
    let fields = form_fields(form);
    let reference = device.reference();
    let Some(draft) = draft_shown_in(device, form) else {
        return form_replaced_elsewhere();
    };
    crate::enhance::clear_refusals(form);
    let refuse = |error: AppError| {
        // Refusals inside the folded "when" section must be seen, and their fields focusable.
        if let AppError::Invalid(refusals) = &error
            && refusals.iter().any(|refusal| WHEN_FIELDS.contains(&refusal.field.as_str()))
            && let Ok(Some(when)) = form.query_selector(".check-form__when")
        {
            let _ = when.set_attribute("open", "");
        }
        crate::enhance::show_refusal(form, error)
    };
    let (Some(service), Some(theme)) = (
        reference.services.iter().find(|service| service.id == draft.service_id),
        reference.themes.iter().find(|theme| theme.id == draft.theme_id),
    ) else {
        return refuse(AppError::BadRequest("This device no longer has the service or theme of this check.".into()));
    };
    let clock = ZoneClock::new(&service.time_zone);
    let target = CheckTarget { draft: &draft, theme, pattern: &service.shift_pattern };
    let check = match read_check(&fields, &target, now_ms(), |at| clock.offset_at(at)) {
        Ok(check) => check,
        Err(refusals) => return refuse(AppError::Invalid(refusals)),
    };
    // The same rule the server keeps the check by.
    let assessment = crate::domain::check::assess(&check.ratings, None);
    let mut outbox = device.outbox();
    if let Err(SaveError::MayBeKept) = outbox.save(check, now_ms()) {
        return refuse(AppError::BadRequest(
            "This check may already have reached the server, where it can no longer change; correct it from its \
             page once it is listed."
                .into(),
        ));
    }
    if !device.keep_outbox(&outbox) {
        return refuse(AppError::BadRequest(
            "This device's storage is full, so the check is not saved. Send waiting checks, then try again.".into(),
        ));
    }
    let mut recent = device.recent();
    recent.note(draft.staff_id, draft.service_id, draft.theme_id, now_ms());
    device.keep_recent(&recent);
    device.keep_draft(None);
    offline::keep_storage_for_good();
    NOTICE.set(Some(format!(
        "Saved the check of {}. {} It is sent to the server as soon as it can be.",
        describe(&reference, &draft),
        assessment.in_words()
    )));
    set_step(Step::Staff { search: String::new() });
    if window().location().search().is_ok_and(|search| search.contains("amend=")) {
        let _ = window()
            .history()
            .and_then(|history| history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/")));
    }
    show_and_focus("#recorder-title");
    let device = device.clone();
    spawn_local(async move { sync::sync(&device, true).await });
}
