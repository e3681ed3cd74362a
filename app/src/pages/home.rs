//! The recorder's page: the spot-check recorder first (it runs in the browser, from data kept on
//! the device, so it works offline); then the provider at a glance, its services and rotas, and
//! the practice themes, rendered on the server. It is the home page of everyone but managers.

use crate::error::AppError;
use crate::pages::ServerPage;
use leptos::prelude::*;

/// Home: a manager's dashboard for those who act on warnings (`crate::pages::dashboard`), the
/// recorder for everyone else.
#[component]
pub fn HomePage() -> impl IntoView {
    let load = async move {
        let actor = crate::auth::require_actor().await?;
        if actor.sees_warnings() {
            crate::pages::dashboard::render(&actor).await
        } else {
            recorder_page(&actor, "Home").await
        }
    };
    view! { <ServerPage load /> }
}

/// The recorder, for everyone who records checks; a manager's home page links here.
#[component]
pub fn RecorderPage() -> impl IntoView {
    let load = async move { recorder_page(&crate::auth::require_actor().await?, "Record a spot check").await };
    view! { <ServerPage load /> }
}

/// Tells the service worker that this response is the recorder, the one page it keeps for
/// offline use (`server/src/offline/sw.js`); its value names the page in the worker's terms.
pub const KEPT_PAGE_HEADER: &str = "x-recheck-kept-page";

async fn recorder_page(actor: &crate::domain::access::Actor, title: &str) -> Result<crate::pages::Page, AppError> {
    crate::auth::authorise(actor, crate::domain::access::Action::ViewProviderOverview)?;
    let storage = crate::error::storage()?;
    let first_step = first_step(&storage, actor).await?;
    let organisation = storage.organisation.details().await?;
    let services =
        storage.organisation.service_summaries().await?.into_iter().filter(|summary| actor.covers(summary.service.id));
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response
            .insert_header(http::HeaderName::from_static(KEPT_PAGE_HEADER), http::HeaderValue::from_static("recorder"));
    }
    Ok(overview::render(title, first_step, organisation.name, services.collect(), storage.organisation.themes().await?))
}

/// The recorder's first step as the browser will draw it once the recorder starts (from data
/// the device keeps), so the page does not move when it does.
async fn first_step(
    storage: &crate::storage::Storage,
    actor: &crate::domain::access::Actor,
) -> Result<String, AppError> {
    use crate::domain::recording::{RecentChoices, placement_of, rechecks_due, shift_began_ms, staff_in_order};
    use crate::domain::wall_clock::WallTime;
    use crate::recorder::server_drawn::{staff_choices, staff_step};
    let reference = crate::reference::reference_for(storage, actor).await?;
    let now = storage.now_ms();
    let placed: Vec<(uuid::Uuid, i64, crate::domain::shift::ShiftPlacement)> = reference
        .services
        .iter()
        .map(|service| {
            let zone = jiff::tz::TimeZone::get(&service.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
            let offset_at = |at_ms: i64| {
                jiff::Timestamp::from_millisecond(at_ms)
                    .map_or(0, |at| i64::from(zone.to_offset(at).seconds()).div_euclid(60))
            };
            let placement = placement_of(&service.shift_pattern, WallTime::at(now, offset_at));
            (service.id, shift_began_ms(&service.shift_pattern, now, offset_at), placement)
        })
        .collect();
    let shift_began = |service: uuid::Uuid| placed.iter().find(|(id, ..)| *id == service).map_or(now, |(_, at, _)| *at);
    let placement = |service: uuid::Uuid| placed.iter().find(|(id, ..)| *id == service).map(|(_, _, at)| *at);
    let ordered = staff_in_order(&reference, &RecentChoices::default(), "", shift_began, now);
    let due = rechecks_due(&reference, actor.user_id, "", placement);
    Ok(staff_step("", &staff_choices(&due, &ordered, &reference.services), None, None))
}

mod overview {
    use super::*;
    use crate::domain::theme::PracticeTheme;
    use crate::pages::Page;
    use crate::storage::ServiceSummary;

    pub fn render(
        title: &str,
        first_step: String,
        organisation: String,
        services: Vec<ServiceSummary>,
        themes: Vec<PracticeTheme>,
    ) -> Page {
        let no_services = services.is_empty();
        let body = view! {
            // The recorder (`crate::recorder`) takes over this step in the browser, from data kept
            // on the device so that it works offline; the server draws the same first step.
            <section id="recorder" class="recorder" aria-labelledby="recorder-title">
                <h1 id="recorder-title" tabindex="-1">"Record a spot check"</h1>
                <div id="recorder-body" inner_html=first_step></div>
                <noscript><p>"Recording checks needs JavaScript, which is switched off in this browser."</p></noscript>
            </section>
            <h2 class="overview-title">{organisation}</h2>
            <p class="lead">
                "Quick spot checks of staff practice, improvement cycles that follow a concern through to \
                 re-checks on every shift, and the evidence that the change held."
            </p>
            <p><a href="/checks">"See the checks recorded so far"</a></p>
            <section aria-labelledby="services-heading">
                <h3 id="services-heading">"Services"</h3>
                {no_services.then(|| view! {
                    <p>"No services yet. Run " <code>"recheck demo"</code> " to load a demonstration provider."</p>
                })}
                <ul class="card-grid">
                    {services.into_iter().map(service_card).collect_view()}
                </ul>
            </section>
            <section aria-labelledby="themes-heading">
                <h3 id="themes-heading">"Practice themes"</h3>
                <ul class="theme-list">
                    {themes.into_iter().map(|theme| view! {
                        <li>
                            <span class="theme-list__name">{theme.name}</span>
                            <span class="tag">{theme.kind.label()}</span>
                            <span class="muted">{format!("{} criteria", theme.criteria.len())}</span>
                        </li>
                    }).collect_view()}
                </ul>
                <p><a href="/themes">"See each theme's expected standard and criteria"</a></p>
            </section>
        };
        Page::new(title, body)
    }

    fn service_card(summary: ServiceSummary) -> impl IntoView {
        let service = summary.service;
        let weekend =
            service.shift_pattern.weekend_days().iter().map(|day| day.label()).collect::<Vec<_>>().join(" and ");
        let staff = match summary.active_staff {
            1 => "1 member of staff".to_owned(),
            count => format!("{count} staff"),
        };
        view! {
            <li class="card">
                <h4>{service.name}</h4>
                <p class="muted">{staff} " · " {service.time_zone}</p>
                <table class="shift-table">
                    <caption>"Shift pattern"</caption>
                    <thead><tr><th scope="col">"Shift"</th><th scope="col">"From"</th><th scope="col">"To"</th></tr></thead>
                    <tbody>
                        {service.shift_pattern.shifts().iter().map(|shift| view! {
                            <tr>
                                <th scope="row">{shift.kind.label()}</th>
                                <td>{shift.start.to_string()}</td>
                                <td>{shift.end.to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <p class="muted">"Weekend: " {if weekend.is_empty() { "none".to_owned() } else { weekend }}</p>
            </li>
        }
    }
}
