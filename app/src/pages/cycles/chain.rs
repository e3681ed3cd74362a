//! One cycle's page: the five steps in order, as an inspector reads them, with the form for the
//! next step where the person may take it; and the server functions behind those forms. Every
//! change goes through `Storage::change_cycle`, which reads the cycle inside its unit of work and
//! writes the change with its audit event.

use super::{CycleChange, taken_by_form};
use crate::domain::access::{Action, Actor, Decision, Role};
use crate::domain::account::User;
use crate::domain::audit::Author;
use crate::domain::cycle::{
    ActionKind, Conclusion, Cycle, CycleAction, CycleAmendment, ExpectedStandard, GovernanceReview, Problem, RulePart,
    Stage, SustainmentRule, Verdict, action_date_problems, corrected_since_closing, reversion_in_watch,
    standard_problems,
};
use crate::domain::wall_clock::CalendarDate;
use crate::error::{AppError, Validation};
use crate::form::FormFields;
use crate::pages::Page;
use crate::pages::checks::Names;
use crate::storage::{JudgedCycle, Storage, StorageError};
use leptos::prelude::*;
use uuid::Uuid;

/// The roles that lead actions and own cycles (`docs/domain.md` §2).
const LEADING_ROLES: [Role; 4] = [Role::TeamLeader, Role::DeputyManager, Role::RegisteredManager, Role::QualityLead];

/// The users who may lead an action or own a cycle at `service_id`.
fn leaders(users: &[User], service_id: Uuid) -> Vec<&User> {
    users
        .iter()
        .filter(|user| !user.disabled && user.roles.iter().any(|role| LEADING_ROLES.contains(role)))
        .filter(|user| user.actor().covers(service_id))
        .collect()
}

fn reject_all(validation: &mut Validation, problems: Vec<Problem>) {
    for problem in problems {
        validation.reject(problem.field, problem.message);
    }
}

/// The cycle named by the form's `id`, once the policy allows `actor` to take `action` on it.
async fn cycle_for(
    storage: &Storage,
    actor: &Actor,
    fields: &FormFields,
    action: fn(Uuid) -> Action,
) -> Result<Cycle, AppError> {
    let id = fields.id("id").map_err(AppError::BadRequest)?.ok_or(AppError::NotFound)?;
    let cycle = storage.cycles.cycle(id).await?.ok_or(AppError::NotFound)?;
    if actor.may(Action::ViewCycles(cycle.service_id)) == Decision::Deny {
        return Err(AppError::NotFound);
    }
    crate::auth::authorise(actor, action(cycle.service_id))?;
    Ok(cycle)
}

fn read_date(
    fields: &FormFields,
    name: &'static str,
    label: &str,
    validation: &mut Validation,
) -> Option<CalendarDate> {
    match fields.text(name).trim() {
        "" => {
            validation.reject(name, format!("{label} is required."));
            None
        }
        text => validation.check(name, CalendarDate::parse(text).ok_or(format!("“{text}” is not a date."))),
    }
}

fn read_text(
    fields: &FormFields,
    name: &'static str,
    label: &str,
    required: bool,
    validation: &mut Validation,
) -> Option<String> {
    use crate::domain::text::LongText;
    match fields.text(name).trim() {
        "" if !required => Some(String::new()),
        text => validation.check(name, LongText::parse(label, text)).map(String::from),
    }
}

/// After closing, a change is an amendment: it needs a reason, kept with the cycle.
fn amendment(
    cycle: &Cycle,
    fields: &FormFields,
    change: &str,
    by: &Author,
    at_ms: i64,
    validation: &mut Validation,
) -> Option<CycleAmendment> {
    if cycle.is_open() {
        return None;
    }
    let reason = read_text(fields, "reason", "The reason for changing a closed cycle", true, validation)?;
    Some(CycleAmendment { made_by: by.clone(), made_at_ms: at_ms, change: change.to_owned(), reason })
}

pub(super) fn read_sustainment_rule(fields: &FormFields, validation: &mut Validation) -> Option<SustainmentRule> {
    let mut number = |name: &'static str| match fields.text(name).trim().parse::<u32>() {
        Ok(value) => Some(value),
        Err(_) => {
            validation.reject(name, "Give a whole number.");
            None
        }
    };
    let rule = SustainmentRule {
        min_rechecks: number("min_rechecks")?,
        min_days: number("min_days")?,
        min_shift_types: number("min_shift_types")?,
        min_pressure_checks: number("min_pressure_checks")?,
        min_unannounced: number("min_unannounced")?,
        min_independent: number("min_independent")?,
        watch_days: number("watch_days")?,
    };
    let problems = rule.problems();
    let fits = problems.is_empty();
    reject_all(validation, problems);
    fits.then_some(rule)
}

/// Step 2: the expected standard, its focus criteria, the changes required, the owner and the
/// target date.
#[server(prefix = "/fn", endpoint = "cycles/standard", input = leptos::server_fn::codec::Json)]
pub async fn set_standard(fields: FormFields) -> Result<(), AppError> {
    crate::error::respond(taken_by_form(fields, keep_standard).await).map(drop)
}

/// Step 2, as [`set_standard`] takes it.
pub async fn keep_standard(
    storage: &Storage,
    actor: &Actor,
    author: Author,
    fields: &FormFields,
) -> Result<CycleChange, AppError> {
    let cycle = cycle_for(storage, actor, fields, Action::SetStandard).await?;
    if !cycle.is_open() {
        return Err(AppError::BadRequest("The cycle is closed; reopen it to change its standard.".into()));
    }
    let themes = storage.organisation.themes().await?;
    let theme = themes.iter().find(|theme| theme.id == cycle.theme_id).ok_or(AppError::NotFound)?;
    let users = storage.accounts.users().await?;
    let mut validation = Validation::default();
    let standard = read_text(fields, "standard", "The expected standard", true, &mut validation);
    let changes = read_text(fields, "changes_required", "The practice changes required", true, &mut validation);
    let focus: Vec<Uuid> = fields.all("focus").into_iter().filter_map(|raw| Uuid::parse_str(raw).ok()).collect();
    let owner = fields
        .id("owner")
        .ok()
        .flatten()
        .filter(|id| leaders(&users, cycle.service_id).iter().any(|user| user.id == *id));
    if owner.is_none() {
        validation.reject("owner", "Choose who owns the cycle.");
    }
    let target = read_date(fields, "target_date", "The target date", &mut validation);
    // Once an action has been taken against the standard, re-checks are judged by it: changing
    // it then would change the evidence silently. An escalation reinforces it instead.
    if !cycle.actions.is_empty() {
        validation.reject(
            "standard",
            "An action has been taken against this standard, so it stays as it is; to reinforce it, escalate the cycle at a governance review.",
        );
    }
    if let Some(target) = target {
        reject_all(&mut validation, standard_problems(&cycle, theme, &focus, target));
    }
    let set_at_ms = storage.now_ms();
    let standard = match (standard, changes, owner, target) {
        (Some(standard), Some(changes_required), Some(owner_id), Some(target_date)) => Some(ExpectedStandard {
            standard,
            focus_criteria: focus,
            changes_required,
            owner_id,
            target_date,
            set_by: author.clone(),
            set_at_ms,
        }),
        _ => None,
    };
    let standard = validation.finish(standard)?;
    storage
        .change_cycle(cycle.id, &author, "cycle.standard_set", "Set the expected standard", |cycle: &mut Cycle| {
            cycle.standard = Some(standard);
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(CycleChange { cycle_id: cycle.id, notice: "Saved the expected standard. Next: the targeted action." })
}

/// Step 3: one targeted action. After closing it is an amendment, with a reason.
#[server(prefix = "/fn", endpoint = "cycles/action", input = leptos::server_fn::codec::Json)]
pub async fn record_action(fields: FormFields) -> Result<(), AppError> {
    crate::error::respond(taken_by_form(fields, keep_action).await).map(drop)
}

/// Step 3, as [`record_action`] takes it.
pub async fn keep_action(
    storage: &Storage,
    actor: &Actor,
    author: Author,
    fields: &FormFields,
) -> Result<CycleChange, AppError> {
    let cycle = cycle_for(storage, actor, fields, Action::RecordAction).await?;
    if cycle.standard.is_none() {
        return Err(AppError::BadRequest("Set the expected standard before recording an action.".into()));
    }
    let service = super::service(storage, cycle.service_id).await?;
    let today = crate::domain::check::date_in_zone(&service.time_zone, storage.now_ms());
    let users = storage.accounts.users().await?;
    let mut validation = Validation::default();
    let kind = ActionKind::from_code(fields.text("kind"));
    if kind.is_none() {
        validation.reject("kind", "Choose the kind of action.");
    }
    let date = read_date(fields, "date", "The date", &mut validation);
    if let Some(date) = date {
        reject_all(&mut validation, action_date_problems(&cycle, date, today));
    }
    let led_by = fields
        .id("led_by")
        .ok()
        .flatten()
        .filter(|id| leaders(&users, cycle.service_id).iter().any(|user| user.id == *id));
    if led_by.is_none() {
        validation.reject("led_by", "Choose who led it.");
    }
    let attendees: Vec<Uuid> =
        fields.all("attendees").into_iter().filter_map(|raw| Uuid::parse_str(raw).ok()).collect();
    if attendees.is_empty() {
        validation.reject("attendees", "Tick who took part.");
    } else if attendees.iter().any(|id| !cycle.staff_ids.contains(id)) {
        validation.reject("attendees", "Those taking part are the cycle's staff.");
    }
    let guidance = read_text(fields, "guidance", "The guidance given", true, &mut validation);
    let response = read_text(fields, "response", "The staff response", false, &mut validation);
    let points = read_text(fields, "expected_points", "The expected improvement points", true, &mut validation);
    let at_ms = storage.now_ms();
    let amendment = amendment(&cycle, fields, "Recorded an action after closing", &author, at_ms, &mut validation);
    let action = match (kind, date, led_by, guidance, response, points) {
        (Some(kind), Some(date), Some(led_by), Some(guidance), Some(response), Some(expected_points)) => {
            Some(CycleAction {
                id: Uuid::now_v7(),
                kind,
                date,
                led_by,
                attendees,
                guidance,
                response,
                expected_points,
                recorded_by: author.clone(),
                recorded_at_ms: at_ms,
            })
        }
        _ => None,
    };
    let action = validation.finish(action)?;
    let summary = format!("Recorded an action: {}", action.kind.label());
    storage
        .change_cycle(cycle.id, &author, "cycle.action_recorded", &summary, |cycle: &mut Cycle| {
            cycle.actions.push(action);
            cycle.actions.sort_by_key(|action| (action.date, action.recorded_at_ms));
            cycle.amendments.extend(amendment);
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(CycleChange { cycle_id: cycle.id, notice: "Saved the action. Re-checks after it now count." })
}

/// Step 5: the governance review. Closing needs a sustained verdict, and freezes it with the
/// re-checks it rested on; extending or escalating may tighten the plan.
#[server(prefix = "/fn", endpoint = "cycles/review", input = leptos::server_fn::codec::Json)]
pub async fn review_cycle(fields: FormFields) -> Result<(), AppError> {
    crate::error::respond(taken_by_form(fields, keep_governance_review).await).map(drop)
}

/// Step 5, as [`review_cycle`] takes it.
pub async fn keep_governance_review(
    storage: &Storage,
    actor: &Actor,
    author: Author,
    fields: &FormFields,
) -> Result<CycleChange, AppError> {
    let conclusion = Conclusion::from_code(fields.text("conclusion"));
    let action = match conclusion {
        Some(Conclusion::Escalate) => Action::EscalateCycle,
        _ => Action::ReviewCycle,
    };
    let cycle = cycle_for(storage, actor, fields, action).await?;
    if cycle.stage() != Stage::Rechecking {
        return Err(AppError::BadRequest(
            "A review judges re-checks: record an action first, and reopen a closed cycle to review it again.".into(),
        ));
    }
    let state = JudgedCycle::load(storage, cycle).await?;
    let judgement = state.judgement.clone().ok_or(AppError::NotFound)?;
    let mut validation = Validation::default();
    if conclusion.is_none() {
        validation.reject("conclusion", "Choose a conclusion.");
    }
    if conclusion == Some(Conclusion::Close) && judgement.verdict != Verdict::Sustained {
        validation.reject(
            "conclusion",
            format!("Only a sustained improvement can be relied on; the verdict is: {}", judgement.verdict.in_words()),
        );
    }
    let findings = read_text(fields, "findings", "The findings", true, &mut validation);
    let risks = read_text(fields, "remaining_risks", "The remaining risks", false, &mut validation);
    let reinforced = read_text(fields, "reinforced_standard", "The reinforced standard", false, &mut validation)
        .map(|text| Some(text).filter(|text| !text.is_empty()));
    let tightened = if fields.ticked("tighten") && conclusion != Some(Conclusion::Close) {
        read_sustainment_rule(fields, &mut validation).map(|rule| {
            reject_all(&mut validation, rule.loosened_parts(&state.cycle.rule));
            Some(rule)
        })
    } else {
        Some(None)
    };
    let review = match (conclusion, findings, risks, reinforced, tightened) {
        (Some(conclusion), Some(findings), Some(remaining_risks), Some(reinforced_standard), Some(tightened_rule)) => {
            Some(GovernanceReview {
                id: Uuid::now_v7(),
                reviewed_by: author.clone(),
                reviewed_at_ms: storage.now_ms(),
                reviewed_on: state.today,
                verdict: judgement.verdict.clone(),
                evidence: judgement.rechecks.iter().map(|recheck| recheck.check_id).collect(),
                findings,
                remaining_risks,
                conclusion,
                reinforced_standard: reinforced_standard.filter(|_| conclusion == Conclusion::Escalate),
                tightened_rule,
            })
        }
        _ => None,
    };
    let review = validation.finish(review)?;
    let summary = format!("Governance review: {}", review.conclusion.label());
    let notice = match review.conclusion {
        Conclusion::Close => "Closed the cycle; its verdict and evidence are kept as they stand.",
        Conclusion::Extend => "Saved the review; the re-checks go on.",
        Conclusion::Escalate => "Escalated: record the new action, and the re-checks start again after it.",
    };
    storage
        .change_cycle(state.cycle.id, &author, "cycle.reviewed", &summary, |cycle: &mut Cycle| {
            if let Some(rule) = &review.tightened_rule {
                cycle.rule = rule.clone();
            }
            if review.conclusion == Conclusion::Close {
                cycle.closed_on = Some(review.reviewed_on);
            }
            cycle.reviews.push(review);
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(CycleChange { cycle_id: state.cycle.id, notice })
}

/// Reopens a closed cycle (a reversion in its watch, or new evidence), with the reason.
#[server(prefix = "/fn", endpoint = "cycles/reopen", input = leptos::server_fn::codec::Json)]
pub async fn reopen_cycle(fields: FormFields) -> Result<(), AppError> {
    crate::error::respond(taken_by_form(fields, keep_reopening).await).map(drop)
}

/// Reopening, as [`reopen_cycle`] takes it.
pub async fn keep_reopening(
    storage: &Storage,
    actor: &Actor,
    author: Author,
    fields: &FormFields,
) -> Result<CycleChange, AppError> {
    let cycle = cycle_for(storage, actor, fields, Action::EscalateCycle).await?;
    let mut validation = Validation::default();
    let at_ms = storage.now_ms();
    let amendment = amendment(&cycle, fields, "Reopened", &author, at_ms, &mut validation);
    if cycle.is_open() {
        validation.reject("reason", "The cycle is open already.");
    }
    let amendment = validation.finish(amendment)?;
    storage
        .change_cycle(cycle.id, &author, "cycle.reopened", "Reopened the cycle", |cycle: &mut Cycle| {
            cycle.closed_on = None;
            cycle.amendments.push(amendment);
            Ok::<_, StorageError>(())
        })
        .await
        .map_err(crate::error::conflict_on("reason"))?;
    Ok(CycleChange { cycle_id: cycle.id, notice: "Reopened the cycle." })
}

/// Each part of `rule` as its forms name and label it, with its value: what
/// [`read_sustainment_rule`] reads back.
pub fn sustainment_rule_fields(rule: &SustainmentRule) -> [(&'static str, &'static str, u32); 7] {
    [
        ("min_rechecks", "Re-checks", rule.min_rechecks),
        ("min_days", "Days from the first action to the latest re-check", rule.min_days),
        ("min_shift_types", "Shift types", rule.min_shift_types),
        ("min_pressure_checks", "Evening, night or weekend checks", rule.min_pressure_checks),
        ("min_unannounced", "Unannounced checks", rule.min_unannounced),
        ("min_independent", "Checks by someone who led none of the actions", rule.min_independent),
        ("watch_days", "Days of watch after closing", rule.watch_days),
    ]
}

/// The fields of a sustainment rule, filled with `rule`.
pub(super) fn rule_fields(rule: &SustainmentRule) -> impl IntoView + use<> {
    use crate::components::form::TextField;
    sustainment_rule_fields(rule)
        .into_iter()
        .map(|(name, label, value)| view! { <TextField name=name label=label kind="number" value=value.to_string() /> })
        .collect_view()
}

/// A cycle as its pages show it: judged today, with the names and users they show.
pub(super) struct ShownCycle {
    pub storage: crate::storage::SharedStorage,
    pub state: JudgedCycle,
    pub names: Names,
    pub users: Vec<User>,
}

impl ShownCycle {
    /// The cycle `id`, if `actor` may see it.
    pub(super) async fn load(actor: &Actor, id: Uuid) -> Result<ShownCycle, AppError> {
        let storage = crate::error::storage()?;
        let cycle = storage
            .cycles
            .cycle(id)
            .await?
            .filter(|cycle| actor.may(Action::ViewCycles(cycle.service_id)) == Decision::Allow)
            .ok_or(AppError::NotFound)?;
        let names = Names::load(actor).await?;
        let users = storage.accounts.users().await?;
        let state = JudgedCycle::load(&storage, cycle).await?;
        Ok(ShownCycle { storage, state, names, users })
    }
}

pub async fn render(actor: &Actor, id: Uuid) -> Result<Page, AppError> {
    let ShownCycle { state, names, users, .. } = ShownCycle::load(actor, id).await?;
    let title = super::title(&names, &state.cycle);
    let may = |action: fn(Uuid) -> Action| actor.may(action(state.cycle.service_id)) == Decision::Allow;
    let (tag, tag_class) = super::verdict_tag(state.verdict().as_ref(), state.cycle.stage());
    let status = view! {
        <p>
            <span class=tag_class>{tag}</span> " "
            {format!("{} · {} · opened {} by {}", state.cycle.stage().label(), state.service.name,
                state.cycle.opened_on.in_words(), state.cycle.opened_by.name)}
        </p>
    };
    let escalation = state.needs_escalation().then(|| view! {
        <p class="notice notice--concern" role="alert">
            "This cycle needs its deputy and registered manager to act: reinforce the standard or take a new action, \
             and consider a stricter re-check plan (the review below)."
        </p>
    });
    let body = view! {
        {status}
        {escalation}
        {after_closing(&names, &state, may(Action::EscalateCycle))}
        {concern(&names, &state.cycle)}
        {standard_step(&names, &state, &users, may(Action::SetStandard))}
        {action_step(&names, &state, &users, actor, may(Action::RecordAction))}
        {recheck_step(&names, &state)}
        {review_step(&state, conclusions_offered(&state.cycle, actor))}
        {amendments(&state.cycle)}
        <p>
            <a href=format!("/cycles/{}/evidence", state.cycle.id)>"The evidence on one page, to print"</a>
            " · "
            <a href=format!("/admin/audit?subject={}", state.cycle.id)>"This cycle in the audit trail"</a>
        </p>
    };
    crate::pages::admin::page(&title, None, body).await
}

pub(super) fn concern(names: &Names, cycle: &Cycle) -> impl IntoView + use<> {
    let sources = cycle
        .sources
        .iter()
        .map(|source| {
            let what = match source.check_id {
                Some(check_id) => view! { <a href=format!("/checks/{check_id}")>"Spot check"</a> }.into_any(),
                None => view! { <span>{source.kind.label()}</span> }.into_any(),
            };
            let described = match source.description.as_str() {
                "" => format!(" · {}", source.date.in_words()),
                description => format!(" · {} · {description}", source.date.in_words()),
            };
            view! { <li>{what} {described}</li> }
        })
        .collect_view();
    let none = cycle.sources.is_empty().then(|| view! { <li>"No other evidence recorded."</li> });
    let theme_version = format!(
        "Theme version {} when the concern was raised. Staff: {}.",
        cycle.theme_version,
        super::about(names, cycle)
    );
    view! {
        <section class="card step" aria-labelledby="step-1">
            <h2 id="step-1">"1. Concern"</h2>
            <p>{cycle.concern.clone()}</p>
            <h3>"Examples observed"</h3>
            <p>{if cycle.examples.is_empty() { "None recorded.".to_owned() } else { cycle.examples.clone() }}</p>
            <h3>"Evidence that raised it"</h3>
            <ul>{sources}{none}</ul>
            <p class="muted">{theme_version}</p>
        </section>
    }
}

pub(super) fn standard_step(
    names: &Names,
    state: &JudgedCycle,
    users: &[User],
    may_set: bool,
) -> impl IntoView + use<> {
    use crate::components::form::{ChoiceGroup, SaveForm, SelectField, TextField};
    let cycle = &state.cycle;
    let here = format!("/cycles/{}", cycle.id);
    let shown = cycle.standard.as_ref().map(|standard| {
        let focus = standard
            .focus_criteria
            .iter()
            .map(|id| names.criterion_title(cycle.theme_id, *id))
            .collect::<Vec<_>>()
            .join(", ");
        let reinforced = cycle.current_standard().filter(|current| *current != standard.standard).map(str::to_owned);
        view! {
            <dl class="check-details">
                <dt>"Expected standard"</dt><dd>{standard.standard.clone()}</dd>
                {reinforced.map(|text| view! { <dt>"Reinforced at escalation"</dt><dd>{text}</dd> })}
                <dt>"Focus criteria"</dt><dd>{focus}</dd>
                <dt>"Practice changes required"</dt><dd>{standard.changes_required.clone()}</dd>
                <dt>"Staff involved"</dt><dd>{super::about(names, cycle)}</dd>
                <dt>"Owner"</dt><dd>{names.person(standard.owner_id).to_owned()}</dd>
                <dt>"Target date"</dt><dd>{standard.target_date.in_words()}</dd>
                <dt>"Set by"</dt><dd>{standard.set_by.name.clone()}</dd>
            </dl>
        }
    });
    let form = (may_set && cycle.is_open() && cycle.actions.is_empty()).then(|| {
        let theme = names.theme(cycle.theme_id);
        let focus_options: Vec<(String, String)> = theme
            .map(|theme| theme.criteria.iter().map(|c| (c.id.to_string(), c.title.clone())).collect())
            .unwrap_or_default();
        let owners: Vec<(String, String)> =
            leaders(users, cycle.service_id).into_iter().map(|user| (user.id.to_string(), user.name.clone())).collect();
        let (standard, focus, changes, owner, target) = match &cycle.standard {
            Some(set) => (
                set.standard.clone(),
                set.focus_criteria.iter().map(ToString::to_string).collect(),
                set.changes_required.clone(),
                set.owner_id.to_string(),
                set.target_date.to_string(),
            ),
            None => (
                theme.map(|theme| theme.expected_standard.clone()).unwrap_or_default(),
                Vec::new(),
                String::new(),
                String::new(),
                cycle.opened_on.plus_days(56).to_string(),
            ),
        };
        let label = if cycle.standard.is_some() { "Change the expected standard" } else { "Set the expected standard" };
        let id = cycle.id.to_string();
        view! {
            <SaveForm endpoint="cycles/standard" next=here.clone() submit_label=label>
                <input type="hidden" name="id" value=id />
                <TextField name="standard" label="Expected standard" value=standard multiline=true
                    hint="Taken from the theme: make it specific to this concern." />
                <ChoiceGroup name="focus" legend="Focus criteria" options=focus_options selected=focus
                    hint="Re-checks are judged on these criteria only." />
                <TextField name="changes_required" label="Practice changes required" value=changes multiline=true />
                <SelectField name="owner" label="Owner" options=owners selected=owner />
                <TextField name="target_date" label="Target date" kind="date" value=target />
            </SaveForm>
        }
    });
    let waiting = (shown.is_none() && form.is_none()).then(|| {
        view! {
            <p class="muted">"Waiting for a deputy or registered manager to set the expected standard."</p>
        }
    });
    view! {
        <section class="card step" aria-labelledby="step-2">
            <h2 id="step-2">"2. Expected standard"</h2>
            {shown}
            {form}
            {waiting}
        </section>
    }
}

pub(super) fn action_step(
    names: &Names,
    state: &JudgedCycle,
    users: &[User],
    actor: &Actor,
    may_record: bool,
) -> impl IntoView + use<> {
    use crate::components::form::{ChoiceGroup, SaveForm, SelectField, TextField};
    let cycle = &state.cycle;
    let here = format!("/cycles/{}", cycle.id);
    let actions = cycle
        .actions
        .iter()
        .map(|action| {
            let attended = action.attendees.iter().map(|id| names.staff(*id)).collect::<Vec<_>>().join(", ");
            view! {
                <li class="action">
                    <h3>{format!("{} · {}", action.kind.label(), action.date.in_words())}</h3>
                    <dl class="check-details">
                        <dt>"Led by"</dt><dd>{names.person(action.led_by).to_owned()}</dd>
                        <dt>"Attended"</dt><dd>{attended}</dd>
                        <dt>"Guidance given"</dt><dd>{action.guidance.clone()}</dd>
                        <dt>"Response or acknowledgement"</dt>
                        <dd>{if action.response.is_empty() { "Not recorded".to_owned() } else { action.response.clone() }}</dd>
                        <dt>"Expected improvement points"</dt><dd>{action.expected_points.clone()}</dd>
                    </dl>
                </li>
            }
        })
        .collect_view();
    let form = (may_record && cycle.standard.is_some()).then(|| {
        let kinds: Vec<(String, String)> =
            ActionKind::ALL.iter().map(|kind| (kind.code().to_owned(), kind.label().to_owned())).collect();
        let led: Vec<(String, String)> =
            leaders(users, cycle.service_id).into_iter().map(|user| (user.id.to_string(), user.name.clone())).collect();
        let staff: Vec<(String, String)> =
            cycle.staff_ids.iter().map(|id| (id.to_string(), names.staff(*id).to_owned())).collect();
        let ticked: Vec<String> = cycle.staff_ids.iter().map(ToString::to_string).collect();
        let closed = !cycle.is_open();
        let first = cycle.actions.is_empty();
        let (id, today, me) = (cycle.id.to_string(), state.today.to_string(), actor.user_id.to_string());
        view! {
            <details class="step-form" open=first>
                <summary>"Record an action"</summary>
                <SaveForm endpoint="cycles/action" next=here.clone() submit_label="Save the action">
                    <input type="hidden" name="id" value=id />
                    <SelectField name="kind" label="Kind of action" options=kinds />
                    <TextField name="date" label="Date" kind="date" value=today />
                    <SelectField name="led_by" label="Led by" options=led selected=me />
                    <ChoiceGroup name="attendees" legend="Attended" options=staff selected=ticked />
                    <TextField name="guidance" label="Guidance given" multiline=true />
                    <TextField name="response" label="The staff member's response or acknowledgement" multiline=true />
                    <TextField name="expected_points" label="Expected improvement points" multiline=true />
                    {closed.then(|| view! {
                        <TextField name="reason" label="Why the closed cycle is changed" multiline=true
                            hint="The cycle is closed: this action is kept as an amendment, with its reason." />
                    })}
                </SaveForm>
            </details>
        }
    });
    let none = cycle.actions.is_empty().then(|| view! { <p class="muted">"No action recorded yet."</p> });
    view! {
        <section class="card step" aria-labelledby="step-3">
            <h2 id="step-3">"3. Targeted action"</h2>
            {none}
            <ol class="actions">{actions}</ol>
            {form}
        </section>
    }
}

pub(super) fn recheck_step(names: &Names, state: &JudgedCycle) -> impl IntoView + use<> {
    let cycle = &state.cycle;
    let plan = cycle.rule.in_words();
    let verdict = state.verdict_in_words();
    let from = cycle.window_start().map(|from| format!("Counting checks observed after {}.", from.in_words()));
    let focus = cycle.standard.as_ref().map(|standard| standard.focus_criteria.clone()).unwrap_or_default();
    let rows = state
        .rechecks()
        .map(|(recheck, check)| {
            let ratings = check
                .check
                .ratings
                .iter()
                .filter(|rating| focus.contains(&rating.criterion_id))
                .map(|rating| {
                    let score = rating.score.map_or("N/A".to_owned(), |score| score.to_string());
                    format!("{} {score}", names.criterion_title(cycle.theme_id, rating.criterion_id))
                })
                .collect::<Vec<_>>()
                .join(" · ");
            let meets = recheck.meets.contains(&RulePart::MeetsStandard);
            let parts = recheck
                .meets
                .iter()
                .filter(|part| **part != RulePart::MeetsStandard)
                .map(|part| part.label())
                .collect::<Vec<_>>()
                .join("; ");
            view! {
                <tr>
                    <th scope="row"><a href=format!("/checks/{}", check.check.id)>{names.observed(check)}</a></th>
                    <td>{names.staff(check.check.staff_id).to_owned()}</td>
                    <td>{check.shift_kind.label()}</td>
                    <td>{if check.weekend_practice { "Weekend" } else { "Weekday" }}</td>
                    <td>{names.person(check.observer_id).to_owned()}</td>
                    <td>{if check.check.announced { "Announced" } else { "Unannounced" }}</td>
                    <td>{ratings}</td>
                    <td>{if meets { "Meets" } else { "Below" }}</td>
                    <td>{if parts.is_empty() { "—".to_owned() } else { parts }}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    let count = rows.len();
    let caption = match cycle.closing_review() {
        Some(review) => format!(
            "{count} re-check{} since the first action; the verdict at closing rested on the {} made by then",
            if count == 1 { "" } else { "s" },
            review.evidence.len()
        ),
        None => format!("{count} re-check{}", if count == 1 { "" } else { "s" }),
    };
    let table = (count > 0).then(|| {
        view! {
            <div class="table-scroll" role="region" aria-label="Re-checks" tabindex="0">
                <table>
                    <caption>{caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Observed"</th>
                            <th scope="col">"Staff"</th>
                            <th scope="col">"Shift"</th>
                            <th scope="col">"Weekend"</th>
                            <th scope="col">"Observer"</th>
                            <th scope="col">"Announced"</th>
                            <th scope="col">"Focus ratings"</th>
                            <th scope="col">"Standard"</th>
                            <th scope="col">"Also counts as"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    view! {
        <section class="card step" aria-labelledby="step-4">
            <h2 id="step-4">"4. Live re-checks"</h2>
            <p><strong>"Verdict: "</strong>{verdict}</p>
            <p class="muted">{format!("The re-check plan: {plan}")} " " {from}</p>
            {table}
        </section>
    }
}

/// The conclusions `actor` may record at a governance review of `cycle`.
fn conclusions_offered(cycle: &Cycle, actor: &Actor) -> Vec<Conclusion> {
    Conclusion::ALL
        .into_iter()
        .filter(|conclusion| {
            let action = if *conclusion == Conclusion::Escalate { Action::EscalateCycle } else { Action::ReviewCycle };
            actor.may(action(cycle.service_id)) == Decision::Allow
        })
        .collect()
}

/// Step 5: the reviews so far, and the form for one offering `offered` conclusions (none: no
/// form).
pub(super) fn review_step(state: &JudgedCycle, offered: Vec<Conclusion>) -> impl IntoView + use<> {
    use crate::components::form::{Checkbox, ChoiceGroup, SaveForm, TextField};
    let cycle = &state.cycle;
    let here = format!("/cycles/{}", cycle.id);
    let reviews = cycle
        .reviews
        .iter()
        .map(|review| {
            view! {
                <li class="action">
                    <h3>{format!("{} · {} · {}", review.conclusion.label(), review.reviewed_on.in_words(), review.reviewed_by.name)}</h3>
                    <dl class="check-details">
                        <dt>"Verdict at the review"</dt><dd>{review.verdict.in_words()}</dd>
                        <dt>"Re-checks it rested on"</dt><dd>{review.evidence.len()}</dd>
                        <dt>"Findings"</dt><dd>{review.findings.clone()}</dd>
                        <dt>"Remaining risks"</dt>
                        <dd>{if review.remaining_risks.is_empty() { "None recorded".to_owned() } else { review.remaining_risks.clone() }}</dd>
                        {review.reinforced_standard.clone().map(|text| view! { <dt>"Reinforced standard"</dt><dd>{text}</dd> })}
                        {review.tightened_rule.as_ref().map(|rule| view! { <dt>"Re-check plan from then"</dt><dd>{rule.in_words()}</dd> })}
                    </dl>
                </li>
            }
        })
        .collect_view();
    let conclusions: Vec<(String, String)> =
        offered.into_iter().map(|conclusion| (conclusion.code().to_owned(), conclusion.label().to_owned())).collect();
    let form = (cycle.stage() == Stage::Rechecking && !conclusions.is_empty()).then(|| {
        let rule = cycle.rule.clone();
        let (id, open) = (cycle.id.to_string(), state.needs_escalation());
        view! {
            <details class="step-form" open=open>
                <summary>"Record a governance review"</summary>
                <SaveForm endpoint="cycles/review" next=here.clone() submit_label="Save the review">
                    <input type="hidden" name="id" value=id />
                    <ChoiceGroup name="conclusion" legend="Conclusion" options=conclusions radio=true
                        hint="Closing needs a sustained verdict, and keeps it with the re-checks it rested on." />
                    <TextField name="findings" label="Findings" multiline=true />
                    <TextField name="remaining_risks" label="Remaining risks" multiline=true />
                    <TextField name="reinforced_standard" label="Reinforced standard (when escalating)" multiline=true />
                    <Checkbox name="tighten" label="Tighten the re-check plan (when extending or escalating)" checked=false />
                    <fieldset class="field rule-fields">
                        <legend>"Re-check plan"</legend>
                        {rule_fields(&rule)}
                    </fieldset>
                </SaveForm>
            </details>
        }
    });
    let none = cycle.reviews.is_empty().then(|| view! { <p class="muted">"No review yet."</p> });
    view! {
        <section class="card step" aria-labelledby="step-5">
            <h2 id="step-5">"5. Governance review"</h2>
            {none}
            <ol class="actions">{reviews}</ol>
            {form}
        </section>
    }
}

/// A closed cycle's watch: a reversion within it is flagged with an offer to reopen; re-checks
/// corrected since closing are named, while the frozen verdict stands.
pub(super) fn after_closing(names: &Names, state: &JudgedCycle, may_reopen: bool) -> Option<impl IntoView + use<>> {
    use crate::components::form::{SaveForm, TextField};
    let cycle = &state.cycle;
    let watch_ends = cycle.watch_ends()?;
    let reversion = reversion_in_watch(cycle, &state.checks).map(|check| (check.check.id, names.observed(check)));
    let corrected = corrected_since_closing(cycle, &state.checks);
    let watching = if state.today <= watch_ends {
        format!("Closed on {}; watched until {}.", cycle.closed_on?.in_words(), watch_ends.in_words())
    } else {
        format!("Closed on {}; the watch ended on {}.", cycle.closed_on?.in_words(), watch_ends.in_words())
    };
    let here = format!("/cycles/{}", cycle.id);
    let id = cycle.id.to_string();
    Some(view! {
        <p class="notice">{watching}</p>
        {reversion.map(|(check_id, observed)| view! {
            <div class="notice notice--concern" role="alert">
                <p>
                    "Reversion in the watch: " <a href=format!("/checks/{check_id}")>{format!("the check of {observed}")}</a>
                    " fell below the standard on the focus criteria."
                </p>
                {may_reopen.then(|| view! {
                    <SaveForm endpoint="cycles/reopen" next=here.clone() submit_label="Reopen the cycle">
                        <input type="hidden" name="id" value=id.clone() />
                        <TextField name="reason" label="Why it is reopened" multiline=true />
                    </SaveForm>
                })}
            </div>
        })}
        {(!corrected.is_empty()).then(|| view! {
            <p class="notice">
                {format!("{} of the re-checks this verdict rested on {} been corrected since closing; the verdict stays as it was given.",
                    corrected.len(), if corrected.len() == 1 { "has" } else { "have" })}
            </p>
        })}
    })
}

pub(super) fn amendments(cycle: &Cycle) -> impl IntoView + use<> {
    (!cycle.amendments.is_empty()).then(|| {
        let items = cycle
            .amendments
            .iter()
            .map(|amendment| {
                let when = crate::pages::uk_time::wall_clock(amendment.made_at_ms, "Europe/London", "%-d %b %Y, %H:%M");
                view! { <li>{format!("{} by {} on {when}: {}", amendment.change, amendment.made_by.name, amendment.reason)}</li> }
            })
            .collect_view();
        view! {
            <section class="card step" aria-labelledby="amendments">
                <h2 id="amendments">"Amendments after closing"</h2>
                <ol>{items}</ol>
            </section>
        }
    })
}
