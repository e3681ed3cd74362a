//! The browser's half of the server-rendered forms (`components::form`): one set of listeners on
//! the document, whatever the page. A form marked `data-fn` is sent to that server function as
//! name–value pairs (a chosen file as its text); once saved the browser goes to the form's
//! `data-next` (or to the record the save made, when the answer names it), and refusals are written
//! next to their fields. Buttons marked `data-add-row` and `data-remove-row` add and remove
//! repeated rows, one marked `data-opens` opens and closes the phone's menu, and one marked
//! `data-print` prints the page.
//! Being generic, this costs the download the same whether there is one form or fifty.

use crate::error::{AppError, FieldError};
use crate::form::FormFields;
use leptos::prelude::{document, window};
use std::sync::atomic::{AtomicU32, Ordering};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys;
use web_sys::{Element, HtmlElement, HtmlFormElement, HtmlTemplateElement};

pub fn install() {
    let on_submit = Closure::<dyn FnMut(web_sys::SubmitEvent)>::new(|event: web_sys::SubmitEvent| {
        let Some(form) = event.target().and_then(|target| target.dyn_into::<HtmlFormElement>().ok()) else {
            return;
        };
        if let Some(endpoint) = form.get_attribute("data-fn") {
            event.prevent_default();
            let agreed = match form.get_attribute("data-confirm") {
                Some(question) => window().confirm_with_message(&question).unwrap_or(false),
                None => true,
            };
            if agreed {
                wasm_bindgen_futures::spawn_local(send(form, endpoint));
            }
        }
    });
    let on_click = Closure::<dyn FnMut(web_sys::MouseEvent)>::new(|event: web_sys::MouseEvent| {
        let Some(target) = event.target().and_then(|target| target.dyn_into::<Element>().ok()) else {
            return;
        };
        if let Ok(Some(button)) = target.closest("[data-opens]") {
            open_or_close(&button);
        } else if let Ok(Some(_)) = target.closest("[data-print]") {
            let _ = window().print();
        } else if let Ok(Some(button)) = target.closest("[data-add-row]") {
            add_row(&button);
        } else if let Ok(Some(button)) = target.closest("[data-remove-row]")
            && let Ok(Some(row)) = button.closest(".row")
        {
            row.remove();
        }
    });
    let document = document();
    let _ = document.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
    let _ = document.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    // The listeners live as long as the page.
    on_submit.forget();
    on_click.forget();
}

/// Opens or closes what a `data-opens` button names (the phone's menu), by the class in
/// `data-open-class`, saying which in its label and `aria-expanded`.
fn open_or_close(button: &Element) {
    let (Some(target), Some(class)) = (
        button.get_attribute("data-opens").and_then(|id| document().get_element_by_id(&id)),
        button.get_attribute("data-open-class"),
    ) else {
        return;
    };
    let opening = button.get_attribute("aria-expanded").as_deref() != Some("true");
    let _ = target.class_list().toggle_with_force(&class, opening);
    let _ = button.set_attribute("aria-expanded", if opening { "true" } else { "false" });
    if let Some(label) = button.get_attribute(if opening { "data-label-open" } else { "data-label-closed" }) {
        button.set_text_content(Some(&label));
    }
}

/// Copies the row template into its list, with a key no other row has.
fn add_row(button: &Element) {
    let (Some(template_id), Some(list_id)) = (button.get_attribute("data-add-row"), button.get_attribute("data-into"))
    else {
        return;
    };
    let document = document();
    let template = document.get_element_by_id(&template_id).and_then(|t| t.dyn_into::<HtmlTemplateElement>().ok());
    let (Some(template), Some(list)) = (template, document.get_element_by_id(&list_id)) else {
        return;
    };
    static ADDED: AtomicU32 = AtomicU32::new(0);
    let key = format!("n{}", ADDED.fetch_add(1, Ordering::Relaxed));
    let html = template.inner_html().replace("__key__", &key);
    if list.insert_adjacent_html("beforeend", &html).is_ok()
        && let Some(first) =
            list.last_element_child().and_then(|row| row.query_selector("input, select, textarea").ok().flatten())
        && let Ok(first) = first.dyn_into::<HtmlElement>()
    {
        let _ = first.focus();
    }
}

/// The form's entries as the browser would send them: name and value (a string or a file).
pub(crate) fn form_entries(form: &HtmlFormElement) -> Option<Vec<(String, wasm_bindgen::JsValue)>> {
    let data = web_sys::FormData::new_with_form(form).ok()?;
    let entries = js_sys::try_iter(&data).ok().flatten()?;
    Some(
        entries
            .flatten()
            .map(|entry| {
                let pair = js_sys::Array::from(&entry);
                (pair.get(0).as_string().unwrap_or_default(), pair.get(1))
            })
            .collect(),
    )
}

/// The form's fields, with each chosen file read as text.
async fn read_fields(form: &HtmlFormElement) -> Result<FormFields, String> {
    let mut fields = FormFields::default();
    for (name, value) in form_entries(form).ok_or("The form could not be read.")? {
        let text = match value.dyn_into::<web_sys::File>() {
            Ok(file) => JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|text| text.as_string())
                .ok_or("The file could not be read.")?,
            Err(value) => value.as_string().unwrap_or_default(),
        };
        fields.0.push((name, text));
    }
    Ok(fields)
}

/// Sends the form's fields; once saved, the page of the record the save made, if it names one.
async fn post(endpoint: &str, fields: FormFields) -> Result<Option<String>, AppError> {
    let unreachable = || AppError::ServerFn("the network is not available".to_owned());
    let body = serde_json::json!({ "fields": fields }).to_string();
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&body.into());
    let headers = web_sys::Headers::new().map_err(|_| unreachable())?;
    let _ = headers.set("Content-Type", "application/json");
    let _ = headers.set("Accept", "application/json");
    init.set_headers(&headers);
    let response: web_sys::Response =
        JsFuture::from(window().fetch_with_str_and_init(&format!("/fn/{endpoint}"), &init))
            .await
            .map_err(|_| unreachable())?
            .unchecked_into();
    if response.ok() {
        return Ok(response.headers().get(crate::form::SEND_TO_HEADER).ok().flatten());
    }
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|text| text.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    };
    Err(serde_json::from_str(&text)
        .unwrap_or_else(|_| AppError::ServerFn(format!("the server answered {}", response.status()))))
}

async fn send(form: HtmlFormElement, endpoint: String) {
    let buttons = form.query_selector_all("button[type=submit]").ok();
    let set_busy = |busy: bool| {
        if let Some(buttons) = &buttons {
            for index in 0..buttons.length() {
                if let Some(button) = buttons.item(index).and_then(|b| b.dyn_into::<Element>().ok()) {
                    let _ =
                        if busy { button.set_attribute("disabled", "") } else { button.remove_attribute("disabled") };
                }
            }
        }
        let _ = form.set_attribute("aria-busy", if busy { "true" } else { "false" });
    };
    set_busy(true);
    clear_refusals(&form);
    let result = match read_fields(&form).await {
        Ok(fields) => post(&endpoint, fields).await,
        Err(message) => Err(AppError::BadRequest(message)),
    };
    match result {
        Ok(sent_to) => {
            let next = sent_to.or_else(|| form.get_attribute("data-next")).unwrap_or_else(|| "/".to_owned());
            let location = window().location();
            let here = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
            // Going to this same address loads nothing by itself when only the #fragment changes,
            // and would be a second request (taking the page's one-time notice) when nothing does.
            if next.split('#').next() == Some(here.as_str()) {
                if next.contains('#') {
                    let _ = location.assign(&next);
                }
                let _ = location.reload();
            } else {
                let _ = location.assign(&next);
            }
        }
        Err(error) => {
            show_refusal(&form, error);
            set_busy(false);
        }
    }
}

pub(crate) fn clear_refusals(form: &HtmlFormElement) {
    if let Ok(slots) = form.query_selector_all(".field-error, .form-error") {
        for index in 0..slots.length() {
            if let Some(slot) = slots.item(index).and_then(|s| s.dyn_into::<Element>().ok()) {
                slot.set_text_content(None);
                let _ = slot.set_attribute("hidden", "");
            }
        }
    }
    if let Ok(invalid) = form.query_selector_all("[aria-invalid]") {
        for index in 0..invalid.length() {
            if let Some(control) = invalid.item(index).and_then(|c| c.dyn_into::<Element>().ok()) {
                let _ = control.remove_attribute("aria-invalid");
            }
        }
    }
}

fn show(slot: &Element, text: &str) {
    slot.set_text_content(Some(text));
    let _ = slot.remove_attribute("hidden");
}

/// Writes each refusal next to its field, and a summary (or the whole refusal, when it belongs
/// to no field) above the buttons; the first field refused gets the focus.
pub(crate) fn show_refusal(form: &HtmlFormElement, error: AppError) {
    let summary = form.query_selector(".form-error").ok().flatten();
    let AppError::Invalid(refusals) = error else {
        if let Some(summary) = summary {
            show(&summary, &error.to_string());
        }
        return;
    };
    let document = document();
    let mut first: Option<HtmlElement> = None;
    let mut unplaced = Vec::new();
    for FieldError { field, message } in &refusals {
        let id = crate::form::field_id(field);
        match document.get_element_by_id(&format!("{id}-error")) {
            Some(slot) => show(&slot, message),
            None => unplaced.push(message.as_str()),
        }
        if let Some(control) = document.get_element_by_id(&id) {
            let _ = control.set_attribute("aria-invalid", "true");
            let focusable = if control.tag_name() == "FIELDSET" {
                control.query_selector("input").ok().flatten()
            } else {
                Some(control)
            };
            if first.is_none() {
                first = focusable.and_then(|control| control.dyn_into::<HtmlElement>().ok());
            }
        }
    }
    if let Some(summary) = summary {
        let count = match refusals.len() {
            1 => "One detail needs correcting; it is marked above.".to_owned(),
            count => format!("{count} details need correcting; each is marked above."),
        };
        let text = std::iter::once(count.as_str()).chain(unplaced).collect::<Vec<_>>().join(" ");
        show(&summary, &text);
    }
    if let Some(first) = first {
        let _ = first.focus();
    }
}
