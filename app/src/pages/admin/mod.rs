//! Administration: services, staff, users, practice themes and the audit trail. Provider admins
//! see everything; a registered manager sees their own services, staff and users. Each server
//! function asks the access policy before it reads or changes anything.
//!
//! These pages are rendered to HTML on the server and shown as they come: the browser carries no
//! code of their own, which keeps the download within its budget for the shift leader's tablet.
//! Forms are sent by the small generic enhancer (`crate::enhance`) to the save functions below;
//! a saved change leaves a notice in the session, shown once on the next page.

pub mod audit;
pub mod services;
pub mod staff;
pub mod themes;
pub mod users;

use crate::components::failure::Failure;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One administration page, rendered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminHtml {
    pub title: String,
    pub html: String,
}

/// Renders the administration page `page` ("" for the overview, "services", "staff", "users",
/// "themes", "audit") for the query string's name–value pairs.
#[server(prefix = "/fn", endpoint = "admin/page", input = leptos::server_fn::codec::Json)]
pub async fn admin_page(page: String, query: Vec<(String, String)>) -> Result<AdminHtml, AppError> {
    crate::error::respond(
        async move {
            let actor = crate::auth::require_actor().await?;
            let query = Query(query);
            match page.as_str() {
                "" => rendering::overview(&actor).await,
                "services" => services::render(&actor, &query).await,
                "staff" => staff::render(&actor, &query).await,
                "users" => users::render(&actor, &query).await,
                "themes" => themes::render(&actor, &query).await,
                "audit" => audit::render(&actor, &query).await,
                _ => Err(AppError::NotFound),
            }
        }
        .await,
    )
}

/// The page's query string, as name–value pairs.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query(pub Vec<(String, String)>);

#[cfg(feature = "ssr")]
impl Query {
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str()).unwrap_or("")
    }
}

/// What an administration page's editor shows, from `?edit=new` or `?edit=<id>`.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Editing {
    Nothing,
    New,
    Existing(Uuid),
}

#[cfg(feature = "ssr")]
impl Editing {
    pub fn from_query(query: &Query) -> Editing {
        match query.get("edit") {
            "new" => Editing::New,
            raw => Uuid::parse_str(raw).map_or(Editing::Nothing, Editing::Existing),
        }
    }

    /// What the editor opens on: nothing, a new record (`Some(None)`), or one of `records` (one
    /// the person may not see is `NotFound`).
    pub fn open<T: Clone>(self, records: &[T], id_of: impl Fn(&T) -> Uuid) -> Result<Option<Option<T>>, AppError> {
        match self {
            Editing::Nothing => Ok(None),
            Editing::New => Ok(Some(None)),
            Editing::Existing(id) => records
                .iter()
                .find(|record| id_of(record) == id)
                .cloned()
                .map(|record| Some(Some(record)))
                .ok_or(AppError::NotFound),
        }
    }
}

/// Service names for choices and labels, in the order given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceChoice {
    pub id: Uuid,
    pub name: String,
}

/// Every administration page, as the browser routes it.
#[component]
pub fn AdminPage() -> impl IntoView {
    let params = use_params_map();
    let query = query_pairs();
    let request = move || (params.with(|params| params.get("page").unwrap_or_default()), query());
    view! { <RenderedPage rendered=Resource::new(request, |(page, query)| admin_page(page, query)) /> }
}

/// The address's query string as name–value pairs, for a page rendered on the server.
pub fn query_pairs() -> impl Fn() -> Vec<(String, String)> + Clone + Send + Sync + 'static {
    let location = use_location();
    move || {
        location.query.with(|query| query.clone().into_iter().map(|(key, value)| (key.to_string(), value)).collect())
    }
}

/// A page the server rendered to HTML, shown as it came.
#[component]
pub fn RenderedPage(rendered: Resource<Result<AdminHtml, AppError>>) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match rendered.await {
                    Ok(AdminHtml { title, html }) => view! {
                        <Title text=title />
                        <div class="admin" inner_html=html></div>
                    }.into_any(),
                    Err(error) => view! { <Failure error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[cfg(feature = "ssr")]
pub use rendering::{RecordItem, page, read_service_ids, saved, saved_named, service_names, service_options};

#[cfg(feature = "ssr")]
mod rendering {
    use super::*;
    use crate::domain::access::{Action, Actor, Decision, Role};
    use leptos::tachys::view::RenderHtml;
    use tower_sessions::Session;

    const NOTICE_KEY: &str = "notice";

    /// Leaves `notice` for the next page this person sees ("Saved Larch House."). The change is
    /// already saved, so a notice that cannot be kept is logged, not reported as a failure (which
    /// would invite saving the change twice).
    pub async fn saved(notice: String) {
        let kept = match leptos_axum::extract::<Session>().await {
            Ok(session) => session.insert(NOTICE_KEY, notice).await.is_ok(),
            Err(_) => false,
        };
        if !kept {
            leptos::logging::error!("a saved change's notice could not be kept in the session");
        }
    }

    /// Finishes a save of a named record (a service, a theme): a clash with another record's name
    /// is shown at the name field, and the saved record is announced on the next page.
    pub async fn saved_named<T>(
        result: crate::storage::StorageResult<T>,
        name: impl Fn(&T) -> &str,
    ) -> Result<T, AppError> {
        let record = result.map_err(crate::error::conflict_on("name"))?;
        saved(format!("Saved {}.", name(&record))).await;
        Ok(record)
    }

    async fn take_notice() -> Option<String> {
        let session: Session = leptos_axum::extract().await.ok()?;
        session.remove::<String>(NOTICE_KEY).await.ok().flatten()
    }

    /// A whole administration page: its heading, the last saved change, and `body`.
    pub async fn page(title: &str, lead: Option<&str>, body: impl IntoView + 'static) -> Result<AdminHtml, AppError> {
        let notice = take_notice().await;
        let title = title.to_owned();
        let lead = lead.map(str::to_owned);
        let html = view! {
            <h1>{title.clone()}</h1>
            {lead.map(|lead| view! { <p class="lead">{lead}</p> })}
            <div role="status" class="notice-area">{notice.map(|text| view! { <p class="notice">{text}</p> })}</div>
            {body}
        }
        .to_html();
        Ok(AdminHtml { title, html })
    }

    pub async fn overview(actor: &Actor) -> Result<AdminHtml, AppError> {
        if !actor.administers_anything() {
            return Err(AppError::Forbidden);
        }
        let admin = actor.has(Role::ProviderAdmin);
        let mut sections = vec![
            (
                "/admin/services",
                "Services",
                if admin {
                    "Add services; set their time zone and shift pattern."
                } else {
                    "Your services' time zone and shift pattern."
                },
            ),
            ("/admin/staff", "Staff", "Add staff, import a staff list, record leavers."),
            ("/admin/users", "Users", "Who can sign in, their roles and services; one-time passwords."),
        ];
        if actor.may(Action::ManageThemes) == Decision::Allow {
            sections.push((
                "/admin/themes",
                "Practice themes",
                "Expected standards, criteria and what 1 to 4 looks like.",
            ));
        }
        if actor.may(Action::ViewAuditTrail) == Decision::Allow {
            sections.push(("/admin/audit", "Audit trail", "Who changed what, and every sign-in."));
        }
        page(
            "Administration",
            None,
            view! {
                <ul class="card-grid">
                    {sections.into_iter().map(|(href, title, description)| view! {
                        <li class="card">
                            <h2><a href=href>{title}</a></h2>
                            <p class="muted">{description}</p>
                        </li>
                    }).collect_view()}
                </ul>
            },
        )
        .await
    }

    /// One record in an administration list: its name (with a tag such as "Left"), a line of
    /// details, the link that opens it in the editor, and any further actions.
    #[component]
    pub fn RecordItem(
        #[prop(into)] title: String,
        #[prop(default = None)] tag: Option<&'static str>,
        #[prop(into)] details: String,
        #[prop(into)] change_href: String,
        #[prop(optional)] children: Option<Children>,
    ) -> impl IntoView {
        let change_label = format!("Change {title}");
        view! {
            <li class="record">
                <div class="record__main">
                    <h2 class="record__title">{title} {tag.map(|tag| view! { " " <span class="tag tag--muted">{tag}</span> })}</h2>
                    <p class="muted">{details}</p>
                </div>
                <div class="record__actions">
                    <a class="button button--secondary" href=change_href aria-label=change_label>"Change"</a>
                    {children.map(|children| children())}
                </div>
            </li>
        }
    }

    pub fn service_options(services: &[ServiceChoice]) -> Vec<(String, String)> {
        services.iter().map(|service| (service.id.to_string(), service.name.clone())).collect()
    }

    /// The names of `ids` among `services`, joined for a list line.
    pub fn service_names(services: &[ServiceChoice], ids: &[Uuid]) -> String {
        let names: Vec<&str> = ids
            .iter()
            .filter_map(|id| services.iter().find(|service| service.id == *id))
            .map(|service| service.name.as_str())
            .collect();
        if names.is_empty() { "No service".to_owned() } else { names.join(", ") }
    }

    /// Reads ticked service checkboxes named `field`; an id that is not a service is refused.
    pub fn read_service_ids(
        fields: &crate::form::FormFields,
        field: &str,
        validation: &mut crate::error::Validation,
    ) -> Vec<Uuid> {
        let mut ids = Vec::new();
        for raw in fields.all(field) {
            match Uuid::parse_str(raw) {
                Ok(id) => ids.push(id),
                Err(_) => validation.reject(field, format!("“{raw}” is not a service.")),
            }
        }
        ids
    }
}
