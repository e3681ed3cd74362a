//! One staff member's trend (`docs/domain.md` §7): theme by theme, their checks month by month on
//! a time line with every action of their cycles marked, each criterion month by month, before
//! and after each action, across shifts, weekends and announced or not,
//! and each criterion's ratings counted score by score. No control chart: one person rarely has
//! the checks for one, and their verdicts come from the sustainment rule.

use super::chart::MarkOnLine;
use super::{comparison, figures_table, percent};
use crate::components::form::{FilterRefusals, messages_of};
use crate::domain::access::Actor;
use crate::domain::check::{Period, StoredCheck, calendar_of_day};
use crate::domain::cycle::{Cycle, CycleAction};
use crate::domain::staff_trend::{MonthOnTheLine, before_and_after, by_circumstance, score_counts, time_line};
use crate::error::{AppError, Validation};
use crate::pages::checks::Names;
use crate::pages::{Page, Query, ServerPage, uk_time};
use crate::storage::CycleFilter;
use leptos::prelude::*;
use uuid::Uuid;

/// Most checks of one person the page reads: years of weekly checks.
const CHECKS_PER_PERSON: u32 = 5_000;

#[component]
pub fn StaffTrendPage() -> impl IntoView {
    let query = Query::of_this_page();
    let load = async move { render(&crate::auth::require_actor().await?, &query).await };
    view! { <ServerPage load /> }
}

async fn render(actor: &Actor, query: &Query) -> Result<Page, AppError> {
    let storage = crate::error::storage()?;
    let names = Names::load(actor).await?;
    let services: Vec<Uuid> = super::trend_services(&names, actor).into_iter().map(|(id, _)| id).collect();
    if services.is_empty() {
        return Err(AppError::Forbidden);
    }
    let members = storage.organisation.staff_members(None).await?;
    let theirs: Vec<_> =
        members.iter().filter(|member| member.service_ids.iter().any(|service| services.contains(service))).collect();
    let mut choices: Vec<(String, String)> =
        theirs.iter().map(|member| (member.id.to_string(), member.name.clone())).collect();
    choices.sort_by(|a, b| a.1.cmp(&b.1));
    let filters = view! {
        <form class="form filters" method="get" action="/trends/staff">
            <crate::components::form::FilterSelect name="staff" label="Staff member" all="Choose someone" choices=choices chosen=query.get("staff") />
            <crate::components::form::FilterDatesAndButtons from=query.get("from") to=query.get("to") clear_href="/trends/staff" />
        </form>
    };
    let lead = Some(
        "One person's checks theme by theme: before and after each action, across shifts and announced or not, \
         and every criterion's ratings counted. Differences count only when their 95% intervals do not overlap.",
    );
    let mut validation = Validation::default();
    let staff = match query.get("staff").trim() {
        "" => None,
        raw => validation.check("staff", Uuid::parse_str(raw).map_err(|_| "That is not one of the choices.")),
    };
    let (from_ms, to_ms) = uk_time::day_range(query.get("from"), query.get("to"), &mut validation);
    if let Some(from_ms) = from_ms {
        super::refuse_over_ten_years(from_ms, to_ms.unwrap_or_else(|| storage.now_ms()), &mut validation);
    }
    let staff = match validation.finish(Some(staff)) {
        Ok(Some(staff)) => staff,
        Ok(None) => {
            let hint = view! { <p>"Choose a staff member to see their trend."</p> };
            return crate::pages::admin::page("A staff member's trend", lead, view! { {filters} {hint} }).await;
        }
        Err(AppError::Invalid(errors)) => {
            let messages = view! { <FilterRefusals messages=messages_of(errors) /> };
            return crate::pages::admin::page("A staff member's trend", lead, view! { {filters} {messages} }).await;
        }
        Err(error) => return Err(error),
    };
    let Some(member) = theirs.iter().find(|member| member.id == staff) else {
        // Someone unknown, or in none of this person's services: the same answer for both.
        crate::pages::set_status(http::StatusCode::NOT_FOUND);
        let messages =
            view! { <FilterRefusals messages=vec!["That is not a staff member of your services.".to_owned()] /> };
        return crate::pages::admin::page("A staff member's trend", lead, view! { {filters} {messages} }).await;
    };
    let filter = crate::domain::check::CheckFilter {
        service_ids: Some(services.clone()),
        staff_id: Some(member.id),
        from_ms,
        to_ms,
        limit: CHECKS_PER_PERSON,
        ..Default::default()
    };
    let checks = storage.checks.checks(&filter).await?;
    let cycles = storage
        .cycles
        .cycles(&CycleFilter { service_ids: Some(services), staff_id: Some(member.id), ..Default::default() })
        .await?;
    let summary = match checks.len() {
        0 => format!("No checks of {} in this range.", member.name),
        1 => format!("1 check of {}.", member.name),
        n => format!("{n} checks of {}, newest first in each table.", member.name),
    };
    let sections = names
        .themes
        .iter()
        .filter_map(|theme| {
            let on_theme: Vec<&StoredCheck> = checks.iter().filter(|check| check.check.theme_id == theme.id).collect();
            (!on_theme.is_empty()).then(|| theme_section(&names, &theme.name, theme.id, &on_theme, &cycles))
        })
        .collect_view();
    let their_checks = format!("/checks?staff={}", member.id);
    let title = format!("{}'s trend", member.name);
    let cycle_count = cycles.len();
    let their_cycles = crate::storage::JudgedCycle::load_all(&storage, cycles)
        .await?
        .iter()
        .map(|state| crate::pages::cycles::cycle_item(&names, state))
        .collect_view();
    let cycles_heading = format!("Improvement cycles about {} ({cycle_count})", member.name);
    let body = view! {
        {filters}
        <p>{summary} " " <a href=their_checks>"See the checks"</a></p>
        <section class="card" aria-labelledby="their-cycles">
            <h2 id="their-cycles">{cycles_heading}</h2>
            {(cycle_count == 0).then(|| view! { <p class="muted">"None: no cycle has been opened about them."</p> })}
            <ul class="record-list">{their_cycles}</ul>
        </section>
        {sections}
    };
    crate::pages::admin::page(&title, lead, body).await
}

fn theme_section(
    names: &Names,
    theme_name: &str,
    theme_id: Uuid,
    checks: &[&StoredCheck],
    cycles: &[Cycle],
) -> impl IntoView + use<> {
    let id = format!("theme-{theme_id}");
    // Every action of every cycle on the theme, oldest first: each is marked and compared.
    let mut actions: Vec<(Uuid, &CycleAction)> = cycles
        .iter()
        .filter(|cycle| cycle.theme_id == theme_id)
        .flat_map(|cycle| cycle.actions.iter().map(move |action| (cycle.id, action)))
        .collect();
    actions.sort_by_key(|(_, action)| action.date);
    let action_words = |action: &CycleAction| format!("{}, {}", action.kind.label(), action.date.in_words());
    let until = actions.last().map(|(_, action)| calendar_of_day(action.date).month);
    let line = time_line(checks, until.as_deref());
    let marks: Vec<MarkOnLine> =
        actions.iter().map(|(_, action)| MarkOnLine { on: action.date, words: action_words(action) }).collect();
    let summary = line_in_words(theme_name, &line, &marks);
    let picture = super::chart::time_line_svg(
        &line,
        &marks,
        &format!("{id}-line"),
        &format!("{theme_name}: month by month"),
        &summary,
    );
    let in_month = |action: &CycleAction, month: &MonthOnTheLine| action.date.to_string().starts_with(&month.month);
    // Tables newest first, leaving out months with neither checks nor actions.
    let shown: Vec<&MonthOnTheLine> = line
        .iter()
        .rev()
        .filter(|month| month.checks > 0 || actions.iter().any(|(_, action)| in_month(action, month)))
        .collect();
    let month_rows = shown
        .iter()
        .map(|month| {
            let done: Vec<String> = actions
                .iter()
                .filter(|(_, action)| in_month(action, month))
                .map(|(_, action)| action_words(action))
                .collect();
            let share = if month.checks == 0 {
                "—".to_owned()
            } else {
                percent(f64::from(month.met) / f64::from(month.checks))
            };
            view! {
                <tr>
                    <th scope="row">{Period::in_words(&month.month)}</th>
                    <td>{format!("{} of {}", month.met, month.checks)}</td>
                    <td>{share}</td>
                    <td>{if done.is_empty() { "—".to_owned() } else { done.join("; ") }}</td>
                </tr>
            }
        })
        .collect_view();
    let criteria: Vec<Uuid> = line
        .first()
        .map(|month| month.criteria.iter().map(|criterion| criterion.criterion_id).collect())
        .unwrap_or_default();
    let mut criterion_headings = vec!["Month".to_owned()];
    criterion_headings.extend(criteria.iter().map(|criterion| names.criterion_title(theme_id, *criterion)));
    let criterion_rows = shown
        .iter()
        .filter(|month| month.checks > 0)
        .map(|month| {
            let cells = month
                .criteria
                .iter()
                .map(|criterion| {
                    let text = match criterion.rated {
                        0 => "Not rated".to_owned(),
                        rated => format!("{} of {rated}", criterion.good),
                    };
                    view! { <td>{text}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{Period::in_words(&month.month)}</th>{cells}</tr> }
        })
        .collect_view();
    let befores = actions
        .iter()
        .map(|(cycle, action)| {
            let groups = before_and_after(checks, action.date);
            let heading =
                format!("Before and after the {} of {}", action.kind.label().to_lowercase(), action.date.in_words());
            let link = view! { <p><a href=format!("/cycles/{cycle}")>"The cycle"</a></p> };
            let key = format!("before-after-{}", action.id);
            view! { {comparison(&groups, &key, &heading, "period")} {link} }
        })
        .collect_view();
    let [shifts, weekends, announced] = by_circumstance(checks);
    let criteria_rows = score_counts(checks)
        .into_iter()
        .map(|counts| {
            let [one, two, three, four] = counts.by_score;
            view! {
                <tr>
                    <th scope="row">{names.criterion_title(theme_id, counts.criterion_id)}</th>
                    <td>{one}</td>
                    <td>{two}</td>
                    <td>{three}</td>
                    <td>{four}</td>
                    <td>{counts.not_applicable}</td>
                </tr>
            }
        })
        .collect_view();
    let heading_id = format!("{id}-heading");
    let labelled_by = heading_id.clone();
    let picture_label = format!("{theme_name}: the time line");
    view! {
        <section class="trend" aria-labelledby=labelled_by>
            <h2 id=heading_id>{theme_name.to_owned()}</h2>
            <p>{summary}</p>
            <figure class="chart-figure" tabindex="0" aria-label=picture_label inner_html=picture></figure>
            {figures_table(
                format!("{theme_name}: month by month"),
                Some("Month by month, with the actions taken"),
                vec!["Month", "Met the standard", "Share", "Actions"],
                month_rows,
            )}
            {figures_table(
                format!("{theme_name}: each criterion month by month"),
                Some("Each criterion month by month: ratings of 3 or 4, of those rated (N/A left out)"),
                criterion_headings,
                criterion_rows,
            )}
            {befores}
            {comparison(&shifts, &format!("{id}-shifts"), &format!("{theme_name}: each shift type beside the others"), "shift")}
            {comparison(&weekends, &format!("{id}-weekends"), &format!("{theme_name}: weekdays beside weekends"), "weekday or weekend")}
            {comparison(&announced, &format!("{id}-announced"), &format!("{theme_name}: announced beside unannounced"), "kind of check")}
            {figures_table(
                format!("{theme_name}: each criterion's ratings"),
                Some("Each criterion's ratings over the whole range, counted (never averaged)"),
                vec!["Criterion", "1", "2", "3", "4", "N/A"],
                criteria_rows,
            )}
        </section>
    }
}

/// What a person's time line on a theme shows, in words: for the page, and as the picture's
/// description.
fn line_in_words(theme_name: &str, line: &[MonthOnTheLine], marks: &[MarkOnLine]) -> String {
    let (checks, met) = line.iter().fold((0, 0), |(checks, met), month| (checks + month.checks, met + month.met));
    let (Some(first), Some(last)) = (line.first(), line.last()) else {
        return format!("No checks on {theme_name} in this range.");
    };
    let mut words = format!(
        "{theme_name}, {} to {}: {met} of {checks} checks met the standard ({}).",
        Period::in_words(&first.month),
        Period::in_words(&last.month),
        percent(f64::from(met) / f64::from(checks.max(1)))
    );
    if let Some(latest) = line.iter().rev().find(|month| month.checks > 0) {
        words.push_str(&format!(
            " Latest month with checks, {}: {} of {}.",
            Period::in_words(&latest.month),
            latest.met,
            latest.checks
        ));
    }
    match marks {
        [] => words.push_str(" No cycle's action is marked."),
        marks => words.push_str(&format!(
            " Marked: {}.",
            crate::domain::cycle::join_in_words(&marks.iter().map(|mark| mark.words.clone()).collect::<Vec<_>>())
        )),
    }
    words
}
