//! Services: name, time zone and shift pattern (the shifts' times and the weekend days).

use crate::domain::organisation::Service;
use crate::error::AppError;
use crate::form::FormFields;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServicesAdmin {
    /// The services this person may change.
    pub services: Vec<Service>,
    pub may_create: bool,
}

async fn services_admin(actor: &crate::domain::access::Actor) -> Result<ServicesAdmin, AppError> {
    use crate::domain::access::{Action, Decision};
    if !actor.administers_anything() {
        return Err(AppError::Forbidden);
    }
    let services = crate::error::storage()?
        .organisation
        .services()
        .await?
        .into_iter()
        .filter(|service| actor.may(Action::EditService(service.id)) == Decision::Allow)
        .collect();
    Ok(ServicesAdmin { services, may_create: actor.may(Action::CreateService) == Decision::Allow })
}

#[server(prefix = "/fn", endpoint = "admin/save_service", input = leptos::server_fn::codec::Json)]
pub async fn save_service(fields: FormFields) -> Result<Service, AppError> {
    crate::error::respond(
        async move {
            use crate::domain::access::Action;
            let (actor, author) = crate::auth::require_author().await?;
            let id = fields.id("id").map_err(AppError::BadRequest)?;
            let action = id.map_or(Action::CreateService, Action::EditService);
            crate::auth::authorise(&actor, action)?;
            let storage = crate::error::storage()?;
            let mut service = reading::read_service(&fields)?;
            let result = match id {
                Some(id) => {
                    service.id = id;
                    storage.update_service(service, &author).await
                }
                None => storage.add_service(service, &author).await,
            };
            super::saved_named(result, |saved| &saved.name).await
        }
        .await,
    )
}

mod reading {
    use crate::domain::organisation::{NewService, check_time_zone};
    use crate::domain::shift::{ClockTime, Shift, ShiftKind, ShiftPattern, Weekday};
    use crate::domain::text::Name;
    use crate::error::{AppError, Validation};
    use crate::form::FormFields;

    fn read_time(fields: &FormFields, field: &str, which: &str, validation: &mut Validation) -> Option<ClockTime> {
        match fields.text(field).trim() {
            "" => {
                validation.reject(field, format!("Enter the time the shift {which}."));
                None
            }
            text => validation.check(field, ClockTime::parse(text)),
        }
    }

    /// The service the form describes, with a new id (the caller keeps an edited service's).
    pub fn read_service(fields: &FormFields) -> Result<NewService, AppError> {
        let mut validation = Validation::default();
        let name = validation.check("name", Name::parse("The name", fields.text("name")));
        let time_zone = validation.check("time_zone", check_time_zone(fields.text("time_zone")));
        let mut shifts = Vec::new();
        for row in fields.rows("shifts") {
            let kind_field = format!("{row}.kind");
            let kind = ShiftKind::ALL.into_iter().find(|kind| kind.label() == fields.text(&kind_field));
            if kind.is_none() {
                validation.reject(&kind_field, "Choose which shift this is.");
            }
            let start = read_time(fields, &format!("{row}.start"), "starts", &mut validation);
            let end = read_time(fields, &format!("{row}.end"), "ends", &mut validation);
            if let (Some(kind), Some(start), Some(end)) = (kind, start, end) {
                shifts.push(Shift { kind, start, end });
            }
        }
        let mut weekend_days = Vec::new();
        for label in fields.all("weekend") {
            match Weekday::ALL.into_iter().find(|day| day.label() == label) {
                Some(day) => weekend_days.push(day),
                None => validation.reject("weekend", format!("“{label}” is not a day of the week.")),
            }
        }
        // The pattern as a whole is judged only once each shift is readable.
        let pattern = if validation.is_clean() {
            validation.check("shifts", ShiftPattern::new(shifts, weekend_days))
        } else {
            None
        };
        let service = match (name, time_zone, pattern) {
            (Some(name), Some(time_zone), Some(pattern)) => {
                Some(NewService { time_zone, ..NewService::new(name, pattern) })
            }
            _ => None,
        };
        validation.finish(service)
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::error::FieldError;

        fn form(pairs: &[(&str, &str)]) -> FormFields {
            pairs.iter().fold(FormFields::default(), |fields, (name, value)| fields.with(name, value))
        }

        fn problems(fields: &FormFields) -> Vec<(String, String)> {
            match read_service(fields) {
                Err(AppError::Invalid(errors)) => {
                    errors.into_iter().map(|FieldError { field, message }| (field, message)).collect()
                }
                other => panic!("expected refusals, got {other:?}"),
            }
        }

        #[test]
        fn a_complete_form_makes_a_service() {
            let service = read_service(&form(&[
                ("name", " Larch House "),
                ("time_zone", "europe/london"),
                ("shifts.0.kind", "Long day"),
                ("shifts.0.start", "08:00"),
                ("shifts.0.end", "20:00"),
                ("shifts.5.kind", "Night"),
                ("shifts.5.start", "20:00"),
                ("shifts.5.end", "08:00"),
                ("weekend", "Friday"),
                ("weekend", "Saturday"),
            ]))
            .unwrap();
            assert_eq!((service.name.as_str(), service.time_zone.as_str()), ("Larch House", "Europe/London"));
            assert_eq!(service.shift_pattern.shifts().len(), 2);
            assert_eq!(service.shift_pattern.weekend_days(), [Weekday::Friday, Weekday::Saturday]);
        }

        #[test]
        fn every_unreadable_field_is_named() {
            let found = problems(&form(&[
                ("name", ""),
                ("time_zone", "Larch/House"),
                ("shifts.0.kind", "Elevenses"),
                ("shifts.0.start", ""),
                ("shifts.0.end", "25:00"),
                ("weekend", "Caturday"),
            ]));
            let fields: Vec<&str> = found.iter().map(|(field, _)| field.as_str()).collect();
            assert_eq!(fields, ["name", "time_zone", "shifts.0.kind", "shifts.0.start", "shifts.0.end", "weekend"]);
            assert_eq!(found[3].1, "Enter the time the shift starts.");
        }

        #[test]
        fn a_pattern_with_a_gap_is_refused_as_a_whole() {
            let found = problems(&form(&[
                ("name", "Larch House"),
                ("time_zone", "Europe/London"),
                ("shifts.0.kind", "Early"),
                ("shifts.0.start", "07:00"),
                ("shifts.0.end", "14:00"),
                ("shifts.1.kind", "Night"),
                ("shifts.1.start", "21:00"),
                ("shifts.1.end", "07:00"),
            ]));
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].0, "shifts");
            assert!(found[0].1.starts_with("Nobody is on shift from 14:00 to 21:00"), "{found:?}");
        }

        #[test]
        fn no_shifts_at_all_is_refused() {
            let found = problems(&form(&[("name", "Larch House"), ("time_zone", "Europe/London")]));
            assert_eq!(found, [("shifts".to_owned(), "A shift pattern needs at least one shift.".to_owned())]);
        }
    }
}

pub async fn render(
    actor: &crate::domain::access::Actor,
    query: &super::Query,
) -> Result<crate::pages::Page, AppError> {
    use super::Editing;
    let admin = services_admin(actor).await?;
    let editing = match super::Editing::from_query(query) {
        Editing::New if !admin.may_create => None,
        wanted => wanted.open(&admin.services, |service| service.id)?,
    };
    let body = view! {
        {admin.may_create.then(|| view! { <p><a class="button" href="/admin/services?edit=new">"Add a service"</a></p> })}
        {editing.map(|service| view! { <ServiceEditor service /> })}
        {admin.services.is_empty().then(|| view! { <p>"There are no services yet."</p> })}
        <ul class="record-list">
            {admin.services.into_iter().map(|service| {
                let shifts = service
                    .shift_pattern
                    .shifts()
                    .iter()
                    .map(|shift| format!("{} {}–{}", shift.kind.label(), shift.start, shift.end))
                    .collect::<Vec<_>>()
                    .join(" · ");
                view! {
                    <super::RecordItem
                        title=service.name
                        details=format!("{} · {shifts}", service.time_zone)
                        change_href=format!("/admin/services?edit={}", service.id)
                    />
                }
            }).collect_view()}
        </ul>
    };
    super::page("Services", None, body).await
}

fn shift_row(key: &str, shift: Option<crate::domain::shift::Shift>) -> impl IntoView + use<> {
    use crate::components::form::{RemoveRowButton, SelectField, TextField};
    use crate::domain::shift::ShiftKind;
    let prefix = format!("shifts.{key}");
    let mut kinds = vec![(String::new(), "Choose…".to_owned())];
    kinds.extend(ShiftKind::ALL.iter().map(|kind| (kind.label().to_owned(), kind.label().to_owned())));
    let kind = shift.map(|s| s.kind.label().to_owned()).unwrap_or_default();
    let group_label = shift.map_or("New shift".to_owned(), |s| format!("{} shift", s.kind.label()));
    view! {
        <div class="row shift-row" role="group" aria-label=group_label>
            <SelectField name=format!("{prefix}.kind") label="Shift" options=kinds selected=kind />
            <TextField name=format!("{prefix}.start") label="Starts" kind="time" value=shift.map(|s| s.start.to_string()).unwrap_or_default() />
            <TextField name=format!("{prefix}.end") label="Ends" kind="time" value=shift.map(|s| s.end.to_string()).unwrap_or_default() />
            <RemoveRowButton label="Remove this shift" />
        </div>
    }
}

#[component]
fn ServiceEditor(service: Option<Service>) -> impl IntoView {
    use crate::components::form::{ChoiceGroup, FieldMessage, RowList, SaveForm, TextField};
    use crate::domain::organisation::DEFAULT_TIME_ZONE;
    use crate::domain::shift::{ShiftPattern, Weekday};
    let heading = service.as_ref().map_or("Add a service".to_owned(), |service| format!("Change {}", service.name));
    let pattern = service.as_ref().map_or_else(ShiftPattern::care_home_default, |s| s.shift_pattern.clone());
    let weekend: Vec<String> = pattern.weekend_days().iter().map(|day| day.label().to_owned()).collect();
    let days: Vec<(String, String)> =
        Weekday::ALL.iter().map(|day| (day.label().to_owned(), day.label().to_owned())).collect();
    let (id, name, time_zone) = match &service {
        Some(service) => (service.id.to_string(), service.name.clone(), service.time_zone.clone()),
        None => (String::new(), String::new(), DEFAULT_TIME_ZONE.to_owned()),
    };
    view! {
        <section class="card editor" aria-labelledby="editor-heading">
            <h2 id="editor-heading">{heading}</h2>
            <SaveForm endpoint="admin/save_service" next="/admin/services" submit_label="Save service" cancel="/admin/services">
                <input type="hidden" name="id" value=id />
                <TextField name="name" label="Name" value=name />
                <TextField
                    name="time_zone"
                    label="Time zone"
                    value=time_zone
                    hint="Checks are shown and placed in shifts by this clock. Services in England use Europe/London."
                />
                <fieldset class="field" id="field-shifts" aria-describedby="field-shifts-hint field-shifts-error">
                    <legend>"Shifts"</legend>
                    <p class="hint" id="field-shifts-hint">
                        "Together the shifts must cover the whole day; handovers may overlap by up to 90 minutes."
                    </p>
                    <RowList id="shift-rows" add_label="Add a shift" template=shift_row("__key__", None).into_any()
                        spare=shift_row("spare", None).into_any()>
                        {pattern.shifts().iter().enumerate().map(|(index, shift)| shift_row(&index.to_string(), Some(*shift))).collect_view()}
                    </RowList>
                    <FieldMessage name="shifts" />
                </fieldset>
                <ChoiceGroup name="weekend" legend="Weekend days" options=days selected=weekend
                    hint="A shift that starts on one of these days counts as weekend practice." />
            </SaveForm>
        </section>
    }
}
