//! The one error type that crosses from server functions to pages.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("That page or record does not exist.")]
    NotFound,
    #[error("{0}")]
    BadRequest(String),
    #[error("Please sign in.")]
    Unauthenticated,
    #[error("You do not have access to that.")]
    Forbidden,
    #[error("Recheck could not reach its database. Please try again in a minute.")]
    Unavailable,
    /// Input that breaks a rule, with a message for each field, so a form can show each one
    /// next to its field.
    #[error("{}", describe_invalid(.0))]
    Invalid(Vec<FieldError>),
    /// Signed in with a one-time password that has not been replaced yet.
    #[error("Please choose a new password first.")]
    PasswordChangeRequired,
    /// Kept as text: carrying the structured error would add its code to every page's wasm.
    #[error("The request did not reach Recheck: {0}")]
    ServerFn(String),
}

impl AppError {
    pub fn status_code(&self) -> http::StatusCode {
        match self {
            AppError::NotFound => http::StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => http::StatusCode::BAD_REQUEST,
            AppError::Unauthenticated => http::StatusCode::UNAUTHORIZED,
            AppError::Forbidden => http::StatusCode::FORBIDDEN,
            AppError::Unavailable => http::StatusCode::SERVICE_UNAVAILABLE,
            AppError::Invalid(_) => http::StatusCode::UNPROCESSABLE_ENTITY,
            AppError::PasswordChangeRequired => http::StatusCode::FORBIDDEN,
            AppError::ServerFn(_) => http::StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// One field's problem. `field` is the form field's name (`name`, `shifts.1.start`, `roles`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

fn describe_invalid(errors: &[FieldError]) -> String {
    match errors {
        [one] => one.message.clone(),
        _ => format!("{} details need correcting.", errors.len()),
    }
}

/// Collects every problem with a form's input, so the person sees them all at once rather than
/// one per attempt.
#[derive(Debug, Default)]
pub struct Validation(Vec<FieldError>);

impl Validation {
    /// The value, or `None` with the error recorded against `field`.
    pub fn check<T, E: std::fmt::Display>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        result.map_err(|error| self.reject(field, sentence(&error.to_string()))).ok()
    }

    pub fn reject(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError { field: field.to_owned(), message: message.into() });
    }

    pub fn is_clean(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` with `value` when nothing was rejected (`value` is then always `Some`).
    pub fn finish<T>(self, value: Option<T>) -> Result<T, AppError> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ if self.0.is_empty() => Err(AppError::BadRequest("The form is incomplete.".into())),
            _ => Err(AppError::Invalid(self.0)),
        }
    }
}

/// Domain errors are written as clauses ("the password must be…"); on a form they stand alone.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars.next().map(|first| first.to_uppercase().collect()).unwrap_or_default();
    out.push_str(chars.as_str());
    if !out.ends_with(['.', '?', '!']) {
        out.push('.');
    }
    out
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // What was sent could not be read as the function's arguments: the sender's mistake.
            ServerFnErrorErr::Args(problem) | ServerFnErrorErr::Deserialization(problem) => {
                AppError::BadRequest(format!("The form could not be read: {problem}"))
            }
            other => AppError::ServerFn(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::storage::StorageError> for AppError {
    fn from(error: crate::storage::StorageError) -> Self {
        use crate::storage::StorageError;
        match error {
            StorageError::NotFound => AppError::NotFound,
            StorageError::Conflict(message) => AppError::BadRequest(message),
            StorageError::Duplicate => AppError::BadRequest("That record already exists.".to_owned()),
            StorageError::Database(detail) => {
                leptos::logging::error!("storage failure: {detail}");
                AppError::Unavailable
            }
        }
    }
}

/// For saves whose uniqueness rule is about one field (a name, an email): the conflict is shown
/// next to that field.
#[cfg(feature = "ssr")]
pub fn conflict_on(field: &'static str) -> impl FnOnce(crate::storage::StorageError) -> AppError {
    move |error| match error {
        crate::storage::StorageError::Conflict(message) => {
            AppError::Invalid(vec![FieldError { field: field.to_owned(), message }])
        }
        other => other.into(),
    }
}

/// The storage the server put in context for this request.
#[cfg(feature = "ssr")]
pub fn storage() -> Result<crate::storage::SharedStorage, AppError> {
    leptos::prelude::use_context::<crate::storage::SharedStorage>().ok_or(AppError::Unavailable)
}

/// Gives a server function's failure its proper HTTP status (server functions otherwise answer
/// every error with 500). Wrap each server function's body in it.
#[cfg(feature = "ssr")]
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result
        && let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
    {
        response.set_status(error.status_code());
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_gathers_every_problem() {
        let mut validation = Validation::default();
        let name = validation.check("name", Err::<(), _>("name is required"));
        let age = validation.check("age", Ok::<_, String>(3));
        validation.reject("email", "That email is taken.");
        assert_eq!((name, age), (None, Some(3)));
        let error = validation.finish(Some(())).unwrap_err();
        assert_eq!(error.to_string(), "2 details need correcting.");
        let AppError::Invalid(errors) = error else { panic!("not invalid") };
        assert_eq!(errors[0], FieldError { field: "name".into(), message: "Name is required.".into() });
        assert_eq!(errors[1].field, "email");
        assert_eq!(AppError::Invalid(errors).status_code(), http::StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn a_clean_validation_gives_back_the_value() {
        assert_eq!(Validation::default().finish(Some(7)), Ok(7));
        assert!(matches!(Validation::default().finish::<u8>(None), Err(AppError::BadRequest(_))));
    }

    #[test]
    fn one_problem_is_shown_as_itself() {
        let error = AppError::Invalid(vec![FieldError { field: "csv".into(), message: "The file is empty.".into() }]);
        assert_eq!(error.to_string(), "The file is empty.");
    }

    #[test]
    fn clauses_become_sentences() {
        assert_eq!(sentence("the password is short"), "The password is short.");
        assert_eq!(sentence("Already a sentence."), "Already a sentence.");
        assert_eq!(sentence("“x” is not a role"), "“x” is not a role.");
    }
}
