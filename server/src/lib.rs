//! Recheck's server: the command line, the HTTP application and storage.
// A handler's refusal is the response it sends: axum's `Response` is large, and boxing it in
// every `Result` would only add an allocation to each refused request.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod checks;
pub mod cli;
pub mod client_address;
pub mod cycles;
pub mod daily_email;
pub mod demo;
pub mod devices;
pub mod exports;
pub mod housekeeping;
pub mod http;
pub mod offline;
pub mod plain_forms;
pub mod reviews;
pub mod sessions;
pub mod sign_in;
pub mod storage;
pub mod trends;
pub mod warnings;
