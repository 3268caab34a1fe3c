//! One module per sidebar entry; pages compose components and own their data fetching.

pub mod about;
pub mod catalog;
pub mod inventory;
pub mod orders;
pub mod settings;
