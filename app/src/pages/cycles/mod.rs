//! Improvement cycles (`docs/domain.md` §6): the list, opening one (from a weak check or by
//! hand), and one cycle's page, which shows the whole chain from concern to governance verdict
//! and holds the form for its next step. Rendered on the server; a person sees the cycles of
//! their own services, and each step's form only if the policy lets them take that step.

mod chain;
mod evidence;
mod open;
mod rule;

pub use chain::{
    keep_action, keep_governance_review, keep_reopening, keep_standard, record_action, reopen_cycle, review_cycle,
    set_standard, sustainment_rule_fields,
};
pub use open::{keep_opening, open_cycle};
pub use rule::{keep_sustainment_rule, save_sustainment_rule};

use crate::domain::access::{Action, Actor, Decision};
use crate::domain::audit::Author;
use crate::domain::cycle::{Awaiting, Cycle, Stage, Verdict};
use crate::error::AppError;
use crate::form::FormFields;
use crate::pages::checks::Names;
use crate::pages::{Page, Query, ServerPage, route_param};
use crate::storage::{CycleFilter, JudgedCycle, Storage};
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub fn CyclesPage() -> impl IntoView {
    let query = Query::of_this_page();
    let load = async move { list(&crate::auth::require_actor().await?, &query).await };
    view! { <ServerPage load /> }
}

#[component]
pub fn NewCyclePage() -> impl IntoView {
    let query = Query::of_this_page();
    let load = async move { open::render(&crate::auth::require_actor().await?, &query).await };
    view! { <ServerPage load /> }
}

#[component]
pub fn CyclePage() -> impl IntoView {
    let id = route_param("id");
    let load = async move {
        let actor = crate::auth::require_actor().await?;
        chain::render(&actor, Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?).await
    };
    view! { <ServerPage load /> }
}

#[component]
pub fn CycleEvidencePage() -> impl IntoView {
    let id = route_param("id");
    let load = async move {
        let actor = crate::auth::require_actor().await?;
        evidence::render(&actor, Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?).await
    };
    view! { <ServerPage load /> }
}

#[component]
pub fn SustainmentRulePage() -> impl IntoView {
    let query = Query::of_this_page();
    let load = async move { rule::render(&crate::auth::require_actor().await?, &query).await };
    view! { <ServerPage load /> }
}

/// A step taken on a cycle, by a form or through the API: which cycle, and what to tell the
/// person who took it.
#[derive(Clone, Copy, Debug)]
pub struct CycleChange {
    pub cycle_id: Uuid,
    pub notice: &'static str,
}

/// A form's step, taken by `keep` for the signed-in person, who is told what it did on the page
/// they go to; the cycle it changed.
async fn taken_by_form(
    fields: FormFields,
    keep: impl AsyncFnOnce(&Storage, &Actor, Author, &FormFields) -> Result<CycleChange, AppError>,
) -> Result<Uuid, AppError> {
    let (actor, author) = crate::auth::require_author().await?;
    let change = keep(&*crate::error::storage()?, &actor, author, &fields).await?;
    crate::pages::admin::saved(change.notice.to_owned()).await;
    Ok(change.cycle_id)
}

/// The cycles `actor` may see that match `filter`; a filter naming a service that is not theirs
/// is refused.
pub(crate) async fn visible_cycles(
    storage: &Storage,
    actor: &Actor,
    filter: CycleFilter,
) -> Result<Vec<Cycle>, AppError> {
    crate::storage::visible_cycles(storage, actor, filter).await?.ok_or(AppError::Forbidden)
}

/// The service `id`.
pub(crate) async fn service(storage: &Storage, id: Uuid) -> Result<crate::domain::organisation::Service, AppError> {
    Ok(crate::storage::service(storage, id).await?)
}

/// Who a cycle is about: "Dorota Nowak", or "Oak unit day staff (Dorota Nowak, Amir Khan)".
pub(crate) fn about(names: &Names, cycle: &Cycle) -> String {
    let staff: Vec<&str> = cycle.staff_ids.iter().map(|id| names.staff(*id)).collect();
    match &cycle.group_name {
        Some(group) => format!("{group} ({})", staff.join(", ")),
        None => staff.join(", "),
    }
}

/// The open cycles in `actor`'s services that wait for something they may give, with their
/// titles, for a manager's home page.
pub(crate) async fn awaiting(actor: &Actor, names: &Names) -> Result<Vec<(JudgedCycle, String, Awaiting)>, AppError> {
    let storage = crate::error::storage()?;
    let open = visible_cycles(&storage, actor, CycleFilter { open: Some(true), ..Default::default() }).await?;
    let mut waiting = Vec::new();
    for state in JudgedCycle::load_all(&storage, open).await? {
        let Some(step) = Awaiting::of(state.cycle.stage(), state.verdict().as_ref()) else { continue };
        if actor.may(step.permission(state.cycle.service_id)) == Decision::Allow {
            let title = title(names, &state.cycle);
            waiting.push((state, title, step));
        }
    }
    Ok(waiting)
}

/// "Dorota Nowak: Respectful communication during personal care"
pub(crate) fn title(names: &Names, cycle: &Cycle) -> String {
    let theme = names.theme(cycle.theme_id).map_or("A theme", |theme| theme.name.as_str());
    format!("{}: {theme}", about(names, cycle))
}

/// The verdict's tag and its class, for lists: improvement and concern in their colours.
pub(crate) fn verdict_tag(verdict: Option<&Verdict>, stage: Stage) -> (String, &'static str) {
    match verdict {
        Some(Verdict::Sustained) => ("Sustained".to_owned(), "tag tag--good"),
        Some(Verdict::Improving { .. }) => ("Improving".to_owned(), "tag"),
        Some(verdict @ (Verdict::NotImproved { .. } | Verdict::Reverted { .. })) => {
            (verdict.label().to_owned(), "tag tag--concern")
        }
        None => (stage.label().to_owned(), "tag tag--muted"),
    }
}

/// One cycle in a list: its title, verdict, where it stands and how many re-checks it rests on.
pub(crate) fn cycle_item(names: &Names, state: &JudgedCycle) -> impl IntoView + use<> {
    let verdict = state.verdict();
    let (tag, tag_class) = verdict_tag(verdict.as_ref(), state.cycle.stage());
    let owner = state
        .cycle
        .standard
        .as_ref()
        .map_or("No owner yet".to_owned(), |standard| format!("Owner {}", names.person(standard.owner_id)));
    let service = names.service(state.cycle.service_id).map_or("", |service| service.name.as_str()).to_owned();
    let rechecks = state.judgement.as_ref().map_or(0, |judgement| judgement.rechecks.len());
    let details = format!(
        "{service} · {} · opened {} · {owner} · {rechecks} re-check{}",
        state.cycle.stage().label(),
        state.cycle.opened_on.in_words(),
        if rechecks == 1 { "" } else { "s" }
    );
    let escalate = state.needs_escalation();
    view! {
        <li class="record">
            <div class="record__main">
                <h2 class="record__title">
                    <a href=format!("/cycles/{}", state.cycle.id)>{title(names, &state.cycle)}</a>
                    " " <span class=tag_class>{tag}</span>
                    {escalate.then(|| view! { " " <span class="tag tag--concern">"Needs escalation"</span> })}
                </h2>
                <p class="muted">{details}</p>
            </div>
        </li>
    }
}

/// The cycles `query` asks for (service, stage, verdict, owner, theme, staff member) of those
/// `actor` may see, judged, newest first: for the list and its spreadsheets.
pub async fn listed_cycles(storage: &Storage, actor: &Actor, query: &Query) -> Result<Vec<JudgedCycle>, AppError> {
    use crate::error::Validation;
    let mut validation = Validation::default();
    let mut id = |field: &str| match query.get(field).trim() {
        "" => None,
        raw => validation.check(field, Uuid::parse_str(raw).map_err(|_| "That is not one of the choices.")),
    };
    let (service_id, theme_id, staff_id, owner_id) = (id("service"), id("theme"), id("staff"), id("owner"));
    let stage = match query.get("stage") {
        "" => None,
        code => validation.check("stage", Stage::from_code(code).ok_or("That is not one of the choices.")),
    };
    let verdict = query.get("verdict").to_owned();
    validation.finish(Some(()))?;
    let filter = CycleFilter {
        service_ids: service_id.map(|service| vec![service]),
        open: stage.map(|stage| stage != Stage::Closed),
        owner_id,
        theme_id,
        staff_id,
    };
    let at_stage: Vec<_> = visible_cycles(storage, actor, filter)
        .await?
        .into_iter()
        .filter(|cycle| stage.is_none_or(|stage| cycle.stage() == stage))
        .collect();
    Ok(JudgedCycle::load_all(storage, at_stage)
        .await?
        .into_iter()
        .filter(|state| verdict.is_empty() || state.verdict().is_some_and(|judged| judged.code() == verdict))
        .collect())
}

async fn list(actor: &Actor, query: &Query) -> Result<Page, AppError> {
    use crate::components::form::FilterSelect;
    let storage = crate::error::storage()?;
    let names = Names::load(actor).await?;
    let states = listed_cycles(&storage, actor, query).await?;
    let services: Vec<(String, String)> =
        names.services.iter().map(|service| (service.id.to_string(), service.name.clone())).collect();
    let themes: Vec<(String, String)> =
        names.themes.iter().map(|theme| (theme.id.to_string(), theme.name.clone())).collect();
    let mut staff: Vec<(String, String)> =
        names.staff.iter().map(|(id, name)| (id.to_string(), name.clone())).collect();
    staff.sort_by(|a, b| a.1.cmp(&b.1));
    let mut owners: Vec<(String, String)> =
        names.people.iter().map(|(id, name)| (id.to_string(), name.clone())).collect();
    owners.sort_by(|a, b| a.1.cmp(&b.1));
    let stages: Vec<(String, String)> =
        Stage::ALL.iter().map(|stage| (stage.code().to_owned(), stage.label().to_owned())).collect();
    let verdicts: Vec<(String, String)> =
        Verdict::CODES.iter().map(|(code, label)| ((*code).to_owned(), (*label).to_owned())).collect();
    let may_open = names.services.iter().any(|service| actor.may(Action::OpenCycle(service.id)) == Decision::Allow);
    let count = states.len();
    let summary = match count {
        0 => "No cycles match.".to_owned(),
        1 => "1 cycle.".to_owned(),
        _ => format!("{count} cycles, newest first."),
    };
    let items = states.iter().map(|state| cycle_item(&names, state)).collect_view();
    let filters = crate::form::query_string(&query.0);
    let body = view! {
        {may_open.then(|| view! { <div class="toolbar"><a class="button" href="/cycles/new">"Open a cycle"</a></div> })}
        <form class="form filters" method="get" action="/cycles">
            <FilterSelect name="service" label="Service" all="All your services" choices=services chosen=query.get("service") />
            <FilterSelect name="stage" label="Stage" all="Any stage" choices=stages chosen=query.get("stage") />
            <FilterSelect name="verdict" label="Verdict" all="Any verdict" choices=verdicts chosen=query.get("verdict") />
            <FilterSelect name="owner" label="Owner" all="Anyone" choices=owners chosen=query.get("owner") />
            <FilterSelect name="theme" label="Practice theme" all="Any theme" choices=themes chosen=query.get("theme") />
            <FilterSelect name="staff" label="Staff member" all="Anyone" choices=staff chosen=query.get("staff") />
            <div class="form-actions">
                <button type="submit" class="button">"Show"</button>
                <a class="button button--secondary" href="/cycles">"Clear"</a>
            </div>
        </form>
        <p>{summary}</p>
        {(count > 0).then(|| view! {
            <p>
                "Download as a spreadsheet (CSV): " <a href=format!("/cycles/export.csv?{filters}") download="">"these cycles"</a>
                " · " <a href=format!("/cycles/actions.csv?{filters}") download="">"their actions"</a>
            </p>
        })}
        <ul class="record-list">{items}</ul>
    };
    crate::pages::admin::page(
        "Improvement cycles",
        Some("From a concern to the evidence that practice changed and stayed changed."),
        body,
    )
    .await
}
