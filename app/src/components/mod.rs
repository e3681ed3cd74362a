#[cfg(feature = "ssr")]
pub mod failure;
#[cfg(feature = "ssr")]
pub mod form;
pub mod layout;
