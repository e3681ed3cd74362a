//! Step 1, identify: opening a cycle, from a weak check (one tap on its page) or by hand, with
//! the concern, the examples observed and the evidence that raised it.

use super::super::checks::Names;
use crate::domain::access::{Action, Actor, Decision};
use crate::domain::audit::Author;
use crate::domain::check::StoredCheck;
use crate::domain::cycle::{SourceEvidence, SourceKind};
use crate::domain::wall_clock::CalendarDate;
use crate::error::AppError;
use crate::form::FormFields;
use crate::pages::{Page, Query};
use crate::storage::Storage;
use leptos::prelude::*;
use uuid::Uuid;

/// Rows for other sources of evidence on the form; empty ones are left out.
const SOURCE_ROWS: usize = 3;

#[server(prefix = "/fn", endpoint = "cycles/open", input = leptos::server_fn::codec::Json)]
pub async fn open_cycle(fields: FormFields) -> Result<Uuid, AppError> {
    let opened = super::taken_by_form(fields, keep_opening).await;
    if let Ok(id) = &opened {
        crate::form::send_to(&format!("/cycles/{id}"));
    }
    crate::error::respond(opened)
}

/// Step 1, as [`open_cycle`] takes it: the cycle is refused whole if any part of it is, and
/// a second open cycle for the same staff member and theme is refused beside the staff.
pub async fn keep_opening(
    storage: &Storage,
    actor: &Actor,
    author: Author,
    fields: &FormFields,
) -> Result<super::CycleChange, AppError> {
    use crate::domain::check::date_in_zone;
    use crate::domain::cycle::{Cycle, opening_problems};
    use crate::domain::text::{LongText, ShortText};
    use crate::error::Validation;
    use crate::storage::CycleFilter;
    let service_id = fields.id("service").ok().flatten().ok_or(AppError::BadRequest("Choose the service.".into()))?;
    let service = super::service(storage, service_id).await?;
    crate::auth::authorise(actor, Action::OpenCycle(service.id))?;
    let today = date_in_zone(&service.time_zone, storage.now_ms());
    let mut validation = Validation::default();
    let themes = storage.organisation.themes().await?;
    let theme = match fields.id("theme") {
        Ok(Some(id)) => themes.iter().find(|theme| theme.id == id),
        _ => None,
    };
    if theme.is_none() {
        validation.reject("theme", "Choose the practice theme.");
    }
    let everyone = storage.organisation.staff_members(None).await?;
    let mut staff = Vec::new();
    for raw in fields.all("staff") {
        match Uuid::parse_str(raw).ok().and_then(|id| everyone.iter().find(|member| member.id == id)) {
            Some(member) => staff.push(member),
            None => validation.reject("staff", "Choose staff from the list."),
        }
    }
    let group_name = match fields.text("group_name").trim() {
        "" => None,
        name => validation.check("group_name", ShortText::parse("The group's name", name)).map(String::from),
    };
    if staff.len() > 1 && group_name.is_none() && validation.is_clean() {
        validation.reject("group_name", "Name the group, so the cycle can be found by it.");
    }
    let concern = validation.check("concern", LongText::parse("The concern", fields.text("concern")));
    let examples = match fields.text("examples").trim() {
        "" => Some(String::new()),
        text => validation.check("examples", LongText::parse("The examples", text)).map(String::from),
    };
    let mut sources = Vec::new();
    let mut source_checks: Vec<StoredCheck> = Vec::new();
    for raw in fields.all("source_checks") {
        let check = match Uuid::parse_str(raw) {
            Ok(id) => storage.checks.check(id).await?,
            Err(_) => None,
        };
        match check {
            Some(check) => {
                let date = CalendarDate::parse(&check.calendar.local_date).unwrap_or(today);
                sources.push(SourceEvidence {
                    kind: SourceKind::Check,
                    check_id: Some(check.check.id),
                    date,
                    description: String::new(),
                });
                source_checks.push(check);
            }
            None => validation.reject("sources", "A linked check does not exist."),
        }
    }
    for row in fields.rows("sources") {
        let field = |name: &str| fields.text(&format!("{row}.{name}")).trim().to_owned();
        let kind = SourceKind::from_code(&field("kind")).filter(|kind| *kind != SourceKind::Check);
        let date = CalendarDate::parse(&field("date"));
        let description = LongText::parse("A source's description", &field("description"));
        match (kind, date, description) {
            (Some(kind), Some(date), Ok(description)) => {
                sources.push(SourceEvidence { kind, check_id: None, date, description: description.into() })
            }
            (None, _, _) => validation.reject("sources", "Say what kind of evidence each source is."),
            (_, None, _) => validation.reject("sources", "Give each source its date."),
            (_, _, Err(error)) => drop(validation.check::<(), _>("sources", Err(error))),
        }
    }
    let open_cycles = match theme {
        Some(theme) => {
            let filter = CycleFilter { open: Some(true), theme_id: Some(theme.id), ..Default::default() };
            storage.cycles.cycles(&filter).await?
        }
        None => Vec::new(),
    };
    if let Some(theme) = theme {
        for problem in opening_problems(service.id, &staff, theme, &open_cycles, &source_checks, &sources, today) {
            validation.reject(problem.field, problem.message);
        }
    }
    let cycle = match (theme, concern, examples) {
        (Some(theme), Some(concern), Some(examples)) => Some(Cycle {
            id: Uuid::now_v7(),
            service_id: service.id,
            theme_id: theme.id,
            theme_version: theme.version,
            staff_ids: staff.iter().map(|member| member.id).collect(),
            group_name,
            opened_by: author.clone(),
            opened_at_ms: storage.now_ms(),
            opened_on: today,
            concern: concern.into(),
            examples,
            sources,
            standard: None,
            rule: storage.cycles.sustainment_rule(service.id).await?,
            actions: Vec::new(),
            reviews: Vec::new(),
            amendments: Vec::new(),
            closed_on: None,
        }),
        _ => None,
    };
    let cycle = validation.finish(cycle)?;
    storage.open_cycle(&cycle, &author).await.map_err(crate::error::conflict_on("staff"))?;
    Ok(super::CycleChange { cycle_id: cycle.id, notice: "Opened the cycle. Next: the expected standard." })
}

/// The form. Staff are those of one service, so someone with several chooses the service first
/// (a plain GET form); opened from a check, everything the check says is filled in.
pub async fn render(actor: &Actor, query: &Query) -> Result<Page, AppError> {
    use crate::components::form::{ChoiceGroup, FieldMessage, SaveForm, SelectField, TextField};
    let storage = crate::error::storage()?;
    let names = Names::load(actor).await?;
    let from_check = match query.get("check") {
        "" => None,
        raw => {
            let id = Uuid::parse_str(raw).map_err(|_| AppError::NotFound)?;
            let check = storage.checks.check(id).await?.filter(|check| actor.covers(check.check.service_id));
            Some(check.ok_or(AppError::NotFound)?)
        }
    };
    let services: Vec<_> = names
        .services
        .iter()
        .filter(|service| actor.may(Action::OpenCycle(service.id)) == Decision::Allow)
        .cloned()
        .collect();
    if services.is_empty() {
        return Err(AppError::Forbidden);
    }
    let asked_for = Uuid::parse_str(query.get("service")).ok();
    if asked_for.is_some_and(|id| !services.iter().any(|service| service.id == id)) {
        return Err(AppError::Forbidden);
    }
    let chosen_service = from_check
        .as_ref()
        .map(|check| check.check.service_id)
        .or(asked_for)
        .or_else(|| (services.len() == 1).then(|| services[0].id));
    let lead = Some("Step 1 of 5: record the specific concern, what was seen, and the evidence that raised it.");
    let Some(service) = chosen_service.and_then(|id| services.iter().find(|service| service.id == id)).cloned() else {
        let options: Vec<(String, String)> =
            services.iter().map(|service| (service.id.to_string(), service.name.clone())).collect();
        let body = view! {
            <form class="form card" method="get" action="/cycles/new">
                <div class="field">
                    <label for="choose-service">"Service"</label>
                    <select id="choose-service" name="service">
                        {options.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                    </select>
                </div>
                <div class="form-actions"><button type="submit" class="button">"Continue"</button></div>
            </form>
        };
        return crate::pages::admin::page("Open an improvement cycle", lead, body).await;
    };
    let staff_options: Vec<(String, String)> = storage
        .organisation
        .staff_members(Some(service.id))
        .await?
        .into_iter()
        .filter(|member| !member.has_left)
        .map(|member| (member.id.to_string(), format!("{} · {}", member.name, member.job_title)))
        .collect();
    let theme_options: Vec<(String, String)> =
        names.themes.iter().map(|theme| (theme.id.to_string(), theme.name.clone())).collect();
    let (theme, staff, examples, check_options, checks_ticked) = match &from_check {
        Some(check) => {
            let examples = match &check.check.details {
                crate::domain::check::CheckDetails::Observation { examples, .. }
                | crate::domain::check::CheckDetails::RecordSample { examples, .. } => examples.clone(),
                crate::domain::check::CheckDetails::DistressEpisode { trigger, .. } => trigger.clone(),
            };
            let label =
                format!("{} · {} · {}", names.observed(check), names.staff(check.check.staff_id), names.ratings(check));
            (
                check.check.theme_id.to_string(),
                vec![check.check.staff_id.to_string()],
                examples,
                vec![(check.check.id.to_string(), label)],
                vec![check.check.id.to_string()],
            )
        }
        None => (query.get("theme").to_owned(), vec![query.get("staff").to_owned()], String::new(), vec![], vec![]),
    };
    let has_checks = !check_options.is_empty();
    // Opened from a warning about a group of checks: what it found, to start the concern from.
    let concern = query.get("concern").to_owned();
    let kinds: Vec<(String, String)> = std::iter::once((String::new(), "Choose a kind".to_owned()))
        .chain(SourceKind::DESCRIBED.iter().map(|kind| (kind.code().to_owned(), kind.label().to_owned())))
        .collect();
    let (service_name, service_id) = (service.name.clone(), service.id.to_string());
    let body = view! {
        <section class="card editor" aria-labelledby="open-heading">
            <h2 id="open-heading">{format!("At {service_name}")}</h2>
            <SaveForm endpoint="cycles/open" next="/cycles" submit_label="Open the cycle" cancel="/cycles">
                <input type="hidden" name="service" value=service_id />
                <SelectField name="theme" label="Practice theme" options=theme_options selected=theme />
                <ChoiceGroup name="staff" legend="Staff member, or the staff of a group" options=staff_options selected=staff
                    hint="Tick one person, or everyone in the group the concern is about." />
                <TextField name="group_name" label="Group name (for a group only)" hint="For example: Oak unit day staff." />
                <TextField name="concern" label="The specific concern" value=concern multiline=true
                    hint="What exactly falls short, for example: prompts were hurried and no choice of clothes was offered during morning care." />
                <TextField name="examples" label="Examples observed" value=examples multiline=true />
                <fieldset class="field">
                    <legend>"Evidence that raised it"</legend>
                    {has_checks.then(|| view! {
                        <ChoiceGroup name="source_checks" legend="Checks" options=check_options selected=checks_ticked />
                    })}
                    <p class="hint">"Other sources, each with its kind, date and what it showed. Leave a row empty if not needed."</p>
                    {(0..SOURCE_ROWS).map(|row| {
                        let kinds = kinds.clone();
                        view! {
                            <div class="row source-row">
                                <SelectField name=format!("sources.{row}.kind") label=format!("Source {} kind", row + 1) options=kinds />
                                <TextField name=format!("sources.{row}.date") label=format!("Source {} date", row + 1) kind="date" />
                                <TextField name=format!("sources.{row}.description") label=format!("Source {} description", row + 1) />
                            </div>
                        }
                    }).collect_view()}
                    <FieldMessage name="sources" />
                </fieldset>
            </SaveForm>
        </section>
    };
    crate::pages::admin::page("Open an improvement cycle", lead, body).await
}
