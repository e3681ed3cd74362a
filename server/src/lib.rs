//! Recheck's server: the command line, the HTTP application and storage.

pub mod cli;
pub mod demo;
pub mod http;
pub mod storage;
