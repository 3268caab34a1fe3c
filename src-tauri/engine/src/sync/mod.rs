//! Pushing stock to the marketplaces: the push round over the outbox, one pusher per
//! marketplace, importing a store's lots, and the drift check against what a store holds.
//!
//! May import every domain folder below it (`allegro/`, `orders/`, `catalog/`, `stock/`), and
//! `gateway/`, `store/`, `marketplaces/`, the kernel and `base/`.

pub mod allegro;
pub mod bricklink;
pub mod brickowl;
pub mod brickowl_store;
pub mod drift;
pub mod fulfilment;
pub mod import;
pub mod round;
