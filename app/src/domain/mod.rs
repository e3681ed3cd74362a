//! Recheck's domain: plain types and pure rules, shared by the server and the browser.

pub mod access;
pub mod account;
pub mod audit;
pub mod check;
pub mod clock;
pub mod cqc;
pub mod cycle;
pub mod digest;
pub mod observer;
pub mod organisation;
pub mod outbox;
pub mod recording;
pub mod review;
pub mod seed_themes;
pub mod shift;
pub mod spc;
pub mod spreadsheet;
pub mod staff_import;
pub mod staff_trend;
pub mod text;
pub mod theme;
pub mod throttle;
pub mod wall_clock;
pub mod warning;
