//! A manager's home page (`docs/domain.md` §8): for those who act on warnings, what needs them
//! today: the warnings to act on, the cycles waiting for a step they may take, the gaps in
//! observation, the reviews due or overdue, checks held on devices for longer than a shift, and each of their services'
//! themes at a glance with what its chart says. The
//! recorder stays one tap away, at `/record`.

use crate::domain::access::Actor;
use crate::domain::account::User;
use crate::domain::check::{calendar_of_day, date_in_zone};
use crate::domain::organisation::Service;
use crate::domain::outbox::DeviceReport;
use crate::domain::spc::{Chart, Variation};
use crate::domain::warning::{Warning, WarningKind};
use crate::error::AppError;
use crate::pages::Page;
use crate::pages::checks::Names;
use crate::pages::reviews::StatusFor;
use crate::pages::trends::{figures_table, percent, variation_tag};
use crate::pages::warnings::{in_words, next_step};
use crate::storage::{CurrentWarning, Storage, ThemeChart};
use leptos::prelude::*;
use uuid::Uuid;

/// How many warnings the home page lists before pointing to the rest.
const SHOWN: usize = 6;

pub async fn render(actor: &Actor) -> Result<Page, AppError> {
    let storage = crate::error::storage()?;
    let names = Names::load(actor).await?;
    let warnings = crate::pages::warnings::warnings_for(&storage, actor).await?;
    let cycles = crate::pages::cycles::awaiting(actor, &names).await?;
    let (coverage, to_act): (Vec<CurrentWarning>, Vec<CurrentWarning>) = warnings
        .current
        .into_iter()
        .filter(CurrentWarning::is_open)
        .partition(|current| current.warning.kind == WarningKind::CoverageGap);
    let to_act = warning_section(&names, "act", "Warnings to act on", "No warnings to act on.", to_act);
    let coverage = warning_section(
        &names,
        "coverage",
        "Gaps in observation",
        "Everyone has been observed on every theme in the last 3 months, and every shift checked in the last 4 weeks.",
        coverage,
    );
    let cycle_items = cycles
        .into_iter()
        .map(|(state, title, step)| {
            let (tag, class) = crate::pages::cycles::verdict_tag(state.verdict().as_ref(), state.cycle.stage());
            view! {
                <li>
                    <a href=format!("/cycles/{}", state.cycle.id)>{title}</a>
                    " " <span class=class>{tag}</span>
                    <br /><span class="muted">{step.in_words()}</span>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let cycles = if cycle_items.is_empty() {
        view! { <p>"No cycle is waiting for you."</p> }.into_any()
    } else {
        view! { <ul class="dashboard__list">{cycle_items}</ul> }.into_any()
    };
    let reviews = reviews_panel(actor, crate::pages::reviews::reviews_for(&storage, actor).await?);
    let devices = devices_holding_checks(&storage, actor).await?;
    let glances = names
        .services
        .iter()
        .filter_map(|service| {
            let charts: Vec<&ThemeChart> =
                warnings.charts.iter().filter(|chart| chart.service_id == service.id).collect();
            let month = calendar_of_day(date_in_zone(&service.time_zone, storage.now_ms())).month;
            (!charts.is_empty()).then(|| themes_at_a_glance(&names, service.id, &service.name, &month, &charts))
        })
        .collect_view();
    let body = view! {
        <div class="dashboard__top">
            <h1>"What needs you"</h1>
            <a class="button" href="/record">"Record a spot check"</a>
        </div>
        <div role="status" class="notice-area"></div>
        <div class="dashboard">
            {to_act}
            <section class="dashboard__panel" aria-labelledby="cycles-heading">
                <h2 id="cycles-heading">"Cycles waiting for you"</h2>
                {cycles}
                <p><a href="/cycles">"All cycles"</a></p>
            </section>
            {reviews}
            {coverage}
            {devices}
        </div>
        {glances}
    };
    Ok(Page::new("Home", body))
}

/// The reviews overdue that the person sees, and those due that fall to them, overdue first,
/// each with a link to record it where they may.
fn reviews_panel(actor: &Actor, statuses: Vec<StatusFor>) -> impl IntoView + use<> {
    use crate::domain::access::{Action, Decision};
    use crate::pages::reviews::{record_href, status_in_words};
    let mut waiting: Vec<(bool, StatusFor)> = statuses
        .into_iter()
        .filter_map(|item| {
            let mine = actor.may(Action::RecordReview(item.service.id, item.status.cadence.kind)) == Decision::Allow;
            let due_to_me = mine && item.status.current.is_some() && !item.status.current_done;
            (!item.status.overdue.is_empty() || due_to_me).then_some((mine, item))
        })
        .collect();
    waiting.sort_by_key(|(_, item)| item.status.overdue.is_empty());
    let count = waiting.len();
    let items =
        waiting
            .into_iter()
            .take(SHOWN)
            .map(|(mine, item)| {
                let kind = item.status.cadence.kind;
                // The oldest period still open first, so a late review catches up in order.
                let record =
                    item.status.open_periods().first().filter(|_| mine).map(
                        |period| view! { " " <a href=record_href(item.service.id, kind, *period)>"Record it"</a> },
                    );
                view! {
                    <li>
                        <strong>{format!("{} at {}", kind.label(), item.service.name)}</strong>
                        ": " {status_in_words(&item.status)} {record}
                    </li>
                }
            })
            .collect::<Vec<_>>();
    let heading = match count {
        0 => "Reviews due or overdue".to_owned(),
        n => format!("Reviews due or overdue ({n})"),
    };
    view! {
        <section class="dashboard__panel" aria-labelledby="reviews-heading">
            <h2 id="reviews-heading">{heading}</h2>
            {if items.is_empty() {
                view! { <p>"Every review is up to date."</p> }.into_any()
            } else {
                view! { <ul class="dashboard__list">{items}</ul> }.into_any()
            }}
            <p><a href="/reviews">"All reviews"</a></p>
        </section>
    }
}

/// A panel of warnings: the first few in words, each with its next step, and a link to the rest.
fn warning_section(
    names: &Names,
    id: &str,
    heading: &str,
    none: &str,
    warnings: Vec<CurrentWarning>,
) -> impl IntoView + use<> {
    let heading_id = format!("{id}-heading");
    let labelled_by = heading_id.clone();
    let count = warnings.len();
    let items =
        warnings.into_iter().take(SHOWN).map(|current| warning_line(names, &current.warning)).collect::<Vec<_>>();
    let more = match count {
        0 => None,
        n if n > SHOWN => Some(format!("All {n} on the warnings page")),
        _ => Some("Acknowledge or dismiss them on the warnings page".to_owned()),
    };
    let heading = match count {
        0 => heading.to_owned(),
        n => format!("{heading} ({n})"),
    };
    view! {
        <section class="dashboard__panel" aria-labelledby=labelled_by>
            <h2 id=heading_id>{heading}</h2>
            {if items.is_empty() {
                view! { <p>{none.to_owned()}</p> }.into_any()
            } else {
                view! { <ul class="dashboard__list">{items}</ul> }.into_any()
            }}
            {more.map(|more| view! { <p><a href="/warnings">{more}</a></p> })}
        </section>
    }
}

fn warning_line(names: &Names, warning: &Warning) -> impl IntoView + use<> {
    let (next_href, next_label) = next_step(warning);
    let trend = warning.staff_id.map(|staff| {
        let href = match warning.theme_id {
            Some(theme) => format!("/trends/staff?staff={staff}#theme-{theme}-heading"),
            None => format!("/trends/staff?staff={staff}"),
        };
        view! { <a href=href>{format!("{}'s trend", names.staff(staff))}</a> " · " }
    });
    view! {
        <li>
            <strong>{warning.kind.label()}</strong> ": " {in_words(names, warning)}
            <br />
            {trend}
            <a href=next_href>{next_label}</a>
        </li>
    }
}

/// One service's themes: the latest month with how many checks it rests on, and what the chart
/// says of it.
/// The month under way is marked "so far": it holds fewer checks than it will.
fn themes_at_a_glance(
    names: &Names,
    service_id: Uuid,
    service: &str,
    this_month: &str,
    charts: &[&ThemeChart],
) -> impl IntoView + use<> {
    let heading_id = format!("glance-{service_id}");
    let labelled_by = heading_id.clone();
    let rows = charts
        .iter()
        .map(|glance| {
            let theme = names.theme(glance.theme_id).map_or("A theme", |theme| theme.name.as_str()).to_owned();
            let latest = glance.chart.points().last().map_or("No checks in the last two years".to_owned(), |point| {
                format!(
                    "{}{}: {} of {} check{} ({})",
                    crate::domain::check::Period::in_words(&point.period),
                    if point.period == this_month { " so far" } else { "" },
                    point.met,
                    point.checks,
                    if point.checks == 1 { "" } else { "s" },
                    percent(point.share)
                )
            });
            let says = match &glance.chart {
                Chart::P { latest, .. } => variation_tag(*latest).into_any(),
                Chart::Run { test, .. } if test.signals() => {
                    view! { <span class="tag">"Run chart: a shift or pattern"</span> }.into_any()
                }
                Chart::Run { .. } => variation_tag(Variation::CommonCause).into_any(),
                Chart::NotEnough { .. } => {
                    view! { <span class="tag tag--muted">"Not enough checks yet"</span> }.into_any()
                }
            };
            let href = format!("/trends?service={service_id}&theme={}", glance.theme_id);
            view! {
                <tr>
                    <th scope="row"><a href=href>{theme}</a></th>
                    <td>{latest}</td>
                    <td>{says}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="dashboard__glance" aria-labelledby=labelled_by>
            <h2 id=heading_id>{format!("{service}: themes at a glance")}</h2>
            {figures_table(
                format!("{service}: each theme's latest month and what its chart says"),
                None,
                vec!["Theme", "Latest month", "What the chart says"],
                rows,
            )}
        </section>
    }
}

/// The shift leaders (and anyone else who records in the person's services) whose devices have
/// held checks for longer than a shift, as those devices last reported (`docs/domain.md` §8).
async fn devices_holding_checks(storage: &Storage, actor: &Actor) -> Result<Option<impl IntoView + use<>>, AppError> {
    let services = crate::pages::warnings::warning_services(storage, actor).await?;
    let recorders: Vec<User> = storage
        .accounts
        .users()
        .await?
        .into_iter()
        .filter(|user| !user.disabled && services.iter().any(|service| user.service_ids.contains(&service.id)))
        .collect();
    let ids: Vec<Uuid> = recorders.iter().map(|user| user.id).collect();
    let now = storage.now_ms();
    let lines: Vec<_> = storage
        .devices
        .holding_devices(&ids)
        .await?
        .into_iter()
        .filter_map(|report| {
            let user = recorders.iter().find(|user| user.id == report.user_id)?;
            let theirs: Vec<&Service> =
                services.iter().filter(|service| user.service_ids.contains(&service.id)).collect();
            let shift = theirs.iter().map(|service| service.shift_pattern.longest_shift_minutes()).max()?;
            let zone = theirs.first().map_or(crate::domain::organisation::DEFAULT_TIME_ZONE, |s| s.time_zone.as_str());
            report
                .held_longer_than(shift, now)
                .then(|| view! { <li>{held_in_words(&user.name, &report, zone, now)}</li> })
        })
        .collect();
    Ok((!lines.is_empty()).then(|| {
        view! {
            <section class="dashboard__panel" aria-labelledby="devices-heading">
                <h2 id="devices-heading">{format!("Checks held on devices ({})", lines.len())}</h2>
                <p class="muted">"Checks that have waited on a device for longer than a shift, as each device last told the server."</p>
                <ul class="dashboard__list">{lines}</ul>
            </section>
        }
    }))
}

/// "Callum Reid: 3 checks not on the server yet (2 not sent, 1 refused), the oldest saved 14
/// hours ago; the device last reached the server at 09:12 on 3 Dec."
fn held_in_words(name: &str, report: &DeviceReport, zone: &str, now_ms: i64) -> String {
    let held = report.held;
    let checks = |n: u32| if n == 1 { "1 check".to_owned() } else { format!("{n} checks") };
    let parts: Vec<String> =
        [(held.unsent, "not sent"), (held.waiting, "sent with no answer"), (held.refused, "refused")]
            .into_iter()
            .filter(|(count, _)| *count > 0)
            .map(|(count, what)| format!("{count} {what}"))
            .collect();
    let hours = held.oldest_saved_at_ms.map_or(0, |at| (now_ms - at) / 3_600_000);
    let age = match hours {
        0..48 => format!("{hours} hours ago"),
        _ => format!("{} days ago", hours / 24),
    };
    format!(
        "{name}: {} not on the server yet ({}), the oldest saved {age}; the device last reached the server at {}.",
        checks(held.total()),
        parts.join(", "),
        crate::pages::uk_time::wall_clock(report.reported_at_ms, zone, "%H:%M on %-d %b")
    )
}
