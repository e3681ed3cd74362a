//! Administration: services, staff, users, practice themes and the audit trail. Provider admins
//! see everything; a registered manager sees their own services, staff and users. Each page and
//! save function asks the access policy before it reads or changes anything.
//!
//! A saved change leaves a notice in the session, shown once on the next page.

pub mod audit;
pub mod services;
pub mod staff;
pub mod themes;
pub mod users;

use super::{Page, Query, ServerPage, route_param};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Every administration page: `/admin` and `/admin/:page`.
#[component]
pub fn AdminPage() -> impl IntoView {
    let (page, query) = (route_param("page"), Query::of_this_page());
    let load = async move {
        let actor = crate::auth::require_actor().await?;
        match page.as_str() {
            "" => rendering::overview(&actor).await,
            "services" => services::render(&actor, &query).await,
            "staff" => staff::render(&actor, &query).await,
            "users" => users::render(&actor, &query).await,
            "themes" => themes::render(&actor, &query).await,
            "audit" => audit::render(&actor, &query).await,
            _ => Err(AppError::NotFound),
        }
    };
    view! { <ServerPage load /> }
}

/// What an administration page's editor shows, from `?edit=new` or `?edit=<id>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Editing {
    Nothing,
    New,
    Existing(Uuid),
}

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

pub use rendering::{
    ONE_TIME_PASSWORD_SLOT, RecordItem, page, read_service_ids, saved, saved_named, saved_with_one_time_password,
    service_names, service_options,
};

mod rendering {
    use super::*;
    use crate::domain::access::{Action, Actor, Decision, Role};
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

    /// Where a notice shows a one-time password. The password itself is never written to the
    /// session (which the database keeps): it waits in a short-lived cookie of the administrator's
    /// own browser, for the next admin page to show once and then forget.
    pub const ONE_TIME_PASSWORD_SLOT: &str = "\u{1}one-time password\u{1}";
    const ONE_TIME_PASSWORD_COOKIE: &str = "recheck_one_time_password";

    /// Leaves `notice`, which holds [`ONE_TIME_PASSWORD_SLOT`], for the next page, and `password`
    /// to fill it with in the administrator's browser.
    pub async fn saved_with_one_time_password(notice: String, password: &str) {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            let cookie =
                format!("{ONE_TIME_PASSWORD_COOKIE}={password}; Path=/admin; Max-Age=300; HttpOnly; SameSite=Strict");
            if let Ok(cookie) = axum::http::HeaderValue::from_str(&cookie) {
                response.append_header(axum::http::header::SET_COOKIE, cookie);
            }
        }
        saved(notice).await;
    }

    async fn take_notice() -> Option<String> {
        let session: Session = leptos_axum::extract().await.ok()?;
        let notice: String = crate::components::form::take_from_session(&session, NOTICE_KEY).await?;
        if !notice.contains(ONE_TIME_PASSWORD_SLOT) {
            return Some(notice);
        }
        let headers: axum::http::HeaderMap = leptos_axum::extract().await.ok()?;
        let password = headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|cookies| cookies.to_str().ok())
            .flat_map(|cookies| cookies.split(';'))
            .find_map(|cookie| cookie.trim().strip_prefix(ONE_TIME_PASSWORD_COOKIE)?.strip_prefix('='))
            .map(str::to_owned);
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            let forget = format!("{ONE_TIME_PASSWORD_COOKIE}=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict");
            response.append_header(axum::http::header::SET_COOKIE, axum::http::HeaderValue::from_str(&forget).ok()?);
        }
        let shown = password.unwrap_or_else(|| "no longer shown here (reset the password to make a new one)".into());
        Some(notice.replace(ONE_TIME_PASSWORD_SLOT, &shown))
    }

    /// A whole page: its heading, the last saved change, and `body`.
    pub async fn page(title: &str, lead: Option<&str>, body: impl IntoView + 'static) -> Result<Page, AppError> {
        let notice = take_notice().await;
        let lead = lead.map(str::to_owned);
        let heading = title.to_owned();
        Ok(Page::new(
            title,
            view! {
                <h1>{heading}</h1>
                {lead.map(|lead| view! { <p class="lead">{lead}</p> })}
                <div role="status" class="notice-area">{notice.map(|text| view! { <p class="notice">{text}</p> })}</div>
                {body}
            },
        ))
    }

    pub async fn overview(actor: &Actor) -> Result<Page, AppError> {
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
