//! The home page: for whoever records checks, the spot-check recorder first (it runs in the
//! browser, from data kept on the device, so it works offline); then the provider at a glance,
//! its services and rotas, and the practice themes, rendered on the server.

use crate::error::AppError;
use crate::pages::admin::{AdminHtml, RenderedPage};
use leptos::prelude::*;

#[server(prefix = "/fn", endpoint = "overview", input = leptos::server_fn::codec::Json)]
pub async fn home_page() -> Result<AdminHtml, AppError> {
    crate::error::respond(
        async move {
            let actor = crate::auth::require_actor().await?;
            crate::auth::authorise(&actor, crate::domain::access::Action::ViewProviderOverview)?;
            let storage = crate::error::storage()?;
            let organisation = storage.organisation.details().await?;
            let services = storage
                .organisation
                .service_summaries()
                .await?
                .into_iter()
                .filter(|summary| actor.covers(summary.service.id))
                .collect();
            Ok(overview::render(organisation.name, services, storage.organisation.themes().await?))
        }
        .await,
    )
}

#[component]
pub fn HomePage() -> impl IntoView {
    // The recorder's markup is the browser's (`crate::recorder`): the server sends a place for it.
    view! {
        <section id="recorder" class="recorder" aria-labelledby="recorder-title">
            <h1 id="recorder-title" tabindex="-1">"Record a spot check"</h1>
            <div id="recorder-body">
                <p class="loading" role="status">"Opening the check form…"</p>
                <noscript><p>"Recording checks needs JavaScript, which is switched off in this browser."</p></noscript>
            </div>
        </section>
        <RenderedPage rendered=Resource::new(|| (), |()| home_page()) />
    }
}

#[cfg(feature = "ssr")]
mod overview {
    use super::*;
    use crate::domain::theme::PracticeTheme;
    use crate::storage::ServiceSummary;
    use leptos::tachys::view::RenderHtml;

    pub fn render(organisation: String, services: Vec<ServiceSummary>, themes: Vec<PracticeTheme>) -> AdminHtml {
        let no_services = services.is_empty();
        let html = view! {
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
        }
        .to_html();
        AdminHtml { title: "Home".to_owned(), html }
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
