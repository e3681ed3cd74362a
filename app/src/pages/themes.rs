//! The practice themes page: each theme's expected standard, the CQC quality statements it
//! evidences, and its criteria with what 1 to 4 looks like. Rendered on the server; the
//! descriptor tables open with the enhancer's generic toggle.

use crate::error::AppError;
use crate::pages::admin::{AdminHtml, RenderedPage};
use leptos::prelude::*;

#[server(prefix = "/fn", endpoint = "themes", input = leptos::server_fn::codec::Json)]
pub async fn themes_page() -> Result<AdminHtml, AppError> {
    crate::error::respond(
        async move {
            use leptos::tachys::view::RenderHtml;
            let actor = crate::auth::require_actor().await?;
            crate::auth::authorise(&actor, crate::domain::access::Action::ViewProviderOverview)?;
            let themes = crate::error::storage()?.organisation.themes().await?;
            let html = view! {
                <h1>"Practice themes"</h1>
                <p class="lead">
                    "Each theme sets out the expected standard and the criteria a check rates on CQC's scale: \
                     1 significant shortfalls, 2 some shortfalls, 3 good, 4 exceptional."
                </p>
                {themes.into_iter().map(cards::theme_card).collect_view()}
            }
            .to_html();
            Ok(AdminHtml { title: "Practice themes".to_owned(), html })
        }
        .await,
    )
}

#[component]
pub fn ThemesPage() -> impl IntoView {
    view! { <RenderedPage rendered=Resource::new(|| (), |()| themes_page()) /> }
}

#[cfg(feature = "ssr")]
mod cards {
    use crate::domain::theme::{Criterion, PracticeTheme, SCALE_LABELS};
    use leptos::prelude::*;

    pub fn theme_card(theme: PracticeTheme) -> impl IntoView {
        let table_id = format!("descriptors-{}", theme.id);
        let heading_id = format!("theme-{}", theme.id);
        let labelled_by = heading_id.clone();
        let controls = table_id.clone();
        let toggles = table_id.clone();
        let descriptors_label = format!("What 1 to 4 looks like: {}", theme.name);
        view! {
            <article class="card theme-card" aria-labelledby=labelled_by>
                <h2 id=heading_id>{theme.name}</h2>
                <p><span class="tag">{theme.kind.label()}</span></p>
                <h3>"Expected standard"</h3>
                <p>{theme.expected_standard}</p>
                <h3>"CQC quality statements"</h3>
                <ul class="statement-list">
                    {theme.quality_statements.into_iter().map(|statement| view! {
                        <li><span class="muted">{statement.key_question().label()} ": "</span>{statement.title()}</li>
                    }).collect_view()}
                </ul>
                <h3>"Criteria"</h3>
                <ul class="criterion-list">
                    {theme.criteria.iter().map(|criterion| view! { <li>{criterion.title.clone()}</li> }).collect_view()}
                </ul>
                <button
                    type="button"
                    class="button button--secondary"
                    aria-controls=controls
                    aria-expanded="false"
                    data-toggle=toggles
                    data-label-open="Hide what 1 to 4 looks like"
                    data-label-closed="Show what 1 to 4 looks like"
                >
                    "Show what 1 to 4 looks like"
                </button>
                // Focusable so that keyboard users can scroll the wide table on a phone.
                <div id=table_id class="table-scroll" role="region" aria-label=descriptors_label tabindex="0" hidden>
                    {descriptor_table(theme.criteria)}
                </div>
            </article>
        }
    }

    fn descriptor_table(criteria: Vec<Criterion>) -> impl IntoView {
        view! {
            <table class="descriptor-table">
                <thead>
                    <tr>
                        <th scope="col">"Criterion"</th>
                        {SCALE_LABELS.iter().enumerate().map(|(index, label)| view! {
                            <th scope="col">{format!("{} · {label}", index + 1)}</th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {criteria.into_iter().map(|criterion| view! {
                        <tr>
                            <th scope="row">{criterion.title}</th>
                            {criterion.descriptors.into_iter().map(|text| view! { <td>{text}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
    }
}
