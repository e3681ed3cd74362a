//! The shift leader's recorder, in the browser: choose whom to observe, choose the practice
//! theme, fill in the check, save. Everything it needs is kept on the device (`device`), so it
//! works with no signal; a saved check goes into the outbox before any network call and leaves
//! only once the server has it (`sync`).
//!
//! Like the enhancer it is plain DOM code (`browser`) over markup built in `markup`. The rules
//! (ordering, reading the form, the outbox) are the domain's, tested there. The server draws the
//! first step with the same markup, so the page does not move when the recorder starts.

pub mod server_drawn;

#[cfg(feature = "hydrate")]
mod browser;
#[cfg(feature = "hydrate")]
mod device;
#[cfg(feature = "hydrate")]
mod markup;
#[cfg(feature = "hydrate")]
mod offline;
#[cfg(feature = "hydrate")]
mod sync;

#[cfg(feature = "hydrate")]
pub use browser::install;
