//! Reviews (`docs/domain.md` §8): what review is due or overdue, at which service and for whom;
//! recording one (what was looked at, what was found, what was done, and the checks and trends
//! it covered) marks its period done; a service's registered manager sets how often each is due.

use crate::components::form::{ChoiceGroup, SaveForm, SelectField, TextField};
use crate::domain::access::{Action, Actor, Decision};
use crate::domain::check::date_in_zone;
use crate::domain::organisation::Service;
use crate::domain::review::{Cadence, Frequency, Review, ReviewKind, ReviewPeriod, ReviewStatus};
use crate::error::{AppError, Validation};
use crate::form::FormFields;
use crate::pages::checks::Names;
use crate::pages::{Page, Query, ServerPage, route_param};
use crate::storage::{ReviewFilter, ServiceReviews, Storage, checks_in_period, review_statuses};
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub fn ReviewsPage() -> impl IntoView {
    let load = async move { render_list(&crate::auth::require_actor().await?).await };
    view! { <ServerPage load /> }
}

#[component]
pub fn NewReviewPage() -> impl IntoView {
    let query = Query::of_this_page();
    let load = async move { render_form(&crate::auth::require_actor().await?, &query).await };
    view! { <ServerPage load /> }
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let id = route_param("id");
    let load = async move {
        let actor = crate::auth::require_actor().await?;
        render_one(&actor, Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?).await
    };
    view! { <ServerPage load /> }
}

#[component]
pub fn CadencePage() -> impl IntoView {
    let query = Query::of_this_page();
    let load = async move { render_cadence(&crate::auth::require_actor().await?, &query).await };
    view! { <ServerPage load /> }
}

/// A review that falls to or is overseen by someone, where it stands now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusFor {
    pub service: Service,
    pub status: ReviewStatus,
}

/// Where the reviews `actor` sees stand now, service by service: those that fall to them and,
/// for those who oversee reviews, every other kind too (`Actor::sees_review`).
pub async fn reviews_for(storage: &Storage, actor: &Actor) -> Result<Vec<StatusFor>, AppError> {
    let services: Vec<Service> = storage
        .organisation
        .services()
        .await?
        .into_iter()
        .filter(|service| actor.may(Action::ViewReviews(service.id)) == Decision::Allow)
        .collect();
    if services.is_empty() {
        return Ok(Vec::new());
    }
    Ok(review_statuses(storage, &services)
        .await?
        .into_iter()
        .flat_map(|ServiceReviews { service, statuses }| {
            let id = service.id;
            statuses
                .into_iter()
                .filter(move |status| actor.sees_review(id, status.cadence.kind))
                .map(move |status| StatusFor { service: service.clone(), status })
        })
        .collect())
}

/// Where a review stands, in words: "Due: week of 30 November 2026." or "Overdue: 2 periods
/// not reviewed, the latest Night shift, 2 December 2026."
pub fn status_in_words(status: &ReviewStatus) -> String {
    let Some(current) = status.current else {
        return "Not held at this service.".to_owned();
    };
    let now = if status.current_done {
        format!("Done for {}.", lowercase_first(&current.in_words()))
    } else {
        format!("Due for {}.", lowercase_first(&current.in_words()))
    };
    match status.overdue.as_slice() {
        [] => now,
        [only] => format!("Overdue for {}. {now}", lowercase_first(&only.in_words())),
        [latest, ..] => format!(
            "Overdue for {} periods, the latest {}. {now}",
            status.overdue.len(),
            lowercase_first(&latest.in_words())
        ),
    }
}

fn lowercase_first(text: &str) -> String {
    // "Week of …" reads "week of …" in a sentence; a shift's or month's name keeps its capital.
    match text.strip_prefix("Week of") {
        Some(rest) => format!("week of{rest}"),
        None => text.to_owned(),
    }
}

/// The address of the form recording `kind` at `service` for `period`.
pub fn record_href(service: Uuid, kind: ReviewKind, period: ReviewPeriod) -> String {
    format!("/reviews/new?service={service}&kind={}&period={}", kind.code(), period.code())
}

/// How many of the most recent overdue periods are offered a "Record" link; the rest are counted.
const OVERDUE_LINKS: usize = 3;

/// The periods to offer a link for: the current one while due, then the latest overdue.
pub fn periods_to_offer(status: &ReviewStatus) -> Vec<ReviewPeriod> {
    let current = status.current.filter(|_| !status.current_done);
    current.into_iter().chain(status.overdue.iter().take(OVERDUE_LINKS).copied()).collect()
}

/// The names of the people among `users` a review falls to at a service.
fn falls_to(users: &[crate::domain::account::User], service: Uuid, kind: ReviewKind) -> Vec<String> {
    users
        .iter()
        .filter(|user| !user.disabled && user.actor().may(Action::RecordReview(service, kind)) == Decision::Allow)
        .map(|user| user.name.clone())
        .collect()
}

async fn render_list(actor: &Actor) -> Result<Page, AppError> {
    let storage = crate::error::storage()?;
    let statuses = reviews_for(&storage, actor).await?;
    if statuses.is_empty() {
        return Err(AppError::Forbidden);
    }
    let mine = |item: &&StatusFor| {
        actor.may(Action::RecordReview(item.service.id, item.status.cadence.kind)) == Decision::Allow
    };
    let due =
        statuses.iter().filter(mine).filter(|item| item.status.current.is_some() && !item.status.current_done).count();
    let overdue = statuses.iter().filter(mine).filter(|item| !item.status.overdue.is_empty()).count();
    let summary = match (due, overdue) {
        (0, 0) => "Your reviews are up to date.".to_owned(),
        (due, 0) => format!("{due} of your reviews due, none overdue."),
        (due, overdue) => format!("{due} of your reviews due; {overdue} overdue."),
    };
    let users = storage.accounts.users().await?;
    let mut sections = Vec::new();
    let mut services: Vec<Service> = Vec::new();
    for item in &statuses {
        if !services.iter().any(|service| service.id == item.service.id) {
            services.push(item.service.clone());
        }
    }
    for service in services {
        let mut items = Vec::new();
        for item in statuses.iter().filter(|item| item.service.id == service.id) {
            let kind = item.status.cadence.kind;
            let people = falls_to(&users, service.id, kind);
            let whom = match people.as_slice() {
                [] => format!("Falls to {}; nobody here has that role yet.", kind.falls_to()),
                _ => format!("Falls to {}: {}.", kind.falls_to(), crate::domain::cycle::join_in_words(&people)),
            };
            let latest = storage
                .reviews
                .reviews(&ReviewFilter {
                    service_ids: Some(vec![service.id]),
                    kinds: Some(vec![kind]),
                    limit: 1,
                    ..Default::default()
                })
                .await?
                .into_iter()
                .next()
                .map(|review| {
                    let when = crate::pages::uk_time::wall_clock(review.recorded_at_ms, &service.time_zone, "%-d %b %Y");
                    let text = format!("{}, by {} on {when}", period_words(&review.period), review.recorded_by.name);
                    view! { <p class="muted">"Last recorded: " <a href=format!("/reviews/{}", review.id)>{text}</a></p> }
                });
            let may_record = actor.may(Action::RecordReview(service.id, kind)) == Decision::Allow;
            let links = may_record.then(|| {
                periods_to_offer(&item.status)
                    .into_iter()
                    .map(|period| {
                        let label = format!("Record the review for {}", lowercase_first(&period.in_words()));
                        view! { <li><a class="button button--secondary" href=record_href(service.id, kind, period)>{label}</a></li> }
                    })
                    .collect_view()
            });
            let state_class = if !item.status.overdue.is_empty() {
                "review-state review-state--overdue"
            } else if item.status.is_up_to_date() {
                "review-state review-state--done"
            } else {
                "review-state"
            };
            items.push(view! {
                <li class="record">
                    <div class="record__main">
                        <h3 class="record__title">{format!("{} · {}", kind.label(), item.status.cadence.frequency.label())}</h3>
                        <p class=state_class>{status_in_words(&item.status)}</p>
                        <p class="muted">{whom}</p>
                        {latest}
                        {links.map(|links| view! { <ul class="inline-list">{links}</ul> })}
                    </div>
                </li>
            });
        }
        let (heading_id, labelled_by) = (format!("reviews-{}", service.id), format!("reviews-{}", service.id));
        let cadence_href = format!("/reviews/cadence?service={}", service.id);
        let cadence_label = if actor.may(Action::EditReviewCadence(service.id)) == Decision::Allow {
            "Change how often reviews are due"
        } else {
            "How often reviews are due"
        };
        sections.push(view! {
            <section aria-labelledby=labelled_by>
                <h2 id=heading_id>{service.name.clone()}</h2>
                <ul class="record-list">{items}</ul>
                <p><a href=cadence_href>{cadence_label}</a></p>
            </section>
        });
    }
    let recent = recent_reviews(&storage, actor).await?;
    let names = Names::load(actor).await?;
    let any_recorded = !recent.is_empty();
    let recent_list = match recent.is_empty() {
        true => view! { <p class="muted">"No reviews recorded yet."</p> }.into_any(),
        false => {
            let items = recent
                .into_iter()
                .map(|review| {
                    let service = names.service(review.service_id).map_or("", |service| service.name.as_str()).to_owned();
                    let title = format!("{}: {}", review.kind.label(), period_words(&review.period));
                    let by = format!(
                        "{service} · by {} on {}",
                        review.recorded_by.name,
                        crate::pages::uk_time::wall_clock(review.recorded_at_ms, zone_of(&names, review.service_id), "%-d %b %Y")
                    );
                    view! { <li><a href=format!("/reviews/{}", review.id)>{title}</a> " · " <span class="muted">{by}</span></li> }
                })
                .collect_view();
            view! { <ul class="record-list review-list">{items}</ul> }.into_any()
        }
    };
    let body = view! {
        <p>{summary}</p>
        {sections}
        <h2>"Recently recorded"</h2>
        {recent_list}
        {any_recorded.then(|| view! {
            <p><a href="/reviews/export.csv" download="">"Download every review you see as a spreadsheet (CSV)"</a></p>
        })}
    };
    crate::pages::admin::page(
        "Reviews",
        Some(
            "Each review is due once a shift, day, week or month on the service's calendar, and overdue once that \
             period has ended without one. Recording it marks the period done.",
        ),
        body,
    )
    .await
}

fn zone_of(names: &Names, service: Uuid) -> &str {
    names.service(service).map_or(crate::domain::organisation::DEFAULT_TIME_ZONE, |service| service.time_zone.as_str())
}

/// "Week of 30 November 2026", or the code itself if it names no period.
pub(crate) fn period_words(code: &str) -> String {
    ReviewPeriod::parse(code).map_or_else(|| code.to_owned(), ReviewPeriod::in_words)
}

/// The kinds of review `actor` sees in any of their services: the filter a list of reviews is
/// read with, so that the newest it reads are theirs to see.
pub fn kinds_seen(actor: &Actor) -> Vec<ReviewKind> {
    ReviewKind::ALL
        .into_iter()
        .filter(|kind| match actor.service_scope() {
            None => true,
            Some(services) => services.iter().any(|service| actor.sees_review(*service, *kind)),
        })
        .collect()
}

/// The reviews `actor` sees of `service` (or of all theirs) and of `kind` (or of every kind they
/// see), newest first, `limit` at a time: what the API's list and the spreadsheet read. A
/// service not theirs is refused. What it reads still passes [`Actor::sees_review`], since a
/// kind seen at one service may not be seen at another.
pub fn reviews_filter(
    actor: &Actor,
    service: Option<Uuid>,
    kind: Option<ReviewKind>,
    limit: i64,
) -> Result<ReviewFilter, AppError> {
    let service_ids = match service {
        Some(service) if actor.may(Action::ViewReviews(service)) == Decision::Deny => return Err(AppError::Forbidden),
        Some(service) => Some(vec![service]),
        None => actor.service_scope().map(<[Uuid]>::to_vec),
    };
    let seen = kinds_seen(actor);
    let kinds = match kind {
        Some(kind) => seen.into_iter().filter(|seen| *seen == kind).collect(),
        None => seen,
    };
    Ok(ReviewFilter { service_ids, kinds: Some(kinds), limit, ..Default::default() })
}

/// The latest reviews `actor` sees, newest first.
async fn recent_reviews(storage: &Storage, actor: &Actor) -> Result<Vec<Review>, AppError> {
    let filter = reviews_filter(actor, None, None, 100)?;
    Ok(storage
        .reviews
        .reviews(&filter)
        .await?
        .into_iter()
        .filter(|review| actor.sees_review(review.service_id, review.kind))
        .take(10)
        .collect())
}

/// The service `raw` names, if the person may see its reviews.
async fn reviewable_service(storage: &Storage, actor: &Actor, raw: &str) -> Result<Service, AppError> {
    let id = Uuid::parse_str(raw.trim()).map_err(|_| AppError::BadRequest("Choose the service.".into()))?;
    let service = crate::storage::service(storage, id).await?;
    crate::auth::authorise(actor, Action::ViewReviews(service.id))?;
    Ok(service)
}

/// Where `kind` stands at `service` now.
async fn status_of(storage: &Storage, service: &Service, kind: ReviewKind) -> Result<ReviewStatus, AppError> {
    let statuses = review_statuses(storage, std::slice::from_ref(service)).await?;
    statuses
        .into_iter()
        .flat_map(|reviews| reviews.statuses)
        .find(|status| status.cadence.kind == kind)
        .ok_or(AppError::NotFound)
}

/// The period `raw` names, if a review of it may be recorded now (it is current or overdue).
fn open_period(status: &ReviewStatus, raw: &str) -> Result<ReviewPeriod, AppError> {
    let period = ReviewPeriod::parse(raw).ok_or_else(|| AppError::BadRequest("Choose the period reviewed.".into()))?;
    if !status.open_periods().contains(&period) {
        return Err(AppError::BadRequest(format!(
            "{} is not due for this review: choose a period from the reviews page.",
            period.in_words()
        )));
    }
    Ok(period)
}

/// How many checks one review may link.
const LINKED_CHECKS: usize = 200;

/// How many of a period's checks the form offers to link; a review of more links the trends.
const CHECK_CHOICES: usize = 60;

/// A review as a form or the API sends it, before it is judged.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
pub struct NewReview {
    pub service_id: Uuid,
    pub kind: ReviewKind,
    /// The period reviewed, as the due reviews name it: `2026-W49`, `2026-12-02.night`.
    pub period: String,
    pub looked_at: String,
    pub findings: String,
    #[serde(default)]
    pub actions_taken: String,
    #[serde(default)]
    pub check_ids: Vec<Uuid>,
    #[serde(default)]
    pub theme_ids: Vec<Uuid>,
}

impl NewReview {
    fn from_form(fields: &FormFields) -> Result<NewReview, AppError> {
        let ids = |name: &str, refusal: &str| {
            fields
                .all(name)
                .into_iter()
                .map(|raw| Uuid::parse_str(raw).map_err(|_| AppError::BadRequest(refusal.to_owned())))
                .collect::<Result<Vec<Uuid>, AppError>>()
        };
        Ok(NewReview {
            service_id: Uuid::parse_str(fields.text("service").trim())
                .map_err(|_| AppError::BadRequest("Choose the service.".into()))?,
            kind: ReviewKind::from_code(fields.text("kind"))
                .ok_or_else(|| AppError::BadRequest("Choose the kind of review.".into()))?,
            period: fields.text("period").to_owned(),
            looked_at: fields.text("looked_at").to_owned(),
            findings: fields.text("findings").to_owned(),
            actions_taken: fields.text("actions_taken").to_owned(),
            check_ids: ids("checks", "A linked check does not exist.")?,
            theme_ids: ids("themes", "Choose themes from the list.")?,
        })
    }
}

/// Judges and keeps a review `author` records: it must fall to them, be for a period still open
/// (current or overdue), say what was looked at and found, and link only the service's checks
/// and known themes.
pub async fn keep_review(
    storage: &Storage,
    actor: &Actor,
    author: crate::domain::audit::Author,
    new: NewReview,
) -> Result<Review, AppError> {
    use crate::domain::text::LongText;
    let service = crate::storage::service(storage, new.service_id).await?;
    crate::auth::authorise(actor, Action::ViewReviews(service.id))?;
    crate::auth::authorise(actor, Action::RecordReview(service.id, new.kind))?;
    let status = status_of(storage, &service, new.kind).await?;
    let period = open_period(&status, &new.period)?;
    let mut validation = Validation::default();
    let looked_at = validation.check("looked_at", LongText::parse("What was looked at", &new.looked_at));
    let findings = validation.check("findings", LongText::parse("What was found", &new.findings));
    let actions_taken = match new.actions_taken.trim() {
        "" => Some(String::new()),
        text => validation.check("actions_taken", LongText::parse("What was done", text)).map(String::from),
    };
    let mut check_ids = new.check_ids.clone();
    check_ids.sort();
    check_ids.dedup();
    if check_ids.len() > LINKED_CHECKS {
        validation.reject("checks", format!("Link at most {LINKED_CHECKS} checks; link the trends for more."));
        check_ids.clear();
    }
    for id in &check_ids {
        let check = storage.checks.check(*id).await?;
        if !check.is_some_and(|check| check.check.service_id == service.id) {
            validation.reject("checks", "A linked check is not one of this service's.");
        }
    }
    let themes = storage.organisation.themes().await?;
    if !new.theme_ids.iter().all(|id| themes.iter().any(|theme| theme.id == *id)) {
        validation.reject("themes", "Choose themes from the list.");
    }
    let review = match (looked_at, findings, actions_taken) {
        (Some(looked_at), Some(findings), Some(actions_taken)) => Some(Review {
            id: Uuid::now_v7(),
            service_id: service.id,
            kind: new.kind,
            period: period.code(),
            recorded_by: author,
            recorded_at_ms: storage.now_ms(),
            looked_at: looked_at.into(),
            findings: findings.into(),
            actions_taken,
            check_ids,
            theme_ids: new.theme_ids,
        }),
        _ => None,
    };
    let review = validation.finish(review)?;
    let summary = format!("{} review of {} at {}", new.kind.label(), period.in_words(), service.name);
    storage.record_review(&review, &summary).await?;
    Ok(review)
}

#[server(prefix = "/fn", endpoint = "reviews/record", input = leptos::server_fn::codec::Json)]
pub async fn record_review(fields: FormFields) -> Result<Uuid, AppError> {
    crate::error::respond(
        async move {
            let (actor, author) = crate::auth::require_author().await?;
            let storage = crate::error::storage()?;
            let review = keep_review(&storage, &actor, author, NewReview::from_form(&fields)?).await?;
            let period = period_words(&review.period);
            crate::form::send_to(&format!("/reviews/{}", review.id));
            crate::pages::admin::saved(format!("Recorded the review for {}.", lowercase_first(&period))).await;
            Ok(review.id)
        }
        .await,
    )
}

async fn render_form(actor: &Actor, query: &Query) -> Result<Page, AppError> {
    let storage = crate::error::storage()?;
    let service = reviewable_service(&storage, actor, query.get("service")).await?;
    let kind = ReviewKind::from_code(query.get("kind")).ok_or(AppError::NotFound)?;
    crate::auth::authorise(actor, Action::RecordReview(service.id, kind))?;
    let status = status_of(&storage, &service, kind).await?;
    let period = match query.get("period") {
        "" => status.current.filter(|_| !status.current_done).or(status.overdue.first().copied()).or(status.current),
        raw => Some(open_period(&status, raw)?),
    }
    .ok_or_else(|| AppError::BadRequest("This review is not held at this service.".into()))?;
    let names = Names::load(actor).await?;
    let checks = checks_in_period(&storage, &service, period).await?;
    let check_count = checks.len();
    let check_options: Vec<(String, String)> = checks
        .iter()
        .take(CHECK_CHOICES)
        .map(|check| {
            let label = format!(
                "{} · {} · {} · {}",
                names.observed(check),
                names.staff(check.check.staff_id),
                names.theme(check.check.theme_id).map_or("", |theme| theme.name.as_str()),
                check.assessment.in_words()
            );
            (check.check.id.to_string(), label)
        })
        .collect();
    let ticked: Vec<String> = check_options.iter().map(|(value, _)| value.clone()).collect();
    let theme_options: Vec<(String, String)> =
        names.themes.iter().map(|theme| (theme.id.to_string(), theme.name.clone())).collect();
    let themes_ticked: Vec<String> = match kind {
        ReviewKind::ThemeGovernance => theme_options.iter().map(|(value, _)| value.clone()).collect(),
        _ => Vec::new(),
    };
    let checks_hint = match check_count {
        0 => None,
        n if n > CHECK_CHOICES => {
            Some(format!("The latest {CHECK_CHOICES} of the period's {n} checks; untick any not looked at."))
        }
        _ => Some("Untick any not looked at.".to_owned()),
    };
    let no_checks = check_options.is_empty();
    let others: Vec<ReviewPeriod> = status.open_periods().into_iter().filter(|other| *other != period).collect();
    let other_links = (!others.is_empty()).then(|| {
        let links = others
            .into_iter()
            .rev()
            .map(|other| view! { <li><a href=record_href(service.id, kind, other)>{other.in_words()}</a></li> })
            .collect_view();
        view! { <p class="muted">"Or record it for another period still open:"</p> <ul class="inline-list">{links}</ul> }
    });
    let title = format!("{}: {}", kind.label(), period.in_words());
    let lead = format!("At {}. {}", service.name, kind.looks_at());
    let body = view! {
        <section class="card editor" aria-labelledby="review-heading">
            <h2 id="review-heading">"The review"</h2>
            <SaveForm endpoint="reviews/record" next="/reviews" submit_label="Record the review" cancel="/reviews">
                <input type="hidden" name="service" value=service.id.to_string() />
                <input type="hidden" name="kind" value=kind.code() />
                <input type="hidden" name="period" value=period.code() />
                <TextField name="looked_at" label="What was looked at" multiline=true hint=kind.example() />
                <TextField name="findings" label="What was found" multiline=true
                    hint="What was good, what fell short, and any pattern across staff or shifts." />
                <TextField name="actions_taken" label="What was done" multiline=true
                    hint="Coaching given, a briefing planned, a cycle opened. Leave empty if nothing was needed." />
                {if no_checks {
                    view! { <p class="muted">"No checks were recorded at this service in this period."</p> }.into_any()
                } else {
                    view! { <ChoiceGroup name="checks" legend="Checks it covered" options=check_options selected=ticked hint=checks_hint.unwrap_or_default() /> }.into_any()
                }}
                <ChoiceGroup name="themes" legend="Trends it covered" options=theme_options selected=themes_ticked
                    hint="The practice themes whose trends were looked at." />
            </SaveForm>
        </section>
        {other_links}
    };
    crate::pages::admin::page(&title, Some(&lead), body).await
}

async fn render_one(actor: &Actor, id: Uuid) -> Result<Page, AppError> {
    let storage = crate::error::storage()?;
    let review = storage
        .reviews
        .review(id)
        .await?
        .filter(|review| actor.sees_review(review.service_id, review.kind))
        .ok_or(AppError::NotFound)?;
    let names = Names::load(actor).await?;
    let service = names.service(review.service_id).cloned().ok_or(AppError::NotFound)?;
    let mut checks = Vec::new();
    for check_id in &review.check_ids {
        if let Some(check) = storage.checks.check(*check_id).await? {
            checks.push(check);
        }
    }
    let check_items = checks
        .iter()
        .map(|check| {
            let label = format!(
                "{} · {} · {}",
                names.observed(check),
                names.staff(check.check.staff_id),
                names.theme(check.check.theme_id).map_or("", |theme| theme.name.as_str())
            );
            view! { <li><a href=format!("/checks/{}", check.check.id)>{label}</a> " " <span class="muted">{check.assessment.in_words()}</span></li> }
        })
        .collect_view();
    let theme_items = review
        .theme_ids
        .iter()
        .filter_map(|id| names.theme(*id))
        .map(|theme| {
            view! { <li><a href=format!("/trends?service={}&theme={}", service.id, theme.id)>{theme.name.clone()}</a></li> }
        })
        .collect_view();
    let recorded = format!(
        "At {} · recorded by {} on {}",
        service.name,
        review.recorded_by.name,
        crate::pages::uk_time::wall_clock(review.recorded_at_ms, &service.time_zone, "%-d %B %Y at %H:%M")
    );
    let actions = match review.actions_taken.as_str() {
        "" => "Nothing needed doing.".to_owned(),
        text => text.to_owned(),
    };
    let (has_checks, has_themes) = (!review.check_ids.is_empty(), !review.theme_ids.is_empty());
    let title = format!("{}: {}", review.kind.label(), period_words(&review.period));
    let body = view! {
        <p class="muted">{recorded}</p>
        <section class="card review-card">
            <h2>"What was looked at"</h2>
            <p class="review-text">{review.looked_at.clone()}</p>
            <h2>"What was found"</h2>
            <p class="review-text">{review.findings.clone()}</p>
            <h2>"What was done"</h2>
            <p class="review-text">{actions}</p>
        </section>
        <h2>"Checks it covered"</h2>
        {if has_checks { view! { <ul class="review-links">{check_items}</ul> }.into_any() } else { view! { <p class="muted">"None linked."</p> }.into_any() }}
        <h2>"Trends it covered"</h2>
        {if has_themes { view! { <ul class="review-links">{theme_items}</ul> }.into_any() } else { view! { <p class="muted">"None linked."</p> }.into_any() }}
        <p><a href="/reviews">"All reviews"</a></p>
    };
    crate::pages::admin::page(&title, None, body).await
}

#[server(prefix = "/fn", endpoint = "reviews/cadence", input = leptos::server_fn::codec::Json)]
pub async fn save_cadence(fields: FormFields) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let (actor, author) = crate::auth::require_author().await?;
            let storage = crate::error::storage()?;
            let service = reviewable_service(&storage, &actor, fields.text("service")).await?;
            crate::auth::authorise(&actor, Action::EditReviewCadence(service.id))?;
            let today = date_in_zone(&service.time_zone, storage.now_ms());
            let set = storage.reviews.review_cadences(&[service.id]).await?;
            let mut validation = Validation::default();
            let mut changed = Vec::new();
            for current in Cadence::of_service(service.id, &set) {
                let field = current.kind.code();
                let Some(frequency) = validation
                    .check(field, Frequency::from_code(fields.text(field)).ok_or("Choose how often it is due."))
                else {
                    continue;
                };
                if frequency != current.frequency {
                    changed.push(Cadence { frequency, since: Some(today), ..current });
                }
            }
            validation.finish(Some(()))?;
            let notice = match changed.len() {
                0 => "Nothing changed.".to_owned(),
                _ => format!("Saved how often reviews are due at {}.", service.name),
            };
            if !changed.is_empty() {
                storage.set_review_cadences(&changed, &author).await?;
            }
            crate::pages::admin::saved(notice).await;
            Ok(())
        }
        .await,
    )
}

async fn render_cadence(actor: &Actor, query: &Query) -> Result<Page, AppError> {
    let storage = crate::error::storage()?;
    let service = reviewable_service(&storage, actor, query.get("service")).await?;
    let set = storage.reviews.review_cadences(&[service.id]).await?;
    let cadences = Cadence::of_service(service.id, &set);
    let editable = actor.may(Action::EditReviewCadence(service.id)) == Decision::Allow;
    let since = |cadence: &Cadence| match cadence.since {
        Some(day) => format!("since {}", day.in_words()),
        None => "as usual".to_owned(),
    };
    let items = cadences
        .iter()
        .map(|cadence| {
            view! {
                <li class="record">
                    <div class="record__main">
                        <h3 class="record__title">{cadence.kind.label()}</h3>
                        <p>{format!("{}, {}.", cadence.frequency.label(), since(cadence))}</p>
                        <p class="muted">{format!("Falls to {}.", cadence.kind.falls_to())}</p>
                    </div>
                </li>
            }
        })
        .collect_view();
    let options: Vec<(String, String)> =
        Frequency::ALL.iter().map(|frequency| (frequency.code().to_owned(), frequency.label().to_owned())).collect();
    let form = editable.then(|| {
        let here = format!("/reviews/cadence?service={}", service.id);
        let selects = cadences
            .iter()
            .map(|cadence| {
                view! {
                    <SelectField name=cadence.kind.code() label=cadence.kind.label() options=options.clone()
                        selected=cadence.frequency.code() />
                }
            })
            .collect_view();
        view! {
            <section class="card editor" aria-labelledby="cadence-heading">
                <h2 id="cadence-heading">"Change how often"</h2>
                <SaveForm endpoint="reviews/cadence" next=here submit_label="Save">
                    <input type="hidden" name="service" value=service.id.to_string() />
                    {selects}
                </SaveForm>
                <p class="muted">"A change applies from today: the periods before it are never overdue."</p>
            </section>
        }
    });
    let body = view! {
        <ul class="record-list">{items}</ul>
        {form}
        <p><a href="/reviews">"All reviews"</a></p>
    };
    crate::pages::admin::page(&format!("How often reviews are due: {}", service.name), None, body).await
}
