//! The home page: the provider at a glance, its services and rotas, and the practice themes.

use crate::components::failure::Failure;
use crate::domain::organisation::Service;
use crate::domain::theme::CheckKind;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub organisation: String,
    pub services: Vec<ServiceOverview>,
    pub themes: Vec<ThemeHeadline>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceOverview {
    pub service: Service,
    pub active_staff: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThemeHeadline {
    pub name: String,
    pub kind: CheckKind,
    pub criteria: usize,
}

#[server(prefix = "/fn", endpoint = "overview", input = leptos::server_fn::codec::Json)]
pub async fn load_overview() -> Result<Overview, AppError> {
    crate::error::respond(
        async move {
            let actor = crate::auth::require_actor().await?;
            crate::auth::authorise(&actor, crate::domain::access::Action::ViewProviderOverview)?;
            let storage = crate::error::storage()?;
            let organisation = storage.organisation().await?;
            let services = storage
                .service_summaries()
                .await?
                .into_iter()
                .filter(|summary| actor.covers(summary.service.id))
                .map(|summary| ServiceOverview { service: summary.service, active_staff: summary.active_staff })
                .collect();
            let themes = storage
                .themes()
                .await?
                .into_iter()
                .map(|theme| ThemeHeadline { name: theme.name, kind: theme.kind, criteria: theme.criteria.len() })
                .collect();
            Ok(Overview { organisation: organisation.name, services, themes })
        }
        .await,
    )
}

#[component]
pub fn HomePage() -> impl IntoView {
    let overview = OnceResource::new(load_overview());
    view! {
        <Title text="Home" />
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading your services…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! { <OverviewView overview /> }.into_any(),
                    Err(error) => view! { <Failure error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OverviewView(overview: Overview) -> impl IntoView {
    let no_services = overview.services.is_empty();
    view! {
        <h1>{overview.organisation}</h1>
        <p class="lead">
            "Quick spot checks of staff practice, improvement cycles that follow a concern through to \
             re-checks on every shift, and the evidence that the change held."
        </p>
        <section aria-labelledby="services-heading">
            <h2 id="services-heading">"Services"</h2>
            {no_services.then(|| view! {
                <p>"No services yet. Run " <code>"recheck demo"</code> " to load a demonstration provider."</p>
            })}
            <ul class="card-grid">
                {overview.services.into_iter().map(|entry| view! { <ServiceCard entry /> }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="themes-heading">
            <h2 id="themes-heading">"Practice themes"</h2>
            <ul class="theme-list">
                {overview.themes.into_iter().map(|theme| view! {
                    <li>
                        <span class="theme-list__name">{theme.name}</span>
                        <span class="tag">{theme.kind.label()}</span>
                        <span class="muted">{format!("{} criteria", theme.criteria)}</span>
                    </li>
                }).collect_view()}
            </ul>
            <p><A href="/themes">"See each theme's expected standard and criteria"</A></p>
        </section>
    }
}

#[component]
fn ServiceCard(entry: ServiceOverview) -> impl IntoView {
    let service = entry.service;
    let weekend = service.shift_pattern.weekend_days().iter().map(|day| day.label()).collect::<Vec<_>>().join(" and ");
    let staff = match entry.active_staff {
        1 => "1 member of staff".to_owned(),
        count => format!("{count} staff"),
    };
    view! {
        <li class="card">
            <h3>{service.name}</h3>
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
