//! The practice themes page: each theme's expected standard, the CQC quality statements it
//! evidences, and its criteria with what 1 to 4 looks like. Rendered on the server; each
//! descriptor table folds away in a disclosure the browser opens without script.

use crate::pages::{Page, ServerPage};
use leptos::prelude::*;

#[component]
pub fn ThemesPage() -> impl IntoView {
    let load = async move {
        let actor = crate::auth::require_actor().await?;
        crate::auth::authorise(&actor, crate::domain::access::Action::ViewProviderOverview)?;
        let themes = crate::error::storage()?.organisation.themes().await?;
        Ok(Page::new(
            "Practice themes",
            view! {
                <h1>"Practice themes"</h1>
                <p class="lead">
                    "Each theme sets out the expected standard and the criteria a check rates on CQC's scale: \
                     1 significant shortfalls, 2 some shortfalls, 3 good, 4 exceptional."
                </p>
                {themes.into_iter().map(cards::theme_card).collect_view()}
            },
        ))
    };
    view! { <ServerPage load /> }
}

mod cards {
    use crate::domain::theme::{Criterion, PracticeTheme, SCALE_LABELS};
    use leptos::prelude::*;

    pub fn theme_card(theme: PracticeTheme) -> impl IntoView {
        let heading_id = format!("theme-{}", theme.id);
        let labelled_by = heading_id.clone();
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
                <details class="disclosure">
                    <summary class="button button--secondary">"What 1 to 4 looks like"</summary>
                    // Focusable so that keyboard users can scroll the wide table on a phone.
                    <div class="table-scroll" role="region" aria-label=descriptors_label tabindex="0">
                        {descriptor_table(theme.criteria)}
                    </div>
                </details>
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
