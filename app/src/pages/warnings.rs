//! Early warnings (`docs/domain.md` §8) for the people who act on them: each says what was
//! found, with the numbers and links to the records behind it, and offers the next step: open a
//! cycle, acknowledge with a note, or dismiss with a reason (both audited).

use crate::components::form::{SaveForm, TextField};
use crate::domain::access::{Action, Actor, Decision as Allowed};
use crate::domain::cycle::join_in_words;
use crate::domain::organisation::DEFAULT_TIME_ZONE;
use crate::domain::organisation::Service;
use crate::domain::shift::ShiftKind;
use crate::domain::wall_clock::CalendarDate;
use crate::domain::warning::{Decision, Finding, SHIFT_GAP_DAYS, Warning, WarningDecision, WarningKind};
use crate::error::{AppError, Validation};
use crate::form::FormFields;
use crate::pages::checks::Names;
use crate::pages::{Page, ServerPage};
use crate::storage::{CurrentWarning, Storage, Warnings, current_warnings};
use leptos::prelude::*;

#[component]
pub fn WarningsPage() -> impl IntoView {
    let query = crate::pages::Query::of_this_page();
    let load = async move { render(&crate::auth::require_actor().await?, query.get("decide")).await };
    view! { <ServerPage load /> }
}

/// The warnings of the services where `actor` acts on them, as they stand now, with the charts
/// judged to find them.
pub async fn warnings_for(storage: &Storage, actor: &Actor) -> Result<Warnings, AppError> {
    if !actor.sees_warnings() {
        return Ok(Warnings::default());
    }
    let services = warning_services(storage, actor).await?;
    if services.is_empty() {
        return Ok(Warnings::default());
    }
    Ok(current_warnings(storage, &services).await?)
}

/// The services whose warnings are for `actor`.
pub(crate) async fn warning_services(storage: &Storage, actor: &Actor) -> Result<Vec<Service>, AppError> {
    Ok(storage
        .organisation
        .services()
        .await?
        .into_iter()
        .filter(|service| actor.may(Action::ActOnWarnings(service.id)) == Allowed::Allow)
        .collect())
}

/// A decision about a warning, as the API sends it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
pub struct NewWarningDecision {
    /// The warning's key, as the warnings list gives it.
    pub key: String,
    /// `acknowledged` or `dismissed`.
    pub decision: String,
    /// What is being done about it (acknowledged), or why it is not a concern (dismissed).
    pub note: String,
}

/// Keeps a manager's decision about one of the warnings as they stand now, audited; a warning
/// already decided may be decided again, and the later decision replaces the earlier. Refusals
/// name `reason_field` for a dismissal's missing reason: the form asks for a dismissal's reason in its own field.
pub async fn keep_warning_decision(
    storage: &Storage,
    actor: &Actor,
    author: crate::domain::audit::Author,
    new: NewWarningDecision,
    reason_field: &str,
) -> Result<WarningDecision, AppError> {
    if !actor.sees_warnings() {
        return Err(AppError::Forbidden);
    }
    let key = new.key.trim().to_owned();
    let warnings = warnings_for(storage, actor).await?.current;
    let Some(current) = warnings.into_iter().find(|current| current.warning.key == key) else {
        return Err(AppError::NotFound);
    };
    let mut validation = Validation::default();
    let decision = validation
        .check("decision", Decision::from_code(new.decision.trim()).ok_or("Choose to acknowledge or to dismiss it."));
    let note = new.note.trim().to_owned();
    if note.is_empty() {
        match decision {
            Some(Decision::Dismissed) => validation.reject(reason_field, "Say why this is not a concern."),
            _ => validation.reject("note", "Say what is being done about it."),
        }
    }
    let decision = validation.finish(decision)?;
    let kept = WarningDecision {
        key,
        service_id: current.warning.service_id,
        kind: current.warning.kind,
        decision,
        note,
        decided_by: author,
        decided_at_ms: storage.now_ms(),
    };
    let summary = match decision {
        Decision::Acknowledged => "Acknowledged a warning",
        Decision::Dismissed => "Dismissed a warning",
    };
    storage.decide_warning(&kept, &format!("{summary}: {}", current.warning.kind.label())).await?;
    Ok(kept)
}

#[server(prefix = "/fn", endpoint = "warnings/decide", input = leptos::server_fn::codec::Json)]
pub async fn decide_warning(fields: FormFields) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let (actor, author) = crate::auth::require_author().await?;
            let storage = crate::error::storage()?;
            // Acknowledging says what is being done (`note`); dismissing says why not (`reason`).
            let decision = fields.text("decision").to_owned();
            let note = match Decision::from_code(decision.trim()) {
                Some(Decision::Dismissed) => fields.text("reason"),
                _ => fields.text("note"),
            };
            let new = NewWarningDecision { key: fields.text("key").to_owned(), decision, note: note.to_owned() };
            let kept = keep_warning_decision(&storage, &actor, author, new, "reason").await?;
            let notice = match kept.decision {
                Decision::Acknowledged => "Acknowledged the warning.",
                Decision::Dismissed => "Dismissed the warning.",
            };
            crate::pages::admin::saved(notice.to_owned()).await;
            Ok(())
        }
        .await,
    )
}

/// What was found, in words, with its numbers.
pub fn in_words(names: &Names, warning: &Warning) -> String {
    use crate::pages::trends::{counts_in_words, point_in_words};
    let theme = warning.theme_id.and_then(|id| names.theme(id)).map_or("a theme", |theme| theme.name.as_str());
    let service = names.service(warning.service_id).map_or("a service", |service| service.name.as_str());
    let staff = warning.staff_id.map_or("Their staff", |id| names.staff(id));
    match (&warning.finding, warning.kind) {
        (Finding::Checks, WarningKind::RepeatedWeak) => format!(
            "{staff} had {} weak checks on {theme} in the last 28 days, and no cycle is open for them on it.",
            warning.check_ids.len()
        ),
        (Finding::Checks, _) => {
            format!("{staff}: a check on {theme} fell below the standard after the standard had been met.")
        }
        (Finding::LowerShare { group, others }, WarningKind::ObserverEffect) => format!(
            "Unannounced checks on {theme} at {service} met the standard clearly less often than announced ones over \
             the last 90 days (unannounced {}; announced {}).",
            counts_in_words(group),
            counts_in_words(others)
        ),
        (Finding::LowerShare { group, others }, _) => format!(
            "{} checks on {theme} at {service} met the standard clearly less often than the rest over the last 90 \
             days ({}; the rest {}).",
            group.label,
            counts_in_words(group),
            counts_in_words(others)
        ),
        (Finding::ChartPoint { point }, _) => format!(
            "{theme} at {service}: the latest month is a special cause of concern on its chart ({}).",
            point_in_words(point)
        ),
        (Finding::NotObserved { staff_ids, days }, _) => {
            // A long list is cut short: the warnings list links to everyone.
            let mut people: Vec<String> = staff_ids.iter().take(5).map(|id| names.staff(*id).to_owned()).collect();
            if staff_ids.len() > 5 {
                people.push(format!("{} others", staff_ids.len() - 5));
            }
            let count = match staff_ids.len() {
                1 => "1 member of staff has".to_owned(),
                n => format!("{n} staff have"),
            };
            format!(
                "At {service}, {count} not been observed on {theme} in the last {days} days (NICE QS123 asks for every \
                 3 months): {}.",
                join_in_words(&people)
            )
        }
        (Finding::Unchecked { shifts, weekends, days }, _) => {
            let mut missing: Vec<String> = shifts.iter().map(|kind| format!("{} shifts", kind.label())).collect();
            if *weekends {
                missing.push("weekends".to_owned());
            }
            format!("At {service}, no checks on any theme in the last {days} days on {}.", join_in_words(&missing))
        }
    }
}

/// The next step a warning offers beside acknowledging or dismissing it.
pub(crate) fn next_step(warning: &Warning) -> (String, &'static str) {
    let trend = match warning.theme_id {
        Some(theme) => format!("/trends?service={}&theme={theme}", warning.service_id),
        None => format!("/trends?service={}", warning.service_id),
    };
    match (warning.kind, warning.check_ids.last(), warning.cycle_id) {
        (WarningKind::Reversion, _, Some(cycle)) => (format!("/cycles/{cycle}"), "Open the cycle"),
        (_, Some(check), _) => (format!("/cycles/new?check={check}"), "Open an improvement cycle"),
        (WarningKind::CoverageGap, ..) => (trend, "See the coverage"),
        _ => (trend, "See the trend"),
    }
}

/// Where the checks behind a warning about a group of checks are listed, and how many there
/// are: the checks list filtered to the shift type, the weekdays or weekends, or the unannounced
/// checks, over the days the warning was judged on (to `today`, a UK day), or to the chart's
/// latest period. Warnings that name their checks, and gaps in coverage, have none.
pub(crate) fn checks_behind(warning: &Warning, today: CalendarDate) -> Option<(String, u32)> {
    let mut pairs = vec![("service".to_owned(), warning.service_id.to_string())];
    pairs.extend(warning.theme_id.map(|theme| ("theme".to_owned(), theme.to_string())));
    let recent =
        [("from".to_owned(), today.plus_days(-SHIFT_GAP_DAYS).to_string()), ("to".to_owned(), today.to_string())];
    let checks = match (&warning.finding, warning.kind) {
        (Finding::LowerShare { group, .. }, WarningKind::ObserverEffect) => {
            pairs.push(("announced".to_owned(), "no".to_owned()));
            pairs.extend(recent);
            group.checks
        }
        (Finding::LowerShare { group, .. }, _) => {
            let chosen = match group.label.as_str() {
                "Weekends" => ("days", "weekends"),
                "Weekdays" => ("days", "weekdays"),
                label => ("shift", ShiftKind::ALL.into_iter().find(|kind| kind.label() == label)?.code()),
            };
            pairs.push((chosen.0.to_owned(), chosen.1.to_owned()));
            pairs.extend(recent);
            group.checks
        }
        (Finding::ChartPoint { point }, _) => {
            let (from, to) = crate::pages::trends::period_days(&point.period)?;
            pairs.extend([("from".to_owned(), from), ("to".to_owned(), to)]);
            point.checks
        }
        _ => return None,
    };
    Some((format!("/checks?{}", crate::form::query_string(&pairs)), checks))
}

/// A cycle about practice that a warning finds falling short across a group of checks (a shift
/// type, the weekends, unannounced checks, a whole month), opened at its service and theme with
/// what was found as the concern to start from. Warnings about one person already open one from
/// their latest check, and gaps in coverage ask for observations, not a cycle.
pub(crate) fn open_cycle_for(names: &Names, warning: &Warning) -> Option<String> {
    let theme = warning.theme_id?;
    matches!(warning.finding, Finding::LowerShare { .. } | Finding::ChartPoint { .. }).then(|| {
        let pairs = [
            ("service".to_owned(), warning.service_id.to_string()),
            ("theme".to_owned(), theme.to_string()),
            ("concern".to_owned(), in_words(names, warning)),
        ];
        format!("/cycles/new?{}", crate::form::query_string(&pairs))
    })
}

/// One warning; `deciding` opens its acknowledge and dismiss forms (one warning at a time, so
/// that each field on the page is the only one of its name).
fn warning_item(names: &Names, current: CurrentWarning, deciding: bool, now_ms: i64) -> impl IntoView + use<> {
    let warning = current.warning;
    let words = in_words(names, &warning);
    let (next_href, next_label) = next_step(&warning);
    let checks = warning
        .check_ids
        .iter()
        .enumerate()
        .map(|(index, id)| view! { " " <a href=format!("/checks/{id}")>{format!("check {}", index + 1)}</a> })
        .collect_view();
    let has_checks = !warning.check_ids.is_empty();
    let today = crate::domain::check::date_in_zone(DEFAULT_TIME_ZONE, now_ms);
    let group_checks = checks_behind(&warning, today).map(|(href, count)| {
        let text = match count {
            1 => "The check behind it".to_owned(),
            n => format!("The {n} checks behind it"),
        };
        view! { <p><a href=href>{text}</a></p> }
    });
    let open_cycle = open_cycle_for(names, &warning)
        .map(|href| view! { " " <a class="button button--secondary" href=href>"Open an improvement cycle"</a> });
    let people = match &warning.finding {
        Finding::NotObserved { staff_ids, .. } => Some(
            staff_ids
                .iter()
                .map(|id| view! { <li><a href=format!("/trends/staff?staff={id}")>{names.staff(*id).to_owned()}</a></li> })
                .collect_view(),
        ),
        _ => None,
    };
    let decided = current.decision.map(|decision| {
        format!(
            "{} by {} on {}: {}",
            match decision.decision {
                Decision::Acknowledged => "Acknowledged",
                Decision::Dismissed => "Dismissed",
            },
            decision.decided_by.name,
            crate::pages::uk_time::wall_clock(decision.decided_at_ms, "Europe/London", "%-d %b %Y"),
            decision.note
        )
    });
    let open = decided.is_none();
    let (acknowledge_key, dismiss_key) = (warning.key.clone(), warning.key.clone());
    let decide_href =
        format!("/warnings?{}#decide", crate::form::query_string(&[("decide".to_owned(), warning.key.clone())]));
    view! {
        <li class="record">
            <div class="record__main">
                <h3 class="record__title">{warning.kind.label()}</h3>
                <p>{words}</p>
                {has_checks.then(|| view! { <p class="muted">"The checks behind it:" {checks}</p> })}
                {group_checks}
                {people.map(|people| view! { <p class="muted">"Their trends:"</p> <ul class="inline-list">{people}</ul> })}
                {decided.map(|text| view! { <p class="muted">{text}</p> })}
                <p><a class="button button--secondary" href=next_href>{next_label}</a> {open_cycle}</p>
                {(open && !deciding).then(|| view! {
                    <p><a href=decide_href>"Acknowledge or dismiss"</a></p>
                })}
                {(open && deciding).then(|| view! {
                    <div class="warning__decide" id="decide">
                        <SaveForm endpoint="warnings/decide" next="/warnings" submit_label="Acknowledge" cancel="/warnings">
                            <input type="hidden" name="key" value=acknowledge_key />
                            <input type="hidden" name="decision" value="acknowledged" />
                            <TextField name="note" label="What is being done" multiline=true />
                        </SaveForm>
                        <SaveForm endpoint="warnings/decide" next="/warnings" submit_label="Dismiss" quiet=true>
                            <input type="hidden" name="key" value=dismiss_key />
                            <input type="hidden" name="decision" value="dismissed" />
                            <TextField name="reason" label="Why it is not a concern" multiline=true />
                        </SaveForm>
                    </div>
                })}
            </div>
        </li>
    }
}

async fn render(actor: &Actor, deciding: &str) -> Result<Page, AppError> {
    let storage = crate::error::storage()?;
    if !actor.sees_warnings() {
        return Err(AppError::Forbidden);
    }
    let names = Names::load(actor).await?;
    let warnings = warnings_for(&storage, actor).await?.current;
    let now_ms = storage.now_ms();
    let dismissed = warnings
        .iter()
        .filter(|current| current.decision.as_ref().is_some_and(|d| d.decision == Decision::Dismissed))
        .count();
    let (open, acknowledged): (Vec<_>, Vec<_>) = warnings
        .into_iter()
        .filter(|current| current.decision.as_ref().is_none_or(|d| d.decision == Decision::Acknowledged))
        .partition(CurrentWarning::is_open);
    let open_count = open.len();
    let summary = match open_count {
        0 => "No warnings to act on.".to_owned(),
        1 => "1 warning to act on.".to_owned(),
        n => format!("{n} warnings to act on."),
    };
    let item = |current: CurrentWarning| {
        let this_one = current.warning.key == deciding;
        warning_item(&names, current, this_one, now_ms)
    };
    let open_items = open.into_iter().map(item).collect_view();
    let acknowledged_items = (!acknowledged.is_empty()).then(|| {
        let items = acknowledged.into_iter().map(|current| warning_item(&names, current, false, now_ms)).collect_view();
        view! { <h2>"Acknowledged"</h2> <ul class="record-list">{items}</ul> }
    });
    let dismissed_note = (dismissed > 0).then(|| {
        view! { <p class="muted">{format!("{dismissed} dismissed, with their reasons in the audit trail.")}</p> }
    });
    let body = view! {
        <p>{summary} " " <a href="/warnings/export.csv" download="">"Download every warning, with its decision, as a spreadsheet (CSV)"</a></p>
        <ul class="record-list">{open_items}</ul>
        {acknowledged_items}
        {dismissed_note}
    };
    crate::pages::admin::page(
        "Warnings",
        Some(
            "What the checks, cycles and charts show that needs acting on, worked out afresh from the records. A \
             new weak check, reversion or month raises a warning again.",
        ),
        body,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::spc::{Chart, GroupCount, Sample, Variation, against_the_rest, standard_chart};
    use crate::domain::warning::{observer_effect, shift_gaps, special_cause_of_concern};
    use uuid::Uuid;

    const SERVICE: Uuid = Uuid::from_u128(1);
    const THEME: Uuid = Uuid::from_u128(2);

    fn today() -> CalendarDate {
        CalendarDate::parse("2026-12-08").unwrap()
    }

    fn lower(label: &str, others: &str) -> Vec<crate::domain::spc::GroupShare> {
        against_the_rest(&[
            GroupCount { label: label.into(), checks: 20, met: 2 },
            GroupCount { label: others.into(), checks: 60, met: 55 },
        ])
    }

    #[test]
    fn a_shift_gap_lists_that_shifts_or_the_weekends_checks_over_the_90_days() {
        let night = &shift_gaps(SERVICE, THEME, &lower("Night", "Early"), "2026-12")[0];
        let (href, checks) = checks_behind(night, today()).unwrap();
        assert_eq!(checks, 20);
        assert_eq!(href, format!("/checks?service={SERVICE}&theme={THEME}&shift=night&from=2026-09-09&to=2026-12-08"));
        let weekends = &shift_gaps(SERVICE, THEME, &lower("Weekends", "Weekdays"), "2026-12")[0];
        assert!(checks_behind(weekends, today()).unwrap().0.contains("&days=weekends&"));
        let unknown = &shift_gaps(SERVICE, THEME, &lower("Evening", "Early"), "2026-12")[0];
        assert_eq!(checks_behind(unknown, today()), None, "a group that is no shift type lists nothing");
    }

    #[test]
    fn the_observer_effect_lists_the_unannounced_checks_and_a_special_cause_its_period() {
        let groups = against_the_rest(&[
            GroupCount { label: "Announced".into(), checks: 60, met: 55 },
            GroupCount { label: "Unannounced".into(), checks: 20, met: 2 },
        ]);
        let effect = observer_effect(SERVICE, THEME, &groups, "2026-12").unwrap();
        let (href, checks) = checks_behind(&effect, today()).unwrap();
        assert_eq!((checks, href.contains("&announced=no&from=2026-09-09&to=2026-12-08")), (20, true), "{href}");
        // Eleven steady months, then a fall to 10% in December.
        let falling: Vec<Sample> = (1..=12)
            .map(|month| Sample {
                period: format!("2026-{month:02}"),
                checks: 20,
                met: if month == 12 { 2 } else { 18 },
            })
            .collect();
        let chart = standard_chart(&falling, &[]);
        let Chart::P { latest: Variation::Concern, .. } = &chart else { panic!("a fall to 10% is a concern") };
        let concern = special_cause_of_concern(SERVICE, THEME, &chart).unwrap();
        let (href, checks) = checks_behind(&concern, today()).unwrap();
        assert_eq!(checks, 20);
        assert!(href.ends_with("&from=2026-12-01&to=2026-12-31"), "{href}");
    }

    #[test]
    fn warnings_that_name_their_checks_or_ask_for_observations_list_no_group() {
        let gap = crate::domain::warning::not_observed(SERVICE, THEME, vec![Uuid::from_u128(3)], "2026-12").unwrap();
        assert_eq!(checks_behind(&gap, today()), None);
        let unchecked = crate::domain::warning::unchecked(SERVICE, vec![ShiftKind::Night], true, "2026-12").unwrap();
        assert_eq!(checks_behind(&unchecked, today()), None);
    }
}
