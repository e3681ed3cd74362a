//! Form parts for the pages, rendered on the server only. Every form posts to its server
//! function (`action="/fn/…"`) and works without script: the server answers with a redirect to
//! the next page, or back to this one with what was sent and the refusals ([`FormEcho`]), which
//! these parts show beside their fields. Where script runs, the enhancer (`crate::enhance`)
//! sends the same form itself and writes refusals into the same slots, `<id>-error`.

use crate::error::FieldError;
use crate::form::{FormFields, described_by, field_id};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What a form sent without script came back with: its fields as sent (secrets left out) and
/// why it was refused, for the page it came from to show again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormEcho {
    /// The server function the form was sent to (`admin/save_theme`).
    pub endpoint: String,
    pub fields: FormFields,
    pub refusals: Vec<FieldError>,
    /// A refusal that belongs to no field, or the count of those that do.
    pub summary: String,
}

/// Where a form's echo waits in the session for the page it returns to.
pub const FORM_ECHO_KEY: &str = "form_echo";

/// The echo left for this page, taken so that a reload shows the form afresh.
pub async fn take_form_echo() -> Option<FormEcho> {
    let session: tower_sessions::Session = leptos_axum::extract().await.ok()?;
    take_from_session(&session, FORM_ECHO_KEY).await
}

/// Takes the value kept under `key`, if there is one. Only then is the session changed (and so
/// saved at the end of the request): removing marks a session changed even when nothing was
/// there, and a page saving a session it merely read would overwrite what a request running
/// at the same time had just kept in it (a pending import, a refused form).
pub async fn take_from_session<T: serde::de::DeserializeOwned>(
    session: &tower_sessions::Session,
    key: &str,
) -> Option<T> {
    let value = session.get::<T>(key).await.ok().flatten()?;
    let _ = session.remove_value(key).await;
    Some(value)
}

/// The echo of the form being drawn, if it is the one that was sent.
#[derive(Clone, Debug, Default)]
struct Echoed(Option<FormEcho>);

fn echoed() -> Option<FormEcho> {
    use_context::<Echoed>().and_then(|echoed| echoed.0)
}

impl FormEcho {
    fn refusal(&self, name: &str) -> Option<&str> {
        self.refusals.iter().find(|refusal| refusal.field == name).map(|refusal| refusal.message.as_str())
    }
}

/// `value`, or what was sent for `name` when the form comes back refused.
fn sent_or(name: &str, value: String) -> String {
    echoed().map_or(value, |echo| echo.fields.text(name).to_owned())
}

/// "true" on a control whose value was refused.
fn invalid(name: &str) -> Option<&'static str> {
    echoed().and_then(|echo| echo.refusal(name).map(|_| "true"))
}

/// Where the refusal for `name` is written: hidden and empty until there is one.
#[component]
pub fn FieldMessage(#[prop(into)] name: String) -> impl IntoView {
    let refusal = echoed().and_then(|echo| echo.refusal(&name).map(str::to_owned));
    let hidden = refusal.is_none();
    view! { <p class="field-error" id=format!("{}-error", field_id(&name)) hidden=hidden>{refusal}</p> }
}

/// A form sent to the server function `endpoint` that, once saved, leaves for `next` (or for the
/// record the save made, when the server names it). Refusals that belong to no field are shown
/// above the buttons.
#[component]
pub fn SaveForm(
    #[prop(into)] endpoint: String,
    #[prop(into)] next: String,
    #[prop(into)] submit_label: String,
    /// Where Cancel leads; no Cancel link without it.
    #[prop(optional, into)]
    cancel: Option<String>,
    /// A question the person must say yes to first, for changes that cannot be taken back.
    #[prop(optional, into)]
    confirm: Option<String>,
    /// A secondary-looking button, for forms that sit in a list beside other actions.
    #[prop(optional)]
    quiet: bool,
    /// The button's full name when its visible label leans on what is around it.
    #[prop(optional, into)]
    submit_name: Option<String>,
    /// `multipart/form-data`, for a form that sends a file.
    #[prop(optional)]
    sends_file: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let button_class = if quiet { "button button--secondary" } else { "button" };
    let echo = use_context::<Option<FormEcho>>().flatten().filter(|echo| echo.endpoint == endpoint);
    let summary = echo.as_ref().map(|echo| echo.summary.clone()).filter(|summary| !summary.is_empty());
    let summary_hidden = summary.is_none();
    // The fields drawn inside show what was sent, if this is the form that was refused.
    provide_context(Echoed(echo));
    let location = leptos_router::hooks::use_location();
    let search = location.search.get_untracked();
    let here = match search.trim_start_matches('?') {
        "" => location.pathname.get_untracked(),
        query => format!("{}?{query}", location.pathname.get_untracked()),
    };
    let action = format!("/fn/{endpoint}");
    let enctype = sends_file.then_some("multipart/form-data");
    let next_field = next.clone();
    let form = view! {
        <form class="form" method="post" action=action enctype=enctype data-fn=endpoint data-next=next data-confirm=confirm novalidate>
            <input type="hidden" name=crate::form::NEXT_FIELD value=next_field />
            <input type="hidden" name=crate::form::BACK_FIELD value=here />
            {children.map(|children| children())}
            <p class="error form-error" role="alert" hidden=summary_hidden>{summary}</p>
            <div class="form-actions">
                <button type="submit" class=button_class aria-label=submit_name>{submit_label}</button>
                {cancel.map(|href| view! { <a class="button button--secondary" href=href>"Cancel"</a> })}
            </div>
        </form>
    };
    provide_context(Echoed(None));
    form
}

#[component]
pub fn TextField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] value: String,
    /// The input's type: text (the default), email, time, date, password.
    #[prop(optional)]
    kind: Option<&'static str>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// A paragraph rather than a line.
    #[prop(optional)]
    multiline: bool,
) -> impl IntoView {
    let id = field_id(&name);
    let describedby = described_by(&id, hint.is_some());
    let hint_id = format!("{id}-hint");
    // A password is never sent back into the page.
    let value = if kind == Some("password") { String::new() } else { sent_or(&name, value) };
    let invalid = invalid(&name);
    let control = if multiline {
        view! {
            <textarea id=id.clone() name=name.clone() rows="3" aria-describedby=describedby aria-invalid=invalid>
                {value}
            </textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                name=name.clone()
                type=kind.unwrap_or("text")
                value=value
                autocomplete=autocomplete
                aria-describedby=describedby
                aria-invalid=invalid
            />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            {control}
            <FieldMessage name />
        </div>
    }
}

#[component]
pub fn SelectField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    /// Value and label of each option.
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: String,
) -> impl IntoView {
    let id = field_id(&name);
    let selected = sent_or(&name, selected);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id.clone() name=name.clone() aria-describedby=described_by(&id, false) aria-invalid=invalid(&name)>
                {options.into_iter().map(|(value, label)| {
                    let chosen = value == selected;
                    view! { <option value=value selected=chosen>{label}</option> }
                }).collect_view()}
            </select>
            <FieldMessage name />
        </div>
    }
}

/// Checkboxes (several may be ticked) or radio buttons (one), in a fieldset with a legend.
#[component]
pub fn ChoiceGroup(
    #[prop(into)] name: String,
    #[prop(into)] legend: String,
    /// Value and label of each choice.
    options: Vec<(String, String)>,
    #[prop(optional)] selected: Vec<String>,
    #[prop(optional)] radio: bool,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let id = field_id(&name);
    let describedby = described_by(&id, hint.is_some());
    let hint_id = format!("{id}-hint");
    let selected: Vec<String> = match echoed() {
        Some(echo) => echo.fields.all(&name).into_iter().map(str::to_owned).collect(),
        None => selected,
    };
    view! {
        <fieldset class="field choice-group" id=id.clone() aria-describedby=describedby aria-invalid=invalid(&name)>
            <legend>{legend}</legend>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
            {options.into_iter().enumerate().map(|(index, (value, label))| {
                let option_id = format!("{id}-{index}");
                let checked = selected.contains(&value);
                view! {
                    <div class="choice">
                        <input
                            type=if radio { "radio" } else { "checkbox" }
                            id=option_id.clone()
                            name=name.clone()
                            value=value
                            checked=checked
                        />
                        <label for=option_id>{label}</label>
                    </div>
                }
            }).collect_view()}
            <FieldMessage name=name.clone() />
        </fieldset>
    }
}

/// One checkbox that stands alone ("Has left", "Disabled").
#[component]
pub fn Checkbox(#[prop(into)] name: String, #[prop(into)] label: String, checked: bool) -> impl IntoView {
    let id = field_id(&name);
    let checked = echoed().map_or(checked, |echo| echo.fields.ticked(&name));
    view! {
        <div class="field choice">
            <input type="checkbox" id=id.clone() name=name.clone() value="on" checked=checked aria-describedby=format!("{id}-error") />
            <label for=id>{label}</label>
            <FieldMessage name />
        </div>
    }
}

/// Rows the person can add to and remove from (the shifts of a pattern, a theme's criteria). With
/// script, the browser adds a row by copying `template` (a row rendered with the key `__key__`)
/// and removes one with its button. Without script, a spare empty row (`spare`, a row rendered
/// with the key `spare`) takes a new one at each save, and a row whose fields are all cleared is
/// left out: readers skip rows with nothing in them.
#[component]
pub fn RowList(
    #[prop(into)] id: String,
    #[prop(into)] add_label: String,
    template: AnyView,
    spare: AnyView,
    children: Children,
) -> impl IntoView {
    let template_id = format!("{id}-template");
    view! {
        <div class="row-list" id=id.clone()>
            {children()}
            // Never a <noscript> inside this one: the first closing tag would end both.
            <noscript>
                <p class="hint">"To remove a row, clear its fields and save."</p>
                {spare}
            </noscript>
        </div>
        <template id=template_id.clone()>{template}</template>
        <button type="button" class="button button--secondary" data-add-row=template_id data-into=id data-needs-script="">
            {add_label}
        </button>
    }
}

/// Takes its row (the nearest `.row`) off the form.
#[component]
pub fn RemoveRowButton(#[prop(into)] label: String) -> impl IntoView {
    view! { <button type="button" class="button button--secondary" data-remove-row="" data-needs-script="">{label}</button> }
}

/// A choice in a filter form (a plain GET form): "all" first, then each of `choices`.
#[component]
pub fn FilterSelect(
    name: &'static str,
    label: &'static str,
    /// What choosing nothing means ("Anyone").
    all: &'static str,
    choices: Vec<(String, String)>,
    #[prop(into)] chosen: String,
) -> impl IntoView {
    let id = format!("filter-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="" selected=chosen.is_empty()>{all}</option>
                {choices.into_iter().map(|(value, text)| {
                    let selected = value == chosen;
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// Why a filter form's choices were refused, shown under it in place of the results (its fields
/// are read from the address, so nothing is echoed beside them).
#[component]
pub fn FilterRefusals(messages: Vec<String>) -> impl IntoView {
    view! { <ul class="error" role="alert">{messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul> }
}

/// The messages of `errors`, for [`FilterRefusals`].
pub fn messages_of(errors: Vec<FieldError>) -> Vec<String> {
    errors.into_iter().map(|error| error.message).collect()
}

/// The end of a filter form: a range of dates, Show, and Clear (back to `clear_href`).
#[component]
pub fn FilterDatesAndButtons(
    #[prop(into)] from: String,
    #[prop(into)] to: String,
    clear_href: &'static str,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for="filter-from">"From"</label>
            <input id="filter-from" name="from" type="date" value=from />
        </div>
        <div class="field">
            <label for="filter-to">"To"</label>
            <input id="filter-to" name="to" type="date" value=to />
        </div>
        <div class="form-actions">
            <button type="submit" class="button">"Show"</button>
            <a class="button button--secondary" href=clear_href>"Clear"</a>
        </div>
    }
}
