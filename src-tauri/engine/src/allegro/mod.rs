//! Allegro's two event journals (orders and offers), read with a persisted cursor, and the
//! offers table with its links to lots.
//!
//! May import: `orders/`, `stock/`, `gateway/`, `store/`, `marketplaces/`, the kernel and `base/`.

pub mod journal;
pub mod offer_journal;
pub mod offers;
pub mod order_journal;
