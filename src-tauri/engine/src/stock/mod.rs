//! The seller's lots and what each marketplace is owed for them: the inventory and its ledger,
//! the sync outbox marks, the one rule that says which lot a line or an offer names, and the
//! consistency check. Transaction functions only: nothing here calls a marketplace.
//!
//! May import: `store/`, `marketplaces/types.rs`, the kernel (`error.rs`, `config.rs`,
//! `events.rs`) and `base/`.

pub mod doctor;
pub mod lots;
pub mod matching;
pub mod outbox;
