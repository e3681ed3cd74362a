//! Trends (`docs/domain.md` §7): a practice theme's share of checks meeting the standard, period
//! by period, for a service or all of a person's services, as a p-chart, a run chart or "not
//! enough checks yet", with the numbers behind it in a table and in words. Bad input is answered
//! beside its field on the page, never with an error page.

mod chart;
mod staff;

pub use staff::StaffTrendPage;

pub use chart::{counts_in_words, percent, point_in_words};

use crate::components::form::{FilterRefusals, messages_of};
use crate::domain::access::{Action, Actor, Decision};
use crate::domain::check::{Period, date_in_zone};
use crate::domain::observer::{ObserverComparison, StaffComparison};
use crate::domain::organisation::DEFAULT_TIME_ZONE;
use crate::domain::spc::{Chart, GroupShare, RunTest, StandsOut, Variation};
use crate::domain::wall_clock::CalendarDate;
use crate::error::{AppError, FieldError, Validation};
use crate::pages::checks::Names;
use crate::pages::{Page, Query, ServerPage, uk_time};
use crate::storage::{CHART_DAYS, ScoreCounts, ThemeTrend, TrendQuery};
use leptos::prelude::*;
use uuid::Uuid;

/// The longest range a trend may cover.
const MAX_DAYS: i64 = 3_653;
const DAY_MS: i64 = 86_400_000;

#[component]
pub fn TrendsPage() -> impl IntoView {
    let query = Query::of_this_page();
    let load = async move { render(&crate::auth::require_actor().await?, &query).await };
    view! { <ServerPage load /> }
}

/// The services whose trends `actor` may see, of those `names` holds.
fn trend_services(names: &Names, actor: &Actor) -> Vec<(Uuid, String)> {
    names
        .services
        .iter()
        .filter(|service| actor.may(Action::ViewTrends(service.id)) == Decision::Allow)
        .map(|service| (service.id, service.name.clone()))
        .collect()
}

/// Why a trend cannot be drawn as asked.
#[derive(Debug)]
pub enum TrendRefusal {
    /// The person reviews no service's practice.
    NoTrends,
    /// The service named is not one of theirs.
    NotTheirService,
    /// Choices or dates that cannot be charted, with why, by field.
    Invalid(Vec<FieldError>),
}

impl TrendRefusal {
    pub const NOT_THEIR_SERVICE: &str = "That is not one of your services.";
}

/// The trend `query` asks for, of the `services` the person may see trends of (all of them if
/// it names none) and one of `themes` (the first if it names none): by month unless by week,
/// over the two years to today unless given dates.
pub fn read_request(
    services: &[Uuid],
    themes: &[Uuid],
    query: &Query,
    now_ms: i64,
) -> Result<TrendQuery, TrendRefusal> {
    if services.is_empty() {
        return Err(TrendRefusal::NoTrends);
    }
    let mut validation = Validation::default();
    let service_ids = match query.get("service").trim() {
        "" => Some(services.to_vec()),
        raw => match validation.check("service", Uuid::parse_str(raw).map_err(|_| "That is not one of the choices.")) {
            Some(id) if !services.contains(&id) => return Err(TrendRefusal::NotTheirService),
            id => id.map(|id| vec![id]),
        },
    };
    let theme_id = match query.get("theme").trim() {
        "" => themes.first().copied(),
        raw => validation.check(
            "theme",
            Uuid::parse_str(raw).ok().filter(|id| themes.contains(id)).ok_or("That is not one of the practice themes."),
        ),
    };
    let period = match query.get("period").trim() {
        "" => Some(Period::default()),
        code => validation.check("period", Period::from_code(code).ok_or("Choose by month or by week.")),
    };
    let (from_ms, to_ms) = uk_time::day_range(query.get("from"), query.get("to"), &mut validation);
    let to_ms = to_ms.unwrap_or(now_ms);
    let from_ms = from_ms.unwrap_or_else(|| TrendQuery::start_days_before(to_ms, CHART_DAYS));
    refuse_over_ten_years(from_ms, to_ms, &mut validation);
    if theme_id.is_none() && validation.is_clean() {
        validation.reject("theme", "There are no practice themes yet.");
    }
    let request = match (service_ids, theme_id, period) {
        (Some(service_ids), Some(theme_id), Some(period)) => {
            Some(TrendQuery { service_ids, theme_id, period, from_ms, to_ms })
        }
        _ => None,
    };
    match validation.finish(request) {
        Ok(request) => Ok(request),
        Err(AppError::Invalid(errors)) => Err(TrendRefusal::Invalid(errors)),
        Err(_) => Err(TrendRefusal::Invalid(Vec::new())),
    }
}

/// A trend covers at most [`MAX_DAYS`]: more would read decades of checks for one page.
fn refuse_over_ten_years(from_ms: i64, to_ms: i64, validation: &mut Validation) {
    if to_ms - from_ms > (MAX_DAYS + 1) * DAY_MS {
        validation.reject("to", "A trend covers at most ten years: choose a later start or an earlier end.");
    }
}

async fn render(actor: &Actor, query: &Query) -> Result<Page, AppError> {
    let storage = crate::error::storage()?;
    let names = Names::load(actor).await?;
    let services: Vec<Uuid> = trend_services(&names, actor).into_iter().map(|(id, _)| id).collect();
    let themes: Vec<Uuid> = names.themes.iter().map(|theme| theme.id).collect();
    let request = read_request(&services, &themes, query, storage.now_ms());
    let filters = filters(&names, actor, query);
    let lead = Some(
        "The share of checks meeting the standard, period by period, and whether a change is real or noise \
         (NHS England's Making Data Count method). Every figure shows how many checks it rests on.",
    );
    let request = match request {
        Ok(request) => request,
        Err(TrendRefusal::NoTrends) => return Err(AppError::Forbidden),
        Err(TrendRefusal::NotTheirService) => {
            crate::pages::set_status(http::StatusCode::FORBIDDEN);
            let refused = view! { <FilterRefusals messages=vec![TrendRefusal::NOT_THEIR_SERVICE.to_owned()] /> };
            return crate::pages::admin::page("Trends", lead, view! { {filters} {refused} }).await;
        }
        Err(TrendRefusal::Invalid(errors)) => {
            let refused = view! { <FilterRefusals messages=messages_of(errors) /> };
            return crate::pages::admin::page("Trends", lead, view! { {filters} {refused} }).await;
        }
    };
    let trend = ThemeTrend::load(&storage, &request).await?;
    let theme = names.theme(request.theme_id).map_or("A theme", |theme| theme.name.as_str()).to_owned();
    let place = match request.service_ids.as_slice() {
        [one] => names.service(*one).map_or("a service", |service| service.name.as_str()).to_owned(),
        _ => "all your services".to_owned(),
    };
    let heading = format!("{theme} at {place}, {}", request.period.label().to_lowercase());
    let summary = summary(&trend.chart, request.period);
    let checks_href = |from: &str, to: &str| {
        let mut pairs = vec![("theme".to_owned(), request.theme_id.to_string())];
        if let [one] = request.service_ids.as_slice() {
            pairs.push(("service".to_owned(), one.to_string()));
        }
        pairs.push(("from".to_owned(), from.to_owned()));
        pairs.push(("to".to_owned(), to.to_owned()));
        format!("/checks?{}", crate::form::query_string(&pairs))
    };
    let picture = match &trend.chart {
        Chart::NotEnough { .. } => None,
        chart => Some(chart::svg(chart, &trend.actions, request.period, &heading, &summary)),
    };
    let variation = match &trend.chart {
        Chart::P { latest, .. } => Some(variation_tag(*latest)),
        _ => None,
    };
    let rows = trend
        .chart
        .points()
        .iter()
        .map(|point| {
            let (from, to) = period_days(&point.period).unwrap_or_default();
            let limits = match (point.lower_limit, point.upper_limit) {
                (Some(lower), Some(upper)) => format!("{} – {}", percent(lower), percent(upper)),
                _ => "—".to_owned(),
            };
            view! {
                <tr>
                    <th scope="row">{crate::domain::check::Period::in_words(&point.period)}</th>
                    <td><a href=checks_href(&from, &to)>{format!("{} of {}", point.met, point.checks)}</a></td>
                    <td>{percent(point.share)}</td>
                    <td>{percent(point.centre)}</td>
                    <td>{limits}</td>
                    <td>{point.signal.map_or("—", |signal| signal.in_words())}</td>
                </tr>
            }
        })
        .collect_view();
    let has_points = !trend.chart.points().is_empty();
    let actions = (!trend.actions.is_empty()).then(|| {
        let items = trend
            .actions
            .iter()
            .map(|mark| {
                let who = mark.staff_ids.iter().map(|id| names.staff(*id).to_owned()).collect::<Vec<_>>().join(", ");
                view! {
                    <li><a href=format!("/cycles/{}", mark.cycle_id)>{format!("{}: {who}", mark.on.in_words())}</a></li>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="actions-heading">
                <h3 id="actions-heading">"First actions of improvement cycles on this theme"</h3>
                <p class="muted">"Marked on the chart. Limits start afresh after one only when the chart shows a signal after it."</p>
                <ul>{items}</ul>
            </section>
        }
    });
    let coverage = coverage(&storage, &names, &request).await?;
    let body = view! {
        {filters}
        <p><a href="/trends/staff">"A staff member's trend"</a></p>
        <section class="trend" aria-labelledby="trend-heading">
            <h2 id="trend-heading">{heading} " " {variation}</h2>
            <p class="trend__summary">{summary}</p>
            {picture.map(|svg| view! { <figure class="chart-figure" tabindex="0" aria-label="The chart" inner_html=svg></figure> })}
            {has_points.then(|| figures_table(
                "The numbers behind the chart".to_owned(),
                Some("The numbers behind the chart: each period's checks link to them."),
                vec!["Period", "Met the standard", "Share", "Centre", "Limits", "Signal"],
                rows,
            ))}
            {comparison(&trend.comparisons.by_shift, "by-shift", "Each shift type beside the others", "shift")}
            {comparison(&trend.comparisons.by_weekend, "by-weekend", "Weekdays beside weekends", "weekday or weekend")}
            {comparison(&trend.comparisons.by_announced, "by-announced", "Announced beside unannounced", "kind of check")}
            {criteria(&names, request.theme_id, &trend.criteria, trend.criteria_from_ms, request.to_ms)}
            {staff_who_stand_out(&names, &trend.comparisons.by_staff)}
            {observers(&names, &trend.comparisons.observers)}
            {actions}
            {coverage}
        </section>
    };
    crate::pages::admin::page("Trends", lead, body).await
}

fn filters(names: &Names, actor: &Actor, query: &Query) -> impl IntoView + use<> {
    use crate::components::form::{FilterDatesAndButtons, FilterSelect};
    let services = trend_services(names, actor).into_iter().map(|(id, name)| (id.to_string(), name)).collect();
    let themes: Vec<(String, String)> =
        names.themes.iter().map(|theme| (theme.id.to_string(), theme.name.clone())).collect();
    let chosen_theme = match query.get("theme") {
        "" => themes.first().map(|(id, _)| id.clone()).unwrap_or_default(),
        chosen => chosen.to_owned(),
    };
    let period = match query.get("period") {
        "" => Period::default().code().to_owned(),
        chosen => chosen.to_owned(),
    };
    view! {
        <form class="form filters" method="get" action="/trends">
            <FilterSelect name="service" label="Service" all="All your services" choices=services chosen=query.get("service") />
            <div class="field">
                <label for="filter-theme">"Practice theme"</label>
                <select id="filter-theme" name="theme">
                    {themes.into_iter().map(|(value, text)| {
                        let selected = value == chosen_theme;
                        view! { <option value=value selected=selected>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-period">"Count"</label>
                <select id="filter-period" name="period">
                    {Period::ALL.into_iter().map(|choice| {
                        let selected = choice.code() == period;
                        view! { <option value=choice.code() selected=selected>{choice.label()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <FilterDatesAndButtons from=query.get("from") to=query.get("to") clear_href="/trends" />
        </form>
    }
}

/// Who has not been observed on the theme in the 3 months to the end of the range, and which
/// shift types (and weekends) had no check in its last 4 weeks (`docs/domain.md` §8).
async fn coverage(
    storage: &crate::storage::Storage,
    names: &Names,
    request: &TrendQuery,
) -> Result<impl IntoView + use<>, AppError> {
    use crate::domain::staff_trend::{COVERAGE_DAYS, SHIFT_COVERAGE_DAYS, not_observed_lately, unchecked_shifts};
    let end = date_in_zone(DEFAULT_TIME_ZONE, request.to_ms - 1);
    let mut staff: Vec<(Uuid, String)> = storage
        .organisation
        .staff_members(None)
        .await?
        .into_iter()
        .filter(|member| !member.has_left && member.service_ids.iter().any(|id| request.service_ids.contains(id)))
        .map(|member| (member.id, member.name))
        .collect();
    staff.sort_by(|a, b| a.1.cmp(&b.1));
    // The whole of the 91 days is read, however short the range asked for.
    let window_start = uk_time::start_of_day(end.plus_days(1 - COVERAGE_DAYS)).unwrap_or(request.from_ms);
    let staff_ids: Vec<Uuid> = staff.iter().map(|(id, _)| *id).collect();
    let observed: Vec<(Uuid, CalendarDate)> = storage
        .trends
        .last_observed(&staff_ids, request.from_ms.min(window_start), request.to_ms)
        .await?
        .into_iter()
        .filter(|last| last.theme_id == request.theme_id)
        .map(|last| (last.staff_id, date_in_zone(DEFAULT_TIME_ZONE, last.observed_at_ms)))
        .collect();
    let gaps = not_observed_lately(&staff, &observed, end);
    let recent = TrendQuery { from_ms: request.to_ms - SHIFT_COVERAGE_DAYS * DAY_MS, ..request.clone() };
    let counts: Vec<_> = storage
        .trends
        .standard_by_shift(&recent)
        .await?
        .into_iter()
        .map(|count| (count.shift, count.weekend, count.checks))
        .collect();
    let worked: Vec<_> = names
        .services
        .iter()
        .filter(|service| request.service_ids.contains(&service.id))
        .flat_map(|service| service.shift_pattern.shifts().iter().map(|shift| shift.kind))
        .collect();
    let (shifts, weekends) = unchecked_shifts(&worked, &counts);
    let people = if gaps.is_empty() {
        view! { <p>{format!("Everyone was observed on this theme in the {COVERAGE_DAYS} days to {}.", end.in_words())}</p> }
            .into_any()
    } else {
        let items = gaps
            .into_iter()
            .map(|(id, name, last)| {
                let when = last
                    .map_or("not observed in this range".to_owned(), |day| format!("last observed {}", day.in_words()));
                view! { <li><a href=format!("/trends/staff?staff={id}")>{name}</a> " · " {when}</li> }
            })
            .collect_view();
        view! {
            <p>{format!("Not observed on this theme in the {COVERAGE_DAYS} days to {} (NICE QS123 asks for every 3 months):", end.in_words())}</p>
            <ul>{items}</ul>
        }
        .into_any()
    };
    let mut missing: Vec<String> = shifts.iter().map(|kind| format!("{} shifts", kind.label())).collect();
    if weekends {
        missing.push("weekends".to_owned());
    }
    let shift_words = if missing.is_empty() {
        format!("Every shift type and the weekends had checks in the last {SHIFT_COVERAGE_DAYS} days.")
    } else {
        format!(
            "No checks in the last {SHIFT_COVERAGE_DAYS} days on {}.",
            crate::domain::cycle::join_in_words(&missing)
        )
    };
    Ok(view! {
        <section class="trend__comparison" aria-labelledby="coverage-heading">
            <h3 id="coverage-heading">"Coverage"</h3>
            {people}
            <p>{shift_words}</p>
        </section>
    })
}

/// Each criterion's ratings over the last 13 weeks of the range, counted score by score as a
/// picture and a table: where practice falls short now, criterion by criterion
/// (`docs/domain.md` §7).
fn criteria(names: &Names, theme_id: Uuid, counted: &[ScoreCounts], from_ms: i64, to_ms: i64) -> Option<AnyView> {
    if counted.is_empty() {
        return None;
    }
    let (first, last) = (date_in_zone(DEFAULT_TIME_ZONE, from_ms), date_in_zone(DEFAULT_TIME_ZONE, to_ms - 1));
    let over = format!("From {} to {}.", first.in_words(), last.in_words());
    // The theme's own order; criteria since removed from it after those it still has.
    let position = |criterion_id: Uuid| {
        names
            .theme(theme_id)
            .and_then(|theme| theme.criteria.iter().position(|criterion| criterion.id == criterion_id))
            .unwrap_or(usize::MAX)
    };
    let mut counted: Vec<&ScoreCounts> = counted.iter().collect();
    counted.sort_by_key(|counts| position(counts.criterion_id));
    let named: Vec<(String, [u32; 4])> =
        counted.iter().map(|counts| (names.criterion_title(theme_id, counts.criterion_id), counts.by_score)).collect();
    let words = criteria_in_words(&named);
    let heading = "Each criterion's ratings";
    let picture = chart::distribution_svg(&named, "by-criterion", heading, &words);
    let rows = counted
        .iter()
        .zip(&named)
        .map(|(counts, (name, by_score))| {
            let rated: u32 = by_score.iter().sum();
            let [one, two, three, four] = *by_score;
            let low = if rated == 0 { "—".to_owned() } else { percent(f64::from(one + two) / f64::from(rated)) };
            view! {
                <tr>
                    <th scope="row">{name.clone()}</th>
                    <td>{one}</td>
                    <td>{two}</td>
                    <td>{three}</td>
                    <td>{four}</td>
                    <td>{counts.not_applicable}</td>
                    <td>{low}</td>
                </tr>
            }
        })
        .collect_view();
    Some(
        view! {
            <section class="trend__comparison" aria-labelledby="by-criterion-heading">
                <h3 id="by-criterion-heading">{heading}</h3>
                <p>{over} " " {words}</p>
                <figure class="chart-figure" tabindex="0" aria-label="Each criterion's ratings: the picture" inner_html=picture></figure>
                {figures_table(
                    "Each criterion's ratings: the numbers".to_owned(),
                    Some("Ratings counted score by score, never averaged"),
                    vec!["Criterion", "1", "2", "3", "4", "N/A", "Rated 1 or 2"],
                    rows,
                )}
            </section>
        }
        .into_any(),
    )
}

/// Which criteria are most often rated 1 or 2, with the counts behind them.
pub fn criteria_in_words(named: &[(String, [u32; 4])]) -> String {
    let low = |counts: &[u32; 4]| counts[0] + counts[1];
    let mut weakest: Vec<&(String, [u32; 4])> = named.iter().filter(|(_, counts)| low(counts) > 0).collect();
    if weakest.is_empty() {
        return "No criterion was rated 1 or 2 in this range.".to_owned();
    }
    let share = |counts: &[u32; 4]| f64::from(low(counts)) / f64::from(counts.iter().sum::<u32>());
    weakest.sort_by(|a, b| share(&b.1).total_cmp(&share(&a.1)));
    let named: Vec<String> = weakest
        .iter()
        .take(3)
        .map(|(name, counts)| format!("{name} ({} of {})", low(counts), counts.iter().sum::<u32>()))
        .collect();
    format!("Most often rated 1 or 2: {}.", crate::domain::cycle::join_in_words(&named))
}

/// At most this many staff in a picture; the table beside it lists everyone.
const PICTURED_STAFF: usize = 12;

/// Each staff member's checks beside everyone else's: who clearly meets the standard less or
/// more often than the rest, once the number of checks is allowed for.
fn staff_who_stand_out(names: &Names, compared: &[StaffComparison]) -> Option<AnyView> {
    if compared.len() < 2 {
        return None;
    }
    let standing: Vec<&StaffComparison> = compared.iter().filter(|staff| staff.theirs.stands_out.is_some()).collect();
    let words = if standing.is_empty() {
        format!(
            "None of the {} staff observed stands out from the rest once the number of checks is allowed for.",
            compared.len()
        )
    } else {
        let each: Vec<String> = standing
            .iter()
            .map(|staff| {
                let way = match staff.theirs.stands_out {
                    Some(StandsOut::Lower) => "clearly less often",
                    _ => "clearly more often",
                };
                format!(
                    "{} ({}) meets the standard {way} than the rest",
                    names.staff(staff.staff_id),
                    counts_in_words(&staff.theirs)
                )
            })
            .collect();
        format!("{}.", each.join("; "))
    };
    let heading = "Staff who stand out";
    // The picture shows those who stand out, or everyone when nobody does, up to a readable number.
    let eligible: Vec<&StaffComparison> =
        compared.iter().filter(|staff| standing.is_empty() || staff.theirs.stands_out.is_some()).collect();
    let words = if eligible.len() > PICTURED_STAFF {
        format!("{words} The picture shows the first {PICTURED_STAFF} in the table, which lists everyone.")
    } else {
        words
    };
    let pictured: Vec<GroupShare> = eligible
        .iter()
        .take(PICTURED_STAFF)
        .map(|staff| GroupShare { label: names.staff(staff.staff_id).to_owned(), ..staff.theirs.clone() })
        .collect();
    let picture = chart::intervals_svg(&pictured, "by-staff", heading, &words);
    let rows = compared
        .iter()
        .map(|staff| {
            let against = match staff.theirs.stands_out {
                Some(StandsOut::Lower) => "Clearly lower than the rest",
                Some(StandsOut::Higher) => "Clearly higher than the rest",
                None => "No clear difference",
            };
            view! {
                <tr>
                    <th scope="row"><a href=format!("/trends/staff?staff={}", staff.staff_id)>{names.staff(staff.staff_id).to_owned()}</a></th>
                    <td>{counts_in_words(&staff.theirs)}</td>
                    <td>{counts_in_words(&staff.others)}</td>
                    <td>{against}</td>
                </tr>
            }
        })
        .collect_view();
    Some(
        view! {
            <section class="trend__comparison" aria-labelledby="by-staff-heading">
                <h3 id="by-staff-heading">{heading}</h3>
                <p>{words}</p>
                <figure class="chart-figure" tabindex="0" aria-label="Staff who stand out: the picture" inner_html=picture></figure>
                {figures_table(
                    "Each staff member: the numbers".to_owned(),
                    Some("Each staff member beside everyone else; each name opens their trend"),
                    vec!["Staff member", "Their checks met the standard", "Everyone else's", "Against the rest"],
                    rows,
                )}
            </section>
        }
        .into_any(),
    )
}

/// Each observer's checks beside other observers' checks of the same staff, and how many of
/// theirs were unannounced (`docs/domain.md` §7).
fn observers(names: &Names, compared: &[ObserverComparison]) -> Option<AnyView> {
    if compared.is_empty() {
        return None;
    }
    let differ: Vec<String> = compared
        .iter()
        .filter_map(|observer| {
            let way = match observer.theirs.stands_out? {
                StandsOut::Higher => "more lenient",
                StandsOut::Lower => "more severe",
            };
            Some(format!("{} rates {way} than others who observed the same staff", names.person(observer.observer_id)))
        })
        .collect();
    let words = if differ.is_empty() {
        "No observer's ratings differ clearly from others' on the same staff once the number of checks is allowed for."
            .to_owned()
    } else {
        format!("{}.", differ.join("; "))
    };
    // The picture shows each observer's own share; which way they differ is in the words and table.
    let shares: Vec<GroupShare> = compared
        .iter()
        .map(|observer| GroupShare {
            label: names.person(observer.observer_id).to_owned(),
            stands_out: None,
            ..observer.theirs.clone()
        })
        .collect();
    let heading = "Each observer beside others on the same staff";
    let picture = chart::intervals_svg(&shares, "by-observer", heading, &words);
    let rows = compared
        .iter()
        .map(|observer| {
            let against = match (observer.others.checks, observer.theirs.stands_out) {
                (0, _) => "Nobody else observed their staff",
                (_, Some(StandsOut::Higher)) => "Clearly more lenient",
                (_, Some(StandsOut::Lower)) => "Clearly more severe",
                (_, None) => "No clear difference",
            };
            view! {
                <tr>
                    <th scope="row">{names.person(observer.observer_id).to_owned()}</th>
                    <td>{counts_in_words(&observer.theirs)}</td>
                    <td>{if observer.others.checks == 0 { "—".to_owned() } else { counts_in_words(&observer.others) }}</td>
                    <td>{format!("{} of {}", observer.unannounced, observer.theirs.checks)}</td>
                    <td>{observer.staff}</td>
                    <td>{against}</td>
                </tr>
            }
        })
        .collect_view();
    Some(
        view! {
            <section class="trend__comparison" aria-labelledby="by-observer-heading">
                <h3 id="by-observer-heading">{heading}</h3>
                <p>{words}</p>
                <figure class="chart-figure" tabindex="0" aria-label="Each observer: the picture" inner_html=picture></figure>
                {figures_table(
                    "Each observer: the numbers".to_owned(),
                    None,
                    vec!["Observer", "Their checks met the standard", "Others' checks of the same staff", "Unannounced", "Staff observed", "Against the others"],
                    rows,
                )}
            </section>
        }
        .into_any(),
    )
}

/// Figures in a table that scrolls sideways on a narrow screen, named for screen readers.
pub(crate) fn figures_table(
    label: String,
    caption: Option<&'static str>,
    headings: Vec<impl Into<String>>,
    rows: impl IntoView + 'static,
) -> impl IntoView {
    let headings: Vec<String> = headings.into_iter().map(Into::into).collect();
    view! {
        <div class="table-scroll" role="region" aria-label=label tabindex="0">
            <table class="trend-table">
                {caption.map(|caption| view! { <caption>{caption}</caption> })}
                <thead>
                    <tr>{headings.into_iter().map(|heading| view! { <th scope="col">{heading}</th> }).collect_view()}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Groups of the same checks side by side, as a picture and a table, and in words.
fn comparison(groups: &[GroupShare], id: &str, heading: &str, kind: &str) -> Option<AnyView> {
    if groups.iter().all(|group| group.checks == 0) {
        return None;
    }
    let words = comparison_in_words(groups, kind);
    let first_heading: &'static str = match kind {
        "shift" => "Shift",
        "weekday or weekend" => "Days",
        "kind of check" => "Kind of check",
        _ => "Period",
    };
    let picture = chart::intervals_svg(groups, id, heading, &words);
    let heading = heading.to_owned();
    let rows = groups
        .iter()
        .map(|group| {
            let against = match (group.stands_out, groups.iter().filter(|g| g.checks > 0).count()) {
                (_, 0 | 1) => "Nothing to compare with",
                (Some(StandsOut::Lower), _) => "Clearly lower than the rest",
                (Some(StandsOut::Higher), _) => "Clearly higher than the rest",
                (None, _) => "No clear difference",
            };
            view! {
                <tr>
                    <th scope="row">{group.label.clone()}</th>
                    <td>{format!("{} of {}", group.met, group.checks)}</td>
                    <td>{percent(group.share)}</td>
                    <td>{format!("{}–{}", percent(group.low), percent(group.high))}</td>
                    <td>{against}</td>
                </tr>
            }
        })
        .collect_view();
    let (heading_id, labelled_by) = (format!("{id}-heading"), format!("{id}-heading"));
    let (table_label, picture_label) = (format!("{heading}: the numbers"), format!("{heading}: the picture"));
    Some(
        view! {
            <section class="trend__comparison" aria-labelledby=labelled_by>
                <h3 id=heading_id>{heading}</h3>
                <p>{words}</p>
                <figure class="chart-figure" tabindex="0" aria-label=picture_label inner_html=picture></figure>
                {figures_table(
                    table_label,
                    None,
                    vec![first_heading, "Met the standard", "Share", "95% interval", "Against the rest"],
                    rows,
                )}
            </section>
        }
        .into_any(),
    )
}

/// Which groups clearly differ from the rest, or that none does, once the number of checks is
/// allowed for (Wilson intervals that do not overlap).
pub fn comparison_in_words(groups: &[GroupShare], kind: &str) -> String {
    let differ: Vec<String> = groups
        .iter()
        .filter_map(|group| {
            let way = match group.stands_out? {
                StandsOut::Lower => "clearly less often",
                StandsOut::Higher => "clearly more often",
            };
            Some(format!("{} ({}) meets the standard {way} than the rest", group.label, chart::counts_in_words(group)))
        })
        .collect();
    if differ.is_empty() {
        format!("No {kind} stands out from the rest once the number of checks is allowed for.")
    } else {
        format!("{}.", differ.join("; "))
    }
}

/// What the latest point of a p-chart says, as Making Data Count shows it: an icon in the
/// variation's colour (grey, blue for improvement, orange for concern) beside its name.
pub(crate) fn variation_tag(variation: Variation) -> impl IntoView {
    let (class, text) = match variation {
        Variation::CommonCause => ("tag tag--muted", "Common cause"),
        Variation::Improvement => ("tag tag--good", "Improvement"),
        Variation::Concern => ("tag tag--concern", "Concern"),
    };
    view! {
        <span class=class title=variation.in_words()>
            <span class="variation-icon" inner_html=chart::variation_icon(variation)></span>
            {text}
        </span>
    }
}

/// What the chart says, in words: for the page, and as the picture's description.
pub fn summary(chart: &Chart, period: Period) -> String {
    match chart {
        Chart::NotEnough { periods: 0, .. } => "No checks in this range, so there is nothing to chart yet.".to_owned(),
        Chart::NotEnough { periods, checks, more_periods } => format!(
            "Not enough checks yet: {periods} {} with checks ({checks} check{}). {more_periods} more {} with checks \
             are needed for a chart.",
            period.noun(*periods),
            if *checks == 1 { "" } else { "s" },
            period.noun(*more_periods),
        ),
        Chart::P { points, phases, latest } => {
            let checks: u32 = points.iter().map(|point| point.checks).sum();
            let current = phases.last().expect("a p-chart has a phase");
            let mut words = format!(
                "A p-chart of {} {}, resting on {checks} checks. Centre line {} of checks meeting the standard",
                points.len(),
                period.noun(points.len()),
                percent(current.centre),
            );
            if phases.len() > 1 {
                words.push_str(&format!(
                    ", since the limits started afresh in {}",
                    Period::in_words(&points[current.first].period)
                ));
            }
            if current.trial {
                words.push_str(", with trial limits (fewer than 12 points)");
            }
            words.push_str(". ");
            if let Some(last) = points.last() {
                words.push_str(&format!("Latest: {}. ", chart::point_in_words(last)));
            }
            words.push_str(latest.in_words());
            words.push('.');
            let signals: Vec<String> = points
                .iter()
                .filter(|point| point.signal.is_some())
                .map(|point| Period::in_words(&point.period))
                .collect();
            if !signals.is_empty() {
                words.push_str(&format!(
                    " Special causes in {}; the table says which.",
                    crate::domain::cycle::join_in_words(&signals)
                ));
            }
            words
        }
        Chart::Run { points, median, test } => {
            let checks: u32 = points.iter().map(|point| point.checks).sum();
            format!(
                "A run chart of {} {} ({checks} checks): too few checks in some periods for control limits, so the \
                 median, {}, is the centre. {}",
                points.len(),
                period.noun(points.len()),
                percent(*median),
                run_test_in_words(test)
            )
        }
    }
}

fn run_test_in_words(test: &RunTest) -> String {
    if test.useful < crate::domain::spc::RUN_CHART_FROM {
        return "Too many points sit on the median to judge runs and crossings.".to_owned();
    }
    let side = if test.longest_run_side > 0 { "above" } else { "below" };
    let finding = if test.longest_run > test.longest_run_limit {
        format!(
            "A shift: {} points in a row {side} the median, more than the {} chance allows.",
            test.longest_run, test.longest_run_limit
        )
    } else if test.crossings < test.fewest_crossings {
        format!(
            "A non-random pattern: the line crosses the median {} times, fewer than the {} chance allows.",
            test.crossings, test.fewest_crossings
        )
    } else {
        "No sign of a non-random pattern: runs and crossings are as chance allows.".to_owned()
    };
    format!("Longest run {}, crossings {}. {finding}", test.longest_run, test.crossings)
}

/// The first and last days of a period, as `YYYY-MM-DD`, to list its checks.
pub(crate) fn period_days(period: &str) -> Option<(String, String)> {
    use jiff::civil::{Date, ISOWeekDate, Weekday};
    let (year, rest) = period.split_once('-')?;
    let year: i16 = year.parse().ok()?;
    let (first, last) = match rest.strip_prefix('W') {
        Some(week) => {
            let monday = ISOWeekDate::new(year, week.parse().ok()?, Weekday::Monday).ok()?.date();
            (monday, monday.checked_add(jiff::Span::new().days(6)).ok()?)
        }
        None => {
            let first = Date::new(year, rest.parse().ok()?, 1).ok()?;
            (first, first.last_of_month())
        }
    };
    Some((first.to_string(), last.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comparison_names_only_the_groups_that_clearly_differ() {
        use crate::domain::spc::{GroupCount, against_the_rest};
        let group = |label: &str, met, checks| GroupCount { label: label.into(), checks, met };
        let night = against_the_rest(&[group("Early", 45, 50), group("Night", 2, 10)]);
        assert_eq!(
            comparison_in_words(&night, "shift"),
            "Early (45 of 50, 90%; 95% interval 79%–96%) meets the standard clearly more often than the rest; \
             Night (2 of 10, 20%; 95% interval 6%–51%) meets the standard clearly less often than the rest."
        );
        let even = against_the_rest(&[group("Weekdays", 8, 10), group("Weekends", 3, 5)]);
        assert_eq!(
            comparison_in_words(&even, "weekday or weekend"),
            "No weekday or weekend stands out from the rest once the number of checks is allowed for."
        );
    }

    #[test]
    fn the_criteria_most_often_rated_low_are_named_with_their_counts() {
        let named = |rows: &[(&str, [u32; 4])]| {
            rows.iter().map(|(name, counts)| (name.to_string(), *counts)).collect::<Vec<_>>()
        };
        assert_eq!(
            criteria_in_words(&named(&[("Pace", [0, 0, 3, 4])])),
            "No criterion was rated 1 or 2 in this range."
        );
        assert_eq!(criteria_in_words(&[]), "No criterion was rated 1 or 2 in this range.");
        let rows = named(&[
            ("Pace", [1, 0, 3, 4]),
            ("Choice", [2, 2, 1, 0]),
            ("Tone", [0, 1, 1, 0]),
            ("Dignity", [0, 1, 9, 0]),
        ]);
        assert_eq!(
            criteria_in_words(&rows),
            "Most often rated 1 or 2: Choice (4 of 5), Tone (1 of 2) and Pace (1 of 8).",
            "by share of ratings, the three lowest"
        );
    }

    #[test]
    fn a_period_spans_its_iso_week_or_its_month() {
        assert_eq!(period_days("2026-W53"), Some(("2026-12-28".into(), "2027-01-03".into())));
        assert_eq!(period_days("2026-02"), Some(("2026-02-01".into(), "2026-02-28".into())));
        assert_eq!(period_days("2026-W54"), None);
        assert_eq!(period_days("nonsense"), None);
    }

    #[test]
    fn the_summary_says_what_is_missing_or_what_the_chart_shows() {
        let none = Chart::NotEnough { periods: 0, checks: 0, more_periods: 10 };
        assert_eq!(summary(&none, Period::Month), "No checks in this range, so there is nothing to chart yet.");
        let one = Chart::NotEnough { periods: 1, checks: 1, more_periods: 9 };
        assert_eq!(
            summary(&one, Period::Week),
            "Not enough checks yet: 1 week with checks (1 check). 9 more weeks with checks are needed for a chart."
        );
        let samples: Vec<crate::domain::spc::Sample> = (1..=13)
            .map(|month| crate::domain::spc::Sample {
                period: format!("2026-{month:02}"),
                checks: 20,
                met: if month == 13 { 6 } else { 18 },
            })
            .collect();
        let words = summary(&crate::domain::spc::standard_chart(&samples, &[]), Period::Month);
        assert!(words.starts_with("A p-chart of 13 months, resting on 260 checks."), "{words}");
        assert!(words.contains("Special cause variation of concern"), "{words}");
    }
}
