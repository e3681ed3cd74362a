//! Early warnings (`docs/domain.md` §8) for the people who act on them: each says what was
//! found, with the numbers and links to the records behind it, and offers the next step: open a
//! cycle, acknowledge with a note, or dismiss with a reason (both audited).

use crate::components::form::{SaveForm, TextField};
use crate::domain::access::{Action, Actor, Decision as Allowed};
use crate::domain::cycle::join_in_words;
use crate::domain::organisation::Service;
use crate::domain::warning::{Decision, Finding, Warning, WarningDecision, WarningKind};
use crate::error::{AppError, Validation};
use crate::form::FormFields;
use crate::pages::checks::Names;
use crate::pages::{Page, ServerPage};
use crate::storage::{CurrentWarning, Storage, Warnings, current_warnings};
use leptos::prelude::*;

#[component]
pub fn WarningsPage() -> impl IntoView {
    let query = crate::pages::Query::of_this_page();
    let load = async move { render(&crate::auth::require_actor().await?, query.get("decide")).await };
    view! { <ServerPage load /> }
}

/// The warnings of the services where `actor` acts on them, as they stand now, with the charts
/// judged to find them.
pub async fn warnings_for(storage: &Storage, actor: &Actor) -> Result<Warnings, AppError> {
    if !actor.sees_warnings() {
        return Ok(Warnings::default());
    }
    let services = warning_services(storage, actor).await?;
    if services.is_empty() {
        return Ok(Warnings::default());
    }
    Ok(current_warnings(storage, &services).await?)
}

/// The services whose warnings are for `actor`.
pub(crate) async fn warning_services(storage: &Storage, actor: &Actor) -> Result<Vec<Service>, AppError> {
    Ok(storage
        .organisation
        .services()
        .await?
        .into_iter()
        .filter(|service| actor.may(Action::ActOnWarnings(service.id)) == Allowed::Allow)
        .collect())
}

#[server(prefix = "/fn", endpoint = "warnings/decide", input = leptos::server_fn::codec::Json)]
pub async fn decide_warning(fields: FormFields) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let (actor, author) = crate::auth::require_author().await?;
            if !actor.sees_warnings() {
                return Err(AppError::Forbidden);
            }
            let storage = crate::error::storage()?;
            let key = fields.text("key").trim().to_owned();
            let warnings = warnings_for(&storage, &actor).await?.current;
            let Some(current) = warnings.into_iter().find(|current| current.warning.key == key) else {
                return Err(AppError::NotFound);
            };
            let mut validation = Validation::default();
            let decision = validation.check(
                "decision",
                Decision::from_code(fields.text("decision")).ok_or("Choose to acknowledge or to dismiss it."),
            );
            // Acknowledging says what is being done (`note`); dismissing says why not (`reason`).
            let (field, why) = match decision {
                Some(Decision::Dismissed) => ("reason", "Say why this is not a concern."),
                _ => ("note", "Say what is being done about it."),
            };
            let note = fields.text(field).trim().to_owned();
            if note.is_empty() {
                validation.reject(field, why);
            }
            let decision = validation.finish(decision)?;
            let kept = WarningDecision {
                key,
                service_id: current.warning.service_id,
                kind: current.warning.kind,
                decision,
                note,
                decided_by: author,
                decided_at_ms: storage.now_ms(),
            };
            let (summary, notice) = match decision {
                Decision::Acknowledged => ("Acknowledged a warning", "Acknowledged the warning."),
                Decision::Dismissed => ("Dismissed a warning", "Dismissed the warning."),
            };
            storage.decide_warning(&kept, &format!("{summary}: {}", current.warning.kind.label())).await?;
            crate::pages::admin::saved(notice.to_owned()).await;
            Ok(())
        }
        .await,
    )
}

/// What was found, in words, with its numbers.
pub fn in_words(names: &Names, warning: &Warning) -> String {
    use crate::pages::trends::{counts_in_words, point_in_words};
    let theme = warning.theme_id.and_then(|id| names.theme(id)).map_or("a theme", |theme| theme.name.as_str());
    let service = names.service(warning.service_id).map_or("a service", |service| service.name.as_str());
    let staff = warning.staff_id.map_or("Their staff", |id| names.staff(id));
    match (&warning.finding, warning.kind) {
        (Finding::Checks, WarningKind::RepeatedWeak) => format!(
            "{staff} had {} weak checks on {theme} in the last 28 days, and no cycle is open for them on it.",
            warning.check_ids.len()
        ),
        (Finding::Checks, _) => {
            format!("{staff}: a check on {theme} fell below the standard after the standard had been met.")
        }
        (Finding::LowerShare { group, others }, WarningKind::ObserverEffect) => format!(
            "Unannounced checks on {theme} at {service} met the standard clearly less often than announced ones over \
             the last 90 days (unannounced {}; announced {}).",
            counts_in_words(group),
            counts_in_words(others)
        ),
        (Finding::LowerShare { group, others }, _) => format!(
            "{} checks on {theme} at {service} met the standard clearly less often than the rest over the last 90 \
             days ({}; the rest {}).",
            group.label,
            counts_in_words(group),
            counts_in_words(others)
        ),
        (Finding::ChartPoint { point }, _) => format!(
            "{theme} at {service}: the latest month is a special cause of concern on its chart ({}).",
            point_in_words(point)
        ),
        (Finding::NotObserved { staff_ids, days }, _) => {
            // A long list is cut short: the warnings list links to everyone.
            let mut people: Vec<String> = staff_ids.iter().take(5).map(|id| names.staff(*id).to_owned()).collect();
            if staff_ids.len() > 5 {
                people.push(format!("{} others", staff_ids.len() - 5));
            }
            let count = match staff_ids.len() {
                1 => "1 member of staff has".to_owned(),
                n => format!("{n} staff have"),
            };
            format!(
                "At {service}, {count} not been observed on {theme} in the last {days} days (NICE QS123 asks for every \
                 3 months): {}.",
                join_in_words(&people)
            )
        }
        (Finding::Unchecked { shifts, weekends, days }, _) => {
            let mut missing: Vec<String> = shifts.iter().map(|kind| format!("{} shifts", kind.label())).collect();
            if *weekends {
                missing.push("weekends".to_owned());
            }
            format!("At {service}, no checks on any theme in the last {days} days on {}.", join_in_words(&missing))
        }
    }
}

/// The next step a warning offers beside acknowledging or dismissing it.
pub(crate) fn next_step(warning: &Warning) -> (String, &'static str) {
    let trend = match warning.theme_id {
        Some(theme) => format!("/trends?service={}&theme={theme}", warning.service_id),
        None => format!("/trends?service={}", warning.service_id),
    };
    match (warning.kind, warning.check_ids.last(), warning.cycle_id) {
        (WarningKind::Reversion, _, Some(cycle)) => (format!("/cycles/{cycle}"), "Open the cycle"),
        (_, Some(check), _) => (format!("/cycles/new?check={check}"), "Open an improvement cycle"),
        (WarningKind::CoverageGap, ..) => (trend, "See the coverage"),
        _ => (trend, "See the trend"),
    }
}

/// One warning; `deciding` opens its acknowledge and dismiss forms (one warning at a time, so
/// that each field on the page is the only one of its name).
fn warning_item(names: &Names, current: CurrentWarning, deciding: bool) -> impl IntoView + use<> {
    let warning = current.warning;
    let words = in_words(names, &warning);
    let (next_href, next_label) = next_step(&warning);
    let checks = warning
        .check_ids
        .iter()
        .enumerate()
        .map(|(index, id)| view! { " " <a href=format!("/checks/{id}")>{format!("check {}", index + 1)}</a> })
        .collect_view();
    let has_checks = !warning.check_ids.is_empty();
    let people = match &warning.finding {
        Finding::NotObserved { staff_ids, .. } => Some(
            staff_ids
                .iter()
                .map(|id| view! { <li><a href=format!("/trends/staff?staff={id}")>{names.staff(*id).to_owned()}</a></li> })
                .collect_view(),
        ),
        _ => None,
    };
    let decided = current.decision.map(|decision| {
        format!(
            "{} by {} on {}: {}",
            match decision.decision {
                Decision::Acknowledged => "Acknowledged",
                Decision::Dismissed => "Dismissed",
            },
            decision.decided_by.name,
            crate::pages::uk_time::wall_clock(decision.decided_at_ms, "Europe/London", "%-d %b %Y"),
            decision.note
        )
    });
    let open = decided.is_none();
    let (acknowledge_key, dismiss_key) = (warning.key.clone(), warning.key.clone());
    let decide_href =
        format!("/warnings?{}#decide", crate::form::query_string(&[("decide".to_owned(), warning.key.clone())]));
    view! {
        <li class="record">
            <div class="record__main">
                <h3 class="record__title">{warning.kind.label()}</h3>
                <p>{words}</p>
                {has_checks.then(|| view! { <p class="muted">"The checks behind it:" {checks}</p> })}
                {people.map(|people| view! { <p class="muted">"Their trends:"</p> <ul class="inline-list">{people}</ul> })}
                {decided.map(|text| view! { <p class="muted">{text}</p> })}
                <p><a class="button button--secondary" href=next_href>{next_label}</a></p>
                {(open && !deciding).then(|| view! {
                    <p><a href=decide_href>"Acknowledge or dismiss"</a></p>
                })}
                {(open && deciding).then(|| view! {
                    <div class="warning__decide" id="decide">
                        <SaveForm endpoint="warnings/decide" next="/warnings" submit_label="Acknowledge" cancel="/warnings">
                            <input type="hidden" name="key" value=acknowledge_key />
                            <input type="hidden" name="decision" value="acknowledged" />
                            <TextField name="note" label="What is being done" multiline=true />
                        </SaveForm>
                        <SaveForm endpoint="warnings/decide" next="/warnings" submit_label="Dismiss" quiet=true>
                            <input type="hidden" name="key" value=dismiss_key />
                            <input type="hidden" name="decision" value="dismissed" />
                            <TextField name="reason" label="Why it is not a concern" multiline=true />
                        </SaveForm>
                    </div>
                })}
            </div>
        </li>
    }
}

async fn render(actor: &Actor, deciding: &str) -> Result<Page, AppError> {
    let storage = crate::error::storage()?;
    if !actor.sees_warnings() {
        return Err(AppError::Forbidden);
    }
    let names = Names::load(actor).await?;
    let warnings = warnings_for(&storage, actor).await?.current;
    let dismissed = warnings
        .iter()
        .filter(|current| current.decision.as_ref().is_some_and(|d| d.decision == Decision::Dismissed))
        .count();
    let (open, acknowledged): (Vec<_>, Vec<_>) = warnings
        .into_iter()
        .filter(|current| current.decision.as_ref().is_none_or(|d| d.decision == Decision::Acknowledged))
        .partition(CurrentWarning::is_open);
    let open_count = open.len();
    let summary = match open_count {
        0 => "No warnings to act on.".to_owned(),
        1 => "1 warning to act on.".to_owned(),
        n => format!("{n} warnings to act on."),
    };
    let item = |current: CurrentWarning| {
        let this_one = current.warning.key == deciding;
        warning_item(&names, current, this_one)
    };
    let open_items = open.into_iter().map(item).collect_view();
    let acknowledged_items = (!acknowledged.is_empty()).then(|| {
        let items = acknowledged.into_iter().map(|current| warning_item(&names, current, false)).collect_view();
        view! { <h2>"Acknowledged"</h2> <ul class="record-list">{items}</ul> }
    });
    let dismissed_note = (dismissed > 0).then(|| {
        view! { <p class="muted">{format!("{dismissed} dismissed, with their reasons in the audit trail.")}</p> }
    });
    let body = view! {
        <p>{summary}</p>
        <ul class="record-list">{open_items}</ul>
        {acknowledged_items}
        {dismissed_note}
    };
    crate::pages::admin::page(
        "Warnings",
        Some(
            "What the checks, cycles and charts show that needs acting on, worked out afresh from the records. A \
             new weak check, reversion or month raises a warning again.",
        ),
        body,
    )
    .await
}
