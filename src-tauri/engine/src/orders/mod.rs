//! Orders from every marketplace: the notification inbox, the intake feeds that fill it, storing
//! an order with its reservations, picking, fulfilment (one status for every marketplace, and
//! the seller's changes queued for it), and the read side (lists, details, markers).
//!
//! May import: `stock/`, `gateway/`, `store/`, `marketplaces/`, the kernel and `base/`.

pub mod apply;
pub mod fulfilment;
pub mod inbox;
pub mod intake;
pub mod picking;
pub mod read;

pub use apply::{apply, Applied};
pub use read::markers;
