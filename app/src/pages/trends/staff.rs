//! One staff member's trend (`docs/domain.md` §7): theme by theme, their checks month by month,
//! before and after each cycle's first action, across shifts, weekends and announced or not,
//! and each criterion's ratings counted score by score. No control chart: one person rarely has
//! the checks for one, and their verdicts come from the sustainment rule.

use super::{comparison, figures_table, percent};
use crate::components::form::{FilterRefusals, messages_of};
use crate::domain::access::Actor;
use crate::domain::check::StoredCheck;
use crate::domain::cycle::Cycle;
use crate::domain::staff_trend::{before_and_after, by_circumstance, score_counts};
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
    // Months, newest first, each with how many of how many met the standard.
    let mut months: Vec<(String, u32, u32)> = Vec::new();
    for check in checks {
        let month = check.calendar.month.clone();
        match months.iter_mut().find(|(name, ..)| *name == month) {
            Some((_, met, all)) => {
                *met += u32::from(check.assessment.meets_standard);
                *all += 1;
            }
            None => months.push((month, u32::from(check.assessment.meets_standard), 1)),
        }
    }
    months.sort_by(|a, b| b.0.cmp(&a.0));
    let month_rows = months
        .into_iter()
        .map(|(month, met, all)| {
            view! {
                <tr>
                    <th scope="row">{crate::domain::check::Period::in_words(&month)}</th>
                    <td>{format!("{met} of {all}")}</td>
                    <td>{percent(f64::from(met) / f64::from(all))}</td>
                </tr>
            }
        })
        .collect_view();
    let actions: Vec<(Uuid, crate::domain::wall_clock::CalendarDate)> = cycles
        .iter()
        .filter(|cycle| cycle.theme_id == theme_id)
        .filter_map(|cycle| Some((cycle.id, cycle.actions.iter().map(|action| action.date).min()?)))
        .collect();
    let befores = actions
        .iter()
        .map(|(cycle, day)| {
            let groups = before_and_after(checks, *day);
            let heading = format!("Before and after the action of {}", day.in_words());
            let link = view! { <p><a href=format!("/cycles/{cycle}")>"The cycle"</a></p> };
            let key = format!("before-after-{cycle}");
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
    view! {
        <section class="trend" aria-labelledby=labelled_by>
            <h2 id=heading_id>{theme_name.to_owned()}</h2>
            {figures_table(format!("{theme_name}: month by month"), Some("Month by month"), vec!["Month", "Met the standard", "Share"], month_rows)}
            {befores}
            {comparison(&shifts, &format!("{id}-shifts"), &format!("{theme_name}: each shift type beside the others"), "shift")}
            {comparison(&weekends, &format!("{id}-weekends"), &format!("{theme_name}: weekdays beside weekends"), "weekday or weekend")}
            {comparison(&announced, &format!("{id}-announced"), &format!("{theme_name}: announced beside unannounced"), "kind of check")}
            {figures_table(
                format!("{theme_name}: each criterion's ratings"),
                Some("Each criterion's ratings, counted (never averaged)"),
                vec!["Criterion", "1", "2", "3", "4", "N/A"],
                criteria_rows,
            )}
        </section>
    }
}
