//! The recorder's markup. Buttons carry `data-action` (and the ids they act on); the recorder's
//! listeners on the document do the rest. Refusals use the same `field-…-error` slots as the
//! server-rendered forms, so the enhancer's `show_refusal` marks them.

pub use super::server_drawn::{Refused, staff_choices, staff_step, status};
use crate::domain::recording::{NO, NOT_APPLICABLE, ReferenceService, ReferenceTheme, YES, field};
use crate::domain::shift::ShiftKind;
use crate::domain::theme::{CheckKind, SCALE_LABELS};
use crate::form::{FormFields, described_by, field_id};
use maud::{Markup, html};

/// Who is being observed where, with a way back to choosing someone else.
fn observing(member: &str, service: &str, theme: Option<&str>) -> Markup {
    html! {
        div.recorder__who {
            p {
                "Observing " strong { (member) } " at " (service)
                @if let Some(theme) = theme { " · " strong { (theme) } }
            }
            button.link-button type="button" data-action="restart" { "Choose someone else" }
        }
    }
}

/// The second step: which practice theme.
pub fn theme_step(member: &str, service: &str, themes: &[&ReferenceTheme]) -> String {
    html! {
        (observing(member, service, None))
        h2.recorder__group { "Which practice theme?" }
        ul.pick-list {
            @for theme in themes {
                li {
                    button.pick type="button" data-action="theme" data-theme=(theme.id) {
                        span.pick__name { (theme.name) }
                        span.pick__detail { (theme.kind.label()) }
                    }
                }
            }
        }
    }
    .into_string()
}

fn error_slot(name: &str) -> Markup {
    html! { p.field-error id=(format!("{}-error", field_id(name))) hidden {} }
}

fn text_area(fields: &FormFields, name: &str, label: &str, hint: Option<&str>) -> Markup {
    let id = field_id(name);
    html! {
        div.field {
            label for=(id) { (label) }
            @if let Some(hint) = hint { p.hint id=(format!("{id}-hint")) { (hint) } }
            textarea id=(id) name=(name) rows="3" aria-describedby=(described_by(&id, hint.is_some())) { (fields.text(name)) }
            (error_slot(name))
        }
    }
}

fn number(fields: &FormFields, name: &str, label: &str) -> Markup {
    let id = field_id(name);
    html! {
        div.field.field--short {
            label for=(id) { (label) }
            input id=(id) name=(name) type="number" inputmode="numeric" min="0" max="1000" value=(fields.text(name))
                aria-describedby=(described_by(&id, false));
            (error_slot(name))
        }
    }
}

/// A question answered with one tap: a row of large radio buttons.
fn choice_row(fields: &FormFields, name: &str, legend: &str, options: &[(&str, &str)]) -> Markup {
    html! {
        fieldset.answer-row id=(field_id(name)) aria-describedby=(described_by(&field_id(name), false)) {
            legend { (legend) }
            div.answer-row__options {
                @for (value, label) in options {
                    label.answer-row__option {
                        input type="radio" name=(name) value=(value) checked[fields.text(name) == *value];
                        span { (label) }
                    }
                }
            }
            (error_slot(name))
        }
    }
}

fn yes_no(fields: &FormFields, name: &str, legend: &str) -> Markup {
    choice_row(fields, name, legend, &[(YES, "Yes"), (NO, "No")])
}

fn criterion_rating(fields: &FormFields, theme: &ReferenceTheme, index: usize) -> Markup {
    let criterion = &theme.criteria[index];
    let name = field::rating(criterion.id);
    let chosen = fields.text(&name);
    html! {
        fieldset.rating id=(field_id(&name)) aria-describedby=(described_by(&field_id(&name), false)) {
            legend { (criterion.title) }
            div.rating__options {
                @for (score, descriptor) in criterion.descriptors.iter().enumerate() {
                    @let value = (score + 1).to_string();
                    label.rating__option {
                        input type="radio" name=(name) value=(value) checked[chosen == value];
                        span.rating__score { (value) " " span.rating__scale { (SCALE_LABELS[score]) } }
                        span.rating__descriptor { (descriptor) }
                    }
                }
                label.rating__option.rating__option--na {
                    input type="radio" name=(name) value=(NOT_APPLICABLE) checked[chosen == NOT_APPLICABLE];
                    span.rating__score { "N/A" }
                    span.rating__descriptor { "Did not apply this time" }
                }
            }
            (error_slot(&name))
        }
    }
}

fn kind_fields(fields: &FormFields, kind: CheckKind) -> Markup {
    html! {
        @match kind {
            CheckKind::Observation => {
                (yes_no(fields, "feedback_given", "Did you give feedback there and then?"))
                (text_area(fields, "feedback", "What feedback did you give?", None))
                (text_area(fields, "examples", "Examples observed", Some("What you saw and heard.")))
                (text_area(fields, "person_response", "How did the person receiving care respond?", None))
            }
            CheckKind::RecordSample => {
                div.field-row {
                    (number(fields, "notes_sampled", "Notes sampled"))
                    (number(fields, "notes_clear", "Clear notes"))
                    (number(fields, "notes_vague", "Vague notes"))
                }
                (text_area(fields, "alignment", "Do the notes match the care delivered?", None))
                (text_area(fields, "examples", "Examples", Some("Quote a clear and a vague entry.")))
            }
            CheckKind::DistressEpisode => {
                (text_area(fields, "trigger", "What triggered the distress?", None))
                (yes_no(fields, "agreed_approach_used", "Was the approach agreed in the care plan used?"))
                (text_area(fields, "de_escalation_language", "De-escalation language used", None))
                (text_area(fields, "outcome", "Outcome for the person", None))
            }
        }
    }
}

/// When and how the check was made: filled in from the clock and the shift pattern, so it stays
/// folded away unless something needs changing.
fn when_and_how(fields: &FormFields, service: &ReferenceService) -> Markup {
    let offered: Vec<ShiftKind> = service.shift_pattern.shifts().iter().map(|shift| shift.kind).collect();
    html! {
        details.check-form__when {
            summary { "When, which shift, announced or not" }
            div.field {
                label for=(field_id(field::OBSERVED_AT)) { "Observed at (" (service.time_zone) ")" }
                input id=(field_id(field::OBSERVED_AT)) name=(field::OBSERVED_AT) type="datetime-local" value=(fields.text(field::OBSERVED_AT))
                    aria-describedby=(described_by(&field_id(field::OBSERVED_AT), false));
                (error_slot(field::OBSERVED_AT))
            }
            (choice_row(fields, field::SHIFT, "Shift", &offered.iter().map(|kind| (kind.code(), kind.label())).collect::<Vec<_>>()))
            (yes_no(fields, field::WEEKEND, "Weekend practice?"))
            (choice_row(fields, field::ANNOUNCED, "Was the check announced?", &[(NO, "Unannounced"), (YES, "Announced")]))
        }
    }
}

pub struct FormContext<'a> {
    /// The check's id, so that a form left open in another tab can be told apart.
    pub check_id: uuid::Uuid,
    pub member: &'a str,
    pub service: &'a ReferenceService,
    pub theme: &'a ReferenceTheme,
    pub fields: &'a FormFields,
    /// Set when correcting a kept check.
    pub amends: bool,
}

/// The third step: the check itself.
pub fn check_form(context: &FormContext) -> String {
    let FormContext { check_id, member, service, theme, fields, amends } = context;
    html! {
        (observing(member, &service.name, Some(&theme.name)))
        form #check-form .check-form novalidate data-check=(check_id) {
            @if *amends {
                p.notice { "This corrects a check already kept. Both stay on record; the history shows why." }
                (text_area(fields, field::AMEND_REASON, "What does this correction put right?", None))
            }
            details.check-form__standard {
                summary { "Expected standard" }
                p { (theme.expected_standard) }
            }
            @for index in 0..theme.criteria.len() {
                (criterion_rating(fields, theme, index))
            }
            (kind_fields(fields, theme.kind))
            (when_and_how(fields, service))
            p.form-error role="alert" hidden {}
            div.button-row {
                button.button type="submit" { "Save check" }
                button.button.button--secondary type="button" data-action="discard" { "Discard" }
            }
        }
    }
    .into_string()
}

/// Told once a new release has been fetched.
pub fn update_notice() -> String {
    html! {
        p { "A new version of Recheck is ready." }
        button.button.button--small type="button" data-action="update" { "Reload to update" }
    }
    .into_string()
}
