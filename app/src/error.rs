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
            AppError::ServerFn(_) => http::StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::ServerFn(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<crate::storage::StorageError> for AppError {
    fn from(error: crate::storage::StorageError) -> Self {
        use crate::storage::StorageError;
        match error {
            StorageError::NotFound => AppError::NotFound,
            StorageError::Conflict(message) => AppError::BadRequest(message),
            StorageError::Database(detail) => {
                leptos::logging::error!("storage failure: {detail}");
                AppError::Unavailable
            }
        }
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
