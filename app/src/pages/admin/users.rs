//! Users: who can sign in, their roles and services, one-time passwords, and disabling.

use super::ServiceChoice;
use crate::domain::access::Role;
use crate::domain::account::User;
use crate::error::AppError;
use crate::form::FormFields;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsersAdmin {
    /// The users this person may manage, by name.
    pub users: Vec<User>,
    /// The services they may give users, and the roles.
    pub services: Vec<ServiceChoice>,
    pub roles: Vec<Role>,
    pub me: Uuid,
}

/// A saved user, with the one-time password to hand them when one was made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedUser {
    pub user: User,
    pub one_time_password: Option<String>,
}

async fn users_admin(actor: &crate::domain::access::Actor) -> Result<UsersAdmin, AppError> {
    use crate::domain::access::{Action, Decision};
    if !actor.administers_anything() {
        return Err(AppError::Forbidden);
    }
    let storage = crate::error::storage()?;
    let services = storage
        .organisation
        .services()
        .await?
        .into_iter()
        .filter(|service| actor.may(Action::ManageUsers(service.id)) == Decision::Allow)
        .map(|service| ServiceChoice { id: service.id, name: service.name })
        .collect();
    let users = storage
        .accounts
        .users()
        .await?
        .into_iter()
        .filter(|user| actor.may_manage_user(&user.roles, &user.service_ids) == Decision::Allow)
        .collect();
    let roles = Role::ALL
        .into_iter()
        .filter(|role| !role.spans_all_services() || actor.may(Action::ManageProviderUsers) == Decision::Allow)
        .collect();
    Ok(UsersAdmin { users, services, roles, me: actor.user_id })
}

#[server(prefix = "/fn", endpoint = "admin/save_user", input = leptos::server_fn::codec::Json)]
pub async fn save_user(fields: FormFields) -> Result<SavedUser, AppError> {
    crate::error::respond(
        async move {
            use crate::auth::{authorise_decision, generate_password, one_time_password, own_password};
            use crate::domain::access::Decision;
            use crate::domain::account::{AccountError, Email, NewUser, check_password};
            use crate::domain::text::Name;
            use crate::error::Validation;
            let (actor, author) = crate::auth::require_author().await?;
            let storage = crate::error::storage()?;
            let existing = match fields.id("id").map_err(AppError::BadRequest)? {
                Some(id) => Some(storage.accounts.user(id).await?),
                None => None,
            };
            if let Some(existing) = &existing {
                authorise_decision(actor.may_manage_user(&existing.roles, &existing.service_ids))?;
            } else if !actor.administers_anything() {
                return Err(AppError::Forbidden);
            }
            let mut validation = Validation::default();
            let email = validation.check("email", Email::parse(fields.text("email")));
            let name = validation.check("name", Name::parse("The name", fields.text("name")));
            let mut roles = Vec::new();
            for code in fields.all("roles") {
                match Role::from_code(code) {
                    Some(role) => roles.push(role),
                    None => validation
                        .reject("roles", crate::error::sentence(&AccountError::UnknownRole(code.into()).to_string())),
                }
            }
            let service_ids = super::read_service_ids(&fields, "services", &mut validation);
            let user = match (email, name) {
                (Some(email), Some(name)) => match NewUser::new(email, name, roles, service_ids) {
                    Ok(user) => Some(user),
                    Err(error @ AccountError::NoServices(_)) => {
                        validation.check::<(), _>("services", Err(error));
                        None
                    }
                    Err(error) => {
                        validation.check::<(), _>("roles", Err(error));
                        None
                    }
                },
                _ => None,
            };
            if let Some(user) = &user
                && actor.may_manage_user(&user.roles, &user.service_ids) == Decision::Deny
            {
                validation.reject("roles", "You may not give these roles or services.");
            }
            let disabled = fields.ticked("disabled");
            if let Some(existing) = &existing
                && existing.id == actor.user_id
            {
                if disabled {
                    validation.reject("disabled", "You cannot disable your own account.");
                }
                if let Some(user) = &user
                    && existing.roles.contains(&Role::ProviderAdmin)
                    && !user.roles.contains(&Role::ProviderAdmin)
                {
                    validation
                        .reject("roles", "You cannot remove your own provider admin role; ask another provider admin.");
                }
            }
            let password = match (&existing, fields.text("password_mode")) {
                (Some(_), _) => None,
                (None, "set") => {
                    let typed = fields.text("password");
                    validation.check("password", check_password(typed)).map(|()| (own_password(typed), None))
                }
                (None, _) => {
                    let generated = generate_password();
                    Some((one_time_password(&generated, storage.now_ms()), Some(generated)))
                }
            };
            let mut user = validation.finish(user)?;
            let saved = match existing {
                Some(existing) => {
                    user.id = existing.id;
                    let user = storage
                        .update_user(user, disabled, &author)
                        .await
                        .map_err(crate::error::conflict_on("email"))?;
                    SavedUser { user, one_time_password: None }
                }
                None => {
                    let (stored, one_time_password) = password.ok_or(AppError::BadRequest("No password.".into()))?;
                    let user =
                        storage.add_user(user, &stored, &author).await.map_err(crate::error::conflict_on("email"))?;
                    SavedUser { user, one_time_password }
                }
            };
            announce(&saved).await;
            Ok(saved)
        }
        .await,
    )
}

/// Gives a user a new one-time password, for when they have forgotten theirs.
#[server(prefix = "/fn", endpoint = "admin/reset_password", input = leptos::server_fn::codec::Json)]
pub async fn reset_password(fields: FormFields) -> Result<SavedUser, AppError> {
    crate::error::respond(
        async move {
            use crate::auth::{authorise_decision, generate_password, one_time_password};
            let (actor, author) = crate::auth::require_author().await?;
            let storage = crate::error::storage()?;
            let user_id = fields.id("user_id").map_err(AppError::BadRequest)?.ok_or(AppError::NotFound)?;
            let user = storage.accounts.user(user_id).await?;
            authorise_decision(actor.may_manage_user(&user.roles, &user.service_ids))?;
            let password = generate_password();
            storage.set_password(user.id, &one_time_password(&password, storage.now_ms()), &author, None).await?;
            let saved = SavedUser { user, one_time_password: Some(password) };
            announce(&saved).await;
            Ok(saved)
        }
        .await,
    )
}

/// Says on the next page what was saved, with the one-time password if one was made.
async fn announce(saved: &SavedUser) {
    let name = &saved.user.name;
    match &saved.one_time_password {
        Some(password) => {
            let notice = format!(
                "Saved {name}. Their one-time password is {} — give it to them now; it is not shown again \
                 and stops working after 72 hours. They will choose their own when they first sign in.",
                super::ONE_TIME_PASSWORD_SLOT
            );
            super::saved_with_one_time_password(notice, password).await;
        }
        None if saved.user.disabled => super::saved(format!("Saved {name}, who can no longer sign in.")).await,
        None => super::saved(format!("Saved {name}.")).await,
    }
}

pub async fn render(
    actor: &crate::domain::access::Actor,
    query: &super::Query,
) -> Result<crate::pages::Page, AppError> {
    use super::Editing;
    use crate::components::form::SaveForm;
    let admin = users_admin(actor).await?;
    let editing = Editing::from_query(query).open(&admin.users, |user| user.id)?;
    let (services, roles, me) = (admin.services.clone(), admin.roles.clone(), admin.me);
    let body = view! {
        <p><a class="button" href="/admin/users?edit=new">"Add a user"</a></p>
        {editing.map(|user| view! { <UserEditor user services=services.clone() roles=roles.clone() /> })}
        <ul class="record-list">
            {admin.users.into_iter().map(|user| {
                let roles = user.roles.iter().map(|role| role.label()).collect::<Vec<_>>().join(", ");
                let services = if user.roles.iter().any(|role| role.spans_all_services()) {
                    "All services".to_owned()
                } else {
                    super::service_names(&admin.services, &user.service_ids)
                };
                let offer_reset = user.id != me && !user.disabled;
                let details = format!("{} · {roles} · {services}", user.email);
                view! {
                    <super::RecordItem
                        title=user.name.clone()
                        tag=user.disabled.then_some("Disabled")
                        details
                        change_href=format!("/admin/users?edit={}", user.id)
                    >
                        {offer_reset.then(|| view! {
                            <SaveForm endpoint="admin/reset_password" next="/admin/users" quiet=true
                                submit_label="New password"
                                submit_name=format!("New password for {}", user.name)
                                confirm=format!("Give {} a new one-time password? The password they use now will stop working.", user.name)>
                                <input type="hidden" name="user_id" value=user.id.to_string() />
                            </SaveForm>
                        })}
                    </super::RecordItem>
                }
            }).collect_view()}
        </ul>
    };
    super::page("Users", None, body).await
}

#[component]
fn UserEditor(user: Option<User>, services: Vec<ServiceChoice>, roles: Vec<Role>) -> impl IntoView {
    use crate::components::form::{Checkbox, ChoiceGroup, SaveForm, TextField};
    let heading = user.as_ref().map_or("Add a user".to_owned(), |u| format!("Change {}", u.name));
    let role_options: Vec<(String, String)> =
        roles.iter().map(|role| (role.code().to_owned(), role.label().to_owned())).collect();
    let selected_roles: Vec<String> =
        user.as_ref().map(|u| u.roles.iter().map(|r| r.code().to_owned()).collect()).unwrap_or_default();
    let selected_services: Vec<String> = match &user {
        Some(user) => user.service_ids.iter().map(ToString::to_string).collect(),
        None if services.len() == 1 => vec![services[0].id.to_string()],
        None => Vec::new(),
    };
    let password_modes = vec![
        (
            "one-time".to_owned(),
            "Make a one-time password for me to hand over; they choose their own when they first sign in".to_owned(),
        ),
        ("set".to_owned(), "Set their password now (fill in below)".to_owned()),
    ];
    let is_new = user.is_none();
    let (id, email, name, disabled) = match user {
        Some(u) => (u.id.to_string(), u.email.to_string(), u.name, u.disabled),
        None => Default::default(),
    };
    view! {
        <section class="card editor" aria-labelledby="editor-heading">
            <h2 id="editor-heading">{heading}</h2>
            <SaveForm endpoint="admin/save_user" next="/admin/users" submit_label="Save user" cancel="/admin/users">
                <input type="hidden" name="id" value=id />
                <TextField name="name" label="Name" value=name autocomplete="off" />
                <TextField name="email" label="Email address" kind="email" value=email autocomplete="off" hint="They sign in with this." />
                <ChoiceGroup name="roles" legend="Roles" options=role_options selected=selected_roles
                    hint="Provider admins and quality leads work across all services." />
                <ChoiceGroup name="services" legend="Services" options=super::service_options(&services) selected=selected_services />
                {if is_new {
                    view! {
                        <ChoiceGroup name="password_mode" legend="Password" options=password_modes selected=vec!["one-time".to_owned()] radio=true />
                        <TextField name="password" label="Their password (only if set now)" kind="password" autocomplete="new-password"
                            hint="At least 12 characters." />
                    }.into_any()
                } else {
                    view! { <Checkbox name="disabled" label="Disabled: cannot sign in" checked=disabled /> }.into_any()
                }}
            </SaveForm>
        </section>
    }
}
