//! The checks recorded so far, newest first, filtered by service, staff member, theme and dates;
//! and one check in full with its history of corrections. Rendered on the server, scoped like
//! `GET /api/v1/checks`: a person sees the checks of their own services.

use crate::error::AppError;
use crate::pages::{Query, ServerPage, route_param};
use leptos::prelude::*;

/// The list shows at most this many at a time; "Older checks" goes on from the last.
pub const CHECKS_PAGE_SIZE: u32 = 100;

#[component]
pub fn ChecksPage() -> impl IntoView {
    let query = Query::of_this_page();
    let load = async move { rendering::list(&crate::auth::require_actor().await?, &query).await };
    view! { <ServerPage load /> }
}

#[component]
pub fn CheckPage() -> impl IntoView {
    let id = route_param("id");
    let load = async move {
        let actor = crate::auth::require_actor().await?;
        rendering::one(&actor, uuid::Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?).await
    };
    view! { <ServerPage load /> }
}

pub use rendering::{Names, filter_of};
pub(crate) use rendering::{check_details, detail_label};

mod rendering {
    use super::*;
    use crate::domain::access::Actor;
    use crate::domain::check::{CheckCursor, CheckFilter, StoredCheck};
    use crate::domain::organisation::{Service, StaffMember};
    use crate::domain::recording::{NO, YES, detail_values};
    use crate::domain::shift::ShiftKind;
    use crate::domain::theme::{Criterion, PracticeTheme, SCALE_LABELS, ThemeVersion};
    use crate::error::Validation;
    use crate::pages::Page;
    use crate::pages::admin::page;
    use crate::pages::uk_time;
    use std::collections::HashMap;
    use uuid::Uuid;

    /// Names for everything a check refers to.
    pub struct Names {
        pub(crate) services: Vec<Service>,
        pub(crate) staff: HashMap<Uuid, String>,
        pub(crate) themes: Vec<PracticeTheme>,
        pub(crate) versions: Vec<ThemeVersion>,
        pub(crate) people: HashMap<Uuid, String>,
    }

    impl Names {
        pub(crate) async fn load(actor: &Actor) -> Result<Names, AppError> {
            Names::load_from(crate::error::storage()?.as_ref(), actor).await
        }

        /// The names of what `actor` may see, read from `storage` (outside a page too).
        pub async fn load_from(storage: &crate::storage::Storage, actor: &Actor) -> Result<Names, AppError> {
            let services =
                storage.organisation.services().await?.into_iter().filter(|service| actor.covers(service.id)).collect();
            let staff = storage
                .organisation
                .staff_members(None)
                .await?
                .into_iter()
                .filter(|member: &StaffMember| member.service_ids.iter().any(|service| actor.covers(*service)))
                .map(|member| (member.id, member.name))
                .collect();
            let people = storage.accounts.users().await?.into_iter().map(|user| (user.id, user.name)).collect();
            Ok(Names {
                services,
                staff,
                themes: storage.organisation.themes().await?,
                versions: storage.organisation.theme_versions(None).await?,
                people,
            })
        }

        pub(crate) fn service(&self, id: Uuid) -> Option<&Service> {
            self.services.iter().find(|service| service.id == id)
        }

        pub(crate) fn theme(&self, id: Uuid) -> Option<&PracticeTheme> {
            self.themes.iter().find(|theme| theme.id == id)
        }

        pub(crate) fn staff(&self, id: Uuid) -> &str {
            self.staff.get(&id).map_or("Someone no longer listed", String::as_str)
        }

        /// A criterion's title, as its theme's latest version that has it names it: a criterion
        /// removed since still has its name on the checks that rated it.
        pub(crate) fn criterion_title(&self, theme_id: Uuid, criterion_id: Uuid) -> String {
            self.versions
                .iter()
                .rev()
                .filter(|version| version.theme_id == theme_id)
                .flat_map(|version| version.criteria.iter())
                .chain(self.theme(theme_id).into_iter().flat_map(|theme| theme.criteria.iter()))
                .find(|criterion| criterion.id == criterion_id)
                .map_or("A criterion".to_owned(), |criterion| criterion.title.clone())
        }

        pub(crate) fn person(&self, id: Uuid) -> &str {
            self.people.get(&id).map_or("someone no longer listed", String::as_str)
        }

        /// When it was observed, on the service's own clock.
        pub(crate) fn observed(&self, check: &StoredCheck) -> String {
            let zone = self.service(check.check.service_id).map_or("Europe/London", |s| s.time_zone.as_str());
            uk_time::wall_clock(check.observed_at_ms, zone, "%a %-d %b %Y, %H:%M")
        }

        /// "Early shift · weekend · Larch House · by Callum Reid · unannounced"
        pub(crate) fn circumstances(&self, check: &StoredCheck) -> String {
            let service = self.service(check.check.service_id).map_or("", |service| service.name.as_str());
            let week = if check.weekend_practice { "weekend" } else { "weekday" };
            let announced = if check.check.announced { "announced" } else { "unannounced" };
            format!(
                "{} shift · {week} · {service} · by {} · {announced}",
                check.shift_kind.label(),
                self.person(check.observer_id)
            )
        }

        /// "Pace 3 · Choice offered 2", in the words of the version rated against.
        pub(crate) fn ratings(&self, check: &StoredCheck) -> String {
            let criteria = crate::domain::check::rated_criteria(check, &self.versions).unwrap_or_default();
            check
                .check
                .ratings
                .iter()
                .map(|rating| {
                    let title = criteria
                        .iter()
                        .find(|criterion| criterion.id == rating.criterion_id)
                        .map_or("A criterion", |criterion| criterion.title.as_str());
                    let score = rating.score.map_or("N/A".to_owned(), |score| score.to_string());
                    format!("{title} {score}")
                })
                .collect::<Vec<_>>()
                .join(" · ")
        }
    }

    pub async fn list(actor: &Actor, query: &Query) -> Result<Page, AppError> {
        let names = Names::load(actor).await?;
        let filters = filters(&names, query);
        let lead = Some(
            "Newest first. Times are on each service's own clock; the dates to filter by are UK days. Open a \
             check to see it in full or correct it.",
        );
        let filter = match filter_of(query, CHECKS_PAGE_SIZE + 1) {
            Ok(filter) => filter,
            Err(AppError::Invalid(errors)) => {
                let refusals = view! { <crate::components::form::FilterRefusals messages=crate::components::form::messages_of(errors) /> };
                return page("Checks", lead, view! { {filters} {refusals} }).await;
            }
            Err(error) => return Err(error),
        };
        let (staff_id, after) = (filter.staff_id, filter.after);
        // The same filters from the newest check: for the first page, and for the export.
        let from_newest: Vec<(String, String)> = query.0.iter().filter(|(name, _)| name != "after").cloned().collect();
        let export = format!("/checks/export.csv?{}", crate::form::query_string(&from_newest));
        let storage = crate::error::storage()?;
        let mut checks = crate::storage::visible_checks(&storage, actor, filter).await?.ok_or(AppError::Forbidden)?;
        let more = checks.len() > CHECKS_PAGE_SIZE as usize;
        checks.truncate(CHECKS_PAGE_SIZE as usize);
        let count = checks.len();
        let paging = match (after.is_some(), count) {
            (false, 0) => "No checks match.".to_owned(),
            (true, 0) => "No older checks match.".to_owned(),
            (false, 1) => "1 check.".to_owned(),
            (false, _) if !more => format!("{count} checks."),
            (false, _) => format!("The newest {count} checks."),
            (true, _) => format!("{count} older checks."),
        };
        let older = more.then(|| checks.last().map(CheckCursor::of)).flatten().map(|cursor| {
            let mut pairs = from_newest.clone();
            pairs.push(("after".to_owned(), cursor.token()));
            format!("/checks?{}", crate::form::query_string(&pairs))
        });
        let newest = after.is_some().then(|| format!("/checks?{}", crate::form::query_string(&from_newest)));
        let items = checks
            .into_iter()
            .map(|kept| {
                let theme = names.theme(kept.check.theme_id).map_or("A theme", |theme| theme.name.as_str()).to_owned();
                // Only current checks are listed: a correction stands where the check it corrects was.
                let tag = kept.check.amends.is_some().then_some("Correction");
                view! {
                    <li class="record">
                        <div class="record__main">
                            <h2 class="record__title">
                                <a href=format!("/checks/{}", kept.check.id)>{format!("{}: {theme}", names.staff(kept.check.staff_id))}</a>
                                {tag.map(|tag| view! { " " <span class="tag tag--muted">{tag}</span> })}
                            </h2>
                            <p><strong>{names.observed(&kept)}</strong> " · " {names.circumstances(&kept)}</p>
                            <p class="muted">{names.ratings(&kept)}</p>
                        </div>
                    </li>
                }
            })
            .collect_view();
        let pager = view! {
            <nav class="pager" aria-label="Pages of checks">
                {newest.map(|href| view! { <a class="button button--secondary" href=href>"Newest checks"</a> })}
                {older.map(|href| view! { <a class="button button--secondary" href=href>"Older checks"</a> })}
            </nav>
        };
        // Someone's checks and the cycles about them are read together.
        let sees_trends = actor.sees_trends();
        let their_cycles = staff_id.map(|staff| {
            let name = names.staff(staff).to_owned();
            let trend = sees_trends.then(|| {
                view! { " · " <a href=format!("/trends/staff?staff={staff}")>{format!("{name}'s trend")}</a> }
            });
            view! {
                <p><a href=format!("/cycles?staff={staff}")>{format!("Improvement cycles about {name}")}</a> {trend}</p>
            }
        });
        let download = (count > 0).then(|| {
            view! { <p><a href=export download="">"Download the checks that match, as a spreadsheet (CSV)"</a></p> }
        });
        page(
            "Checks",
            lead,
            view! { {filters} {their_cycles} <p>{paging}</p> {download} <ul class="record-list">{items}</ul> {pager} },
        )
        .await
    }

    /// The checks `query` asks for (service, staff member, theme, shift type, weekdays or
    /// weekends, announced or not, UK dates, and the page after `after`), at most `limit` of
    /// them; its refusals, each beside its field.
    pub fn filter_of(query: &Query, limit: u32) -> Result<CheckFilter, AppError> {
        let mut validation = Validation::default();
        let mut id = |field: &str| match query.get(field).trim() {
            "" => None,
            raw => validation.check(field, Uuid::parse_str(raw).map_err(|_| "That is not one of the choices.")),
        };
        let (service_id, staff_id, theme_id) = (id("service"), id("staff"), id("theme"));
        let (from_ms, to_ms) = uk_time::day_range(query.get("from"), query.get("to"), &mut validation);
        let after = match query.get("after") {
            "" => None,
            token => validation.check("after", CheckCursor::parse(token).ok_or("That page of checks does not exist.")),
        };
        let shift = match query.get("shift").trim() {
            "" => None,
            code => validation.check("shift", ShiftKind::from_code(code).ok_or("That is not one of the shift types.")),
        };
        let mut either = |field: &str, yes: &str, no: &str| match query.get(field).trim() {
            "" => None,
            chosen if chosen == yes => Some(true),
            chosen if chosen == no => Some(false),
            _ => validation.check::<bool, _>(field, Err("That is not one of the choices.")),
        };
        let weekend = either("days", "weekends", "weekdays");
        let announced = either("announced", "yes", "no");
        validation.finish(Some(CheckFilter {
            service_ids: service_id.map(|service| vec![service]),
            staff_id,
            theme_id,
            from_ms,
            to_ms,
            shift,
            weekend,
            announced,
            after,
            limit,
        }))
    }

    fn filters(names: &Names, query: &Query) -> impl IntoView + use<> {
        use crate::components::form::{FilterDatesAndButtons, FilterSelect};
        let services = names.services.iter().map(|service| (service.id.to_string(), service.name.clone())).collect();
        let mut staff: Vec<(String, String)> =
            names.staff.iter().map(|(id, name)| (id.to_string(), name.clone())).collect();
        staff.sort_by(|a, b| a.1.cmp(&b.1));
        let themes = names.themes.iter().map(|theme| (theme.id.to_string(), theme.name.clone())).collect();
        let shifts = ShiftKind::ALL.iter().map(|kind| (kind.code().to_owned(), kind.label().to_owned())).collect();
        let pair = |value: &str, text: &str| (value.to_owned(), text.to_owned());
        let days = vec![pair("weekdays", "Weekdays"), pair("weekends", "Weekends")];
        let announced = vec![pair("yes", "Announced"), pair("no", "Unannounced")];
        view! {
            <form class="form filters" method="get" action="/checks">
                <FilterSelect name="service" label="Service" all="All your services" choices=services chosen=query.get("service") />
                <FilterSelect name="staff" label="Staff member" all="Anyone" choices=staff chosen=query.get("staff") />
                <FilterSelect name="theme" label="Practice theme" all="Any theme" choices=themes chosen=query.get("theme") />
                <FilterSelect name="shift" label="Shift" all="Any shift" choices=shifts chosen=query.get("shift") />
                <FilterSelect name="days" label="Days" all="Any day" choices=days chosen=query.get("days") />
                <FilterSelect name="announced" label="Announced" all="Announced or not" choices=announced chosen=query.get("announced") />
                <FilterDatesAndButtons from=query.get("from") to=query.get("to") clear_href="/checks" />
            </form>
        }
    }

    pub async fn one(actor: &Actor, id: Uuid) -> Result<Page, AppError> {
        let storage = crate::error::storage()?;
        let kept = storage
            .checks
            .check(id)
            .await?
            .filter(|kept| actor.covers(kept.check.service_id))
            .ok_or(AppError::NotFound)?;
        let corrections = storage.checks.amendments(id).await?;
        // The first correction of a chain corrects the check the chain began with.
        let original = match corrections.first().and_then(|first| first.check.amends.as_ref()) {
            Some(amendment) if amendment.check_id != id => storage.checks.check(amendment.check_id).await?,
            _ => None,
        }
        .unwrap_or_else(|| kept.clone());
        let names = Names::load(actor).await?;
        let criteria =
            crate::domain::check::rated_criteria(&kept, &names.versions).map(<[_]>::to_vec).unwrap_or_default();
        let title = format!(
            "{}: {}",
            names.staff(kept.check.staff_id),
            names.theme(kept.check.theme_id).map_or("A theme", |theme| theme.name.as_str())
        );
        let when = |at_ms: i64| uk_time::wall_clock(at_ms, "Europe/London", "%-d %b %Y, %H:%M");
        let link_unless_here = |check_id: Uuid, text: &'static str| {
            if check_id == id {
                view! { <strong>{text}</strong> }.into_any()
            } else {
                view! { <a href=format!("/checks/{check_id}")>{text}</a> }.into_any()
            }
        };
        let this_one = |check_id: Uuid| (check_id == id).then_some(" (this check)");
        let standing = match kept.superseded_by {
            Some(current) => view! {
                <p class="notice">
                    "This check has been corrected. " <a href=format!("/checks/{current}")>"The correction"</a>
                    " stands in its place wherever checks are listed or counted; this one stays as it was recorded."
                </p>
            }
            .into_any(),
            None => view! { <p><a class="button" href=format!("/?amend={id}")>"Correct this check"</a></p> }.into_any(),
        };
        // docs/domain.md §2, step 1: a weak check is where a cycle usually begins.
        let opens_cycle = kept.is_current()
            && kept.assessment.weak
            && actor.may(crate::domain::access::Action::OpenCycle(kept.check.service_id))
                == crate::domain::access::Decision::Allow;
        let open_cycle = opens_cycle.then(|| {
            view! {
                <p><a class="button button--secondary" href=format!("/cycles/new?check={id}")>"Open an improvement cycle"</a></p>
            }
        });
        let body = view! {
            {kept.check.amends.clone().map(|amendment| view! {
                <p class="notice">
                    "This check corrects " <a href=format!("/checks/{}", amendment.check_id)>"an earlier check"</a>
                    ". Why: " {amendment.reason}
                </p>
            })}
            {check_details(&names, &kept, criteria)}
            {standing}
            {open_cycle}
            <p>
                <a href=format!("/cycles?staff={}", kept.check.staff_id)>{format!("Improvement cycles about {}", names.staff(kept.check.staff_id))}</a>
            </p>
            <section aria-labelledby="history-heading">
                <h2 id="history-heading">"History"</h2>
                <ol class="history">
                    <li>
                        {link_unless_here(original.check.id, "Recorded")}
                        {format!(" by {}; observed {}; reached the server {}.",
                            names.person(original.observer_id),
                            names.observed(&original),
                            when(original.received_at_ms))}
                        {this_one(original.check.id)}
                    </li>
                    {corrections.into_iter().map(|correction| {
                        let reason = correction.check.amends.as_ref().map(|a| a.reason.clone()).unwrap_or_default();
                        let stands = if correction.is_current() { " It stands now." } else { "" };
                        view! {
                            <li>
                                {link_unless_here(correction.check.id, "Corrected")}
                                {format!(" by {} on {}: {reason}{stands}",
                                    names.person(correction.observer_id),
                                    when(correction.received_at_ms))}
                                {this_one(correction.check.id)}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </section>
        };
        page(&title, None, body).await
    }

    /// The ratings with the criteria and descriptors of the theme version they were given
    /// against (`criteria`), so a score reads as what the observer saw.
    pub(crate) fn check_details(names: &Names, kept: &StoredCheck, criteria: Vec<Criterion>) -> impl IntoView + use<> {
        let current_version = names.theme(kept.check.theme_id).map(|theme| theme.version);
        let version_note = match current_version {
            Some(current) if current != kept.rated_against_version => format!(
                "Rated against version {} of the theme, as shown here; the theme is now at version {current}.",
                kept.rated_against_version
            ),
            _ => format!("Rated against version {} of the theme.", kept.rated_against_version),
        };
        let ratings = kept.check.ratings.clone();
        let rows = ratings
            .into_iter()
            .map(|rating| {
                let criterion = criteria.iter().find(|c| c.id == rating.criterion_id).cloned();
                let (title, descriptor) = match (criterion, rating.score) {
                    (Some(criterion), Some(score)) => (
                        criterion.title,
                        criterion.descriptors.get(usize::from(score) - 1).cloned().unwrap_or_default(),
                    ),
                    (Some(criterion), None) => (criterion.title, "Did not apply this time.".to_owned()),
                    (None, _) => (
                        "A criterion removed before versions were kept".to_owned(),
                        "Its wording was not kept by the release that recorded this check.".to_owned(),
                    ),
                };
                let score = rating.score.map_or("N/A".to_owned(), |score| {
                    format!("{score} · {}", SCALE_LABELS[usize::from(score).clamp(1, 4) - 1])
                });
                view! { <tr><th scope="row">{title}</th><td>{score}</td><td>{descriptor}</td></tr> }
            })
            .collect_view();
        let details: Vec<(&'static str, String)> = detail_values(&kept.check.details)
            .into_iter()
            .map(|(name, value)| {
                let shown = match value.as_str() {
                    YES => "Yes".to_owned(),
                    NO => "No".to_owned(),
                    _ => value,
                };
                (detail_label(name), shown)
            })
            .collect();
        view! {
            <p><strong>{names.observed(kept)}</strong> " · " {names.circumstances(kept)}</p>
            <p class="muted">{version_note}</p>
            <div class="table-scroll" role="region" aria-label="Ratings" tabindex="0">
                <table class="descriptor-table">
                    <thead><tr><th scope="col">"Criterion"</th><th scope="col">"Rating"</th><th scope="col">"What that looks like"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <dl class="check-details">
                {details.into_iter().map(|(label, value)| view! {
                    <dt>{label}</dt>
                    <dd>{if value.is_empty() { "Not recorded".to_owned() } else { value }}</dd>
                }).collect_view()}
            </dl>
        }
    }

    /// What the check page calls each of a kind's fields.
    pub(crate) fn detail_label(name: &str) -> &'static str {
        match name {
            "feedback_given" => "Feedback given there and then",
            "feedback" => "Feedback",
            "examples" => "Examples",
            "person_response" => "The person's response",
            "notes_sampled" => "Notes sampled",
            "notes_clear" => "Clear notes",
            "notes_vague" => "Vague notes",
            "alignment" => "Alignment with care delivered",
            "trigger" => "Trigger",
            "agreed_approach_used" => "Agreed approach used",
            "de_escalation_language" => "De-escalation language",
            "outcome" => "Outcome for the person",
            _ => "Detail",
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::domain::check::CheckDetails;

        #[test]
        fn every_field_of_every_kind_has_a_label() {
            let kinds = [
                CheckDetails::Observation {
                    examples: String::new(),
                    person_response: String::new(),
                    feedback_given: true,
                    feedback: String::new(),
                },
                CheckDetails::RecordSample {
                    notes_sampled: 1,
                    notes_clear: 1,
                    notes_vague: 0,
                    alignment: String::new(),
                    examples: String::new(),
                },
                CheckDetails::DistressEpisode {
                    trigger: String::new(),
                    agreed_approach_used: false,
                    de_escalation_language: String::new(),
                    outcome: String::new(),
                },
            ];
            for details in kinds {
                for (name, _) in detail_values(&details) {
                    assert_ne!(detail_label(name), "Detail", "{name} has no label");
                }
            }
        }
    }
}
