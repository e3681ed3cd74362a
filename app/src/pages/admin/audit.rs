//! The audit trail for provider admins: every sign-in and every change, newest first, filtered by
//! kind, person and dates. The filters are a plain GET form, so a filtered view can be bookmarked
//! or sent to a colleague.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// At most this many events are shown at once; narrower filters reach older ones.
pub const AUDIT_PAGE_SIZE: u32 = 200;

/// The kinds of event a person can filter by: the action prefix and its label.
pub const AUDIT_KINDS: [(&str, &str); 6] = [
    ("login", "Sign-ins"),
    ("user", "Users"),
    ("service", "Services"),
    ("staff", "Staff"),
    ("theme", "Practice themes"),
    ("organisation", "Organisation"),
];

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub kind: String,
    pub author: String,
    /// Dates as `YYYY-MM-DD`, inclusive, in UK time.
    pub from: String,
    pub to: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub when: String,
    pub author: String,
    pub action: String,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub lines: Vec<AuditLine>,
    pub more: bool,
}

mod reading {
    use super::*;
    use crate::domain::audit::AuditFilter;
    use crate::error::Validation;
    use crate::pages::uk_time;

    pub fn filter(query: &AuditQuery) -> Result<AuditFilter, AppError> {
        let mut validation = Validation::default();
        let action_prefix = match query.kind.as_str() {
            "" => None,
            kind if AUDIT_KINDS.iter().any(|(code, _)| *code == kind) => Some(kind.to_owned()),
            kind => {
                validation.reject("kind", format!("“{kind}” is not a kind of event."));
                None
            }
        };
        let author_id = match query.author.trim() {
            "" => None,
            raw => validation.check("author", Uuid::parse_str(raw).map_err(|_| "That person is unknown.")),
        };
        let (from_ms, to_ms) = uk_time::day_range(&query.from, &query.to, &mut validation);
        validation.finish(Some(AuditFilter {
            action_prefix,
            author_id,
            subject_id: None,
            from_ms,
            to_ms,
            limit: AUDIT_PAGE_SIZE + 1,
        }))
    }

    pub fn when(occurred_at_ms: i64) -> String {
        uk_time::wall_clock(occurred_at_ms, crate::domain::organisation::DEFAULT_TIME_ZONE, "%-d %b %Y, %H:%M:%S")
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn query(kind: &str, from: &str, to: &str) -> AuditQuery {
            AuditQuery { kind: kind.into(), author: String::new(), from: from.into(), to: to.into() }
        }

        #[test]
        fn dates_are_whole_uk_days() {
            let filter = filter(&query("user", "2026-10-25", "2026-10-25")).unwrap();
            assert_eq!(filter.action_prefix.as_deref(), Some("user"));
            assert_eq!(filter.from_ms, Some(1_792_882_800_000));
        }

        #[test]
        fn bad_filters_are_named() {
            let Err(AppError::Invalid(errors)) = filter(&query("gossip", "yesterday", "")) else { panic!() };
            let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, ["kind", "from"]);
            let Err(AppError::Invalid(errors)) = filter(&query("", "2026-11-02", "2026-11-01")) else { panic!() };
            assert_eq!(errors[0].message, "The end date is before the start date.");
        }

        #[test]
        fn no_filters_means_the_newest_events() {
            let filter = filter(&AuditQuery::default()).unwrap();
            assert_eq!((filter.action_prefix, filter.from_ms, filter.to_ms), (None, None, None));
            assert_eq!(filter.limit, AUDIT_PAGE_SIZE + 1);
        }

        #[test]
        fn times_are_shown_in_uk_time() {
            assert_eq!(when(1_782_900_000_000), "1 Jul 2026, 11:00:00");
            assert_eq!(when(1_767_225_600_000), "1 Jan 2026, 00:00:00");
        }
    }
}

async fn audit_page(storage: &crate::storage::Storage, query: &AuditQuery) -> Result<AuditPage, AppError> {
    let filter = reading::filter(query)?;
    let mut events = storage.audit.audit_events(&filter).await?;
    let more = events.len() > AUDIT_PAGE_SIZE as usize;
    events.truncate(AUDIT_PAGE_SIZE as usize);
    let pretty = |value: Option<serde_json::Value>| value.and_then(|v| serde_json::to_string_pretty(&v).ok());
    let lines = events
        .into_iter()
        .map(|event| AuditLine {
            when: reading::when(event.occurred_at_ms),
            author: event.author.name,
            action: event.action,
            summary: event.summary,
            before: pretty(event.before),
            after: pretty(event.after),
        })
        .collect();
    Ok(AuditPage { lines, more })
}

pub async fn render(
    actor: &crate::domain::access::Actor,
    query: &super::Query,
) -> Result<crate::pages::Page, AppError> {
    let query = AuditQuery {
        kind: query.get("kind").to_owned(),
        author: query.get("author").to_owned(),
        from: query.get("from").to_owned(),
        to: query.get("to").to_owned(),
    };
    let lead = Some(
        "Every sign-in and every change to users, services, staff and practice themes, newest first. Times are UK time.",
    );
    crate::auth::authorise(actor, crate::domain::access::Action::ViewAuditTrail)?;
    let storage = crate::error::storage()?;
    // Everyone who can sign in, for the "who" filter.
    let people: Vec<(Uuid, String)> =
        storage.accounts.users().await?.into_iter().map(|user| (user.id, user.name)).collect();
    let body = match audit_page(storage.as_ref(), &query).await {
        Ok(page) => view! { <AuditFilters query people /> <AuditTable page /> }.into_any(),
        Err(AppError::Invalid(errors)) => view! {
            <AuditFilters query people />
            <crate::components::form::FilterRefusals messages=crate::components::form::messages_of(errors) />
        }
        .into_any(),
        Err(error) => return Err(error),
    };
    super::page("Audit trail", lead, body).await
}

#[component]
fn AuditFilters(query: AuditQuery, people: Vec<(Uuid, String)>) -> impl IntoView {
    use crate::components::form::{FilterDatesAndButtons, FilterSelect};
    let kinds = AUDIT_KINDS.iter().map(|(code, label)| ((*code).to_owned(), (*label).to_owned())).collect();
    let people = people.into_iter().map(|(id, name)| (id.to_string(), name)).collect();
    view! {
        <form class="form filters" method="get" action="/admin/audit">
            <FilterSelect name="kind" label="What" all="Everything" choices=kinds chosen=query.kind />
            <FilterSelect name="author" label="Who" all="Anyone" choices=people chosen=query.author />
            <FilterDatesAndButtons from=query.from to=query.to clear_href="/admin/audit" />
        </form>
    }
}

#[component]
fn AuditTable(page: AuditPage) -> impl IntoView {
    let count = page.lines.len();
    let summary = match (count, page.more) {
        (0, _) => "Nothing matches these filters.".to_owned(),
        (_, true) => format!("The newest {count} events; narrow the filters to see older ones."),
        (1, false) => "1 event.".to_owned(),
        (_, false) => format!("{count} events."),
    };
    view! {
        <p>{summary}</p>
        <ol class="audit-list">
            {page.lines.into_iter().map(|line| {
                let has_details = line.before.is_some() || line.after.is_some();
                view! {
                    <li class="audit-event">
                        <p class="audit-event__head">
                            <span class="audit-event__when">{line.when}</span>
                            " · " <span>{line.author}</span>
                            " · " <code>{line.action}</code>
                        </p>
                        <p>{line.summary}</p>
                        {has_details.then(|| view! {
                            <details>
                                <summary>"Before and after"</summary>
                                {line.before.map(|before| view! { <h3>"Before"</h3> <pre>{before}</pre> })}
                                {line.after.map(|after| view! { <h3>"After"</h3> <pre>{after}</pre> })}
                            </details>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
