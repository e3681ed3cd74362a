//! Form parts for the administration pages, rendered on the server only (the pages reach the
//! browser as HTML, see `pages::admin`). A form marked `data-fn` is sent by the browser's
//! enhancer (`crate::enhance`) to that server function; refusals come back per field and are
//! written into the field's error slot, `<id>-error`, which every field here renders empty.

use crate::form::{described_by, field_id};
use leptos::prelude::*;

/// Where the refusal for `name` is written; empty and hidden until there is one.
#[component]
pub fn FieldMessage(#[prop(into)] name: String) -> impl IntoView {
    view! { <p class="field-error" id=format!("{}-error", field_id(&name)) hidden></p> }
}

/// A form that the browser sends to the server function `endpoint` and, once saved, leaves for
/// `next`. Refusals that belong to no field are shown above the buttons.
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
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let button_class = if quiet { "button button--secondary" } else { "button" };
    view! {
        <form class="form" method="post" data-fn=endpoint data-next=next data-confirm=confirm novalidate>
            {children.map(|children| children())}
            <p class="error form-error" role="alert" hidden></p>
            <div class="form-actions">
                <button type="submit" class=button_class aria-label=submit_name>{submit_label}</button>
                {cancel.map(|href| view! { <a class="button button--secondary" href=href>"Cancel"</a> })}
            </div>
        </form>
    }
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
    let control = if multiline {
        view! { <textarea id=id.clone() name=name.clone() rows="3" aria-describedby=describedby>{value}</textarea> }
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
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id.clone() name=name.clone() aria-describedby=described_by(&id, false)>
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
    view! {
        <fieldset class="field choice-group" id=id.clone() aria-describedby=describedby>
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
    view! {
        <div class="field choice">
            <input type="checkbox" id=id.clone() name=name.clone() value="on" checked=checked aria-describedby=format!("{id}-error") />
            <label for=id>{label}</label>
            <FieldMessage name />
        </div>
    }
}

/// Rows the person can add to and remove from (the shifts of a pattern, a theme's criteria). The
/// browser adds a row by copying `template`, a row rendered with the key `__key__`.
#[component]
pub fn RowList(
    #[prop(into)] id: String,
    #[prop(into)] add_label: String,
    template: AnyView,
    children: Children,
) -> impl IntoView {
    let template_id = format!("{id}-template");
    view! {
        <div class="row-list" id=id.clone()>{children()}</div>
        <template id=template_id.clone()>{template}</template>
        <button type="button" class="button button--secondary" data-add-row=template_id data-into=id>{add_label}</button>
    }
}

/// Takes its row (the nearest `.row`) off the form.
#[component]
pub fn RemoveRowButton(#[prop(into)] label: String) -> impl IntoView {
    view! { <button type="button" class="button button--secondary" data-remove-row="">{label}</button> }
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
