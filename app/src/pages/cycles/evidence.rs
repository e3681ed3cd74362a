//! A cycle's evidence on one printable page (`docs/domain.md` §6, "The evidence page"): what an
//! inspector compares — the concern and what raised it, the expected standard, each action, each
//! re-check rated against the theme version it used, the verdict with the rule it was judged by,
//! and the governance conclusion — with the CQC quality statements and evidence categories it
//! supports, and who produced the page when. The steps are the cycle page's own, without forms;
//! the print styles in `style/main.css` lay it out on A4 without the navigation.

use super::chain::{self, ShownCycle};
use crate::domain::access::Actor;
use crate::domain::check::rated_criteria;
use crate::domain::cycle::evidence_categories;
use crate::error::AppError;
use crate::pages::Page;
use crate::pages::checks::check_details;
use leptos::prelude::*;
use uuid::Uuid;

pub async fn render(actor: &Actor, id: Uuid) -> Result<Page, AppError> {
    let ShownCycle { storage, state, names, users } = ShownCycle::load(actor, id).await?;
    let cycle = &state.cycle;
    let theme = names.theme(cycle.theme_id).ok_or(AppError::NotFound)?;
    let produced = format!(
        "Produced from the records in Recheck on {} by {}.",
        crate::pages::uk_time::wall_clock(storage.now_ms(), &state.service.time_zone, "%-d %B %Y at %H:%M"),
        names.person(actor.user_id)
    );
    let rechecks: Vec<_> = state.rechecks().map(|(_, check)| check).collect();
    let statements = theme
        .quality_statements
        .iter()
        .map(|statement| view! { <li>{format!("{}: {}", statement.key_question().label(), statement.title())}</li> })
        .collect_view();
    let categories = evidence_categories(cycle, theme.kind, rechecks.len())
        .into_iter()
        .map(|category| category.label())
        .collect::<Vec<_>>()
        .join(", ");
    let verdict = state.verdict_in_words();
    let ratings = rechecks
        .iter()
        .map(|check| {
            let criteria = rated_criteria(check, &names.versions).map(<[_]>::to_vec).unwrap_or_default();
            view! {
                <section class="evidence-recheck">
                    <h3>{format!("Re-check of {}", names.staff(check.check.staff_id))}</h3>
                    {check_details(&names, check, criteria)}
                </section>
            }
        })
        .collect_view();
    let no_rechecks = rechecks.is_empty().then(|| view! { <p class="muted">"No re-check yet."</p> });
    let back = format!("/cycles/{}", cycle.id);
    let body = view! {
        <p class="lead">{super::title(&names, cycle)}</p>
        <p class="evidence-produced">{produced}</p>
        <div class="toolbar no-print">
            <button type="button" class="button" data-print="" data-needs-script="">"Print or save as PDF"</button>
            <noscript><p class="muted">"Use your browser's Print command to print this page or save it as a PDF."</p></noscript>
            <a class="button button--secondary" href=back>"Back to the cycle"</a>
        </div>
        <section class="card step" aria-labelledby="summary">
            <h2 id="summary">"In summary"</h2>
            <dl class="check-details">
                <dt>"Service"</dt><dd>{state.service.name.clone()}</dd>
                <dt>"Staff"</dt><dd>{super::about(&names, cycle)}</dd>
                <dt>"Practice theme"</dt>
                <dd>{format!("{} (version {} when the concern was raised)", theme.name, cycle.theme_version)}</dd>
                <dt>"Where it stands"</dt><dd>{cycle.stage().label()}</dd>
                <dt>"Verdict"</dt><dd>{verdict}</dd>
                <dt>"Judged by the rule"</dt><dd>{cycle.rule.in_words()}</dd>
                <dt>"CQC quality statements"</dt><dd><ul class="plain-list">{statements}</ul></dd>
                <dt>"CQC evidence categories"</dt>
                <dd>{if categories.is_empty() { "None yet".to_owned() } else { categories }}</dd>
            </dl>
        </section>
        {chain::after_closing(&names, &state, false)}
        {chain::concern(&names, cycle)}
        {chain::standard_step(&names, &state, &users, false)}
        {chain::action_step(&names, &state, &users, actor, false)}
        {chain::recheck_step(&names, &state)}
        <section class="card step" aria-labelledby="ratings">
            <h2 id="ratings">"Each re-check as it was recorded"</h2>
            <p class="muted">"Every rating in the words of the theme version the observer rated against."</p>
            {no_rechecks}
            {ratings}
        </section>
        {chain::review_step(&state, Vec::new())}
        {chain::amendments(cycle)}
    };
    crate::pages::admin::page("Evidence of improvement", None, body).await
}
