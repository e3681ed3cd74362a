//! One file a page, each with the server function that feeds it.

pub mod account;
pub mod admin;
pub mod checks;
pub mod home;
pub mod not_found;
pub mod sign_in;
pub mod themes;
#[cfg(feature = "ssr")]
pub mod uk_time;
