pub mod failure;
pub mod layout;
