//! The signed-in person's own account: choosing a new password, which someone given a one-time
//! password must do before anything else.

use crate::error::AppError;
use crate::form::FormFields;
use crate::pages::sign_in::encode_path;
use crate::pages::{Page, Query, ServerPage};
use leptos::prelude::*;

pub fn change_password_path(next: &str) -> String {
    format!("/account/password?next={}", encode_path(next))
}

/// The change-password page, returning to `next` once the password is changed.
async fn password_page(next: String) -> Result<Page, AppError> {
    use crate::components::form::{SaveForm, TextField};
    let user = crate::auth::signed_in_user().await?.ok_or(AppError::Unauthenticated)?;
    let next = crate::pages::sign_in::safe_return_path(Some(&next)).to_owned();
    Ok(Page::new(
        "Change your password",
        view! {
                <div class="narrow">
                    <h1>"Change your password"</h1>
                    {user.password_change_required.then(|| view! {
                        <p class="notice">"You signed in with a one-time password. Choose your own to carry on."</p>
                    })}
                    <SaveForm endpoint="account/change_password" next=next submit_label="Change password">
                        <TextField name="current" label="Current password" kind="password" autocomplete="current-password" />
                        <TextField
                            name="new"
                            label="New password"
                            kind="password"
                            autocomplete="new-password"
                            hint="At least 12 characters. Three random words make a strong password that is easy to type."
                        />
                        <TextField name="confirm" label="New password again" kind="password" autocomplete="new-password" />
                    </SaveForm>
                </div>
        },
    ))
}

#[server(prefix = "/fn", endpoint = "account/change_password", input = leptos::server_fn::codec::Json)]
pub async fn change_password(fields: FormFields) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            use crate::domain::account::check_password;
            use crate::domain::audit::Author;
            use crate::error::Validation;
            let user = crate::auth::signed_in_user().await?.ok_or(AppError::Unauthenticated)?;
            let storage = crate::error::storage()?;
            let mut validation = Validation::default();
            if !crate::auth::confirm_password(storage.as_ref(), &user, fields.text("current")).await? {
                validation.reject("current", "That is not your current password.");
            }
            let new = fields.text("new");
            validation.check("new", check_password(new));
            if new != fields.text("confirm") {
                validation.reject("confirm", "The two new passwords are not the same.");
            } else if new == fields.text("current") && validation.is_clean() {
                validation.reject("new", "Choose a password different from the current one.");
            }
            validation.finish(Some(()))?;
            let by = Author::user(user.id, user.name.clone());
            // Their other sessions end; the one they changed it in goes on.
            let keep = crate::auth::current_session_id().await;
            storage.set_password(user.id, &crate::auth::own_password(new), &by, keep.as_deref()).await?;
            Ok(())
        }
        .await,
    )
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let next = Query::of_this_page().get("next").to_owned();
    view! { <ServerPage load=password_page(next) /> }
}
